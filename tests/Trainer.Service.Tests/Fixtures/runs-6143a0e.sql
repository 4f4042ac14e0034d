--
-- PostgreSQL database dump
--

\restrict SSUrqdvjW7syEuYhwcBgAgOnWw37O3gaHgfCjpeUIBS3D2WblBz2KtlgVTve5wd

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.metrics (
    run_id text NOT NULL,
    seq bigint NOT NULL,
    kind text NOT NULL,
    epoch bigint NOT NULL,
    step bigint,
    global_step bigint,
    loss double precision,
    lr double precision,
    images_per_second double precision,
    evaluation text,
    top1 double precision,
    duration_s double precision,
    "time" text NOT NULL,
    superseded bigint DEFAULT 0 NOT NULL,
    signal_values text
);


--
-- Name: runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.runs (
    id text NOT NULL,
    name text NOT NULL,
    status text NOT NULL,
    tags text NOT NULL,
    notes text NOT NULL,
    config text NOT NULL,
    created_at text NOT NULL,
    started_at text,
    finished_at text,
    failure_reason text,
    epochs_completed bigint DEFAULT 0 NOT NULL,
    last_loss double precision,
    best_knn double precision,
    linear_top1 double precision,
    images_per_second double precision,
    eta_seconds double precision,
    has_checkpoint bigint DEFAULT 0 NOT NULL,
    resume_requested bigint DEFAULT 0 NOT NULL,
    queue_order bigint NOT NULL,
    history_revision bigint DEFAULT 0 NOT NULL,
    runtime text,
    warnings text,
    sweep_id text,
    forked_from text,
    forked_at_epoch bigint,
    lease_owner text,
    lease_expires text,
    cancel_requested bigint DEFAULT 0 NOT NULL
);


--
-- Name: sweeps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sweeps (
    id text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    axes text NOT NULL,
    created_at text NOT NULL
);


--
-- Data for Name: metrics; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.metrics (run_id, seq, kind, epoch, step, global_step, loss, lr, images_per_second, evaluation, top1, duration_s, "time", superseded, signal_values) FROM stdin;
065c31c616e3	1	step	0	0	1	3.8135526180267334	0.001	683.5014497706533	\N	\N	\N	2026-12-06T22:31:50.8825449+00:00	0	\N
065c31c616e3	2	step	0	1	2	3.7908895015716553	0.0009330127018922195	2958.9765639809334	\N	\N	\N	2026-12-06T22:31:50.9041382+00:00	0	\N
065c31c616e3	3	step	0	2	3	3.672255516052246	0.00075	10111.383205624457	\N	\N	\N	2026-12-06T22:31:50.9104706+00:00	0	\N
065c31c616e3	4	epoch	0	\N	\N	3.758899211883545	0.00075	1578.5034143357707	\N	\N	0.1216342	2026-12-06T22:31:50.9136159+00:00	0	\N
065c31c616e3	5	evaluation	0	\N	\N	\N	\N	\N	knn	0.21875	0.0105539	2026-12-06T22:31:50.9349048+00:00	0	\N
065c31c616e3	6	embedding	0	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:50.9609718+00:00	0	\N
065c31c616e3	7	step	1	0	4	3.8010470867156982	0.0005	8474.239635607697	\N	\N	\N	2026-12-06T22:31:50.9861337+00:00	0	\N
065c31c616e3	8	step	1	1	5	3.9300343990325928	0.0002500000000000001	10173.910278828727	\N	\N	\N	2026-12-06T22:31:50.9924250+00:00	0	\N
065c31c616e3	9	step	1	2	6	3.583376169204712	6.698729810778065e-05	7064.173602066271	\N	\N	\N	2026-12-06T22:31:51.0014883+00:00	0	\N
065c31c616e3	10	epoch	1	\N	\N	3.7714858849843345	6.698729810778065e-05	8369.112743281825	\N	\N	0.0229415	2026-12-06T22:31:51.0018498+00:00	0	\N
065c31c616e3	11	evaluation	1	\N	\N	\N	\N	\N	knn	0.25	0.0031548	2026-12-06T22:31:51.0130695+00:00	0	\N
065c31c616e3	12	embedding	1	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:51.0216213+00:00	0	\N
065c31c616e3	13	evaluation	1	\N	\N	\N	\N	\N	linear	0.28125	0.0087598	2026-12-06T22:31:51.0393096+00:00	0	\N
a1f9f28839cb	1	step	0	0	1	3.8135526180267334	0.0003	5085.297926946517	\N	\N	\N	2026-12-06T22:31:51.5641354+00:00	0	\N
a1f9f28839cb	2	step	0	1	2	3.7826943397521973	0.000225	5158.336758791337	\N	\N	\N	2026-12-06T22:31:51.5765449+00:00	0	\N
a1f9f28839cb	3	step	0	2	3	3.7509055137634277	7.500000000000002e-05	9978.795060496444	\N	\N	\N	2026-12-06T22:31:51.5829612+00:00	0	\N
a1f9f28839cb	4	epoch	0	\N	\N	3.782384157180786	7.500000000000002e-05	6106.03511606237	\N	\N	0.0314443	2026-12-06T22:31:51.5831639+00:00	0	\N
a1f9f28839cb	5	evaluation	0	\N	\N	\N	\N	\N	knn	0.28125	0.0057241	2026-12-06T22:31:51.5981149+00:00	0	\N
a1f9f28839cb	6	embedding	0	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:51.6366037+00:00	0	\N
bf55b3fe82bb	1	step	0	0	1	4.03093147277832	0.0003	1494.1122638602258	\N	\N	\N	2026-12-06T22:31:51.7846012+00:00	0	\N
bf55b3fe82bb	2	step	0	1	2	4.021548271179199	0.000225	4405.165056028193	\N	\N	\N	2026-12-06T22:31:51.7991329+00:00	0	\N
bf55b3fe82bb	3	step	0	2	3	4.034918308258057	7.500000000000002e-05	4031.216734588469	\N	\N	\N	2026-12-06T22:31:51.8150123+00:00	0	\N
bf55b3fe82bb	4	epoch	0	\N	\N	4.029132684071858	7.500000000000002e-05	2618.8686760118453	\N	\N	0.0733141	2026-12-06T22:31:51.8152638+00:00	0	\N
bf55b3fe82bb	5	evaluation	0	\N	\N	\N	\N	\N	knn	0.5	0.0024944	2026-12-06T22:31:51.8326696+00:00	0	\N
bf55b3fe82bb	6	embedding	0	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:51.8460442+00:00	0	\N
54d46ef73798	1	step	0	0	1	3.8135526180267334	0.001	1510.2389481185726	\N	\N	\N	2026-12-06T22:31:51.9746222+00:00	0	\N
54d46ef73798	2	step	0	1	2	3.7908895015716553	0.0009999989033776897	4634.994206257242	\N	\N	\N	2026-12-06T22:31:51.9884350+00:00	0	\N
54d46ef73798	3	step	0	2	3	3.669469118118286	0.0009999956135155687	6110.776927997861	\N	\N	\N	2026-12-06T22:31:51.9989095+00:00	0	\N
54d46ef73798	4	epoch	0	\N	\N	3.757970412572225	0.0009999956135155687	2878.465777740464	\N	\N	0.0667022	2026-12-06T22:31:51.9991029+00:00	0	\N
54d46ef73798	5	evaluation	0	\N	\N	\N	\N	\N	knn	0.25	0.0022141	2026-12-06T22:31:52.0145341+00:00	0	\N
54d46ef73798	6	embedding	0	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.0310988+00:00	0	\N
54d46ef73798	7	step	1	0	4	3.8038628101348877	0.0009999901304280686	3814.8145940500817	\N	\N	\N	2026-12-06T22:31:52.0617829+00:00	0	\N
54d46ef73798	8	step	1	1	5	3.943453788757324	0.0009999824541392405	6360.943805037073	\N	\N	\N	2026-12-06T22:31:52.0718468+00:00	0	\N
54d46ef73798	9	step	1	2	6	3.5445432662963867	0.000999972584682756	4789.451233657868	\N	\N	\N	2026-12-06T22:31:52.0852121+00:00	0	\N
54d46ef73798	10	epoch	1	\N	\N	3.7639532883961997	0.000999972584682756	4770.458933057044	\N	\N	0.0402477	2026-12-06T22:31:52.0854621+00:00	0	\N
54d46ef73798	11	evaluation	1	\N	\N	\N	\N	\N	knn	0.25	0.0301232	2026-12-06T22:31:52.1300617+00:00	0	\N
54d46ef73798	12	embedding	1	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.1426925+00:00	0	\N
54d46ef73798	13	step	2	0	7	3.7657883167266846	0.0009999605221019082	10083.18628686665	\N	\N	\N	2026-12-06T22:31:52.1578432+00:00	0	\N
54d46ef73798	14	step	2	1	8	3.61077618598938	0.0009999462664496087	12654.973997983114	\N	\N	\N	2026-12-06T22:31:52.1629020+00:00	0	\N
54d46ef73798	15	step	2	2	9	3.573530673980713	0.0009999298177883903	11928.058894790795	\N	\N	\N	2026-12-06T22:31:52.1682687+00:00	0	\N
54d46ef73798	16	epoch	2	\N	\N	3.6500317255655923	0.0009999298177883903	11428.027236798247	\N	\N	0.0168008	2026-12-06T22:31:52.1684891+00:00	0	\N
54d46ef73798	17	evaluation	2	\N	\N	\N	\N	\N	knn	0.21875	0.0022702	2026-12-06T22:31:52.1792006+00:00	0	\N
54d46ef73798	18	embedding	2	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.1884589+00:00	0	\N
54d46ef73798	19	step	3	0	10	3.3814878463745117	0.0009999111761904045	10195.303788192565	\N	\N	\N	2026-12-06T22:31:52.2035257+00:00	0	\N
54d46ef73798	20	step	3	1	11	3.646674871444702	0.0009998903417374227	11963.73492849799	\N	\N	\N	2026-12-06T22:31:52.2088763+00:00	0	\N
54d46ef73798	21	step	3	2	12	3.7798044681549072	0.000999867314520835	13366.471042793593	\N	\N	\N	2026-12-06T22:31:52.2136655+00:00	0	\N
54d46ef73798	22	epoch	3	\N	\N	3.6026557286580405	0.000999867314520835	11677.908681187011	\N	\N	0.0164413	2026-12-06T22:31:52.2138616+00:00	0	\N
54d46ef73798	23	evaluation	3	\N	\N	\N	\N	\N	knn	0.1875	0.0019329	2026-12-06T22:31:52.2286809+00:00	0	\N
54d46ef73798	24	embedding	3	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.2501785+00:00	0	\N
54d46ef73798	25	step	4	0	13	3.5996956825256348	0.00099984209464165	10070.81038552321	\N	\N	\N	2026-12-06T22:31:52.2703216+00:00	0	\N
54d46ef73798	26	step	4	1	14	3.5608596801757812	0.0009998146822104944	12900.624874017334	\N	\N	\N	2026-12-06T22:31:52.2752838+00:00	0	\N
54d46ef73798	27	step	4	2	15	3.7687361240386963	0.0009997850773476125	12410.556729818301	\N	\N	\N	2026-12-06T22:31:52.2804420+00:00	0	\N
54d46ef73798	28	epoch	4	\N	\N	3.643097162246704	0.0009997850773476125	11623.894367859932	\N	\N	0.0165177	2026-12-06T22:31:52.2806509+00:00	0	\N
54d46ef73798	30	embedding	4	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.3006523+00:00	0	\N
54d46ef73798	35	evaluation	5	\N	\N	\N	\N	\N	knn	0.21875	0.0025793	2026-12-06T22:31:52.3373194+00:00	0	\N
54d46ef73798	37	step	6	0	19	3.660125494003296	0.0009996447363202947	9212.079339033307	\N	\N	\N	2026-12-06T22:31:52.3833387+00:00	0	\N
54d46ef73798	38	step	6	1	20	3.5445351600646973	0.0009996041714390234	13133.59326903345	\N	\N	\N	2026-12-06T22:31:52.3882120+00:00	0	\N
54d46ef73798	39	step	6	2	21	3.531543016433716	0.0009995614150494292	13523.22190761949	\N	\N	\N	2026-12-06T22:31:52.3929458+00:00	0	\N
54d46ef73798	40	epoch	6	\N	\N	3.578734556833903	0.0009995614150494292	11583.989960542036	\N	\N	0.0165746	2026-12-06T22:31:52.3931545+00:00	0	\N
54d46ef73798	42	embedding	6	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.4122054+00:00	0	\N
54d46ef73798	47	evaluation	7	\N	\N	\N	\N	\N	knn	0.1875	0.0018624	2026-12-06T22:31:52.4484562+00:00	0	\N
54d46ef73798	49	step	8	0	25	3.604966163635254	0.0009993684783030088	10178.926441351889	\N	\N	\N	2026-12-06T22:31:52.4679050+00:00	0	\N
54d46ef73798	50	step	8	1	26	3.459778070449829	0.0009993147673772868	13009.452180099603	\N	\N	\N	2026-12-06T22:31:52.4728264+00:00	0	\N
54d46ef73798	51	step	8	2	27	3.5096945762634277	0.00099925886621271	13782.113400951828	\N	\N	\N	2026-12-06T22:31:52.4774716+00:00	0	\N
54d46ef73798	52	epoch	8	\N	\N	3.524812936782837	0.00099925886621271	12093.193169865273	\N	\N	0.0158767	2026-12-06T22:31:52.4776715+00:00	0	\N
54d46ef73798	54	embedding	8	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.4958468+00:00	0	\N
54d46ef73798	59	evaluation	9	\N	\N	\N	\N	\N	knn	0.1875	0.0017418	2026-12-06T22:31:52.5301653+00:00	0	\N
54d46ef73798	61	step	10	0	31	3.6351115703582764	0.0009990133642141358	602.5060485958785	\N	\N	\N	2026-12-06T22:31:52.6559830+00:00	0	\N
54d46ef73798	62	step	10	1	32	3.566873550415039	0.0009989465157255412	11371.10672849706	\N	\N	\N	2026-12-06T22:31:52.6616128+00:00	0	\N
54d46ef73798	63	step	10	2	33	3.694692373275757	0.0009988774786134234	12383.90092879257	\N	\N	\N	2026-12-06T22:31:52.6667818+00:00	0	\N
54d46ef73798	64	epoch	10	\N	\N	3.632225831349691	0.0009988774786134234	1640.264390116382	\N	\N	0.1170543	2026-12-06T22:31:52.6670028+00:00	0	\N
54d46ef73798	66	embedding	10	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.6817011+00:00	0	\N
54d46ef73798	71	evaluation	11	\N	\N	\N	\N	\N	knn	0.25	0.0018841	2026-12-06T22:31:52.7148807+00:00	0	\N
54d46ef73798	73	step	12	0	37	3.7581725120544434	0.000998579450130307	10087.795343851962	\N	\N	\N	2026-12-06T22:31:52.7337413+00:00	0	\N
54d46ef73798	74	step	12	1	38	3.340109348297119	0.000998499474634991	12595.697781976343	\N	\N	\N	2026-12-06T22:31:52.7388249+00:00	0	\N
54d46ef73798	75	step	12	2	39	3.601212978363037	0.0009984173124770923	14005.295752456397	\N	\N	\N	2026-12-06T22:31:52.7433950+00:00	0	\N
54d46ef73798	76	epoch	12	\N	\N	3.566498279571533	0.0009984173124770923	11982.77476128066	\N	\N	0.016023	2026-12-06T22:31:52.7435954+00:00	0	\N
54d46ef73798	78	embedding	12	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.7552104+00:00	0	\N
54d46ef73798	83	evaluation	13	\N	\N	\N	\N	\N	knn	0.28125	0.0015605	2026-12-06T22:31:52.7845595+00:00	0	\N
54d46ef73798	85	step	14	0	43	3.7631020545959473	0.0009980668045715864	8666.567362248974	\N	\N	\N	2026-12-06T22:31:52.8034400+00:00	0	\N
54d46ef73798	86	step	14	1	44	3.5820183753967285	0.0009979737146986064	12527.894139294523	\N	\N	\N	2026-12-06T22:31:52.8085493+00:00	0	\N
54d46ef73798	87	step	14	2	45	3.446465492248535	0.0009978784404692847	13061.491050837772	\N	\N	\N	2026-12-06T22:31:52.8134512+00:00	0	\N
54d46ef73798	88	epoch	14	\N	\N	3.597195307413737	0.0009978784404692847	11020.232458028411	\N	\N	0.0174225	2026-12-06T22:31:52.8137157+00:00	0	\N
54d46ef73798	90	embedding	14	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.8268747+00:00	0	\N
54d46ef73798	95	evaluation	15	\N	\N	\N	\N	\N	knn	0.28125	0.0020968	2026-12-06T22:31:52.8872259+00:00	0	\N
54d46ef73798	97	step	16	0	49	3.252005100250244	0.0009974755084906502	9569.234909765106	\N	\N	\N	2026-12-06T22:31:52.9261809+00:00	0	\N
54d46ef73798	98	health	16	\N	50	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.9358974+00:00	0	{"normalizedStd":0.2345011830329895,"uniformStd":0.25,"effectiveRank":9.152422362284602,"positiveCosine":0.5622748732566833,"negativeCosine":0.030441980808973312,"alignment":0.8754502534866333,"uniformity":-2.2221193313598633,"gradientNorm":2.3928279325902504}
54d46ef73798	99	step	16	1	50	3.569870948791504	0.0009973693189399765	6328.800988875155	\N	\N	\N	2026-12-06T22:31:52.9362932+00:00	0	\N
54d46ef73798	100	step	16	2	51	3.536342144012451	0.0009972609476841367	12561.08810425703	\N	\N	\N	2026-12-06T22:31:52.9413906+00:00	0	\N
54d46ef73798	101	epoch	16	\N	\N	3.452739397684733	0.0009972609476841367	8760.083220790599	\N	\N	0.0219176	2026-12-06T22:31:52.9415757+00:00	0	\N
54d46ef73798	103	embedding	16	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.9556523+00:00	0	\N
54d46ef73798	108	evaluation	17	\N	\N	\N	\N	\N	knn	0.28125	0.0021846	2026-12-06T22:31:52.9858631+00:00	0	\N
54d46ef73798	110	step	18	0	55	3.3403046131134033	0.0009968056552600042	2279.6812720621497	\N	\N	\N	2026-12-06T22:31:53.0273886+00:00	0	\N
54d46ef73798	111	step	18	1	56	3.6605615615844727	0.000996686382800198	11861.516791459708	\N	\N	\N	2026-12-06T22:31:53.0327849+00:00	0	\N
54d46ef73798	112	step	18	2	57	3.524749755859375	0.0009965649316309177	12419.708524965556	\N	\N	\N	2026-12-06T22:31:53.0379395+00:00	0	\N
54d46ef73798	113	epoch	18	\N	\N	3.5085386435190835	0.0009965649316309177	4967.401428127911	\N	\N	0.038652	2026-12-06T22:31:53.0381341+00:00	0	\N
54d46ef73798	115	embedding	18	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:53.0607897+00:00	0	\N
54d46ef73798	120	evaluation	19	\N	\N	\N	\N	\N	knn	0.28125	0.0024199	2026-12-06T22:31:53.1066347+00:00	0	\N
54d46ef73798	122	step	20	0	61	3.5577988624572754	0.000996057350657239	7885.366484728263	\N	\N	\N	2026-12-06T22:31:53.1274685+00:00	0	\N
54d46ef73798	123	step	20	1	62	3.3741321563720703	0.0009959250141228044	8274.506761823493	\N	\N	\N	2026-12-06T22:31:53.1352046+00:00	0	\N
54d46ef73798	124	step	20	2	63	3.573514938354492	0.000995790502218631	7831.716002398463	\N	\N	\N	2026-12-06T22:31:53.1433781+00:00	0	\N
54d46ef73798	125	epoch	20	\N	\N	3.5018153190612793	0.000995790502218631	7981.045018082055	\N	\N	0.024057	2026-12-06T22:31:53.1435897+00:00	0	\N
54d46ef73798	29	evaluation	4	\N	\N	\N	\N	\N	knn	0.1875	0.0018865	2026-12-06T22:31:52.2930447+00:00	0	\N
54d46ef73798	31	step	5	0	16	3.5794081687927246	0.0009997532801828658	9998.750156230471	\N	\N	\N	2026-12-06T22:31:52.3144017+00:00	0	\N
54d46ef73798	32	step	5	1	17	3.7222580909729004	0.0009997192908557321	12268.997776244152	\N	\N	\N	2026-12-06T22:31:52.3196195+00:00	0	\N
54d46ef73798	33	step	5	2	18	3.753225564956665	0.0009996831095153054	12826.93656679026	\N	\N	\N	2026-12-06T22:31:52.3246101+00:00	0	\N
54d46ef73798	34	epoch	5	\N	\N	3.6849639415740967	0.0009996831095153054	11541.860283376716	\N	\N	0.0166351	2026-12-06T22:31:52.3248680+00:00	0	\N
54d46ef73798	36	embedding	5	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.3441464+00:00	0	\N
54d46ef73798	41	evaluation	6	\N	\N	\N	\N	\N	knn	0.25	0.0017233	2026-12-06T22:31:52.3999879+00:00	0	\N
54d46ef73798	43	step	7	0	22	3.435443162918091	0.0009995164673390624	9578.544061302682	\N	\N	\N	2026-12-06T22:31:52.4301284+00:00	0	\N
54d46ef73798	44	step	7	1	23	3.6213138103485107	0.0009994693285050856	11561.529012211866	\N	\N	\N	2026-12-06T22:31:52.4356646+00:00	0	\N
54d46ef73798	45	step	7	2	24	3.684488296508789	0.000999419998754273	12716.326571161757	\N	\N	\N	2026-12-06T22:31:52.4407021+00:00	0	\N
54d46ef73798	46	epoch	7	\N	\N	3.5804150899251304	0.000999419998754273	11109.118155886386	\N	\N	0.0172831	2026-12-06T22:31:52.4409698+00:00	0	\N
54d46ef73798	48	embedding	7	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.4536882+00:00	0	\N
54d46ef73798	53	evaluation	8	\N	\N	\N	\N	\N	knn	0.1875	0.0017726	2026-12-06T22:31:52.4879359+00:00	0	\N
54d46ef73798	55	step	9	0	28	3.48014235496521	0.0009992007750544876	10425.660156059099	\N	\N	\N	2026-12-06T22:31:52.5104195+00:00	0	\N
54d46ef73798	56	step	9	1	29	3.613415241241455	0.000999140494157436	13317.795904777759	\N	\N	\N	2026-12-06T22:31:52.5152259+00:00	0	\N
54d46ef73798	57	step	9	2	30	3.7226483821868896	0.000999078023785977	13600.816048962937	\N	\N	\N	2026-12-06T22:31:52.5199326+00:00	0	\N
54d46ef73798	58	epoch	9	\N	\N	3.6054019927978516	0.000999078023785977	12248.413128767823	\N	\N	0.0156755	2026-12-06T22:31:52.5201217+00:00	0	\N
54d46ef73798	60	embedding	9	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.5358982+00:00	0	\N
54d46ef73798	65	evaluation	10	\N	\N	\N	\N	\N	knn	0.3125	0.0020155	2026-12-06T22:31:52.6770760+00:00	0	\N
54d46ef73798	67	step	11	0	34	3.435215473175049	0.0009988062531806126	10352.63668715626	\N	\N	\N	2026-12-06T22:31:52.6974080+00:00	0	\N
54d46ef73798	68	step	11	1	35	3.7442660331726074	0.0009987328397395388	13044.187184086091	\N	\N	\N	2026-12-06T22:31:52.7023158+00:00	0	\N
54d46ef73798	69	step	11	2	36	3.575010061264038	0.000998657238612229	12925.637193521025	\N	\N	\N	2026-12-06T22:31:52.7072688+00:00	0	\N
54d46ef73798	70	epoch	11	\N	\N	3.5848305225372314	0.000998657238612229	11951.075285549781	\N	\N	0.0160655	2026-12-06T22:31:52.7074672+00:00	0	\N
54d46ef73798	72	embedding	11	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.7201811+00:00	0	\N
54d46ef73798	77	evaluation	12	\N	\N	\N	\N	\N	knn	0.25	0.0017493	2026-12-06T22:31:52.7499993+00:00	0	\N
54d46ef73798	79	step	13	0	40	3.6542372703552246	0.0009983329640170149	10479.26252190002	\N	\N	\N	2026-12-06T22:31:52.7683548+00:00	0	\N
54d46ef73798	80	step	13	1	41	3.4806981086730957	0.0009982464296247522	13127.935837213596	\N	\N	\N	2026-12-06T22:31:52.7732308+00:00	0	\N
54d46ef73798	81	step	13	2	42	3.487020492553711	0.0009981577096798862	13811.856615663508	\N	\N	\N	2026-12-06T22:31:52.7778661+00:00	0	\N
54d46ef73798	82	epoch	13	\N	\N	3.5406519571940103	0.0009981577096798862	12274.880607606588	\N	\N	0.0156417	2026-12-06T22:31:52.7780553+00:00	0	\N
54d46ef73798	84	embedding	13	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.7892311+00:00	0	\N
54d46ef73798	89	evaluation	14	\N	\N	\N	\N	\N	knn	0.28125	0.0019364	2026-12-06T22:31:52.8208522+00:00	0	\N
54d46ef73798	91	step	15	0	46	3.48573637008667	0.00099778098230154	7829.51236818282	\N	\N	\N	2026-12-06T22:31:52.8478971+00:00	0	\N
54d46ef73798	92	step	15	1	47	3.814323663711548	0.000997681340622872	8358.146580995664	\N	\N	\N	2026-12-06T22:31:52.8555563+00:00	0	\N
54d46ef73798	93	step	15	2	48	3.6322124004364014	0.0009975795158703575	5209.053986961087	\N	\N	\N	2026-12-06T22:31:52.8678442+00:00	0	\N
54d46ef73798	94	epoch	15	\N	\N	3.6440908114115396	0.0009975795158703575	6820.167804545357	\N	\N	0.0281518	2026-12-06T22:31:52.8680388+00:00	0	\N
54d46ef73798	96	embedding	15	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.9043133+00:00	0	\N
54d46ef73798	102	evaluation	16	\N	\N	\N	\N	\N	knn	0.28125	0.0017191	2026-12-06T22:31:52.9507078+00:00	0	\N
54d46ef73798	104	step	17	0	52	3.3018321990966797	0.0009971503951984994	10602.872715826445	\N	\N	\N	2026-12-06T22:31:52.9685050+00:00	0	\N
54d46ef73798	105	step	17	1	53	3.648871898651123	0.0009970376619680024	12852.179850191778	\N	\N	\N	2026-12-06T22:31:52.9734857+00:00	0	\N
54d46ef73798	106	step	17	2	54	3.399855852127075	0.0009969227484871485	12835.425775139385	\N	\N	\N	2026-12-06T22:31:52.9784735+00:00	0	\N
54d46ef73798	107	epoch	17	\N	\N	3.4501866499582925	0.0009969227484871485	11979.111424453607	\N	\N	0.0160279	2026-12-06T22:31:52.9786542+00:00	0	\N
54d46ef73798	109	embedding	17	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:52.9905977+00:00	0	\N
54d46ef73798	114	evaluation	18	\N	\N	\N	\N	\N	knn	0.28125	0.0025065	2026-12-06T22:31:53.0498540+00:00	0	\N
54d46ef73798	116	step	19	0	58	3.335735321044922	0.0009964413022849068	9748.51868212213	\N	\N	\N	2026-12-06T22:31:53.0774993+00:00	0	\N
54d46ef73798	117	step	19	1	59	3.722243070602417	0.0009963154953044645	12236.15784643622	\N	\N	\N	2026-12-06T22:31:53.0827304+00:00	0	\N
54d46ef73798	118	step	19	2	60	3.3987953662872314	0.0009961875112414415	12622.527266631167	\N	\N	\N	2026-12-06T22:31:53.0878024+00:00	0	\N
54d46ef73798	119	epoch	19	\N	\N	3.485591252644857	0.0009961875112414415	11366.730999206697	\N	\N	0.0168914	2026-12-06T22:31:53.0879877+00:00	0	\N
54d46ef73798	121	embedding	19	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:53.1118673+00:00	0	\N
54d46ef73798	126	evaluation	20	\N	\N	\N	\N	\N	knn	0.25	0.0048779	2026-12-06T22:31:53.1638585+00:00	0	\N
54d46ef73798	127	embedding	20	\N	\N	\N	\N	\N	\N	\N	\N	2026-12-06T22:31:53.1772779+00:00	0	\N
54d46ef73798	132	evaluation	21	\N	\N	\N	\N	\N	knn	0.21875	0.002503	2026-12-06T22:31:53.2435425+00:00	0	\N
54d46ef73798	128	step	21	0	64	3.5424304008483887	0.0009956538155347532	5289.780804707905	\N	\N	\N	2026-12-06T22:31:53.2072945+00:00	0	\N
54d46ef73798	129	step	21	1	65	3.49088191986084	0.0009955149546707464	6813.294440777568	\N	\N	\N	2026-12-06T22:31:53.2166895+00:00	0	\N
54d46ef73798	130	step	21	2	66	3.3943586349487305	0.0009953739202357217	7101.169473847724	\N	\N	\N	2026-12-06T22:31:53.2257042+00:00	0	\N
54d46ef73798	131	epoch	21	\N	\N	3.475890318552653	0.0009953739202357217	6287.145734073383	\N	\N	0.0305385	2026-12-06T22:31:53.2258765+00:00	0	\N
\.


--
-- Data for Name: runs; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.runs (id, name, status, tags, notes, config, created_at, started_at, finished_at, failure_reason, epochs_completed, last_loss, best_knn, linear_top1, images_per_second, eta_seconds, has_checkpoint, resume_requested, queue_order, history_revision, runtime, warnings, sweep_id, forked_from, forked_at_epoch, lease_owner, lease_expires, cancel_requested) FROM stdin;
065c31c616e3	completed run	Completed	["fixture"]		{"version":2,"data":{"dataset":"synthetic","dataDir":null,"cacheDir":null,"download":true,"imageSize":16,"trainSubset":null,"testSubset":null,"syntheticTrainSize":96,"syntheticTestSize":32},"backbone":{"model":"tiny-cnn","width":1,"projectionHiddenDim":32,"projectionDim":16},"method":{"name":"simclr","temperature":0.5,"targetMomentum":0.99,"predictorHiddenDim":512,"queueSize":4096,"vicregInvarianceWeight":25,"vicregVarianceWeight":25,"vicregCovarianceWeight":1},"schedule":{"epochs":2,"batchSize":32,"warmupEpochs":0,"minLearningRate":0,"dropLastBatch":true},"optimizer":{"name":"adam","learningRate":0.001,"momentum":0.9,"weightDecay":1E-06,"larsEta":0.02},"views":{"cropScaleMin":0.08,"cropScaleMax":1,"cropRatioMin":0.75,"cropRatioMax":1.3333333333333333,"flipProbability":0.5,"brightness":0.4,"contrast":0.4,"saturation":0.4,"hue":0.1,"colorJitterProbability":0.8,"grayscaleProbability":0.2,"blurProbability":0,"blurSigmaMin":0.1,"blurSigmaMax":2,"solarizeProbability":0},"evaluation":{"knnEveryEpochs":1,"embeddingMapImages":300,"healthEverySteps":50,"knnK":10,"knnTemperature":0.1,"linearProbe":true,"linearProbeEpochs":5,"linearProbeLearningRate":0.001},"runtime":{"checkpointEveryEpochs":1,"device":"auto","precision":"auto","channelsLast":null,"threads":2,"seed":42}}	2026-12-06T22:31:50.5247084+00:00	2026-12-06T22:31:50.5606859+00:00	2026-12-06T22:31:51.0498225+00:00	\N	2	3.583376169204712	0.25	0.28125	8369.112743281825	\N	1	0	1	0	{"device":"cpu","deviceName":"CPU","precision":"bf16","channelsLast":true,"reason":"auto: the CPU (AVX-512 BF16) computes bf16 natively","summary":"CPU \\u00B7 bf16 \\u00B7 channels-last"}	\N	\N	\N	\N	vm-27906-ee32	2026-12-06T22:32:20.5606859+00:00	0
559caf2c394e	cancelled run	Cancelled	[]		{"version":2,"data":{"dataset":"synthetic","dataDir":null,"cacheDir":null,"download":true,"imageSize":16,"trainSubset":null,"testSubset":null,"syntheticTrainSize":96,"syntheticTestSize":32},"backbone":{"model":"tiny-cnn","width":1,"projectionHiddenDim":32,"projectionDim":16},"method":{"name":"simclr","temperature":0.5,"targetMomentum":0.99,"predictorHiddenDim":512,"queueSize":4096,"vicregInvarianceWeight":25,"vicregVarianceWeight":25,"vicregCovarianceWeight":1},"schedule":{"epochs":500,"batchSize":32,"warmupEpochs":0,"minLearningRate":0,"dropLastBatch":true},"optimizer":{"name":"adam","learningRate":0.001,"momentum":0.9,"weightDecay":1E-06,"larsEta":0.02},"views":{"cropScaleMin":0.08,"cropScaleMax":1,"cropRatioMin":0.75,"cropRatioMax":1.3333333333333333,"flipProbability":0.5,"brightness":0.4,"contrast":0.4,"saturation":0.4,"hue":0.1,"colorJitterProbability":0.8,"grayscaleProbability":0.2,"blurProbability":0,"blurSigmaMin":0.1,"blurSigmaMax":2,"solarizeProbability":0},"evaluation":{"knnEveryEpochs":1,"embeddingMapImages":300,"healthEverySteps":50,"knnK":10,"knnTemperature":0.1,"linearProbe":true,"linearProbeEpochs":5,"linearProbeLearningRate":0.001},"runtime":{"checkpointEveryEpochs":1,"device":"auto","precision":"auto","channelsLast":null,"threads":2,"seed":42}}	2026-12-06T22:31:51.5429412+00:00	\N	2026-12-06T22:31:51.7378159+00:00	\N	0	\N	\N	\N	\N	\N	0	0	4	0	\N	\N	\N	\N	\N	\N	\N	0
a1f9f28839cb	fixture sweep · seed 42	Completed	[]		{"version":2,"data":{"dataset":"synthetic","dataDir":null,"cacheDir":null,"download":true,"imageSize":16,"trainSubset":null,"testSubset":null,"syntheticTrainSize":96,"syntheticTestSize":32},"backbone":{"model":"tiny-cnn","width":1,"projectionHiddenDim":32,"projectionDim":16},"method":{"name":"simclr","temperature":0.5,"targetMomentum":0.99,"predictorHiddenDim":512,"queueSize":4096,"vicregInvarianceWeight":25,"vicregVarianceWeight":25,"vicregCovarianceWeight":1},"schedule":{"epochs":1,"batchSize":32,"warmupEpochs":0,"minLearningRate":0,"dropLastBatch":true},"optimizer":{"name":"adam","learningRate":null,"momentum":0.9,"weightDecay":1E-06,"larsEta":0.02},"views":{"cropScaleMin":0.08,"cropScaleMax":1,"cropRatioMin":0.75,"cropRatioMax":1.3333333333333333,"flipProbability":0.5,"brightness":0.4,"contrast":0.4,"saturation":0.4,"hue":0.1,"colorJitterProbability":0.8,"grayscaleProbability":0.2,"blurProbability":0,"blurSigmaMin":0.1,"blurSigmaMax":2,"solarizeProbability":0},"evaluation":{"knnEveryEpochs":1,"embeddingMapImages":300,"healthEverySteps":50,"knnK":10,"knnTemperature":0.1,"linearProbe":false,"linearProbeEpochs":100,"linearProbeLearningRate":0.001},"runtime":{"checkpointEveryEpochs":1,"device":"auto","precision":"auto","channelsLast":null,"threads":2,"seed":42}}	2026-12-06T22:31:51.5138961+00:00	2026-12-06T22:31:51.5165914+00:00	2026-12-06T22:31:51.6506487+00:00	\N	1	3.7509055137634277	0.28125	\N	6106.03511606237	\N	1	0	2	0	{"device":"cpu","deviceName":"CPU","precision":"bf16","channelsLast":true,"reason":"auto: the CPU (AVX-512 BF16) computes bf16 natively","summary":"CPU \\u00B7 bf16 \\u00B7 channels-last"}	\N	d8a356cb8da5	\N	\N	vm-27906-ee32	2026-12-06T22:32:21.5165914+00:00	0
ad93549403c7	cancelled run	Queued	[]		{"version":2,"data":{"dataset":"synthetic","dataDir":null,"cacheDir":null,"download":true,"imageSize":16,"trainSubset":null,"testSubset":null,"syntheticTrainSize":96,"syntheticTestSize":32},"backbone":{"model":"tiny-cnn","width":1,"projectionHiddenDim":32,"projectionDim":16},"method":{"name":"simclr","temperature":0.5,"targetMomentum":0.99,"predictorHiddenDim":512,"queueSize":4096,"vicregInvarianceWeight":25,"vicregVarianceWeight":25,"vicregCovarianceWeight":1},"schedule":{"epochs":500,"batchSize":32,"warmupEpochs":0,"minLearningRate":0,"dropLastBatch":true},"optimizer":{"name":"adam","learningRate":0.001,"momentum":0.9,"weightDecay":1E-06,"larsEta":0.02},"views":{"cropScaleMin":0.08,"cropScaleMax":1,"cropRatioMin":0.75,"cropRatioMax":1.3333333333333333,"flipProbability":0.5,"brightness":0.4,"contrast":0.4,"saturation":0.4,"hue":0.1,"colorJitterProbability":0.8,"grayscaleProbability":0.2,"blurProbability":0,"blurSigmaMin":0.1,"blurSigmaMax":2,"solarizeProbability":0},"evaluation":{"knnEveryEpochs":1,"embeddingMapImages":300,"healthEverySteps":50,"knnK":10,"knnTemperature":0.1,"linearProbe":true,"linearProbeEpochs":5,"linearProbeLearningRate":0.001},"runtime":{"checkpointEveryEpochs":1,"device":"auto","precision":"auto","channelsLast":null,"threads":2,"seed":42}}	2026-12-06T22:31:52.1240062+00:00	\N	\N	\N	0	\N	\N	\N	\N	\N	0	0	6	0	\N	\N	\N	\N	\N	\N	\N	0
bf55b3fe82bb	fixture sweep · seed 43	Completed	[]		{"version":2,"data":{"dataset":"synthetic","dataDir":null,"cacheDir":null,"download":true,"imageSize":16,"trainSubset":null,"testSubset":null,"syntheticTrainSize":96,"syntheticTestSize":32},"backbone":{"model":"tiny-cnn","width":1,"projectionHiddenDim":32,"projectionDim":16},"method":{"name":"simclr","temperature":0.5,"targetMomentum":0.99,"predictorHiddenDim":512,"queueSize":4096,"vicregInvarianceWeight":25,"vicregVarianceWeight":25,"vicregCovarianceWeight":1},"schedule":{"epochs":1,"batchSize":32,"warmupEpochs":0,"minLearningRate":0,"dropLastBatch":true},"optimizer":{"name":"adam","learningRate":null,"momentum":0.9,"weightDecay":1E-06,"larsEta":0.02},"views":{"cropScaleMin":0.08,"cropScaleMax":1,"cropRatioMin":0.75,"cropRatioMax":1.3333333333333333,"flipProbability":0.5,"brightness":0.4,"contrast":0.4,"saturation":0.4,"hue":0.1,"colorJitterProbability":0.8,"grayscaleProbability":0.2,"blurProbability":0,"blurSigmaMin":0.1,"blurSigmaMax":2,"solarizeProbability":0},"evaluation":{"knnEveryEpochs":1,"embeddingMapImages":300,"healthEverySteps":50,"knnK":10,"knnTemperature":0.1,"linearProbe":false,"linearProbeEpochs":100,"linearProbeLearningRate":0.001},"runtime":{"checkpointEveryEpochs":1,"device":"auto","precision":"auto","channelsLast":null,"threads":2,"seed":43}}	2026-12-06T22:31:51.5165222+00:00	2026-12-06T22:31:51.6538270+00:00	2026-12-06T22:31:51.8610287+00:00	\N	1	4.034918308258057	0.5	\N	2618.8686760118453	\N	1	0	3	0	{"device":"cpu","deviceName":"CPU","precision":"bf16","channelsLast":true,"reason":"auto: the CPU (AVX-512 BF16) computes bf16 natively","summary":"CPU \\u00B7 bf16 \\u00B7 channels-last"}	\N	d8a356cb8da5	\N	\N	vm-27906-ee32	2026-12-06T22:32:21.6538270+00:00	0
54d46ef73798	cancelled run	Running	[]		{"version":2,"data":{"dataset":"synthetic","dataDir":null,"cacheDir":null,"download":true,"imageSize":16,"trainSubset":null,"testSubset":null,"syntheticTrainSize":96,"syntheticTestSize":32},"backbone":{"model":"tiny-cnn","width":1,"projectionHiddenDim":32,"projectionDim":16},"method":{"name":"simclr","temperature":0.5,"targetMomentum":0.99,"predictorHiddenDim":512,"queueSize":4096,"vicregInvarianceWeight":25,"vicregVarianceWeight":25,"vicregCovarianceWeight":1},"schedule":{"epochs":500,"batchSize":32,"warmupEpochs":0,"minLearningRate":0,"dropLastBatch":true},"optimizer":{"name":"adam","learningRate":0.001,"momentum":0.9,"weightDecay":1E-06,"larsEta":0.02},"views":{"cropScaleMin":0.08,"cropScaleMax":1,"cropRatioMin":0.75,"cropRatioMax":1.3333333333333333,"flipProbability":0.5,"brightness":0.4,"contrast":0.4,"saturation":0.4,"hue":0.1,"colorJitterProbability":0.8,"grayscaleProbability":0.2,"blurProbability":0,"blurSigmaMin":0.1,"blurSigmaMax":2,"solarizeProbability":0},"evaluation":{"knnEveryEpochs":1,"embeddingMapImages":300,"healthEverySteps":50,"knnK":10,"knnTemperature":0.1,"linearProbe":true,"linearProbeEpochs":5,"linearProbeLearningRate":0.001},"runtime":{"checkpointEveryEpochs":1,"device":"auto","precision":"auto","channelsLast":null,"threads":2,"seed":42}}	2026-12-06T22:31:51.7622930+00:00	2026-12-06T22:31:51.8636982+00:00	\N	\N	22	3.3943586349487305	0.3125	\N	6287.145734073383	12.9754534	1	0	5	0	{"device":"cpu","deviceName":"CPU","precision":"bf16","channelsLast":true,"reason":"auto: the CPU (AVX-512 BF16) computes bf16 natively","summary":"CPU \\u00B7 bf16 \\u00B7 channels-last"}	[{"code":"knn-plateau","message":"kNN accuracy has not improved for three evaluations (best 25.00 %): more epochs of this schedule add little.","epoch":3,"globalStep":12,"time":"2026-12-06T22:31:52.2414883+00:00"},{"code":"throughput-stall","message":"The last epoch trained at 1640 images/s, under half the 11563 of earlier epochs: something else is using the machine, or memory is swapping.","epoch":10,"globalStep":33,"time":"2026-12-06T22:31:52.6721676+00:00"}]	\N	\N	\N	vm-27906-ee32	2026-12-06T22:32:21.8636982+00:00	0
\.


--
-- Data for Name: sweeps; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.sweeps (id, name, kind, axes, created_at) FROM stdin;
d8a356cb8da5	fixture sweep	seeds	[{"setting":"seed","values":["42","43"]}]	2026-12-06T22:31:51.5101904+00:00
\.


--
-- Name: metrics metrics_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.metrics
    ADD CONSTRAINT metrics_pkey PRIMARY KEY (run_id, seq);


--
-- Name: runs runs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_pkey PRIMARY KEY (id);


--
-- Name: sweeps sweeps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sweeps
    ADD CONSTRAINT sweeps_pkey PRIMARY KEY (id);


--
-- Name: metrics metrics_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.metrics
    ADD CONSTRAINT metrics_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.runs(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict SSUrqdvjW7syEuYhwcBgAgOnWw37O3gaHgfCjpeUIBS3D2WblBz2KtlgVTve5wd


using System.Globalization;
using System.Text;
using AspireSimClr.Engine.Search;
using Npgsql;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// A run's index vectors in the shared PostgreSQL run database, searched by the pgvector extension (exact cosine distance,
/// no approximate index), so every trainer sharing the database answers from the same vectors. A run's rows go with it.
/// </summary>
public sealed class PgVectorSearch(NpgsqlDataSource source)
{
    private const string Table = "search_vectors";

    /// <summary>Enables the extension and the table; the reason pgvector cannot be used, or null when it can.</summary>
    public async Task<string?> PrepareAsync(CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await using (var available = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')", connection))
            if (await available.ExecuteScalarAsync(ct) is not true)
                return "the PostgreSQL server has no pgvector extension ('vector' is not among its available extensions)";
        try
        {
            await using var create = new NpgsqlCommand(
                $"""
                CREATE EXTENSION IF NOT EXISTS vector;
                CREATE TABLE IF NOT EXISTS {Table} (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, entry INTEGER NOT NULL, embedding vector NOT NULL,
                    PRIMARY KEY (run_id, entry));
                """, connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        // Two trainers creating the extension at once: one of them wins, which is all that is needed.
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation) { }
        catch (PostgresException ex)
        {
            return $"the PostgreSQL server has pgvector but it cannot be enabled here: {ex.MessageText}";
        }
        return null;
    }

    /// <summary>Replaces the run's vectors with the index's, in one transaction.</summary>
    public async Task StoreAsync(string runId, EmbeddingIndex index, CancellationToken ct)
    {
        var rows = Engine.Runtime.HostArrays.ToArray<float>(index.Vectors);
        await using var connection = await source.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var delete = new NpgsqlCommand($"DELETE FROM {Table} WHERE run_id = @run", connection, transaction))
        {
            delete.Parameters.AddWithValue("run", runId);
            await delete.ExecuteNonQueryAsync(ct);
        }
        await using (var writer = await connection.BeginTextImportAsync($"COPY {Table} (run_id, entry, embedding) FROM STDIN", ct))
        {
            var line = new StringBuilder();
            for (int entry = 0; entry < index.Count; entry++)
            {
                ct.ThrowIfCancellationRequested();
                line.Clear().Append(runId).Append('\t').Append(entry).Append('\t');
                AppendVector(line, rows.AsSpan(entry * index.Dimensions, index.Dimensions));
                await writer.WriteLineAsync(line.ToString());
            }
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>The k stored entries of the run closest to <paramref name="query"/> (a unit vector) by cosine, best first.</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string runId, float[] query, int k, int? exclude, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"SELECT entry, 1 - (embedding <=> @query::vector) FROM {Table} WHERE run_id = @run AND entry <> @exclude ORDER BY embedding <=> @query::vector LIMIT @k",
            connection);
        command.Parameters.AddWithValue("query", AppendVector(new StringBuilder(), query).ToString());
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("exclude", exclude ?? -1);
        command.Parameters.AddWithValue("k", k);
        var hits = new List<SearchHit>(k);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) hits.Add(new SearchHit(reader.GetInt32(0), (float)reader.GetDouble(1)));
        return hits;
    }

    /// <summary>How many vectors of the run the database holds.</summary>
    public async Task<long> CountAsync(string runId, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {Table} WHERE run_id = @run", connection);
        command.Parameters.AddWithValue("run", runId);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static StringBuilder AppendVector(StringBuilder text, ReadOnlySpan<float> values)
    {
        text.Append('[');
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(values[i].ToString("R", CultureInfo.InvariantCulture));
        }
        return text.Append(']');
    }
}

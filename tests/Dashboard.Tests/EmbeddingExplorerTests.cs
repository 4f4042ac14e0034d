using System.Net;
using AspireSimClr.Dashboard.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace AspireSimClr.Dashboard.Tests;

public class EmbeddingExplorerTests : MudTestContext
{
    private readonly StubTrainer _trainer = new();

    public EmbeddingExplorerTests() => Services.AddSingleton(_trainer.Client());

    private static readonly EmbeddingSample Labelled = new(4, 8, 2, ["cat", "dog"], [0, 0, 1, 1], "test split");

    private static EmbeddingMap Map(int epoch, double shift = 0) => new(epoch, [0.6, 0.2],
        [0 + shift, 0.1 + shift, 1, 1.1], [0, 0.1, 1, 0.9],
        [[1, 2], [0, 3], [3, 1], [2, 0]], [[0.99, 0.2], [0.99, 0.3], [0.98, 0.1], [0.98, 0.05]]);

    private void Answer(EmbeddingSample? sample, params int[] epochs) => _trainer.Respond = (request, _) =>
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path.EndsWith("/embeddings")) return StubTrainer.Json(HttpStatusCode.OK, new EmbeddingMapIndex(sample, epochs));
        int epoch = int.Parse(path[(path.LastIndexOf('/') + 1)..]);
        return StubTrainer.Json(HttpStatusCode.OK, Map(epoch, shift: epoch));
    };

    [Fact]
    public void ShowsTheNewestMapAndAClickedImagesNeighbours()
    {
        Answer(Labelled, 1, 2);
        var explorer = Render<EmbeddingExplorer>(p => p.Add(e => e.RunId, "r1").Add(e => e.MappedEpochs, [0, 1]));

        explorer.WaitForAssertion(() => Assert.Equal(4, explorer.FindAll("g.embedding-point").Count));
        Assert.Equal("2", explorer.Find("#embedding-epoch-label").TextContent);
        Assert.Equal(["cat", "cat", "dog", "dog"], explorer.FindAll("g.embedding-point").Select(g => g.GetAttribute("data-class")));
        Assert.Contains("/download/r1/embedding-sample.png", explorer.Find("g.embedding-point image").GetAttribute("href"));
        Assert.Equal(2, explorer.FindAll(".embedding-legend .legend-item").Count);

        explorer.Find("g.embedding-point[data-index='0']").Click();
        var neighbours = explorer.FindAll("#embedding-selection .embedding-neighbour[data-index]");
        Assert.Equal(["1", "2"], neighbours.Select(n => n.GetAttribute("data-index")));
        Assert.Contains("0.990", neighbours[0].TextContent);
        Assert.Contains("same-class", neighbours[0].ClassList);
        Assert.DoesNotContain("same-class", neighbours[1].ClassList);
        Assert.Contains("1 of 2 neighbours share its class", explorer.Find("#embedding-agreement").TextContent);
        Assert.Equal("selected", explorer.Find("g.embedding-point[data-index='0']").ClassList.Last());
        Assert.Contains("neighbour", explorer.Find("g.embedding-point[data-index='2']").ClassList);

        // A neighbour's row selects it in turn.
        neighbours[1].Click();
        Assert.Equal(["3", "1"], explorer.FindAll("#embedding-selection .embedding-neighbour[data-index]").Select(n => n.GetAttribute("data-index")));
    }

    [Fact]
    public void ANewMapInTheStreamIsFollowedAndDotsCanReplaceThumbnails()
    {
        Answer(Labelled, 1);
        var explorer = Render<EmbeddingExplorer>(p => p.Add(e => e.RunId, "r1").Add(e => e.MappedEpochs, [0]));
        explorer.WaitForAssertion(() => Assert.Equal("1", explorer.Find("#embedding-epoch-label").TextContent));

        Answer(Labelled, 1, 2);
        explorer.Render(p => p.Add(e => e.MappedEpochs, [0, 1]));
        explorer.WaitForAssertion(() => Assert.Equal("2", explorer.Find("#embedding-epoch-label").TextContent));
        Assert.Contains(_trainer.Requests, r => r.Path == "/api/runs/r1/embeddings/2");

        explorer.Find("input#embedding-thumbnails, #embedding-thumbnails input").Change(false);
        Assert.Equal(4, explorer.FindAll("g.embedding-point circle").Count);
        Assert.Empty(explorer.FindAll("g.embedding-point image"));
    }

    [Fact]
    public void UnlabelledImagesAreGreyWithoutALegend()
    {
        Answer(Labelled with { Labels = null, ClassNames = [] }, 1);
        var explorer = Render<EmbeddingExplorer>(p => p.Add(e => e.RunId, "r1").Add(e => e.MappedEpochs, [0]));
        explorer.WaitForAssertion(() => Assert.Equal(4, explorer.FindAll("g.embedding-point").Count));
        Assert.All(explorer.FindAll("g.embedding-point rect"), r => Assert.Equal("#607d8b", r.GetAttribute("stroke")));
        Assert.Empty(explorer.FindAll(".embedding-legend"));
        explorer.Find("g.embedding-point[data-index='3']").Click();
        Assert.Empty(explorer.FindAll("#embedding-agreement"));
    }

    [Fact]
    public void SaysHowMapsAreMadeWhenThereIsNone()
    {
        Answer(null);
        var explorer = Render<EmbeddingExplorer>(p => p.Add(e => e.RunId, "r1").Add(e => e.HasCheckpoint, true));
        explorer.WaitForAssertion(() => Assert.Contains("No map yet", explorer.Find("#embedding-empty").TextContent));
        Assert.NotNull(explorer.Find("#embedding-map-checkpoint"));
    }
}

namespace Pipelines.Tuning.Tests.Samplers;

public class GridSamplerTests
{
    [Test]
    public async Task Every_grid_point_is_tried_once_and_then_the_study_stops()
    {
        var grid = new GridSampler(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["lr"] = new object?[] { 0.1, 0.01 },
            ["rank"] = new object?[] { 4, 8, 16 },
        });
        var study = Study.Create("grid", sampler: grid);
        await study.OptimizeAsync(t => t.SuggestFloat("lr", 0.001, 1, log: true) * t.SuggestCategorical("rank", new[] { 4, 8, 16 }), nTrials: 100);

        var seen = study.Trials.Select(t => ((double)t.Params["lr"]!, (long)t.Params["rank"]!)).ToList();
        Assert.That(seen, Has.Count.EqualTo(6));
        Assert.That(seen, Is.Unique);
        Assert.That(seen[0], Is.EqualTo((0.1, 4L)));
        Assert.That(seen[1], Is.EqualTo((0.1, 8L)));
    }

    [Test]
    public void A_grid_value_outside_the_suggested_range_is_a_clear_error()
    {
        var grid = new GridSampler(new Dictionary<string, IReadOnlyList<object?>> { ["x"] = new object?[] { 5.0 } });
        var study = Study.Create("grid", sampler: grid);
        var trial = study.Ask();
        var ex = Assert.Throws<ArgumentException>(() => trial.SuggestFloat("x", 0, 1));
        Assert.That(ex!.Message, Does.Contain("'x'"));
    }
}

using System.Text.Json.Nodes;

namespace Pipelines.Tuning.Tests.Distributions;

public class SearchSpaceTests
{
    [Test]
    public void A_yaml_style_map_becomes_float_int_and_categorical_distributions()
    {
        var json = JsonNode.Parse("""
            {
              "lr": {"float": [1e-5, 1e-2], "log": true},
              "rank": {"categorical": [4, 8, 16]},
              "layers": {"int": [1, 4]},
              "dropout": {"float": [0.0, 0.5], "step": 0.1},
              "act": {"categorical": ["relu", "gelu"]}
            }
            """)!.AsObject();

        var space = SearchSpace.Parse(json);

        Assert.That(space.Keys, Is.EqualTo(new[] { "act", "dropout", "layers", "lr", "rank" }));
        Assert.That(space["lr"], Is.EqualTo(new FloatDistribution(1e-5, 1e-2, log: true)));
        Assert.That(space["layers"], Is.EqualTo(new IntDistribution(1, 4)));
        Assert.That(space["dropout"], Is.EqualTo(new FloatDistribution(0, 0.5, step: 0.1)));
        Assert.That(((CategoricalDistribution)space["rank"]).Choices, Is.EqualTo(new object[] { 4L, 8L, 16L }));
        Assert.That(((CategoricalDistribution)space["act"]).Choices, Is.EqualTo(new object[] { "relu", "gelu" }));
    }

    [Test]
    public void A_map_built_in_code_parses_like_a_parsed_one()
    {
        var json = new JsonObject
        {
            ["lr"] = new JsonObject { ["float"] = new JsonArray(1e-5, 1e-2), ["log"] = true },
            ["rank"] = new JsonObject { ["categorical"] = new JsonArray(4, 8, 16) },
            ["scale"] = new JsonObject { ["categorical"] = new JsonArray(0.5, 1.0) },
            ["layers"] = new JsonObject { ["int"] = new JsonArray(1, 4), ["step"] = 1 },
        };

        var space = SearchSpace.Parse(json);

        Assert.That(space["lr"], Is.EqualTo(new FloatDistribution(1e-5, 1e-2, log: true)));
        Assert.That(((CategoricalDistribution)space["rank"]).Choices, Is.EqualTo(new object[] { 4L, 8L, 16L }));
        Assert.That(((CategoricalDistribution)space["scale"]).Choices, Is.EqualTo(new object[] { 0.5, 1.0 }));
        Assert.That(space["layers"], Is.EqualTo(new IntDistribution(1, 4)));
    }

    [TestCase("""{"lr": {"float": [0.1, 0.01]}}""", "search_space.lr", "low must be less than or equal to high")]
    [TestCase("""{"lr": {"float": [0, 0.01], "log": true}}""", "search_space.lr", "greater than 0 for a log distribution")]
    [TestCase("""{"n": {"int": [0, 10], "log": true}}""", "search_space.n", "at least 1 for a log distribution")]
    [TestCase("""{"rank": {"categorical": []}}""", "search_space.rank", "at least one value")]
    [TestCase("""{"x": {"float": [1]}}""", "search_space.x", "expected [low, high]")]
    [TestCase("""{"x": {"float": [0, 1], "int": [0, 1]}}""", "search_space.x", "only one of")]
    [TestCase("""{"x": {"uniform": [0, 1]}}""", "search_space.x", "unknown key 'uniform'")]
    [TestCase("""{"x": {"int": [0.5, 3]}}""", "search_space.x", "expected an integer")]
    [TestCase("""{"x": 3}""", "search_space.x", "expected a map")]
    [TestCase("""{}""", "search_space", "at least one parameter")]
    public void A_bad_search_space_is_rejected_with_the_parameter_and_the_problem(string json, string where, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => SearchSpace.Parse(JsonNode.Parse(json)!.AsObject()));
        Assert.That(ex!.Message, Does.StartWith(where));
        Assert.That(ex.Message, Does.Contain(problem));
    }

    [Test]
    public void Suggesting_a_whole_space_gives_values_inside_each_distribution()
    {
        var space = SearchSpace.Parse(JsonNode.Parse("""{"lr": {"float": [1e-5, 1e-2], "log": true}, "rank": {"categorical": [4, 8, 16]}, "layers": {"int": [1, 4]}}""")!.AsObject());
        var study = Study.Create("s", sampler: new RandomSampler(1));
        for (int i = 0; i < 20; i++)
        {
            var trial = study.Ask();
            var values = space.SuggestAll(trial);
            Assert.That((double)values["lr"]!, Is.InRange(1e-5, 1e-2));
            Assert.That(new[] { 4L, 8L, 16L }, Does.Contain((long)values["rank"]!));
            Assert.That((long)values["layers"]!, Is.InRange(1L, 4L));
            study.Tell(trial, 0.0);
        }
    }

    [Test]
    public void The_json_form_of_a_space_parses_back_to_the_same_distributions()
    {
        var space = new SearchSpace(new Dictionary<string, Distribution>
        {
            ["a"] = new FloatDistribution(0.5, 2, step: 0.5),
            ["b"] = new CategoricalDistribution(new object?[] { 1.0, 2L, "x", null, true }),
            ["c"] = new IntDistribution(2, 64, log: true),
        });
        foreach (var (name, dist) in space)
        {
            Assert.That(Distribution.FromJson(dist.ToJson()), Is.EqualTo(dist), name);
        }
    }
}

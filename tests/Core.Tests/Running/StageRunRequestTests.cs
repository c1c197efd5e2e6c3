using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core.Running;

namespace Pipelines.Core.Tests.Running;

/// <summary>What the fingerprint of a <see cref="StageRunRequest"/> covers.</summary>
public class StageRunRequestTests
{
    private static StageRunRequest Request(string options, params string[] outside) => new()
    {
        StageId = "search",
        Kind = "tune",
        Version = "2",
        Options = JsonNode.Parse(options)!.AsObject(),
        Seed = 3,
        Inputs = new Dictionary<string, RequestInput>(),
        Outputs = ["study"],
        Libraries = new Dictionary<string, string>(),
        OptionsOutsideFingerprint = outside,
    };

    [Test]
    public void An_option_outside_the_fingerprint_changes_no_fingerprint_and_stays_in_the_options()
    {
        var here = Request("""{"n_trials": 4, "storage": "postgresql://a/db"}""", "storage");
        var there = Request("""{"n_trials": 4, "storage": "postgresql://b/db"}""", "storage");

        Assert.That(there.Fingerprint(), Is.EqualTo(here.Fingerprint()));
        Assert.That(Request("""{"n_trials": 4}""", "storage").Fingerprint(), Is.EqualTo(here.Fingerprint()), "as if the option were not set");
        Assert.That(Request("""{"n_trials": 5, "storage": "postgresql://a/db"}""", "storage").Fingerprint(), Is.Not.EqualTo(here.Fingerprint()));
        Assert.That(Request("""{"n_trials": 4, "storage": "postgresql://b/db"}""").Fingerprint(), Is.Not.EqualTo(here.Fingerprint()), "other options are all covered");
        Assert.That(here.Options["storage"]!.GetValue<string>(), Is.EqualTo("postgresql://a/db"), "the executor still gets it");
    }
}

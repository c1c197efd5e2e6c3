using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Pipelines.Cli.Tests;

/// <summary>The shipped examples run end to end on shipped data (with small budgets set from the command line, as a user may).</summary>
[NonParallelizable]
public class ExamplePipelineTests
{
    private static string CopyExample(string pipeline)
    {
        string root = CliProcess.CopyQuickstart();
        File.Copy(Path.Combine(CliProcess.RepoRoot, "pipelines", pipeline), Path.Combine(root, "pipelines", pipeline));
        return root;
    }

    /// <summary>The main pipeline with a small search and training budget (also used by <see cref="ReproducibilityTests"/>).</summary>
    internal static readonly string[] FinetuneQuickVariant = ["--set", "size.trials=2", "--set", "size.trial_steps=2", "--set", "size.steps=2",
        "--set", "size.validation_share=0.02", "--set", "size.validation_rest=0.98", "--set", "size.eval_share=0.02", "--set", "size.eval_rest=0.98",
        "--set", "size.probe_rows=48", "--set", "pretrain.max_steps=10", "--set", "train_scratch.max_steps=4"];

    /// <summary>The synthetic example with a short TVAE fit.</summary>
    internal static readonly string[] SyntheticQuickVariant = ["--set", "tvae.tvae.epochs=2"];

    private static JsonArray Stages(string root) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(root, ".pipelines/runs/latest.json")))!["stages"]!.AsArray();

    [Test]
    public void The_finetune_pipeline_runs_from_raw_data_to_an_evaluated_adapter_and_then_restores_everything()
    {
        string root = CopyExample("finetune.yaml");
        try
        {
            var (code, stdout, stderr) = CliProcess.Run(root, ["run", "pipelines/finetune.yaml", .. FinetuneQuickVariant]);
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
            var stages = Stages(root);
            Assert.That(stages.Select(s => s!["status"]!.GetValue<string>()), Is.All.EqualTo("ran"));
            Assert.That(stages.Count, Is.EqualTo(20));
            var best = JsonNode.Parse(File.ReadAllText(Path.Combine(root, ".pipelines/out/finetune/tune/best_params.json")))!;
            Assert.That(best["params"]!["lora.r"]!.GetValue<int>(), Is.AnyOf(4, 8, 16));
            Assert.That(File.Exists(Path.Combine(root, ".pipelines/out/finetune/train/adapter/adapter_config.json")), Is.True);
            var report = JsonNode.Parse(File.ReadAllText(Path.Combine(root, ".pipelines/out/finetune/eval/report/report.json")))!;
            foreach (var model in new[] { "adapter", "linear_probe", "compare" })
            {
                Assert.That(report[model]!["accuracy"]!.GetValue<double>(), Is.InRange(0.0, 1.0), model);
                Assert.That(report[model]!["groups"]!.AsArray().Select(g => g!["column"]!.GetValue<string>()), Is.EqualTo(new[] { "race", "sex" }), model);
            }
            Assert.That(File.ReadAllText(Path.Combine(root, ".pipelines/report.html")), Does.Contain("<h1>Run of &#39;finetune&#39; — succeeded</h1>"));
            StageBehaviour.Check(root, "finetune");

            // The card names the packaged base by its Hub id and licence, and finds the search through train's with_from.
            (code, stdout, stderr) = CliProcess.Run(root, ["card"]);
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
            string readme = File.ReadAllText(Path.Combine(root, ".pipelines/cards/finetune/train/README.md"));
            Assert.That(readme, Does.Contain("license: \"apache-2.0\"\nbase_model: \"sentence-transformers/all-MiniLM-L6-v2\"\nlibrary_name: peft\n"));
            Assert.That(File.ReadAllText(Path.Combine(root, ".pipelines/cards/finetune/train/data_card.md")), Does.Contain("## Hyperparameter search"));

            (code, stdout, stderr) = CliProcess.Run(root, ["run", "pipelines/finetune.yaml", .. FinetuneQuickVariant]);
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
            Assert.That(Stages(root).Select(s => s!["status"]!.GetValue<string>()), Is.All.EqualTo("cached"));

            // Issue 15 part 4 on the main pipeline: A pushes to a directory remote; a fresh clone B (pipeline, data, lock,
            // config; no .pipelines) pulls and runs: no stage runs and B's lock is A's, byte for byte.
            string remote = Path.Combine(Path.GetTempPath(), "pipelines-main-remote", Guid.NewGuid().ToString("N"));
            string clone = CopyExample("finetune.yaml");
            try
            {
                string config = $"remotes:\n  team:\n    url: {remote}\n";
                File.WriteAllText(Path.Combine(root, "pipelines.config.yaml"), config);
                File.WriteAllText(Path.Combine(clone, "pipelines.config.yaml"), config);
                (code, stdout, stderr) = CliProcess.Run(root, ["push"]);
                Assert.That(code, Is.EqualTo(0), stdout + stderr);
                File.Copy(Path.Combine(root, "pipelines.lock"), Path.Combine(clone, "pipelines.lock"));
                (code, stdout, stderr) = CliProcess.Run(clone, ["pull"]);
                Assert.That(code, Is.EqualTo(0), stdout + stderr);
                (code, stdout, stderr) = CliProcess.Run(clone, ["run", "pipelines/finetune.yaml", "--no-color", .. FinetuneQuickVariant]);
                Assert.That(code, Is.EqualTo(0), stdout + stderr);
                Assert.That(stdout, Does.Contain("succeeded: 0 ran, 20 restored from cache"));
                Assert.That(File.ReadAllBytes(Path.Combine(clone, "pipelines.lock")), Is.EqualTo(File.ReadAllBytes(Path.Combine(root, "pipelines.lock"))));
            }
            finally
            {
                Directory.Delete(clone, true);
                if (Directory.Exists(remote)) Directory.Delete(remote, true);
            }
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Test]
    public void The_synthetic_pipeline_generates_with_the_copula_and_the_onnx_decoder()
    {
        string root = CopyExample("synthetic.yaml");
        try
        {
            var (code, stdout, stderr) = CliProcess.Run(root, ["run", "pipelines/synthetic.yaml", .. SyntheticQuickVariant]);
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
            Assert.That(File.Exists(Path.Combine(root, ".pipelines/out/synthetic/tvae/model/decoder.onnx")), Is.True);
            Assert.That(File.ReadAllText(Path.Combine(root, ".pipelines/out/synthetic/copula/report/report.json")), Does.Contain("quality"));
            var network = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, ".pipelines/out/synthetic/network/report/report.json")))!;
            Assert.That((double)network["quality"]!["thresholded_pair_trends_score"]!, Is.GreaterThan(0.95), "the network keeps the related pairs");
            Assert.That(network["rules"]!.AsArray().Select(r => (double)r!["synthetic_share"]!), Is.All.EqualTo(1.0));
            StageBehaviour.Check(root, "synthetic");
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}

using System.Text.Json.Nodes;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tables;
using Pipelines.Stages.Tests.TestData;

namespace Pipelines.Stages.Tests.Dedup;

public class CurationPipelineTests
{
    private const string Yaml = """
        name: curation
        seed: 7
        stages:
          ingest:
            uses: ingest
            inputs: { source: adult.csv }
            with:
              header: false
              trim: true
              na_values: ["?", ""]
              columns: [age, workclass, fnlwgt, education, education_num, marital_status, occupation,
                        relationship, race, sex, capital_gain, capital_loss, hours_per_week, native_country, income]
          dedup:
            uses: dedup
            inputs: { table: ingest.table }
            with:
              mode: exact
              columns: [age, workclass, fnlwgt, education, education_num, marital_status, occupation,
                        relationship, race, sex, capital_gain, capital_loss, hours_per_week, native_country, income]
          bias:
            uses: bias
            inputs: { table: dedup.table }
            with:
              label: income
              positive_label: ">50K"
              sensitive: [sex, race, age]
              bins: { age: [30, 50] }
              thresholds: { disparate_impact_min: 0.8 }
              on_violation: warn
        """;

    [Test]
    public async Task A_yaml_pipeline_ingests_deduplicates_and_checks_bias_then_restores_from_cache()
    {
        string root = Path.Combine(Path.GetTempPath(), "curation-pipeline-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            // The slice plus three copies: one verbatim, one upper-cased (equal after case folding), one verbatim.
            var lines = File.ReadAllLines(TestTables.PathOf("adult_2000.csv"));
            File.WriteAllLines(Path.Combine(root, "adult.csv"), lines.Append(lines[0]).Append(lines[5].ToUpperInvariant()).Append(lines[10]));
            string file = Path.Combine(root, "pipeline.yaml");
            await File.WriteAllTextAsync(file, Yaml);
            var registry = new StageRegistry().AddRange(StagesCatalog.All());
            var runner = new PipelineRunner(new Workspace(root), registry);

            var first = await runner.RunAsync(YamlPipelineLoader.Load(file));
            Assert.That(first.Succeeded, Is.True, string.Join("; ", first.Stages.Select(s => s.Error)));
            var dedup = first.Stages.Single(s => s.Id == "dedup");
            var kept = await ParquetTableReader.ReadFileAsync(Path.Combine(root, dedup.OutputPaths["table"]));

            // Independent count: distinct lowered lines of the file.
            int distinct = File.ReadAllLines(Path.Combine(root, "adult.csv")).Select(l => l.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Count();
            Assert.That(distinct, Is.EqualTo(2000));
            Assert.That(kept.RowCount, Is.EqualTo(distinct));
            Assert.That(kept.Column<long>("fnlwgt").Take(3), Is.EqualTo(new long?[] { 77516, 83311, 215646 }));
            var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, first.Stages.Single(s => s.Id == "bias").OutputPaths["report"], "report.json")))!;
            Assert.That(report["violations"]!.AsArray().Any(v => (string)v!["attribute"]! == "sex"), Is.True);

            var second = await runner.RunAsync(YamlPipelineLoader.Load(file));
            Assert.That(second.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Cached));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }
}

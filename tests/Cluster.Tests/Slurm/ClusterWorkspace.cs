using System.Globalization;
using System.Text;
using Pipelines.Cli;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Slurm;

namespace Pipelines.Cluster.Tests.Slurm;

/// <summary>A temp workspace holding one pipeline and its generated data, run locally or on the local cluster.</summary>
public sealed class ClusterWorkspace : IDisposable
{
    /// <summary>
    /// A two-branch pipeline: one ingest, then two independent near-dedups (about a second or two each on one core),
    /// one of them with resources for sbatch.
    /// </summary>
    public const string TwoBranches = """
        name: branches
        seed: 7
        stages:
          rows:
            uses: ingest
            inputs: {source: data/text.csv}
          left:
            uses: dedup
            inputs: {table: rows.table}
            with: {mode: near, columns: [text], num_perm: 512, max_degree_of_parallelism: 1}
            resources: {cpus: 1, mem: 500M, time: "10"}
          right:
            uses: dedup
            inputs: {table: rows.table}
            with: {mode: near, columns: [text], num_perm: 520, max_degree_of_parallelism: 1}
        """;

    /// <summary>One slow stage (a few seconds on one core) behind an ingest: time to act on its job while it runs.</summary>
    public const string OneSlowStage = """
        name: slow
        seed: 7
        stages:
          rows:
            uses: ingest
            inputs: {source: data/slow.csv}
          slow:
            uses: dedup
            inputs: {table: rows.table}
            with: {mode: near, columns: [text], num_perm: 1024, max_degree_of_parallelism: 1}
        """;

    /// <summary>A stage whose CSV has a short row: it fails on the node.</summary>
    public const string FailingStage = """
        name: failing
        stages:
          bad:
            uses: ingest
            inputs: {source: data/bad.csv}
        """;

    /// <summary>A search whose trials (nested runs of <c>train</c>) are jobs while the search itself stays on the driver.</summary>
    public const string TinySearch = """
        name: tiny
        stages:
          ingest:
            uses: ingest
            inputs: {source: mails.jsonl}
          split:
            uses: split
            inputs: {table: ingest.table}
            with: {train: 0.7, validation: 0.3, test: 0.0, stratify_by: label}
          pretrain:
            uses: pretrain
            inputs: {corpus: split.train}
            with: {vocab_size: 300, n_embd: 16, n_layer: 1, n_head: 2, n_positions: 32, max_steps: 4, batch_size: 8, warmup_steps: 1, validation_fraction: 0.1}
          tune:
            uses: tune
            inputs: {train: split.train, validation: split.validation, base_model: pretrain.model}
            with:
              objective: train
              metric: val_loss
              direction: minimize
              n_trials: 2
              fixed: {task: classification, max_length: 32, batch_size: 8, max_steps: 2, eval_every: 2}
              search_space:
                learning_rate: {float: [1.0e-3, 1.0e-2], log: true}
        """;

    private static readonly Lazy<string> Text = new(() => GenerateText(40_000));

    // Twice the rows for the one slow stage: on a quiet machine its job must still be running while a test acts on it.
    private static readonly Lazy<string> SlowText = new(() => GenerateText(80_000));

    public ClusterWorkspace(string pipeline)
    {
        Root = Path.Combine(Path.GetTempPath(), "pipelines-ws-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        File.WriteAllText(Path.Combine(Root, "data", "text.csv"), Text.Value);
        File.WriteAllText(Path.Combine(Root, "data", "slow.csv"), SlowText.Value);
        File.WriteAllText(Path.Combine(Root, "data", "bad.csv"), "a,b\n1,2\n3\n");
        PipelineFile = Path.Combine(Root, "pipeline.yaml");
        File.WriteAllText(PipelineFile, pipeline);
        Workspace = new Workspace(Root);
    }

    public string Root { get; }

    /// <summary>Writes a data file beside the pipeline.</summary>
    public void AddFile(string name, IEnumerable<string> lines) => File.WriteAllLines(Path.Combine(Root, name), lines);

    public string PipelineFile { get; }

    public Workspace Workspace { get; }

    public string LockText => File.ReadAllText(Workspace.LockFilePath);

    /// <summary>The sbatch calls made in this workspace: one line each (time, job id, fingerprint, stage).</summary>
    public IReadOnlyList<string> Submissions
    {
        get
        {
            string log = SlurmJobFiles.SubmissionLogOf(Workspace);
            return File.Exists(log) ? File.ReadAllLines(log) : [];
        }
    }

    public SlurmJobFiles JobFiles(string fingerprint) => new(Workspace, fingerprint);

    public Task<RunResult> RunLocalAsync() => new PipelineRunner(Workspace, StageCatalog.CreateRegistry()).RunAsync(Definition());

    public Task<RunResult> RunSlurmAsync(CancellationToken cancellationToken = default, IRunObserver? observer = null, RunOptions? options = null)
    {
        var registry = StageCatalog.CreateRegistry();
        var driver = new LocalStageExecutor(registry, new ArtifactCache(new LocalArtifactStore(Workspace.StateDirectory)), Workspace.TempDirectory);
        var executor = new SlurmStageExecutor(Workspace, registry, driver, LocalCluster.Options());
        return new PipelineRunner(Workspace, registry, executor: executor).RunAsync(Definition(), options ?? new RunOptions { Jobs = 2 }, observer, cancellationToken);
    }

    /// <summary>The job id the executor recorded for a stage's fingerprint, once it has submitted it.</summary>
    public string? JobIdOf(string fingerprint) =>
        File.Exists(JobFiles(fingerprint).JobId) ? File.ReadAllText(JobFiles(fingerprint).JobId).Trim() : null;

    /// <summary>The job id of the only job in the workspace, once submitted.</summary>
    public string? OnlyJobId(string fingerprintOf = "")
    {
        string root = SlurmJobFiles.RootOf(Workspace);
        if (!Directory.Exists(root)) return null;
        foreach (var directory in Directory.GetDirectories(root))
        {
            string job = Path.Combine(directory, "job");
            if (File.Exists(job) && Path.GetFileName(directory).StartsWith(fingerprintOf, StringComparison.Ordinal)) return File.ReadAllText(job).Trim();
        }
        return null;
    }

    public PipelineDefinition Definition() => YamlPipelineLoader.Load(PipelineFile);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Rows of 20 words from a small vocabulary: near-dedup has real work (many shingles, few duplicates).</summary>
    private static string GenerateText(int rows)
    {
        string[] words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "lambda", "theta", "zeta", "eta", "iota", "rho", "tau", "phi", "chi", "psi"];
        var random = new Random(1);
        var text = new StringBuilder("id,text\n");
        for (int i = 0; i < rows; i++)
        {
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',');
            for (int w = 0; w < 20; w++) text.Append(w == 0 ? "" : " ").Append(words[random.Next(words.Length)]);
            text.Append('\n');
        }
        return text.ToString();
    }
}

using System.CommandLine;
using System.Text.RegularExpressions;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Running;
using Pipelines.Core.Slurm;

namespace Pipelines.Cli.Commands;

/// <summary><c>run</c>'s <c>--executor local|slurm</c>, <c>--partition</c> and <c>--slurm-opt K=V</c>, and the runner they give.</summary>
internal sealed partial class ExecutorChoice
{
    private static readonly string[] Executors = ["local", "slurm"];

    public Option<string> Executor { get; } = new("--executor")
    {
        Description = "Where stale stages compute: local (this process, the default) or slurm (one batch job per stage; docs/slurm.md).",
        DefaultValueFactory = _ => "local",
    };

    public Option<string?> Partition { get; } = new("--partition") { Description = "Slurm partition for the jobs (--executor slurm)." };

    public Option<string[]> SlurmOptions { get; } = new("--slurm-opt")
    {
        Description = "A further sbatch option as K=V (or K for a flag), e.g. --slurm-opt account=ml. Repeatable; --executor slurm.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The runner the options ask for; a bad value is the user's to fix (exit 2).</summary>
    public PipelineRunner CreateRunner(ParseResult parse, Workspace workspace, Action<string>? readThroughWarnings)
    {
        string executor = parse.GetValue(Executor) ?? "local";
        string? partition = parse.GetValue(Partition);
        var extra = parse.GetValue(SlurmOptions) ?? [];
        if (!Executors.Contains(executor))
            throw new UserInputException($"--executor must be one of {string.Join(", ", Executors)}, but got '{executor}'.");
        if (executor == "local")
        {
            if (partition is not null || extra.Length > 0) throw new UserInputException("--partition and --slurm-opt need --executor slurm.");
            return CommonOptions.CreateRunner(workspace, readThroughWarnings);
        }
        if (partition is { } p && !OptionValue().IsMatch(p)) throw new UserInputException($"--partition must be a partition name, but got '{p}'.");
        var options = new SlurmOptions { Partition = partition, ExtraOptions = extra.Select(ParseOption).ToArray(), WorkerCommand = WorkerCommandLine() };
        if (!OnPath("sbatch")) throw new UserInputException("--executor slurm: 'sbatch' is not on PATH (install Slurm, or try deploy/slurm/local-cluster.sh).");

        var registry = StageCatalog.CreateRegistry();
        var config = WorkspaceConfig.Load(workspace);
        var driver = new LocalStageExecutor(registry, new ArtifactCache(new LocalArtifactStore(workspace.StateDirectory), config.CacheType), workspace.TempDirectory);
        return new PipelineRunner(workspace, registry, executor: new SlurmStageExecutor(workspace, registry, driver, options), cacheType: config.CacheType,
            remote: CommonOptions.ReadThrough(workspace, config, readThroughWarnings));
    }

    private static KeyValuePair<string, string> ParseOption(string text)
    {
        int eq = text.IndexOf('=');
        string name = (eq < 0 ? text : text[..eq]).Trim().TrimStart('-');
        string value = eq < 0 ? "" : text[(eq + 1)..].Trim();
        if (!OptionName().IsMatch(name))
            throw new UserInputException($"--slurm-opt '{text}' must look like name=value (e.g. account=ml) or a bare flag name (e.g. exclusive).");
        if (name is "parsable" or "job-name" or "output" or "error" or "requeue" or "no-requeue" or "chdir" or "open-mode" or "wrap")
            throw new UserInputException($"--slurm-opt '{name}' is set by the executor itself and cannot be changed.");
        return new(name, value);
    }

    /// <summary>How a node starts this CLI: this executable, or the host and this assembly when running under <c>dotnet</c> (or a test host).</summary>
    private static string[] WorkerCommandLine()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "pipelines") return [process];
        return [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", typeof(Program).Assembly.Location];
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, command)));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]*$")]
    private static partial Regex OptionName();

    [GeneratedRegex("^[A-Za-z0-9_.,-]+$")]
    private static partial Regex OptionValue();
}

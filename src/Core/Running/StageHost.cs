namespace Pipelines.Core.Running;

/// <summary>
/// Runs one stage outside any pipeline, on files you name: for testing a stage (your own or a built-in) without a
/// workspace, cache or runner. Outputs are written under the work directory given to <c>RunAsync</c>.
/// </summary>
public static class StageHost
{
    /// <summary>
    /// Validates <paramref name="options"/>, runs the stage and returns its output paths by name. Invalid options
    /// throw <see cref="UserInputException"/> listing every problem.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> RunAsync(IStage stage, object options, IReadOnlyDictionary<string, string> inputs,
        string workDirectory, long seed = 1, IIntermediateReporter? reporter = null, IDictionary<string, object>? summary = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(options);
        var problems = stage.Validate(options).ToList();
        if (problems.Count > 0) throw new UserInputException(string.Join(" ", problems));

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var port in stage.Outputs)
        {
            string path = Path.Combine(workDirectory, "out", port.Name + port.FileExtension);
            Directory.CreateDirectory(port.IsDirectory ? path : Path.GetDirectoryName(path)!);
            outputs[port.Name] = path;
        }
        string scratch = Path.Combine(workDirectory, "scratch");
        Directory.CreateDirectory(scratch);
        var context = new StageContext(new StageContextArgs
        {
            StageId = stage.Kind,
            Options = options,
            Inputs = inputs.ToDictionary(p => p.Key, p => new StageInput(p.Key, stage.Inputs.First(i => i.Name == p.Key).Kind, p.Value, "unhashed"), StringComparer.Ordinal),
            OutputPaths = outputs,
            ScratchDirectory = scratch,
            Seed = seed,
            Reporter = reporter,
            CancellationToken = cancellationToken,
        });
        await stage.RunAsync(context, cancellationToken).ConfigureAwait(false);
        if (summary is not null)
            foreach (var (key, value) in context.Summary) summary[key] = value;
        return outputs;
    }
}

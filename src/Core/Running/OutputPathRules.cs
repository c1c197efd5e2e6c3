using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Running;

/// <summary>
/// Where a user may ask for an output to be materialised, checked before anything runs. A path (after <c>..</c> and
/// symbolic links) must lie inside the workspace and outside <c>.pipelines/</c>; it may not coincide with, contain or
/// lie inside anything the pipeline reads (external inputs, data-schemas, the pipeline file) or another output; and
/// whatever is already there must have been put there by this workspace (<see cref="OutputOwnership"/>).
/// </summary>
internal static class OutputPathRules
{
    /// <summary>Throws <see cref="PipelineValidationException"/> listing every path that breaks a rule.</summary>
    public static void Enforce(PipelinePlan plan, Workspace workspace, OutputOwnership ownership)
    {
        var problems = Check(plan, workspace, ownership);
        if (problems.Count > 0) throw new PipelineValidationException(problems);
    }

    private static List<ValidationProblem> Check(PipelinePlan plan, Workspace workspace, OutputOwnership ownership)
    {
        var problems = new List<ValidationProblem>();
        string root = RealPath.Of(workspace.Root);
        string state = RealPath.Of(workspace.StateDirectory);
        var read = ReadPaths(plan).Concat(ToolFiles(workspace)).ToArray();
        var claimed = new List<(string Label, string Real, SourceLocation? Location)>();

        foreach (var stage in plan.Stages)
        {
            foreach (var (port, userPath) in stage.Outputs)
            {
                if (userPath is null) continue;
                var location = stage.Definition.LocationOf("outputs." + port.Name);
                string label = $"stage '{stage.Id}': output '{port.Name}' = '{userPath}'";
                string full = Path.GetFullPath(Path.Combine(workspace.Root, userPath));
                string real = RealPath.Of(full);
                string? problem =
                    real == root ? $"{label} is the workspace root itself; name a file or folder inside it."
                    : !RealPath.IsWithin(real, root) ? $"{label} resolves to {real}, outside the workspace {root}; outputs are written only inside the workspace."
                    : RealPath.IsWithin(real, state) ? $"{label} is inside .pipelines/, which holds the cache and the tool's own outputs; choose a path outside it."
                    : Overlap(label, real, read, "; outputs may not overwrite what the pipeline reads.")
                      ?? Overlap(label, real, claimed.Select(c => ($"{c.Label} ({c.Location})", c.Real)), "; two outputs cannot share a path.")
                      ?? Foreign(label, full, ownership);
                if (problem is not null) problems.Add(new(location, problem));
                claimed.Add((label, real, location));
            }
        }
        return problems;
    }

    /// <summary>What the pipeline reads or the tool keeps at the root, each with a description for messages.</summary>
    private static IEnumerable<(string Description, string Real)> ReadPaths(PipelinePlan plan)
    {
        foreach (var stage in plan.Stages)
            foreach (var input in stage.Inputs.Where(i => i.IsExternal))
                yield return ($"input '{input.Name}' of stage '{stage.Id}' ({input.Reference})", RealPath.Of(input.ExternalPath!));
        if (plan.Definition.SourcePath is { } source)
            yield return ($"the pipeline file {plan.Definition.SourcePath}", RealPath.Of(source));
    }

    /// <summary>The files the tool keeps at the workspace root.</summary>
    private static IEnumerable<(string Description, string Real)> ToolFiles(Workspace workspace) =>
        new[] { workspace.LockFilePath, Path.Combine(workspace.Root, WorkspaceConfig.FileName) }
            .Select(path => ($"the workspace file {Path.GetFileName(path)}", RealPath.Of(path)));

    private static string? Overlap(string label, string real, IEnumerable<(string Description, string Real)> others, string rule)
    {
        foreach (var (description, other) in others)
        {
            string? relation = real == other ? "coincides with"
                : RealPath.IsWithin(other, real) ? "contains"
                : RealPath.IsWithin(real, other) ? "is inside"
                : null;
            if (relation is not null) return $"{label} {relation} {description}{rule}";
        }
        return null;
    }

    private static string? Foreign(string label, string full, OutputOwnership ownership)
    {
        bool present = File.Exists(full) || Directory.Exists(full) || new FileInfo(full).LinkTarget is not null;
        return present && !ownership.Owns(full)
            ? $"{label}: {full} exists and was not written by pipelines; move it or choose another path."
            : null;
    }
}

using Pipelines.Core.Caching;
using Pipelines.Core.Hashing;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Running;

/// <summary>
/// Puts artifacts at their output paths and keeps <see cref="OutputOwnership"/> in step: an output still exactly
/// as placed is left alone (a no-op run touches nothing), and only what the tool wrote is ever replaced or removed.
/// </summary>
internal sealed class OutputMaterializer
{
    private readonly ArtifactCache _cache;
    private readonly Workspace _workspace;

    public OutputMaterializer(ArtifactCache cache, Workspace workspace, OutputOwnership ownership)
    {
        _cache = cache;
        _workspace = workspace;
        Ownership = ownership;
    }

    /// <summary>The record of what this workspace has placed.</summary>
    public OutputOwnership Ownership { get; }

    /// <summary>Makes artifact <paramref name="hash"/> appear at <paramref name="target"/> unless it is already there untouched.</summary>
    public async Task PlaceAsync(string hash, bool isDirectory, string target, CancellationToken cancellationToken)
    {
        SiblingTemp.RemoveStale(target); // a run killed while placing this output left its temp beside it
        if (Ownership.IsIntact(target, hash)) return;
        if (!MayReplace(target))
            throw new UserInputException($"{target} exists and was not written by pipelines; move it or choose another path.");
        if (!InOutputDirectory(target) && Ownership.Claim(target))
            await Ownership.SaveAsync(cancellationToken).ConfigureAwait(false);
        await _cache.MaterializeAsync(hash, isDirectory, target, cancellationToken).ConfigureAwait(false);
        Ownership.Record(target, hash, isDirectory);
    }

    /// <summary>Removes an output the last run did not write, if the tool had placed it.</summary>
    public void Remove(string target)
    {
        if (!Present(target) || !MayReplace(target)) return;
        FilePlacement.Remove(target);
        Ownership.Forget(target);
    }

    /// <summary>Whether <paramref name="target"/> is missing or no longer holds artifact <paramref name="hash"/>.</summary>
    public async Task<bool> IsModifiedAsync(string hash, bool isDirectory, string target, CancellationToken cancellationToken)
    {
        if (Ownership.IsIntact(target, hash)) return false;
        bool present = isDirectory ? Directory.Exists(target) : File.Exists(target);
        return !present || await ContentHasher.HashPathAsync(target, cancellationToken).ConfigureAwait(false) != hash;
    }

    /// <summary>The tool's own output folder is always its to replace; elsewhere only what it recorded placing.</summary>
    private bool MayReplace(string target) => !Present(target) || Ownership.Owns(target) || InOutputDirectory(target);

    private bool InOutputDirectory(string target) => RealPath.IsWithin(RealPath.Of(target), RealPath.Of(_workspace.OutputDirectory));

    private static bool Present(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}

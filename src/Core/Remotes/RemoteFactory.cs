using Pipelines.Core.Caching;

namespace Pipelines.Core.Remotes;

/// <summary>Turns a <see cref="RemoteConfig"/> into a store and opens its index.</summary>
public static class RemoteFactory
{
    /// <summary>The store a config entry describes; a relative directory is relative to the workspace root.</summary>
    public static IRemoteStore Open(RemoteConfig config, Workspace workspace) =>
        config.IsS3 ? S3Remote.Create(config) : new DirectoryRemote(Path.Combine(workspace.Root, config.Url));

    /// <summary>A sync between the workspace's local cache and the remote.</summary>
    public static RemoteSync Sync(RemoteConfig config, Workspace workspace, IArtifactStore local, int jobs = RemoteConstants.DefaultJobs)
    {
        var remote = Open(config, workspace);
        return new RemoteSync(workspace, local, remote, RemoteIndex.Load(RemoteIndex.PathFor(workspace.StateDirectory, config.Name), remote.Location), jobs);
    }
}

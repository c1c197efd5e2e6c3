namespace Pipelines.Core.Caching;

/// <summary>
/// An exclusive lock on a workspace (<c>.pipelines/lock</c>), held for a whole run so two runs never write the
/// same workspace. The OS releases it when the process dies, even by SIGKILL.
/// </summary>
public sealed class WorkspaceLock : IDisposable
{
    private readonly FileStream _stream;

    private WorkspaceLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock at once or throws <see cref="WorkspaceBusyException"/>.</summary>
    public static WorkspaceLock Acquire(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        string path = Path.Combine(stateDirectory, "lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
                writer.Write($"{Environment.ProcessId}\n");
            stream.Flush();
            return new WorkspaceLock(stream);
        }
        catch (IOException)
        {
            string holder = "";
            try { holder = File.ReadAllText(path).Trim(); } catch (IOException) { }
            throw new WorkspaceBusyException(
                $"Another run is using this workspace ({Path.GetFullPath(stateDirectory)}{(holder.Length > 0 ? $", process {holder}" : "")}). Wait for it to finish, or stop it.");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pipelines.Core.Tests.Support;

/// <summary>
/// npm's <c>s3rver</c> (MIT) serving S3 on loopback for the remote tests: installed once into a cache folder outside
/// the repository (<c>$TMPDIR/pipelines-s3rver</c>, or <c>PIPELINES_S3RVER_DIR</c>) when missing, started on a free
/// port with one bucket, and killed on dispose, so the plain test command needs nothing set up beforehand.
/// Sets the AWS credential variables s3rver accepts, which child processes (the CLI) inherit.
/// </summary>
public sealed class S3rverProcess : IDisposable
{
    /// <summary>The s3rver release the tests are pinned to.</summary>
    public const string Version = "3.7.1";

    private readonly Process _process;
    private readonly string _data;

    private S3rverProcess(Process process, string data, int port, string bucket)
    {
        _process = process;
        _data = data;
        Port = port;
        Bucket = bucket;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The bucket created at start.</summary>
    public string Bucket { get; }

    /// <summary>Its endpoint URL.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Where its objects are kept on disk (one file per object, for tests that corrupt one).</summary>
    public string DataDirectory => _data;

    /// <summary>Installs (when needed) and starts a server with bucket <paramref name="bucket"/>; waits until it accepts connections.</summary>
    public static S3rverProcess Start(string bucket = "pipelines-test")
    {
        string script = EnsureInstalled();
        // s3rver accepts any well-formed signature made with its default key pair.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true"); // never wait on an instance-metadata lookup
        string data = Path.Combine(Path.GetTempPath(), "pipelines-s3rver-data", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        int port = FreePort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", data, "--silent", "--configure-bucket", bucket })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (!Accepts(port))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                lock (stderr) throw new InvalidOperationException($"s3rver did not start on port {port}: {stderr}");
            }
            Thread.Sleep(50);
        }
        return new S3rverProcess(process, data, port, bucket);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The path of s3rver's entry script, installing it with npm (under a file lock: test projects run at once) when missing.</summary>
    private static string EnsureInstalled()
    {
        string root = Environment.GetEnvironmentVariable("PIPELINES_S3RVER_DIR") is { Length: > 0 } custom ? custom : Path.Combine(Path.GetTempPath(), "pipelines-s3rver");
        string script = Path.Combine(root, "node_modules", "s3rver", "bin", "s3rver.js");
        string marker = Path.Combine(root, "installed-" + Version);
        if (File.Exists(marker) && File.Exists(script)) return script;
        Directory.CreateDirectory(root);
        using var installLock = AcquireLock(Path.Combine(root, ".install.lock"));
        if (File.Exists(marker) && File.Exists(script)) return script;
        var start = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "install", "--prefix", root, "--no-audit", "--no-fund", "--loglevel=error", "s3rver@" + Version }) start.ArgumentList.Add(arg);
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        if (!npm.WaitForExit(TimeSpan.FromMinutes(5))) { npm.Kill(true); throw new InvalidOperationException("npm install s3rver took over 5 minutes"); }
        if (npm.ExitCode != 0 || !File.Exists(script))
            throw new InvalidOperationException($"npm install s3rver@{Version} failed ({npm.ExitCode}): {output.Result}{errors.Result}");
        File.WriteAllText(marker, Version);
        return script;
    }

    private static FileStream AcquireLock(string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (clock.Elapsed < TimeSpan.FromMinutes(5)) { Thread.Sleep(200); }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

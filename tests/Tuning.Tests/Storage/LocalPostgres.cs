using System.Diagnostics;
using Npgsql;

using Pipelines.Tuning;

namespace Pipelines.Tuning.Tests.Storage;

/// <summary>
/// One PostgreSQL server for the whole test run, started on first use by deploy/postgres/local-postgres.sh in a
/// temp dir (the script installs the Debian packages when they are missing) and stopped by <see cref="LocalPostgresTeardown"/>.
/// Each test takes its own schema, so tests never see each other's studies.
/// </summary>
internal sealed class LocalPostgres
{
    private static readonly Lazy<LocalPostgres> Shared = new(() => new LocalPostgres(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string _dir;

    private LocalPostgres()
    {
        _dir = Path.Combine(Path.GetTempPath(), "tuning-postgres-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);

        // As root the server runs as 'postgres', which must be able to enter the directory.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        }
        Script = FindScript();

        // Durability is not what these tests check; without fsync the server is several times faster.
        Run("start", ("PIPELINES_POSTGRES_OPTIONS", "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"));
        string line = Run("env").Trim();
        const string prefix = "export PIPELINES_POSTGRES_URL=";
        Url = line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : throw new InvalidOperationException($"local-postgres.sh env printed '{line}'.");
    }

    /// <summary>The server, started when first asked for.</summary>
    public static LocalPostgres Instance => Shared.Value;

    /// <summary>The path of deploy/postgres/local-postgres.sh.</summary>
    public string Script { get; }

    /// <summary><c>postgresql://postgres@127.0.0.1:PORT/pipelines</c>.</summary>
    public string Url { get; }

    /// <summary>A URL of the database with a schema no other test uses.</summary>
    public string NewSchemaUrl() => $"{Url}?schema=t_{Guid.NewGuid():N}";

    /// <summary>The connection string of <see cref="NewSchemaUrl"/>.</summary>
    public string NewSchemaConnectionString() => PostgresStorage.ConnectionStringFromUrl(NewSchemaUrl());

    /// <summary>Stops the server and deletes its directory when it was started.</summary>
    public static void StopIfStarted()
    {
        if (!Shared.IsValueCreated)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        Shared.Value.Run("stop");
        Directory.Delete(Shared.Value._dir, recursive: true);
    }

    private string Run(string command, params (string Key, string Value)[] env)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(command);
        psi.ArgumentList.Add(Path.Combine(_dir, "pg"));
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();

        // Installing the packages on a fresh machine takes a few minutes; starting takes about a second.
        if (!p.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"local-postgres.sh {command} did not finish.");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-postgres.sh {command} failed ({p.ExitCode}): {stderr.Result}");
        }

        return stdout;
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "deploy", "postgres", "local-postgres.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("deploy/postgres/local-postgres.sh not found above " + AppContext.BaseDirectory);
    }
}

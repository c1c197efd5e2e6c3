using NUnit.Framework;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Cli.Tests;

/// <summary>
/// The test, through the real executable: workspace A runs the quickstart and pushes; a fresh clone B (the
/// pipeline, its data, the committed lock and config, no <c>.pipelines</c>) pulls and runs: 0 stages run and B's lock
/// is byte-identical to A's. Once on a directory remote and once on S3 (s3rver on loopback).
/// </summary>
[TestFixture("directory")]
[TestFixture("s3")]
public class RemoteCommandsTests(string kind)
{
    private const string Pipeline = "pipelines/quickstart.yaml";
    private S3rverProcess? _s3;
    private readonly List<string> _roots = [];
    private string _config = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        if (kind == "s3") _s3 = S3rverProcess.Start();
    }

    [OneTimeTearDown]
    public void StopServer() => _s3?.Dispose();

    [SetUp]
    public void SetUp()
    {
        string remote = Path.Combine(Path.GetTempPath(), "pipelines-cli-remote", Guid.NewGuid().ToString("N"));
        _roots.Add(remote);
        _config = kind == "s3"
            ? $"remotes:\n  team:\n    url: s3://{_s3!.Bucket}/{Guid.NewGuid():N}\n    endpoint: {_s3.Endpoint}\n"
            : $"remotes:\n  team:\n    url: {remote}\n";
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var root in _roots) try { Directory.Delete(root, true); } catch (IOException) { }
        _roots.Clear();
    }

    private string Workspace()
    {
        string root = CliProcess.CopyQuickstart();
        _roots.Add(root);
        File.WriteAllText(Path.Combine(root, "pipelines.config.yaml"), _config);
        return root;
    }

    private static string Ok(string root, params string[] args)
    {
        var (code, stdout, stderr) = CliProcess.Run(root, args);
        Assert.That(code, Is.EqualTo(0), $"pipelines {string.Join(' ', args)}: {stdout}{stderr}");
        Assert.That(stderr, Does.Not.Contain("warning:"));
        return stdout;
    }

    /// <summary>A fresh clone of <paramref name="a"/>: what git would carry (pipeline, data, lock, config).</summary>
    private string CloneOf(string a)
    {
        string b = Workspace();
        File.Copy(Path.Combine(a, "pipelines.lock"), Path.Combine(b, "pipelines.lock"));
        return b;
    }

    [Test]
    public void A_pushes_a_fresh_clone_pulls_and_runs_no_stage_with_an_identical_lock()
    {
        string a = Workspace();
        Assert.That(Ok(a, "run", Pipeline, "--no-color"), Does.Contain("succeeded: 5 ran, 0 restored"));
        Assert.That(Ok(a, "push"), Does.Contain("Pushed 5 stages (").And.Contain("; 0 were already there."));
        Assert.That(Ok(a, "push", "--remote", "team"), Does.Contain("Pushed 0 stages (0 files, 0.0 MiB)").And.Contain("; 5 were already there."), "the index answers an unchanged push");

        string b = CloneOf(a);
        Assert.That(Ok(b, "status", Pipeline, "--remote"), Does.Contain("Remote 'team': 0 both, 0 local, 12 remote, 0 missing"));
        string pulled = Ok(b, "pull", "-j", "2");
        Assert.That(pulled, Does.Contain("Pulled 5 stages (").And.Contain("Checked out 12 outputs."));
        Assert.That(File.ReadAllBytes(Path.Combine(b, ".pipelines/out/quickstart/split/train.parquet")),
            Is.EqualTo(File.ReadAllBytes(Path.Combine(a, ".pipelines/out/quickstart/split/train.parquet"))));
        Assert.That(Ok(b, "run", Pipeline, "--no-color"), Does.Contain("succeeded: 0 ran, 5 restored from cache"));
        Assert.That(File.ReadAllBytes(Path.Combine(b, "pipelines.lock")), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, "pipelines.lock"))));
        Assert.That(Ok(b, "status", Pipeline, "--remote", "team"), Does.Contain("Remote 'team': 12 both, 0 local, 0 remote, 0 missing"));
    }

    [Test]
    public void A_clone_that_only_runs_restores_every_stage_through_the_remote()
    {
        string a = Workspace();
        Ok(a, "run", Pipeline, "--no-color");
        Ok(a, "push");
        string c = CloneOf(a);
        Assert.That(Ok(c, "run", Pipeline, "--no-color"), Does.Contain("succeeded: 0 ran, 5 restored from cache"));
        Assert.That(File.ReadAllBytes(Path.Combine(c, "pipelines.lock")), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, "pipelines.lock"))));
    }

    [Test]
    public void A_bad_config_or_an_unknown_remote_exits_2_naming_the_line_or_the_remote()
    {
        string a = Workspace();
        File.WriteAllText(Path.Combine(a, "pipelines.config.yaml"), _config + "    secret_access_key: x\n");
        var (code, _, stderr) = CliProcess.Run(a, "push");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("pipelines.config.yaml:").And.Contain("remote 'team': credentials do not belong in pipelines.config.yaml"));

        File.WriteAllText(Path.Combine(a, "pipelines.config.yaml"), _config);
        (code, _, stderr) = CliProcess.Run(a, "pull", "--remote", "tem");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("has no remote 'tem'. Did you mean 'team'?"));
    }
}

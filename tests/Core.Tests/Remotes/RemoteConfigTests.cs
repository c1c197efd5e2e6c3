using NUnit.Framework;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Remotes;

/// <summary><c>remotes:</c> and <c>default_remote:</c> in <c>pipelines.config.yaml</c>: read, defaulted, and refused with the line at fault.</summary>
public class RemoteConfigTests
{
    private TestWorkspace _ws = null!;

    [SetUp]
    public void SetUp() => _ws = new TestWorkspace();

    [TearDown]
    public void TearDown() => _ws.Dispose();

    private WorkspaceConfig Load(string yaml)
    {
        _ws.WriteFile(WorkspaceConfig.FileName, yaml);
        return WorkspaceConfig.Load(_ws.Workspace);
    }

    private IReadOnlyList<string> Problems(string yaml) =>
        Assert.Throws<PipelineValidationException>(() => Load(yaml))!.Problems.Select(p => $"{p.Location?.Line}: {p.Message}").ToArray();

    [Test]
    public void Remotes_are_read_and_the_only_one_is_the_default()
    {
        var config = Load("""
            cache_type: copy
            remotes:
              team:
                url: s3://ml-cache/pipelines
                endpoint: http://127.0.0.1:4568
                region: eu-west-1
                force_path_style: true
            """);
        var team = config.Remote(null)!;
        Assert.That((team.Name, team.Url, team.Endpoint, team.Region, team.ForcePathStyle, team.IsS3), Is.EqualTo(("team", "s3://ml-cache/pipelines", "http://127.0.0.1:4568", "eu-west-1", (bool?)true, true)));
        Assert.That(Load("cache_type: copy").Remote(null), Is.Null, "no remote, no read-through");
    }

    [Test]
    public void With_several_remotes_the_default_is_named_or_asked_for()
    {
        const string two = """
            remotes:
              nfs: {url: /mnt/shared/cache}
              s3: {url: "s3://bucket"}
            """;
        var ex = Assert.Throws<UserInputException>(() => Load(two).Remote(null))!;
        Assert.That(ex.Message, Is.EqualTo("pipelines.config.yaml has 2 remotes and no 'default_remote'; name one with --remote (nfs, s3)."));
        Assert.That(Load(two + "\ndefault_remote: s3\n").Remote(null)!.Url, Is.EqualTo("s3://bucket"));
        Assert.That(Load(two).Remote("nfs")!.Url, Is.EqualTo("/mnt/shared/cache"));
        Assert.That(Assert.Throws<UserInputException>(() => Load(two).Remote("nsf"))!.Message, Is.EqualTo("pipelines.config.yaml has no remote 'nsf'. Did you mean 'nfs'? Remotes: nfs, s3."));
    }

    [Test]
    public void Mistakes_are_reported_together_each_with_its_line()
    {
        var problems = Problems("""
            remotes:
              team:
                url: s3://B
                endpont: http://x
              keys:
                url: s3://bucket
                secret_access_key: abc
              nourl: {region: x}
            default_remote: teem
            """);
        Assert.That(problems, Is.EqualTo(new[]
        {
            "4: remote 'team': unknown setting 'endpont'. Did you mean 'endpoint'? Settings: url, endpoint, region, force_path_style.",
            "3: remote 'team': 's3://B' is not s3://bucket or s3://bucket/prefix.",
            "7: remote 'keys': credentials do not belong in pipelines.config.yaml; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile).",
            "8: remote 'nourl' needs a 'url' (a directory or s3://bucket/prefix).",
            "9: 'default_remote' names 'teem', which is not under 'remotes'. Did you mean 'team'?",
        }));
    }
}

using NUnit.Framework;
namespace Pipelines.Core.Tests.Support;

/// <summary>Pipelines used by several tests.</summary>
public static class Yaml
{
    /// <summary>source → a (suffix) → b (suffix); source → c (suffix); a + c → d (concat).</summary>
    public const string Diamond = """
        name: diamond
        seed: 7
        params:
          suffix_a: "-a"
        stages:
          source:
            uses: source
            with: {rows: 4, text: hello}
          a:
            uses: suffix
            with:
              suffix: ${params.suffix_a}
            inputs: {table: source.table}
          b:
            uses: suffix
            with: {suffix: "-b"}
            inputs: {table: a.table}
          c:
            uses: suffix
            with: {suffix: "-c"}
            inputs: {table: source.table}
          d:
            uses: concat-test
            inputs: {left: a.table, right: c.table}
        """;
}

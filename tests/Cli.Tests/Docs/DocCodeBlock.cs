namespace Pipelines.Cli.Tests.Docs;

/// <summary>A fenced code block of a Markdown page under <c>docs/</c>: its info string, text and first line.</summary>
/// <param name="File">The page, relative to the repository root (<c>docs/stages/bias.md</c>).</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Info">The fence's info string: <c>yaml</c>, <c>yaml fragment</c>, <c>csharp host-program</c>.</param>
/// <param name="Text">The lines between the fences.</param>
public sealed record DocCodeBlock(string File, int Line, string Info, string Text)
{
    /// <summary>Where the block is, as messages name it: <c>docs/stages/bias.md:75</c>.</summary>
    public string Where => $"{File}:{Line}";

    /// <summary>Every fenced block of every page under <c>docs/</c>, pages in ordinal order.</summary>
    public static IReadOnlyList<DocCodeBlock> ReadAll(string repoRoot) =>
        Directory.EnumerateFiles(Path.Combine(repoRoot, "docs"), "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(repoRoot, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .SelectMany(relative => Read(relative, System.IO.File.ReadAllLines(Path.Combine(repoRoot, relative))))
            .ToArray();

    /// <summary>The fenced blocks of one page. Fences start at the line's beginning, as these docs write them.</summary>
    public static IEnumerable<DocCodeBlock> Read(string file, IReadOnlyList<string> lines)
    {
        for (int i = 0; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
            int open = i;
            var body = new List<string>();
            for (i++; i < lines.Count && lines[i].TrimEnd() != "```"; i++) body.Add(lines[i]);
            yield return new DocCodeBlock(file, open + 1, lines[open][3..].Trim(), string.Join('\n', body) + "\n");
        }
    }
}

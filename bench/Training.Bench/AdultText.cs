using System.Globalization;

namespace Pipelines.Training.Bench;

/// <summary>Reads the Adult slice and serialises each row to text (income left out); the label is income.</summary>
internal static class AdultText
{
    public sealed record Row(string Text, string Income, string Sex, string Race);

    /// <summary>Rows as the bench's own text (default) or as <c>pipelines/finetune.yaml</c>'s template writes them.</summary>
    public static List<Row> Load(string path, bool finetuneTemplate = false)
    {
        var rows = new List<Row>();
        foreach (var line in File.ReadLines(path))
        {
            var f = line.Split(", ");
            if (f.Length != 15)
            {
                continue;
            }

            var text = finetuneTemplate
                ? string.Create(CultureInfo.InvariantCulture,
                    $"A {f[0]}-year-old {f[9]} {f[8]} person, {f[5]}, works as {f[6]} ({f[1]}), {f[12]} hours a week, education {f[3]}, capital gain {f[10]}.")
                : string.Create(CultureInfo.InvariantCulture,
                    $"age {f[0]}, {f[1]}, {f[3]}, {f[5]}, {f[6]}, {f[7]}, {f[8]}, {f[9]}, capital gain {f[10]}, capital loss {f[11]}, {f[12]} hours, {f[13]}.");
            rows.Add(new Row(text, f[14].TrimEnd('.'), f[9], f[8]));
        }

        return rows;
    }
}

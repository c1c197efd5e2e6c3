namespace Pipelines.Synthetic.Tests.Text;

/// <summary>Finds files in this folder's <c>TestData</c> from the test binary, walking up to the repository.</summary>
internal static class TestDataFiles
{
    private const string RelativeFolder = "tests/Synthetic.Tests/Text/TestData";

    public static string PathOf(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, RelativeFolder, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Test data '{fileName}' not found under '{RelativeFolder}' above '{AppContext.BaseDirectory}'.");
    }

    /// <summary>Chapters 1-5 and 7 (training) and chapter 6, plain prose, held out.</summary>
    public static (string Training, string HeldOut) MobyDick()
    {
        string text = File.ReadAllText(PathOf("moby-dick-chapters-1-7.txt"));
        int start = text.IndexOf("CHAPTER 6.", StringComparison.Ordinal), end = text.IndexOf("CHAPTER 7.", StringComparison.Ordinal);
        return (text[..start] + text[end..], text[start..end]);
    }
}

using NUnit.Framework;
using Pipelines.Core.Tables;

namespace Pipelines.Core.Tests.Tables;

public class SourceLinesTests
{
    [Test]
    public void Rows_map_to_the_lines_they_began_on_across_gaps()
    {
        // Header on line 1; rows 0-2 on lines 2-4; a blank line 5; row 3 spans lines 6-7 (a quoted line break); row 4 on line 8.
        var lines = new SourceLines("people.csv");
        long[] began = [2, 3, 4, 6, 8];
        for (int row = 0; row < began.Length; row++) lines.Add(row, began[row]);

        Assert.That(Enumerable.Range(0, 5).Select(r => lines.LineOf(r)), Is.EqualTo(began.Select(l => (long?)l)));
        Assert.That(lines.Encode(), Is.EqualTo("people.csv\t0:2,3:6,4:8"), "only the rows that do not follow on the next line are kept");
        var read = SourceLines.From(new Dictionary<string, string> { [SourceLines.MetadataKey] = lines.Encode() })!;
        Assert.That(read.File, Is.EqualTo("people.csv"));
        Assert.That(Enumerable.Range(0, 6).Select(r => read.LineOf(r)), Is.EqualTo(new long?[] { 2, 3, 4, 6, 8, 9 }));
    }

    [Test]
    public void A_map_that_would_outgrow_its_cap_is_dropped_and_unknown_metadata_reads_as_none()
    {
        var lines = new SourceLines("wide.csv");
        for (int row = 0; row <= SourceLines.MaxBreakpoints; row++) lines.Add(row, 2L * row); // every row breaks the run
        Assert.That(lines.IsComplete, Is.False);
        Assert.That(SourceLines.From(new Dictionary<string, string>()), Is.Null);
        Assert.That(SourceLines.From(new Dictionary<string, string> { [SourceLines.MetadataKey] = "f\tx:y" }), Is.Null);
    }
}

using Pipelines.Stages.Ingest;

namespace Pipelines.Stages.Tests.Ingest;

public class CsvRecordReaderTests
{
    private static List<string[]> ReadAll(string text, char delimiter = ',', bool trim = false)
    {
        using var reader = new CsvRecordReader(new StringReader(text), delimiter, trim);
        var records = new List<string[]>();
        while (reader.Read()) records.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.Field(i).ToString()).ToArray());
        return records;
    }

    [Test]
    public void Quoted_fields_keep_delimiters_line_breaks_and_doubled_quotes()
    {
        var records = ReadAll("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast,,\n");
        Assert.That(records, Is.EqualTo(new[]
        {
            new[] { "a", "b", "c" },
            new[] { "x,1", "say \"hi\"", "two\nlines" },
            new[] { "last", "", "" },
        }));
    }

    [Test]
    public void Line_numbers_count_line_breaks_inside_quotes()
    {
        using var reader = new CsvRecordReader(new StringReader("h\n\"a\nb\"\nc\n"));
        var lines = new List<long>();
        while (reader.Read()) lines.Add(reader.LineNumber);
        Assert.That(lines, Is.EqualTo(new long[] { 1, 2, 4 }));
    }

    [Test]
    public void Trim_removes_spaces_around_unquoted_fields_only()
    {
        Assert.That(ReadAll("39,  State-gov , \" kept \"\n", ',', trim: true)[0], Is.EqualTo(new[] { "39", "State-gov", " kept " }));
    }

    [Test]
    public void A_tab_delimiter_and_a_last_line_without_newline_are_read()
    {
        Assert.That(ReadAll("a\tb\n1\t2")[1], Is.EqualTo(new[] { "1\t2" }));
        Assert.That(ReadAll("a\tb\n1\t2", '\t')[1], Is.EqualTo(new[] { "1", "2" }));
    }

    [Test]
    public void An_unclosed_quote_is_reported_with_its_line()
    {
        var ex = Assert.Throws<FormatException>(() => ReadAll("a\n\"open,1\n2\n"));
        Assert.That(ex!.Message, Is.EqualTo("line 2: a quoted field is not closed before the end of the file."));
    }

    [Test]
    public void Text_after_a_closing_quote_is_reported()
    {
        var ex = Assert.Throws<FormatException>(() => ReadAll("\"a\"b,c\n"));
        Assert.That(ex!.Message, Is.EqualTo("line 1: unexpected character 'b' after a closing quote in field 1."));
    }

    [Test]
    public void Records_longer_than_the_read_buffer_are_read_whole()
    {
        string big = new('x', 200_000);
        Assert.That(ReadAll($"{big},\"{big}\"\n")[0].Select(f => f.Length), Is.EqualTo(new[] { 200_000, 200_000 }));
    }
}

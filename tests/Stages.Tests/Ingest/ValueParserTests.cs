using System.Globalization;
using Pipelines.Stages.Ingest;

namespace Pipelines.Stages.Tests.Ingest;

public class ValueParserTests
{
    private static IEnumerable<string> Cells(int seed)
    {
        var random = new Random(seed);
        string[] fixedCells = ["0", "-0", "00", "-", "", ".", "1.", ".5", "-.5", "+5", "1e5", "1.5e-3", " 1", "1 ", "1,5", "1.2.3", "--1",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "123456789012345678", "1234567890123456789",
            "999999999999999", "9999999999999999", "0.1", "0.3", "2.675", "1.0000000000000002", "NaN", "Infinity", "٣"];
        foreach (var cell in fixedCells) yield return cell;
        for (int i = 0; i < 20_000; i++)
        {
            int length = random.Next(1, 20);
            var chars = new char[length];
            for (int j = 0; j < length; j++) chars[j] = "0123456789.-"[random.Next(j == 0 ? 12 : 11)];
            yield return new string(chars);
            yield return random.NextDouble().ToString("0." + new string('#', random.Next(1, 17)), CultureInfo.InvariantCulture);
            yield return (random.NextDouble() * Math.Pow(10, random.Next(-5, 16))).ToString("R", CultureInfo.InvariantCulture);
            yield return random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture);
        }
    }

    [Test]
    public void Doubles_parse_to_exactly_the_bits_the_bcl_gives_or_fail_where_it_fails()
    {
        foreach (var cell in Cells(1))
        {
            bool expectedOk = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double expected);
            bool ok = ValueParser.TryDouble(cell, out double actual);
            Assert.That(ok, Is.EqualTo(expectedOk), cell);
            if (ok) Assert.That(BitConverter.DoubleToInt64Bits(actual), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), cell);
        }
    }

    [Test]
    public void Integers_parse_to_the_value_the_bcl_gives_or_fail_where_it_fails()
    {
        foreach (var cell in Cells(2))
        {
            bool expectedOk = long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long expected);
            bool ok = ValueParser.TryLong(cell, out long actual);
            Assert.That(ok, Is.EqualTo(expectedOk), cell);
            if (ok) Assert.That(actual, Is.EqualTo(expected), cell);
        }
    }
}

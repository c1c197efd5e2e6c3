using System.Text;
using NUnit.Framework;

namespace Pipelines.Training.Tests;

public class BpeTrainerTests
{
    private static readonly string[] Corpus =
    [
        "The quick brown fox jumps over the lazy dog.",
        "The lazy dog sleeps; the quick fox runs away.",
        "Über naïve café: 42 dogs, 7 foxes — and the end.",
        "the the the quick quick brown brown",
    ];

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("bpe-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void A_trained_tokenizer_loads_and_round_trips_text_including_non_ascii()
    {
        BpeTrainer.TrainAndSave(Corpus, 320, _dir);
        var tokenizer = Gpt2Tokenizer.Load(_dir);
        foreach (var text in Corpus.Append("Unseen words: zebra quokka ß ✓ 😀"))
        {
            var ids = tokenizer.Encode(text);
            Assert.That(tokenizer.Decode(ids), Is.EqualTo(text));
        }
    }

    [Test]
    public void Whitespace_runs_encode_to_ids_inside_the_vocabulary_and_decode_back()
    {
        // CodeGenTokenizer has its own whitespace-run tokens (ids >= 50257); a small vocabulary must never see them.
        BpeTrainer.TrainAndSave(Corpus, 320, _dir);
        var tokenizer = Gpt2Tokenizer.Load(_dir);
        const string text = "tin d \n\n  o\t\t\tx     y";
        var ids = tokenizer.Encode(text);
        Assert.That(ids, Is.All.LessThan(tokenizer.VocabularySize));
        Assert.That(tokenizer.Decode(ids), Is.EqualTo(text));
    }

    [Test]
    public void Learned_merges_need_fewer_tokens_than_bytes()
    {
        BpeTrainer.TrainAndSave(Corpus, 320, _dir);
        var tokenizer = Gpt2Tokenizer.Load(_dir);
        var text = string.Join(" ", Corpus);
        Assert.That(tokenizer.Encode(text).Count, Is.LessThan(Encoding.UTF8.GetByteCount(text) * 0.6));
    }

    [Test]
    public void The_most_frequent_pair_is_merged_first_and_end_of_text_is_last()
    {
        var (vocabulary, merges) = BpeTrainer.Train(["aaab aaab aaab"], 300);
        // Words: "aaab" and " aaab" x2; pair (a, a) occurs 2 per word = 6 times, more than any other.
        Assert.That(merges[0], Is.EqualTo(("a", "a")));
        Assert.That(vocabulary[^1], Is.EqualTo(BpeTrainer.EndOfText));
        Assert.That(vocabulary[256], Is.EqualTo("aa"));
    }

    [Test]
    public void Training_twice_gives_identical_files()
    {
        var other = Directory.CreateTempSubdirectory("bpe2-").FullName;
        try
        {
            BpeTrainer.TrainAndSave(Corpus, 300, _dir);
            BpeTrainer.TrainAndSave(Corpus, 300, other);
            Assert.That(File.ReadAllBytes(Path.Combine(other, "merges.txt")), Is.EqualTo(File.ReadAllBytes(Path.Combine(_dir, "merges.txt"))));
            Assert.That(File.ReadAllBytes(Path.Combine(other, "vocab.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(_dir, "vocab.json"))));
        }
        finally
        {
            Directory.Delete(other, true);
        }
    }

    [Test]
    public void A_vocabulary_smaller_than_the_byte_alphabet_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => BpeTrainer.Train(Corpus, 100));
        Assert.That(e!.Message, Does.Contain("'vocab_size' must be at least 257").And.Contain("100"));
    }

    [Test]
    public void Loading_a_directory_without_merges_names_the_missing_file()
    {
        File.WriteAllText(Path.Combine(_dir, "vocab.json"), "{}");
        var e = Assert.Throws<FileNotFoundException>(() => Gpt2Tokenizer.Load(_dir));
        Assert.That(e!.Message, Does.Contain("merges.txt"));
    }
}

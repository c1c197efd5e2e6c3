using NUnit.Framework;
using Pipelines.Training.Tests.Packaged;

namespace Pipelines.Training.Tests;

public class BertWordPieceTokenizerTests
{
    private string _dir = null!;
    private List<string> _vocab = null!;

    [OneTimeSetUp]
    public void Import()
    {
        _dir = PackagedModelCache.Directory(PackagedModelCache.MiniLm);
        _vocab = File.ReadLines(Path.Combine(_dir, "vocab.txt")).ToList();
    }

    [Test]
    public void Special_tokens_have_the_ids_bert_uncased_gives_them()
    {
        var tokenizer = ModelDirectory.LoadBertTokenizer(_dir);
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.ClsId, Is.EqualTo(101));
            Assert.That(tokenizer.SepId, Is.EqualTo(102));
            Assert.That(tokenizer.PadId, Is.EqualTo(0));
            Assert.That(_vocab[101], Is.EqualTo("[CLS]"));
            Assert.That(_vocab[102], Is.EqualTo("[SEP]"));
            Assert.That(_vocab[0], Is.EqualTo("[PAD]"));
        });
    }

    [Test]
    public void A_sentence_is_lower_cased_and_wrapped_in_cls_and_sep_with_ids_from_vocab_line_numbers()
    {
        var ids = ModelDirectory.LoadBertTokenizer(_dir).Encode("The CAT sat on the Mat", maxLength: 128);

        // Hand-checked in vocab.txt: "cat" is on line 4938 (id 4937), "mat" on line 13524 (id 13523).
        Assert.That(_vocab[4937], Is.EqualTo("cat"));
        Assert.That(_vocab[13523], Is.EqualTo("mat"));
        Assert.That(ids, Is.EqualTo(new[] { 101, Id("the"), 4937, Id("sat"), Id("on"), Id("the"), 13523, 102 }));
    }

    [TestCase("unaffable")]
    [TestCase("tokenisation")]
    public void A_word_outside_the_vocabulary_splits_into_the_longest_matching_word_pieces(string word)
    {
        var ids = ModelDirectory.LoadBertTokenizer(_dir).Encode(word, maxLength: 128);

        var expected = GreedyLongestMatch(word, _vocab.ToHashSet());
        Assert.That(expected, Has.Count.GreaterThan(1));
        Assert.That(ids.Select(i => _vocab[i]), Is.EqualTo(expected.Prepend("[CLS]").Append("[SEP]")));
    }

    [Test]
    public void Truncation_keeps_cls_and_sep_within_max_length_and_a_batch_is_right_padded()
    {
        var tokenizer = ModelDirectory.LoadBertTokenizer(_dir);
        Assert.That(tokenizer.Encode("the cat sat on the mat", maxLength: 4), Is.EqualTo(new[] { 101, Id("the"), 4937, 102 }));

        var batch = tokenizer.EncodeBatch(["the cat", "the cat sat"], maxLength: 16);
        Assert.That(batch.Columns, Is.EqualTo(5));
        Assert.That(batch.Ids, Is.EqualTo(new long[] { 101, Id("the"), 4937, 102, 0, 101, Id("the"), 4937, Id("sat"), 102 }));
        Assert.That(batch.AttentionMask, Is.EqualTo(new long[] { 1, 1, 1, 1, 0, 1, 1, 1, 1, 1 }));
    }

    private int Id(string token) => _vocab.IndexOf(token);

    // WordPiece as the original BERT code defines it: repeatedly take the longest vocabulary entry that prefixes the
    // rest of the word, continuation pieces spelt with "##".
    private static List<string> GreedyLongestMatch(string word, HashSet<string> vocab)
    {
        var pieces = new List<string>();
        for (var start = 0; start < word.Length;)
        {
            var end = word.Length;
            while (end > start && !vocab.Contains((start > 0 ? "##" : "") + word[start..end]))
            {
                end--;
            }

            Assert.That(end, Is.GreaterThan(start), $"no piece of '{word}' from {start} is in the vocabulary");
            pieces.Add((start > 0 ? "##" : "") + word[start..end]);
            start = end;
        }

        return pieces;
    }
}

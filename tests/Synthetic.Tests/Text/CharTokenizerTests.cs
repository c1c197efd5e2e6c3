using Pipelines.Synthetic.Text;

namespace Pipelines.Synthetic.Tests.Text;

public class CharTokenizerTests
{
    [Test]
    public void A_vocabulary_with_characters_outside_the_basic_plane_survives_save_and_load()
    {
        // "😀" (D83D DE00) and "🚀" (D83D DE80) are surrogate pairs: three distinct unpaired halves in the vocabulary.
        const string text = "go 😀 🚀!";
        var tokenizer = CharTokenizer.Build([text]);
        string path = Path.Combine(Path.GetTempPath(), "char-tokenizer-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            tokenizer.Save(path);
            var loaded = CharTokenizer.Load(path);
            Assert.That(loaded.Characters, Is.EqualTo(tokenizer.Characters));
            Assert.That(loaded.Characters, Has.Count.EqualTo(7));
            Assert.That(loaded.Decode(loaded.Encode(text).ToArray()), Is.EqualTo(text));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

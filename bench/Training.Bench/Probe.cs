using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training.Bench;

/// <summary>
/// Diagnostics for LoRA classification on the Adult text (how the cause of "LoRA predicts the majority" was found):
/// trains one variant with the <see cref="Trainer"/> directly on the first 2,000 rows, tests on the last 600, and
/// prints the spread of the pooled features, the norms of adapters and head, and accuracies.
/// </summary>
internal static class Probe
{
    public static void Run(string modelDir, string dataPath, string variant, double lr, int epochs, int rank, string targets)
    {
        var rows = AdultText.Load(dataPath);
        var trainRows = rows.Take(2000).ToList();
        var testRows = rows.Skip(rows.Count - 600).ToList();
        var labels = new[] { "<=50K", ">50K" };
        var tokenizer = ModelDirectory.LoadTokenizer(modelDir);
        var builder = new ExampleBuilder(tokenizer, 96);
        var train = trainRows.Select(r => builder.Classification(r.Text, Array.IndexOf(labels, r.Income))).ToList();
        var test = testRows.Select(r => builder.Classification(r.Text, Array.IndexOf(labels, r.Income))).ToList();
        manual_seed(42);
        if (Environment.GetEnvironmentVariable("EOS") == "1")
        {
            train = train.Select(e => e with { InputIds = [.. e.InputIds, tokenizer.EndOfTextId] }).ToList();
            test = test.Select(e => e with { InputIds = [.. e.InputIds, tokenizer.EndOfTextId] }).ToList();
        }

        using var model = ModelDirectory.LoadClassifier(modelDir, 2);

        IReadOnlyList<(string Path, LoraLayer Layer)> adapters = [];
        if (variant is "lora" or "lora-frozen-head")
        {
            adapters = LoraInjection.Inject(model, new LoraOptions { Rank = rank, Alpha = 2 * rank, Dropout = 0.05, TargetModules = targets.Split(',') });
            model.Score.weight!.requires_grad = variant == "lora";
            if (Environment.GetEnvironmentVariable("WTE") == "1")
            {
                model.Transformer.TokenEmbedding.requires_grad = true;
            }
        }
        else if (variant == "full-linear")
        {
            foreach (var (name, p) in model.named_parameters())
            {
                p.requires_grad = System.Text.RegularExpressions.Regex.IsMatch(name, targets) || name.StartsWith("score", StringComparison.Ordinal);
            }
        }
        else if (variant == "head")
        {
            foreach (var p in model.parameters())
            {
                p.requires_grad = false;
            }

            model.Score.weight!.requires_grad = true;
        }

        Pooled(model, train, tokenizer.EndOfTextId, "before");
        if (variant == "logreg")
        {
            foreach (var mode in new[] { "last", "mean" })
            {
                var (xtr, ytr) = Features(model, train, tokenizer.EndOfTextId, mode);
                var (xte, yte) = Features(model, test, tokenizer.EndOfTextId, mode);
                var raw = Environment.GetEnvironmentVariable("RAW") == "1";
                var mu = raw ? zeros(xtr.shape[1]) : xtr.mean([0]);
                var sd = raw ? ones(xtr.shape[1]) : xtr.std(0).add(1e-6);
                xtr = xtr.sub(mu).div(sd);
                xte = xte.sub(mu).div(sd);
                var w = new TorchSharp.Modules.Parameter(zeros(xtr.shape[1], 2));
                var bias = new TorchSharp.Modules.Parameter(zeros(2));
                var opt = optim.Adam([w, bias], lr);
                for (var it = 0; it < epochs; it++)
                {
                    opt.zero_grad();
                    var l = nn.functional.cross_entropy(xtr.matmul(w).add(bias), ytr).add(w.pow(2).sum().mul(1e-4));
                    l.backward();
                    opt.step();
                }

                using var ng = no_grad();
                var accTr = xtr.matmul(w).add(bias).argmax(1).eq(ytr).to_type(ScalarType.Float32).mean().item<float>();
                var accTe = xte.matmul(w).add(bias).argmax(1).eq(yte).to_type(ScalarType.Float32).mean().item<float>();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"logreg on {mode}-pooled frozen features ({(raw ? "raw" : "standardised")}): train acc {accTr:F3}, test acc {accTe:F3}"));
            }

            return;
        }

        var names = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Console.WriteLine($"trainable tensors: {names.Count}: {string.Join(" ", names.Take(6))} ...");
        var scoreBefore = model.Score.weight!.norm().item<float>();
        var trainer = new Trainer(model, new TrainerOptions { LearningRate = lr,  Epochs = epochs, MaxBatchSize = 32, WarmupSteps = 10, Seed = 42 }, CPU, tokenizer.EndOfTextId);
        var result = trainer.Train(train, []);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss first {result.Steps[0].Loss:F3} last10 {result.Steps.TakeLast(10).Average(s => s.Loss):F3}, steps {result.Steps.Count}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"score norm {scoreBefore:F4} -> {model.Score.weight!.norm().item<float>():F4}"));
        foreach (var (path, layer) in adapters.Take(3))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: |A| {layer.A.norm().item<float>():F3} |B| {layer.B.norm().item<float>():F4}"));
        }

        var tr = trainer.Evaluate(train);
        var te = trainer.Evaluate(test);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"train acc {tr.Accuracy:F3} loss {tr.Loss:F3}; test acc {te.Accuracy:F3} loss {te.Loss:F3}"));
        Pooled(model, test, tokenizer.EndOfTextId, "after");
    }

    private static (Tensor X, Tensor Y) Features(Gpt2Classifier model, List<TrainingExample> rows, int pad, string mode)
    {
        model.eval();
        using var noGrad = no_grad();
        var xs = new List<Tensor>();
        for (var s = 0; s < rows.Count; s += 100)
        {
            using var batch = TrainingBatch.Create(rows.Skip(s).Take(100).ToList(), pad, classification: true, CPU);
            var (idsT, maskT) = (batch.Ids, batch.Mask);
            var hidden = model.Transformer.forward(idsT);
            var last = maskT.sum(1).sub(1);
            xs.Add(mode == "last"
                ? hidden.gather(1, last.view(-1, 1, 1).expand(-1, 1, hidden.shape[2])).squeeze(1)
                : hidden.mul(maskT.unsqueeze(2)).sum(1).div(maskT.sum(1, keepdim: true)));
        }

        return (cat(xs, 0), tensor(rows.Select(r => (long)r.Label).ToArray()));
    }

    private static void Pooled(Gpt2Classifier model, List<TrainingExample> rows, int pad, string when)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var subset = rows.Take(256).ToList();
        using var batch = TrainingBatch.Create(subset, pad, classification: true, CPU);
        var (idsT, maskT) = (batch.Ids, batch.Mask);
        var hidden = model.Transformer.forward(idsT);
        var last = maskT.sum(1).sub(1);
        var pooled = hidden.gather(1, last.view(-1, 1, 1).expand(-1, 1, hidden.shape[2])).squeeze(1);
        var mean = hidden.mul(maskT.unsqueeze(2)).sum(1).div(maskT.sum(1, keepdim: true));
        var logits = model.forward(idsT, maskT);
        var lastTokens = subset.Select(r => r.InputIds[^1]).Distinct().Count();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{when}] last-token pooled: mean per-dim std {pooled.std(0).mean().item<float>():F4}, row norm {pooled.norm(1).mean().item<float>():F3}; mean-pooled std {mean.std(0).mean().item<float>():F4}; logit diff std {logits[.., 1].sub(logits[.., 0]).std().item<float>():F4}, mean {logits[.., 1].sub(logits[.., 0]).mean().item<float>():F4}; distinct last tokens {lastTokens}; T {t}"));
    }
}

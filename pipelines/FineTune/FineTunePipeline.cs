using Pipelines.Core.Definition;

namespace Pipelines.Examples.FineTune;

/// <summary>
/// pipelines/finetune.yaml written in C#: the same stages, options and connections, so the same fingerprints
/// (and the same cache entries) whichever form a team runs.
/// </summary>
public static class FineTunePipeline
{
    private static readonly string[] Columns =
    [
        "age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
        "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week", "native_country", "income",
    ];

    private const string Text = "A {age}-year-old {sex} {race} person, {marital_status}, works as {occupation} ({workclass}), {hours_per_week} hours a week, education {education}, capital gain {capital_gain}.";

    /// <summary>Builds the pipeline; <paramref name="pipelinesDirectory"/> is the folder holding data/ (relative inputs resolve there).</summary>
    public static PipelineDefinition Build(string pipelinesDirectory) => Pipeline.Create("finetune").Seed(42)
        .BaseDirectory(pipelinesDirectory)
        .Param("columns", Columns)
        .Param("text", Text)
        .Stage("ingest", "ingest", s => s
            .Input("source", "data/adult.data").Input("schema", "../data-schemas/adult.yaml")
            .With("header", false).With("trim", true).With("na_values", new[] { "?", "" }).With("columns", Columns))
        .Stage("validate", "validate", s => s.Input("table", "ingest.table").Input("schema", "../data-schemas/adult.yaml"))
        .Stage("dedup", "dedup", s => s.Input("table", "validate.table").With("mode", "exact").With("columns", Columns))
        .Stage("bias_before", "bias", s => Bias(s.Input("table", "dedup.table")))
        .Stage("split", "split", s => s.Input("table", "dedup.table")
            .With("train", 0.85).With("validation", 0.05).With("test", 0.1).With("stratify_by", "income"))
        .Stage("synthesize", "synthesize", s => s.Input("table", "split.train").Input("holdout", "split.test")
            .With("method", "copula").With("rows", 1500)
            .With("conditions", new Dictionary<string, object> { ["sex"] = "Female", ["income"] = ">50K" }).With("mix", true))
        .Stage("bias_after", "bias", s => Bias(s.Input("table", "synthesize.mixed")))
        .Stage("train_text", "template", s => s.Input("table", "synthesize.mixed").With("template", Text))
        .Stage("validation_text", "template", s => s.Input("table", "split.validation").With("template", Text))
        .Stage("test_text", "template", s => s.Input("table", "split.test").With("template", Text))
        .Stage("decontaminate", "dedup", s => s.Input("table", "train_text.table").Input("across", "test_text.table")
            .With("mode", "near").With("columns", new[] { "text" }).With("threshold", 0.9).With("ngram_size", 3))
        .Stage("pretrain", "pretrain", s => s.Input("corpus", "decontaminate.table")
            .With("text_column", "text").With("vocab_size", 512).With("n_embd", 64).With("n_layer", 2).With("n_head", 4)
            .With("n_positions", 64).With("max_steps", 120).With("batch_size", 32).With("tokens_per_batch", 2048))
        .Stage("tune", "tune", s => Training(s)
            .With("objective", "train").With("metric", "val_loss").With("direction", "minimize").With("n_trials", 20)
            .With("sampler", new Dictionary<string, object> { ["type"] = "tpe", ["n_startup_trials"] = 6 })
            .With("pruner", new Dictionary<string, object> { ["type"] = "median", ["n_startup_trials"] = 5 })
            .With("fixed", Classifier(maxSteps: 10).Append(KeyValuePair.Create("eval_every", (object)5)).ToDictionary())
            .With("search_space", new Dictionary<string, object>
            {
                ["learning_rate"] = new Dictionary<string, object> { ["float"] = new[] { 4.0e-3, 1.2e-2 }, ["log"] = true },
                ["lora.r"] = new Dictionary<string, object> { ["categorical"] = new[] { 4, 8, 16 } },
                ["lora.alpha"] = new Dictionary<string, object> { ["categorical"] = new[] { 8, 16, 32 } },
                ["lora.dropout"] = new Dictionary<string, object> { ["float"] = new[] { 0.0, 0.2 } },
            }))
        .Stage("train", "train", s => Training(s).WithFrom("tune.best_params").WithEach(Classifier(maxSteps: 60)).With("merge", true))
        .Stage("eval", "eval", s => s.Input("data", "test_text.table").Input("base_model", "pretrain.model").Input("adapter", "train.adapter")
            .With("task", "classification").With("text_column", "text").With("label_column", "income").With("positive_label", ">50K")
            .With("sensitive_columns", new[] { "sex", "race" }).With("max_length", 48))
        .Build();

    private static StageBuilder Bias(StageBuilder s) => s
        .With("label", "income").With("positive_label", ">50K").With("sensitive", new[] { "sex", "race" })
        .With("thresholds", new Dictionary<string, object> { ["disparate_impact_min"] = 0.8 }).With("on_violation", "warn");

    private static StageBuilder Training(StageBuilder s) =>
        s.Input("train", "decontaminate.table").Input("validation", "validation_text.table").Input("base_model", "pretrain.model");

    private static Dictionary<string, object> Classifier(int maxSteps) => new()
    {
        ["task"] = "classification", ["text_column"] = "text", ["label_column"] = "income",
        ["max_length"] = 48, ["batch_size"] = 32, ["tokens_per_batch"] = 2048, ["max_steps"] = maxSteps,
        ["lora"] = new Dictionary<string, object> { ["target_modules"] = new[] { "c_attn", "wte" } },
    };

    /// <summary>Sets every option of a map (the classifier settings shared by tune and train).</summary>
    private static StageBuilder WithEach(this StageBuilder s, Dictionary<string, object> options)
    {
        foreach (var (key, value) in options) s.With(key, value);
        return s;
    }
}

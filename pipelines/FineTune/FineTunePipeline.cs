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

    /// <summary>params.size of the YAML form: the quick start's budget (pipelines/finetune.full.yaml holds the full one).</summary>
    private static readonly (string Key, object Value)[] Size =
    [
        ("trials", 2), ("trial_steps", 6), ("trial_share", 0.05), ("trial_rest", 0.95), ("validation_share", 0.1), ("validation_rest", 0.9),
        ("steps", 40), ("eval_share", 0.15), ("eval_rest", 0.85), ("probe_rows", 640), ("max_length", 48), ("threads", 1),
    ];

    private static object S(string key) => Size.Single(p => p.Key == key).Value;

    /// <summary>Builds the pipeline; <paramref name="pipelinesDirectory"/> is the folder holding data/ (relative inputs resolve there).</summary>
    public static PipelineDefinition Build(string pipelinesDirectory)
    {
        var pipeline = Pipeline.Create("finetune").Seed(42)
            .BaseDirectory(pipelinesDirectory)
            .Param("columns", Columns)
            .Param("text", Text);
        foreach (var (key, value) in Size)
        {
            pipeline.Param("size." + key, value);
        }

        return pipeline
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
            .Stage("trial_rows", "split", s => Sample(s.Input("table", "decontaminate.table"), "trial_share", "trial_rest"))
            .Stage("trial_validation", "split", s => Sample(s.Input("table", "validation_text.table"), "validation_share", "validation_rest"))
            .Stage("eval_rows", "split", s => Sample(s.Input("table", "test_text.table"), "eval_share", "eval_rest"))
            .Stage("base", "model", s => s.With("source", "package:all-MiniLM-L6-v2"))
            .Stage("tune", "tune", s => s.Input("train", "trial_rows.train").Input("validation", "trial_validation.train").Input("base_model", "base.model")
                .With("objective", "train").With("metric", "val_loss").With("direction", "minimize").With("n_trials", S("trials"))
                .With("sampler", new Dictionary<string, object> { ["type"] = "tpe", ["n_startup_trials"] = 6 })
                .With("pruner", new Dictionary<string, object> { ["type"] = "median", ["n_startup_trials"] = 5 })
                .With("fixed", Encoder(S("trial_steps")).Concat([KeyValuePair.Create("eval_every", S("trial_steps"))]).ToDictionary())
                .With("search_space", new Dictionary<string, object>
                {
                    ["learning_rate"] = new Dictionary<string, object> { ["float"] = new[] { 5.0e-4, 5.0e-3 }, ["log"] = true },
                    ["lora.r"] = new Dictionary<string, object> { ["categorical"] = new[] { 4, 8, 16 } },
                    ["lora.alpha"] = new Dictionary<string, object> { ["categorical"] = new[] { 8, 16, 32 } },
                    ["lora.dropout"] = new Dictionary<string, object> { ["float"] = new[] { 0.0, 0.2 } },
                }))
            .Stage("train", "train", s => s.Input("train", "decontaminate.table").Input("validation", "trial_validation.train").Input("base_model", "base.model")
                .WithFrom("tune.best_params").WithEach(Encoder(S("steps"))).With("merge", true))
            .Stage("pretrain", "pretrain", s => s.Input("corpus", "decontaminate.table")
                .With("text_column", "text").With("vocab_size", 512).With("n_embd", 64).With("n_layer", 2).With("n_head", 4)
                .With("n_positions", 64).With("max_steps", 120).With("batch_size", 32).With("tokens_per_batch", 2048))
            .Stage("train_scratch", "train", s => s.Input("train", "decontaminate.table").Input("validation", "trial_validation.train").Input("base_model", "pretrain.model")
                .With("task", "classification").With("text_column", "text").With("label_column", "income").With("max_length", S("max_length"))
                .With("batch_size", 32).With("tokens_per_batch", 2048).With("max_steps", 60).With("learning_rate", 8.0e-3)
                .With("lora", new Dictionary<string, object> { ["r"] = 8, ["alpha"] = 16, ["dropout"] = 0.05, ["target_modules"] = new[] { "c_attn", "wte" } }))
            .Stage("eval", "eval", s => s.Input("data", "eval_rows.train").Input("base_model", "base.model").Input("adapter", "train.adapter")
                .Input("train", "decontaminate.table").Input("compare_base_model", "pretrain.model").Input("compare_adapter", "train_scratch.adapter")
                .With("task", "classification").With("text_column", "text").With("label_column", "income").With("positive_label", ">50K")
                .With("sensitive_columns", new[] { "sex", "race" }).With("max_length", S("max_length"))
                .With("linear_probe", true).With("probe_rows", S("probe_rows")))
            .Build();
    }

    private static StageBuilder Sample(StageBuilder s, string share, string rest) => s
        .With("train", S(share)).With("validation", 0.0).With("test", S(rest)).With("stratify_by", "income");

    private static StageBuilder Bias(StageBuilder s) => s
        .With("label", "income").With("positive_label", ">50K").With("sensitive", new[] { "sex", "race" })
        .With("thresholds", new Dictionary<string, object> { ["disparate_impact_min"] = 0.8 }).With("on_violation", "warn");

    // The LoRA classifier settings shared by tune (fixed) and train, on the BERT encoder.
    private static Dictionary<string, object> Encoder(object maxSteps) => new()
    {
        ["task"] = "classification", ["text_column"] = "text", ["label_column"] = "income",
        ["max_length"] = S("max_length"), ["batch_size"] = 16, ["max_steps"] = maxSteps, ["threads"] = S("threads"),
        ["lora"] = new Dictionary<string, object> { ["target_modules"] = new[] { "query", "key", "value", "dense" } },
    };

    /// <summary>Sets every option of a map (the classifier settings shared by tune and train).</summary>
    private static StageBuilder WithEach(this StageBuilder s, Dictionary<string, object> options)
    {
        foreach (var (key, value) in options) s.With(key, value);
        return s;
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// Trains the trainable parameters of a GPT-2 model (adapters, or everything for full fine-tuning) with AdamW,
/// linear warm-up + cosine decay, gradient clipping and accumulation, token-budget batches, periodic evaluation,
/// early stopping (best weights restored) and checkpoint/resume. Same data, options and seed give the same losses on CPU.
/// </summary>
public sealed class Trainer
{
    private readonly nn.Module _model;
    private readonly TrainerOptions _options;
    private readonly Device _device;
    private readonly int _padId;
    private readonly ILogger _logger;
    private readonly bool _classification;

    /// <summary>Creates a trainer for <paramref name="model"/> (an <see cref="ICausalLanguageModel"/> or <see cref="ISequenceClassifier"/> module, GPT-2 or Llama, already on <paramref name="device"/>).</summary>
    /// <exception cref="ArgumentException">The options are invalid (all problems in one message).</exception>
    public Trainer(nn.Module model, TrainerOptions options, Device device, int padId, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (model is not (ICausalLanguageModel or ISequenceClassifier))
        {
            throw new ArgumentException($"Model type {model.GetType().Name} is not supported for training.", nameof(model));
        }

        var validation = new TrainerOptionsValidator().Validate(options);
        if (!validation.IsValid)
        {
            throw new ArgumentException(string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)));
        }

        _model = model;
        _options = options with { };
        _device = device;
        _padId = padId;
        _classification = model is ISequenceClassifier;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Called after each optimiser step (progress, tests).</summary>
    public Action<TrainingStep>? StepCompleted { get; init; }

    /// <summary>The level of the per-evaluation "Step 10/30: ..." lines (default Information; a tuning trial lowers it so a search prints one line per trial).</summary>
    public LogLevel EvaluationLogLevel { get; init; } = LogLevel.Information;

    /// <summary>Receives validation losses when the run is a tuning trial; a pruned trial throws <see cref="TrialPrunedException"/>.</summary>
    public IIntermediateReporter? Reporter { get; init; }

    /// <summary>Runs training. On cancellation a checkpoint is written first (when configured), then the cancellation is thrown.</summary>
    /// <exception cref="ArgumentException">The training set is empty.</exception>
    public TrainingResult Train(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty: there is nothing to train on.", nameof(train));
        }

        var o = _options;
        TorchThreads.Use(o.Threads);
        var parameters = _model.parameters().Where(p => p.requires_grad).ToList();
        if (parameters.Count == 0)
        {
            throw new ArgumentException("The model has no trainable parameters.", nameof(train));
        }

        var (trainable, total) = LoraInjection.CountParameters(_model);
        using var optimizer = optim.AdamW(parameters, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay);
        var batchesPerEpoch = BatchPlanner.Plan(train, o.TokensPerBatch, o.MaxBatchSize, o.Seed, shuffle: false).Count;
        var stepsPerEpoch = (batchesPerEpoch + o.GradientAccumulation - 1) / o.GradientAccumulation;
        var totalSteps = o.MaxSteps > 0 ? o.MaxSteps : stepsPerEpoch * o.Epochs;
        var epochs = o.MaxSteps > 0 ? int.MaxValue : o.Epochs;

        var state = new TrainerCheckpoint();
        manual_seed(o.Seed);
        var resumed = 0;
        if (o.CheckpointDirectory is { } dir && TrainerCheckpoint.Exists(dir))
        {
            state = TrainerCheckpoint.Load(dir, _model, optimizer);
            resumed = state.Step;
            _logger.LogInformation("Resuming training from checkpoint '{Directory}' at step {Step}.", dir, state.Step);
        }

        var best = state.BestLoss < double.PositiveInfinity ? Snapshot(parameters) : null;
        var stopwatch = Stopwatch.StartNew();
        var step = state.Step;
        var stop = step >= totalSteps;
        var stoppedEarly = false;
        for (var epoch = state.Epoch; epoch < epochs && !stop; epoch++)
        {
            var plan = BatchPlanner.Plan(train, o.TokensPerBatch, o.MaxBatchSize, o.Seed + epoch, shuffle: true);
            var first = epoch == state.Epoch ? state.Batch : 0;
            double stepLoss = 0;
            long stepTokens = 0;
            var micro = 0;
            _model.train();
            for (var b = first; b < plan.Count && !stop; b++)
            {
                using (NewDisposeScope())
                {
                    using var batch = TrainingBatch.Create(plan[b].Select(i => train[i]).ToList(), _padId, _classification, _device);
                    var loss = Objective.Loss(_model, batch, nn.Reduction.Mean);
                    loss.div(o.GradientAccumulation).backward();
                    stepLoss += loss.item<float>();
                    stepTokens += batch.Tokens;
                }

                micro++;
                if (micro < o.GradientAccumulation && b + 1 < plan.Count)
                {
                    continue;
                }

                var lr = LearningRateSchedule.At(step, totalSteps, o.WarmupSteps, o.LearningRate);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = lr;
                }

                if (o.MaxGradNorm > 0)
                {
                    nn.utils.clip_grad_norm_(parameters, o.MaxGradNorm);
                }

                optimizer.step();
                optimizer.zero_grad();
                var record = new TrainingStep(step + 1, stepLoss / micro, lr, stepTokens, totalSteps);
                step++;
                state.Steps.Add(record);
                state = state with { Step = step, Epoch = epoch, Batch = b + 1, Tokens = state.Tokens + stepTokens };
                stepLoss = 0;
                stepTokens = 0;
                micro = 0;
                StepCompleted?.Invoke(record);

                var endOfEpoch = b + 1 == plan.Count;
                var evaluate = validation.Count > 0 && (o.EvalEvery > 0 ? step % o.EvalEvery == 0 || step == totalSteps : endOfEpoch || step == totalSteps);
                if (evaluate)
                {
                    var point = Evaluate(validation, step);
                    state.Evaluations.Add(point);
                    _logger.Log(EvaluationLogLevel, "Step {Step}/{Total}: train loss {Train:F4}, validation loss {Loss:F4}.", step, totalSteps, record.Loss, point.Loss);
                    if (point.Loss < state.BestLoss)
                    {
                        state = state with { BestLoss = point.Loss, BadEvaluations = 0 };
                        DisposeAll(best);
                        best = Snapshot(parameters);
                    }
                    else
                    {
                        state = state with { BadEvaluations = state.BadEvaluations + 1 };
                    }

                    if (Reporter is { } reporter)
                    {
                        reporter.Report(point.Loss, step);
                        if (reporter.ShouldPrune())
                        {
                            throw new TrialPrunedException(step);
                        }
                    }

                    if (o.EarlyStoppingPatience > 0 && state.BadEvaluations >= o.EarlyStoppingPatience)
                    {
                        _logger.LogInformation("Early stopping at step {Step}: no better validation loss in {Patience} evaluations.", step, o.EarlyStoppingPatience);
                        stop = stoppedEarly = true;
                    }

                    _model.train();
                }

                if (step >= totalSteps)
                {
                    stop = true;
                }

                var checkpoint = o.CheckpointDirectory is not null && (evaluate || (o.CheckpointEvery > 0 && step % o.CheckpointEvery == 0));
                if (o.CheckpointDirectory is { } checkpointDir && (checkpoint || cancellationToken.IsCancellationRequested))
                {
                    var next = endOfEpoch ? state with { Epoch = epoch + 1, Batch = 0 } : state;
                    next.Save(checkpointDir, _model, optimizer);
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        stopwatch.Stop();
        if (best is not null)
        {
            Restore(parameters, best);
            DisposeAll(best);
        }

        _model.eval();
        return new TrainingResult
        {
            Steps = state.Steps,
            Evaluations = state.Evaluations,
            BestValidationLoss = state.Evaluations.Count > 0 ? state.BestLoss : null,
            StoppedEarly = stoppedEarly,
            Tokens = state.Tokens,
            Seconds = stopwatch.Elapsed.TotalSeconds,
            TrainableParameters = trainable,
            TotalParameters = total,
            PeakMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            ResumedFromStep = resumed,
        };
    }

    /// <summary>Mean validation loss (per token for causal LM, per row for classification) and accuracy for classification.</summary>
    public EvaluationPoint Evaluate(IReadOnlyList<TrainingExample> examples, int step = 0)
    {
        ArgumentNullException.ThrowIfNull(examples);
        TorchThreads.Use(_options.Threads);
        _model.eval();
        double lossSum = 0;
        long terms = 0, correct = 0;
        using var noGrad = no_grad();
        foreach (var indices in BatchPlanner.Plan(examples, _options.TokensPerBatch, _options.MaxBatchSize, 0, shuffle: false))
        {
            using var scope = NewDisposeScope();
            using var batch = TrainingBatch.Create(indices.Select(i => examples[i]).ToList(), _padId, _classification, _device);
            lossSum += Objective.Loss(_model, batch, nn.Reduction.Sum).item<float>();
            terms += Objective.Terms(_model, batch);
            if (_model is ISequenceClassifier classifier)
            {
                correct += classifier.forward(batch.Ids, batch.Mask).argmax(1).eq(batch.Targets).sum().item<long>();
            }
        }

        return new EvaluationPoint(step, terms > 0 ? lossSum / terms : double.NaN, _classification && terms > 0 ? (double)correct / terms : null);
    }

    private static List<Tensor> Snapshot(List<TorchSharp.Modules.Parameter> parameters) =>
        parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();

    private static void Restore(List<TorchSharp.Modules.Parameter> parameters, List<Tensor> values)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Count; i++)
        {
            parameters[i].copy_(values[i]);
        }
    }

    private static void DisposeAll(List<Tensor>? tensors)
    {
        if (tensors is null)
        {
            return;
        }

        foreach (var t in tensors)
        {
            t.Dispose();
        }
    }
}

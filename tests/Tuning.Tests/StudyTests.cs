namespace Pipelines.Tuning.Tests;

public class StudyTests
{
    private static Study NewStudy(StudyDirection direction = StudyDirection.Minimize, ISampler? sampler = null)
        => Study.Create("test", new InMemoryStorage(), sampler ?? new RandomSampler(42), direction: direction);

    [Test]
    public async Task The_best_trial_has_the_lowest_value_when_minimizing()
    {
        var study = NewStudy();
        await study.OptimizeAsync(t => Math.Pow(t.SuggestFloat("x", -10, 10) - 2, 2), nTrials: 30);

        var values = study.Trials.Select(t => t.Value!.Value).ToList();
        Assert.That(study.Trials, Has.Count.EqualTo(30));
        Assert.That(study.BestValue, Is.EqualTo(values.Min()));
        Assert.That(study.BestTrial.Params["x"], Is.TypeOf<double>());
    }

    [Test]
    public async Task The_best_trial_has_the_highest_value_when_maximizing()
    {
        var study = NewStudy(StudyDirection.Maximize);
        await study.OptimizeAsync(t => t.SuggestFloat("x", 0, 1), nTrials: 10);
        Assert.That(study.BestValue, Is.EqualTo(study.Trials.Max(t => t.Value!.Value)));
    }

    [Test]
    public async Task A_conditional_parameter_exists_only_in_trials_that_chose_its_branch()
    {
        var study = NewStudy();
        await study.OptimizeAsync(
            t =>
            {
                string model = t.SuggestCategorical("model", new[] { "svm", "forest" });
                return model == "svm" ? t.SuggestFloat("c", 1e-3, 1e3, log: true) : t.SuggestInt("depth", 1, 8);
            },
            nTrials: 30);

        foreach (var t in study.Trials)
        {
            bool svm = (string)t.Params["model"]! == "svm";
            Assert.That(t.Params.ContainsKey("c"), Is.EqualTo(svm));
            Assert.That(t.Params.ContainsKey("depth"), Is.EqualTo(!svm));
        }

        Assert.That(study.Trials.Select(t => t.Params["model"]).Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public void Ask_and_tell_records_the_parameters_and_the_value()
    {
        var study = NewStudy();
        var trial = study.Ask();
        long n = trial.SuggestInt("n", 1, 3);
        var frozen = study.Tell(trial, 1.5);

        Assert.That(frozen.State, Is.EqualTo(TrialState.Complete));
        Assert.That(frozen.Value, Is.EqualTo(1.5));
        Assert.That(frozen.Params["n"], Is.EqualTo(n));
        Assert.That(frozen.Duration, Is.Not.Null);
    }

    [Test]
    public void Asking_with_fixed_distributions_suggests_them_at_once()
    {
        var study = NewStudy();
        var trial = study.Ask(new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 1) });
        Assert.That(trial.Params.Keys, Is.EqualTo(new[] { "x" }));
    }

    [Test]
    public void Telling_a_finished_trial_again_is_an_error()
    {
        var study = NewStudy();
        var trial = study.Ask();
        study.Tell(trial, 1);
        Assert.Throws<InvalidOperationException>(() => study.Tell(trial, 2));
    }

    [Test]
    public async Task A_failing_objective_leaves_a_failed_trial_with_the_exception_message_and_the_study_goes_on()
    {
        var study = NewStudy();
        await study.OptimizeAsync(
            t =>
            {
                double x = t.SuggestFloat("x", 0, 1);
                return t.Number == 1 ? throw new InvalidDataException("column 'loss' is missing") : x;
            },
            nTrials: 3);

        var failed = study.Trials[1];
        Assert.That(failed.State, Is.EqualTo(TrialState.Fail));
        Assert.That(failed.Value, Is.Null);
        Assert.That(failed.FailReason, Is.EqualTo("InvalidDataException: column 'loss' is missing"));
        Assert.That(study.GetTrials(TrialState.Complete), Has.Count.EqualTo(2));
    }

    [Test]
    public void A_nan_value_fails_the_trial()
    {
        var study = NewStudy();
        var frozen = study.Tell(study.Ask(), double.NaN);
        Assert.That(frozen.State, Is.EqualTo(TrialState.Fail));
        Assert.That(frozen.FailReason, Does.Contain("NaN"));
    }

    [Test]
    public async Task A_pruned_trial_keeps_its_last_intermediate_value()
    {
        var study = NewStudy();
        await study.OptimizeAsync(
            t =>
            {
                t.Report(5, 0);
                t.Report(4, 1);
                throw new TrialPrunedException();
            },
            nTrials: 1);

        var t = study.Trials[0];
        Assert.That(t.State, Is.EqualTo(TrialState.Pruned));
        Assert.That(t.Value, Is.EqualTo(4));
        Assert.That(t.IntermediateValues, Is.EqualTo(new Dictionary<int, double> { [0] = 5, [1] = 4 }));
    }

    [Test]
    public async Task Enqueued_parameters_are_used_by_the_next_trial_and_others_are_sampled()
    {
        var study = NewStudy();
        study.EnqueueTrial(new Dictionary<string, object?> { ["x"] = 0.25, ["kind"] = "b" }, new Dictionary<string, object?> { ["source"] = "baseline" });
        await study.OptimizeAsync(
            t =>
            {
                string kind = t.SuggestCategorical("kind", new[] { "a", "b" });
                return t.SuggestFloat("x", 0, 1) + t.SuggestFloat("y", 0, 1) + (kind == "a" ? 1 : 0);
            },
            nTrials: 2);

        var first = study.Trials[0];
        Assert.That(first.Params["x"], Is.EqualTo(0.25));
        Assert.That(first.Params["kind"], Is.EqualTo("b"));
        Assert.That((double)first.Params["y"]!, Is.InRange(0.0, 1.0));
        Assert.That(first.UserAttrs["source"].GetString(), Is.EqualTo("baseline"));
        Assert.That(study.Trials, Has.Count.EqualTo(2));
    }

    [Test]
    public void An_enqueued_value_outside_the_distribution_is_a_clear_error()
    {
        var study = NewStudy();
        study.EnqueueTrial(new Dictionary<string, object?> { ["x"] = 5.0 });
        var trial = study.Ask();
        var ex = Assert.Throws<ArgumentException>(() => trial.SuggestFloat("x", 0, 1));
        Assert.That(ex!.Message, Does.Contain("'x'"));
    }

    [Test]
    public async Task User_attributes_are_stored_with_the_trial()
    {
        var study = NewStudy();
        await study.OptimizeAsync(
            t =>
            {
                t.SetUserAttr("epochs", 3);
                t.SetUserAttr("note", "ok");
                return 0;
            },
            nTrials: 1);

        var attrs = study.Trials[0].UserAttrs;
        Assert.That(attrs["epochs"].GetInt32(), Is.EqualTo(3));
        Assert.That(attrs["note"].GetString(), Is.EqualTo("ok"));
    }

    [Test]
    public void Suggesting_a_name_again_returns_the_same_value_but_a_new_range_is_an_error()
    {
        var study = NewStudy();
        var trial = study.Ask();
        double x = trial.SuggestFloat("x", 0, 1);
        Assert.That(trial.SuggestFloat("x", 0, 1), Is.EqualTo(x));
        Assert.Throws<ArgumentException>(() => trial.SuggestFloat("x", 0, 2));
    }

    [Test]
    public async Task Parallel_jobs_run_exactly_the_requested_number_of_trials_with_unique_numbers()
    {
        var study = NewStudy();
        await study.OptimizeAsync(
            async (t, ct) =>
            {
                double x = t.SuggestFloat("x", 0, 1);
                await Task.Delay(2, ct);
                return x;
            },
            nTrials: 40,
            nJobs: 4);

        Assert.That(study.Trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, 40)));
        Assert.That(study.Trials.All(t => t.State == TrialState.Complete), Is.True);
    }

    [Test]
    public async Task A_timeout_stops_starting_new_trials()
    {
        var study = NewStudy();
        await study.OptimizeAsync(
            async (t, ct) =>
            {
                await Task.Delay(50, ct);
                return 0;
            },
            timeout: TimeSpan.FromMilliseconds(300));

        Assert.That(study.Trials.Count, Is.InRange(2, 8));
    }

    [Test]
    public async Task Stop_ends_the_optimisation_after_the_current_trial()
    {
        var study = NewStudy();
        await study.OptimizeAsync(
            t =>
            {
                if (t.Number == 4)
                {
                    t.Study.Stop();
                }

                return 0;
            },
            nTrials: 100);

        Assert.That(study.Trials, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task The_same_seed_gives_the_same_parameters_even_with_parallel_jobs()
    {
        async Task<List<object?>> Run(int jobs)
        {
            var study = NewStudy(sampler: new RandomSampler(7));
            await study.OptimizeAsync(t => t.SuggestFloat("x", -1, 1) + t.SuggestInt("n", 0, 100), nTrials: 20, nJobs: jobs);
            return study.Trials.SelectMany(t => new[] { t.Params["x"], t.Params["n"] }).ToList();
        }

        Assert.That(await Run(4), Is.EqualTo(await Run(1)));
    }

    [Test]
    public void Invalid_optimize_arguments_are_rejected_with_the_argument_name()
    {
        var study = NewStudy();
        var ex = Assert.ThrowsAsync<ArgumentException>(() => study.OptimizeAsync(_ => 0, nTrials: 0));
        Assert.That(ex!.Message, Does.Contain("n_trials must be at least 1, but got 0"));
        Assert.ThrowsAsync<ArgumentException>(() => study.OptimizeAsync(_ => 0, nTrials: 1, nJobs: 0));
    }

    [Test]
    public void Best_trial_of_an_empty_study_is_a_clear_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => _ = NewStudy().BestTrial);
        Assert.That(ex!.Message, Does.Contain("no complete trials"));
    }

    [Test]
    public void Creating_an_existing_study_needs_load_if_exists()
    {
        var storage = new InMemoryStorage();
        Study.Create("s", storage);
        Assert.Throws<InvalidOperationException>(() => Study.Create("s", storage));
        Assert.That(Study.Create("s", storage, loadIfExists: true).Name, Is.EqualTo("s"));
    }

    [Test]
    public async Task A_trial_failed_as_stale_while_its_worker_still_ran_keeps_its_failure_and_the_study_goes_on()
    {
        var clock = new Storage.ManualTimeProvider();
        var options = new StudyOptions { HeartbeatInterval = TimeSpan.FromSeconds(30), GracePeriod = TimeSpan.FromMinutes(1) };
        var study = Study.Create("stale", new InMemoryStorage(clock), new RandomSampler(1), options: options);
        await study.OptimizeAsync(
            t =>
            {
                if (t.Number == 0)
                {
                    // The worker looks dead to everyone else: its last heartbeat is an hour old.
                    clock.Advance(TimeSpan.FromHours(1));
                    Assert.That(t.Study.FailStaleTrials(), Has.Count.EqualTo(1));
                }

                return t.SuggestFloat("x", 0, 1);
            },
            nTrials: 3);

        Assert.That(study.Trials.Select(t => t.State), Is.EqualTo(new[] { TrialState.Fail, TrialState.Complete, TrialState.Complete }));
        Assert.That(study.Trials[0].FailReason, Does.Contain("heartbeats"));
    }

    [Test]
    public void With_retries_a_trial_failed_as_stale_is_enqueued_again_with_its_parameters()
    {
        var clock = new Storage.ManualTimeProvider();
        var options = new StudyOptions { HeartbeatInterval = TimeSpan.FromSeconds(30), GracePeriod = TimeSpan.FromMinutes(1), RetryStaleTrials = true };
        var storage = new InMemoryStorage(clock);
        var study = Study.Create("retry", storage, new RandomSampler(1), options: options);
        var dead = study.Ask();
        double x = dead.SuggestFloat("x", 0, 1);
        storage.RecordHeartbeat(dead.TrialId);
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.That(study.FailStaleTrials(), Is.EqualTo(new[] { dead.TrialId }));
        Assert.That(study.FailStaleTrials(), Is.Empty, "a trial is failed, and retried, once");
        var retry = study.Ask();
        Assert.That(retry.Number, Is.EqualTo(1));
        Assert.That(retry.SuggestFloat("x", 0, 1), Is.EqualTo(x));
        Assert.That(storage.GetTrial(retry.TrialId).SystemAttrs["retried_from"].GetInt32(), Is.EqualTo(0));
    }
}

using System.Text.Json;

namespace Pipelines.Tuning.Tests.Storage;

/// <summary>The behaviour every <see cref="IStudyStorage"/> must share.</summary>
[TestFixtureSource(nameof(Kinds))]
public class StorageContractTests
{
    public static readonly object[] Kinds = ["memory", "sqlite", "postgres"];

    private readonly string _kind;
    private string _dir = "";
    private string _postgres = "";
    private readonly List<IDisposable> _disposables = [];

    public StorageContractTests(string kind)
    {
        _kind = kind;
    }

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "tuning-storage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        if (_kind == "postgres")
        {
            _postgres = LocalPostgres.Instance.NewSchemaConnectionString();
        }
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var d in _disposables)
        {
            d.Dispose();
        }

        _disposables.Clear();
        Directory.Delete(_dir, recursive: true);
    }

    private IStudyStorage NewStorage(TimeProvider? time = null)
    {
        if (_kind == "memory")
        {
            return new InMemoryStorage(time);
        }

        IStudyStorage s = _kind == "postgres"
            ? new PostgresStorage(_postgres, time)
            : new SqliteStorage(Path.Combine(_dir, "study.db"), timeProvider: time);
        _disposables.Add((IDisposable)s);
        return s;
    }

    [Test]
    public void A_duplicate_study_name_is_rejected()
    {
        var storage = NewStorage();
        storage.CreateStudy("a", StudyDirection.Minimize);
        Assert.Throws<InvalidOperationException>(() => storage.CreateStudy("a", StudyDirection.Maximize));
        Assert.That(storage.FindStudy("a")!.Direction, Is.EqualTo(StudyDirection.Minimize));
        Assert.That(storage.FindStudy("b"), Is.Null);
    }

    [Test]
    public void Trial_numbers_start_at_zero_in_each_study()
    {
        var storage = NewStorage();
        int a = storage.CreateStudy("a", StudyDirection.Minimize);
        int b = storage.CreateStudy("b", StudyDirection.Minimize);
        storage.CreateTrial(a);
        storage.CreateTrial(a);
        storage.CreateTrial(b);

        Assert.That(storage.GetAllTrials(a).Select(t => t.Number), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(storage.GetAllTrials(b).Select(t => t.Number), Is.EqualTo(new[] { 0 }));
        Assert.That(storage.GetAllStudies().Select(s => s.Name), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Params_values_attributes_and_intermediate_values_round_trip()
    {
        var storage = NewStorage();
        int s = storage.CreateStudy("a", StudyDirection.Minimize);
        long id = storage.CreateTrial(s);
        var cat = new CategoricalDistribution(new object?[] { "x", 2L, 0.5 });
        storage.SetTrialParam(id, "lr", 0.01, new FloatDistribution(1e-4, 1, log: true));
        storage.SetTrialParam(id, "c", 2, cat);
        storage.SetTrialIntermediateValue(id, 0, 3.5);
        storage.SetTrialIntermediateValue(id, 2, double.NaN);
        storage.SetTrialUserAttr(id, "note", "\"hi\"");
        storage.SetTrialSystemAttr(id, "k", "[1,2]");
        storage.SetTrialState(id, TrialState.Complete, 1.25);

        var t = storage.GetTrial(id);
        Assert.That(t.State, Is.EqualTo(TrialState.Complete));
        Assert.That(t.Value, Is.EqualTo(1.25));
        Assert.That(t.Params["lr"], Is.EqualTo(0.01));
        Assert.That(t.Params["c"], Is.EqualTo(0.5));
        Assert.That(t.Distributions["c"], Is.EqualTo(cat));
        Assert.That(t.IntermediateValues[0], Is.EqualTo(3.5));
        Assert.That(double.IsNaN(t.IntermediateValues[2]), Is.True);
        Assert.That(t.LastStep, Is.EqualTo(2));
        Assert.That(t.UserAttrs["note"].GetString(), Is.EqualTo("hi"));
        Assert.That(t.SystemAttrs["k"].GetArrayLength(), Is.EqualTo(2));
        Assert.That(t.DatetimeStart, Is.Not.Null);
        Assert.That(t.DatetimeComplete!.Value, Is.GreaterThanOrEqualTo(t.DatetimeStart!.Value));
    }

    [Test]
    public void A_finished_trial_cannot_change()
    {
        var storage = NewStorage();
        int s = storage.CreateStudy("a", StudyDirection.Minimize);
        long id = storage.CreateTrial(s);
        storage.SetTrialState(id, TrialState.Pruned, 2);

        Assert.Throws<InvalidOperationException>(() => storage.SetTrialState(id, TrialState.Complete, 1));
        Assert.Throws<InvalidOperationException>(() => storage.SetTrialParam(id, "x", 1, new FloatDistribution(0, 2)));
        Assert.Throws<InvalidOperationException>(() => storage.SetTrialIntermediateValue(id, 1, 1));
        Assert.Throws<KeyNotFoundException>(() => storage.GetTrial(id + 1000));
    }

    [Test]
    public void A_repeated_intermediate_step_keeps_the_first_value()
    {
        var storage = NewStorage();
        long id = storage.CreateTrial(storage.CreateStudy("a", StudyDirection.Minimize));
        Assert.That(storage.SetTrialIntermediateValue(id, 1, 5), Is.True);
        Assert.That(storage.SetTrialIntermediateValue(id, 1, 7), Is.False);
        Assert.That(storage.GetTrial(id).IntermediateValues[1], Is.EqualTo(5));
    }

    [Test]
    public void Waiting_trials_are_popped_once_in_number_order()
    {
        var storage = NewStorage();
        int s = storage.CreateStudy("a", StudyDirection.Minimize);
        long w1 = storage.CreateTrial(s, TrialState.Waiting, new Dictionary<string, string> { ["fixed_params"] = "{\"x\":1}" });
        long w2 = storage.CreateTrial(s, TrialState.Waiting);

        Assert.That(storage.GetTrial(w1).DatetimeStart, Is.Null);
        Assert.That(storage.PopWaitingTrial(s), Is.EqualTo(w1));
        Assert.That(storage.PopWaitingTrial(s), Is.EqualTo(w2));
        Assert.That(storage.PopWaitingTrial(s), Is.Null);
        Assert.That(storage.GetTrial(w1).State, Is.EqualTo(TrialState.Running));
        Assert.That(storage.GetTrial(w1).SystemAttrs["fixed_params"].GetProperty("x").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void Concurrent_trial_creation_never_loses_or_duplicates_numbers()
    {
        var storage = NewStorage();
        int s = storage.CreateStudy("a", StudyDirection.Minimize);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (int i = 0; i < 25; i++)
            {
                long id = storage.CreateTrial(s);
                storage.SetTrialState(id, TrialState.Complete, i);
            }
        });

        Assert.That(storage.GetAllTrials(s).Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, 200)));
    }

    [Test]
    public void A_running_trial_without_heartbeats_for_longer_than_the_grace_period_is_failed()
    {
        var clock = new ManualTimeProvider();
        var storage = NewStorage(clock);
        int s = storage.CreateStudy("a", StudyDirection.Minimize);
        long beating = storage.CreateTrial(s);
        long silent = storage.CreateTrial(s);
        long never = storage.CreateTrial(s);
        storage.RecordHeartbeat(beating);
        storage.RecordHeartbeat(silent);
        clock.Advance(TimeSpan.FromSeconds(50));
        storage.RecordHeartbeat(beating);
        clock.Advance(TimeSpan.FromSeconds(20));

        var failed = storage.FailStaleTrials(s, TimeSpan.FromSeconds(60));

        Assert.That(failed, Is.EqualTo(new[] { silent }));
        Assert.That(storage.GetTrial(silent).State, Is.EqualTo(TrialState.Fail));
        Assert.That(storage.GetTrial(silent).FailReason, Does.Contain("heartbeat"));
        Assert.That(storage.GetTrial(beating).State, Is.EqualTo(TrialState.Running));
        Assert.That(storage.GetTrial(never).State, Is.EqualTo(TrialState.Running));
        Assert.That(storage.FailStaleTrials(s, TimeSpan.FromSeconds(60)), Is.Empty);
    }

    [Test]
    public void Deleting_a_study_removes_it_and_its_trials()
    {
        var storage = NewStorage();
        int s = storage.CreateStudy("a", StudyDirection.Minimize);
        long id = storage.CreateTrial(s);
        storage.DeleteStudy(s);
        Assert.That(storage.FindStudy("a"), Is.Null);
        Assert.Throws<KeyNotFoundException>(() => storage.GetTrial(id));
    }

    [Test]
    public async Task Loading_a_study_resumes_its_numbering_and_history()
    {
        var storage = NewStorage();
        var first = Study.Create("resume", storage, new RandomSampler(1));
        await first.OptimizeAsync(t => t.SuggestFloat("x", 0, 1), nTrials: 5);

        var again = Study.Load("resume", storage, new RandomSampler(1));
        await again.OptimizeAsync(t => t.SuggestFloat("x", 0, 1), nTrials: 5);

        Assert.That(again.Trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(again.BestValue, Is.EqualTo(again.Trials.Min(t => t.Value!.Value)));
    }

    [Test]
    public void A_user_attribute_keeps_its_json_shape()
    {
        var storage = NewStorage();
        var study = Study.Create("attrs", storage, new RandomSampler(1));
        var trial = study.Ask();
        trial.SetUserAttr("metrics", new Dictionary<string, double> { ["f1"] = 0.5 });
        study.Tell(trial, 1);
        Assert.That(study.Trials[0].UserAttrs["metrics"].GetProperty("f1").GetDouble(), Is.EqualTo(0.5));
        Assert.That(study.Trials[0].UserAttrs["metrics"].ValueKind, Is.EqualTo(JsonValueKind.Object));
    }

    [Test]
    public void Reading_all_trials_always_shows_the_latest_state_of_unfinished_trials()
    {
        var storage = NewStorage();
        int s = storage.CreateStudy("a", StudyDirection.Minimize);
        long first = storage.CreateTrial(s);
        long second = storage.CreateTrial(s);
        storage.SetTrialState(first, TrialState.Complete, 1);
        Assert.That(storage.GetAllTrials(s).Select(t => t.State), Is.EqualTo(new[] { TrialState.Complete, TrialState.Running }));

        storage.SetTrialParam(second, "x", 0.5, new FloatDistribution(0, 1));
        storage.SetTrialIntermediateValue(second, 0, 2);
        Assert.That(storage.GetAllTrials(s)[1].Params["x"], Is.EqualTo(0.5));

        storage.SetTrialState(second, TrialState.Pruned, 2);
        long third = storage.CreateTrial(s);
        var all = storage.GetAllTrials(s);
        Assert.That(all.Select(t => t.State), Is.EqualTo(new[] { TrialState.Complete, TrialState.Pruned, TrialState.Running }));
        Assert.That(all[1].Value, Is.EqualTo(2));
        Assert.That(all[2].TrialId, Is.EqualTo(third));
        Assert.That(all[0].Value, Is.EqualTo(1));
    }
}

using System.Text.Json;

namespace Pipelines.Tuning;

/// <summary>A storage in process memory: fast, lost when the process ends. Thread-safe (one lock).</summary>
public sealed class InMemoryStorage : IStudyStorage
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly List<StudyRecord> _studies = [];
    private readonly Dictionary<long, TrialRecord> _trials = [];
    private int _nextStudyId;
    private long _nextTrialId;

    /// <summary>Creates an empty storage.</summary>
    /// <param name="timeProvider">Clock for start/end times and heartbeats. Default <see cref="TimeProvider.System"/>.</param>
    public InMemoryStorage(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public int CreateStudy(string name, StudyDirection direction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            if (_studies.Any(s => s.Name == name))
            {
                throw new InvalidOperationException($"A study named '{name}' already exists.");
            }

            var s = new StudyRecord(_nextStudyId++, name, direction);
            _studies.Add(s);
            return s.Id;
        }
    }

    /// <inheritdoc />
    public StudySummary? FindStudy(string name)
    {
        lock (_gate)
        {
            var s = _studies.FirstOrDefault(x => x.Name == name);
            return s is null ? null : new StudySummary(s.Id, s.Name, s.Direction);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<StudySummary> GetAllStudies()
    {
        lock (_gate)
        {
            return _studies.Select(s => new StudySummary(s.Id, s.Name, s.Direction)).ToList();
        }
    }

    /// <inheritdoc />
    public void DeleteStudy(int studyId)
    {
        lock (_gate)
        {
            var s = Study(studyId);
            foreach (var t in s.Trials)
            {
                _trials.Remove(t.Id);
            }

            _studies.Remove(s);
        }
    }

    /// <inheritdoc />
    public long CreateTrial(int studyId, TrialState state = TrialState.Running, IReadOnlyDictionary<string, string>? systemAttrs = null)
    {
        if (state is not (TrialState.Running or TrialState.Waiting))
        {
            throw new ArgumentException($"A new trial must be running or waiting, but got {state}.", nameof(state));
        }

        lock (_gate)
        {
            var s = Study(studyId);
            var t = new TrialRecord(_nextTrialId++, s.Trials.Count, s.Id)
            {
                State = state,
                Start = state == TrialState.Running ? Now() : null,
            };
            if (systemAttrs is not null)
            {
                foreach (var (k, v) in systemAttrs)
                {
                    t.SystemAttrs[k] = Parse(v);
                }
            }

            s.Trials.Add(t);
            _trials.Add(t.Id, t);
            return t.Id;
        }
    }

    /// <inheritdoc />
    public long? PopWaitingTrial(int studyId)
    {
        lock (_gate)
        {
            var t = Study(studyId).Trials.FirstOrDefault(x => x.State == TrialState.Waiting);
            if (t is null)
            {
                return null;
            }

            t.State = TrialState.Running;
            t.Start = Now();
            t.Snapshot = null;
            return t.Id;
        }
    }

    /// <inheritdoc />
    public void SetTrialParam(long trialId, string name, double internalValue, Distribution distribution)
    {
        lock (_gate)
        {
            var t = Updatable(trialId);
            t.Params[name] = internalValue;
            t.Distributions[name] = distribution;
            t.Snapshot = null;
        }
    }

    /// <inheritdoc />
    public void SetTrialState(long trialId, TrialState state, double? value)
    {
        lock (_gate)
        {
            var t = Updatable(trialId);
            t.State = state;
            t.Value = value;
            if (state is TrialState.Complete or TrialState.Pruned or TrialState.Fail)
            {
                t.Complete = Now();
            }

            t.Snapshot = null;
        }
    }

    /// <inheritdoc />
    public bool SetTrialIntermediateValue(long trialId, int step, double value)
    {
        lock (_gate)
        {
            var t = Updatable(trialId);
            if (!t.Intermediate.TryAdd(step, value))
            {
                return false;
            }

            t.Snapshot = null;
            return true;
        }
    }

    /// <inheritdoc />
    public void SetTrialUserAttr(long trialId, string key, string json)
    {
        lock (_gate)
        {
            var t = Updatable(trialId);
            t.UserAttrs[key] = Parse(json);
            t.Snapshot = null;
        }
    }

    /// <inheritdoc />
    public void SetTrialSystemAttr(long trialId, string key, string json)
    {
        lock (_gate)
        {
            var t = Updatable(trialId);
            t.SystemAttrs[key] = Parse(json);
            t.Snapshot = null;
        }
    }

    /// <inheritdoc />
    public FrozenTrial GetTrial(long trialId)
    {
        lock (_gate)
        {
            return Freeze(Trial(trialId));
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId)
    {
        lock (_gate)
        {
            var s = Study(studyId);
            var list = new FrozenTrial[s.Trials.Count];
            for (int i = 0; i < list.Length; i++)
            {
                list[i] = Freeze(s.Trials[i]);
            }

            return list;
        }
    }

    /// <inheritdoc />
    public void RecordHeartbeat(long trialId)
    {
        lock (_gate)
        {
            Trial(trialId).Heartbeat = Now();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<long> FailStaleTrials(int studyId, TimeSpan gracePeriod)
    {
        lock (_gate)
        {
            DateTime now = Now();
            var failed = new List<long>();
            foreach (var t in Study(studyId).Trials)
            {
                if (t.State == TrialState.Running && t.Heartbeat is DateTime hb && now - hb > gracePeriod)
                {
                    t.SystemAttrs[SystemAttrKeys.FailReason] = Parse(JsonSerializer.Serialize(StaleMessage(hb)));
                    t.State = TrialState.Fail;
                    t.Complete = now;
                    t.Snapshot = null;
                    failed.Add(t.Id);
                }
            }

            return failed;
        }
    }

    internal static string StaleMessage(DateTime lastHeartbeat)
        => $"The worker stopped sending heartbeats (last at {lastHeartbeat:O}); the trial was marked failed.";

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private StudyRecord Study(int studyId)
        => _studies.FirstOrDefault(s => s.Id == studyId) ?? throw new KeyNotFoundException($"No study with id {studyId}.");

    private TrialRecord Trial(long trialId)
        => _trials.TryGetValue(trialId, out var t) ? t : throw new KeyNotFoundException($"No trial with id {trialId}.");

    private TrialRecord Updatable(long trialId)
    {
        var t = Trial(trialId);
        if (t.State is TrialState.Complete or TrialState.Pruned or TrialState.Fail)
        {
            throw new InvalidOperationException($"Trial {t.Number} is already finished ({t.State}) and cannot be changed.");
        }

        return t;
    }

    private static FrozenTrial Freeze(TrialRecord t)
        => t.Snapshot ??= new FrozenTrial(
            t.Id,
            t.Number,
            t.State,
            t.Value,
            t.Start,
            t.Complete,
            new Dictionary<string, double>(t.Params),
            new Dictionary<string, Distribution>(t.Distributions),
            new Dictionary<string, JsonElement>(t.UserAttrs),
            new Dictionary<string, JsonElement>(t.SystemAttrs),
            t.Intermediate);

    private sealed record StudyRecord(int Id, string Name, StudyDirection Direction)
    {
        public List<TrialRecord> Trials { get; } = [];
    }

    private sealed class TrialRecord(long id, int number, int studyId)
    {
        public long Id { get; } = id;

        public int Number { get; } = number;

        public int StudyId { get; } = studyId;

        public TrialState State { get; set; }

        public double? Value { get; set; }

        public DateTime? Start { get; set; }

        public DateTime? Complete { get; set; }

        public DateTime? Heartbeat { get; set; }

        public Dictionary<string, double> Params { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Distribution> Distributions { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, JsonElement> UserAttrs { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, JsonElement> SystemAttrs { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<int, double> Intermediate { get; } = [];

        public FrozenTrial? Snapshot { get; set; }
    }
}

using System.Data;
using Npgsql;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// A storage in a PostgreSQL database, for studies that tune drivers on several machines share. Same semantics
/// as <see cref="SqliteStorage"/>: trial numbers come from a counter on the study row (its row lock queues
/// creators), a waiting trial is popped with <c>FOR UPDATE SKIP LOCKED</c>, and every read-modify-write is one
/// statement (one round trip) or one transaction.
/// </summary>
public sealed class PostgresStorage : IStudyStorage, IDisposable
{
    private const int RunningState = (int)TrialState.Running;
    private const int WaitingState = (int)TrialState.Waiting;
    private const string UniqueViolation = "23505";
    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;

    // Finished trials never change, so their snapshots are kept and only running/waiting/new trials are re-read.
    private readonly FinishedTrialCache _finishedTrials = new();

    /// <summary>Connects (pooled) and creates the tables when they are missing.</summary>
    /// <param name="connectionString">An Npgsql connection string; its <c>Search Path</c> names the schema to use (created when missing).</param>
    /// <param name="timeProvider">Clock for start/end times and heartbeats. Default <see cref="TimeProvider.System"/>.</param>
    public PostgresStorage(string connectionString, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = PostgresUrl.Describe(builder);
        _time = timeProvider ?? TimeProvider.System;
        _source = NpgsqlDataSource.Create(builder);
        try
        {
            PostgresSchema.Ensure(_source, builder.SearchPath?.Split(',')[0].Trim());
        }
        catch
        {
            _source.Dispose(); // an unreachable server or a bad login: no pool is left behind
            throw;
        }
    }

    /// <summary>Opens the storage a <c>postgresql://user:password@host:port/database?schema=name</c> URL names.</summary>
    public static PostgresStorage FromUrl(string url, TimeProvider? timeProvider = null) => new(PostgresUrl.ToConnectionString(url), timeProvider);

    /// <summary>
    /// The Npgsql connection string of a <c>postgresql://</c> URL; throws <see cref="ArgumentException"/> naming what
    /// is wrong (without the password).
    /// </summary>
    public static string ConnectionStringFromUrl(string url) => PostgresUrl.ToConnectionString(url);

    /// <summary>Where the database is: <c>host:port/database</c> (no user or password).</summary>
    public string Location { get; }

    private long NowTicks() => _time.GetUtcNow().UtcTicks;

    private static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    // The row a write to trial @t inserts, there only while the trial is running or waiting. FOR SHARE holds off a
    // concurrent finish (an UPDATE) until the write commits and re-checks the state after one, as SQLite's immediate
    // transaction does.
    private static string FromUpdatable(string values) => $"SELECT trial_id, {values} FROM trials WHERE trial_id = @t AND state IN (@run, @wait) FOR SHARE";

    private static int Exec(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        return cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public int CreateStudy(string name, StudyDirection direction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var c = _source.OpenConnection();
        try
        {
            using var cmd = Command(c, null, "INSERT INTO studies(name, direction) VALUES (@n, @d) RETURNING study_id;", ("n", name), ("d", (int)direction));
            return (int)cmd.ExecuteScalar()!;
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            throw new InvalidOperationException($"A study named '{name}' already exists.", ex);
        }
    }

    /// <inheritdoc />
    public StudySummary? FindStudy(string name)
    {
        using var c = _source.OpenConnection();
        using var cmd = Command(c, null, "SELECT study_id, name, direction FROM studies WHERE name = @n;", ("n", name));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new StudySummary(r.GetInt32(0), r.GetString(1), (StudyDirection)r.GetInt32(2)) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<StudySummary> GetAllStudies()
    {
        using var c = _source.OpenConnection();
        using var cmd = Command(c, null, "SELECT study_id, name, direction FROM studies ORDER BY study_id;");
        using var r = cmd.ExecuteReader();
        var list = new List<StudySummary>();
        while (r.Read())
        {
            list.Add(new StudySummary(r.GetInt32(0), r.GetString(1), (StudyDirection)r.GetInt32(2)));
        }

        return list;
    }

    /// <inheritdoc />
    public void DeleteStudy(int studyId)
    {
        using var c = _source.OpenConnection();
        if (Exec(c, null, "DELETE FROM studies WHERE study_id = @s;", ("s", studyId)) == 0)
        {
            throw new KeyNotFoundException($"No study with id {studyId}.");
        }
    }

    /// <inheritdoc />
    public long CreateTrial(int studyId, TrialState state = TrialState.Running, IReadOnlyDictionary<string, string>? systemAttrs = null)
    {
        if (state is not (TrialState.Running or TrialState.Waiting))
        {
            throw new ArgumentException($"A new trial must be running or waiting, but got {state}.", nameof(state));
        }

        var attrs = systemAttrs ?? new Dictionary<string, string>();
        using var c = _source.OpenConnection();

        // One statement: the UPDATE locks the study row and, after a concurrent creator commits, re-reads its counter,
        // so numbers are unique and gapless; a failed insert rolls the counter back with it.
        using var cmd = Command(
            c,
            null,
            """
            WITH n AS (UPDATE studies SET next_number = next_number + 1 WHERE study_id = @s RETURNING next_number - 1 AS number),
                 t AS (INSERT INTO trials(study_id, number, state, datetime_start) SELECT @s, number, @st, @start::bigint FROM n RETURNING trial_id),
                 a AS (INSERT INTO trial_system_attrs(trial_id, key, value_json) SELECT t.trial_id, kv.k, kv.v FROM t, unnest(@keys::text[], @values::text[]) AS kv(k, v))
            SELECT trial_id FROM t;
            """,
            ("s", studyId),
            ("st", (int)state),
            ("start", state == TrialState.Running ? NowTicks() : null),
            ("keys", attrs.Keys.ToArray()),
            ("values", attrs.Values.Select(StorageJson.Canonical).ToArray()));
        return cmd.ExecuteScalar() is long id ? id : throw new KeyNotFoundException($"No study with id {studyId}.");
    }

    /// <inheritdoc />
    public long? PopWaitingTrial(int studyId)
    {
        using var c = _source.OpenConnection();

        // SKIP LOCKED: concurrent poppers take different trials instead of queueing on the first one.
        using var cmd = Command(
            c,
            null,
            """
            UPDATE trials SET state = @run, datetime_start = @now
            WHERE trial_id = (SELECT trial_id FROM trials WHERE study_id = @s AND state = @wait ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
              AND state = @wait
            RETURNING trial_id;
            """,
            ("run", RunningState),
            ("now", NowTicks()),
            ("s", studyId),
            ("wait", WaitingState));
        return cmd.ExecuteScalar() is long id ? id : null;
    }

    /// <inheritdoc />
    public void SetTrialParam(long trialId, string name, double internalValue, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        using var c = _source.OpenConnection();
        int n = Exec(
            c,
            null,
            $"INSERT INTO trial_params(trial_id, name, value, distribution) {FromUpdatable("@n, @v, @d")} ON CONFLICT (trial_id, name) DO UPDATE SET value = excluded.value, distribution = excluded.distribution;",
            ("t", trialId),
            ("n", name),
            ("v", internalValue),
            ("d", StorageJson.DistributionText(distribution)),
            ("run", RunningState),
            ("wait", WaitingState));
        if (n == 0)
        {
            ThrowNotUpdatable(c, trialId);
        }
    }

    /// <inheritdoc />
    public void SetTrialState(long trialId, TrialState state, double? value)
    {
        bool finished = state is TrialState.Complete or TrialState.Pruned or TrialState.Fail;
        using var c = _source.OpenConnection();
        int n = Exec(
            c,
            null,
            "UPDATE trials SET state = @st, value = @v::double precision, datetime_complete = @end::bigint WHERE trial_id = @t AND state IN (@run, @wait);",
            ("st", (int)state),
            ("v", value is double d && !double.IsNaN(d) ? d : null),
            ("end", finished ? NowTicks() : null),
            ("t", trialId),
            ("run", RunningState),
            ("wait", WaitingState));
        if (n == 0)
        {
            ThrowNotUpdatable(c, trialId);
        }
    }

    /// <inheritdoc />
    public bool SetTrialIntermediateValue(long trialId, int step, double value)
    {
        using var c = _source.OpenConnection();
        int n = Exec(
            c,
            null,
            $"INSERT INTO trial_intermediate_values(trial_id, step, value) {FromUpdatable("@s, @v::double precision")} ON CONFLICT (trial_id, step) DO NOTHING;",
            ("t", trialId),
            ("s", step),
            ("v", double.IsNaN(value) ? null : value),
            ("run", RunningState),
            ("wait", WaitingState));
        if (n == 1)
        {
            return true;
        }

        // Nothing inserted: the step was reported already (false), or the trial is finished or unknown (throws).
        using var cmd = Command(c, null, "SELECT state FROM trials WHERE trial_id = @t;", ("t", trialId));
        if (cmd.ExecuteScalar() is int st && st is RunningState or WaitingState)
        {
            return false;
        }

        ThrowNotUpdatable(c, trialId);
        return false;
    }

    /// <inheritdoc />
    public void SetTrialUserAttr(long trialId, string key, string json) => SetAttr("trial_user_attrs", trialId, key, json);

    /// <inheritdoc />
    public void SetTrialSystemAttr(long trialId, string key, string json) => SetAttr("trial_system_attrs", trialId, key, json);

    private void SetAttr(string table, long trialId, string key, string json)
    {
        string canonical = StorageJson.Canonical(json);
        using var c = _source.OpenConnection();
        int n = Exec(
            c,
            null,
            $"INSERT INTO {table}(trial_id, key, value_json) {FromUpdatable("@k, @v")} ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json;",
            ("t", trialId),
            ("k", key),
            ("v", canonical),
            ("run", RunningState),
            ("wait", WaitingState));
        if (n == 0)
        {
            ThrowNotUpdatable(c, trialId);
        }
    }

    private static void ThrowNotUpdatable(NpgsqlConnection c, long trialId)
    {
        using var cmd = Command(c, null, "SELECT number, state FROM trials WHERE trial_id = @t;", ("t", trialId));
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            throw new KeyNotFoundException($"No trial with id {trialId}.");
        }

        throw new InvalidOperationException($"Trial {r.GetInt32(0)} is already finished ({(TrialState)r.GetInt32(1)}) and cannot be changed.");
    }

    /// <inheritdoc />
    public FrozenTrial GetTrial(long trialId)
    {
        using var c = _source.OpenConnection();
        using var tx = c.BeginTransaction(IsolationLevel.RepeatableRead);
        var list = PostgresTrialReader.Read(c, tx, "t.trial_id = @id", trialId);
        return list.Count == 1 ? list[0] : throw new KeyNotFoundException($"No trial with id {trialId}.");
    }

    /// <inheritdoc />
    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId)
    {
        using var c = _source.OpenConnection();

        // One snapshot for the id list and the rows read after it, as SQLite's read transaction gives.
        using var tx = c.BeginTransaction(IsolationLevel.RepeatableRead);
        using var cmd = Command(c, tx, "SELECT trial_id FROM trials WHERE study_id = @id ORDER BY number;", ("id", studyId));
        return _finishedTrials.Snapshot(FinishedTrialCache.ReadIds(cmd), missing => missing is null
            ? PostgresTrialReader.Read(c, tx, "t.study_id = @id", studyId)
            : PostgresTrialReader.Read(c, tx, "t.trial_id = ANY(@id)", missing.ToArray()));
    }

    /// <inheritdoc />
    public void RecordHeartbeat(long trialId)
    {
        using var c = _source.OpenConnection();
        Exec(c, null, "UPDATE trials SET heartbeat = @now WHERE trial_id = @t AND state = @run;", ("now", NowTicks()), ("t", trialId), ("run", RunningState));
    }

    /// <inheritdoc />
    public IReadOnlyList<long> FailStaleTrials(int studyId, TimeSpan gracePeriod)
    {
        long now = NowTicks();
        using var c = _source.OpenConnection();
        using var tx = c.BeginTransaction();

        // FOR UPDATE re-checks the state after a concurrent sweeper commits and SKIP LOCKED passes over rows another
        // sweeper holds, so each stale trial is failed by exactly one call.
        var stale = new List<(long Id, long Heartbeat)>();
        using (var cmd = Command(
            c,
            tx,
            "SELECT trial_id, heartbeat FROM trials WHERE study_id = @s AND state = @run AND heartbeat IS NOT NULL AND heartbeat < @cut ORDER BY number FOR UPDATE SKIP LOCKED;",
            ("s", studyId),
            ("run", RunningState),
            ("cut", now - gracePeriod.Ticks)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                stale.Add((r.GetInt64(0), r.GetInt64(1)));
            }
        }

        foreach (var (id, hb) in stale)
        {
            Exec(
                c,
                tx,
                "INSERT INTO trial_system_attrs(trial_id, key, value_json) VALUES (@t, @k, @v) ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json;",
                ("t", id),
                ("k", SystemAttrKeys.FailReason),
                ("v", StorageJson.StaleReason(new DateTime(hb, DateTimeKind.Utc))));
            Exec(c, tx, "UPDATE trials SET state = @fail, datetime_complete = @now WHERE trial_id = @t;", ("fail", (int)TrialState.Fail), ("now", now), ("t", id));
        }

        tx.Commit();
        return stale.Select(s => s.Id).ToList();
    }

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => _source.Dispose();
}

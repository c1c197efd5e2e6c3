using Microsoft.Data.Sqlite;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// A storage in one SQLite file, safe for many threads and many processes working on the same study:
/// WAL journal, a busy timeout, and every read-modify-write (trial numbers, state changes, stale-trial
/// sweeps) done in one immediate transaction or one atomic statement.
/// </summary>
public sealed class SqliteStorage : IStudyStorage, IDisposable
{
    private const int RunningState = (int)TrialState.Running;
    private const int WaitingState = (int)TrialState.Waiting;
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    // Finished trials never change, so their snapshots are kept and only running/waiting/new trials are re-read.
    private readonly FinishedTrialCache _finishedTrials = new();

    /// <summary>Opens (creating when needed) the database file.</summary>
    /// <param name="path">Path of the SQLite file.</param>
    /// <param name="busyTimeout">How long a call waits for another writer. Default 60 s.</param>
    /// <param name="timeProvider">Clock for start/end times and heartbeats. Default <see cref="TimeProvider.System"/>.</param>
    public SqliteStorage(string path, TimeSpan? busyTimeout = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        string? dir = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        BusyTimeout = busyTimeout ?? TimeSpan.FromSeconds(60);
        _time = timeProvider ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(BusyTimeout.TotalSeconds),
        }.ToString();
        Initialize();
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>How long a call waits for another writer before failing.</summary>
    public TimeSpan BusyTimeout { get; }

    private void Initialize()
    {
        using var c = Open();
        Exec(c, null, "PRAGMA journal_mode=WAL;");
        using var tx = c.BeginTransaction(deferred: false);
        Exec(c, tx, """
            CREATE TABLE IF NOT EXISTS studies (
                study_id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                direction INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS trials (
                trial_id INTEGER PRIMARY KEY AUTOINCREMENT,
                study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                state INTEGER NOT NULL,
                value REAL,
                datetime_start INTEGER,
                datetime_complete INTEGER,
                heartbeat INTEGER,
                UNIQUE (study_id, number));
            CREATE INDEX IF NOT EXISTS ix_trials_study_state ON trials(study_id, state);
            CREATE TABLE IF NOT EXISTS trial_params (
                trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                value REAL NOT NULL,
                distribution TEXT NOT NULL,
                PRIMARY KEY (trial_id, name));
            CREATE TABLE IF NOT EXISTS trial_intermediate_values (
                trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
                step INTEGER NOT NULL,
                value REAL,
                PRIMARY KEY (trial_id, step));
            CREATE TABLE IF NOT EXISTS trial_user_attrs (
                trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value_json TEXT NOT NULL,
                PRIMARY KEY (trial_id, key));
            CREATE TABLE IF NOT EXISTS trial_system_attrs (
                trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value_json TEXT NOT NULL,
                PRIMARY KEY (trial_id, key));
            """);
        tx.Commit();
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Exec(c, null, $"PRAGMA busy_timeout={(long)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        return c;
    }

    private static int Exec(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        return cmd.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    private long NowTicks() => _time.GetUtcNow().UtcTicks;

    /// <inheritdoc />
    public int CreateStudy(string name, StudyDirection direction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var c = Open();
        try
        {
            using var cmd = Command(c, null, "INSERT INTO studies(name, direction) VALUES (@n, @d) RETURNING study_id;", ("@n", name), ("@d", (int)direction));
            return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException($"A study named '{name}' already exists.", ex);
        }
    }

    /// <inheritdoc />
    public StudySummary? FindStudy(string name)
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT study_id, name, direction FROM studies WHERE name = @n;", ("@n", name));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new StudySummary(r.GetInt32(0), r.GetString(1), (StudyDirection)r.GetInt32(2)) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<StudySummary> GetAllStudies()
    {
        using var c = Open();
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
        using var c = Open();
        if (Exec(c, null, "DELETE FROM studies WHERE study_id = @s;", ("@s", studyId)) == 0)
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

        using var c = Open();
        using var tx = c.BeginTransaction(deferred: false);
        using (var check = Command(c, tx, "SELECT 1 FROM studies WHERE study_id = @s;", ("@s", studyId)))
        {
            if (check.ExecuteScalar() is null)
            {
                throw new KeyNotFoundException($"No study with id {studyId}.");
            }
        }

        long id;
        using (var cmd = Command(
            c,
            tx,
            """
            INSERT INTO trials(study_id, number, state, datetime_start)
            SELECT @s, COALESCE(MAX(number), -1) + 1, @st, @start FROM trials WHERE study_id = @s
            RETURNING trial_id;
            """,
            ("@s", studyId),
            ("@st", (int)state),
            ("@start", state == TrialState.Running ? NowTicks() : null)))
        {
            id = (long)cmd.ExecuteScalar()!;
        }

        if (systemAttrs is not null)
        {
            foreach (var (k, v) in systemAttrs)
            {
                Exec(c, tx, "INSERT INTO trial_system_attrs(trial_id, key, value_json) VALUES (@t, @k, @v);", ("@t", id), ("@k", k), ("@v", StorageJson.Canonical(v)));
            }
        }

        tx.Commit();
        return id;
    }

    /// <inheritdoc />
    public long? PopWaitingTrial(int studyId)
    {
        using var c = Open();
        using var cmd = Command(
            c,
            null,
            """
            UPDATE trials SET state = @run, datetime_start = @now
            WHERE trial_id = (SELECT trial_id FROM trials WHERE study_id = @s AND state = @wait ORDER BY number LIMIT 1)
              AND state = @wait
            RETURNING trial_id;
            """,
            ("@run", RunningState),
            ("@now", NowTicks()),
            ("@s", studyId),
            ("@wait", WaitingState));
        return cmd.ExecuteScalar() is long id ? id : null;
    }

    /// <inheritdoc />
    public void SetTrialParam(long trialId, string name, double internalValue, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        WriteToUpdatable(trialId, (c, tx) => Exec(
            c,
            tx,
            "INSERT INTO trial_params(trial_id, name, value, distribution) VALUES (@t, @n, @v, @d) ON CONFLICT(trial_id, name) DO UPDATE SET value = excluded.value, distribution = excluded.distribution;",
            ("@t", trialId),
            ("@n", name),
            ("@v", internalValue),
            ("@d", StorageJson.DistributionText(distribution))));
    }

    /// <inheritdoc />
    public void SetTrialState(long trialId, TrialState state, double? value)
    {
        bool finished = state is TrialState.Complete or TrialState.Pruned or TrialState.Fail;
        using var c = Open();
        int n = Exec(
            c,
            null,
            "UPDATE trials SET state = @st, value = @v, datetime_complete = @end WHERE trial_id = @t AND state IN (@run, @wait);",
            ("@st", (int)state),
            ("@v", value is double d && !double.IsNaN(d) ? d : null),
            ("@end", finished ? NowTicks() : null),
            ("@t", trialId),
            ("@run", RunningState),
            ("@wait", WaitingState));
        if (n == 0)
        {
            ThrowNotUpdatable(c, null, trialId);
        }
    }

    /// <inheritdoc />
    public bool SetTrialIntermediateValue(long trialId, int step, double value)
    {
        bool added = false;
        WriteToUpdatable(trialId, (c, tx) => added = Exec(
            c,
            tx,
            "INSERT OR IGNORE INTO trial_intermediate_values(trial_id, step, value) VALUES (@t, @s, @v);",
            ("@t", trialId),
            ("@s", step),
            ("@v", double.IsNaN(value) ? null : value)) == 1);
        return added;
    }

    /// <inheritdoc />
    public void SetTrialUserAttr(long trialId, string key, string json) => SetAttr("trial_user_attrs", trialId, key, json);

    /// <inheritdoc />
    public void SetTrialSystemAttr(long trialId, string key, string json) => SetAttr("trial_system_attrs", trialId, key, json);

    private void SetAttr(string table, long trialId, string key, string json)
    {
        string canonical = StorageJson.Canonical(json);
        WriteToUpdatable(trialId, (c, tx) => Exec(
            c,
            tx,
            $"INSERT INTO {table}(trial_id, key, value_json) VALUES (@t, @k, @v) ON CONFLICT(trial_id, key) DO UPDATE SET value_json = excluded.value_json;",
            ("@t", trialId),
            ("@k", key),
            ("@v", canonical)));
    }

    private void WriteToUpdatable(long trialId, Action<SqliteConnection, SqliteTransaction> write)
    {
        using var c = Open();
        using var tx = c.BeginTransaction(deferred: false);
        using (var cmd = Command(c, tx, "SELECT state FROM trials WHERE trial_id = @t;", ("@t", trialId)))
        {
            object? s = cmd.ExecuteScalar();
            if (s is not long st || st is not (RunningState or WaitingState))
            {
                ThrowNotUpdatable(c, tx, trialId);
            }
        }

        write(c, tx);
        tx.Commit();
    }

    private static void ThrowNotUpdatable(SqliteConnection c, SqliteTransaction? tx, long trialId)
    {
        using var cmd = Command(c, tx, "SELECT number, state FROM trials WHERE trial_id = @t;", ("@t", trialId));
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
        using var c = Open();
        using var tx = c.BeginTransaction(deferred: true);
        var list = ReadTrials(c, tx, "t.trial_id = @id", ("@id", trialId));
        return list.Count == 1 ? list[0] : throw new KeyNotFoundException($"No trial with id {trialId}.");
    }

    /// <inheritdoc />
    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId)
    {
        using var c = Open();
        using var tx = c.BeginTransaction(deferred: true);
        using var cmd = Command(c, tx, "SELECT trial_id FROM trials WHERE study_id = @id ORDER BY number;", ("@id", studyId));
        return _finishedTrials.Snapshot(FinishedTrialCache.ReadIds(cmd), missing => ReadTrials(c, tx, missing is null
            ? "t.study_id = @id"
            // Integers only, so the list can be inlined safely.
            : $"t.study_id = @id AND t.trial_id IN ({string.Join(',', missing.Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture)))})", ("@id", studyId)));
    }

    private List<FrozenTrial> ReadTrials(SqliteConnection c, SqliteTransaction tx, string where, (string, object?) arg)
    {
        var rows = new List<StoredTrialRow>();
        var byId = new Dictionary<long, StoredTrialRow>();
        using (var cmd = Command(c, tx, $"SELECT t.trial_id, t.number, t.state, t.value, t.datetime_start, t.datetime_complete FROM trials t WHERE {where} ORDER BY t.number;", arg))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var row = StoredTrialRow.FromRecord(r);
                rows.Add(row);
                byId[row.Id] = row;
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        using (var cmd = Command(c, tx, $"SELECT p.trial_id, p.name, p.value, p.distribution FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id WHERE {where};", arg))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                byId[r.GetInt64(0)].AddParam(r.GetString(1), r.GetDouble(2), r.GetString(3));
            }
        }

        using (var cmd = Command(c, tx, $"SELECT v.trial_id, v.step, v.value FROM trial_intermediate_values v JOIN trials t ON t.trial_id = v.trial_id WHERE {where};", arg))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                byId[r.GetInt64(0)].Intermediate[r.GetInt32(1)] = r.IsDBNull(2) ? double.NaN : r.GetDouble(2);
            }
        }

        ReadAttrs(c, tx, "trial_user_attrs", where, arg, byId, user: true);
        ReadAttrs(c, tx, "trial_system_attrs", where, arg, byId, user: false);

        var result = new List<FrozenTrial>(rows.Count);
        foreach (var row in rows)
        {
            result.Add(row.ToFrozen());
        }

        return result;
    }

    private static void ReadAttrs(SqliteConnection c, SqliteTransaction tx, string table, string where, (string, object?) arg, Dictionary<long, StoredTrialRow> byId, bool user)
    {
        using var cmd = Command(c, tx, $"SELECT a.trial_id, a.key, a.value_json FROM {table} a JOIN trials t ON t.trial_id = a.trial_id WHERE {where};", arg);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = byId[r.GetInt64(0)];
            (user ? row.UserAttrs : row.SystemAttrs)[r.GetString(1)] = StorageJson.ParseAttr(r.GetString(2));
        }
    }

    /// <inheritdoc />
    public void RecordHeartbeat(long trialId)
    {
        using var c = Open();
        Exec(c, null, "UPDATE trials SET heartbeat = @now WHERE trial_id = @t AND state = @run;", ("@now", NowTicks()), ("@t", trialId), ("@run", RunningState));
    }

    /// <inheritdoc />
    public IReadOnlyList<long> FailStaleTrials(int studyId, TimeSpan gracePeriod)
    {
        long now = NowTicks();
        long cutoff = now - gracePeriod.Ticks;
        using var c = Open();
        using var tx = c.BeginTransaction(deferred: false);
        var stale = new List<(long Id, long Heartbeat)>();
        using (var cmd = Command(
            c,
            tx,
            "SELECT trial_id, heartbeat FROM trials WHERE study_id = @s AND state = @run AND heartbeat IS NOT NULL AND heartbeat < @cut ORDER BY number;",
            ("@s", studyId),
            ("@run", RunningState),
            ("@cut", cutoff)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                stale.Add((r.GetInt64(0), r.GetInt64(1)));
            }
        }

        foreach (var (id, hb) in stale)
        {
            string reason = StorageJson.StaleReason(new DateTime(hb, DateTimeKind.Utc));
            Exec(c, tx, "INSERT OR REPLACE INTO trial_system_attrs(trial_id, key, value_json) VALUES (@t, @k, @v);", ("@t", id), ("@k", SystemAttrKeys.FailReason), ("@v", reason));
            Exec(c, tx, "UPDATE trials SET state = @fail, datetime_complete = @now WHERE trial_id = @t;", ("@fail", (int)TrialState.Fail), ("@now", now), ("@t", id));
        }

        tx.Commit();
        return stale.Select(s => s.Id).ToList();
    }

    /// <summary>
    /// Writes a compact copy of the database without its wall-clock times (trial start, completion and heartbeat),
    /// so that the copy holds only what the trials determined: two runs of the same search give identical bytes.
    /// </summary>
    /// <param name="destinationPath">The file to write; it must not exist.</param>
    public void SaveCopyWithoutTimes(string destinationPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        string staging = destinationPath + ".times";
        File.Delete(staging);
        using (var c = Open())
        {
            Exec(c, null, "VACUUM INTO @path;", ("@path", staging));
        }

        var stagingConnection = new SqliteConnectionStringBuilder { DataSource = staging, Pooling = false }.ToString();
        using (var c = new SqliteConnection(stagingConnection))
        {
            c.Open();
            Exec(c, null, "PRAGMA journal_mode=DELETE;");
            Exec(c, null, "UPDATE trials SET datetime_start = NULL, datetime_complete = NULL, heartbeat = NULL;");
            // Trials in flight at once write their attributes and values in finishing order; stored in key order, the
            // same study is the same bytes whatever finished first.
            foreach (var (table, key) in new[] { ("trial_params", "name"), ("trial_intermediate_values", "step"), ("trial_user_attrs", "key"), ("trial_system_attrs", "key") })
            {
                Exec(c, null, $"CREATE TEMP TABLE sorted AS SELECT * FROM {table} ORDER BY trial_id, {key}; DELETE FROM {table}; " +
                              $"INSERT INTO {table} SELECT * FROM sorted ORDER BY trial_id, {key}; DROP TABLE sorted;");
            }

            Exec(c, null, "VACUUM INTO @path;", ("@path", destinationPath));
        }

        File.Delete(staging);
    }

    /// <summary>Closes pooled connections to the file (so it can be deleted or moved).</summary>
    public void Dispose()
    {
        using var c = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(c);
    }
}

namespace Pipelines.Tuning;

/// <summary>
/// Opens a storage from where it is written down: a <c>postgresql://</c> (or <c>postgres://</c>) URL for
/// <see cref="PostgresStorage"/>, anything else a SQLite file path (an optional <c>sqlite:///</c> prefix is dropped, as in Optuna's URLs:
/// <c>sqlite:///study.db</c> is relative, <c>sqlite:////data/study.db</c> absolute).
/// </summary>
public static class StorageLocation
{
    private const string SqlitePrefix = "sqlite:///";

    /// <summary>True when <paramref name="location"/> names a PostgreSQL database rather than a file.</summary>
    public static bool IsPostgres(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return PostgresUrl.IsPostgres(location);
    }

    /// <summary>
    /// The storage at <paramref name="location"/> (created when missing). Both kinds are <see cref="IDisposable"/>;
    /// the caller disposes it. A malformed URL throws <see cref="ArgumentException"/>.
    /// </summary>
    public static IStudyStorage Open(string location, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (IsPostgres(location))
        {
            return PostgresStorage.FromUrl(location, timeProvider);
        }

        string path = location.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) ? location[SqlitePrefix.Length..] : location;
        return new SqliteStorage(path, timeProvider: timeProvider);
    }

    /// <summary>The location with any password replaced by <c>***</c>, for messages and logs.</summary>
    public static string Redacted(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return IsPostgres(location) ? PostgresUrl.Redacted(location) : location;
    }
}

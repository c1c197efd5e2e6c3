using System.Collections.Concurrent;
using System.Data.Common;

namespace Pipelines.Tuning.Internal;

/// <summary>
/// A database storage's memory of finished trials: a finished trial never changes (the storage contract), so a
/// snapshot of a study reads only the trials that were not finished at the last read, as Optuna's cached storage does.
/// </summary>
internal sealed class FinishedTrialCache
{
    private readonly ConcurrentDictionary<long, FrozenTrial> _finished = new();

    /// <summary>
    /// The trials with <paramref name="ids"/> (ids in the order to return), reading the ones not known finished with
    /// <paramref name="read"/>: it gets those ids, or null when none is known (read the whole study then).
    /// </summary>
    public IReadOnlyList<FrozenTrial> Snapshot(IReadOnlyList<long> ids, Func<IReadOnlyList<long>?, IEnumerable<FrozenTrial>> read)
    {
        var missing = ids.Where(id => !_finished.ContainsKey(id)).ToList();
        if (missing.Count == 0)
        {
            return ids.Select(id => _finished[id]).ToList();
        }

        var fresh = read(missing.Count == ids.Count ? null : missing).ToDictionary(t => t.TrialId);
        foreach (var t in fresh.Values.Where(t => t.IsFinished))
        {
            _finished.TryAdd(t.TrialId, t);
        }

        return ids.Select(id => fresh.TryGetValue(id, out var t) ? t : _finished[id]).ToList();
    }

    /// <summary>The trial ids of a study in number order, from a query returning them in its first column.</summary>
    public static List<long> ReadIds(DbCommand command)
    {
        var ids = new List<long>();
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            ids.Add(r.GetInt64(0));
        }

        return ids;
    }
}

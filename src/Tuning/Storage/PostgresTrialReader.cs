using Npgsql;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>Reads trials with their params, intermediate values and attributes in one round trip (one batch of five queries).</summary>
internal static class PostgresTrialReader
{
    /// <summary>The trials matching <paramref name="where"/> (over <c>trials t</c>, with one parameter <c>@id</c>), ordered by number.</summary>
    public static List<FrozenTrial> Read(NpgsqlConnection c, NpgsqlTransaction tx, string where, object id)
    {
        using var batch = new NpgsqlBatch(c, tx);
        void Add(string sql)
        {
            var cmd = new NpgsqlBatchCommand(sql);
            cmd.Parameters.AddWithValue("id", id);
            batch.BatchCommands.Add(cmd);
        }

        Add($"SELECT t.trial_id, t.number, t.state, t.value, t.datetime_start, t.datetime_complete FROM trials t WHERE {where} ORDER BY t.number;");
        Add($"SELECT p.trial_id, p.name, p.value, p.distribution FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id WHERE {where};");
        Add($"SELECT v.trial_id, v.step, v.value FROM trial_intermediate_values v JOIN trials t ON t.trial_id = v.trial_id WHERE {where};");
        Add($"SELECT a.trial_id, a.key, a.value_json FROM trial_user_attrs a JOIN trials t ON t.trial_id = a.trial_id WHERE {where};");
        Add($"SELECT a.trial_id, a.key, a.value_json FROM trial_system_attrs a JOIN trials t ON t.trial_id = a.trial_id WHERE {where};");

        var rows = new List<StoredTrialRow>();
        var byId = new Dictionary<long, StoredTrialRow>();
        using var r = batch.ExecuteReader();
        while (r.Read())
        {
            var row = StoredTrialRow.FromRecord(r);
            rows.Add(row);
            byId[row.Id] = row;
        }

        r.NextResult();
        while (r.Read())
        {
            byId[r.GetInt64(0)].AddParam(r.GetString(1), r.GetDouble(2), r.GetString(3));
        }

        r.NextResult();
        while (r.Read())
        {
            byId[r.GetInt64(0)].Intermediate[r.GetInt32(1)] = r.IsDBNull(2) ? double.NaN : r.GetDouble(2);
        }

        r.NextResult();
        while (r.Read())
        {
            byId[r.GetInt64(0)].UserAttrs[r.GetString(1)] = StorageJson.ParseAttr(r.GetString(2));
        }

        r.NextResult();
        while (r.Read())
        {
            byId[r.GetInt64(0)].SystemAttrs[r.GetString(1)] = StorageJson.ParseAttr(r.GetString(2));
        }

        return rows.Select(row => row.ToFrozen()).ToList();
    }
}

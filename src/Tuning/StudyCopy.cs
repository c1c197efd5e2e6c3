namespace Pipelines.Tuning;

/// <summary>Optuna's <c>copy_study</c>: one study's trials written into another storage under the same numbers.</summary>
public static class StudyCopy
{
    /// <summary>
    /// Copies study <paramref name="name"/> from <paramref name="source"/> into <paramref name="destination"/> (which must
    /// not hold a study of that name) and returns the new study's id. Params, values, intermediate values and attributes
    /// are copied; running and waiting trials stay so. Times are the destination's clock at the copy, not the originals.
    /// </summary>
    public static int Copy(IStudyStorage source, string name, IStudyStorage destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(destination);
        var summary = source.FindStudy(name) ?? throw new InvalidOperationException($"No study named '{name}' in the storage.");

        // One snapshot, read before writing: trials finishing meanwhile keep the state they had when read.
        var trials = source.GetAllTrials(summary.StudyId);
        int id = destination.CreateStudy(name, summary.Direction);
        foreach (var t in trials)
        {
            var system = t.SystemAttrs.ToDictionary(a => a.Key, a => a.Value.GetRawText(), StringComparer.Ordinal);
            long copy = destination.CreateTrial(id, t.State == TrialState.Waiting ? TrialState.Waiting : TrialState.Running, system);
            foreach (var (param, value) in t.InternalParams)
            {
                destination.SetTrialParam(copy, param, value, t.Distributions[param]);
            }

            foreach (var (step, value) in t.IntermediateValues)
            {
                destination.SetTrialIntermediateValue(copy, step, value);
            }

            foreach (var (key, value) in t.UserAttrs)
            {
                destination.SetTrialUserAttr(copy, key, value.GetRawText());
            }

            if (t.IsFinished)
            {
                destination.SetTrialState(copy, t.State, t.Value);
            }
        }

        return id;
    }
}

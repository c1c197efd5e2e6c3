namespace Pipelines.Synthetic;

/// <summary>How many rows one group of a balanced column has and should reach.</summary>
/// <param name="Value">The group's value, formatted in invariant culture.</param>
/// <param name="Existing">Rows of the group in the real table.</param>
/// <param name="Target">Rows the group should have after synthetic rows are added.</param>
public sealed record GroupQuota(string Value, int Existing, int Target)
{
    /// <summary>Synthetic rows to draw for this group (never negative).</summary>
    public int Needed => Math.Max(0, Target - Existing);
}

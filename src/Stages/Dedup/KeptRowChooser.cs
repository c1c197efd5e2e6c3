namespace Pipelines.Stages.Dedup;

/// <summary>Applies a <see cref="KeepRule"/> to a cluster's members; ties go to the earliest row, as the rule promises.</summary>
internal static class KeptRowChooser
{
    /// <summary>The member that survives, given each row's compared-text length and <c>newest_by</c> value.</summary>
    public static int Choose(KeepRule keep, List<int> members, List<int> lengths, List<long> newest)
    {
        int best = members[0];
        foreach (int r in members)
        {
            bool better = keep switch
            {
                KeepRule.Longest => lengths[r] > lengths[best],
                KeepRule.Newest => newest[r] > newest[best],
                _ => false,
            };
            if (better)
            {
                best = r;
            }
        }

        return best;
    }
}

using System.Text.Json;
using FluentValidation;

namespace Pipelines.Core;

/// <summary>Process-wide conventions every stage shares: validation messages use the YAML (snake_case) names.</summary>
public static class StageConventions
{
    private static int s_configured;

    /// <summary>Makes FluentValidation name properties as users write them (<c>num_perm</c>, not <c>Num Perm</c>).</summary>
    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref s_configured, 1) == 1) return;
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
    }
}

using System.Text.Json.Nodes;
using Pipelines.Core.Definition;

namespace Pipelines.Core.Running;

/// <summary>Binds a <c>with:</c> map to a stage's options and validates them: the check a run makes after planning (<c>with_from</c>, nested stages).</summary>
internal static class StageOptionsBinding
{
    /// <summary>The options as the fingerprint hashes them (defaults included).</summary>
    /// <exception cref="UserInputException">The map does not bind or breaks a rule; the message starts with <paramref name="where"/>.</exception>
    public static JsonObject BindAndValidate(IStage stage, JsonObject with, string where)
    {
        var problems = new List<string>();
        var options = OptionsBinder.Bind(stage.OptionsType, with, (_, m) => m.First(), problems);
        if (options is not null) problems.AddRange(stage.Validate(options));
        if (problems.Count > 0) throw new UserInputException($"{where}: {string.Join(" ", problems)}");
        return OptionsBinder.ToJson(options!);
    }
}

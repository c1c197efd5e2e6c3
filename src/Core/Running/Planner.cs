using System.IO.Hashing;
using System.Text;
using System.Text.Json.Nodes;
using Pipelines.Core.Definition;

namespace Pipelines.Core.Running;

/// <summary>
/// Turns a definition into a <see cref="PipelinePlan"/>, checking everything before anything runs and reporting
/// all problems together, each with its file and line: unknown kinds, bad references, cycles, options and
/// missing external inputs.
/// </summary>
public static class Planner
{
    /// <summary>Plans the pipeline or throws <see cref="PipelineValidationException"/>.</summary>
    public static PipelinePlan Plan(PipelineDefinition definition, StageRegistry registry)
    {
        var problems = new List<ValidationProblem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in definition.Stages)
            if (!ids.Add(stage.Id))
                problems.Add(new(stage.Location, $"duplicate stage id '{stage.Id}'."));

        var resolved = new Dictionary<string, IStage>(StringComparer.Ordinal);
        foreach (var stage in definition.Stages)
        {
            if (stage.Uses.Length == 0 || resolved.ContainsKey(stage.Id)) continue;
            if (registry.Resolve(stage.Uses) is { } impl) resolved[stage.Id] = impl;
            else problems.Add(new(stage.LocationOf("uses"),
                $"stage '{stage.Id}': unknown stage kind '{stage.Uses}'.{Suggest.DidYouMean(stage.Uses, registry.Kinds)} Known kinds: {string.Join(", ", registry.Kinds)}; a user stage is named by its full CLR type name."));
        }

        var planned = new List<PlannedStage>();
        foreach (var stage in definition.Stages.DistinctBy(s => s.Id))
        {
            if (!resolved.TryGetValue(stage.Id, out var impl)) continue;
            var options = BindOptions(stage, impl, definition, problems);
            var inputs = ResolveInputs(stage, impl, definition, resolved, problems);
            var outputs = ResolveOutputs(stage, impl, problems);
            var optionsSource = ResolveOptionsSource(stage, resolved, problems);
            if (options is null || inputs is null) continue;
            planned.Add(new PlannedStage(stage, impl, options, OptionsBinder.ToJson(options), StageSeed(definition.Seed, stage.Id), inputs, outputs, optionsSource));
        }

        var ordered = problems.Count == 0 ? TopologicalOrder(planned, problems) : planned;
        if (problems.Count > 0)
            throw new PipelineValidationException(problems.OrderBy(p => p.Location?.Line ?? int.MaxValue).ToArray());
        return new PipelinePlan(definition, ordered);
    }

    /// <summary>The deterministic seed of a stage: a hash of the pipeline seed and the stage id.</summary>
    public static long StageSeed(long pipelineSeed, string stageId) =>
        (long)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes($"{pipelineSeed}:{stageId}")) & long.MaxValue);

    private static object? BindOptions(StageDefinition stage, IStage impl, PipelineDefinition definition, List<ValidationProblem> problems)
    {
        var messages = new List<string>();
        var options = OptionsBinder.Bind(impl.OptionsType, stage.With, (key, text) => Prefix(stage, key, text.First()), messages);
        if (options is not null)
        {
            foreach (var problem in impl.ValidateOptions(options))
                messages.Add(Prefix(stage, problem.Option ?? KeyOf(problem.Message), problem.Message));
        }
        foreach (var message in messages)
        {
            int split = message.IndexOf('\u0001');
            var key = message[..split];
            problems.Add(new(stage.LocationOf("with." + key) ?? stage.Location, message[(split + 1)..]));
        }
        return messages.Count == 0 ? options : null;
    }

    // Problems carry their option key before a \u0001 so the location can be looked up.
    private static string Prefix(StageDefinition stage, string key, string text) =>
        $"{key}\u0001stage '{stage.Id}': {text}";

    // For stages that name no option: the first quoted word of the message, by the convention "'key' must be ...".
    private static string KeyOf(string validatorMessage)
    {
        int start = validatorMessage.IndexOf('\'');
        int end = start >= 0 ? validatorMessage.IndexOf('\'', start + 1) : -1;
        return end > start ? validatorMessage[(start + 1)..end] : "";
    }

    private static List<PlannedInput>? ResolveInputs(StageDefinition stage, IStage impl, PipelineDefinition definition,
        IReadOnlyDictionary<string, IStage> resolved, List<ValidationProblem> problems)
    {
        var result = new List<PlannedInput>();
        int before = problems.Count;
        var ports = impl.Inputs.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, reference) in stage.Inputs)
        {
            var location = stage.LocationOf("inputs." + name);
            if (!ports.TryGetValue(name, out var port))
            {
                problems.Add(new(location, $"stage '{stage.Id}': unknown input '{name}'.{Suggest.DidYouMean(name, ports.Keys)}" +
                    (ports.Count > 0 ? $" Inputs of '{impl.Kind}': {string.Join(", ", ports.Keys)}." : $" '{impl.Kind}' takes no inputs.")));
                continue;
            }
            var input = ResolveReference(stage, name, port, reference, definition, resolved, location, problems);
            if (input is not null) result.Add(input);
        }
        foreach (var port in impl.Inputs.Where(p => p.Required && !stage.Inputs.ContainsKey(p.Name)))
            problems.Add(new(stage.LocationOf("inputs") ?? stage.Location, $"stage '{stage.Id}': missing required input '{port.Name}' ({port.Kind.ToString().ToLowerInvariant()})."));
        return problems.Count == before ? result : null;
    }

    private static PlannedInput? ResolveReference(StageDefinition stage, string name, StagePort port, string reference, PipelineDefinition definition,
        IReadOnlyDictionary<string, IStage> resolved, SourceLocation? location, List<ValidationProblem> problems)
    {
        string path = Path.GetFullPath(Path.Combine(definition.BaseDirectory, reference));
        bool pathExists = File.Exists(path) || Directory.Exists(path);
        int dot = reference.IndexOf('.');
        string head = dot > 0 ? reference[..dot] : reference;
        string tail = dot > 0 ? reference[(dot + 1)..] : "";

        if (resolved.ContainsKey(head))
        {
            var output = resolved[head].Outputs.FirstOrDefault(o => o.Name == tail);
            if (output is not null)
            {
                if (pathExists)
                {
                    problems.Add(new(location, $"stage '{stage.Id}': input '{name}' = '{reference}' is ambiguous: it names output '{tail}' of stage '{head}' and also the file {path}. Rename one, or write the path as './{reference}'."));
                    return null;
                }
                if (output.Kind != port.Kind)
                    problems.Add(new(location, $"stage '{stage.Id}': input '{name}' expects a {Kind(port.Kind)} but '{reference}' is a {Kind(output.Kind)}."));
                return new PlannedInput(name, port, reference, head, tail, null);
            }
            if (!pathExists)
            {
                problems.Add(new(location, $"stage '{stage.Id}': input '{name}' = '{reference}': stage '{head}' has no output '{tail}'.{Suggest.DidYouMean(tail, resolved[head].Outputs.Select(o => o.Name))} Outputs of '{head}': {string.Join(", ", resolved[head].Outputs.Select(o => o.Name))}."));
                return null;
            }
        }
        if (!pathExists)
        {
            var stageGuess = Suggest.Closest(head, resolved.Keys);
            string hint = dot > 0 && stageGuess is not null ? $" Did you mean stage '{stageGuess}'?" : "";
            problems.Add(new(location, $"stage '{stage.Id}': input '{name}' = '{reference}' is neither a stage output nor an existing file (looked for {path}).{hint}"));
            return null;
        }
        if (port.IsDataSchema && File.Exists(path))
        {
            try
            {
                _ = Schemas.DataSchemaLoader.Load(path);
            }
            catch (UserInputException ex)
            {
                problems.Add(new(location, $"stage '{stage.Id}': input '{name}' = '{reference}' is not a valid data-schema:{Environment.NewLine}    {ex.Message.Replace(Environment.NewLine, Environment.NewLine + "    ")}"));
                return null;
            }
        }
        return new PlannedInput(name, port, reference, null, null, path);
    }

    private static PlannedInput? ResolveOptionsSource(StageDefinition stage, IReadOnlyDictionary<string, IStage> resolved, List<ValidationProblem> problems)
    {
        if (stage.WithFrom is not { } reference) return null;
        var location = stage.LocationOf("with_from");
        int dot = reference.IndexOf('.');
        string head = dot > 0 ? reference[..dot] : reference, tail = dot > 0 ? reference[(dot + 1)..] : "";
        if (!resolved.TryGetValue(head, out var upstream))
        {
            problems.Add(new(location, $"stage '{stage.Id}': 'with_from: {reference}' must name another stage's JSON output as stage.output.{Suggest.DidYouMean(head, resolved.Keys)}"));
            return null;
        }
        var port = upstream.Outputs.FirstOrDefault(o => o.Name == tail);
        if (port is null || port.Kind != ArtifactKind.File)
        {
            problems.Add(new(location, $"stage '{stage.Id}': 'with_from: {reference}': stage '{head}' has no file output '{tail}'. Its file outputs: {string.Join(", ", upstream.Outputs.Where(o => o.Kind == ArtifactKind.File).Select(o => o.Name))}."));
            return null;
        }
        return new PlannedInput("with_from", port, reference, head, tail, null);
    }

    private static List<(StagePort, string?)> ResolveOutputs(StageDefinition stage, IStage impl, List<ValidationProblem> problems)
    {
        var declared = impl.Outputs.ToDictionary(o => o.Name, StringComparer.Ordinal);
        foreach (var name in stage.Outputs.Keys.Where(n => !declared.ContainsKey(n)))
            problems.Add(new(stage.LocationOf("outputs." + name), $"stage '{stage.Id}': unknown output '{name}'.{Suggest.DidYouMean(name, declared.Keys)} Outputs of '{impl.Kind}': {string.Join(", ", declared.Keys)}."));
        return impl.Outputs.Select(o => (o, stage.Outputs.GetValueOrDefault(o.Name))).ToList();
    }

    private static List<PlannedStage> TopologicalOrder(List<PlannedStage> stages, List<ValidationProblem> problems)
    {
        var byId = stages.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 0 new, 1 visiting, 2 done
        var order = new List<PlannedStage>();
        var path = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in stages) Visit(stage);

        foreach (var stage in stages)
            stage.Children = stages.Where(s => s.Parents.Contains(stage.Id)).Select(s => s.Id).ToArray();
        return order;

        void Visit(PlannedStage stage)
        {
            if (state.GetValueOrDefault(stage.Id) == 2) return;
            if (state.GetValueOrDefault(stage.Id) == 1)
            {
                var cycle = path.Skip(path.IndexOf(stage.Id)).Append(stage.Id).ToArray();
                var key = string.Join(">", cycle.Skip(1).Order(StringComparer.Ordinal));
                if (reported.Add(key))
                    problems.Add(new(stage.Definition.Location, $"the stages form a cycle: {string.Join(" -> ", cycle)} (each reads an output of the next)."));
                return;
            }
            state[stage.Id] = 1;
            path.Add(stage.Id);
            foreach (var parent in stage.Parents) Visit(byId[parent]);
            path.RemoveAt(path.Count - 1);
            state[stage.Id] = 2;
            order.Add(stage);
        }
    }

    private static string Kind(ArtifactKind kind) => kind.ToString().ToLowerInvariant();
}

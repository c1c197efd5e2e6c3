namespace Pipelines.Training.Tests;

/// <summary>A small generated corpus with a learnable pattern: "the cat is small" / "the dog is big"...</summary>
internal static class TinyCorpus
{
    private static readonly string[] Animals = ["cat", "dog", "bird", "fish", "horse", "mouse"];
    private static readonly string[] Sizes = ["small", "big"];

    public static string[] Sentences(int count) =>
        Enumerable.Range(0, count).Select(i => $"the {Animals[i % Animals.Length]} is {Size(i)} and {Animals[(i + 1) % Animals.Length]} runs.").ToArray();

    /// <summary>The label: whether the animal is small or big (cat, bird, mouse are small).</summary>
    public static string Size(int i) => (i % Animals.Length) % 2 == 0 ? Sizes[0] : Sizes[1];

    public static string Animal(int i) => Animals[i % Animals.Length];
}

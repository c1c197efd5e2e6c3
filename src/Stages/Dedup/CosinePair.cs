namespace Pipelines.Stages.Dedup;

/// <summary>Two embeddings at or above the cosine threshold: indices into the searched lists and their exact cosine.</summary>
public readonly record struct CosinePair(int First, int Second, double Cosine);

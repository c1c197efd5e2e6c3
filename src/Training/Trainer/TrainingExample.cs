namespace Pipelines.Training;

/// <summary>
/// One tokenised row. For causal LM, <see cref="LossMask"/> says which tokens are predicted (null: all after the first);
/// for classification, <see cref="Label"/> is the class index.
/// </summary>
/// <param name="InputIds">Token ids.</param>
/// <param name="LossMask">Per token: whether predicting it counts towards the loss (prompt tokens do not).</param>
/// <param name="Label">Class index for classification; -1 otherwise.</param>
public sealed record TrainingExample(int[] InputIds, bool[]? LossMask = null, int Label = -1);

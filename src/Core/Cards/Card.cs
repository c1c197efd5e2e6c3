namespace Pipelines.Core.Cards;

/// <summary>A model card and its data card, every figure read from the lock, the run cache and the artifacts.</summary>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Stage">The trained stage the card describes.</param>
/// <param name="Header">The model card's front matter.</param>
/// <param name="Model">The model card's sections (training, evaluation).</param>
/// <param name="Data">The data card's sections (sources, cleaning, split, bias, synthetic data, search, environment).</param>
public sealed record Card(string Pipeline, string Stage, ModelCardHeader Header, IReadOnlyList<CardSection> Model, IReadOnlyList<CardSection> Data);

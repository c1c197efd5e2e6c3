global using NUnit.Framework;
global using Pipelines.Synthetic;

using NUnit.Framework;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

public class TorchLoadSmokeTests
{
    [Test]
    public void Matmul_on_cpu_gives_the_hand_computed_product()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        using var c = a.matmul(b);
        Assert.That(c.data<float>().ToArray(), Is.EqualTo(new float[] { 19, 22, 43, 50 }));
    }
}

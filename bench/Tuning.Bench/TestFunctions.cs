namespace Pipelines.Tuning.Bench;

/// <summary>Standard optimisation test functions with their known minima.</summary>
internal sealed record TestFunction(string Name, double Optimum, Func<Trial, double> Objective)
{
    public static IReadOnlyList<TestFunction> All { get; } =
    [
        new("branin", 0.397887357729739, Branin),
        new("hartmann6", -3.32236801141551, Hartmann6),
        new("rosenbrock5", 0, t => Rosenbrock(t, 5)),
        new("styblinski_tang10", -39.1661657037714 * 10, t => StyblinskiTang(t, 10)),
        new("mixed", 0, Mixed),
    ];

    private static double Branin(Trial t)
    {
        double x1 = t.SuggestFloat("x1", -5, 10);
        double x2 = t.SuggestFloat("x2", 0, 15);
        const double a = 1, b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, r = 6, s = 10, tt = 1 / (8 * Math.PI);
        double u = x2 - (b * x1 * x1) + (c * x1) - r;
        return (a * u * u) + (s * (1 - tt) * Math.Cos(x1)) + s;
    }

    private static readonly double[] HA = [1.0, 1.2, 3.0, 3.2];
    private static readonly double[,] HAm =
    {
        { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] HP =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 }, { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 }, { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    private static double Hartmann6(Trial t)
    {
        var x = new double[6];
        for (int i = 0; i < 6; i++)
        {
            x[i] = t.SuggestFloat("x" + i, 0, 1);
        }

        double sum = 0;
        for (int i = 0; i < 4; i++)
        {
            double inner = 0;
            for (int j = 0; j < 6; j++)
            {
                inner += HAm[i, j] * (x[j] - HP[i, j]) * (x[j] - HP[i, j]);
            }

            sum += HA[i] * Math.Exp(-inner);
        }

        return -sum;
    }

    private static double Rosenbrock(Trial t, int d)
    {
        var x = new double[d];
        for (int i = 0; i < d; i++)
        {
            x[i] = t.SuggestFloat("x" + i, -5, 10);
        }

        double s = 0;
        for (int i = 0; i < d - 1; i++)
        {
            s += (100 * Math.Pow(x[i + 1] - (x[i] * x[i]), 2)) + Math.Pow(1 - x[i], 2);
        }

        return s;
    }

    private static double StyblinskiTang(Trial t, int d)
    {
        double s = 0;
        for (int i = 0; i < d; i++)
        {
            double x = t.SuggestFloat("x" + i, -5, 5);
            s += Math.Pow(x, 4) - (16 * x * x) + (5 * x);
        }

        return s / 2;
    }

    /// <summary>A categorical choice shifts a continuous bowl; an integer adds a penalty; minimum 0 at (b, 0.5, -1, 3).</summary>
    private static double Mixed(Trial t)
    {
        string kind = t.SuggestCategorical("kind", new[] { "a", "b", "c", "d" });
        double x = t.SuggestFloat("x", -3, 3);
        double y = t.SuggestFloat("y", 1e-3, 10, log: true);
        long n = t.SuggestInt("n", 1, 8);
        double offset = kind switch { "a" => 1.0, "b" => 0.0, "c" => 2.0, _ => 0.5 };
        double ly = Math.Log10(y) + 1;
        return offset + ((x - 0.5) * (x - 0.5)) + (ly * ly) + (0.1 * Math.Abs(n - 3));
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Pipelines.Synthetic;

/// <summary>
/// Cholesky factor (MathNet) of a correlation-like matrix. When the matrix is not positive
/// definite (collinear or constant columns, rounding) it is shrunk towards the identity,
/// R' = (1 − λ)R + λI, with the smallest λ on a fixed ladder that works.
/// </summary>
internal static class RegularizedCholesky
{
    private static readonly double[] Ladder = [0, 1e-10, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.25, 0.5, 1.0];

    /// <summary>Lower-triangular factor, packed by rows (row j holds j + 1 entries).</summary>
    public static double[] Factor(double[,] matrix, out double shrinkage)
    {
        int d = matrix.GetLength(0);
        foreach (double lambda in Ladder)
        {
            var m = Matrix<double>.Build.Dense(d, d, (i, j) => (1 - lambda) * matrix[i, j] + (i == j ? lambda : 0.0));
            Matrix<double> factor;
            try
            {
                factor = m.Cholesky().Factor;
            }
            catch (ArgumentException)
            {
                continue;
            }

            bool ok = true;
            for (int i = 0; i < d && ok; i++)
            {
                ok = factor[i, i] > 1e-7 && double.IsFinite(factor[i, i]);
            }

            if (!ok)
            {
                continue;
            }

            shrinkage = lambda;
            var packed = new double[d * (d + 1) / 2];
            int p = 0;
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j <= i; j++)
                {
                    packed[p++] = factor[i, j];
                }
            }

            return packed;
        }

        throw new InvalidOperationException("The correlation matrix could not be factorised even after full shrinkage.");
    }
}

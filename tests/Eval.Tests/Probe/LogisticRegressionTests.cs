using NUnit.Framework;

namespace Pipelines.Eval.Tests;

public class LogisticRegressionTests
{
    // Two rows, x = +1 (class 1) and x = −1 (class 0): by symmetry the intercepts are equal and the weights are ±a.
    // The objective is log(1 + e^(−2a)) + λa², whose minimum satisfies λ = σ(−2a) / a. Choosing a = 1/2 gives
    // λ = 2 / (1 + e), and then P(class 1 | x = 1) = σ(2a) = σ(1).
    [Test]
    public void Fit_reaches_the_closed_form_minimum_of_a_symmetric_two_point_problem()
    {
        var lambda = 2 / (1 + Math.E);
        var model = LogisticRegression.Fit([[1f], [-1f]], [1, 0], classes: 2, l2: lambda);

        Assert.That(model.Weights[1, 0], Is.EqualTo(0.5).Within(1e-9));
        Assert.That(model.Weights[0, 0], Is.EqualTo(-0.5).Within(1e-9));
        Assert.That(model.Intercepts[1] - model.Intercepts[0], Is.EqualTo(0).Within(1e-9));
        Assert.That(model.Probabilities([1f])[1], Is.EqualTo(1 / (1 + Math.Exp(-1))).Within(1e-9));
        Assert.That(model.Predict([[0.3f], [-2f]]), Is.EqualTo(new[] { 1, 0 }));
    }

    // With one constant feature only the intercepts (unpenalised) fit: softmax(b) must equal the class shares
    // (3 of class 0, 1 of class 1, 0 of class 2 would diverge, so each class has a row): shares 3/6, 2/6, 1/6.
    [Test]
    public void With_no_informative_feature_the_probabilities_are_the_class_shares()
    {
        var model = LogisticRegression.Fit([[5f], [5f], [5f], [5f], [5f], [5f]], [0, 0, 0, 1, 1, 2], classes: 3, l2: 1.0);
        var p = model.Probabilities([5f]);
        Assert.That(p[0], Is.EqualTo(3.0 / 6).Within(1e-9));
        Assert.That(p[1], Is.EqualTo(2.0 / 6).Within(1e-9));
        Assert.That(p[2], Is.EqualTo(1.0 / 6).Within(1e-9));
    }

    [Test]
    public void Fitting_twice_gives_the_same_weights()
    {
        float[][] x = [[0.1f, 2f], [0.4f, -1f], [-0.3f, 0.5f], [0.9f, 0.2f], [-1.2f, -0.7f]];
        int[] y = [0, 1, 0, 1, 0];
        var a = LogisticRegression.Fit(x, y, 2, 0.01);
        var b = LogisticRegression.Fit(x, y, 2, 0.01);
        Assert.That(b.Weights, Is.EqualTo(a.Weights));
        Assert.That(b.Intercepts, Is.EqualTo(a.Intercepts));
    }

    [Test]
    public void Ragged_rows_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([[1f], [1f, 2f]], [0, 1], 2, 0.1));
    }
}

namespace Pipelines.Tuning.Tests;

public class StudyCopyTests
{
    [Test]
    public void A_copied_study_has_every_trial_under_its_number_with_its_state_values_and_attributes()
    {
        var source = new InMemoryStorage();
        var study = Study.Create("s", source, new RandomSampler(3), direction: StudyDirection.Maximize);
        var done = study.Ask();
        done.SuggestFloat("x", 0, 1);
        done.SuggestCategorical("c", new object?[] { "a", 2L });
        done.SetUserAttr("note", new[] { 1, 2 });
        study.Tell(done, 0.5);
        var pruned = study.Ask();
        pruned.SuggestInt("n", 1, 9);
        pruned.Report(3, 0);
        study.Tell(pruned, TrialState.Pruned);
        var running = study.Ask();
        running.SuggestFloat("x", 0, 1);
        study.EnqueueTrial(new Dictionary<string, object?> { ["x"] = 0.25 });

        string path = Path.Combine(Path.GetTempPath(), "tuning-copy-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            using var destination = new SqliteStorage(path);
            int id = StudyCopy.Copy(source, "s", destination);

            Assert.That(destination.FindStudy("s")!.Direction, Is.EqualTo(StudyDirection.Maximize));
            var expected = source.GetAllTrials(study.StudyId);
            var copied = destination.GetAllTrials(id);
            Assert.That(copied.Select(t => (t.Number, t.State, t.Value)), Is.EqualTo(expected.Select(t => (t.Number, t.State, t.Value))));
            Assert.That(copied.Select(t => t.Params), Is.EqualTo(expected.Select(t => t.Params)));
            Assert.That(copied.Select(t => t.IntermediateValues), Is.EqualTo(expected.Select(t => t.IntermediateValues)));
            Assert.That(copied[0].UserAttrs["note"].GetRawText(), Is.EqualTo("[1,2]"));
            Assert.That(copied[3].SystemAttrs["fixed_params"].GetProperty("x").GetDouble(), Is.EqualTo(0.25));
            Assert.Throws<InvalidOperationException>(() => StudyCopy.Copy(source, "s", destination), "the name is taken");
        }
        finally
        {
            foreach (string file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}

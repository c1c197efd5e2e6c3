using System.Globalization;

namespace Pipelines.Tuning.Tests;

/// <summary>
/// Entry point used only when the test assembly is started as a child process by the multi-process
/// SQLite tests (`dotnet Pipelines.Tuning.Tests.dll worker|hang DB STUDY N`).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: worker|hang DB STUDY [N]");
            return 2;
        }

        using var storage = new SqliteStorage(args[1]);
        switch (args[0])
        {
            case "worker":
            {
                int n = int.Parse(args[3], CultureInfo.InvariantCulture);
                var study = Study.Load(args[2], storage, new RandomSampler(Environment.ProcessId));
                await study.OptimizeAsync(t => t.SuggestFloat("x", -1, 1) * t.SuggestFloat("x", -1, 1), nTrials: n);
                return 0;
            }

            case "hang":
            {
                var study = Study.Load(args[2], storage, new RandomSampler(1), options: new StudyOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(100) });
                await study.OptimizeAsync(
                    async (t, ct) =>
                    {
                        t.SuggestFloat("x", 0, 1);
                        Console.WriteLine("running");
                        await Task.Delay(Timeout.Infinite, ct);
                        return 0;
                    },
                    nTrials: 1);
                return 0;
            }

            default:
                Console.Error.WriteLine($"unknown mode '{args[0]}'");
                return 2;
        }
    }
}

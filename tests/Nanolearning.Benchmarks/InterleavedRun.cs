using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

/// <summary>
/// Runs every benchmark of <see cref="CompilerBenchmarks"/> once per round, in an order that rotates each round,
/// and prints each one's median time and its median ratios to the baseline and to the parallel bare-Markdig row
/// measured in the same round. On a shared machine the load changes during the minutes a BenchmarkDotNet run takes,
/// so rows measured minutes apart see different loads; rows measured side by side see the same one.
/// Run: dotnet run -c Release --project tests/Nanolearning.Benchmarks -- --interleaved 40
/// </summary>
internal static class InterleavedRun
{
    private const int WarmupRounds = 5;

    public static void Run(int rounds)
    {
        var benchmarks = new CompilerBenchmarks();
        benchmarks.Setup();
        try
        {
            var rows = typeof(CompilerBenchmarks).GetMethods()
                .Select(m => (Method: m, Attribute: m.GetCustomAttribute<BenchmarkAttribute>()))
                .Where(r => r.Attribute is not null)
                .Select(r => new Row(r.Method.Name, r.Attribute!.Description ?? r.Method.Name, r.Attribute.Baseline, r.Method.CreateDelegate<Func<int>>(benchmarks)))
                .ToList();
            var baseline = rows.FindIndex(r => r.IsBaseline);
            var parallelBaseline = rows.FindIndex(r => r.Method == nameof(CompilerBenchmarks.BareMarkdigParseParallel));
            var elapsed = new double[rows.Count];
            for (var round = -WarmupRounds; round < rounds; round++)
            {
                for (var k = 0; k < rows.Count; k++)
                {
                    var i = (k + round + WarmupRounds) % rows.Count;
                    // Each row starts with an empty young generation, as BenchmarkDotNet's iterations do.
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var start = Stopwatch.GetTimestamp();
                    rows[i].Run();
                    elapsed[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                if (round < 0)
                {
                    continue;
                }

                for (var i = 0; i < rows.Count; i++)
                {
                    rows[i].Times.Add(elapsed[i]);
                    rows[i].Ratios.Add(elapsed[i] / elapsed[baseline]);
                    rows[i].ParallelRatios.Add(elapsed[i] / elapsed[parallelBaseline]);
                }
            }

            Console.WriteLine($"{rounds} rounds after {WarmupRounds} warm-up rounds; ratios: median of each round's time over the baseline's in that round");
            Console.WriteLine("| benchmark | median | ratio to bare parse | ratio to parallel bare parse |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var row in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Name} | {Median(row.Times):0.00} ms | {Median(row.Ratios):0.00} | {Median(row.ParallelRatios):0.00} |"));
            }
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private sealed record Row(string Method, string Name, bool IsBaseline, Func<int> Run)
    {
        public List<double> Times { get; } = [];
        public List<double> Ratios { get; } = [];
        public List<double> ParallelRatios { get; } = [];
    }
}

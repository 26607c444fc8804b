using System.Globalization;
using BenchmarkDotNet.Running;

if (args is ["--interleaved", ..])
{
    InterleavedRun.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(CompilerBenchmarks).Assembly).Run(args);

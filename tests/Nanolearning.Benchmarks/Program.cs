using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(CompilerBenchmarks).Assembly).Run(args);

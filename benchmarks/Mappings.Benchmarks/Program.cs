using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Mappings.Benchmarks -- --filter '*HotPath*' --job short --exporters json
BenchmarkSwitcher.FromAssembly(typeof(Mappings.Benchmarks.HotPathBenchmarks).Assembly).Run(args);

namespace Mappings.Generators.Tests;
public sealed class Scratch
{
    [Fact]
    public void Go()
    {
        var run = GeneratorHarness.Run(RepositoryFiles.MappingFiles());
        var o = run.Result.TrackedOutputSteps.Values.First().First();
        File.WriteAllText("/tmp/scratch/t.txt", o.Outputs[0].Value.GetType().ToString() + "\n" + string.Join("\n", o.Inputs.Select(i => i.Source.Name + " " + i.Source.Outputs[i.OutputIndex].Value.GetType())));
    }
}

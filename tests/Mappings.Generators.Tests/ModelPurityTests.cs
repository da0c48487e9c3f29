using System.Collections.Immutable;
using System.Reflection;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace Mappings.Generators.Tests;

/// <summary>
/// The incremental model must hold plain values only. A symbol, syntax node, location, compilation or
/// semantic model in it keeps a whole compilation alive and breaks caching (they compare by reference),
/// so every type that flows through the pipeline is walked here by reflection.
/// </summary>
public sealed class ModelPurityTests
{
    private static readonly Type[] s_forbidden =
        [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel)];

    private static readonly Assembly s_generatorAssembly = typeof(MappingsGenerator).Assembly;

    /// <summary>
    /// What the pipeline carries: every type in the Model namespace, the parse result with its
    /// references (locations as plain values), diagnostics, results.
    /// </summary>
    public static TheoryData<Type> PipelineTypes()
    {
        var types = new TheoryData<Type>();
        foreach (Type type in s_generatorAssembly.GetTypes()
            .Where(t => t.Namespace == "Mappings.Generators.Model" && !t.IsNested && !IsCompilerGenerated(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            types.Add(type);
        }

        types.Add(typeof(FileParseResult));
        types.Add(typeof(Reference));
        types.Add(typeof(DiagnosticInfo));
        types.Add(typeof(EquatableArray<>));
        return types;
    }

    [Theory]
    [MemberData(nameof(PipelineTypes))]
    public void Pipeline_types_hold_no_compilation_state(Type type)
    {
        List<string> violations = FindViolations(type);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void The_model_namespace_is_found_and_walked()
    {
        // Guards against the walk silently testing nothing after a namespace rename.
        Type[] models = ((IEnumerable<object[]>)PipelineTypes()).Select(row => (Type)row[0]).ToArray();
        Assert.Contains(typeof(Model.MapperModel), models);
        Assert.Contains(typeof(Model.DestinationModel), models);
        Assert.Contains(typeof(Model.ParsedFile), models);
        Assert.True(models.Length > 40, $"only {models.Length} pipeline types found");
    }

    /// <summary>
    /// The values every tracked step really produced for the real mapping files, walked as objects:
    /// whatever the declared types say, no symbol, node, tree, location, compilation or semantic model is in them.
    /// </summary>
    [Fact]
    public void The_values_flowing_through_the_pipeline_hold_no_compilation_state()
    {
        GeneratorRun run = GeneratorHarness.Run(RepositoryFiles.MappingFiles());
        var violations = new List<string>();
        int walked = 0;
        // Our named steps; MappingFiles is the input itself (AdditionalText), before parsing; Roslyn's own
        // AdditionalTexts and SourceOutput steps are not the model.
        foreach (string step in IncrementalityTests.AllStepNames.Where(s => s != TrackingNames.MappingFiles))
        {
            foreach ((object value, _) in run.Steps(step).SelectMany(r => r.Outputs))
            {
                walked++;
                WalkValue(value, step, violations, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }

        Assert.True(walked > 30, $"only {walked} step outputs walked");
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private static void WalkValue(object? value, string path, List<string> violations, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        if (s_forbidden.FirstOrDefault(f => f.IsInstanceOfType(value)) is { } forbidden)
        {
            violations.Add($"{path}: holds a {forbidden.Name} ({type.Name})");
            return;
        }

        if (value is System.Collections.IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                WalkValue(item, $"{path}[{i++}]", violations, visited);
            }
        }

        if (type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true)
        {
            return; // TextSpan, LinePositionSpan, DiagnosticDescriptor: checked above, not opened
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            string member = field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>')] : field.Name;
            WalkValue(field.GetValue(value), $"{path}.{member}", violations, visited);
        }
    }

    [Fact]
    public void The_walk_finds_forbidden_types_nested_in_records_and_generic_arguments()
    {
        List<string> violations = FindViolations(typeof(LeakyModel));

        Assert.Contains("LeakyModel.Items → EquatableArray<LeakyItem> → LeakyItem.Where → Location: forbidden in a model (Location)", violations);
        Assert.Contains("LeakyModel.Symbols → ImmutableArray<ISymbol> → ISymbol: forbidden in a model (ISymbol)", violations);
        Assert.Contains("LeakyModel.Symbols → ImmutableArray<ISymbol>: a collection that compares by reference; use EquatableArray<T>", violations);
        Assert.Contains("LeakyModel.Loose → Object: can hold anything; use a concrete equatable type", violations);
        Assert.Contains("LeakyModel.Mutable → NotEquatable: no value equality; make it a record or implement IEquatable<T>", violations);
        Assert.Equal(5, violations.Count);
    }

    private sealed record LeakyItem(string Name, Location Where);

    private sealed class NotEquatable
    {
        public int Value { get; set; }
    }

    private sealed record LeakyModel(
        EquatableArray<LeakyItem> Items,
        ImmutableArray<ISymbol> Symbols,
        object Loose,
        NotEquatable Mutable,
        int Count,
        string Text);

    /// <summary>
    /// Walks instance fields (auto-property backing fields included), generic arguments and element
    /// types, opening the types declared in the generator (or in these tests); BCL and Roslyn types are
    /// checked but not opened.
    /// </summary>
    private static List<string> FindViolations(Type root)
    {
        var violations = new List<string>();
        Walk(root, prefix: "", violations, new HashSet<Type>());
        return violations;
    }

    /// <param name="prefix">How the walk got here, e.g. <c>"LeakyModel.Items → "</c>; empty at the root.</param>
    private static void Walk(Type type, string prefix, List<string> violations, HashSet<Type> visited)
    {
        if (type.IsGenericParameter || !visited.Add(type))
        {
            return;
        }

        string path = prefix + Name(type);

        if (s_forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } forbidden)
        {
            violations.Add($"{path}: forbidden in a model ({forbidden.Name})");
            return;
        }

        if (type == typeof(object) || type == typeof(ValueType))
        {
            violations.Add($"{path}: can hold anything; use a concrete equatable type");
            return;
        }

        bool isEquatableArray = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>);
        if (!isEquatableArray && type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
        {
            violations.Add($"{path}: a collection that compares by reference; use EquatableArray<T>");
        }

        if (type.IsArray)
        {
            Walk(type.GetElementType()!, $"{path} → ", violations, visited);
            return;
        }

        foreach (Type argument in type.GetGenericArguments())
        {
            Walk(argument, $"{path} → ", violations, visited);
        }

        if (!IsOwnType(type) || type.IsEnum || isEquatableArray)
        {
            // string, TextSpan, DiagnosticDescriptor, ...: checked above, not opened.
            // EquatableArray<T> is the sanctioned collection: its element type was walked above.
            return;
        }

        if (!type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEquatable<>)))
        {
            violations.Add($"{path}: no value equality; make it a record or implement IEquatable<T>");
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            string member = field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>')] : field.Name;
            Walk(field.FieldType, $"{path}.{member} → ", violations, visited);
        }
    }

    private static bool IsOwnType(Type type)
        => type.Assembly == s_generatorAssembly || type.Assembly == typeof(ModelPurityTests).Assembly;

    private static bool IsCompilerGenerated(Type type)
        => type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false)
        || type.Name.StartsWith('<');

    private static string Name(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name[..type.Name.IndexOf('`')];
        return type.IsGenericTypeDefinition
            ? name
            : $"{name}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }
}

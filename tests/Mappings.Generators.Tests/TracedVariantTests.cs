using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mappings.Generators.Tests;

/// <summary>
/// The traced variant (<c>MapTraced</c>, which <c>explain</c> runs) is the mapping the service runs
/// (<c>Map</c>) with calls to the trace added and nothing else: with every <c>trace.X(…);</c>
/// statement removed, every <c>trace.Test(site, n, operand, test)</c> replaced by <c>test</c> and the
/// traced names of methods put back, each traced method is the service's method, statement for
/// statement. So explain's outcome is transform's by construction (ExplainTests checks it on every
/// example and conformance case too), and the service's code holds no trace call.
/// </summary>
public sealed class TracedVariantTests
{
    private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(RepositoryFiles.MappingFiles()));

    public static TheoryData<string> Classes() => new(
        GoldenTests.ExpectedHintNames.Where(h => !h.Contains(".Traced.", StringComparison.Ordinal)).Select(h => h[..^".g.cs".Length]));

    [Theory]
    [MemberData(nameof(Classes))]
    public void Each_traced_method_is_the_services_method_plus_trace_calls(string className)
        => AssertTracedIsServicePlusTraceCalls(s_run.Value, className);

    /// <summary>
    /// The same over the generator's other test inputs, which use what CleverTap's files do not:
    /// direct message access (<c>$message.a.b</c>) in fields, lists, conditions and <c>assign</c>
    /// (<see cref="DirectAccessTests"/>), mappings with and without bound reads and config reads
    /// shared across fields (<see cref="CompiledLookupTests"/>), and the demo destination of
    /// <see cref="DiagnosticTests"/>.
    /// </summary>
    [Theory]
    [MemberData(nameof(OtherInputs))]
    public void Each_traced_method_of_the_other_test_inputs_is_the_services_method_plus_trace_calls(string name)
    {
        GeneratorRun run = GeneratorHarness.Run(OtherInputFiles[name]);
        Assert.True(run.Diagnostics.IsEmpty, Snapshot.FormatDiagnostics(run.Diagnostics));
        string[] classes = run.GeneratedSources.Select(s => s.HintName)
            .Where(h => !h.Contains(".Traced.", StringComparison.Ordinal))
            .Select(h => h[..^".g.cs".Length])
            .ToArray();
        Assert.NotEmpty(classes);
        foreach (string className in classes) AssertTracedIsServicePlusTraceCalls(run, className);
    }

    public static TheoryData<string> OtherInputs() => new(OtherInputFiles.Keys.Order(StringComparer.Ordinal));

    private static Dictionary<string, InMemoryAdditionalText[]> OtherInputFiles => new()
    {
        ["direct access"] = DirectAccessTests.DemoFiles(DirectAccessTests.Identify),
        ["bound reads"] = CompiledLookupTests.DemoFiles(),
    };

    private static void AssertTracedIsServicePlusTraceCalls(GeneratorRun run, string className)
    {
        SyntaxNode service = CSharpSyntaxTree.ParseText(run.Text(className + ".g.cs")).GetRoot();
        SyntaxNode traced = CSharpSyntaxTree.ParseText(run.Text(className + ".Traced.g.cs")).GetRoot();

        Assert.DoesNotContain("trace", service.DescendantNodes().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.Text));
        var tracedMethods = traced.DescendantNodes().OfType<MethodDeclarationSyntax>().ToList();
        Assert.NotEmpty(tracedMethods);
        foreach (MethodDeclarationSyntax method in tracedMethods)
        {
            string name = method.Identifier.Text.EndsWith("Traced", StringComparison.Ordinal) ? method.Identifier.Text[..^"Traced".Length] : method.Identifier.Text;
            MethodDeclarationSyntax original = service.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == name);
            string expected = Normalize(original.Body!);
            Assert.Contains("return ", expected, StringComparison.Ordinal);
            Assert.Equal(expected, Normalize(new TraceRemover().Visit(method.Body!)!));
        }
    }

    [Fact]
    public void Every_field_test_and_stage_of_the_identify_mapping_reports_to_the_trace()
    {
        string traced = s_run.Value.Text("Mappings.Generated.CleverTapIdentifyMapping.Traced.g.cs");
        string service = s_run.Value.Text("Mappings.Generated.CleverTapIdentifyMapping.g.cs");

        // One trace.Begin per field quoted in the service's code, each site declared once.
        int fields = service.Split('\n').Count(l => l.TrimStart().StartsWith("// mappings/", StringComparison.Ordinal) && l.Contains("{ \"key\":", StringComparison.Ordinal));
        Assert.Equal(fields, CountOf(traced, "trace.Begin(TraceSites."));
        Assert.Equal(CountOf(traced, "trace.Stage(TraceSites."), CountOf(traced, "trace.StageDone("));
        Assert.Equal(2, CountOf(traced, "trace.Record(TraceSites."));
        Assert.Contains("""internal static readonly TraceSite ProfileDataEmail = new(""", traced, StringComparison.Ordinal);
        Assert.Contains("\"path\":\"profileData.Email\",\"value\":{\"paths\":[\"traits.email\",\"context.traits.email\",\"properties.email\"],\"list\":\"@emailOnly\",\"listAt\":\"mappings/common.json:10\"}", traced, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;

    private static string Normalize(SyntaxNode node) =>
        new Canonical().Visit(node)!.NormalizeWhitespace().ToFullString();

    /// <summary>Removes what the traced variant adds.</summary>
    private sealed class TraceRemover : CSharpSyntaxRewriter
    {
        public override SyntaxNode? VisitExpressionStatement(ExpressionStatementSyntax node)
            => node.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "trace" } } }
                ? null
                : base.VisitExpressionStatement(node);

        public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            if (node.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "trace" }, Name.Identifier.Text: "Test" })
            {
                return Visit(node.ArgumentList.Arguments[^1].Expression);
            }

            var visited = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;
            SeparatedSyntaxList<ArgumentSyntax> arguments = visited.ArgumentList.Arguments;
            if (arguments.Count > 0 && arguments[^1].Expression is IdentifierNameSyntax { Identifier.Text: "trace" })
            {
                visited = visited.WithArgumentList(visited.ArgumentList.WithArguments(arguments.RemoveAt(arguments.Count - 1)));
            }

            return visited;
        }

        public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
            => node.Identifier.Text.EndsWith("Traced", StringComparison.Ordinal)
                ? node.WithIdentifier(SyntaxFactory.Identifier(node.Identifier.Text[..^"Traced".Length]))
                : base.VisitIdentifierName(node);

        public override SyntaxNode? VisitIfStatement(IfStatementSyntax node)
        {
            var visited = (IfStatementSyntax)base.VisitIfStatement(node)!;
            return visited.Else is { Statement: BlockSyntax { Statements.Count: 0 } } ? visited.WithElse(null) : visited;
        }
    }

    /// <summary>The same code written the same way: <c>if (x) { return y; }</c> as <c>if (x) return y;</c>, no comments.</summary>
    private sealed class Canonical : CSharpSyntaxRewriter
    {
        public override SyntaxNode? VisitIfStatement(IfStatementSyntax node)
        {
            var visited = (IfStatementSyntax)base.VisitIfStatement(node)!;
            return visited.Statement is BlockSyntax { Statements: [ReturnStatementSyntax only] } ? visited.WithStatement(only) : visited;
        }

        public override SyntaxTrivia VisitTrivia(SyntaxTrivia trivia)
            => trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia) ? default : base.VisitTrivia(trivia);
    }
}

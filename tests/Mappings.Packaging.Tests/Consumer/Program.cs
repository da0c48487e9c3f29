using System.Text;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Examples;
using Mappings.Runtime.Explain;
using Mappings.Runtime.Json;

// A consumer of the Mappings packages. WebhookMapper is generated at build time from
// mappings/webhook/*.json; nothing below knows what the webhook's records look like.
//
//   Webhook.Consumer transform < items.jsonl   each processor request item → its response entries
//   Webhook.Consumer explain < items.jsonl     where each field of each item's outcome came from
//   Webhook.Consumer examples [mappings]       runs mappings/<destination>/examples/*.json
string mode = args.Length > 0 ? args[0] : "transform";
switch (mode)
{
    case "transform":
    {
        var transformer = new ProcessorTransformer(WebhookMapper.Instance);
        var output = new ByteBuffer();
        using var stdout = Console.OpenStandardOutput();
        foreach (string line in Lines())
        {
            output.Clear();
            transformer.TransformItem(Encoding.UTF8.GetBytes(line), output);
            output.Append((byte)'\n');
            stdout.Write(output.WrittenSpan);
        }

        return 0;
    }

    case "explain":
    {
        var explainer = new Explainer(WebhookMapper.Instance);
        foreach (string line in Lines())
        {
            Console.Write(explainer.Explain(Encoding.UTF8.GetBytes(line)).ToText());
        }

        return 0;
    }

    case "examples":
    {
        string mappings = args.Length > 1 ? args[1] : "mappings";
        int failed = 0, count = 0;
        foreach (var (_, file) in ExampleRunner.Find(mappings))
        {
            count++;
            ExampleResult result = ExampleRunner.Run(WebhookMapper.Instance, MappingExample.Load(file, Path.GetRelativePath(".", file)));
            if (!result.Passed)
            {
                failed++;
                Console.Error.Write(result.Report());
            }
        }

        Console.WriteLine($"{count} examples, {failed} failed");
        return failed == 0 && count > 0 ? 0 : 1;
    }

    default:
        Console.Error.WriteLine("usage: Webhook.Consumer transform|explain|examples [mappings]");
        return 2;
}

static IEnumerable<string> Lines()
{
    string? line;
    while ((line = Console.ReadLine()) is not null)
    {
        if (line.Length > 0) yield return line;
    }
}

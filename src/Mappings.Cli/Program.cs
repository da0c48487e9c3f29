using Mappings.Cli;

return Cli.Run(args, Console.In, Console.Out, Console.Error);

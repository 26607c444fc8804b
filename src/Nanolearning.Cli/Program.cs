using Nanolearning.Cli;

return CourseTool.Run(args, Console.Out, Console.Error);

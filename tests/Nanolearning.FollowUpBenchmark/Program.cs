using System.Globalization;
using Nanolearning.FollowUpBenchmark;

// The follow-up (uppföljning) benchmark, issue 13:
//   dotnet run -c Release --project tests/Nanolearning.FollowUpBenchmark -- generate <database> <courses folder> [--today yyyy-MM-dd] [--progress-rows N]
// generate: a fresh, migrated SQLite file with a generated kommun (60 000 employees, 10 courses, about 190 000
// assignments and 3 000 000 progress rows) and the ten courses' folder for the app's CoursesPath; the logins and ids
// the measuring step needs go to <database>.json beside it.
switch (args.ElementAtOrDefault(0))
{
    case "generate" when args.Length >= 3:
        var today = Option("--today") is { } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : Generator.DefaultToday;
        var target = Option("--progress-rows") is { } rows ? int.Parse(rows, CultureInfo.InvariantCulture) : Generator.DefaultProgressRows;
        await Generator.GenerateAsync(Path.GetFullPath(args[1]), Path.GetFullPath(args[2]), today, target);
        return 0;
    default:
        Console.Error.WriteLine("usage: generate <database> <courses folder> [--today yyyy-MM-dd] [--progress-rows N]");
        return 2;
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

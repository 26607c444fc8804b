using System.Globalization;
using Nanolearning.FollowUpBenchmark;

// The follow-up (uppföljning) benchmark, issue 13:
//   dotnet run -c Release --project tests/Nanolearning.FollowUpBenchmark -- generate <database> <courses folder> [--today yyyy-MM-dd] [--progress-rows N]
//   dotnet run -c Release --project tests/Nanolearning.FollowUpBenchmark -- measure <database> [--runs N] [--warm-up N]
//   dotnet run -c Release --project tests/Nanolearning.FollowUpBenchmark -- measure-http <database> <published app folder> [--runs N] [--warm-up N]
// generate: a fresh, migrated SQLite file with a generated kommun (60 000 employees, 10 courses, about 190 000
// assignments and 3 000 000 progress rows) and the ten courses' folder for the app's CoursesPath; the logins and ids
// the measuring step needs go to <database>.json beside it.
// measure: FollowUpFigures in process, the whole kommun and the 200-person enhet side by side; the split between the
// three queries and the figures; the queries' plans.
// measure-http: starts the published app on the database and times the follow-up pages over HTTP, signed in as the
// admin and as the enhet's chef. Generate with --today set to today's date for this: the app runs on the real clock.
var runs = Option("--runs") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 20;
var warmUp = Option("--warm-up") is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : 3;
switch (args.ElementAtOrDefault(0))
{
    case "generate" when args.Length >= 3:
        var today = Option("--today") is { } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : Generator.DefaultToday;
        var target = Option("--progress-rows") is { } rows ? int.Parse(rows, CultureInfo.InvariantCulture) : Generator.DefaultProgressRows;
        await Generator.GenerateAsync(Path.GetFullPath(args[1]), Path.GetFullPath(args[2]), today, target);
        return 0;
    case "measure" when args.Length >= 2:
        await FiguresMeasure.RunAsync(Path.GetFullPath(args[1]), runs, warmUp);
        return 0;
    case "measure-http" when args.Length >= 3:
        return await HttpMeasure.RunAsync(Path.GetFullPath(args[1]), Path.GetFullPath(args[2]), runs, warmUp);
    default:
        Console.Error.WriteLine("usage: generate <database> <courses folder> [--today yyyy-MM-dd] [--progress-rows N]");
        Console.Error.WriteLine("       measure <database> [--runs N] [--warm-up N]");
        Console.Error.WriteLine("       measure-http <database> <published app folder> [--runs N] [--warm-up N]");
        return 2;
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

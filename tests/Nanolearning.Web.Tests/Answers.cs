using Nanolearning.Courses;

namespace Nanolearning.Web.Tests;

/// <summary>Form fields that answer a question right or wrong, as a learner would tick them.</summary>
public static class Answers
{
    public static (string Name, string Value)[] Right(Question question, string field = "svar", string textField = "text") =>
        question.Kind == QuestionKind.Reflection
            ? [(textField, "Jag vill fråga anhöriga oftare hur de har det.")]
            : [.. question.CorrectOptionIds.Select(id => (field, id))];

    public static (string Name, string Value)[] Wrong(Question question, string field = "svar", string textField = "text") =>
        question.Kind == QuestionKind.Reflection
            ? [(textField, "Vet inte.")]
            : [(field, question.Options.First(o => !o.IsCorrect).Id)];

    /// <summary>Every question of a final quiz, named as the quiz form names them.</summary>
    public static (string Name, string Value)[] Quiz(Lesson quiz, Func<Question, bool> right) =>
        [.. quiz.Questions.SelectMany(q => right(q) ? Right(q, $"svar-{q.Id}", $"text-{q.Id}") : Wrong(q, $"svar-{q.Id}", $"text-{q.Id}"))];
}

using Nanolearning.Courses;

namespace Nanolearning.Web.Features.Learning;

/// <summary>One question as the lesson page shows it, with the form field names its form posts.</summary>
public sealed record QuestionView(LessonModel Page, Question Question, int Number, string OptionField, string TextField);

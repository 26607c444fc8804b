using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Nanolearning.Courses;

/// <summary>
/// A course compiled from its folder. Immutable; <see cref="Version"/> is a hash of everything a learner sees,
/// so two compilations of the same content have the same version. <see cref="Sources"/> are the entries of the
/// sources registry that the lessons cite, in order of first citation; editing one gives the course a new version.
/// </summary>
public sealed record CompiledCourse(
    string Id,
    string Title,
    ImmutableArray<string> Audiences,
    string Summary,
    int? PassThreshold,
    ImmutableArray<CourseSource> Sources,
    ImmutableArray<Lesson> Lessons,
    ImmutableArray<Discussion> Discussions,
    ImmutableArray<MediaFile> Media,
    string Version)
{
    /// <summary>When and by whom the content was last checked against its sources (course.yml); not part of the version.</summary>
    public CourseReview? Review { get; init; }

    /// <summary>The sum of the lessons' declared minutes.</summary>
    public int Minutes => Lessons.Sum(l => l.Minutes);

    /// <summary>The graded final quiz, if the course has one.</summary>
    [JsonIgnore]
    public Lesson? FinalQuiz => Lessons.FirstOrDefault(l => l.IsFinalQuiz);
}

/// <summary>
/// A document the course draws on, as the sources registry (sources.yml) describes it. <see cref="Year"/> and
/// <see cref="Url"/> are missing only when the document itself does not give them (a kommun's own guideline, say).
/// </summary>
public sealed record CourseSource(string Id, string Title, string Publisher, int? Year, string? Url);

/// <summary>The last review of a course's content: the day, and who did it when course.yml says.</summary>
public sealed record CourseReview(DateOnly Reviewed, string? ReviewedBy);

/// <summary>A lesson's reference to a source in the registry and the section it draws on.</summary>
public sealed record SourceReference(string SourceId, string? Section);

/// <summary>
/// One lesson: a few minutes of reading with its check questions, in the order the author wrote them.
/// <see cref="ContentHash"/> changes only when what the learner sees changes.
/// </summary>
public sealed record Lesson(
    string Id,
    int Number,
    string Title,
    int Minutes,
    bool IsFinalQuiz,
    ImmutableArray<SourceReference> Sources,
    ImmutableArray<LessonPart> Parts,
    LessonStatistics Statistics,
    string ContentHash)
{
    /// <summary>The lesson's questions in order.</summary>
    [JsonIgnore]
    public IEnumerable<Question> Questions => Parts.OfType<QuestionPart>().Select(p => p.Question);
}

/// <summary>A piece of a lesson: sanitized HTML, or a question that the app renders as a form.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(HtmlPart), "html")]
[JsonDerivedType(typeof(QuestionPart), "question")]
public abstract record LessonPart;

/// <summary>Sanitized lesson HTML. Never contains a question's right answer.</summary>
public sealed record HtmlPart(string Html) : LessonPart;

/// <summary>A question at its place in the lesson.</summary>
public sealed record QuestionPart(Question Question) : LessonPart;

/// <summary>How a question is answered.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QuestionKind>))]
public enum QuestionKind
{
    /// <summary>One right option: radio buttons.</summary>
    SingleChoice,

    /// <summary>Several right options: checkboxes; all right and none wrong counts as right.</summary>
    MultipleChoice,

    /// <summary>Free text, not graded.</summary>
    Reflection,
}

/// <summary>
/// A question as data. <see cref="Id"/> is stable while the author does not reorder questions in the lesson.
/// The app shows <see cref="ExplanationHtml"/> only after the learner has answered. <see cref="SourceId"/> is the
/// registry entry (sources.yml) that holds a quiz's right answer (<c>::: quiz källa: nka-2024-1</c>); it is left out
/// of the JSON when missing, so a question without one keeps the content hash it had before sources existed.
/// </summary>
public sealed record Question(
    string Id,
    QuestionKind Kind,
    string PromptHtml,
    ImmutableArray<QuestionOption> Options,
    string? ExplanationHtml,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SourceId = null)
{
    /// <summary>Whether the question counts towards a result (reflection questions do not).</summary>
    public bool IsGradable => Kind != QuestionKind.Reflection;

    /// <summary>Ids of the right options.</summary>
    [JsonIgnore]
    public IEnumerable<string> CorrectOptionIds => Options.Where(o => o.IsCorrect).Select(o => o.Id);

    /// <summary>Grades a set of chosen option ids: right when exactly the right options are chosen.</summary>
    public bool IsCorrect(IEnumerable<string> chosenOptionIds) =>
        IsGradable && chosenOptionIds.ToHashSet().SetEquals(CorrectOptionIds);
}

/// <summary>An answer option; <see cref="Id"/> is a letter: a, b, c …</summary>
public sealed record QuestionOption(string Id, string Html, bool IsCorrect);

/// <summary>Discussion questions and cases for a workplace meeting (APT), shown to managers, not in the lesson.</summary>
public sealed record Discussion(string LessonId, string? Title, string Html);

/// <summary>A file from the course's media folder, by its path relative to the course folder.</summary>
public sealed record MediaFile(string Path, long Bytes, string Sha256);

/// <summary>Reading figures for a lesson, shown in the compile report.</summary>
public sealed record LessonStatistics(int Words, int Sentences, int LongWords, double EstimatedMinutes, double Lix);

namespace Nanolearning.Courses;

/// <summary>How serious a diagnostic is: errors stop a course from being published, warnings do not.</summary>
public enum Severity
{
    Warning,
    Error,
}

/// <summary>A problem in a course, located at a file, line and column (both 1-based), with a Swedish message for the author.</summary>
public sealed record Diagnostic(DiagnosticCode Code, Severity Severity, string File, int Line, int Column, string Message)
{
    /// <summary>The conventional compiler form, <c>file:line:col: error|warning: text</c>.</summary>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(Severity == Severity.Error ? "error" : "warning")}: {Message}";
}

/// <summary>Every kind of problem the compiler reports; tests check that each has a case in the broken-course corpus.</summary>
public enum DiagnosticCode
{
    // The course folder and course.yml
    CourseFileMissing,
    NoLessons,
    DuplicateLessonNumber,
    DuplicateLessonName,
    LessonFileNotNumbered,
    DuplicateCourseId,
    InvalidCourseId,
    CourseIdDiffersFromFolder,
    UnknownAudience,
    PassThresholdMissing,
    PassThresholdWithoutFinalQuiz,
    ReviewMissing,
    ReviewOutdated,
    SeveralFinalQuizzes,
    FinalQuizNotLast,
    FinalQuizWithoutQuestions,

    // The sources registry (sources.yml) and the lessons' citations
    SourcesFileMissing,
    UnknownSource,
    DuplicateSourceId,

    // Reading files
    FileNotUtf8,
    FileIsBinary,
    FileTooLarge,
    SymbolicLink,

    // The media folder
    MediaTypeNotAllowed,
    UnsafeSvg,

    // YAML (course.yml and front matter)
    YamlSyntax,
    YamlTooComplex,
    UnknownField,
    MissingField,
    InvalidValue,
    FrontMatterMissing,

    // Lesson content
    LessonEmpty,
    NestingTooDeep,
    UnsafeLink,
    BrokenLink,
    LinkOutsideCourse,
    BrokenImage,
    ImageWithoutAltText,
    UnsafeHtmlRemoved,
    UnknownFact,
    FactOutsideText,

    // Blocks: quiz, reflektion, diskussion
    UnknownBlock,
    BlockNotClosed,
    QuestionTextMissing,
    QuizOptionsMissing,
    QuizOptionWithoutCheckbox,
    QuizTooFewOptions,
    QuizNoCorrectAnswer,
    QuizExplanationMissing,
    QuizSourceMissing,
    UnexpectedContentInBlock,
    DiscussionEmpty,

    // Nano-learning lint
    LessonLongerThanMinutes,
    LessonLongerThanNano,
    CourseOverAudienceBudget,
    ReadabilityTooHard,
}

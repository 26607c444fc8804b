namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>What the wheel drawing needs: the year's geometry and the rows the table below it shows too.</summary>
public sealed record WheelView(WheelGeometry Geometry, string UnitName, IReadOnlyList<WheelRow> Rows, DateOnly Today)
{
    public string Description =>
        $"Cirkel med årets tolv månader medsols från januari högst upp. {UnitName} har {WheelText.Summary(Rows.Select(r => r.Entry.Kind))} {Geometry.Year}. " +
        "Kurskampanjer och påminnelser är bågar över sina perioder, APT:er och anteckningar är markeringar på sina datum. " +
        "Den fyllda delen av en kampanjs båge är andelen klara. " +
        string.Concat(Rows.Where(r => r.Entry.Kind == AnnualWheelKind.CourseCampaign).Select(r => WheelText.ArcTitle(r) + ". ")) +
        "Samma uppgifter finns i tabellen under hjulet.";
}

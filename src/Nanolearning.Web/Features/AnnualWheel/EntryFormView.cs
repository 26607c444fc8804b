using Nanolearning.Courses;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Organisation;

namespace Nanolearning.Web.Features.AnnualWheel;

/// <summary>The entry form's fields and the choices it offers: the user's units in tree order, and the live courses.</summary>
public sealed record EntryFormView(EntryForm Form, IReadOnlyList<(int Id, string Label)> Units, IReadOnlyList<CompiledCourse> Courses)
{
    public static EntryFormView For(EntryForm form, ManagedUnits managed, CourseCatalog catalog) =>
        new(form, UnitChoices(managed), [.. catalog.Live]);

    /// <summary>The units a user may put an entry in, indented under their parents as in the tree.</summary>
    private static List<(int Id, string Label)> UnitChoices(ManagedUnits managed)
    {
        var tree = managed.Tree;
        return [.. managed.Tops.SelectMany(top =>
        {
            var topDepth = tree.DepthOf(top.Id);
            return tree.Subtree(top.Id).Select(u => (u.Id, string.Concat(Enumerable.Repeat("– ", tree.DepthOf(u.Id) - topDepth)) + u.Name));
        })];
    }
}

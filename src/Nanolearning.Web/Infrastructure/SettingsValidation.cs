using Microsoft.Extensions.Options;

namespace Nanolearning.Web.Infrastructure;

/// <summary>Settings classes list what cannot work (<c>Mistakes()</c>); this makes that list a start-up error.</summary>
public static class SettingsValidation
{
    public static OptionsBuilder<T> ValidateSettings<T>(this OptionsBuilder<T> options, Func<T, IEnumerable<string>> mistakes)
        where T : class
    {
        options.Services.AddSingleton<IValidateOptions<T>>(new Validation<T>(options.Name, mistakes));
        return options.ValidateOnStart();
    }

    private sealed class Validation<T>(string name, Func<T, IEnumerable<string>> mistakes) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options) =>
            optionsName != name ? ValidateOptionsResult.Skip
            : mistakes(options).ToList() is { Count: > 0 } found ? ValidateOptionsResult.Fail(found)
            : ValidateOptionsResult.Success;
    }
}

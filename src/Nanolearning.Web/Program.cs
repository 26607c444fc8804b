using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using Nanolearning.Web.Features.AnnualWheel;
using Nanolearning.Web;
using Nanolearning.Web.Features.Accounts;
using Nanolearning.Web.Features.Assignments;
using Nanolearning.Web.Features.Courses;
using Nanolearning.Web.Features.Demo;
using Nanolearning.Web.Features.ErrorReports;
using Nanolearning.Web.Features.Errors;
using Nanolearning.Web.Features.FollowUp;
using Nanolearning.Web.Features.HrImport;
using Nanolearning.Web.Features.Learning;
using Nanolearning.Web.Features.Mail;
using Nanolearning.Web.Features.MunicipalityFacts;
using Nanolearning.Web.Features.Organisation;
using Nanolearning.Web.Features.Privacy;
using Nanolearning.Web.Features.Reminders;
using Nanolearning.Web.Features.Retention;
using Nanolearning.Web.Features.Xapi;
using Nanolearning.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
// Serve the build's static assets (and their compressed variants) in every environment when run from build output,
// not only in Development; a published app has them in wwwroot and this does nothing.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddOptions<NanolearningOptions>().Bind(builder.Configuration.GetSection(NanolearningOptions.Section))
    .ValidateSettings(settings => settings.Mistakes(builder.Environment));
builder.Services.AddSingleton(TimeProvider.System);
// Swedish letters as themselves in the HTML, not as numeric entities.
builder.Services.Configure<WebEncoderOptions>(web => web.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

builder.Services.AddAppDbContext(builder.Configuration, builder.Environment);

builder.Services
    .AddIdentity<AppUser, IdentityRole>(identity =>
    {
        // NIST SP 800-63B: length matters, composition rules do not.
        identity.Password.RequiredLength = 15;
        identity.Password.RequireDigit = false;
        identity.Password.RequireLowercase = false;
        identity.Password.RequireUppercase = false;
        identity.Password.RequireNonAlphanumeric = false;
        identity.Password.RequiredUniqueChars = 1;
        identity.Lockout.MaxFailedAccessAttempts = 5;
        identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        identity.Lockout.AllowedForNewUsers = true;
        identity.User.RequireUniqueEmail = true;
        // "Confirmed" here means "still active" (ActiveLearnerConfirmation): leavers cannot sign in.
        identity.SignIn.RequireConfirmedAccount = true;
    })
    .AddEntityFrameworkStores<AppDbContext>()
    .AddDefaultTokenProviders()
    .AddTokenProvider<LinkTokens>(TokenOptions.DefaultProvider)
    .AddTokenProvider<AuthenticatorCodes>(TokenOptions.DefaultAuthenticatorProvider)
    .AddSignInManager<AppSignInManager>()
    .AddClaimsPrincipalFactory<LearnerClaimsFactory>()
    .AddErrorDescriber<SwedishIdentityErrors>()
    .AddUserConfirmation<ActiveLearnerConfirmation>();
// Admin powers need a second factor after a password (docs/architecture.md, "Admins and strong sign-in").
builder.Services.AddStrongAdminSignIn();

builder.Services.ConfigureApplicationCookie(cookie =>
{
    // Becomes __Host-nanolearning (Infrastructure/Cookies.cs); lifetimes and the per-request check in Sessions.cs.
    cookie.Cookie.Name = "nanolearning";
    cookie.LoginPath = "/logga-in";
    cookie.LogoutPath = "/logga-ut";
    cookie.AccessDeniedPath = "/fel/403";
    cookie.Events.OnRedirectToLogin = context =>
    {
        if (HttpMethods.IsPost(context.Request.Method))
        {
            // A form posted after the session ran out: back to the page (not its handler) after login, and say why.
            var page = (context.Request.PathBase + context.Request.Path).ToString();
            context.RedirectUri = context.HttpContext.RequestServices.GetRequiredService<LinkGenerator>()
                .GetPathByPage(context.HttpContext, "/Accounts/Login", values: new { returnUrl = page, utgangen = "true" })
                ?? throw new InvalidOperationException("No route to the login page.");
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    };
});

builder.Services.AddSessions(builder.Configuration);
builder.Services.AddCookieRules(builder.Environment);
// Keys in the app database: a restart or a second instance does not log anybody out; encrypted with a certificate.
builder.AddKeyProtection();
builder.AddTransport();
OpenIdConnectSignIn.AddIfConfigured(builder.Services, builder.Configuration);

var hrImport = builder.Configuration.GetSection(HrImportOptions.Section);
builder.Services.AddOptions<HrImportOptions>().Bind(hrImport).ValidateSettings(settings => settings.Mistakes());
builder.Services.AddOptions<ReminderOptions>().Bind(builder.Configuration.GetSection(ReminderOptions.Section)).ValidateSettings(settings => settings.Mistakes());
builder.Services.AddOptions<MailOptions>().Bind(builder.Configuration.GetSection(MailOptions.Section))
    .ValidateSettings(settings => settings.Mistakes(Database.Provider(builder.Configuration)));
builder.Services.AddOptions<RetentionOptions>().Bind(builder.Configuration.GetSection(RetentionOptions.Section)).ValidateSettings(settings => settings.Mistakes());
builder.Services.AddOptions<FollowUpOptions>().Bind(builder.Configuration.GetSection(FollowUpOptions.Section)).ValidateSettings(settings => settings.Mistakes());
// Sign-in, the lesson player and the LRS: per-address, per-learner and per-credential limits (settings "RateLimits").
builder.Services.AddRateLimits(builder.Configuration);

builder.Services.AddAuthorizationBuilder().AddPolicy(Roles.Admin, policy => policy.RequireRole(Roles.Admin));
// The built-in LRS's Basic credentials, apart from the logins.
LrsBasicAuthenticationHandler.AddTo(builder.Services);
builder.Services.AddRazorPages(pages =>
{
    // One folder per feature: its pages, services and entities together (docs/architecture.md).
    pages.RootDirectory = "/Features";
    // Admin pages live in the feature they administer and carry [Authorize(Policy = Roles.Admin)] themselves.
    pages.Conventions.AuthorizeFolder("/");
    pages.Conventions.AllowAnonymousToPage("/Accounts/Login");
    pages.Conventions.AllowAnonymousToPage("/Errors/Error");
    // Required by lagen (2018:1937) to be reachable for everyone, also for whoever cannot sign in.
    pages.Conventions.AllowAnonymousToPage("/Accessibility/Statement");
    // Opened from e-mail: the signed link is the permission.
    pages.Conventions.AllowAnonymousToPage("/Reminders/Repetition");
    pages.Conventions.AllowAnonymousToPage("/Reminders/Unsubscribe");
    // An unknown or missing handler is a 404 or 405 on every page, never the page rendered without its model.
    pages.Conventions.ConfigureFilter(new UnmatchedHandlerFilter());
    // A form the server cannot read is a 400 on every page, never a 500 from model binding.
    pages.Conventions.ConfigureFilter(new UnreadableFormFilter());
    // Room for a staff file somewhat over the import's own limit, so the page can say the file is too large.
    var maxFile = (hrImport.Get<HrImportOptions>() ?? new()).MaxFileBytes;
    pages.Conventions.AddPageApplicationModelConvention("/HrImport/Upload", page =>
    {
        page.Filters.Add(new RequestSizeLimitAttribute(2 * maxFile + 1_000_000));
        page.Filters.Add(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = 2 * maxFile + 1_000_000 });
        // Above that room, the size message still, with 413, not the form reader's generic 400.
        page.Filters.Add(new UploadSizeFilter(maxFile));
    });
}).AddMvcOptions(mvc =>
{
    // A form's IValidatableObject rules run even when one of its attributes failed, so every message shows at once.
    mvc.ValidateComplexTypesIfChildValidationFails = true;
    // Model binding's own messages (a value that is not a number, a yes/no that is neither) in Swedish, like the rest.
    var messages = mvc.ModelBindingMessageProvider;
    messages.SetAttemptedValueIsInvalidAccessor((value, _) => $"Värdet ”{value}” går inte att använda här.");
    messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"Värdet ”{value}” går inte att använda här.");
    messages.SetUnknownValueIsInvalidAccessor(_ => "Värdet går inte att använda här.");
    messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => "Värdet går inte att använda här.");
    messages.SetValueIsInvalidAccessor(value => $"Värdet ”{value}” går inte att använda här.");
    messages.SetValueMustBeANumberAccessor(_ => "Skriv ett tal.");
    messages.SetNonPropertyValueMustBeANumberAccessor(() => "Skriv ett tal.");
    messages.SetValueMustNotBeNullAccessor(_ => "Fyll i fältet.");
    messages.SetMissingBindRequiredValueAccessor(_ => "Fyll i fältet.");
    messages.SetMissingKeyOrValueAccessor(() => "Fyll i fältet.");
    messages.SetMissingRequestBodyRequiredValueAccessor(() => "Formuläret kom fram tomt. Försök igen.");
});

builder.Services.AddSingleton<CourseCatalog>();
builder.Services.AddHostedService<CourseWatcher>();
builder.Services.AddHostedService<CourseSync>();
builder.Services.AddScoped<DemoSeeder>();
builder.Services.AddScoped<ExternalAccounts>();
builder.Services.AddScoped<Learning>();
builder.Services.AddScoped<FactFilling>();
builder.Services.AddScoped<OpenErrorReports>();
builder.Services.AddScoped<UnitAccess>();
builder.Services.AddScoped<IAuthorizationHandler, ManagesUnitHandler>();
builder.Services.AddScoped<IAuthorizationHandler, SeesUnitPlanHandler>();
builder.Services.AddScoped<IAuthorizationHandler, OpensCourseHandler>();
builder.Services.AddScoped<AssignmentPlanner>();
builder.Services.AddScoped<HrImport>();
builder.Services.AddSingleton<Mailer>();
builder.Services.AddSingleton<MailPickup>();
builder.Services.AddSingleton<ReminderLinks>();
builder.Services.AddScoped<ReminderScan>();
builder.Services.AddScoped<ReminderDispatch>();
builder.Services.AddScoped<ReminderLetter>();
builder.Services.AddScoped<ReminderTiming>();
builder.Services.AddScoped<ManagerNudge>();
builder.Services.AddScoped<AuditTrail>();
builder.Services.AddScoped<RetentionSweep>();
builder.Services.AddScoped<PersonalData>();
builder.Services.AddSingleton<MunicipalitySnapshot>();
// Renders e-mail bodies from Razor components; per scope (a request or a Hangfire job), on that scope's services,
// which include the HtmlEncoder configured above.
builder.Services.AddScoped(services => new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>()));
builder.Services.AddScoped<ReminderSender>();
builder.Services.AddOptions<XapiOptions>().Bind(builder.Configuration.GetSection(XapiOptions.Section)).ValidateSettings(settings => settings.Mistakes());
builder.Services.AddSingleton(provider => new StatementProfile(provider.GetRequiredService<IOptions<XapiOptions>>().Value));
builder.Services.AddScoped<StatementStore>();
builder.Services.AddScoped<StatementDelivery>();
builder.Services.AddHttpClient(StatementDelivery.HttpClientName);
builder.Services.AddBackgroundJobs(builder.Configuration);
// /health for the load balancer: healthy only while the database answers (docs/operations.md).
builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");

var app = builder.Build();

// Forwarded headers from known proxies only, then HSTS and HTTPS redirection outside development.
app.UseTransport();
app.UseExceptionHandler("/fel/500");
app.UseStatusCodePagesWithReExecute("/fel/{0}");
app.UseMiddleware<SecurityHeaders>();
app.UseRequestLocalization(new RequestLocalizationOptions { DefaultRequestCulture = new("sv-SE") }
    .AddSupportedCultures("sv-SE").AddSupportedUICultures("sv-SE"));
app.MapStaticAssets();
// Before routing, authentication and the rate limiter: it turns an LRS client's POST ?method=PUT into the PUT it stands for.
app.UseXapiAlternateRequestSyntax();
app.UseRouting();
app.UseAuthentication();
// After authentication (the lesson player's limit is per signed-in learner), before authorization (guesses at the
// LRS's credentials are refused with 429 before they are refused with 401).
app.UseRateLimiter();
app.UseAuthorization();
app.MapRazorPages().WithStaticAssets();
app.MapCourseMedia();
app.MapCalendarFeed();
app.MapXapi();
// For load balancers: 200 "Healthy" while the database answers, 503 "Unhealthy" when it does not, so traffic goes to
// the instances that can serve it. /health/live only says the process answers: the trivial baseline in the benchmark.
app.MapHealthChecks("/health");
app.MapGet("/health/live", () => "ok");

// The operator's commands (admin create, password reset) run instead of the server, on the same settings and database.
if (AccountCommands.IsCommand(args))
{
    return await AccountCommands.RunAsync(app.Services, args, Console.Out);
}

await Startup.PrepareAsync(app);
// After the migrations: on PostgreSQL the dashboard's job storage connects when it is made, and before the first start
// there is no database to connect to (Hangfire would retry for half a minute).
app.MapJobDashboard();
await app.RunAsync();
return 0;

/// <summary>The app's entry point, public so integration tests can host it.</summary>
public partial class Program;

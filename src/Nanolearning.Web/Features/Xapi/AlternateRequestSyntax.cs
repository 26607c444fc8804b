using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// xAPI 1.0.3 Communication 1.3, the alternate request syntax: a browser that cannot send custom headers or PUT
/// across origins POSTs to <c>/xapi/…?method=PUT</c> with an <c>application/x-www-form-urlencoded</c> body. The form's
/// header fields (<c>Authorization</c>, <c>X-Experience-API-Version</c>, <c>Content-Type</c>, <c>If-Match</c>,
/// <c>If-None-Match</c>) become headers, <c>content</c> the body, and the other fields the query string; then the
/// request goes on as the request it stands for. It runs before routing, so the endpoint for the named method
/// answers, and before authentication and the rate limiter, which read the Authorization it may carry.
/// </summary>
public static class AlternateRequestSyntax
{
    private static readonly string[] HeaderFields =
        ["Authorization", LrsEndpoints.VersionHeader, "Content-Type", "Content-Length", "If-Match", "If-None-Match"];

    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "POST", "DELETE"];

    public static IApplicationBuilder UseXapiAlternateRequestSyntax(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/xapi") && request.Query.ContainsKey("method")
            && await RewriteAsync(context) is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    /// <summary>Turns the request into the one it stands for; a result when it cannot be one.</summary>
    private static async Task<IResult?> RewriteAsync(HttpContext context)
    {
        var request = context.Request;
        context.Response.Headers[LrsEndpoints.VersionHeader] = Nanolearning.Xapi.RemoteLrs.XapiVersion;
        if (!HttpMethods.IsPost(request.Method))
        {
            return LrsEndpoints.Error(StatusCodes.Status400BadRequest, "The alternate request syntax (?method=) is sent as a POST.");
        }

        if (request.Query.Count != 1)
        {
            return LrsEndpoints.Error(StatusCodes.Status400BadRequest,
                "With ?method=, the query string holds only method; the other parameters go in the form body.");
        }

        var method = request.Query["method"].ToString().ToUpperInvariant();
        if (!Methods.Contains(method))
        {
            return LrsEndpoints.Error(StatusCodes.Status400BadRequest, $"method must be one of {string.Join(", ", Methods)}.");
        }

        if (!request.HasFormContentType)
        {
            return LrsEndpoints.Error(StatusCodes.Status400BadRequest, "The alternate request syntax sends an application/x-www-form-urlencoded body.");
        }

        // The form is read before routing, so the LRS's own body limit is applied here (it is Kestrel's 30 MB otherwise).
        var limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<XapiOptions>>().Value.Lrs;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxRequestBytes;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return LrsEndpoints.Error(StatusCodes.Status400BadRequest, "The form body could not be read.");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return LrsEndpoints.Error(StatusCodes.Status413PayloadTooLarge, "The request body is too large.");
        }

        var query = new List<KeyValuePair<string, StringValues>>();
        StringValues content = default;
        foreach (var (name, value) in form)
        {
            if (name.Equals("content", StringComparison.OrdinalIgnoreCase))
            {
                content = value;
            }
            else if (HeaderFields.FirstOrDefault(h => h.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } header)
            {
                if (header != "Content-Length")
                {
                    request.Headers[header] = value;
                }
            }
            else
            {
                query.Add(new(name, value));
            }
        }

        var writes = method is "PUT" or "POST";
        if (writes && content.Count == 0)
        {
            return LrsEndpoints.Error(StatusCodes.Status400BadRequest, $"A {method} in the alternate request syntax carries its body as the form field content.");
        }

        var body = writes ? Encoding.UTF8.GetBytes(content.ToString()) : [];
        if (writes && !form.ContainsKey("Content-Type"))
        {
            request.ContentType = "application/json";
        }
        else if (!writes)
        {
            request.Headers.ContentType = StringValues.Empty;
        }

        request.Method = method;
        request.QueryString = QueryString.Create(query);
        // The endpoint reads the query through this feature; a fresh one re-reads the new QueryString.
        context.Features.Set<IQueryFeature>(new QueryFeature(context.Features));
        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        context.Features.Set<IFormFeature>(null);
        // The body is now in memory and was limited above; routing would otherwise warn that the endpoint's limit
        // cannot be applied to a body already read.
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(new BodyInMemory());
        return null;
    }

    private sealed class BodyInMemory : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; }
    }
}

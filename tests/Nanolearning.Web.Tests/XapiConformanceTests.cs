using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Tests;

/// <summary>
/// What ADL's LRS conformance suite found missing in the built-in LRS (issue 18), over real HTTP through Kestrel:
/// HEAD, the alternate request syntax, attachments, signed statements, formats, statements targeting voided ones,
/// merged activity definitions, profile PUTs without preconditions and the stricter validation.
/// </summary>
public sealed class XapiConformanceTests(XapiLrsFixture lrs) : IClassFixture<XapiLrsFixture>
{
    private static readonly Agent Anna = new() { Name = "Anna", Mbox = "mailto:anna@example.com" };
    private const string Signature = "http://adlnet.gov/expapi/attachments/signature";

    private static Statement NewStatement(string? verb = null, IStatementTarget? target = null) =>
        new(Anna, verb is null ? Verbs.Experienced : new Verb(verb), target ?? new Activity("https://example.com/activities/" + Guid.NewGuid()))
        {
            Id = Guid.NewGuid(),
        };

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Send(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await lrs.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
        }
    }

    private Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Post(string json) =>
        Send(lrs.Request(HttpMethod.Post, "statements", json));

    private async Task<JsonObject> Get(string query, string? acceptLanguage = null)
    {
        var request = lrs.Request(HttpMethod.Get, "statements?" + query);
        if (acceptLanguage is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        var (status, body, _) = await Send(request);
        Assert.True(status == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    [Theory]
    [InlineData("statements")]
    [InlineData("about")]
    [InlineData("activities?activityId=https%3A%2F%2Fexample.com%2Fa")]
    [InlineData("agents?agent=%7B%22mbox%22%3A%22mailto%3Aanna%40example.com%22%7D")]
    public async Task HEAD_answers_like_GET_without_a_body(string resource)
    {
        var (getStatus, getBody, _) = await Send(lrs.Request(HttpMethod.Get, resource));
        var (status, body, response) = await Send(lrs.Request(HttpMethod.Head, resource));

        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.NotEmpty(getBody);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body);
        Assert.Equal("1.0.3", response.Headers.GetValues("X-Experience-API-Version").Single());
    }

    [Fact]
    public async Task HEAD_of_a_document_carries_its_ETag_and_of_a_missing_statement_is_404()
    {
        var address = "activities/state?activityId=https%3A%2F%2Fexample.com%2Fa&agent=%7B%22mbox%22%3A%22mailto%3Aanna%40example.com%22%7D&stateId=s";
        Assert.Equal(HttpStatusCode.NoContent, (await Send(lrs.Request(HttpMethod.Put, address, """{"a":1}"""))).Status);

        var (status, body, response) = await Send(lrs.Request(HttpMethod.Head, address));
        var (missing, _, _) = await Send(lrs.Request(HttpMethod.Head, "statements?statementId=" + Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task The_alternate_request_syntax_carries_the_method_headers_and_body_in_a_form()
    {
        var statement = NewStatement();
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{XapiLrsFixture.Username}:{XapiLrsFixture.LrsPassword}"));
        // No headers at all: the credentials and the version travel in the form, as a browser across origins sends them.
        using var put = new HttpRequestMessage(HttpMethod.Post, new Uri(lrs.Endpoint, "statements?method=PUT"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["statementId"] = statement.Id!.Value.ToString(),
                ["content"] = XapiJson.Serialize(statement),
                ["Authorization"] = "Basic " + credentials,
                ["X-Experience-API-Version"] = "1.0.3",
            }),
        };
        var putResponse = await lrs.Http.SendAsync(put);
        using var get = lrs.Request(HttpMethod.Post, "statements?method=GET");
        get.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["statementId"] = statement.Id.Value.ToString() });
        var getResponse = await lrs.Http.SendAsync(get);

        Assert.Equal(HttpStatusCode.NoContent, putResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, getResponse.StatusCode);
        Assert.Equal(statement.Id, XapiJson.Deserialize<Statement>(await getResponse.Content.ReadAsStringAsync()).Id);
    }

    [Theory]
    [InlineData("statements?method=PUT&statementId=fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "application/x-www-form-urlencoded")]
    [InlineData("statements?method=PUT", "application/json")]
    [InlineData("statements?method=PATCH", "application/x-www-form-urlencoded")]
    public async Task The_alternate_request_syntax_refuses_extra_query_parameters_other_bodies_and_other_methods(string relative, string contentType)
    {
        var request = lrs.Request(HttpMethod.Post, relative);
        request.Content = new StringContent("statementId=fd41c918-b88b-4b20-a0a5-a4c32391aaa0&content=%7B%7D", Encoding.UTF8, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, (await Send(request)).Status);
    }

    private static MultipartContent Multipart(Statement statement, params (string Type, byte[] Content, string? Encoding)[] parts)
    {
        var multipart = new MultipartContent("mixed", "test-boundary-" + Guid.NewGuid().ToString("N"));
        multipart.Add(new StringContent(XapiJson.Serialize(statement), Encoding.UTF8, "application/json"));
        foreach (var (type, content, encoding) in parts)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            part.Headers.Add("X-Experience-API-Hash", Convert.ToHexStringLower(SHA256.HashData(content)));
            if (encoding is not null)
            {
                part.Headers.Add("Content-Transfer-Encoding", encoding);
            }

            multipart.Add(part);
        }

        return multipart;
    }

    private static Attachment AttachmentOf(byte[] content, string type = "text/plain", string usage = "http://example.com/usage/certificate") => new()
    {
        UsageType = usage,
        Display = new LanguageMap("es-MX", "certificado"),
        ContentType = type,
        Length = content.Length,
        Sha2 = Convert.ToHexStringLower(SHA256.HashData(content)),
    };

    [Fact]
    public async Task An_attachment_sent_in_a_multipart_request_comes_back_with_attachments_true()
    {
        var content = Encoding.UTF8.GetBytes("Intyg: kursen genomförd " + Guid.NewGuid());
        var statement = NewStatement() with { Attachments = [AttachmentOf(content)] };
        var request = lrs.Request(HttpMethod.Post, "statements");
        request.Content = Multipart(statement, ("text/plain", content, "binary"));

        var (status, body, _) = await Send(request);
        var response = await lrs.Http.SendAsync(lrs.Request(HttpMethod.Get, $"statements?statementId={statement.Id}&attachments=true"));
        var boundary = response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value!;
        var answer = await response.Content.ReadAsStringAsync();
        var plain = await Send(lrs.Request(HttpMethod.Get, $"statements?statementId={statement.Id}"));

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("multipart/mixed", response.Content.Headers.ContentType.MediaType);
        var parts = answer.Split("--" + boundary).Where(p => p.Trim() is not ("" or "--")).ToList();
        Assert.Equal(2, parts.Count);
        Assert.Contains(statement.Id.ToString()!, parts[0]);
        Assert.Contains("X-Experience-API-Hash: " + statement.Attachments![0].Sha2, parts[1]);
        Assert.Contains(Encoding.UTF8.GetString(content), parts[1]);
        Assert.Equal("application/json", plain.Response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_attachment_with_a_fileUrl_needs_no_part_and_one_without_must_have_one()
    {
        var content = "bytes"u8.ToArray();
        var withUrl = NewStatement() with { Attachments = [AttachmentOf(content) with { FileUrl = "https://example.com/intyg.pdf" }] };
        var withoutUrl = NewStatement() with { Attachments = [AttachmentOf(content)] };
        var wrongEncoding = lrs.Request(HttpMethod.Post, "statements");
        wrongEncoding.Content = Multipart(withoutUrl, ("text/plain", content, "base64"));
        var extraPart = lrs.Request(HttpMethod.Post, "statements");
        extraPart.Content = Multipart(withUrl, ("text/plain", "other"u8.ToArray(), "binary"));

        Assert.Equal(HttpStatusCode.OK, (await Post(XapiJson.Serialize(withUrl))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(XapiJson.Serialize(withoutUrl))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(wrongEncoding)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(extraPart)).Status);
    }

    /// <summary>A compact JWS of the statement, as a signing client makes it.</summary>
    private static byte[] Jws(Statement statement, RSA key, string algorithm, HashAlgorithmName hash, X509Certificate2? certificate = null, bool tamper = false)
    {
        var header = new JsonObject { ["alg"] = algorithm };
        if (certificate is not null)
        {
            header["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData));
        }

        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(XapiJson.Serialize(statement)));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), hash, RSASignaturePadding.Pkcs1);
        if (tamper)
        {
            signature[0] ^= 0xFF;
        }

        return Encoding.ASCII.GetBytes(signingInput + "." + Base64Url.EncodeToString(signature));
    }

    private async Task<HttpStatusCode> PostSigned(Statement signed, byte[] jws, string contentType = "application/octet-stream")
    {
        var statement = signed with { Attachments = [AttachmentOf(jws, contentType, Signature)] };
        var request = lrs.Request(HttpMethod.Post, "statements");
        request.Content = Multipart(statement, (contentType, jws, "binary"));
        var (status, _, _) = await Send(request);
        return status;
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task A_signed_statement_is_accepted_with_RS256_384_or_512(string algorithm)
    {
        using var key = RSA.Create(2048);
        var hash = new HashAlgorithmName("SHA" + algorithm[2..]);
        var statement = NewStatement();

        Assert.Equal(HttpStatusCode.OK, await PostSigned(statement, Jws(statement, key, algorithm, hash)));
        Assert.Equal(HttpStatusCode.OK, (await Send(lrs.Request(HttpMethod.Get, $"statements?statementId={statement.Id}"))).Status);
    }

    [Fact]
    public async Task A_signature_of_another_statement_another_algorithm_or_content_type_is_refused()
    {
        using var key = RSA.Create(2048);
        var statement = NewStatement();
        var other = NewStatement();

        Assert.Equal(HttpStatusCode.BadRequest, await PostSigned(statement, Jws(other, key, "RS256", HashAlgorithmName.SHA256)));
        Assert.Equal(HttpStatusCode.BadRequest, await PostSigned(statement, Jws(statement, key, "HS256", HashAlgorithmName.SHA256)));
        Assert.Equal(HttpStatusCode.BadRequest, await PostSigned(statement, Jws(statement, key, "RS256", HashAlgorithmName.SHA256), "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostSigned(statement, "not a jws"u8.ToArray()));
    }

    [Fact]
    public async Task A_signature_with_a_certificate_must_verify_with_it()
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=Signerande klient", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        var statement = NewStatement();

        Assert.Equal(HttpStatusCode.BadRequest, await PostSigned(statement, Jws(statement, key, "RS256", HashAlgorithmName.SHA256, certificate, tamper: true)));
        Assert.Equal(HttpStatusCode.OK, await PostSigned(statement, Jws(statement, key, "RS256", HashAlgorithmName.SHA256, certificate)));
    }

    [Fact]
    public async Task Format_ids_keeps_only_identifiers_and_canonical_one_language_by_Accept_Language()
    {
        var statement = NewStatement(target: new Activity("https://example.com/a/" + Guid.NewGuid(), new ActivityDefinition
        {
            Name = new LanguageMap([new("en-US", "meeting"), new("sv-SE", "möte")]),
            Type = "http://adlnet.gov/expapi/activities/meeting",
        })) with
        { Verb = new Verb("http://adlnet.gov/expapi/verbs/attended") { Display = new LanguageMap([new("en-US", "attended"), new("sv-SE", "deltog")]) } };
        await Post(XapiJson.Serialize(statement));

        var ids = await Get($"statementId={statement.Id}&format=ids");
        var canonical = await Get($"statementId={statement.Id}&format=canonical", "sv-SE, en;q=0.5");
        var exact = await Get($"statementId={statement.Id}", "sv-SE");

        Assert.Equal("""{"mbox":"mailto:anna@example.com"}""", ids["actor"]!.ToJsonString().Replace("\"objectType\":\"Agent\",", ""));
        Assert.Equal("""{"id":"http://adlnet.gov/expapi/verbs/attended"}""", ids["verb"]!.ToJsonString());
        Assert.Equal("id", Assert.Single(ids["object"]!.AsObject()).Key);
        Assert.Equal("""{"sv-SE":"deltog"}""", canonical["verb"]!["display"]!.ToJsonString());
        Assert.Equal("""{"sv-SE":"möte"}""", canonical["object"]!["definition"]!["name"]!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal("Anna", canonical["actor"]!["name"]!.GetValue<string>());
        Assert.Equal(2, exact["verb"]!["display"]!.AsObject().Count);
    }

    [Fact]
    public async Task A_query_returns_the_statements_that_target_a_matching_voided_statement_within_since_and_until()
    {
        var verb = "https://example.com/verbs/" + Guid.NewGuid();
        var voided = NewStatement(verb);
        await Post(XapiJson.Serialize(voided));
        var before = lrs.Clock.GetUtcNow();
        lrs.Clock.Advance(TimeSpan.FromMinutes(1));
        var voiding = new Statement(Anna, Verbs.Voided, new StatementRef(voided.Id!.Value)) { Id = Guid.NewGuid() };
        await Post(XapiJson.Serialize(voiding));
        lrs.Clock.Advance(TimeSpan.FromMinutes(1));
        var between = lrs.Clock.GetUtcNow();
        lrs.Clock.Advance(TimeSpan.FromMinutes(1));
        var referring = NewStatement(verb, new StatementRef(voided.Id.Value));
        await Post(XapiJson.Serialize(referring));

        static List<string> Ids(JsonObject result) => [.. result["statements"]!.AsArray().Select(s => s!["id"]!.GetValue<string>())];
        var all = Ids(await Get("verb=" + Uri.EscapeDataString(verb)));
        var since = Ids(await Get($"verb={Uri.EscapeDataString(verb)}&since={Uri.EscapeDataString(XapiTimestamp.Format(before))}"));
        var until = Ids(await Get($"verb={Uri.EscapeDataString(verb)}&until={Uri.EscapeDataString(XapiTimestamp.Format(between))}"));

        Assert.Equal([referring.Id.ToString()!, voiding.Id.ToString()!], all);
        Assert.Equal(all, since);
        Assert.Equal([voiding.Id.ToString()!], until);
    }

    [Fact]
    public async Task The_activities_resource_merges_the_language_maps_of_statements_about_one_activity()
    {
        var id = "https://example.com/meetings/" + Guid.NewGuid();
        await Post(XapiJson.Serialize(NewStatement(target: new Activity(id, new ActivityDefinition { Name = new LanguageMap("en-US", "meeting"), Type = "http://adlnet.gov/expapi/activities/meeting" }))));
        await Post(XapiJson.Serialize(NewStatement(target: new Activity(id, new ActivityDefinition { Name = new LanguageMap("fr-FR", "réunion") }))));

        var (status, body, _) = await Send(lrs.Request(HttpMethod.Get, "activities?activityId=" + Uri.EscapeDataString(id)));
        var activity = XapiJson.Deserialize<Activity>(body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new LanguageMap([new("en-US", "meeting"), new("fr-FR", "réunion")]), activity.Definition!.Name);
        Assert.Equal("http://adlnet.gov/expapi/activities/meeting", activity.Definition.Type);
    }

    [Fact]
    public async Task A_profile_PUT_without_a_precondition_is_400_for_a_new_document_and_409_for_an_existing_one()
    {
        var address = "activities/profile?activityId=https%3A%2F%2Fexample.com%2Fa&profileId=" + Guid.NewGuid();

        var bare = await Send(lrs.Request(HttpMethod.Put, address, """{"a":1}"""));
        var create = lrs.Request(HttpMethod.Put, address, """{"a":1}""");
        create.Headers.TryAddWithoutValidation("If-None-Match", "*");
        var created = await Send(create);
        var again = await Send(lrs.Request(HttpMethod.Put, address, """{"a":2}"""));

        Assert.Equal(HttpStatusCode.BadRequest, bare.Status);
        Assert.Equal(HttpStatusCode.NoContent, created.Status);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
    }

    public static TheoryData<string> Refused() => new()
    {
        """{"actor":{"mbox":"mailto:anna@example.com","name":null},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://example.com/a"}}""",
        """{"actor":{"mbox":"mailto:anna@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://example.com/a"},"version":"0.9.9"}""",
        """{"actor":{"mbox":"mailto:anna@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://example.com/a"},"result":{"duration":"P4W1D"}}""",
        """{"actor":{"mbox":"mailto:anna@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://example.com/a","definition":{"interactionType":12345}}}""",
        """{"actor":{"mbox":"mailto:anna@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://example.com/a"},"context":{"statement":{"objectType":"statementref","id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}}}""",
        """{"actor":{"mbox":"mailto:anna@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://example.com/a"},"authority":{"objectType":"Group","mbox":"mailto:team@example.com","member":[{"mbox":"mailto:a@example.com"},{"mbox":"mailto:b@example.com"}]}}""",
        """{"actor":{"mbox":"mailto:anna@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://example.com/a"},"authority":{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"},{"mbox":"mailto:b@example.com"},{"mbox":"mailto:c@example.com"}]}}""",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Statements_the_spec_forbids_are_refused_with_400(string json)
    {
        var (status, body, _) = await Post(json);

        Assert.True(status == HttpStatusCode.BadRequest, body);
    }

    [Fact]
    public async Task An_authority_of_two_agents_is_accepted_and_replaced_by_the_LRS()
    {
        var (status, body, _) = await Post("""{"actor":{"mbox":"mailto:anna@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://example.com/a"},"authority":{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"},{"mbox":"mailto:b@example.com"}]}}""");

        Assert.True(status == HttpStatusCode.OK, body);
    }
}

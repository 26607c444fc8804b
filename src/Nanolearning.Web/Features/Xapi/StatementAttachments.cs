using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Nanolearning.Xapi;

namespace Nanolearning.Web.Features.Xapi;

/// <summary>
/// Attachments and signed statements (xAPI 1.0.3 Data 2.4.11, 2.6; Communication 1.5.2). Statements with attachments
/// whose bytes travel with them are sent as <c>multipart/mixed</c>: the statements as the first part
/// (<c>application/json</c>), then one part per attachment with <c>X-Experience-API-Hash</c> (its SHA-2) and
/// <c>Content-Transfer-Encoding: binary</c>. An attachment with a <c>fileUrl</c> may come without its bytes. A
/// signature attachment is a JWS (RS256/384/512) whose payload must be the statement itself.
/// </summary>
public static class StatementAttachments
{
    public const string SignatureUsageType = "http://adlnet.gov/expapi/attachments/signature";
    public const string HashHeader = "X-Experience-API-Hash";

    private static readonly string[] SignatureAlgorithms = ["RS256", "RS384", "RS512"];

    /// <summary>A multipart/mixed request: the statements' JSON and the attachments' parts; or why it is refused.</summary>
    public static async Task<(byte[]? Json, List<StoredAttachment> Parts, string? Error)> ReadAsync(HttpRequest request, MediaTypeHeaderValue contentType, CancellationToken cancel)
    {
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).ToString();
        if (!contentType.MediaType.Equals("multipart/mixed", StringComparison.OrdinalIgnoreCase) || boundary.Length == 0)
        {
            return (null, [], "Statements with attachments are sent as multipart/mixed with a boundary.");
        }

        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        byte[]? json = null;
        var parts = new List<StoredAttachment>();
        try
        {
            while (await reader.ReadNextSectionAsync(cancel) is { } section)
            {
                using var buffer = new MemoryStream();
                await section.Body.CopyToAsync(buffer, cancel);
                var partType = MediaTypeHeaderValue.TryParse(section.ContentType, out var parsed) ? parsed.MediaType.ToString() : "";
                if (json is null)
                {
                    if (!partType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                    {
                        return (null, [], "The first part of a multipart/mixed request holds the statements, as application/json.");
                    }

                    json = buffer.ToArray();
                    continue;
                }

                var hash = section.Headers?.TryGetValue(HashHeader, out var value) == true ? value.ToString().Trim() : "";
                if (hash.Length == 0)
                {
                    return (null, [], $"Every part after the statements needs an {HashHeader} header.");
                }

                var encoding = section.Headers?.TryGetValue("Content-Transfer-Encoding", out var transfer) == true ? transfer.ToString().Trim() : "";
                if (!encoding.Equals("binary", StringComparison.OrdinalIgnoreCase))
                {
                    return (null, [], "Attachment parts are sent with Content-Transfer-Encoding: binary.");
                }

                var content = buffer.ToArray();
                if (HashOf(content, hash.Length) is { } actual && !actual.Equals(hash, StringComparison.OrdinalIgnoreCase))
                {
                    return (null, [], $"The part with {HashHeader} {hash} has other content (its SHA-2 is {actual}).");
                }

                parts.Add(new StoredAttachment { Sha2 = hash.ToLowerInvariant(), ContentType = Truncate(section.ContentType ?? "application/octet-stream"), Content = content });
            }
        }
        catch (IOException)
        {
            return (null, [], "The multipart body is malformed (a boundary is missing).");
        }
        catch (InvalidDataException)
        {
            return (null, [], "The multipart body is malformed.");
        }

        return json is null ? (null, [], "The multipart body has no statements part.") : (json, parts, null);
    }

    /// <summary>
    /// The attachments' rules across the statements and the parts: every attachment without a <c>fileUrl</c> has a
    /// part, every part belongs to an attachment, and signatures are valid JWS of their statement.
    /// </summary>
    public static string? Check(IReadOnlyList<Statement> statements, IReadOnlyList<StoredAttachment> parts)
    {
        var byHash = parts.GroupBy(p => p.Sha2).ToDictionary(g => g.Key, g => g.First());
        var declared = statements.SelectMany(s => s.Attachments ?? []).Select(a => a.Sha2.ToLowerInvariant()).ToHashSet();
        if (byHash.Keys.FirstOrDefault(h => !declared.Contains(h)) is { } extra)
        {
            return $"The part with {HashHeader} {extra} belongs to no attachment of the statements.";
        }

        foreach (var statement in statements)
        {
            foreach (var attachment in statement.Attachments ?? [])
            {
                byHash.TryGetValue(attachment.Sha2.ToLowerInvariant(), out var part);
                if (part is null && attachment.FileUrl is null)
                {
                    return $"The attachment {attachment.Sha2} has no fileUrl, so its bytes must be a part of a multipart/mixed request.";
                }

                if (attachment.UsageType == SignatureUsageType && CheckSignature(statement, attachment, part) is { } problem)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A signature (Data 2.6): <c>application/octet-stream</c>, a compact JWS with RS256, RS384 or RS512, whose payload
    /// is this statement as it was before the signature was attached. With an <c>x5c</c> certificate in its header
    /// the signature is verified with that certificate's key; without one there is no key to verify it with, and the
    /// LRS checks the rest (as ADL's reference LRS does).
    /// </summary>
    private static string? CheckSignature(Statement statement, Attachment attachment, StoredAttachment? part)
    {
        if (!attachment.ContentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return "A signature attachment's contentType is application/octet-stream.";
        }

        if (part is null)
        {
            return "A signature attachment must be sent as a part of the request.";
        }

        var segments = Encoding.ASCII.GetString(part.Content).Trim().Split('.');
        if (segments.Length != 3)
        {
            return "The signature is not a JWS in compact serialization.";
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(segments[0]));
            var algorithm = header.RootElement.TryGetProperty("alg", out var alg) ? alg.GetString() : null;
            if (!SignatureAlgorithms.Contains(algorithm))
            {
                return "The signature's algorithm must be RS256, RS384 or RS512.";
            }

            if (!StrictJson.TryRead<Statement>(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(segments[1])), out var signed, out _)
                || Unsigned(signed! with { Id = signed.Id ?? statement.Id }) != Unsigned(statement))
            {
                return "The signature's payload is not this statement.";
            }

            if (header.RootElement.TryGetProperty("x5c", out var chain) && chain.ValueKind == JsonValueKind.Array && chain.GetArrayLength() > 0)
            {
                using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(chain[0].GetString() ?? ""));
                using var key = certificate.GetRSAPublicKey();
                var name = algorithm switch { "RS384" => HashAlgorithmName.SHA384, "RS512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };
                if (key is null || !key.VerifyData(Encoding.ASCII.GetBytes(segments[0] + "." + segments[1]),
                        Base64Url.DecodeFromChars(segments[2]), name, RSASignaturePadding.Pkcs1))
                {
                    return "The signature does not verify with the certificate in its header.";
                }
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException or InvalidOperationException)
        {
            return "The signature is not a valid JWS.";
        }

        return null;
    }

    /// <summary>The statement as a signer saw it: without what the LRS sets and without signature attachments.</summary>
    private static Statement Unsigned(Statement statement)
    {
        var attachments = statement.Attachments?.Where(a => a.UsageType != SignatureUsageType).ToList();
        var bare = statement with
        {
            Authority = null,
            Stored = null,
            Version = null,
            Attachments = attachments is { Count: > 0 } ? new ValueList<Attachment>(attachments) : null,
        };
        // A JSON round trip, so that equal statements compare equal however they were read.
        return XapiJson.Deserialize<Statement>(XapiJson.Serialize(bare));
    }

    /// <summary>A multipart/mixed answer: the JSON first, then each attachment's bytes.</summary>
    public static async Task WriteAsync(HttpResponse response, string json, IReadOnlyList<StoredAttachment> attachments)
    {
        var boundary = "xapi-" + Guid.NewGuid().ToString("N");
        response.ContentType = $"multipart/mixed; boundary={boundary}";
        await WriteBodyAsync(response.Body, boundary, json, attachments);
    }

    private static async Task WriteBodyAsync(Stream body, string boundary, string json, IReadOnlyList<StoredAttachment> attachments)
    {
        var text = new StringBuilder();
        text.Append("--").Append(boundary).Append("\r\nContent-Type: application/json; charset=utf-8\r\n\r\n").Append(json).Append("\r\n");
        await body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
        foreach (var attachment in attachments)
        {
            var head = $"--{boundary}\r\nContent-Type: {attachment.ContentType}\r\nContent-Transfer-Encoding: binary\r\n{HashHeader}: {attachment.Sha2}\r\n\r\n";
            await body.WriteAsync(Encoding.UTF8.GetBytes(head));
            await body.WriteAsync(attachment.Content);
            await body.WriteAsync("\r\n"u8.ToArray());
        }

        await body.WriteAsync(Encoding.UTF8.GetBytes($"--{boundary}--\r\n"));
    }

    /// <summary>The SHA-2 of the content with as many hex digits as the claimed hash has; null for a length we do not check.</summary>
    private static string? HashOf(byte[] content, int hexLength) => hexLength switch
    {
        64 => Convert.ToHexStringLower(SHA256.HashData(content)),
        96 => Convert.ToHexStringLower(SHA384.HashData(content)),
        128 => Convert.ToHexStringLower(SHA512.HashData(content)),
        _ => null,
    };

    private static string Truncate(string contentType) => contentType.Length > 255 ? contentType[..255] : contentType;
}

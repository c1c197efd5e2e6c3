using System.Globalization;
using Npgsql;

namespace Pipelines.Tuning;

/// <summary>
/// <c>postgresql://user:password@host:port/database?schema=name&amp;sslmode=require</c> (libpq's URL form) as an
/// Npgsql connection string, which Npgsql does not read itself. <c>schema</c> sets the search path (where the
/// study tables live); other query keys are Npgsql connection-string keywords.
/// </summary>
internal static class PostgresUrl
{
    public const int DefaultPort = 5432;

    /// <summary>True for a <c>postgresql://</c> or <c>postgres://</c> URL.</summary>
    public static bool IsPostgres(string location)
        => location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string of a URL; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static string ToConnectionString(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (!IsPostgres(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{Redacted(url)}' is not a PostgreSQL URL; expected postgresql://user@host:port/database.", nameof(url));
        }

        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{Redacted(url)}' names no database; expected postgresql://user@host:port/database.", nameof(url));
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Database = database,
        };
        if (uri.UserInfo.Length > 0)
        {
            string[] user = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(user[0]);
            if (user.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(user[1]);
            }
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(kv[0]);
            string value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : "";
            try
            {
                builder[key.Equals("schema", StringComparison.OrdinalIgnoreCase) ? "Search Path" : key] = value;
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"'{Redacted(url)}': query option '{key}={value}' is not understood ({ex.Message}).", nameof(url), ex);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>The URL with its password replaced by <c>***</c>, for messages and logs.</summary>
    public static string Redacted(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        int at = url.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return url;
        }

        int colon = url.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? string.Concat(url.AsSpan(0, colon + 1), "***", url.AsSpan(at)) : url;
    }

    /// <summary><c>host:port/database</c>, for messages (no user or password).</summary>
    public static string Describe(NpgsqlConnectionStringBuilder b) => string.Create(CultureInfo.InvariantCulture, $"{b.Host}:{b.Port}/{b.Database}");
}

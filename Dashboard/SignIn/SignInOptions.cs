namespace AspireSimClr.Dashboard.SignIn;

/// <summary>How people sign in to the dashboard, bound from the "Dashboard:SignIn" section.</summary>
public sealed class SignInOptions
{
    public const string Section = "Dashboard:SignIn";

    /// <summary>"password" (one shared password; the AppHost generates it) or "oidc" (a team's identity provider).</summary>
    public string Mode { get; set; } = "password";

    /// <summary>The shared password. Unset in password mode: the dashboard is open (local development only).</summary>
    public string? Password { get; set; }

    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>Sign-in attempts allowed per minute from one address.</summary>
    public int AttemptsPerMinute { get; set; } = 10;

    public bool UsesOidc => string.Equals(Mode, "oidc", StringComparison.OrdinalIgnoreCase);
    public bool IsRequired => UsesOidc || !string.IsNullOrEmpty(Password);
}

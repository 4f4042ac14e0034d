using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AspireSimClr.Dashboard.SignIn;

/// <summary>
/// Cookie sign-in for the dashboard, which holds the trainer's API key: with a password or an OpenID
/// Connect provider configured, every page, download and the Blazor circuit need a signed-in user.
/// </summary>
public static class SignInEndpoints
{
    public const string LoginPath = "/login";

    public static WebApplicationBuilder AddDashboardSignIn(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SignInOptions.Section).Get<SignInOptions>() ?? new SignInOptions();
        builder.Services.AddSingleton(options);
        var authentication = builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                if (options.UsesOidc) o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.LoginPath = LoginPath;
                o.Cookie.Name = "simclr-dashboard";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
            });
        if (options.UsesOidc)
        {
            authentication.AddOpenIdConnect(o =>
            {
                o.Authority = options.Authority ?? throw new InvalidOperationException("Dashboard:SignIn:Authority is required when Mode is oidc.");
                o.ClientId = options.ClientId ?? throw new InvalidOperationException("Dashboard:SignIn:ClientId is required when Mode is oidc.");
                o.ClientSecret = options.ClientSecret;
                o.ResponseType = "code";
                o.SaveTokens = false;
                o.Scope.Add("profile");
            });
        }
        builder.Services.AddAuthorization(o =>
        {
            if (options.IsRequired) o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        builder.Services.AddCascadingAuthenticationState();
        // Counted per address when a request arrives (ASP.NET Core's rate limiter ticks a timer ten times a second).
        builder.Services.AddSingleton(new SignInAttempts(new FixedWindowLimiter(Math.Max(1, options.AttemptsPerMinute), TimeSpan.FromMinutes(1), TimeProvider.System)));
        return builder;
    }

    public static WebApplication MapDashboardSignIn(this WebApplication app)
    {
        app.MapGet(LoginPath, (HttpContext context, IAntiforgery antiforgery, SignInOptions options, string? returnUrl) =>
            options.UsesOidc
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) })
                : Page(antiforgery.GetAndStoreTokens(context), returnUrl, error: null))
            .AllowAnonymous();

        app.MapPost(LoginPath, async (HttpContext context, IAntiforgery antiforgery, SignInOptions options, [FromForm] string? password, [FromForm] string? returnUrl) =>
        {
            if (options.UsesOidc || string.IsNullOrEmpty(options.Password)) return Results.NotFound();
            if (password is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(options.Password)))
                return Page(antiforgery.GetAndStoreTokens(context), returnUrl, "That password is not right.", StatusCodes.Status401Unauthorized);
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "dashboard user")], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.LocalRedirect(LocalOrRoot(returnUrl));
        }).AllowAnonymous().AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.RequestServices.GetRequiredService<SignInAttempts>().Limiter.TryAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", out var retryAfter))
                return await next(context);
            return FixedWindowLimiter.TooManyRequests(http, retryAfter, "Too many sign-in attempts", "Wait a minute and try again.");
        });

        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(LoginPath);
        });
        return app;
    }

    private static string LocalOrRoot(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

    private static IResult Page(AntiforgeryTokenSet tokens, string? returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        string Encode(string? value) => WebUtility.HtmlEncode(value ?? "");
        var errorHtml = error is null ? "" : $"<p class=\"error\" id=\"login-error\">{Encode(error)}</p>";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>Sign in · AspireSimClr</title>
            <style>
              body { font-family: Roboto, system-ui, sans-serif; background: #f5f5f5; display: flex; justify-content: center; padding-top: 10vh; }
              form { background: white; padding: 2rem; border-radius: 6px; box-shadow: 0 1px 4px #0003; min-width: 320px; }
              input[type=password] { width: 100%; padding: .6rem; margin: .8rem 0; box-sizing: border-box; }
              button { background: #594ae2; color: white; border: 0; padding: .6rem 1.2rem; border-radius: 4px; cursor: pointer; }
              .error { color: #b00020; }
            </style></head>
            <body><form method="post" action="{{LoginPath}}" id="login-form">
              <h2 id="page-title">AspireSimClr</h2>
              <p>Sign in with the dashboard password (the AppHost's <code>dashboard-password</code> parameter, shown on the Aspire dashboard).</p>
              {{errorHtml}}
              <input type="hidden" name="{{Encode(tokens.FormFieldName)}}" value="{{Encode(tokens.RequestToken)}}" />
              <input type="hidden" name="returnUrl" value="{{Encode(returnUrl)}}" />
              <label for="password">Password</label>
              <input type="password" id="password" name="password" autocomplete="current-password" autofocus required />
              <button type="submit" id="sign-in">Sign in</button>
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}

/// <summary>The dashboard's count of sign-in attempts per address.</summary>
internal sealed record SignInAttempts(FixedWindowLimiter Limiter);

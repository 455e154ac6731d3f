//! What every request handler on the server shares: the database and the settings read at start.

use sea_orm::DatabaseConnection;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// Sessions unused for this long end.
    pub idle_timeout: Duration,
    /// Sessions end this long after sign-in, however busy.
    pub session_lifetime: Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the real client address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Extra origins allowed to send state-changing requests (besides the request's own host).
    pub allowed_origins: Vec<String>,
    /// The mail server offers are e-mailed through (`smtp://host:port`, `smtps://user:pass@host`,
    /// `smtp://host:587?tls=required`); none: offers are downloaded and marked sent by hand.
    pub smtp_url: Option<String>,
    /// The sender of those e-mails; empty: the company profile's e-mail.
    pub smtp_from: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            idle_timeout: Duration::from_secs(8 * 3600),
            session_lifetime: Duration::from_secs(30 * 24 * 3600),
            trusted_proxies: Vec::new(),
            secure_cookies: false,
            allowed_origins: Vec::new(),
            smtp_url: None,
            smtp_from: None,
        }
    }
}

impl Config {
    /// Reads `VENDITA_IDLE_TIMEOUT_SECS`, `VENDITA_SESSION_LIFETIME_SECS`, `VENDITA_TRUSTED_PROXIES`,
    /// `VENDITA_SECURE_COOKIES`, `VENDITA_ALLOWED_ORIGINS`, `VENDITA_SMTP_URL` and `VENDITA_SMTP_FROM`. A value that does not read is an
    /// error: the server does not start on a setting it would ignore.
    pub fn from_env() -> Result<Self, String> {
        let mut config = Config::default();
        let secs = |name: &str| -> Result<Option<Duration>, String> {
            match std::env::var(name) {
                Ok(v) if !v.trim().is_empty() => {
                    v.trim().parse().map(|s| Some(Duration::from_secs(s))).map_err(|_| format!("{name}: not a number of seconds: {v:?}"))
                }
                _ => Ok(None),
            }
        };
        if let Some(idle) = secs("VENDITA_IDLE_TIMEOUT_SECS")? {
            config.idle_timeout = idle;
        }
        if let Some(lifetime) = secs("VENDITA_SESSION_LIFETIME_SECS")? {
            config.session_lifetime = lifetime;
        }
        if let Ok(proxies) = std::env::var("VENDITA_TRUSTED_PROXIES") {
            config.trusted_proxies = proxies
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| p.parse().map_err(|_| format!("VENDITA_TRUSTED_PROXIES: not an IP address: {p:?}")))
                .collect::<Result<_, _>>()?;
        }
        config.secure_cookies = matches!(std::env::var("VENDITA_SECURE_COOKIES").as_deref(), Ok("1" | "true"));
        if let Ok(origins) = std::env::var("VENDITA_ALLOWED_ORIGINS") {
            config.allowed_origins = origins.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect();
        }
        let text = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        config.smtp_url = text("VENDITA_SMTP_URL");
        config.smtp_from = text("VENDITA_SMTP_FROM");
        Ok(config)
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Config,
}

/// The per-response nonce that the Content-Security-Policy header allows for inline scripts. The
/// server's header middleware puts it in the request; the page shell hands it to Leptos.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

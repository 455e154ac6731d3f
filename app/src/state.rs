//! What every request handler on the server shares: the database and the settings read at start.

use sea_orm::DatabaseConnection;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// Sessions unused for this long end.
    pub idle_timeout: Duration,
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Extra origins allowed to send state-changing requests (besides the request's own host).
    pub allowed_origins: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config { idle_timeout: Duration::from_secs(8 * 3600), secure_cookies: false, allowed_origins: Vec::new() }
    }
}

impl Config {
    /// Reads `VENDITA_IDLE_TIMEOUT_SECS`, `VENDITA_SECURE_COOKIES` and `VENDITA_ALLOWED_ORIGINS`.
    pub fn from_env() -> Self {
        let mut config = Config::default();
        if let Some(secs) = std::env::var("VENDITA_IDLE_TIMEOUT_SECS").ok().and_then(|v| v.parse().ok()) {
            config.idle_timeout = Duration::from_secs(secs);
        }
        config.secure_cookies = matches!(std::env::var("VENDITA_SECURE_COOKIES").as_deref(), Ok("1" | "true"));
        if let Ok(origins) = std::env::var("VENDITA_ALLOWED_ORIGINS") {
            config.allowed_origins = origins.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect();
        }
        config
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

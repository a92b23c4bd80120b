//! Authentication: a fixed token, or Keystone credentials from which tokens are fetched lazily
//! (identity v3, password method, scoped to the tenant), cached until shortly before they
//! expire, shared by all clones of a client, and refreshed once when FIC answers 401.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::header::HeaderValue;
use serde::Deserialize;
use tracing::Instrument as _;

use crate::clock::Clock;
use crate::error::{ApiCall, Error, InvalidInput};
use crate::id::TenantId;
use crate::secret::Secret;

/// FIC's Keystone (identity v3).
pub const DEFAULT_AUTH_URL: &str = "https://api.ntt.com/keystone/v3";

/// The call that fetches a token, as errors name it.
const TOKENS: ApiCall = ApiCall {
    method: "POST",
    path: "/auth/tokens",
};

/// The longest a token is used before its expiry: it is refreshed this early (or at a tenth of
/// its lifetime before, for short-lived tokens).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// What FIC users hold: an API key and secret for a tenant, exchanged at Keystone for tokens.
///
/// ```
/// use fic::{Credentials, Secret, TenantId};
///
/// let credentials = Credentials::new(
///     "my-api-key",
///     Secret::new("my-api-secret")?,
///     TenantId::parse("db8b0e40743f460685040c46167cf19e")?,
/// );
/// assert!(!format!("{credentials:?}").contains("my-api-secret"));
/// # Ok::<(), fic::InvalidInput>(())
/// ```
#[derive(Clone)]
pub struct Credentials {
    /// The API key (Keystone user name).
    pub api_key: String,
    /// The API secret (Keystone password).
    pub api_secret: Secret,
    /// The tenant (Keystone project) the tokens are scoped to.
    pub tenant_id: TenantId,
    /// Keystone's identity v3 URL (default [`DEFAULT_AUTH_URL`]).
    pub auth_url: String,
}

impl Credentials {
    /// Credentials for `tenant_id`, with the default Keystone URL.
    pub fn new(api_key: impl Into<String>, api_secret: Secret, tenant_id: TenantId) -> Self {
        Credentials {
            api_key: api_key.into(),
            api_secret,
            tenant_id,
            auth_url: DEFAULT_AUTH_URL.to_owned(),
        }
    }

    /// Uses another Keystone, such as a `fic-mock`'s.
    pub fn auth_url(mut self, url: impl Into<String>) -> Self {
        self.auth_url = url.into();
        self
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &self.api_key)
            .field("api_secret", &self.api_secret)
            .field("tenant_id", &self.tenant_id)
            .field("auth_url", &self.auth_url)
            .finish()
    }
}

/// Where a client's tokens come from.
#[derive(Debug, Clone)]
pub(crate) enum Auth {
    /// One token for the client's life.
    Fixed,
    /// Keystone.
    Keystone(Arc<Keystone>),
}

impl Auth {
    /// Makes sure the token the next request carries is valid; returns it (Keystone only).
    pub(crate) async fn prepare(&self, clock: &dyn Clock) -> Result<Option<HeaderValue>, Error> {
        match self {
            Auth::Fixed => Ok(None),
            Auth::Keystone(keystone) => keystone.token(clock, None).await.map(Some),
        }
    }

    /// After FIC refused `used` with 401: a fresh token, if one can be had (Keystone only).
    pub(crate) async fn refresh(
        &self,
        clock: &dyn Clock,
        used: Option<&HeaderValue>,
    ) -> Result<Option<HeaderValue>, Error> {
        match (self, used) {
            (Auth::Keystone(keystone), Some(used)) => {
                keystone.token(clock, Some(used)).await.map(Some)
            }
            _ => Ok(None),
        }
    }
}

/// Fetches, caches and hands out Keystone tokens.
pub(crate) struct Keystone {
    http: reqwest::Client,
    credentials: Credentials,
    /// The cache; the async lock makes concurrent first uses wait for one fetch.
    cache: tokio::sync::Mutex<Option<Cached>>,
    /// The token requests carry, read by the generated client's hook.
    current: Arc<RwLock<Option<HeaderValue>>>,
}

impl fmt::Debug for Keystone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keystone")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

struct Cached {
    token: HeaderValue,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    token: TokenBody,
}

#[derive(Deserialize)]
struct TokenBody {
    expires_at: DateTime<Utc>,
    issued_at: Option<DateTime<Utc>>,
}

impl Keystone {
    pub(crate) fn new(http: reqwest::Client, credentials: Credentials) -> Result<Self, Error> {
        reqwest::Url::parse(&credentials.auth_url).map_err(|e| {
            Error::Config(format!(
                "auth URL {:?} is not a URL: {e}",
                credentials.auth_url
            ))
        })?;
        if credentials.api_key.is_empty() {
            return Err(InvalidInput::new("api_key", None, "a non-empty API key").into());
        }
        Ok(Keystone {
            http,
            credentials,
            cache: tokio::sync::Mutex::new(None),
            current: Arc::new(RwLock::new(None)),
        })
    }

    /// The cell the generated client reads the token from.
    pub(crate) fn current(&self) -> Arc<RwLock<Option<HeaderValue>>> {
        Arc::clone(&self.current)
    }

    /// A valid token: the cached one, unless it is due for refresh or is `rejected`.
    async fn token(
        &self,
        clock: &dyn Clock,
        rejected: Option<&HeaderValue>,
    ) -> Result<HeaderValue, Error> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref() {
            let fresh = clock.now() < cached.refresh_at;
            if fresh && rejected != Some(&cached.token) {
                return Ok(cached.token.clone());
            }
        }
        let (token, lifetime) = self.fetch().await?;
        *cache = Some(Cached {
            token: token.clone(),
            refresh_at: clock.now() + lifetime.saturating_sub(REFRESH_MARGIN.min(lifetime / 10)),
        });
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(token.clone());
        Ok(token)
    }

    /// Asks Keystone for a token: the token and how long it is valid.
    async fn fetch(&self) -> Result<(HeaderValue, Duration), Error> {
        let c = &self.credentials;
        let url = format!("{}/auth/tokens", c.auth_url.trim_end_matches('/'));
        let body = serde_json::json!({"auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {
                    "domain": {"id": "default"},
                    "name": c.api_key,
                    "password": c.api_secret.expose(),
                }},
            },
            "scope": {"project": {"id": c.tenant_id.as_str()}},
        }});
        let span = tracing::info_span!("fic.keystone", url = %url, status = tracing::field::Empty);
        let response = self
            .http
            .post(&url)
            .json(&body)
            .send()
            .instrument(span.clone())
            .await
            .map_err(|source| Error::Transport {
                call: TOKENS,
                source,
            })?;
        drop(body);
        let status = response.status();
        span.record("status", status.as_u16());
        let token = response.headers().get("x-subject-token").cloned();
        // Capped, like every body the client reads; a token answer is a few hundred bytes.
        let body = crate::client::read_response(response).await;
        if !status.is_success() {
            return Err(Error::Api {
                call: TOKENS,
                status,
                body,
                retry_after: None,
            });
        }
        let invalid = |message: &str| Error::undecodable(TOKENS, Some(status), message.to_owned());
        let mut token = token.ok_or_else(|| invalid("no X-Subject-Token header"))?;
        token.set_sensitive(true);
        let answer: TokenAnswer = serde_json::from_slice(body.as_bytes())
            .map_err(|e| invalid(&format!("the token body does not decode: {e}")))?;
        let now = Utc::now();
        let issued = answer.token.issued_at.unwrap_or(now).min(now);
        let lifetime = (answer.token.expires_at - issued)
            .to_std()
            .unwrap_or(Duration::ZERO);
        tracing::debug!(lifetime_s = lifetime.as_secs(), "token fetched");
        Ok((token, lifetime))
    }
}

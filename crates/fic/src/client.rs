//! The client: configuration, and the one path every call takes (tracing, retries, error
//! mapping).

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use fic_eri_api::{self as raw, ByteStream, ResponseValue};
use futures_util::StreamExt as _;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::auth::{Auth, Credentials, Keystone};
use crate::clock::{Clock, SystemClock};
use crate::error::{ApiCall, Error, ErrorBody, InvalidInput};
use crate::id::TenantId;
use crate::operations::OperationsApi;
use crate::premium::PremiumSupportApi;
use crate::retry::{Idempotency, RetryPolicy, is_retryable, parse_retry_after};
use crate::secret::Secret;
use crate::secret::Token;
use crate::wait::WaitPolicy;

/// FIC's ERI endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://api.ntt.com/fic-eri";

/// The largest error body the client reads; the rest is dropped and the body marked truncated.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// The largest response body the client reads by default (see
/// [`ClientBuilder::max_response_body`]).
pub const MAX_RESPONSE_BODY: usize = 1024 * 1024;

/// A FIC client. Cheap to clone (clones share one connection pool), `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), fic::Error> {
/// let client = fic::Client::builder()
///     .token(fic::Token::new("0123456789abcdef0123456789abcdef")?)
///     .build()?;
/// let plan = client.premium_support().current().await?;
/// println!("{plan:?}");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    raw: raw::Client,
    auth: Auth,
    endpoint: String,
    retry: RetryPolicy,
    wait: WaitPolicy,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("token", &"<redacted>")
            .field("retry", &self.inner.retry)
            .field("wait", &self.inner.wait)
            .field("clock", &self.inner.clock)
            .finish()
    }
}

impl Client {
    /// A builder, with the real endpoint and default policies.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment, with the names NTT's own `fic` CLI uses:
    /// `FIC_TOKEN` (a raw token), or else `FIC_USERNAME` (the API key), `FIC_PASSWORD` (the API
    /// secret) and `FIC_TENANT_ID`, with `FIC_AUTH_URL` (default [`DEFAULT_AUTH_URL`](crate::DEFAULT_AUTH_URL)); and
    /// `FIC_ENDPOINT` (default [`DEFAULT_ENDPOINT`]).
    pub fn from_env() -> Result<Client, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut builder = Client::builder();
        if let Some(token) = var("FIC_TOKEN") {
            builder = builder.token(Token::new(token)?);
        } else if let (Some(key), Some(secret), Some(tenant)) = (
            var("FIC_USERNAME"),
            var("FIC_PASSWORD"),
            var("FIC_TENANT_ID"),
        ) {
            let mut credentials =
                Credentials::new(key, Secret::new(secret)?, TenantId::parse(tenant)?);
            if let Some(url) = var("FIC_AUTH_URL") {
                credentials = credentials.auth_url(url);
            }
            builder = builder.credentials(credentials);
        } else {
            return Err(Error::Config(
                "no credentials: set FIC_TOKEN, or FIC_USERNAME, FIC_PASSWORD and FIC_TENANT_ID"
                    .to_owned(),
            ));
        }
        if let Some(endpoint) = var("FIC_ENDPOINT") {
            builder = builder.endpoint(endpoint);
        }
        builder.build()
    }

    /// The premium plan (Premium Professional Support Services) operations.
    pub fn premium_support(&self) -> PremiumSupportApi<'_> {
        PremiumSupportApi::new(self)
    }

    /// The Operation API: the record of every asynchronous change.
    pub fn operations(&self) -> OperationsApi<'_> {
        OperationsApi::new(self)
    }

    /// The endpoint, as configured.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The wait policy of this client's waiters.
    pub fn wait_policy(&self) -> &WaitPolicy {
        &self.inner.wait
    }

    /// The generated client underneath.
    pub(crate) fn raw(&self) -> &raw::Client {
        &self.inner.raw
    }

    pub(crate) fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    /// Sends a request (again, while the retry policy allows it), in a tracing span per call and
    /// per attempt, and maps every failure to [`Error`].
    pub(crate) async fn execute<R, F, Fut>(
        &self,
        op: ApiCall,
        kind: Idempotency,
        mut send: F,
    ) -> Result<ResponseValue<R>, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<R>, raw::Error<ByteStream>>>,
    {
        let call = tracing::info_span!(
            "fic.call",
            method = op.method,
            path = op.path,
            status = Empty,
            attempts = Empty,
            elapsed_ms = Empty,
        );
        let clock = self.clock();
        let started = clock.now();
        async {
            let mut attempt = 1;
            let mut refreshed = false;
            let outcome = loop {
                let used = match self.inner.auth.prepare(clock).await {
                    Ok(used) => used,
                    Err(e) => break Err(e),
                };
                let span = tracing::debug_span!("fic.attempt", attempt, status = Empty);
                let sent = clock.now();
                let result = async {
                    let result = match send().await {
                        Ok(value) => Ok(value),
                        Err(e) => Err(map_error(op, e).await),
                    };
                    record_status(&result);
                    tracing::debug!(elapsed_ms = elapsed_ms(clock, sent), "attempt done");
                    result
                }
                .instrument(span)
                .await;
                match result {
                    // A token FIC no longer takes: fetch a new one and try once more (a 401 was
                    // not acted on, so even a create may be sent again).
                    Err(e) if e.is_unauthorized() && used.is_some() && !refreshed => {
                        tracing::debug!("401: refreshing the token once");
                        refreshed = true;
                        if let Err(refresh) = self.inner.auth.refresh(clock, used.as_ref()).await {
                            break Err(refresh);
                        }
                    }
                    Err(e) if is_retryable(kind, &e) => {
                        match self.inner.retry.delay(attempt + 1, &e) {
                            Some(delay) => {
                                tracing::debug!(error = %e, delay_ms = delay.as_millis() as u64, "retrying");
                                clock.sleep(delay).await;
                                attempt += 1;
                            }
                            None => break Err(e),
                        }
                    }
                    other => break other,
                }
            };
            let span = tracing::Span::current();
            span.record("attempts", attempt);
            span.record("elapsed_ms", elapsed_ms(clock, started));
            record_status(&outcome);
            if let Err(e) = &outcome {
                tracing::debug!(error = %e, "call failed");
            }
            outcome
        }
        .instrument(call)
        .await
    }
}

/// Records a call's or an attempt's HTTP status (0: none) on the current span.
fn record_status<R>(result: &Result<ResponseValue<R>, Error>) {
    let status = match result {
        Ok(value) => value.status().as_u16(),
        Err(e) => e.status().map_or(0, |s| s.as_u16()),
    };
    tracing::Span::current().record("status", status);
}

fn elapsed_ms(clock: &dyn Clock, since: std::time::Instant) -> u64 {
    u64::try_from(clock.now().saturating_duration_since(since).as_millis()).unwrap_or(u64::MAX)
}

/// Turns the generated client's error into [`Error`], reading (a capped part of) any body.
async fn map_error(op: ApiCall, error: raw::Error<ByteStream>) -> Error {
    match error {
        raw::Error::InvalidRequest(message) => Error::InvalidInput(InvalidInput::new(
            "request",
            Some(&message),
            "a request the API documents",
        )),
        raw::Error::ResponseBodyError(source) if raw::is_body_too_large(&source) => {
            Error::undecodable(
                op,
                None,
                "the response body is larger than the client's limit \
                 (ClientBuilder::max_response_body)"
                    .to_owned(),
            )
        }
        raw::Error::CommunicationError(source)
        | raw::Error::ResponseBodyError(source)
        | raw::Error::InvalidUpgrade(source) => Error::Transport { call: op, source },
        raw::Error::ErrorResponse(value) => {
            let status = value.status();
            let retry_after = retry_after(value.headers());
            let body = read_capped(value.into_inner().into_inner()).await;
            Error::Api {
                call: op,
                status,
                body,
                retry_after,
            }
        }
        raw::Error::UnexpectedResponse(response) => {
            let status = response.status();
            let retry_after = retry_after(response.headers());
            let body = read_response(response).await;
            if status.is_success() {
                Error::InvalidResponse {
                    call: op,
                    status: Some(status),
                    message: format!("status {status} is not documented for this call"),
                    body,
                }
            } else {
                Error::Api {
                    call: op,
                    status,
                    body,
                    retry_after,
                }
            }
        }
        raw::Error::InvalidResponsePayload(bytes, e) => Error::InvalidResponse {
            call: op,
            status: None,
            message: format!("the body does not decode: {e}"),
            body: capped(bytes),
        },
        raw::Error::Custom(message) => Error::Config(message),
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, chrono::Utc::now())
}

fn capped(bytes: Bytes) -> ErrorBody {
    let truncated = bytes.len() > MAX_ERROR_BODY;
    ErrorBody::new(bytes.slice(..bytes.len().min(MAX_ERROR_BODY)), truncated)
}

/// A response's body, read up to [`MAX_ERROR_BODY`] and no further.
pub(crate) async fn read_response(response: reqwest::Response) -> ErrorBody {
    read_capped(response.bytes_stream()).await
}

/// Reads `stream` up to [`MAX_ERROR_BODY`] bytes; the rest is left unread and the body marked
/// truncated. A body that breaks off is kept as far as it came.
async fn read_capped<E>(stream: impl futures_core::Stream<Item = Result<Bytes, E>>) -> ErrorBody {
    let mut stream = std::pin::pin!(stream);
    let mut buffer = BytesMut::new();
    while let Some(Ok(chunk)) = stream.next().await {
        if append_capped(&mut buffer, &chunk) {
            return ErrorBody::new(buffer.freeze(), true);
        }
    }
    ErrorBody::new(buffer.freeze(), false)
}

/// Appends what fits under the cap; true when something did not fit.
fn append_capped(buffer: &mut BytesMut, chunk: &[u8]) -> bool {
    let room = MAX_ERROR_BODY - buffer.len();
    buffer.extend_from_slice(&chunk[..chunk.len().min(room)]);
    chunk.len() > room
}

/// Configures a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    endpoint: String,
    token: Option<Token>,
    credentials: Option<Credentials>,
    connect_timeout: Duration,
    request_timeout: Duration,
    retry: RetryPolicy,
    wait: WaitPolicy,
    http: Option<reqwest::Client>,
    clock: Arc<dyn Clock>,
    max_response_body: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            token: None,
            credentials: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            wait: WaitPolicy::default(),
            http: None,
            clock: Arc::new(SystemClock),
            max_response_body: MAX_RESPONSE_BODY,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("token", &self.token)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("wait", &self.wait)
            .field("http", &self.http.is_some())
            .field("clock", &self.clock)
            .field("max_response_body", &self.max_response_body)
            .finish()
    }
}

impl ClientBuilder {
    /// The ERI endpoint, including `/fic-eri` (default [`DEFAULT_ENDPOINT`]).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// The token sent as `X-Auth-Token` on every request.
    pub fn token(mut self, token: Token) -> Self {
        self.token = Some(token);
        self
    }

    /// Keystone credentials: tokens are fetched when first needed, cached until shortly before
    /// they expire, shared by all clones of the client, and refreshed once on a 401.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// How long connecting may take (default 10 s). Ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take in all (default 30 s). Ignored with
    /// [`ClientBuilder::http_client`].
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Which failed requests are retried, how often and how patiently.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How waiters poll asynchronous operations.
    pub fn wait_policy(mut self, policy: WaitPolicy) -> Self {
        self.wait = policy;
        self
    }

    /// Uses `client` for HTTP (its own timeouts, proxies, TLS settings). The token is added to
    /// each request, so it needs no default headers.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The largest response body to read (default [`MAX_RESPONSE_BODY`], 1 MiB): a broken or
    /// hostile server cannot make the client hold more. A larger success body is an
    /// [`Error::InvalidResponse`]; a larger error body is kept up to [`MAX_ERROR_BODY`].
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// The clock and sleeper of retries and waiters (default: real time). Tests pass a
    /// [`VirtualClock`](crate::clock::VirtualClock).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Builds the client, checking the endpoint and the token.
    pub fn build(self) -> Result<Client, Error> {
        let endpoint = self.endpoint.trim_end_matches('/').to_owned();
        let url = reqwest::Url::parse(&endpoint)
            .map_err(|e| Error::Config(format!("endpoint {endpoint:?} is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(Error::Config(format!(
                "endpoint {endpoint:?} must be an http or https URL with a host"
            )));
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.request_timeout)
                .user_agent(concat!("fic-rs/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let (auth, raw_auth) = match (self.token, self.credentials) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "both a token and credentials are set: choose one".to_owned(),
                ));
            }
            (Some(token), None) => {
                let header = HeaderValue::from_str(token.expose()).map_err(|_| {
                    Error::InvalidInput(InvalidInput::new("token", None, "a valid header value"))
                })?;
                (Auth::Fixed, raw::Auth::token(header))
            }
            (None, Some(credentials)) => {
                let keystone = Keystone::new(http.clone(), credentials)?;
                let current = keystone.current();
                let raw_auth = raw::Auth::from_fn(move || {
                    current
                        .read()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .clone()
                });
                (Auth::Keystone(Arc::new(keystone)), raw_auth)
            }
            (None, None) => {
                return Err(Error::Config(
                    "no token or credentials: set ClientBuilder::token or ::credentials \
                     (or FIC_TOKEN, or FIC_USERNAME, FIC_PASSWORD and FIC_TENANT_ID for from_env)"
                        .to_owned(),
                ));
            }
        };
        let hooks = raw::Hooks::new(raw_auth).max_response_body(self.max_response_body);
        let raw = raw::Client::new_with_client(&endpoint, http, hooks);
        Ok(Client {
            inner: Arc::new(Inner {
                raw,
                auth,
                endpoint,
                retry: self.retry,
                wait: self.wait,
                clock: self.clock,
            }),
        })
    }
}

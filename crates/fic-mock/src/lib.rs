//! A stateful mock of NTT's Flexible InterConnect (FIC) "Premium Professional Support Services"
//! API, for tests, demos and benchmarks.
//!
//! It behaves like FIC as documented, not like a sample echo: every request needs a known
//! `X-Auth-Token`, each token belongs to one tenant, a tenant has at most one premium plan, and
//! create and delete are asynchronous (`202`, then `operationStatus: Processing` until the
//! processing time has passed), each recorded as an operation of the Operation API. It serves
//! the API under `/fic-eri/v1/...`, so a client's endpoint is `http://ADDR/fic-eri`, as with the
//! real base URL, and Keystone's token endpoint under `/keystone/v3/auth/tokens`.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::time::Duration;
//!
//! let config = fic_mock::Config::default()
//!     .tenant("0123456789abcdef0123456789abcdef", "db8b0e40743f460685040c46167cf19e")
//!     .processing(Duration::ZERO);
//! let server = fic_mock::MockServer::start(config).await?;
//! println!("endpoint: {}", server.endpoint());
//! // ... point a client at server.endpoint() ...
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

mod error;
mod ids;
mod keystone;
mod operations;
mod routes;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use ids::{is_hex32, is_plan_id, random_hex32};
pub use routes::MAX_BODY_BYTES;

use routes::Shared;
use state::{Outcome, Setup, State};

/// The processing time of create and delete when none is configured.
pub const DEFAULT_PROCESSING: Duration = Duration::from_millis(3000);
/// The lifetime of Keystone tokens when none is configured.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(3600);
/// The `error` text of operations failed by [`Config::fail_operations`].
pub const FAILURE_TEXT: &str = state::FAILURE_TEXT;

/// How the server behaves: who may call it and how asynchronous changes end.
#[derive(Clone)]
pub struct Config {
    tenants: Vec<(String, String)>,
    users: Vec<(String, String, String)>,
    token_ttl: Duration,
    processing: Duration,
    fail_operations: bool,
}

impl Default for Config {
    /// No tenants or users, [`DEFAULT_PROCESSING`], [`DEFAULT_TOKEN_TTL`], operations that complete.
    fn default() -> Self {
        Config {
            tenants: Vec::new(),
            users: Vec::new(),
            token_ttl: DEFAULT_TOKEN_TTL,
            processing: DEFAULT_PROCESSING,
            fail_operations: false,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens and secrets are secrets, even a mock's: show tenants and API keys only.
        let tenants: Vec<&str> = self.tenants.iter().map(|(_, t)| t.as_str()).collect();
        let users: Vec<(&str, &str)> = self
            .users
            .iter()
            .map(|(k, _, t)| (k.as_str(), t.as_str()))
            .collect();
        f.debug_struct("Config")
            .field("tenants", &tenants)
            .field("users", &users)
            .field("token_ttl", &self.token_ttl)
            .field("processing", &self.processing)
            .field("fail_operations", &self.fail_operations)
            .finish()
    }
}

impl Config {
    /// Lets `token` act for the tenant `tenant_id`.
    pub fn tenant(mut self, token: impl Into<String>, tenant_id: impl Into<String>) -> Self {
        self.tenants.push((token.into(), tenant_id.into()));
        self
    }

    /// Lets the Keystone user `api_key` with `api_secret` get tokens for `tenant_id`.
    pub fn user(
        mut self,
        api_key: impl Into<String>,
        api_secret: impl Into<String>,
        tenant_id: impl Into<String>,
    ) -> Self {
        self.users
            .push((api_key.into(), api_secret.into(), tenant_id.into()));
        self
    }

    /// How long tokens issued by Keystone stay valid.
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// How long a create or delete stays `Processing` (zero: done at the next read).
    pub fn processing(mut self, processing: Duration) -> Self {
        self.processing = processing;
        self
    }

    /// Makes every create and delete end in `operationStatus: Error` instead of completing.
    pub fn fail_operations(mut self, fail: bool) -> Self {
        self.fail_operations = fail;
        self
    }

    /// The configured (token, tenant id) pairs.
    pub fn tenants(&self) -> &[(String, String)] {
        &self.tenants
    }

    fn into_shared(self) -> Arc<Shared> {
        let outcome = if self.fail_operations {
            Outcome::Fail
        } else {
            Outcome::Complete
        };
        Arc::new(Shared {
            state: State::new(Setup {
                tokens: self.tenants,
                users: self.users,
                token_ttl: self.token_ttl,
                processing: self.processing,
                outcome,
            }),
            requests: AtomicU64::new(0),
            token_requests: AtomicU64::new(0),
        })
    }
}

/// The mock's axum router, for embedding in another server.
pub fn router(config: Config) -> axum::Router {
    routes::router(config.into_shared())
}

/// A running mock server; [`MockServer::shutdown`] stops it (dropping it stops it too).
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl MockServer {
    /// Starts a server on a free loopback port.
    pub async fn start(config: Config) -> std::io::Result<Self> {
        Self::bind(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts a server on `addr`.
    pub async fn bind(config: Config, addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        Self::serve(config, listener)
    }

    /// Starts a server on an already bound listener.
    pub fn serve(config: Config, listener: TcpListener) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let shared = config.into_shared();
        let app = routes::router(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender stops the server as well.
                    let _ = stopped.await;
                })
                .await
        });
        tracing::info!(%addr, "fic-mock listening");
        Ok(MockServer {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint to give a client: `http://ADDR/fic-eri`.
    pub fn endpoint(&self) -> String {
        format!("http://{}/fic-eri", self.addr)
    }

    /// Keystone's URL (identity v3): `http://ADDR/keystone/v3`.
    pub fn auth_url(&self) -> String {
        format!("http://{}/keystone/v3", self.addr)
    }

    /// How many ERI requests have arrived so far (authenticated or not).
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// How many Keystone token requests have arrived so far (granted or not).
    pub fn token_requests(&self) -> u64 {
        self.shared.token_requests.load(Ordering::Relaxed)
    }

    /// Invalidates every token Keystone issued (static tokens stay), as if they had expired:
    /// the next request with one is 401.
    pub fn revoke_issued_tokens(&self) {
        self.shared.state.revoke_issued_tokens();
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "fic-mock stopped with an error"),
                Err(e) => tracing::warn!(error = %e, "fic-mock task failed"),
            }
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

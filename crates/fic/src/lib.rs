//! A Rust SDK for NTT's Flexible InterConnect (FIC) "Premium Professional Support Services"
//! API: a tenant's paid support plan, listed, shown, ordered and ended.
//!
//! Ordering and ending a plan are asynchronous in FIC: the API answers `202 Accepted` with
//! `operationStatus: Processing`, and the change completes later. This crate gives each such
//! call a handle that waits for the outcome, and declarative calls that converge on the state you
//! want ([`PremiumSupportApi::ensure_premium`], [`PremiumSupportApi::ensure_basic`]).
//!
//! - Input is validated before anything is sent ([`PremiumSupportId`] is `F` + 12 digits).
//! - One error type, [`Error`], with predicates ([`Error::is_not_found`], [`Error::status`], ...)
//!   and the server's error body kept verbatim.
//! - Values FIC may add later (a new `operationStatus`, a new menu) are kept, never a failure.
//! - Reads and deletes are retried when that is safe; a create is never sent twice.
//! - Keystone [`Credentials`] (API key, secret, tenant) or a raw [`Token`]; tokens are fetched
//!   lazily, cached, shared and refreshed; secrets never appear in `Debug`, logs or errors.
//! - FIC's Operation API ([`Client::operations`]): every asynchronous change, with why it failed.
//!
//! # Example
//!
//! The whole lifecycle, against the project's mock server (`fic-mock`), exactly as against FIC:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = fic_mock::MockServer::start(
//! #     fic_mock::Config::default()
//! #         .tenant("0123456789abcdef0123456789abcdef", "db8b0e40743f460685040c46167cf19e")
//! #         .processing(std::time::Duration::ZERO),
//! # ).await?;
//! # let endpoint = mock.endpoint();
//! use std::time::Duration;
//! use fic::{Client, Menu, OperationStatus, Token, WaitPolicy};
//!
//! let client = Client::builder()
//!     .endpoint(endpoint) // default: https://api.ntt.com/fic-eri
//!     .token(Token::new("0123456789abcdef0123456789abcdef")?)
//!     .wait_policy(WaitPolicy::default().initial_delay(Duration::from_millis(10)))
//!     .build()?;
//! let plans = client.premium_support();
//!
//! // Order the premium plan, and wait until FIC has set it up.
//! let pending = plans.create(Menu::PremiumPlan).await?;
//! let plan = pending.wait().await?;
//! assert_eq!(plan.status, OperationStatus::Completed);
//!
//! // Show it.
//! let shown = plans.get(&plan.id).await?;
//! assert_eq!(shown.current_menu, Menu::PremiumPlan);
//!
//! // End it, and wait until it is gone.
//! plans.delete(&plan.id).await?.wait().await?;
//! assert!(plans.current().await?.is_none());
//! # Ok(())
//! # }
//! ```
//!
//! The low-level generated client is re-exported as [`raw`] for the rare call this crate does
//! not cover.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod auth;
mod client;
pub mod clock;
mod error;
mod id;
mod model;
mod operations;
mod premium;
mod retry;
mod secret;
mod wait;

pub use auth::{Credentials, DEFAULT_AUTH_URL};
pub use client::{Client, ClientBuilder, DEFAULT_ENDPOINT, MAX_ERROR_BODY, MAX_RESPONSE_BODY};
pub use error::{ApiCall, Error, ErrorBody, InvalidInput};
pub use id::{OperationId, PremiumSupportId, TenantId};
pub use model::{Menu, MenuEntry, OperationStatus, PremiumSupport};
pub use operations::{Operation, OperationFilter, OperationState, OperationsApi, RequestType};
pub use premium::{Ensure, Ensured, PendingCreate, PendingDelete, PremiumSupportApi};
pub use retry::RetryPolicy;
pub use secret::{Secret, Token};
pub use wait::{Observed, Poll, WaitPolicy};

/// The generated low-level client (`fic-eri-api`), for calls this crate does not cover.
pub use fic_eri_api as raw;

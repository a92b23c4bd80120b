//! The SDK's one error type, with predicates so callers never match on its variants, and the
//! server's error body kept verbatim.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;

use crate::model::PremiumSupport;

/// What went wrong in a call to FIC.
///
/// `#[non_exhaustive]`: match on the predicates ([`Error::is_not_found`], [`Error::status`], ...)
/// rather than on variants, so new cases never break callers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input breaks a rule; nothing was sent.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),

    /// FIC answered with an error status. The body is kept as the server sent it.
    #[error("{call} failed: HTTP {status}{}", body_suffix(body))]
    Api {
        /// What was called.
        call: ApiCall,
        /// The HTTP status.
        status: StatusCode,
        /// The response body, verbatim (capped).
        body: ErrorBody,
        /// The server's `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
    },

    /// The request could not be sent, or its answer not received (connection refused or reset,
    /// timeout, TLS).
    #[error("{call} failed: {source}")]
    Transport {
        /// What was called.
        call: ApiCall,
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
    },

    /// FIC answered with a success status, but the body is not what the API documents.
    #[error("{call}: unexpected response{}: {message}{}", status_suffix(*status), body_suffix(body))]
    InvalidResponse {
        /// What was called.
        call: ApiCall,
        /// The HTTP status, where known.
        status: Option<StatusCode>,
        /// What does not fit.
        message: String,
        /// The body (capped).
        body: ErrorBody,
    },

    /// The asynchronous operation ended in `operationStatus: Error`.
    #[error(
        "the operation on premium plan {} ended in status {}{}",
        resource.id,
        resource.status,
        operation.as_ref().and_then(|o| o.failure()).map(|e| format!(": {e}")).unwrap_or_default()
    )]
    OperationFailed {
        /// The resource as last seen.
        resource: Box<PremiumSupport>,
        /// The Operation API's record of the change, with its error text, where it could be read.
        operation: Option<Box<crate::Operation>>,
    },

    /// The waiter gave up before the operation finished.
    #[error(
        "gave up waiting for premium plan {id} after {:.1} s and {polls} polls{}",
        elapsed.as_secs_f64(),
        last.as_ref().map(|p| format!(" (last status: {})", p.status)).unwrap_or_default()
    )]
    WaitTimeout {
        /// The plan waited on.
        id: crate::PremiumSupportId,
        /// How long the waiter waited.
        elapsed: Duration,
        /// How many times it polled.
        polls: u32,
        /// The resource as last seen, if it was seen.
        last: Option<Box<PremiumSupport>>,
    },

    /// The client is misconfigured (endpoint, token, HTTP client).
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// An [`Error::InvalidResponse`] with no body to show: the answer read, but does not fit.
    pub(crate) fn undecodable(call: ApiCall, status: Option<StatusCode>, message: String) -> Self {
        Error::InvalidResponse {
            call,
            status,
            message,
            body: ErrorBody::default(),
        }
    }

    /// The HTTP status of an answer from FIC, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::InvalidResponse { status, .. } => *status,
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// 404: the plan does not exist (or belongs to another tenant).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// 409: the request conflicts with the plan's state (a plan exists already, or a change is
    /// in progress).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(StatusCode::CONFLICT)
    }

    /// 401: the token is missing, wrong or expired.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// A wait or a request ran out of time.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::WaitTimeout { .. } => true,
            Error::Transport { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    /// The input was refused before anything was sent.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Error::InvalidInput(_))
    }

    /// The asynchronous operation ended in `operationStatus: Error`.
    pub fn is_operation_failed(&self) -> bool {
        matches!(self, Error::OperationFailed { .. })
    }

    /// Why the operation failed, as the Operation API recorded it (for
    /// [`Error::OperationFailed`], where the record could be read).
    pub fn failure(&self) -> Option<&str> {
        match self {
            Error::OperationFailed { operation, .. } => operation.as_ref()?.failure(),
            _ => None,
        }
    }

    /// The server's body, for errors that carry one.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Error::Api { body, .. } | Error::InvalidResponse { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The resource the error is about, where the SDK saw it (a failed or timed-out wait).
    pub fn resource(&self) -> Option<&PremiumSupport> {
        match self {
            Error::OperationFailed { resource, .. } => Some(resource),
            Error::WaitTimeout { last, .. } => last.as_deref(),
            _ => None,
        }
    }
}

/// Input that breaks a rule, named by its field; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}{}: expected {rule}", value.as_ref().map(|v| format!(" {v:?}")).unwrap_or_default())]
pub struct InvalidInput {
    field: &'static str,
    value: Option<String>,
    rule: &'static str,
}

impl InvalidInput {
    /// `field` broke `rule`; `value` is repeated in the message unless it is a secret (`None`).
    pub(crate) fn new(field: &'static str, value: Option<&str>, rule: &'static str) -> Self {
        InvalidInput {
            field,
            value: value.map(str::to_owned),
            rule,
        }
    }

    /// The field, in the API's spelling (`id`, `currentMenu`, `token`, ...).
    pub fn field(&self) -> &str {
        self.field
    }

    /// The rule it breaks.
    pub fn rule(&self) -> &str {
        self.rule
    }
}

/// An API call, as its method and path template (`GET /v1/premium-professional-support-services/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiCall {
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, relative to the endpoint.
    pub path: &'static str,
}

impl fmt::Display for ApiCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// A response body kept as the server sent it (JSON or not), up to a cap.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ErrorBody {
    bytes: Bytes,
    truncated: bool,
}

/// How much of a body `Display` shows.
const SHOWN_CHARS: usize = 2000;

impl ErrorBody {
    pub(crate) fn new(bytes: Bytes, truncated: bool) -> Self {
        ErrorBody { bytes, truncated }
    }

    /// The bytes received (all of them, unless [`ErrorBody::is_truncated`]).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.bytes).ok()
    }

    /// True when the server sent more than the cap and the rest was not read.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// True when the server sent no body.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Display for ErrorBody {
    /// The text, cut at 2000 characters, control characters escaped so a hostile body cannot
    /// rewrite a terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text();
        for (shown, c) in text.chars().enumerate() {
            if shown == SHOWN_CHARS {
                return f.write_str("… (cut)");
            }
            if c.is_control() && c != '\n' {
                write!(f, "{}", c.escape_default())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        if self.truncated {
            f.write_str("… (truncated)")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorBody")
            .field("text", &format_args!("{:?}", self.to_string()))
            .field("truncated", &self.truncated)
            .finish()
    }
}

fn body_suffix(body: &ErrorBody) -> String {
    if body.is_empty() {
        String::new()
    } else {
        format!(": {body}")
    }
}

fn status_suffix(status: Option<StatusCode>) -> String {
    status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
}

//! Retries of what is safe to repeat: reads and deletes, after connection errors and the
//! statuses that say the server did not act (429, 502, 503, 504), with capped, jittered backoff
//! that honours `Retry-After`. A create is never replayed.

use std::time::Duration;

use reqwest::StatusCode;

use crate::clock::jittered;
use crate::error::Error;

/// How often and how patiently the client retries a failed request.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 250 ms doubling up to 10 s with full jitter, `Retry-After`
    /// honoured up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is tried once.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Tries each request at most `attempts` times in all (at least once).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; it doubles for each retry after, up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` the client waits for; a longer one ends the retries.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Whether backoffs are drawn at random below their cap (full jitter; the default) or are
    /// exactly the cap.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The attempt limit.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait before attempt `next` (2 or more) after `error`, or `None` to stop.
    pub(crate) fn delay(&self, next: u32, error: &Error) -> Option<Duration> {
        if next > self.max_attempts {
            return None;
        }
        if let Error::Api {
            retry_after: Some(after),
            ..
        } = error
        {
            return (*after <= self.max_retry_after).then_some(*after);
        }
        let doublings = next.saturating_sub(2).min(30);
        let cap = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        Some(jittered(Duration::ZERO, cap, self.jitter))
    }
}

/// Whether a request may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// GET: repeating it changes nothing.
    Read,
    /// DELETE: repeating it ends the same plan; the caller reconciles a repeat's 404 or 409.
    Delete,
    /// POST: never replayed blindly.
    Create,
}

/// True when `error` is worth another attempt of a request of this kind.
pub(crate) fn is_retryable(kind: Idempotency, error: &Error) -> bool {
    if kind == Idempotency::Create {
        return false;
    }
    match error {
        Error::Transport { source, .. } => !source.is_builder(),
        Error::Api { status, .. } => matches!(
            *status,
            StatusCode::TOO_MANY_REQUESTS
                | StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT
        ),
        _ => false,
    }
}

/// True when a failed create may or may not have been taken: the connection broke after the
/// request could have been sent, the server failed (5xx) without saying what it did, or it
/// answered with a success whose body cannot be read.
pub(crate) fn is_ambiguous_create_failure(error: &Error) -> bool {
    match error {
        Error::Transport { source, .. } => !source.is_connect() && !source.is_builder(),
        Error::Api { status, .. } => status.is_server_error(),
        Error::InvalidResponse { .. } => true,
        _ => false,
    }
}

/// Parses `Retry-After`: delta-seconds or an HTTP date.
pub(crate) fn parse_retry_after(
    value: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00Z")
            .expect("valid")
            .with_timezone(&chrono::Utc);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Fri, 04 Dec 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Fri, 04 Dec 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy::default()
            .max_attempts(10)
            .backoff(Duration::from_millis(100), Duration::from_millis(500))
            .jitter(false);
        let err = Error::Config(String::new());
        let delays: Vec<_> = (2..=6).filter_map(|n| policy.delay(n, &err)).collect();
        let ms: Vec<u128> = delays.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [100, 200, 400, 500, 500]);
        assert_eq!(policy.delay(11, &err), None);
    }
}

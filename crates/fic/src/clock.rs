//! Time, injectable: the waiters and retries ask a [`Clock`] for the time and for sleeps, so
//! tests run in virtual time, fast and deterministic.

use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A sleep, as a [`Clock`] returns it.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// The time source and sleeper of a [`Client`](crate::Client).
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current instant.
    fn now(&self) -> Instant;
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// Real time: `Instant::now` and tokio's timer. The default.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Virtual time for tests: a sleep moves the clock forward and completes at once, and every
/// sleep is recorded.
///
/// ```
/// use std::time::Duration;
/// use fic::clock::{Clock, VirtualClock};
///
/// # tokio_test_block_on(async {
/// let clock = VirtualClock::new();
/// let start = clock.now();
/// clock.sleep(Duration::from_secs(600)).await; // returns at once
/// assert_eq!(clock.now() - start, Duration::from_secs(600));
/// assert_eq!(clock.sleeps(), vec![Duration::from_secs(600)]);
/// # });
/// # fn tokio_test_block_on(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct VirtualClock {
    state: Arc<Mutex<VirtualState>>,
}

#[derive(Debug)]
struct VirtualState {
    now: Instant,
    sleeps: Vec<Duration>,
}

impl VirtualClock {
    /// A clock that starts now and moves only when slept on (or [`VirtualClock::advance`]d).
    pub fn new() -> Self {
        VirtualClock {
            state: Arc::new(Mutex::new(VirtualState {
                now: Instant::now(),
                sleeps: Vec::new(),
            })),
        }
    }

    /// Moves the clock forward by `duration` without recording a sleep.
    pub fn advance(&self, duration: Duration) {
        self.lock().now += duration;
    }

    /// Every sleep so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// The virtual time elapsed since the clock was made.
    fn lock(&self) -> std::sync::MutexGuard<'_, VirtualState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Instant {
        self.lock().now
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        let mut state = self.lock();
        state.now += duration;
        state.sleeps.push(duration);
        Box::pin(std::future::ready(()))
    }
}

/// A random fraction in `[0, 1)`, from the standard library's randomly keyed hasher.
pub(crate) fn random_fraction() -> f64 {
    let bits = RandomState::new().hash_one(0u8) >> 11; // 53 random bits
    bits as f64 / (1u64 << 53) as f64
}

/// Full jitter: a duration drawn uniformly from `[low, high]` (or `high` without jitter).
pub(crate) fn jittered(low: Duration, high: Duration, jitter: bool) -> Duration {
    if !jitter || high <= low {
        return high.max(low);
    }
    low + (high - low).mul_f64(random_fraction())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_bounds() {
        let (low, high) = (Duration::from_secs(2), Duration::from_secs(8));
        for _ in 0..1000 {
            let d = jittered(low, high, true);
            assert!(d >= low && d <= high, "{d:?}");
        }
        assert_eq!(jittered(low, high, false), high);
    }
}

//! Waiters for asynchronous operations, acceptor-style: each poll is classified as done, failed
//! or not yet; an unexpected error ends the wait at once; polls back off exponentially with full
//! jitter; the last poll lands on the deadline.

use std::time::{Duration, Instant};

use futures_core::Stream;

use crate::client::Client;
use crate::clock::jittered;
use crate::error::Error;
use crate::id::{OperationId, PremiumSupportId};
use crate::model::{OperationStatus, PremiumSupport};

/// How a waiter polls.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitPolicy {
    initial_delay: Duration,
    min_delay: Duration,
    max_delay: Duration,
    max_wait: Duration,
    jitter: bool,
}

impl Default for WaitPolicy {
    /// Fits FIC: the first poll after 2 s, then delays drawn between 2 s and a cap that doubles
    /// up to 30 s, for at most 10 minutes.
    fn default() -> Self {
        WaitPolicy {
            initial_delay: Duration::from_secs(2),
            min_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(30),
            max_wait: Duration::from_secs(600),
            jitter: true,
        }
    }
}

impl WaitPolicy {
    /// The delay before the first poll.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The bounds of the delay between polls: it starts at `min` and its cap doubles per poll
    /// up to `max`.
    pub fn delays(mut self, min: Duration, max: Duration) -> Self {
        self.min_delay = min;
        self.max_delay = max.max(min);
        self
    }

    /// How long to wait in all before giving up.
    pub fn max_wait(mut self, max: Duration) -> Self {
        self.max_wait = max;
        self
    }

    /// Whether delays are drawn at random between the minimum and their cap (full jitter; the
    /// default) or are exactly the cap.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The longest a waiter waits.
    pub fn max_wait_duration(&self) -> Duration {
        self.max_wait
    }

    /// The delay before poll number `poll` (1-based).
    fn delay_before(&self, poll: u32) -> Duration {
        if poll <= 1 {
            return self.initial_delay;
        }
        let doublings = (poll - 2).min(30);
        let cap = self
            .min_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay);
        jittered(self.min_delay, cap, self.jitter)
    }
}

/// One poll of a waiter, for progress displays.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Poll {
    /// How many polls so far, this one included.
    pub polls: u32,
    /// Time since the waiter started.
    pub elapsed: Duration,
    /// What the poll saw.
    pub observed: Observed,
    /// True for the poll that ended the wait successfully.
    pub done: bool,
}

/// What a poll saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// The plan, in some state.
    Present(PremiumSupport),
    /// No plan (404).
    Gone,
}

/// What a waiter waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Goal {
    /// The plan is `Completed`.
    Completed,
    /// The plan is gone.
    Gone,
    /// No change is in progress: `Completed`, `Error`, or gone.
    Settled,
}

enum Verdict {
    Done,
    Retry,
    Fail(Error),
}

/// What a poll's finding means for the wait. A plan that is gone only counts for the goals that
/// accept it (the waiter ends a create's wait on a 404 as an error before asking).
fn classify(goal: Goal, observed: &Observed) -> Verdict {
    let Observed::Present(plan) = observed else {
        return Verdict::Done;
    };
    match (goal, &plan.status) {
        (Goal::Settled, status) if status.is_terminal() => Verdict::Done,
        (_, OperationStatus::Error) => Verdict::Fail(Error::OperationFailed {
            resource: Box::new(plan.clone()),
            operation: None,
        }),
        (Goal::Completed, OperationStatus::Completed) => Verdict::Done,
        _ => Verdict::Retry,
    }
}

/// Polls one plan until its goal, a failure, or the deadline.
pub(crate) struct Waiter {
    client: Client,
    id: PremiumSupportId,
    /// The operation the change started, to read its error text when it fails.
    operation: Option<OperationId>,
    goal: Goal,
    policy: WaitPolicy,
    started: Instant,
    polls: u32,
    last: Option<PremiumSupport>,
    finished: bool,
}

impl Waiter {
    pub(crate) fn new(
        client: Client,
        id: PremiumSupportId,
        operation: Option<OperationId>,
        goal: Goal,
        max_wait: Option<Duration>,
    ) -> Self {
        let mut policy = client.wait_policy().clone();
        if let Some(max) = max_wait {
            policy.max_wait = max;
        }
        let started = client.clock().now();
        Waiter {
            client,
            id,
            operation,
            goal,
            policy,
            started,
            polls: 0,
            last: None,
            finished: false,
        }
    }

    /// Sleeps, polls once, and says what it saw; `None` once the wait has ended.
    pub(crate) async fn step(&mut self) -> Option<Result<Poll, Error>> {
        if self.finished {
            return None;
        }
        let clock = self.client.clock();
        let elapsed = clock.now().saturating_duration_since(self.started);
        let remaining = self.policy.max_wait.saturating_sub(elapsed);
        let wanted = self.policy.delay_before(self.polls + 1);
        let last_chance = wanted >= remaining;
        clock.sleep(wanted.min(remaining)).await;

        self.polls += 1;
        let result = self.client.premium_support().get(&self.id).await;
        let elapsed = clock.now().saturating_duration_since(self.started);
        let observed = match result {
            Ok(plan) => {
                self.last = Some(plan.clone());
                Observed::Present(plan)
            }
            Err(e) if e.is_not_found() && self.goal != Goal::Completed => Observed::Gone,
            Err(e) => {
                // An unexpected error ends the wait at once.
                self.finished = true;
                return Some(Err(e));
            }
        };
        tracing::debug!(id = %self.id, polls = self.polls, ?observed, "poll");
        let verdict = classify(self.goal, &observed);
        let poll = |done| Poll {
            polls: self.polls,
            elapsed,
            observed: observed.clone(),
            done,
        };
        match verdict {
            Verdict::Done => {
                self.finished = true;
                Some(Ok(poll(true)))
            }
            Verdict::Fail(e) => {
                self.finished = true;
                Some(Err(self.with_failure_text(e).await))
            }
            Verdict::Retry if last_chance => {
                self.finished = true;
                Some(Err(Error::WaitTimeout {
                    id: self.id.clone(),
                    elapsed,
                    polls: self.polls,
                    last: self.last.take().map(Box::new),
                }))
            }
            Verdict::Retry => Some(Ok(poll(false))),
        }
    }

    /// Adds the Operation API's record (and so its error text) to a failed operation, when the
    /// waiter knows the operation and the record can be read; otherwise leaves the error as is.
    async fn with_failure_text(&self, error: Error) -> Error {
        let (
            Error::OperationFailed {
                resource,
                operation: None,
            },
            Some(id),
        ) = (&error, &self.operation)
        else {
            return error;
        };
        match self.client.operations().get(id).await {
            Ok(record) => Error::OperationFailed {
                resource: resource.clone(),
                operation: Some(Box::new(record)),
            },
            Err(e) => {
                tracing::debug!(error = %e, "the failed operation's record could not be read");
                error
            }
        }
    }

    /// Polls until the wait ends; the final poll.
    pub(crate) async fn finish(mut self) -> Result<Poll, Error> {
        loop {
            match self.step().await {
                Some(Ok(poll)) if poll.done => return Ok(poll),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => {
                    return Err(Error::Config(
                        "the waiter was polled after it ended".to_owned(),
                    ));
                }
            }
        }
    }

    /// The polls as a stream; it ends after the poll that ends the wait (an `Err` item for a
    /// failure or timeout).
    pub(crate) fn into_stream(self) -> impl Stream<Item = Result<Poll, Error>> + Send + 'static {
        futures_util::stream::unfold(self, |mut waiter| async move {
            let item = waiter.step().await?;
            Some((item, waiter))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_at_the_initial_delay_and_double_to_the_cap() {
        let policy = WaitPolicy::default().jitter(false);
        let secs: Vec<u64> = (1..=7).map(|n| policy.delay_before(n).as_secs()).collect();
        assert_eq!(secs, [2, 2, 4, 8, 16, 30, 30]);
        let jittered = WaitPolicy::default();
        for n in 1..50 {
            let d = jittered.delay_before(n);
            assert!(
                d >= Duration::from_secs(2) && d <= Duration::from_secs(30),
                "{d:?}"
            );
        }
    }
}

//! Waiting in the CLI: a spinner on stderr (only on a terminal) with the status, elapsed time
//! and poll count; Ctrl-C stops waiting, not the operation.

use std::time::Duration;

use fic::{Observed, PendingCreate, PendingDelete, Poll, PremiumSupport};
use futures_util::{Stream, StreamExt as _};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{Failure, Ui};

/// Waits for a create to complete.
pub(crate) async fn created(
    pending: PendingCreate,
    timeout: Option<Duration>,
    note: &str,
    ui: &Ui,
) -> Result<PremiumSupport, Failure> {
    let what = describe(pending.resource());
    let last = follow(pending.progress(timeout), &what, note, ui).await?;
    match last.observed {
        Observed::Present(plan) => Ok(plan),
        Observed::Gone => Err(Failure::Unexpected(format!(
            "{what} vanished while being created"
        ))),
    }
}

/// Waits for a delete to finish (the plan is gone).
pub(crate) async fn deleted(
    pending: PendingDelete,
    timeout: Option<Duration>,
    note: &str,
    ui: &Ui,
) -> Result<(), Failure> {
    let what = pending
        .resource()
        .map_or_else(|| format!("premium plan {}", pending.id()), describe);
    follow(pending.progress(timeout), &what, note, ui)
        .await
        .map(drop)
}

fn describe(plan: &PremiumSupport) -> String {
    match &plan.operation_id {
        Some(operation) => format!("premium plan {} (operation {operation})", plan.id),
        None => format!("premium plan {}", plan.id),
    }
}

/// Follows a waiter's polls to the end, showing progress; Ctrl-C stops following. `note` is
/// shown once Ctrl-C is handled.
async fn follow(
    progress: impl Stream<Item = Result<Poll, fic::Error>>,
    what: &str,
    note: &str,
    ui: &Ui,
) -> Result<Poll, Failure> {
    let interrupted = || {
        Failure::Interrupted(format!(
            "stopped waiting; the operation continues on the server: {what}"
        ))
    };
    // One Ctrl-C listener for the whole wait, installed (by a first poll) before the note says
    // the wait has begun: no signal can fall between two listeners.
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    if futures_util::FutureExt::now_or_never(ctrl_c.as_mut()).is_some() {
        return Err(interrupted());
    }
    ui.note(note);
    let spinner = ui.spinner_allowed().then(|| {
        let spinner = ProgressBar::new_spinner();
        spinner.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        spinner.set_message(format!("waiting for {what}"));
        spinner.enable_steady_tick(Duration::from_millis(120));
        spinner
    });
    let mut progress = std::pin::pin!(progress);
    let outcome = loop {
        let next = tokio::select! {
            next = progress.next() => next,
            _ = ctrl_c.as_mut() => break Err(interrupted()),
        };
        match next {
            Some(Ok(poll)) => {
                if let Some(spinner) = &spinner {
                    spinner.set_message(format!(
                        "{what}: {} · {:.0}s · {} polls",
                        observed(&poll.observed),
                        poll.elapsed.as_secs_f64(),
                        poll.polls
                    ));
                }
                if poll.done {
                    break Ok(poll);
                }
            }
            Some(Err(e)) => break Err(Failure::Fic(e)),
            None => {
                break Err(Failure::Unexpected(format!(
                    "the wait for {what} ended without an outcome"
                )));
            }
        }
    };
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    outcome
}

/// A poll's finding in a word or two.
pub(crate) fn observed(observed: &Observed) -> String {
    match observed {
        Observed::Present(plan) => plan.status.to_string(),
        Observed::Gone => "gone".to_owned(),
    }
}

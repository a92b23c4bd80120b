//! Polling efficiency, in virtual time: an operation that completes T after it was accepted
//! (T = 1 s, 10 s, 60 s, 600 s), waited for by the real waiter over real HTTP (wiremock on
//! loopback, answering from the same virtual clock). For each policy: how many polls it makes,
//! and the lag between completion and its detection.
//!
//! Policies: the SDK's default (first poll after 2 s, then full jitter between 2 s and a cap
//! doubling to 30 s), fixed 1 s polling (go-fic's choice) and fixed 3 s (NTT's Terraform
//! provider's minimum interval). Target at T >= 60 s: at most a third of the 1 s poller's
//! requests, with lag no worse than the 30 s max delay.
//!
//! `cargo bench -p fic --bench polling`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fic::clock::{Clock, VirtualClock};
use fic::{Client, Menu, RetryPolicy, Token, WaitPolicy};
use futures_util::StreamExt as _;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn body(status: &str) -> serde_json::Value {
    serde_json::json!({"professionalSupportService": {
        "id": "F520123456789", "tenantId": "db8b0e40743f460685040c46167cf19e",
        "operationStatus": status, "currentMenu": "PremiumPlan",
        "menus": [{"menu": "PremiumPlan", "menuStartDate": null}],
        "operationId": "2fb5baa5a5834e0b952d3f0d93c3e64a"
    }})
}

/// Answers `Processing` until the virtual clock passes the completion time, then `Completed`.
struct Operation {
    clock: VirtualClock,
    done_at: Arc<std::sync::Mutex<Option<Instant>>>,
}

impl Respond for Operation {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request.method.as_str() == "POST" {
            return ResponseTemplate::new(202).set_body_json(body("Processing"));
        }
        let done_at = *self
            .done_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let done = done_at.is_some_and(|at| self.clock.now() >= at);
        ResponseTemplate::new(200).set_body_json(body(if done {
            "Completed"
        } else {
            "Processing"
        }))
    }
}

/// (polls, lag) of one wait for an operation taking `t`.
async fn one_wait(policy: &WaitPolicy, t: Duration) -> (u32, Duration) {
    let server = MockServer::start().await;
    let clock = VirtualClock::new();
    let done_at = Arc::new(std::sync::Mutex::new(None));
    Mock::given(any())
        .respond_with(Operation {
            clock: clock.clone(),
            done_at: Arc::clone(&done_at),
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .endpoint(format!("{}/fic-eri", server.uri()))
        .token(Token::new(TOKEN).expect("valid"))
        .retry_policy(RetryPolicy::never())
        .wait_policy(policy.clone())
        .clock(clock.clone())
        .build()
        .expect("a client");
    let pending = client
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect("accepted");
    let accepted = clock.now();
    *done_at
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(accepted + t);
    let mut progress = std::pin::pin!(pending.progress(None));
    while let Some(poll) = progress.next().await {
        let poll = poll.expect("no failure");
        if poll.done {
            return (poll.polls, poll.elapsed.saturating_sub(t));
        }
    }
    panic!("the wait ended without completing");
}

struct Summary {
    mean_polls: f64,
    max_polls: u32,
    mean_lag: f64,
    max_lag: f64,
}

async fn measure(policy: &WaitPolicy, t: Duration, runs: usize) -> Summary {
    let mut polls = Vec::new();
    let mut lags = Vec::new();
    for _ in 0..runs {
        let (p, lag) = one_wait(policy, t).await;
        polls.push(p);
        lags.push(lag.as_secs_f64());
    }
    Summary {
        mean_polls: polls.iter().map(|&p| f64::from(p)).sum::<f64>() / runs as f64,
        max_polls: polls.iter().copied().max().unwrap_or_default(),
        mean_lag: lags.iter().sum::<f64>() / runs as f64,
        max_lag: lags.iter().copied().fold(0.0, f64::max),
    }
}

fn fixed(interval: Duration) -> WaitPolicy {
    WaitPolicy::default()
        .initial_delay(interval)
        .delays(interval, interval)
        .jitter(false)
        .max_wait(Duration::from_secs(3600))
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: run few.
    let runs = if std::env::args().any(|a| a == "--bench") {
        100
    } else {
        2
    };
    // The default policy, with the overall limit raised so no wait here times out.
    let default = WaitPolicy::default().max_wait(Duration::from_secs(3600));
    println!(
        "polling efficiency: mean (max) over {runs} waits of the default policy; fixed pollers are exact"
    );
    println!(
        "| T | default: polls | default: lag s | 1 s: polls | 1 s: lag s | 3 s: polls | 3 s: lag s | default / 1 s polls | target (T >= 60 s: <= 0.33, lag <= 30 s) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for secs in [1, 10, 60, 600] {
        let t = Duration::from_secs(secs);
        let d = measure(&default, t, runs).await;
        let one = measure(&fixed(Duration::from_secs(1)), t, 1).await;
        let three = measure(&fixed(Duration::from_secs(3)), t, 1).await;
        let ratio = d.mean_polls / one.mean_polls;
        let verdict = if secs < 60 {
            "n/a"
        } else if ratio <= 1.0 / 3.0 && d.max_lag <= 30.0 {
            "met"
        } else {
            "MISSED"
        };
        println!(
            "| {secs} s | {:.1} ({}) | {:.1} ({:.1}) | {} | {:.1} | {} | {:.1} | {ratio:.2} | {verdict} |",
            d.mean_polls,
            d.max_polls,
            d.mean_lag,
            d.max_lag,
            one.max_polls,
            one.max_lag,
            three.max_polls,
            three.max_lag
        );
    }
}

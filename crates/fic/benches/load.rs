//! Load: 500 tenants, each converging to the premium plan and back to Basic at the same time,
//! against one in-process `fic-mock` over loopback; six rounds. Checks that every tenant ends in
//! the expected state and no call fails, and reports time, requests and memory (resident set
//! size after each round, which should stay flat).
//!
//! `cargo bench -p fic --bench load`. Bounded: 6 rounds of 500 cycles, loopback only.

use std::time::{Duration, Instant};

use fic::{Client, OperationStatus, RetryPolicy, Token, WaitPolicy};
use fic_mock::{Config, MockServer};

/// Resident set size in MiB (Linux), or 0 where it cannot be read.
fn rss_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / (1024.0 * 1024.0)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (tenants, rounds) = if full { (500, 6) } else { (20, 1) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let tokens: Vec<(String, String)> = (0..tenants)
            .map(|_| (fic_mock::random_hex32(), fic_mock::random_hex32()))
            .collect();
        let mut config = Config::default().processing(Duration::from_millis(50));
        for (token, tenant) in &tokens {
            config = config.tenant(token.clone(), tenant.clone());
        }
        let mock = MockServer::start(config).await.expect("the mock starts");
        // One connection pool for all, as one process serving many tenants would have.
        let http = reqwest::Client::builder().pool_max_idle_per_host(tenants).build().expect("a client");
        let clients: Vec<Client> = tokens
            .iter()
            .map(|(token, _)| {
                Client::builder()
                    .endpoint(mock.endpoint())
                    .token(Token::new(token.as_str()).expect("valid"))
                    .http_client(http.clone())
                    .retry_policy(RetryPolicy::never())
                    .wait_policy(
                        WaitPolicy::default()
                            .initial_delay(Duration::from_millis(20))
                            .delays(Duration::from_millis(20), Duration::from_millis(100))
                            .max_wait(Duration::from_secs(60)),
                    )
                    .build()
                    .expect("a client")
            })
            .collect();

        println!("load: {tenants} tenants, each ensure_premium then ensure_basic, all at once; fic-mock processing 50 ms");
        println!("| round | wall time s | requests | failures | tenants in the expected state | RSS after, MiB |");
        println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
        println!("| before | | | | | {:.1} |", rss_mib());
        for round in 1..=rounds {
            let before = mock.requests();
            let started = Instant::now();
            let mut tasks = tokio::task::JoinSet::new();
            for client in &clients {
                let client = client.clone();
                tasks.spawn(async move {
                    let plans = client.premium_support();
                    let premium = plans.ensure_premium().await?;
                    let completed = premium.plan.is_some_and(|p| p.status == OperationStatus::Completed);
                    let basic = plans.ensure_basic().await?;
                    let gone = plans.current().await?.is_none() && basic.plan.is_none();
                    Ok::<bool, fic::Error>(completed && gone && premium.changed && basic.changed)
                });
            }
            let (mut ok, mut failures) = (0, 0);
            while let Some(done) = tasks.join_next().await {
                match done {
                    Ok(Ok(true)) => ok += 1,
                    Ok(Ok(false)) => {}
                    Ok(Err(e)) => {
                        failures += 1;
                        eprintln!("a cycle failed: {e}");
                    }
                    Err(e) => {
                        failures += 1;
                        eprintln!("a task failed: {e}");
                    }
                }
            }
            println!(
                "| {round} | {:.2} | {} | {failures} | {ok} of {tenants} | {:.1} |",
                started.elapsed().as_secs_f64(),
                mock.requests() - before,
                rss_mib()
            );
            assert_eq!(failures, 0, "no call may fail");
            assert_eq!(ok, tenants, "every tenant ends on the Basic menu, having had the premium plan");
        }
        mock.shutdown().await;
    });
}

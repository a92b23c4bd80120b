//! Load: 500 tenants, each converging to the premium plan and back to Basic at the same time,
//! against one `fic-mock` over loopback; 25 rounds. Checks that every tenant ends in the expected
//! state and no call fails, and reports time, requests and memory: the resident set size of this
//! process after each round, which should stay flat. The mock runs in a child process (this
//! benchmark's own binary, started again), so its growing operation history is not counted.
//!
//! `cargo bench -p fic --bench load`. Bounded: 25 rounds of 500 cycles, loopback only.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, Stdio};
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

const MOCK_CHILD: &str = "FIC_LOAD_MOCK_TOKENS";

/// The child: serves a mock for the tokens in the environment (`TOKEN:TENANT,...`), prints its
/// endpoint, and stops when its standard input closes.
fn serve_mock(tokens: &str) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let mut config = Config::default().processing(Duration::from_millis(50));
        for pair in tokens.split(',') {
            if let Some((token, tenant)) = pair.split_once(':') {
                config = config.tenant(token, tenant);
            }
        }
        let mock = MockServer::start(config).await.expect("the mock starts");
        println!("{}", mock.endpoint());
        // Block a thread on stdin, not the runtime.
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
        mock.shutdown().await;
    });
}

/// Starts the mock in a child process; its endpoint.
fn start_mock(tokens: &[(String, String)]) -> (Child, String) {
    let list: Vec<String> = tokens.iter().map(|(t, n)| format!("{t}:{n}")).collect();
    let mut child = Command::new(std::env::current_exe().expect("this binary"))
        .env(MOCK_CHILD, list.join(","))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the mock process starts");
    let stdout = child.stdout.take().expect("piped");
    let mut endpoint = String::new();
    BufReader::new(stdout)
        .read_line(&mut endpoint)
        .expect("the endpoint");
    (child, endpoint.trim().to_owned())
}

fn main() {
    if let Ok(tokens) = std::env::var(MOCK_CHILD) {
        return serve_mock(&tokens);
    }
    let full = std::env::args().any(|a| a == "--bench");
    let (tenants, rounds) = if full { (500, 25) } else { (20, 1) };
    let rounds = std::env::var("FIC_LOAD_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(rounds);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let tokens: Vec<(String, String)> = (0..tenants)
            .map(|_| (fic_mock::random_hex32(), fic_mock::random_hex32()))
            .collect();
        let (mut mock, endpoint) = start_mock(&tokens);
        // One connection pool for all, as one process serving many tenants would have.
        let http = reqwest::Client::builder().pool_max_idle_per_host(tenants).build().expect("a client");
        let clients: Vec<Client> = tokens
            .iter()
            .map(|(token, _)| {
                Client::builder()
                    .endpoint(endpoint.clone())
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
        println!("| round | wall time s | failures | tenants in the expected state | client RSS after, MiB |");
        println!("| ---: | ---: | ---: | ---: | ---: |");
        println!("| before | | | | {:.1} |", rss_mib());
        for round in 1..=rounds {
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
                "| {round} | {:.2} | {failures} | {ok} of {tenants} | {:.1} |",
                started.elapsed().as_secs_f64(),
                rss_mib()
            );
            assert_eq!(failures, 0, "no call may fail");
            assert_eq!(ok, tenants, "every tenant ends on the Basic menu, having had the premium plan");
        }
        drop(mock.stdin.take()); // the child stops when its input closes
        let _ = mock.wait();
    });
}

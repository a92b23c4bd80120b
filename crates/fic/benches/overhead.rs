//! Call overhead: the SDK's `get` against a hand-written baseline (raw reqwest + serde_json)
//! making the identical request, both against the in-process `fic-mock` over loopback, on the
//! same runtime. Measured as a ratio in one run: batches of the two alternate, so drift in the
//! machine's speed hits both alike.
//!
//! `cargo bench -p fic --bench overhead`. Target: SDK throughput >= 0.95 of the baseline's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fic::{Client, PremiumSupportId, RetryPolicy, Token};
use fic_mock::{Config, MockServer};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const TENANT: &str = "db8b0e40743f460685040c46167cf19e";
const ROUNDS: usize = 15;
const WARMUP_ROUNDS: usize = 3;

struct Setup {
    sdk: Client,
    http: reqwest::Client,
    endpoint: String,
    id: PremiumSupportId,
}

async fn setup(server: &MockServer) -> Setup {
    let sdk = Client::builder()
        .endpoint(server.endpoint())
        .token(Token::new(TOKEN).expect("valid"))
        .retry_policy(RetryPolicy::never())
        .http_client(http_client())
        .build()
        .expect("a client");
    let plan = sdk
        .premium_support()
        .ensure_premium()
        .await
        .expect("a plan");
    let id = plan.plan.expect("a plan").id;
    Setup {
        sdk,
        http: http_client(),
        endpoint: server.endpoint(),
        id,
    }
}

/// Both sides get an HTTP client configured alike.
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .expect("a client")
}

async fn sdk_get(setup: &Setup) {
    let plan = setup
        .sdk
        .premium_support()
        .get(&setup.id)
        .await
        .expect("get");
    std::hint::black_box(plan);
}

/// What a careful hand-written client does: build the URL from the id, send, decode.
async fn baseline_get(http: &reqwest::Client, endpoint: &str, id: &str) {
    let url = format!("{endpoint}/v1/premium-professional-support-services/{id}");
    let response = http
        .get(url)
        .header("X-Auth-Token", TOKEN)
        .header("Accept", "application/json")
        .header("api-version", "4.0")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("a body");
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    std::hint::black_box(value);
}

/// Requests per second of `calls` calls made by `clients` concurrent tasks.
async fn batch(setup: &Arc<Setup>, sdk: bool, clients: usize, calls: usize) -> f64 {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let setup = Arc::clone(setup);
        tasks.spawn(async move {
            for _ in 0..calls / clients {
                if sdk {
                    sdk_get(&setup).await;
                } else {
                    baseline_get(&setup.http, &setup.endpoint, setup.id.as_str()).await;
                }
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a task");
    }
    calls as f64 / started.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

async fn compare(setup: &Arc<Setup>, clients: usize, calls: usize) -> (f64, f64, f64) {
    let (mut sdk, mut base, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..WARMUP_ROUNDS + ROUNDS {
        // Alternate which goes first, so neither always runs on a warmer machine.
        let (s, b) = if round % 2 == 0 {
            let s = batch(setup, true, clients, calls).await;
            (s, batch(setup, false, clients, calls).await)
        } else {
            let b = batch(setup, false, clients, calls).await;
            (batch(setup, true, clients, calls).await, b)
        };
        if round >= WARMUP_ROUNDS {
            sdk.push(s);
            base.push(b);
            ratios.push(s / b);
        }
    }
    (median(sdk), median(base), median(ratios))
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: run once, briefly.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let config = Config::default().tenant(TOKEN, TENANT).processing(Duration::ZERO);
        let server = MockServer::start(config).await.expect("the mock starts");
        let setup = Arc::new(setup(&server).await);
        // For profiling one side alone: FIC_BENCH_ONLY=sdk|baseline runs it for 20 s.
        if let Ok(only) = std::env::var("FIC_BENCH_ONLY") {
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(20) {
                batch(&setup, only == "sdk", 64, 1280).await;
            }
            return;
        }
        println!("call overhead: SDK get vs raw reqwest + serde_json, loopback fic-mock, 2 workers");
        println!("| mode | SDK req/s | baseline req/s | SDK / baseline (median of {ROUNDS} paired rounds) | target >= 0.95 |");
        println!("| --- | ---: | ---: | ---: | --- |");
        for (mode, clients, calls) in [("sequential", 1, 400), ("64 concurrent", 64, 1280)] {
            let calls = if quick { clients.max(8) } else { calls };
            let (sdk, base, ratio) = compare(&setup, clients, calls).await;
            let verdict = if ratio >= 0.95 { "met" } else { "MISSED" };
            println!("| {mode} | {sdk:.0} | {base:.0} | {ratio:.3} | {verdict} |");
        }
        server.shutdown().await;
    });
}

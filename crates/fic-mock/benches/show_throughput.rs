//! Requests per second of `fic-mock` for Show, with 64 concurrent clients over loopback.
//!
//! Run with `cargo bench -p fic-mock`. Client and server share one 2-worker tokio runtime, as on
//! the project's 2-core machines; each iteration makes 640 requests from 64 concurrent tasks.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fic_mock::{Config, MockServer};

const TOKEN: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TENANT: &str = "db8b0e40743f460685040c46167cf19e";
const CLIENTS: u64 = 64;
const PER_CLIENT: u64 = 10;

fn show_throughput(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let (server, url) = runtime.block_on(async {
        let config = Config::default().tenant(TOKEN, TENANT).processing(Duration::ZERO);
        let server = MockServer::start(config).await.expect("the mock starts");
        let created: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/v1/premium-professional-support-services", server.endpoint()))
            .header("X-Auth-Token", TOKEN)
            .json(&serde_json::json!({"premiumProfessionalSupportService": {"currentMenu": "PremiumPlan"}}))
            .send()
            .await
            .expect("create")
            .json()
            .await
            .expect("JSON");
        let id = created["professionalSupportService"]["id"].as_str().expect("an id").to_owned();
        let url = format!("{}/v1/premium-professional-support-services/{id}", server.endpoint());
        (server, Arc::new(url))
    });
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS as usize)
        .build()
        .expect("a client");

    let mut group = c.benchmark_group("fic-mock");
    group.throughput(Throughput::Elements(CLIENTS * PER_CLIENT));
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("show, 64 concurrent clients", |b| {
        b.to_async(&runtime).iter(|| {
            let http = http.clone();
            let url = Arc::clone(&url);
            async move {
                let mut tasks = tokio::task::JoinSet::new();
                for _ in 0..CLIENTS {
                    let (http, url) = (http.clone(), Arc::clone(&url));
                    tasks.spawn(async move {
                        for _ in 0..PER_CLIENT {
                            let response = http
                                .get(url.as_str())
                                .header("X-Auth-Token", TOKEN)
                                .send()
                                .await
                                .expect("the mock answers");
                            assert_eq!(response.status(), 200);
                            response.bytes().await.expect("a body");
                        }
                    });
                }
                while let Some(done) = tasks.join_next().await {
                    done.expect("a client task");
                }
            }
        });
    });
    group.finish();
    runtime.block_on(server.shutdown());
}

criterion_group!(benches, show_throughput);
criterion_main!(benches);

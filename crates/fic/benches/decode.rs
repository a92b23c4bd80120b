//! Decode cost: every sample on the reference page (List 200, Create 202, Show 200, Delete 202)
//! parsed into the SDK's types, against parsing into `serde_json::Value`.
//!
//! Two SDK paths: the generated wire types (what a call decodes first), and the public model's
//! own deserializer (`PremiumSupport`, which validates the ids). `cargo bench -p fic --bench decode`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fic::PremiumSupport;
use fic::raw::types;
use serde::Deserialize;

const LIST: &str = r#"{"premiumProfessionalSupportServices":[{"id":"F520123456789","tenantId":"db8b0e40743f460685040c46167cf19e","operationStatus":"Completed","currentMenu":"PremiumPlan","menus":[{"menu":"PremiumPlan","menuStartDate":"2026-03-01T06:48:00Z"}]}]}"#;
const CREATE: &str = r#"{"professionalSupportService":{"id":"F520123456789","tenantId":"db8b0e40743f460685040c46167cf19e","operationStatus":"Processing","currentMenu":"PremiumPlan","menus":[{"menu":"PremiumPlan","menuStartDate":null}],"operationId":"2fb5baa5a5834e0b952d3f0d93c3e64a"}}"#;
const SHOW: &str = r#"{"professionalSupportService":{"id":"F520123456789","tenantId":"db8b0e40743f460685040c46167cf19e","operationStatus":"Completed","currentMenu":"PremiumPlan","menus":[{"menu":"PremiumPlan","menuStartDate":"2026-03-01T06:48:00Z"}]}}"#;
const DELETE: &str = r#"{"professionalSupportService":{"id":"F520123456789","tenantId":"db8b0e40743f460685040c46167cf19e","operationStatus":"Processing","currentMenu":"PremiumPlan","menus":[{"menu":"PremiumPlan","menuStartDate":"2026-03-01T06:48:00Z"}],"operationId":"2fb5baa5a5834e0b952d3f0d93c3e64a"}}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Many {
    #[allow(dead_code, reason = "decoded to be measured")]
    premium_professional_support_services: Vec<PremiumSupport>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct One {
    #[allow(dead_code, reason = "decoded to be measured")]
    professional_support_service: PremiumSupport,
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode the 4 reference samples");
    group.throughput(Throughput::Elements(4));
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            for sample in [LIST, CREATE, SHOW, DELETE] {
                black_box(
                    serde_json::from_str::<serde_json::Value>(black_box(sample)).expect("JSON"),
                );
            }
        });
    });
    group.bench_function("generated wire types", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_str::<types::PremiumProfessionalSupportServiceList>(black_box(
                    LIST,
                ))
                .expect("List"),
            );
            for sample in [CREATE, SHOW, DELETE] {
                black_box(
                    serde_json::from_str::<types::ProfessionalSupportServiceEnvelope>(black_box(
                        sample,
                    ))
                    .expect("one"),
                );
            }
        });
    });
    group.bench_function("public model (PremiumSupport)", |b| {
        b.iter(|| {
            black_box(serde_json::from_str::<Many>(black_box(LIST)).expect("List"));
            for sample in [CREATE, SHOW, DELETE] {
                black_box(serde_json::from_str::<One>(black_box(sample)).expect("one"));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);

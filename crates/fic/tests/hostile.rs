//! Hostile responses, over real HTTP: arbitrary bytes, truncated JSON, wrong types, huge strings
//! and deep nesting fed to every response decoder of the SDK. Never a panic; always either a
//! value or a typed error that keeps what the server said, bounded.

use std::sync::OnceLock;

use fic::{Client, Menu, OperationId, PremiumSupportId, RetryPolicy, Token};
use proptest::prelude::*;
use wiremock::matchers::any as any_request;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SHOW: &str = r#"{"professionalSupportService":{"id":"F520123456789","tenantId":"db8b0e40743f460685040c46167cf19e","operationStatus":"Completed","currentMenu":"PremiumPlan","menus":[{"menu":"PremiumPlan","menuStartDate":"2026-03-01T06:48:00Z"}]}}"#;
const LIST: &str = r#"{"premiumProfessionalSupportServices":[{"id":"F520123456789","tenantId":"db8b0e40743f460685040c46167cf19e","operationStatus":"Completed","currentMenu":"PremiumPlan","menus":[{"menu":"PremiumPlan","menuStartDate":null}]}]}"#;
const OPERATION: &str = r#"{"operation":{"id":"2fb5baa5a5834e0b952d3f0d93c3e64a","tenantId":"db8b0e40743f460685040c46167cf19e","resourceId":"F520123456789","resourceName":"","resourceType":"PremiumProfessionalSupportService","requestType":"Create","status":"Completed","receptionTime":"2026-03-01T06:48:00Z","commitTime":null,"error":"","requestBody":""}}"#;

struct Harness {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
    client: Client,
}

/// One server and client for every case of the property test (a case only changes what the
/// server answers). Other tests make their own: tests run in parallel.
fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(new_harness)
}

fn new_harness() -> Harness {
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let server = runtime.block_on(MockServer::start());
        let client = Client::builder()
            .endpoint(format!("{}/fic-eri", server.uri()))
            .token(Token::new("0123456789abcdef0123456789abcdef").expect("valid"))
            .retry_policy(RetryPolicy::never())
            .max_response_body(256 * 1024)
            .build()
            .expect("a client");
        Harness {
            runtime,
            server,
            client,
        }
    }
}

/// Answers every request with `status` and `body`, then makes each call; checks each outcome.
fn check(status: u16, body: Vec<u8>) -> Result<(), TestCaseError> {
    let h = harness();
    h.runtime.block_on(async {
        h.server.reset().await;
        Mock::given(any_request())
            .respond_with(ResponseTemplate::new(status).set_body_raw(body.clone(), "application/json"))
            .mount(&h.server)
            .await;
        let plans = h.client.premium_support();
        let id = PremiumSupportId::parse("F520123456789").expect("valid");
        let operation = OperationId::parse("2fb5baa5a5834e0b952d3f0d93c3e64a").expect("valid");
        let outcomes: Vec<Result<(), fic::Error>> = vec![
            plans.get(&id).await.map(drop),
            plans.list().await.map(drop),
            plans.create(Menu::PremiumPlan).await.map(drop),
            plans.delete(&id).await.map(drop),
            h.client.operations().get(&operation).await.map(drop),
        ];
        for outcome in outcomes {
            if let Err(e) = outcome {
                // Typed, and bounded: the status when there was an error status, and an excerpt
                // of at most the cap.
                if !(200..300).contains(&status) {
                    prop_assert_eq!(e.status().map(|s| s.as_u16()), Some(status), "{}", e);
                }
                if let Some(kept) = e.body() {
                    prop_assert!(kept.as_bytes().len() <= fic::MAX_ERROR_BODY);
                    prop_assert!(
                        body.starts_with(kept.as_bytes()),
                        "the body is kept verbatim: kept {} of {} bytes, truncated {}: {:?} vs {:?}",
                        kept.as_bytes().len(), body.len(), kept.is_truncated(),
                        String::from_utf8_lossy(&kept.as_bytes()[..kept.as_bytes().len().min(60)]),
                        String::from_utf8_lossy(&body[..body.len().min(60)])
                    );
                }
                prop_assert!(e.to_string().len() < 4 * 1024, "Display is bounded");
            }
        }
        Ok(())
    })
}

fn samples() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(SHOW), Just(LIST), Just(OPERATION)]
}

/// Bodies a broken or hostile server might send.
fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Arbitrary bytes.
        proptest::collection::vec(any::<u8>(), 0..512),
        // Truncated JSON.
        (samples(), any::<prop::sample::Index>())
            .prop_map(|(s, i)| s.as_bytes()[..i.index(s.len())].to_vec()),
        // Wrong types: a string value replaced by another JSON value.
        (
            samples(),
            prop_oneof![
                Just("1"),
                Just("null"),
                Just("[]"),
                Just("{}"),
                Just("true"),
                Just("-1e999")
            ]
        )
            .prop_map(|(s, v)| s
                .replacen("\"Completed\"", v, 1)
                .replacen("\"F520123456789\"", v, 1)
                .into_bytes()),
        // Huge strings, within and beyond the body cap.
        (
            samples(),
            prop_oneof![Just(70_000usize), Just(300_000usize)]
        )
            .prop_map(|(s, n)| s.replacen("PremiumPlan", &"x".repeat(n), 1).into_bytes()),
        // Deep nesting.
        (1usize..20_000)
            .prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()),
        (1usize..20_000).prop_map(|depth| "{\"a\":".repeat(depth).into_bytes()),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(202),
        Just(400),
        Just(401),
        Just(404),
        Just(409),
        Just(429),
        Just(500),
        Just(503),
        200u16..600
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_decoder_survives_hostile_bodies(status in status(), body in hostile_body()) {
        check(status, body)?;
    }
}

#[test]
fn a_success_body_over_the_cap_is_a_typed_error() {
    let h = new_harness();
    let huge = SHOW.replacen("PremiumPlan", &"x".repeat(300_000), 1);
    let err = h.runtime.block_on(async {
        h.server.reset().await;
        Mock::given(any_request())
            .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
            .mount(&h.server)
            .await;
        h.client
            .premium_support()
            .get(&PremiumSupportId::parse("F520123456789").expect("valid"))
            .await
            .expect_err("too large")
    });
    assert!(
        err.to_string().contains("larger than the client's limit"),
        "{err}"
    );
}

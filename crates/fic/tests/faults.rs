//! Faults injected with wiremock over loopback HTTP: every error status, retries of what is
//! safe (and only that), ambiguous creates, unknown values. Retries sleep in virtual time.

use std::time::Duration;

use fic::clock::VirtualClock;
use fic::{Client, Menu, OperationStatus, PremiumSupportId, RetryPolicy, Token};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const COLLECTION: &str = "/fic-eri/v1/premium-professional-support-services";
const ITEM: &str = "/fic-eri/v1/premium-professional-support-services/F520123456789";

fn plan(status: &str) -> serde_json::Value {
    serde_json::json!({
        "id": "F520123456789", "tenantId": "db8b0e40743f460685040c46167cf19e",
        "operationStatus": status, "currentMenu": "PremiumPlan",
        "menus": [{"menu": "PremiumPlan", "menuStartDate": "2026-03-01T06:48:00Z"}]
    })
}

fn single(status: &str) -> serde_json::Value {
    serde_json::json!({"professionalSupportService": plan(status)})
}

fn id() -> PremiumSupportId {
    PremiumSupportId::parse("F520123456789").expect("valid")
}

struct Setup {
    server: MockServer,
    client: Client,
    clock: VirtualClock,
}

async fn setup(retry: RetryPolicy) -> Setup {
    let server = MockServer::start().await;
    let clock = VirtualClock::new();
    let client = Client::builder()
        .endpoint(format!("{}/fic-eri", server.uri()))
        .token(Token::new(TOKEN).expect("valid"))
        .retry_policy(retry.jitter(false))
        .clock(clock.clone())
        .build()
        .expect("a client");
    Setup {
        server,
        client,
        clock,
    }
}

async fn requests(server: &MockServer, verb: &str) -> usize {
    let received = server.received_requests().await.unwrap_or_default();
    received
        .iter()
        .filter(|r| r.method.as_str() == verb)
        .count()
}

#[tokio::test]
async fn every_error_status_maps_to_a_typed_error_with_the_body_verbatim() {
    let s = setup(RetryPolicy::never()).await;
    let cases: [(u16, &str); 7] = [
        (400, r#"{"error":{"message":"bad id"}}"#),
        (401, "Unauthorized"),
        (403, "<html>forbidden</html>"),
        (404, ""),
        (409, r#"{"message":"busy"}"#),
        (500, "internal\u{1b}[31m error"),
        (503, "try later"),
    ];
    for (status, body) in cases {
        s.server.reset().await;
        Mock::given(method("GET"))
            .and(path(ITEM))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&s.server)
            .await;
        let err = s
            .client
            .premium_support()
            .get(&id())
            .await
            .expect_err("an error status");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err}");
        assert_eq!(
            err.body().map(|b| b.as_bytes()),
            Some(body.as_bytes()),
            "{err}"
        );
        assert_eq!(err.is_not_found(), status == 404);
        assert_eq!(err.is_conflict(), status == 409);
        assert_eq!(err.is_unauthorized(), status == 401);
        let shown = err.to_string();
        assert!(
            shown.starts_with(&format!(
                "GET /v1/premium-professional-support-services/{{id}} failed: HTTP {status}"
            )),
            "{shown}"
        );
        assert!(
            !shown.contains('\u{1b}'),
            "control characters are escaped: {shown}"
        );
    }
}

#[tokio::test]
async fn huge_error_bodies_are_capped() {
    let s = setup(RetryPolicy::never()).await;
    let huge = "x".repeat(fic::MAX_ERROR_BODY * 4);
    Mock::given(method("GET"))
        .and(path(ITEM))
        .respond_with(ResponseTemplate::new(400).set_body_string(huge))
        .mount(&s.server)
        .await;
    let err = s
        .client
        .premium_support()
        .get(&id())
        .await
        .expect_err("400");
    let body = err.body().expect("a body");
    assert!(body.is_truncated());
    assert_eq!(body.as_bytes().len(), fic::MAX_ERROR_BODY);
    assert!(err.to_string().len() < 2500, "Display shows an excerpt");
}

#[tokio::test]
async fn unknown_values_are_preserved() {
    let s = setup(RetryPolicy::never()).await;
    let mut body = single("Cancelled");
    body["professionalSupportService"]["currentMenu"] = "Basic".into();
    body["professionalSupportService"]["somethingNew"] = 42.into();
    Mock::given(method("GET"))
        .and(path(ITEM))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&s.server)
        .await;
    let plan = s
        .client
        .premium_support()
        .get(&id())
        .await
        .expect("decodes");
    assert_eq!(plan.status, OperationStatus::Unknown("Cancelled".into()));
    assert_eq!(plan.current_menu, Menu::Other("Basic".into()));
    let json = serde_json::to_value(&plan).expect("serializes");
    assert_eq!(json["operationStatus"], "Cancelled");
}

#[tokio::test]
async fn malformed_success_bodies_are_invalid_response_errors() {
    let s = setup(RetryPolicy::never()).await;
    let mut bad_id = single("Completed");
    bad_id["professionalSupportService"]["id"] = "X520123456789".into();
    for body in [
        ResponseTemplate::new(200).set_body_string("<html>"),
        ResponseTemplate::new(200).set_body_json(bad_id),
    ] {
        s.server.reset().await;
        Mock::given(method("GET"))
            .and(path(ITEM))
            .respond_with(body)
            .mount(&s.server)
            .await;
        let err = s
            .client
            .premium_support()
            .get(&id())
            .await
            .expect_err("undecodable");
        assert!(matches!(err, fic::Error::InvalidResponse { .. }), "{err:?}");
    }
}

#[tokio::test]
async fn reads_are_retried_on_429_502_503_504_honouring_retry_after() {
    for status in [429, 502, 503, 504] {
        let s = setup(RetryPolicy::default().max_attempts(3)).await;
        Mock::given(method("GET"))
            .and(path(ITEM))
            .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", "7"))
            .up_to_n_times(1)
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path(ITEM))
            .respond_with(ResponseTemplate::new(200).set_body_json(single("Completed")))
            .mount(&s.server)
            .await;
        let plan = s
            .client
            .premium_support()
            .get(&id())
            .await
            .expect("retried");
        assert_eq!(plan.status, OperationStatus::Completed);
        assert_eq!(requests(&s.server, "GET").await, 2, "{status}");
        assert_eq!(
            s.clock.sleeps(),
            [Duration::from_secs(7)],
            "{status}: Retry-After honoured"
        );
    }
}

#[tokio::test]
async fn retries_stop_at_the_attempt_limit_with_capped_backoff() {
    let s = setup(
        RetryPolicy::default()
            .max_attempts(4)
            .backoff(Duration::from_millis(100), Duration::from_millis(300)),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(ITEM))
        .respond_with(ResponseTemplate::new(503))
        .mount(&s.server)
        .await;
    let err = s
        .client
        .premium_support()
        .get(&id())
        .await
        .expect_err("still 503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&s.server, "GET").await, 4);
    let ms: Vec<u128> = s.clock.sleeps().iter().map(Duration::as_millis).collect();
    assert_eq!(ms, [100, 200, 300]);
}

#[tokio::test]
async fn a_500_and_a_4xx_are_not_retried_even_with_retry_after() {
    for status in [500, 400, 404, 409] {
        let s = setup(RetryPolicy::default()).await;
        Mock::given(method("GET"))
            .and(path(ITEM))
            .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", "1"))
            .mount(&s.server)
            .await;
        s.client
            .premium_support()
            .get(&id())
            .await
            .expect_err("an error");
        assert_eq!(requests(&s.server, "GET").await, 1, "{status}");
        assert!(s.clock.sleeps().is_empty(), "{status}");
    }
}

#[tokio::test]
async fn gateway_errors_without_retry_after_back_off() {
    for status in [502, 503, 504] {
        let s = setup(
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1)),
        )
        .await;
        Mock::given(method("GET"))
            .and(path(ITEM))
            .respond_with(ResponseTemplate::new(status))
            .mount(&s.server)
            .await;
        let err = s
            .client
            .premium_support()
            .get(&id())
            .await
            .expect_err("still failing");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(requests(&s.server, "GET").await, 3, "{status}");
        let ms: Vec<u128> = s.clock.sleeps().iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [100, 200], "{status}");
    }
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_ends_the_retries() {
    let s = setup(RetryPolicy::default().max_retry_after(Duration::from_secs(5))).await;
    Mock::given(method("GET"))
        .and(path(ITEM))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&s.server)
        .await;
    let err = s
        .client
        .premium_support()
        .get(&id())
        .await
        .expect_err("429");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(requests(&s.server, "GET").await, 1);
}

#[tokio::test]
async fn connection_refused_is_retried_for_reads() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = listener.local_addr().expect("an address");
    drop(listener); // nothing listens there now
    let clock = VirtualClock::new();
    let client = Client::builder()
        .endpoint(format!("http://{addr}/fic-eri"))
        .token(Token::new(TOKEN).expect("valid"))
        .retry_policy(RetryPolicy::default().max_attempts(3).jitter(false))
        .clock(clock.clone())
        .build()
        .expect("a client");
    let err = client.premium_support().list().await.expect_err("refused");
    assert!(matches!(err, fic::Error::Transport { .. }), "{err:?}");
    assert_eq!(clock.sleeps().len(), 2, "three attempts");
}

#[tokio::test]
async fn a_create_is_never_retried() {
    for status in [429, 502, 503, 504] {
        let s = setup(RetryPolicy::default()).await;
        Mock::given(method("POST"))
            .and(path(COLLECTION))
            .respond_with(ResponseTemplate::new(status))
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path(COLLECTION))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"premiumProfessionalSupportServices": []})),
            )
            .mount(&s.server)
            .await;
        let err = s
            .client
            .premium_support()
            .create(Menu::PremiumPlan)
            .await
            .expect_err("refused");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(requests(&s.server, "POST").await, 1, "{status}: sent once");
    }
}

#[tokio::test]
async fn an_ambiguous_create_finds_the_order_instead_of_duplicating_it() {
    let s = setup(RetryPolicy::default()).await;
    Mock::given(method("POST"))
        .and(path(COLLECTION))
        .respond_with(ResponseTemplate::new(502))
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path(COLLECTION))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"premiumProfessionalSupportServices": [plan("Processing")]}),
        ))
        .mount(&s.server)
        .await;
    let pending = s
        .client
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect("the order went through");
    assert_eq!(pending.resource().id.as_str(), "F520123456789");
    assert_eq!(pending.resource().status, OperationStatus::Processing);
    assert_eq!(requests(&s.server, "POST").await, 1, "never sent twice");
}

#[tokio::test]
async fn an_ambiguous_create_with_no_order_reports_the_failure() {
    let s = setup(RetryPolicy::default()).await;
    Mock::given(method("POST"))
        .and(path(COLLECTION))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path(COLLECTION))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"premiumProfessionalSupportServices": []})),
        )
        .mount(&s.server)
        .await;
    let err = s
        .client
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect_err("no order");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        err.body().map(|b| b.text().into_owned()),
        Some("boom".to_owned())
    );
    assert_eq!(requests(&s.server, "POST").await, 1);
    assert_eq!(
        requests(&s.server, "GET").await,
        1,
        "the tenant's plan was looked up"
    );
}

#[tokio::test]
async fn a_retried_delete_that_meets_its_own_first_attempt_is_reconciled() {
    let s = setup(RetryPolicy::default()).await;
    // The first DELETE got through but its answer was lost (503 from a gateway); the retry meets 409.
    Mock::given(method("DELETE"))
        .and(path(ITEM))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&s.server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(ITEM))
        .respond_with(ResponseTemplate::new(409))
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path(ITEM))
        .respond_with(ResponseTemplate::new(200).set_body_json(single("Processing")))
        .mount(&s.server)
        .await;
    let pending = s
        .client
        .premium_support()
        .delete(&id())
        .await
        .expect("reconciled");
    assert_eq!(
        pending.resource().map(|p| p.status.clone()),
        Some(OperationStatus::Processing)
    );
    assert_eq!(requests(&s.server, "DELETE").await, 2);
}

#[tokio::test]
async fn a_404_during_a_creates_wait_ends_the_wait() {
    let s = setup(RetryPolicy::default()).await;
    Mock::given(method("POST"))
        .and(path(COLLECTION))
        .respond_with(ResponseTemplate::new(202).set_body_json(single("Processing")))
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path(ITEM))
        .respond_with(ResponseTemplate::new(404))
        .mount(&s.server)
        .await;
    let pending = s
        .client
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect("accepted");
    let err = pending.wait().await.expect_err("the plan vanished");
    assert!(err.is_not_found(), "{err}");
    assert_eq!(
        requests(&s.server, "GET").await,
        1,
        "no more polls after an unexpected error"
    );
}

#[tokio::test]
async fn the_create_request_body_is_the_documented_envelope() {
    let s = setup(RetryPolicy::never()).await;
    Mock::given(method("POST"))
        .and(path(COLLECTION))
        .and(wiremock::matchers::header("X-Auth-Token", TOKEN))
        .and(wiremock::matchers::header(
            "Content-Type",
            "application/json",
        ))
        .respond_with(ResponseTemplate::new(202).set_body_json(single("Processing")))
        .expect(1)
        .mount(&s.server)
        .await;
    s.client
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect("accepted");
    let received = s.server.received_requests().await.unwrap_or_default();
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"premiumProfessionalSupportService": {"currentMenu": "PremiumPlan"}})
    );
}

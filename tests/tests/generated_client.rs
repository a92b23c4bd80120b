//! The generated client over real HTTP (wiremock on loopback): ids are validated before any
//! request leaves, and error bodies reach the caller whatever they are.

use fic_eri_api::{Auth, Client, Error};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SHOW_PATH: &str = "/fic-eri/v1/premium-professional-support-services/F520123456789";

fn show_body() -> serde_json::Value {
    serde_json::json!({"professionalSupportService": {
        "id": "F520123456789", "tenantId": "db8b0e40743f460685040c46167cf19e",
        "operationStatus": "Completed", "currentMenu": "PremiumPlan",
        "menus": [{"menu": "PremiumPlan", "menuStartDate": "2026-03-01T06:48:00Z"}]
    }})
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(&format!("{}/fic-eri", server.uri()), Auth::none().into());
    (server, client)
}

#[tokio::test]
async fn a_real_id_is_accepted_and_sent() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path(SHOW_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(show_body()))
        .expect(1)
        .mount(&server)
        .await;

    let shown = client
        .show_premium_professional_support_service()
        .id("F520123456789")
        .send()
        .await
        .expect("a real id is accepted");
    assert_eq!(shown.professional_support_service.id, "F520123456789");
    assert_eq!(
        shown.professional_support_service.operation_status.0,
        "Completed"
    );
}

#[tokio::test]
async fn ids_that_break_the_pattern_fail_before_sending() {
    let (server, client) = server().await;
    for bad in ["X520123456789", "F12", "F5201234567890", ""] {
        let err = client
            .show_premium_professional_support_service()
            .id(bad)
            .send()
            .await
            .expect_err(bad);
        assert!(matches!(err, Error::InvalidRequest(_)), "{bad}: {err:?}");
        let err = client
            .delete_premium_professional_support_service()
            .id(bad)
            .send()
            .await
            .expect_err(bad);
        assert!(matches!(err, Error::InvalidRequest(_)), "{bad}: {err:?}");
    }
    let received = server.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "requests were sent: {received:?}");
}

#[tokio::test]
async fn error_bodies_are_kept_verbatim_json_or_not() {
    let (server, client) = server().await;
    for (status, body) in [
        (404, "<html>not here</html>"),
        (409, r#"{"message":"busy"}"#),
        (400, ""),
    ] {
        server.reset().await;
        Mock::given(method("GET"))
            .and(path(SHOW_PATH))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        let err = client
            .show_premium_professional_support_service()
            .id("F520123456789")
            .send()
            .await
            .expect_err("an error status");
        let Error::ErrorResponse(response) = err else {
            panic!("{status}: expected ErrorResponse, got {err:?}");
        };
        assert_eq!(response.status().as_u16(), status);
        let bytes = collect(response.into_inner()).await;
        assert_eq!(bytes, body.as_bytes(), "{status}");
    }
}

#[tokio::test]
async fn the_token_rides_on_every_request_whatever_the_http_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/fic-eri/v1/premium-professional-support-services"))
        .and(header("X-Auth-Token", "0123456789abcdef0123456789abcdef"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"premiumProfessionalSupportServices": []})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let token = reqwest::header::HeaderValue::from_static("0123456789abcdef0123456789abcdef");
    let endpoint = format!("{}/fic-eri", server.uri());
    // A client of the caller's own, with no default headers: the hook adds the token.
    let own = Client::new_with_client(
        &endpoint,
        reqwest::Client::new(),
        Auth::token(token.clone()).into(),
    );
    let built = Client::new(&endpoint, Auth::token(token).into());
    for client in [own, built] {
        let listed = client
            .list_premium_professional_support_services()
            .send()
            .await
            .expect("listed");
        assert!(listed.premium_professional_support_services.is_empty());
    }
}

#[test]
fn auth_debug_never_shows_the_token() {
    let token = reqwest::header::HeaderValue::from_static("0123456789abcdef0123456789abcdef");
    let shown = format!("{:?}", Auth::token(token));
    assert_eq!(shown, "Auth(<redacted>)");
}

async fn collect(mut stream: fic_eri_api::ByteStream) -> Vec<u8> {
    use futures_util::StreamExt as _;
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.expect("body chunk"));
    }
    out
}

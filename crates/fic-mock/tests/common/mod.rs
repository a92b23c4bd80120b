//! Helpers shared by the mock's integration tests: a server with two tenants and a raw HTTP
//! client that returns status and JSON body.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::time::Duration;

use fic_mock::{Config, MockServer};
use serde_json::Value;

pub const TOKEN_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const TENANT_A: &str = "db8b0e40743f460685040c46167cf19e";
pub const TOKEN_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
pub const TENANT_B: &str = "0123456789abcdef0123456789abcdef";
pub const COLLECTION: &str = "/v1/premium-professional-support-services";

pub fn config(processing: Duration) -> Config {
    Config::default()
        .tenant(TOKEN_A, TENANT_A)
        .tenant(TOKEN_B, TENANT_B)
        .processing(processing)
}

pub struct Harness {
    pub server: MockServer,
    pub http: reqwest::Client,
}

pub async fn start(config: Config) -> Harness {
    let server = MockServer::start(config).await.expect("the mock starts");
    Harness {
        server,
        http: reqwest::Client::new(),
    }
}

pub fn create_body() -> Value {
    serde_json::json!({"premiumProfessionalSupportService": {"currentMenu": "PremiumPlan"}})
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.endpoint())
    }

    /// Sends `method path` as `token` (none: no header) with an optional JSON body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.header("X-Auth-Token", token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the mock answers");
        let status = response.status().as_u16();
        let bytes = response.bytes().await.expect("a body");
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{status}: the body is not JSON ({e}): {bytes:?}"));
        (status, body)
    }

    pub async fn list(&self, token: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, COLLECTION, Some(token), None)
            .await
    }

    pub async fn create(&self, token: &str) -> (u16, Value) {
        self.call(
            reqwest::Method::POST,
            COLLECTION,
            Some(token),
            Some(create_body()),
        )
        .await
    }

    pub async fn show(&self, token: &str, id: &str) -> (u16, Value) {
        self.call(
            reqwest::Method::GET,
            &format!("{COLLECTION}/{id}"),
            Some(token),
            None,
        )
        .await
    }

    pub async fn delete(&self, token: &str, id: &str) -> (u16, Value) {
        self.call(
            reqwest::Method::DELETE,
            &format!("{COLLECTION}/{id}"),
            Some(token),
            None,
        )
        .await
    }

    /// Creates a plan for `token` and returns its id.
    pub async fn created_id(&self, token: &str) -> String {
        let (status, body) = self.create(token).await;
        assert_eq!(status, 202, "{body}");
        body["professionalSupportService"]["id"]
            .as_str()
            .expect("an id")
            .to_owned()
    }
}

/// The error message of an error body, asserting its shape.
pub fn message(body: &Value) -> &str {
    body["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {body}"))
}

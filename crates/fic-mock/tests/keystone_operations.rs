//! Keystone tokens and the Operation API over real HTTP.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const KEY: &str = "my-api-key";
const SECRET: &str = "my-api-secret";

fn keystone_body(key: &str, secret: &str, project: &str) -> Value {
    json!({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "domain": {"id": "default"}, "name": key, "password": secret}}},
        "scope": {"project": {"id": project}}
    }})
}

/// Asks Keystone for a token: (status, X-Subject-Token, body).
async fn token(h: &Harness, body: Value) -> (u16, Option<String>, Value) {
    let response = h
        .http
        .post(format!("{}/auth/tokens", h.server.auth_url()))
        .json(&body)
        .send()
        .await
        .expect("keystone answers");
    let status = response.status().as_u16();
    let subject = response
        .headers()
        .get("x-subject-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, subject, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn keystone_issues_scoped_tokens_that_expire() {
    let h = start(
        config(Duration::ZERO)
            .user(KEY, SECRET, TENANT_A)
            .token_ttl(Duration::from_millis(1500)),
    )
    .await;
    let (status, subject, body) = token(&h, keystone_body(KEY, SECRET, TENANT_A)).await;
    assert_eq!(status, 201, "{body}");
    let issued = subject.expect("X-Subject-Token");
    assert!(fic_mock::is_hex32(&issued));
    assert_eq!(body["token"]["project"]["id"], TENANT_A);
    let expires = body["token"]["expires_at"].as_str().unwrap_or_default();
    assert!(
        chrono::DateTime::parse_from_rfc3339(expires).is_ok(),
        "{expires}"
    );

    // The token acts for the tenant...
    assert_eq!(h.list(&issued).await.0, 200);
    assert_eq!(h.create(&issued).await.0, 202);
    assert_eq!(
        h.list(TOKEN_A).await.1["premiumProfessionalSupportServices"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // ...until it expires.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let (status, body) = h.list(&issued).await;
    assert_eq!(status, 401);
    assert!(message(&body).contains("expired"), "{body}");
    assert_eq!(h.server.token_requests(), 1);
}

#[tokio::test]
async fn keystone_refuses_wrong_credentials_and_scopes() {
    let h = start(config(Duration::ZERO).user(KEY, SECRET, TENANT_A)).await;
    for body in [
        keystone_body(KEY, "wrong", TENANT_A),
        keystone_body("nobody", SECRET, TENANT_A),
        keystone_body(KEY, SECRET, TENANT_B),
    ] {
        let (status, subject, answer) = token(&h, body).await;
        assert_eq!(status, 401, "{answer}");
        assert!(subject.is_none());
        assert_eq!(answer["error"]["code"], 401);
        assert!(!answer.to_string().contains(SECRET), "{answer}");
    }
    let (status, _, _) = token(&h, json!({"auth": {}})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn revoked_tokens_are_401_but_static_ones_stay() {
    let h = start(config(Duration::ZERO).user(KEY, SECRET, TENANT_A)).await;
    let (_, subject, _) = token(&h, keystone_body(KEY, SECRET, TENANT_A)).await;
    let issued = subject.expect("a token");
    h.server.revoke_issued_tokens();
    assert_eq!(h.list(&issued).await.0, 401);
    assert_eq!(h.list(TOKEN_A).await.0, 200);
}

#[tokio::test]
async fn every_change_is_recorded_as_an_operation() {
    let h = start(config(Duration::ZERO)).await;
    let (_, created) = h.create(TOKEN_A).await;
    let id = created["professionalSupportService"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let create_op = created["professionalSupportService"]["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (_, deleted) = h.delete(TOKEN_A, &id).await;
    let delete_op = deleted["professionalSupportService"]["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let (status, body) = h
        .call(Method::GET, "/v1/operations", Some(TOKEN_A), None)
        .await;
    assert_eq!(status, 200);
    let operations = body["operations"].as_array().cloned().unwrap_or_default();
    assert_eq!(operations.len(), 2, "{body}");
    // Newest first.
    assert_eq!(operations[0]["id"], delete_op.as_str());
    assert_eq!(operations[0]["requestType"], "Delete");
    assert_eq!(operations[1]["id"], create_op.as_str());
    assert_eq!(operations[1]["requestType"], "Create");
    for op in &operations {
        assert_eq!(op["resourceId"], id.as_str());
        assert_eq!(op["tenantId"], TENANT_A);
        assert_eq!(op["status"], "Completed");
        assert_eq!(op["error"], "");
        assert!(op["commitTime"].is_string(), "{op}");
    }
    let request: Value =
        serde_json::from_str(operations[1]["requestBody"].as_str().unwrap_or_default())
            .expect("the create's body");
    assert_eq!(request, create_body());

    let (status, body) = h
        .call(
            Method::GET,
            &format!("/v1/operations/{create_op}"),
            Some(TOKEN_A),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["operation"]["id"], create_op.as_str());

    // Another tenant sees none of them.
    let (_, body) = h
        .call(Method::GET, "/v1/operations", Some(TOKEN_B), None)
        .await;
    assert_eq!(body["operations"], json!([]));
    assert_eq!(
        h.call(
            Method::GET,
            &format!("/v1/operations/{create_op}"),
            Some(TOKEN_B),
            None
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn a_failed_change_is_cancelled_with_its_error_text() {
    let h = start(config(Duration::ZERO).fail_operations(true)).await;
    let (_, created) = h.create(TOKEN_A).await;
    let op = created["professionalSupportService"]["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (_, body) = h
        .call(
            Method::GET,
            &format!("/v1/operations/{op}"),
            Some(TOKEN_A),
            None,
        )
        .await;
    assert_eq!(body["operation"]["status"], "Cancelled");
    assert_eq!(body["operation"]["error"], fic_mock::FAILURE_TEXT);
}

#[tokio::test]
async fn a_processing_change_has_no_commit_time() {
    let h = start(config(Duration::from_secs(600))).await;
    let (_, created) = h.create(TOKEN_A).await;
    let op = created["professionalSupportService"]["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (_, body) = h
        .call(
            Method::GET,
            &format!("/v1/operations/{op}"),
            Some(TOKEN_A),
            None,
        )
        .await;
    assert_eq!(body["operation"]["status"], "Processing");
    assert_eq!(body["operation"]["commitTime"], Value::Null);
}

#[tokio::test]
async fn operations_filter_and_page() {
    let h = start(config(Duration::ZERO)).await;
    // Five changes: create, delete, create, delete, create.
    for _ in 0..2 {
        let id = h.created_id(TOKEN_A).await;
        assert_eq!(h.delete(TOKEN_A, &id).await.0, 202);
    }
    let last = h.created_id(TOKEN_A).await;
    let h = &h;
    let list = |query: &str| {
        let path = format!("/v1/operations{query}");
        async move { h.call(Method::GET, &path, Some(TOKEN_A), None).await }
    };
    let count = |body: &Value| body["operations"].as_array().map_or(0, Vec::len);
    assert_eq!(count(&list("").await.1), 5);
    assert_eq!(count(&list("?requestType=Create").await.1), 3);
    assert_eq!(
        count(&list("?requestType=Delete&status=Completed").await.1),
        2
    );
    assert_eq!(count(&list(&format!("?resourceId={last}")).await.1), 1);
    assert_eq!(count(&list("?limit=2").await.1), 2);
    assert_eq!(count(&list("?limit=2&offset=4").await.1), 1);
    assert_eq!(count(&list("?offset=10000").await.1), 0);
    let first_page = list("?limit=3").await.1;
    let second_page = list("?limit=3&offset=3").await.1;
    let ids: Vec<&Value> = first_page["operations"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(second_page["operations"].as_array().into_iter().flatten())
        .map(|o| &o["id"])
        .collect();
    assert_eq!(ids.len(), 5);
    for (query, expected) in [
        ("?limit=0", "limit 0"),
        ("?limit=101", "limit 101"),
        ("?offset=10001", "offset 10001"),
        ("?id=XYZ", "invalid operation id"),
    ] {
        let (status, body) = list(query).await;
        assert_eq!(status, 400, "{query}");
        assert!(message(&body).contains(expected), "{query}: {body}");
    }
}

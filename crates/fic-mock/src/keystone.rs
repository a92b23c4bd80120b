//! Keystone identity v3, as much of it as FIC's clients use: `POST /keystone/v3/auth/tokens`
//! with the password method, scoped to a project (the tenant). The token comes back in the
//! `X-Subject-Token` header, its expiry in the body.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::ApiError;
use crate::routes::Shared;

pub(crate) const TOKENS: &str = "/keystone/v3/auth/tokens";

#[derive(Deserialize)]
struct Body {
    auth: Auth,
}

#[derive(Deserialize)]
struct Auth {
    identity: Identity,
    scope: Scope,
}

#[derive(Deserialize)]
struct Identity {
    methods: Vec<String>,
    password: Password,
}

#[derive(Deserialize)]
struct Password {
    user: User,
}

#[derive(Deserialize)]
struct User {
    name: String,
    password: String,
    domain: Domain,
}

#[derive(Deserialize)]
struct Domain {
    id: String,
}

#[derive(Deserialize)]
struct Scope {
    project: Project,
}

#[derive(Deserialize)]
struct Project {
    id: String,
}

/// Keystone's format for times: microseconds, `Z`.
fn keystone_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn unauthorized() -> Response {
    let body = serde_json::json!({"error": {
        "code": 401,
        "title": "Unauthorized",
        "message": "The request you have made requires authentication.",
    }});
    (StatusCode::UNAUTHORIZED, Json(body)).into_response()
}

pub(crate) async fn issue(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    shared.token_requests.fetch_add(1, Ordering::Relaxed);
    let body: Body = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("invalid authentication request: {e}")))?;
    let auth = body.auth;
    if !auth.identity.methods.iter().any(|m| m == "password") {
        return Err(ApiError::bad_request(
            "only the password method is supported",
        ));
    }
    let user = auth.identity.password.user;
    if user.domain.id != "default" {
        return Ok(unauthorized());
    }
    let Some(issued) = shared
        .state
        .issue_token(&user.name, &user.password, &auth.scope.project.id)
    else {
        return Ok(unauthorized());
    };
    let token = HeaderValue::from_str(&issued.token)
        .map_err(|_| ApiError::internal("a generated token is not a header value"))?;
    let body = serde_json::json!({"token": {
        "methods": ["password"],
        "issued_at": keystone_time(issued.issued_at),
        "expires_at": keystone_time(issued.expires_at),
        "project": {"id": issued.tenant_id, "name": issued.tenant_id, "domain": {"id": "default"}},
        "user": {"id": user.name, "name": user.name, "domain": {"id": "default"}},
    }});
    Ok((
        StatusCode::CREATED,
        [("x-subject-token", token)],
        Json(body),
    )
        .into_response())
}

//! The HTTP surface: the ERI API under `/fic-eri/v1/...`, exactly as FIC serves it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::ApiError;
use crate::ids::is_plan_id;
use crate::state::{MenuEntry, PREMIUM_PLAN, Plan, Refusal, State, Tenant};

/// The largest request body the server reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

const COLLECTION: &str = "/fic-eri/v1/premium-professional-support-services";
const ITEM: &str = "/fic-eri/v1/premium-professional-support-services/{id}";

/// What the handlers share.
#[derive(Debug)]
pub struct Shared {
    pub state: State,
    /// ERI requests received (authenticated or not).
    pub requests: AtomicU64,
    /// Keystone token requests received (granted or not).
    pub token_requests: AtomicU64,
}

/// The router of the ERI API over `shared`.
pub fn router(shared: Arc<Shared>) -> Router {
    let routes = Router::new()
        .route(COLLECTION, get(list).post(create))
        .route(ITEM, get(show).delete(delete))
        .route(crate::operations::COLLECTION, get(crate::operations::list))
        .route(crate::operations::ITEM, get(crate::operations::show))
        .route(
            crate::keystone::TOKENS,
            axum::routing::post(crate::keystone::issue),
        );
    hardened(routes).with_state(shared)
}

/// What every route gets: JSON answers for unknown routes and methods, the body limit, and a
/// JSON 500 (logged) for a handler that panics.
fn hardened<S: Clone + Send + Sync + 'static>(routes: Router<S>) -> Router<S> {
    routes
        .fallback(|| async { ApiError::not_found("no such resource") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed on this resource",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("the handler panicked").into_response()
        }))
}

/// The tenant behind the request's `X-Auth-Token`; extracted before the body is read.
pub(crate) struct Authed {
    pub(crate) shared: Arc<Shared>,
    pub(crate) tenant: Arc<Tenant>,
}

impl FromRequestParts<Arc<Shared>> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, ApiError> {
        shared.requests.fetch_add(1, Ordering::Relaxed);
        let token = parts
            .headers
            .get("x-auth-token")
            .ok_or_else(|| ApiError::unauthorized("missing X-Auth-Token header"))?;
        let tenant = token
            .to_str()
            .ok()
            .and_then(|token| shared.state.tenant(token))
            .ok_or_else(|| ApiError::unauthorized("unknown or expired X-Auth-Token"))?;
        Ok(Authed {
            shared: Arc::clone(shared),
            tenant,
        })
    }
}

/// A plan in the wire format, serialized straight from the state (no intermediate copies).
struct Resource<'a> {
    plan: &'a Plan,
    tenant: &'a Tenant,
    /// Shown on 202 answers only, as the reference page's samples do.
    operation_id: Option<&'a str>,
}

impl Serialize for Resource<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = if self.operation_id.is_some() { 6 } else { 5 };
        let mut out = serializer.serialize_struct("Resource", fields)?;
        out.serialize_field("id", &self.plan.id)?;
        out.serialize_field("tenantId", self.tenant.id())?;
        out.serialize_field("operationStatus", self.plan.status.as_str())?;
        out.serialize_field("currentMenu", self.plan.current_menu)?;
        out.serialize_field("menus", &Menus(&self.plan.menus))?;
        if let Some(operation_id) = self.operation_id {
            out.serialize_field("operationId", operation_id)?;
        }
        out.end()
    }
}

struct Menus<'a>(&'a [MenuEntry]);

impl Serialize for Menus<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|entry| MenuOut {
            menu: entry.menu,
            menu_start_date: entry.start.map(Rfc3339),
        }))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MenuOut {
    menu: &'static str,
    menu_start_date: Option<Rfc3339>,
}

/// A UTC time as RFC 3339 with whole seconds (`2026-03-01T06:48:00Z`), as the page shows it.
pub(crate) struct Rfc3339(pub(crate) DateTime<Utc>);

impl Serialize for Rfc3339 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.format("%Y-%m-%dT%H:%M:%SZ"))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Single<'a> {
    professional_support_service: Resource<'a>,
}

/// The List body: `{"premiumProfessionalSupportServices": [...]}`.
struct Many<'a> {
    plan: Option<&'a Plan>,
    tenant: &'a Tenant,
}

impl Serialize for Many<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let plans: &[Resource<'_>] = match self.plan {
            Some(plan) => &[Resource {
                plan,
                tenant: self.tenant,
                operation_id: None,
            }],
            None => &[],
        };
        let mut out = serializer.serialize_struct("Many", 1)?;
        out.serialize_field("premiumProfessionalSupportServices", plans)?;
        out.end()
    }
}

#[derive(Deserialize)]
struct ListQuery {
    id: Option<String>,
}

async fn list(
    authed: Authed,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if let Some(id) = query.id.as_deref() {
        check_id(id)?;
    }
    let tenant = &authed.tenant;
    let data = authed.shared.state.data(tenant);
    let matching = data
        .plan
        .as_ref()
        .filter(|p| query.id.as_deref().is_none_or(|id| id == p.id));
    Ok(Json(Many {
        plan: matching,
        tenant,
    })
    .into_response())
}

async fn show(authed: Authed, Path(id): Path<String>) -> Result<Response, ApiError> {
    check_id(&id)?;
    let tenant = &authed.tenant;
    let data = authed.shared.state.data(tenant);
    match data.plan.as_ref().filter(|p| p.id == id) {
        Some(plan) => Ok(Json(Single {
            professional_support_service: Resource {
                plan,
                tenant,
                operation_id: None,
            },
        })
        .into_response()),
        None => Err(not_found(&id)),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateBody {
    premium_professional_support_service: Option<CreateInner>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateInner {
    current_menu: Option<String>,
}

async fn create(
    authed: Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::bad_request(
            "Content-Type must be application/json",
        ));
    }
    let body = body.map_err(|e| ApiError::new(e.status(), body_rejection(&e)))?;
    let parsed: CreateBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("invalid request body: {e}")))?;
    let menu = parsed
        .premium_professional_support_service
        .ok_or_else(|| ApiError::bad_request("missing premiumProfessionalSupportService"))?
        .current_menu
        .ok_or_else(|| {
            ApiError::bad_request("missing premiumProfessionalSupportService.currentMenu")
        })?;
    if menu != PREMIUM_PLAN {
        return Err(ApiError::bad_request(format!(
            "unknown currentMenu {menu:?}: only {PREMIUM_PLAN} can be ordered"
        )));
    }
    let tenant = &authed.tenant;
    let (plan, operation_id) = authed
        .shared
        .state
        .create(tenant, &body)
        .map_err(|r| refusal(r, None))?;
    tracing::debug!(tenant = tenant.id(), plan = %plan.id, "create accepted");
    Ok(accepted(&plan, tenant, &operation_id))
}

async fn delete(authed: Authed, Path(id): Path<String>) -> Result<Response, ApiError> {
    check_id(&id)?;
    let tenant = &authed.tenant;
    let (plan, operation_id) = authed
        .shared
        .state
        .delete(tenant, &id)
        .map_err(|r| refusal(r, Some(&id)))?;
    tracing::debug!(tenant = tenant.id(), plan = %plan.id, "delete accepted");
    Ok(accepted(&plan, tenant, &operation_id))
}

fn accepted(plan: &Plan, tenant: &Tenant, operation_id: &str) -> Response {
    let body = Single {
        professional_support_service: Resource {
            plan,
            tenant,
            operation_id: Some(operation_id),
        },
    };
    (StatusCode::ACCEPTED, Json(body)).into_response()
}

pub(crate) fn check_id(id: &str) -> Result<(), ApiError> {
    if is_plan_id(id) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "invalid id {id:?}: expected F followed by 12 digits"
        )))
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!(
        "premium professional support service {id} not found"
    ))
}

fn refusal(refusal: Refusal, id: Option<&str>) -> ApiError {
    match refusal {
        Refusal::NotFound => not_found(id.unwrap_or_default()),
        Refusal::Conflict(message) => ApiError::conflict(message),
    }
}

fn body_rejection(rejection: &BytesRejection) -> String {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        format!("request body larger than {MAX_BODY_BYTES} bytes")
    } else {
        rejection.body_text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn boom() -> &'static str {
        panic!("a bug in a handler")
    }

    #[tokio::test]
    async fn a_handler_that_panics_answers_a_json_500_and_the_server_goes_on() {
        let routes: Router = hardened(
            Router::new()
                .route("/boom", get(boom))
                .route("/fine", get(|| async { "fine" })),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let addr = listener.local_addr().expect("an address");
        tokio::spawn(async move { axum::serve(listener, routes).await });
        let http = reqwest::Client::new();
        let response = http
            .get(format!("http://{addr}/boom"))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 500);
        let body: serde_json::Value = response.json().await.expect("a JSON body");
        assert_eq!(body["error"]["message"], "the handler panicked");
        let fine = http
            .get(format!("http://{addr}/fine"))
            .send()
            .await
            .expect("an answer");
        assert_eq!(fine.text().await.expect("text"), "fine");
    }
}

//! The Operation API: every create and delete a tenant made, filtered and paged.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::error::ApiError;
use crate::ids::is_hex32;
use crate::routes::{Authed, Rfc3339};
use crate::state::{OperationRecord, RESOURCE_TYPE, Tenant};

pub(crate) const COLLECTION: &str = "/fic-eri/v1/operations";
pub(crate) const ITEM: &str = "/fic-eri/v1/operations/{operation_id}";

/// The largest `offset` the API takes.
const MAX_OFFSET: u64 = 10_000;
/// The largest (and default) `limit`.
const MAX_LIMIT: u64 = 100;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ListQuery {
    id: Option<String>,
    resource_id: Option<String>,
    request_type: Option<String>,
    status: Option<String>,
    offset: Option<u64>,
    limit: Option<u64>,
}

/// One operation in the wire format.
struct Record<'a> {
    operation: &'a OperationRecord,
    tenant: &'a Tenant,
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let o = self.operation;
        let mut out = serializer.serialize_struct("Operation", 11)?;
        out.serialize_field("id", &o.id)?;
        out.serialize_field("tenantId", self.tenant.id())?;
        out.serialize_field("resourceId", &o.resource_id)?;
        // The premium plan has no name of its own.
        out.serialize_field("resourceName", "")?;
        out.serialize_field("resourceType", RESOURCE_TYPE)?;
        out.serialize_field("requestType", o.request_type.as_str())?;
        out.serialize_field("status", o.status.as_str())?;
        out.serialize_field("receptionTime", &Rfc3339(o.reception_time))?;
        out.serialize_field("commitTime", &o.commit_time.map(Rfc3339))?;
        out.serialize_field("error", o.error)?;
        out.serialize_field("requestBody", &o.request_body)?;
        out.end()
    }
}

pub(crate) async fn list(
    authed: Authed,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if let Some(id) = query.id.as_deref() {
        check_operation_id(id)?;
    }
    let offset = query.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(ApiError::bad_request(format!(
            "offset {offset} is over {MAX_OFFSET}"
        )));
    }
    let limit = query.limit.unwrap_or(MAX_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit {limit} is not between 1 and {MAX_LIMIT}"
        )));
    }
    let tenant = &authed.tenant;
    let data = authed.shared.state.data(tenant);
    let matches = |o: &&OperationRecord| {
        query.id.as_deref().is_none_or(|id| o.id == id)
            && query
                .resource_id
                .as_deref()
                .is_none_or(|id| o.resource_id == id)
            && query
                .request_type
                .as_deref()
                .is_none_or(|t| o.request_type.as_str() == t)
            && query
                .status
                .as_deref()
                .is_none_or(|s| o.status.as_str() == s)
    };
    // Newest first.
    let page: Vec<Record<'_>> = data
        .operations
        .iter()
        .rev()
        .filter(matches)
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|operation| Record { operation, tenant })
        .collect();
    Ok(Json(serde_json::json!({ "operations": page })).into_response())
}

pub(crate) async fn show(authed: Authed, Path(id): Path<String>) -> Result<Response, ApiError> {
    check_operation_id(&id)?;
    let tenant = &authed.tenant;
    let data = authed.shared.state.data(tenant);
    match data.operations.iter().find(|o| o.id == id) {
        Some(operation) => Ok(Json(
            serde_json::json!({ "operation": Record { operation, tenant } }),
        )
        .into_response()),
        None => Err(ApiError::not_found(format!("operation {id} not found"))),
    }
}

fn check_operation_id(id: &str) -> Result<(), ApiError> {
    if is_hex32(id) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "invalid operation id {id:?}: expected 32 lowercase hex digits"
        )))
    }
}

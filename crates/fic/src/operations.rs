//! FIC's Operation API: the record of every asynchronous change (create, delete, ...) a tenant
//! made, with its status and, when it failed, why.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use fic_eri_api::types as raw;
use futures_core::Stream;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{ApiCall, Error};
use crate::id::{OperationId, TenantId};
use crate::model::open_enum;
use crate::retry::Idempotency;

const LIST: ApiCall = ApiCall {
    method: "GET",
    path: "/v1/operations",
};
const SHOW: ApiCall = ApiCall {
    method: "GET",
    path: "/v1/operations/{operation-id}",
};

/// The largest page the API gives.
const MAX_PAGE: u64 = 100;
/// The largest offset the API takes.
const MAX_OFFSET: u64 = 10_000;

open_enum!(
    /// The kind of change an operation made.
    RequestType,
    other = Other,
    {
        /// Something was created.
        Create,
        /// Something was changed.
        Update,
        /// Something was deleted.
        Delete,
        /// Something was activated.
        Activate,
        /// Something was deactivated.
        Deactivate,
    }
);

open_enum!(
    /// How far an operation is.
    OperationState,
    other = Unknown,
    {
        /// Under way.
        Processing,
        /// Done.
        Completed,
        /// Stopped; [`Operation::failure`] says why.
        Cancelled,
    }
);

/// One asynchronous change, as the Operation API records it. Serializes in the API's field
/// names, with every value as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Operation {
    /// The operation's id.
    pub id: OperationId,
    /// The tenant it belongs to.
    pub tenant_id: TenantId,
    /// The resource it changed (a premium plan's id, for example).
    pub resource_id: String,
    /// The resource's name (empty for resources without one).
    pub resource_name: String,
    /// The resource's type.
    pub resource_type: String,
    /// The kind of change.
    pub request_type: RequestType,
    /// How far it is.
    pub status: OperationState,
    /// When FIC received the request, as FIC wrote it.
    pub reception_time: String,
    /// When the change was committed, as FIC wrote it (`None` before then).
    pub commit_time: Option<String>,
    /// Why it failed; empty when it did not.
    pub error: String,
    /// The request's body, as text.
    pub request_body: String,
}

impl Operation {
    /// Why the operation failed, if it did.
    pub fn failure(&self) -> Option<&str> {
        Some(self.error.as_str()).filter(|e| !e.is_empty())
    }

    /// When FIC received the request, if it is an RFC 3339 time.
    pub fn received_at(&self) -> Option<DateTime<Utc>> {
        parse_time(&self.reception_time)
    }

    /// When the change was committed, if it was and the time is RFC 3339.
    pub fn committed_at(&self) -> Option<DateTime<Utc>> {
        self.commit_time.as_deref().and_then(parse_time)
    }

    fn from_raw(raw: raw::Operation) -> Result<Self, String> {
        let invalid = |e: crate::InvalidInput| e.to_string();
        Ok(Operation {
            id: OperationId::parse(raw.id).map_err(invalid)?,
            tenant_id: TenantId::parse(raw.tenant_id).map_err(invalid)?,
            resource_id: raw.resource_id,
            resource_name: raw.resource_name,
            resource_type: raw.resource_type,
            request_type: RequestType::from_wire(&raw.request_type.0),
            status: OperationState::from_wire(&raw.status.0),
            reception_time: raw.reception_time,
            commit_time: raw.commit_time.filter(|t| !t.is_empty()),
            error: raw.error,
            request_body: raw.request_body,
        })
    }
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn decode(call: ApiCall, raw: raw::Operation) -> Result<Operation, Error> {
    Operation::from_raw(raw).map_err(|message| Error::undecodable(call, None, message))
}

/// Which operations to list; every field narrows the list. `Default` lists them all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationFilter {
    /// Only this operation.
    pub id: Option<OperationId>,
    /// Only operations on this resource.
    pub resource_id: Option<String>,
    /// Only this kind of change.
    pub request_type: Option<RequestType>,
    /// Only operations in this state.
    pub status: Option<OperationState>,
    /// How many to fetch per request (1 to 100; default 100).
    pub page_size: Option<u8>,
}

impl OperationFilter {
    /// Every operation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only operations on `resource_id`.
    pub fn resource(mut self, resource_id: impl Into<String>) -> Self {
        self.resource_id = Some(resource_id.into());
        self
    }

    /// Only changes of this kind.
    pub fn request_type(mut self, request_type: RequestType) -> Self {
        self.request_type = Some(request_type);
        self
    }

    /// Only operations in this state.
    pub fn status(mut self, status: OperationState) -> Self {
        self.status = Some(status);
        self
    }

    /// Only the operation `id`.
    pub fn id(mut self, id: OperationId) -> Self {
        self.id = Some(id);
        self
    }

    /// Fetch `size` operations per request (clamped to 1..=100).
    pub fn page_size(mut self, size: u8) -> Self {
        self.page_size = Some(size);
        self
    }
}

/// The Operation API of a [`Client`]; from [`Client::operations`].
#[derive(Debug, Clone, Copy)]
pub struct OperationsApi<'a> {
    client: &'a Client,
}

impl<'a> OperationsApi<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        OperationsApi { client }
    }

    /// The operation `id`.
    pub async fn get(&self, id: &OperationId) -> Result<Operation, Error> {
        let raw = self.client.raw();
        let shown = self
            .client
            .execute(SHOW, Idempotency::Read, || {
                raw.show_operation().operation_id(id.as_str()).send()
            })
            .await?;
        decode(SHOW, shown.into_inner().operation)
    }

    /// The operations that `filter` selects, newest first, as a stream that fetches page after
    /// page (offset and limit) as it is read. An error ends the stream.
    ///
    /// ```no_run
    /// # async fn run(client: fic::Client) -> Result<(), fic::Error> {
    /// use futures_util::TryStreamExt as _;
    /// use fic::{OperationFilter, OperationState};
    ///
    /// let failed: Vec<fic::Operation> = client
    ///     .operations()
    ///     .list(OperationFilter::new().status(OperationState::Cancelled))
    ///     .try_collect()
    ///     .await?;
    /// for operation in failed {
    ///     println!("{} {}: {}", operation.id, operation.request_type, operation.error);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(
        &self,
        filter: OperationFilter,
    ) -> impl Stream<Item = Result<Operation, Error>> + Send + 'static {
        let pages = Pages {
            client: self.client.clone(),
            filter,
            offset: 0,
            buffered: VecDeque::new(),
            exhausted: false,
        };
        futures_util::stream::unfold(pages, |mut pages| async move {
            let item = pages.next().await?;
            Some((item, pages))
        })
    }
}

struct Pages {
    client: Client,
    filter: OperationFilter,
    offset: u64,
    buffered: VecDeque<Operation>,
    exhausted: bool,
}

impl Pages {
    async fn next(&mut self) -> Option<Result<Operation, Error>> {
        if self.buffered.is_empty()
            && !self.exhausted
            && let Err(e) = self.fetch().await
        {
            self.exhausted = true;
            return Some(Err(e));
        }
        self.buffered.pop_front().map(Ok)
    }

    async fn fetch(&mut self) -> Result<(), Error> {
        let limit = u64::from(self.filter.page_size.unwrap_or(100)).clamp(1, MAX_PAGE);
        let filter = &self.filter;
        let offset = self.offset;
        let raw = self.client.raw();
        let page = self
            .client
            .execute(LIST, Idempotency::Read, || {
                let mut request = raw.list_operations().offset(offset as i64).limit(limit);
                if let Some(id) = &filter.id {
                    request = request.id(id.as_str());
                }
                if let Some(resource) = &filter.resource_id {
                    request = request.resource_id(resource.clone());
                }
                if let Some(kind) = &filter.request_type {
                    request =
                        request.request_type(raw::OperationRequestType(kind.as_str().to_owned()));
                }
                if let Some(status) = &filter.status {
                    request =
                        request.status(raw::OperationRecordStatus(status.as_str().to_owned()));
                }
                request.send()
            })
            .await?;
        let operations = page.into_inner().operations;
        let received = operations.len() as u64;
        for operation in operations {
            self.buffered.push_back(decode(LIST, operation)?);
        }
        self.offset += received;
        self.exhausted = received < limit || self.offset > MAX_OFFSET;
        Ok(())
    }
}

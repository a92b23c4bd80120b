//! The server's state: tenants, the tokens and Keystone users that act for them, and each
//! tenant's premium plan and operation records, with asynchronous changes that complete when
//! their processing time has passed.
//!
//! Completion is evaluated lazily, whenever a tenant's data is read: no timers, no background
//! tasks, and the state a request sees depends only on the time it arrives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::ids::IdGenerator;

/// The only menu that can be ordered.
pub const PREMIUM_PLAN: &str = "PremiumPlan";
/// The `resourceType` of the premium plan's operations.
pub const RESOURCE_TYPE: &str = "PremiumProfessionalSupportService";
/// The `error` of an operation the mock fails on purpose.
pub const FAILURE_TEXT: &str = "the change could not be processed (fic-mock --fail-operations)";

/// How an asynchronous change ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `operationStatus: Completed` (or, for a delete, the plan is gone).
    Complete,
    /// `operationStatus: Error`, and the operation `Cancelled` with an error text.
    Fail,
}

/// Who may call, and how changes behave.
#[derive(Debug, Clone)]
pub struct Setup {
    /// Static tokens: (token, tenant id).
    pub tokens: Vec<(String, String)>,
    /// Keystone users: (API key, API secret, tenant id).
    pub users: Vec<(String, String, String)>,
    /// The lifetime of tokens issued by Keystone.
    pub token_ttl: Duration,
    /// How long a create or delete stays Processing.
    pub processing: Duration,
    /// How changes end.
    pub outcome: Outcome,
}

/// Shared by every request. Tenants (held by their tokens and users) and users are fixed at start; issued tokens sit behind a
/// read-mostly lock; each tenant's data has its own lock. No lock is held across an await.
#[derive(Debug)]
pub struct State {
    tokens: RwLock<HashMap<String, Grant>>,
    users: HashMap<String, User>,
    token_ttl: Duration,
    processing: Duration,
    outcome: Outcome,
    ids: IdGenerator,
}

#[derive(Debug, Clone)]
struct Grant {
    tenant: Arc<Tenant>,
    /// `None` for static tokens, which never expire.
    expires: Option<Instant>,
}

#[derive(Debug)]
struct User {
    secret: String,
    tenant: Arc<Tenant>,
}

/// One tenant.
#[derive(Debug)]
pub struct Tenant {
    id: String,
    data: Mutex<TenantData>,
}

/// A tenant's plan and its operations (oldest first).
#[derive(Debug, Default)]
pub struct TenantData {
    pub plan: Option<Plan>,
    pub operations: Vec<OperationRecord>,
}

/// A tenant's premium plan.
#[derive(Debug, Clone)]
pub struct Plan {
    pub id: String,
    pub status: Status,
    pub current_menu: &'static str,
    pub menus: Vec<MenuEntry>,
    /// The change still in progress, if any.
    pending: Option<Pending>,
}

/// One entry of a plan's menu history.
#[derive(Debug, Clone)]
pub struct MenuEntry {
    pub menu: &'static str,
    pub start: Option<DateTime<Utc>>,
}

/// The `operationStatus` of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Processing,
    Completed,
    Error,
}

impl Status {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Processing => "Processing",
            Status::Completed => "Completed",
            Status::Error => "Error",
        }
    }
}

/// A change, as the Operation API's `requestType` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Create,
    Delete,
}

impl Change {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Create => "Create",
            Change::Delete => "Delete",
        }
    }
}

/// An operation's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Processing,
    Completed,
    Cancelled,
}

impl Progress {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::Processing => "Processing",
            Progress::Completed => "Completed",
            Progress::Cancelled => "Cancelled",
        }
    }
}

/// One recorded asynchronous change.
#[derive(Debug, Clone)]
pub struct OperationRecord {
    pub id: String,
    pub resource_id: String,
    pub request_type: Change,
    pub status: Progress,
    pub reception_time: DateTime<Utc>,
    pub commit_time: Option<DateTime<Utc>>,
    pub error: &'static str,
    pub request_body: String,
}

#[derive(Debug, Clone)]
struct Pending {
    change: Change,
    operation_id: String,
    done_at: Instant,
    done_at_utc: DateTime<Utc>,
    fails: bool,
}

/// Why a create or delete was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The tenant has no plan with this id.
    NotFound,
    /// The tenant already has a plan (create), or a change is in progress (delete).
    Conflict(String),
}

/// A token issued by Keystone.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub tenant_id: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl State {
    /// The state for `setup`. Tenants are those of its tokens and users.
    pub fn new(setup: Setup) -> Self {
        let mut tenants: HashMap<String, Arc<Tenant>> = HashMap::new();
        let mut tenant = |id: &str| {
            Arc::clone(tenants.entry(id.to_owned()).or_insert_with(|| {
                Arc::new(Tenant {
                    id: id.to_owned(),
                    data: Mutex::new(TenantData::default()),
                })
            }))
        };
        let tokens = setup
            .tokens
            .iter()
            .map(|(token, id)| {
                let grant = Grant {
                    tenant: tenant(id),
                    expires: None,
                };
                (token.clone(), grant)
            })
            .collect();
        let users = setup
            .users
            .iter()
            .map(|(key, secret, id)| {
                let user = User {
                    secret: secret.clone(),
                    tenant: tenant(id),
                };
                (key.clone(), user)
            })
            .collect();
        State {
            tokens: RwLock::new(tokens),
            users,
            token_ttl: setup.token_ttl,
            processing: setup.processing,
            outcome: setup.outcome,
            ids: IdGenerator::default(),
        }
    }

    /// The tenant a token acts for, if the token is known and not expired.
    pub fn tenant(&self, token: &str) -> Option<Arc<Tenant>> {
        let tokens = self.tokens.read().unwrap_or_else(PoisonError::into_inner);
        let grant = tokens.get(token)?;
        match grant.expires {
            Some(expires) if Instant::now() >= expires => None,
            _ => Some(Arc::clone(&grant.tenant)),
        }
    }

    /// Issues a token to the user `key` for the project `project`, if the secret is right and
    /// the project is the user's tenant.
    pub fn issue_token(&self, key: &str, secret: &str, project: &str) -> Option<Issued> {
        let user = self.users.get(key)?;
        if user.secret != secret || user.tenant.id != project {
            return None;
        }
        let token = crate::ids::random_hex32();
        let now = Instant::now();
        let issued_at = Utc::now();
        let ttl = chrono::Duration::from_std(self.token_ttl).unwrap_or(chrono::Duration::MAX);
        let mut tokens = self.tokens.write().unwrap_or_else(PoisonError::into_inner);
        tokens.retain(|_, grant| grant.expires.is_none_or(|at| at > now));
        tokens.insert(
            token.clone(),
            Grant {
                tenant: Arc::clone(&user.tenant),
                expires: Some(now + self.token_ttl),
            },
        );
        Some(Issued {
            token,
            tenant_id: user.tenant.id.clone(),
            issued_at,
            expires_at: issued_at
                .checked_add_signed(ttl)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        })
    }

    /// Forgets every token Keystone issued (static tokens stay), as if they had expired.
    pub fn revoke_issued_tokens(&self) {
        let mut tokens = self.tokens.write().unwrap_or_else(PoisonError::into_inner);
        tokens.retain(|_, grant| grant.expires.is_none());
    }

    /// The tenant's data as of now, with any change whose time has come completed.
    pub fn data<'a>(&self, tenant: &'a Tenant) -> MutexGuard<'a, TenantData> {
        let mut data = tenant.lock();
        settle(&mut data, Instant::now());
        data
    }

    /// Orders the premium plan: the new plan, processing, and the operation id.
    pub fn create(&self, tenant: &Tenant, request_body: &[u8]) -> Result<(Plan, String), Refusal> {
        let mut data = self.data(tenant);
        if let Some(existing) = data.plan.as_ref() {
            return Err(Refusal::Conflict(format!(
                "the tenant already has a premium plan ({}, operationStatus {})",
                existing.id,
                existing.status.as_str()
            )));
        }
        let id = self.ids.plan_id();
        let (pending, operation) = self.start(Change::Create, &id, request_body);
        let plan = Plan {
            id,
            status: Status::Processing,
            current_menu: PREMIUM_PLAN,
            menus: vec![MenuEntry {
                menu: PREMIUM_PLAN,
                start: None,
            }],
            pending: Some(pending),
        };
        let operation_id = operation.id.clone();
        data.plan = Some(plan.clone());
        data.operations.push(operation);
        settle(&mut data, Instant::now());
        Ok((plan, operation_id))
    }

    /// Ends the plan `id`: the plan as the 202 shows it, and the operation id.
    pub fn delete(&self, tenant: &Tenant, id: &str) -> Result<(Plan, String), Refusal> {
        let mut data = self.data(tenant);
        let Some(plan) = data.plan.as_mut().filter(|p| p.id == id) else {
            return Err(Refusal::NotFound);
        };
        if plan.pending.is_some() {
            return Err(Refusal::Conflict(format!(
                "plan {id} has a change in progress; try again when it is done"
            )));
        }
        let (pending, operation) = self.start(Change::Delete, id, b"");
        plan.status = Status::Processing;
        plan.pending = Some(pending);
        let shown = plan.clone();
        let operation_id = operation.id.clone();
        data.operations.push(operation);
        settle(&mut data, Instant::now());
        Ok((shown, operation_id))
    }

    fn start(&self, change: Change, resource_id: &str, body: &[u8]) -> (Pending, OperationRecord) {
        let now = Utc::now();
        let processing =
            chrono::Duration::from_std(self.processing).unwrap_or(chrono::Duration::MAX);
        let operation = OperationRecord {
            id: self.ids.operation_id(),
            resource_id: resource_id.to_owned(),
            request_type: change,
            status: Progress::Processing,
            reception_time: now,
            commit_time: None,
            error: "",
            request_body: String::from_utf8_lossy(body).into_owned(),
        };
        let pending = Pending {
            change,
            operation_id: operation.id.clone(),
            done_at: Instant::now() + self.processing,
            done_at_utc: now
                .checked_add_signed(processing)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            fails: self.outcome == Outcome::Fail,
        };
        (pending, operation)
    }
}

impl Tenant {
    /// The tenant id (32 lowercase hex).
    pub fn id(&self) -> &str {
        &self.id
    }

    fn lock(&self) -> MutexGuard<'_, TenantData> {
        // A panic while the lock was held leaves data that is still well-formed: carry on.
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Completes the pending change of the tenant's plan if its time has come, and its operation.
fn settle(data: &mut TenantData, now: Instant) {
    let Some(plan) = data.plan.as_mut() else {
        return;
    };
    let Some(pending) = plan.pending.take_if(|p| now >= p.done_at) else {
        return;
    };
    if let Some(operation) = data
        .operations
        .iter_mut()
        .rev()
        .find(|o| o.id == pending.operation_id)
    {
        operation.commit_time = Some(pending.done_at_utc);
        if pending.fails {
            operation.status = Progress::Cancelled;
            operation.error = FAILURE_TEXT;
        } else {
            operation.status = Progress::Completed;
        }
    }
    match (pending.change, pending.fails) {
        (_, true) => plan.status = Status::Error,
        (Change::Create, false) => {
            plan.status = Status::Completed;
            for entry in plan.menus.iter_mut().filter(|e| e.start.is_none()) {
                entry.start = Some(pending.done_at_utc);
            }
        }
        (Change::Delete, false) => data.plan = None,
    }
}

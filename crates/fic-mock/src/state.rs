//! The server's state: tenants (each known by its token) and each tenant's premium plan, with
//! asynchronous changes that complete when their processing time has passed.
//!
//! Completion is evaluated lazily, whenever a plan is read: no timers, no background tasks, and
//! the state a request sees depends only on the time it arrives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::ids::IdGenerator;

/// The only menu that can be ordered.
pub const PREMIUM_PLAN: &str = "PremiumPlan";

/// How an asynchronous change ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `operationStatus: Completed` (or, for a delete, the plan is gone).
    Complete,
    /// `operationStatus: Error`.
    Fail,
}

/// Shared by every request: configuration and tenants. Only each tenant's plan is mutable, under
/// that tenant's own lock, which is never held across an await.
#[derive(Debug)]
pub struct State {
    tenants: HashMap<String, Arc<Tenant>>,
    processing: Duration,
    outcome: Outcome,
    ids: IdGenerator,
}

/// One tenant.
#[derive(Debug)]
pub struct Tenant {
    id: String,
    plan: Mutex<Option<Plan>>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Create,
    Delete,
}

#[derive(Debug, Clone)]
struct Pending {
    change: Change,
    done_at: Instant,
    done_at_utc: DateTime<Utc>,
    outcome_fails: bool,
}

/// Why a create or delete was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The tenant has no plan with this id.
    NotFound,
    /// The tenant already has a plan (create), or a change is in progress (delete).
    Conflict(String),
}

impl State {
    /// A state with `tenants` as (token, tenant id) pairs.
    pub fn new(
        tenants: impl IntoIterator<Item = (String, String)>,
        processing: Duration,
        outcome: Outcome,
    ) -> Self {
        let tenants = tenants
            .into_iter()
            .map(|(token, id)| {
                let tenant = Tenant {
                    id,
                    plan: Mutex::new(None),
                };
                (token, Arc::new(tenant))
            })
            .collect();
        State {
            tenants,
            processing,
            outcome,
            ids: IdGenerator::default(),
        }
    }

    /// The tenant a token belongs to.
    pub fn tenant(&self, token: &str) -> Option<&Arc<Tenant>> {
        self.tenants.get(token)
    }

    /// The tenant's plan as of now, with any change whose time has come completed.
    pub fn plan<'a>(&self, tenant: &'a Tenant) -> MutexGuard<'a, Option<Plan>> {
        let mut slot = tenant.lock();
        settle(&mut slot, Instant::now());
        slot
    }

    /// Orders the premium plan: the new plan, processing, and the operation id.
    pub fn create(&self, tenant: &Tenant) -> Result<(Plan, String), Refusal> {
        let mut slot = self.plan(tenant);
        if let Some(existing) = slot.as_ref() {
            return Err(Refusal::Conflict(format!(
                "the tenant already has a premium plan ({}, operationStatus {})",
                existing.id,
                existing.status.as_str()
            )));
        }
        let plan = Plan {
            id: self.ids.plan_id(),
            status: Status::Processing,
            current_menu: PREMIUM_PLAN,
            menus: vec![MenuEntry {
                menu: PREMIUM_PLAN,
                start: None,
            }],
            pending: Some(self.pending(Change::Create)),
        };
        *slot = Some(plan.clone());
        settle(&mut slot, Instant::now());
        Ok((plan, self.ids.operation_id()))
    }

    /// Ends the plan `id`: the plan as the 202 shows it, and the operation id.
    pub fn delete(&self, tenant: &Tenant, id: &str) -> Result<(Plan, String), Refusal> {
        let mut slot = self.plan(tenant);
        let Some(plan) = slot.as_mut().filter(|p| p.id == id) else {
            return Err(Refusal::NotFound);
        };
        if plan.pending.is_some() {
            return Err(Refusal::Conflict(format!(
                "plan {id} has a change in progress; try again when it is done"
            )));
        }
        plan.status = Status::Processing;
        plan.pending = Some(self.pending(Change::Delete));
        let shown = plan.clone();
        settle(&mut slot, Instant::now());
        Ok((shown, self.ids.operation_id()))
    }

    fn pending(&self, change: Change) -> Pending {
        let processing =
            chrono::Duration::from_std(self.processing).unwrap_or(chrono::Duration::MAX);
        Pending {
            change,
            done_at: Instant::now() + self.processing,
            done_at_utc: Utc::now()
                .checked_add_signed(processing)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            outcome_fails: self.outcome == Outcome::Fail,
        }
    }
}

impl Tenant {
    /// The tenant id (32 lowercase hex).
    pub fn id(&self) -> &str {
        &self.id
    }

    fn lock(&self) -> MutexGuard<'_, Option<Plan>> {
        // A panic while the lock was held leaves a plan that is still well-formed: carry on.
        self.plan.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Completes the pending change of the plan in `slot` if its time has come.
fn settle(slot: &mut Option<Plan>, now: Instant) {
    let Some(plan) = slot.as_mut() else { return };
    let Some(pending) = plan.pending.as_ref().filter(|p| now >= p.done_at) else {
        return;
    };
    let (change, fails, done_at) = (pending.change, pending.outcome_fails, pending.done_at_utc);
    plan.pending = None;
    match (change, fails) {
        (_, true) => plan.status = Status::Error,
        (Change::Create, false) => {
            plan.status = Status::Completed;
            for entry in plan.menus.iter_mut().filter(|e| e.start.is_none()) {
                entry.start = Some(done_at);
            }
        }
        (Change::Delete, false) => *slot = None,
    }
}

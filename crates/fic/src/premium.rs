//! The premium plan operations: list, get, create, delete, and the declarative `current`,
//! `ensure_premium` and `ensure_basic`.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use fic_eri_api::types as raw;
use futures_core::Stream;

use crate::client::Client;
use crate::error::{ApiCall, Error, InvalidInput};
use crate::id::PremiumSupportId;
use crate::model::{Menu, OperationStatus, PremiumSupport};
use crate::retry::{Idempotency, is_ambiguous_create_failure};
use crate::wait::{Goal, Observed, Poll, Waiter};

const LIST: ApiCall = ApiCall {
    method: "GET",
    path: "/v1/premium-professional-support-services",
};
const CREATE: ApiCall = ApiCall {
    method: "POST",
    path: "/v1/premium-professional-support-services",
};
const SHOW: ApiCall = ApiCall {
    method: "GET",
    path: "/v1/premium-professional-support-services/{id}",
};
const DELETE: ApiCall = ApiCall {
    method: "DELETE",
    path: "/v1/premium-professional-support-services/{id}",
};

/// The premium plan operations of a [`Client`]; from [`Client::premium_support`].
#[derive(Debug, Clone, Copy)]
pub struct PremiumSupportApi<'a> {
    client: &'a Client,
}

fn decode(
    op: ApiCall,
    raw: raw::PremiumProfessionalSupportService,
) -> Result<PremiumSupport, Error> {
    PremiumSupport::from_raw(raw).map_err(|message| Error::undecodable(op, None, message))
}

impl<'a> PremiumSupportApi<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        PremiumSupportApi { client }
    }

    /// The tenant's plans (at most one).
    pub async fn list(&self) -> Result<Vec<PremiumSupport>, Error> {
        self.list_where(None).await
    }

    /// The tenant's plans with id `id` (at most one).
    pub async fn list_by_id(&self, id: &PremiumSupportId) -> Result<Vec<PremiumSupport>, Error> {
        self.list_where(Some(id)).await
    }

    async fn list_where(
        &self,
        id: Option<&PremiumSupportId>,
    ) -> Result<Vec<PremiumSupport>, Error> {
        let raw = self.client.raw();
        let listed = self
            .client
            .execute(LIST, Idempotency::Read, || {
                let mut request = raw.list_premium_professional_support_services();
                if let Some(id) = id {
                    request = request.id(id.as_str());
                }
                request.send()
            })
            .await?;
        listed
            .into_inner()
            .premium_professional_support_services
            .into_iter()
            .map(|plan| decode(LIST, plan))
            .collect()
    }

    /// The plan `id`. A plan that does not exist (or is another tenant's) is an error for which
    /// [`Error::is_not_found`] holds.
    pub async fn get(&self, id: &PremiumSupportId) -> Result<PremiumSupport, Error> {
        let raw = self.client.raw();
        let shown = self
            .client
            .execute(SHOW, Idempotency::Read, || {
                raw.show_premium_professional_support_service()
                    .id(id.as_str())
                    .send()
            })
            .await?;
        decode(SHOW, shown.into_inner().professional_support_service)
    }

    /// The tenant's plan, if it has one (in any state).
    pub async fn current(&self) -> Result<Option<PremiumSupport>, Error> {
        Ok(self.list().await?.into_iter().next())
    }

    /// Orders `menu` (only [`Menu::PremiumPlan`] can be ordered; anything else fails before
    /// sending). FIC answers at once with the plan `Processing`; the returned handle waits for it.
    ///
    /// A create is never sent twice. When it fails in a way that leaves unclear whether FIC
    /// took the order (the connection broke, or a 5xx), the tenant's plan is looked up before
    /// reporting: if there is one, that is the order, and it is returned.
    ///
    /// ```no_run
    /// # async fn run(client: fic::Client) -> Result<(), fic::Error> {
    /// let pending = client.premium_support().create(fic::Menu::PremiumPlan).await?;
    /// println!("ordered {}", pending.resource().id);
    /// let plan = pending.wait().await?; // Completed
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create(&self, menu: Menu) -> Result<PendingCreate, Error> {
        if menu != Menu::PremiumPlan {
            return Err(InvalidInput::new(
                "currentMenu",
                Some(menu.as_str()),
                "PremiumPlan, the only menu that can be ordered",
            )
            .into());
        }
        let body = raw::PremiumProfessionalSupportServiceCreateRequest {
            premium_professional_support_service: raw::PremiumProfessionalSupportServiceCreate {
                current_menu: raw::Menu(menu.as_str().to_owned()),
            },
        };
        let raw = self.client.raw();
        let sent = self
            .client
            .execute(CREATE, Idempotency::Create, || {
                raw.create_premium_professional_support_service()
                    .body(body.clone())
                    .send()
            })
            .await;
        match sent {
            Ok(accepted) => Ok(PendingCreate {
                client: self.client.clone(),
                resource: decode(CREATE, accepted.into_inner().professional_support_service)?,
            }),
            Err(e) if is_ambiguous_create_failure(&e) => match self.current().await {
                Ok(Some(plan)) => {
                    tracing::warn!(error = %e, id = %plan.id, "the create failed ambiguously, but the plan exists: it is this order");
                    Ok(PendingCreate {
                        client: self.client.clone(),
                        resource: plan,
                    })
                }
                _ => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// Ends the plan `id` (and the options tied to it). FIC answers at once with the plan
    /// `Processing`; the returned handle waits until it is gone.
    ///
    /// A delete that is retried after an unclear failure and then meets 404 or 409 (the first
    /// attempt got through) is reconciled by reading the plan, not reported as an error.
    pub async fn delete(&self, id: &PremiumSupportId) -> Result<PendingDelete, Error> {
        let raw = self.client.raw();
        let mut attempts = 0;
        let sent = self
            .client
            .execute(DELETE, Idempotency::Delete, || {
                attempts += 1;
                raw.delete_premium_professional_support_service()
                    .id(id.as_str())
                    .send()
            })
            .await;
        let pending = |resource| PendingDelete {
            client: self.client.clone(),
            id: id.clone(),
            resource,
        };
        match sent {
            Ok(accepted) => Ok(pending(Some(decode(
                DELETE,
                accepted.into_inner().professional_support_service,
            )?))),
            Err(e) if attempts > 1 && (e.is_not_found() || e.is_conflict()) => {
                match self.get(id).await {
                    Ok(plan) if plan.status == OperationStatus::Processing => {
                        Ok(pending(Some(plan)))
                    }
                    Err(gone) if gone.is_not_found() => Ok(pending(None)),
                    _ => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Converges on the tenant having the premium plan: orders it only when there is none (a
    /// plan being created is waited for, not ordered again), and by default waits until it is
    /// `Completed`. Idempotent, and safe to run concurrently.
    ///
    /// ```no_run
    /// # async fn run(client: fic::Client) -> Result<(), fic::Error> {
    /// let ensured = client.premium_support().ensure_premium().await?;
    /// println!("changed: {}, plan: {:?}", ensured.changed, ensured.plan);
    /// # Ok(())
    /// # }
    /// ```
    pub fn ensure_premium(&self) -> Ensure<'a> {
        Ensure::new(*self, Target::Premium)
    }

    /// Converges on the tenant having no premium plan (the free Basic menu): deletes the plan
    /// only when there is one, and by default waits until it is gone.
    pub fn ensure_basic(&self) -> Ensure<'a> {
        Ensure::new(*self, Target::Basic)
    }
}

/// A create FIC accepted; [`PendingCreate::wait`] waits for the plan to be `Completed`.
#[derive(Debug, Clone)]
pub struct PendingCreate {
    client: Client,
    resource: PremiumSupport,
}

impl PendingCreate {
    /// The plan as the 202 answer showed it (`Processing`).
    pub fn resource(&self) -> &PremiumSupport {
        &self.resource
    }

    /// Waits, with the client's wait policy, until the plan is `Completed`.
    /// `operationStatus: Error` is [`Error::OperationFailed`]; running out of time is
    /// [`Error::WaitTimeout`].
    pub async fn wait(self) -> Result<PremiumSupport, Error> {
        self.wait_within(None).await
    }

    /// Like [`PendingCreate::wait`], giving up after `max`.
    pub async fn wait_for(self, max: Duration) -> Result<PremiumSupport, Error> {
        self.wait_within(Some(max)).await
    }

    pub(crate) async fn wait_within(self, max: Option<Duration>) -> Result<PremiumSupport, Error> {
        self.waiter(max).finish().await.and_then(present)
    }

    /// Every poll of the wait, as a stream (for progress displays); it ends with the poll
    /// that ends the wait.
    pub fn progress(
        self,
        max: Option<Duration>,
    ) -> impl Stream<Item = Result<Poll, Error>> + Send + 'static {
        self.waiter(max).into_stream()
    }

    fn waiter(self, max: Option<Duration>) -> Waiter {
        let operation = self.resource.operation_id;
        Waiter::new(
            self.client,
            self.resource.id,
            operation,
            Goal::Completed,
            max,
        )
    }
}

fn present(poll: Poll) -> Result<PremiumSupport, Error> {
    match poll.observed {
        Observed::Present(plan) => Ok(plan),
        Observed::Gone => Err(Error::Config(
            "the waiter ended on a missing plan".to_owned(),
        )),
    }
}

/// A delete FIC accepted; [`PendingDelete::wait`] waits until the plan is gone.
#[derive(Debug, Clone)]
pub struct PendingDelete {
    client: Client,
    id: PremiumSupportId,
    resource: Option<PremiumSupport>,
}

impl PendingDelete {
    /// The plan being deleted.
    pub fn id(&self) -> &PremiumSupportId {
        &self.id
    }

    /// The plan as the 202 answer showed it (`None` when a retried delete found it already gone).
    pub fn resource(&self) -> Option<&PremiumSupport> {
        self.resource.as_ref()
    }

    /// Waits, with the client's wait policy, until FIC answers 404 for the plan.
    pub async fn wait(self) -> Result<(), Error> {
        self.wait_within(None).await
    }

    /// Like [`PendingDelete::wait`], giving up after `max`.
    pub async fn wait_for(self, max: Duration) -> Result<(), Error> {
        self.wait_within(Some(max)).await
    }

    pub(crate) async fn wait_within(self, max: Option<Duration>) -> Result<(), Error> {
        self.waiter(max).finish().await.map(drop)
    }

    /// Every poll of the wait, as a stream; it ends with the poll that ends the wait.
    pub fn progress(
        self,
        max: Option<Duration>,
    ) -> impl Stream<Item = Result<Poll, Error>> + Send + 'static {
        self.waiter(max).into_stream()
    }

    fn waiter(self, max: Option<Duration>) -> Waiter {
        let operation = self.resource.and_then(|r| r.operation_id);
        Waiter::new(self.client, self.id, operation, Goal::Gone, max)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Premium,
    Basic,
}

/// A convergence in progress; `.await` it (or call [`Ensure::send`]).
#[derive(Debug)]
#[must_use = "an Ensure does nothing until it is awaited"]
pub struct Ensure<'a> {
    api: PremiumSupportApi<'a>,
    target: Target,
    wait: bool,
    max_wait: Option<Duration>,
}

/// What a convergence found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ensured {
    /// The tenant's plan afterwards (`None`: no plan, the Basic menu). Without waiting, the plan
    /// as the change left it.
    pub plan: Option<PremiumSupport>,
    /// True when this call ordered or deleted a plan.
    pub changed: bool,
}

/// How many times a convergence re-reads the state after losing a race (a 409) before giving up.
const MAX_ROUNDS: u32 = 5;

impl<'a> Ensure<'a> {
    fn new(api: PremiumSupportApi<'a>, target: Target) -> Self {
        Ensure {
            api,
            target,
            wait: true,
            max_wait: None,
        }
    }

    /// Returns as soon as the change is accepted, without waiting for it.
    pub fn no_wait(mut self) -> Self {
        self.wait = false;
        self
    }

    /// Waits at most `max` for each change (instead of the wait policy's maximum).
    pub fn timeout(mut self, max: Duration) -> Self {
        self.max_wait = Some(max);
        self
    }

    /// Converges.
    pub async fn send(self) -> Result<Ensured, Error> {
        let api = self.api;
        let client = api.client;
        let mut changed = false;
        let mut round = 0;
        loop {
            round += 1;
            let current = api.current().await?;
            let outcome = match (self.target, current) {
                (Target::Basic, None) => {
                    return Ok(Ensured {
                        plan: None,
                        changed,
                    });
                }
                (Target::Premium, Some(plan)) if plan.status == OperationStatus::Completed => {
                    return Ok(Ensured {
                        plan: Some(plan),
                        changed,
                    });
                }
                (Target::Premium, Some(plan)) if plan.status == OperationStatus::Error => {
                    return Err(Error::OperationFailed {
                        resource: Box::new(plan),
                        operation: None,
                    });
                }
                (_, Some(plan)) if !plan.status.is_terminal() => {
                    // A change is in progress, ours or someone's: let it settle, then look again.
                    if !self.wait {
                        return Ok(Ensured {
                            plan: Some(plan),
                            changed,
                        });
                    }
                    Waiter::new(client.clone(), plan.id, None, Goal::Settled, self.max_wait)
                        .finish()
                        .await?;
                    continue;
                }
                (Target::Premium, _) => match api.create(Menu::PremiumPlan).await {
                    Ok(pending) => {
                        changed = true;
                        if !self.wait {
                            return Ok(Ensured {
                                plan: Some(pending.resource),
                                changed,
                            });
                        }
                        let plan = pending.wait_within(self.max_wait).await?;
                        return Ok(Ensured {
                            plan: Some(plan),
                            changed,
                        });
                    }
                    Err(e) => e,
                },
                (Target::Basic, Some(plan)) => match api.delete(&plan.id).await {
                    Ok(pending) => {
                        changed = true;
                        if !self.wait {
                            return Ok(Ensured {
                                plan: pending.resource,
                                changed,
                            });
                        }
                        pending.wait_within(self.max_wait).await?;
                        return Ok(Ensured {
                            plan: None,
                            changed,
                        });
                    }
                    Err(e) => e,
                },
            };
            // Lost a race (another caller changed the plan meanwhile): look again.
            if (outcome.is_conflict() || outcome.is_not_found()) && round < MAX_ROUNDS {
                tracing::debug!(error = %outcome, round, "lost a race; reading the plan again");
                continue;
            }
            return Err(outcome);
        }
    }
}

impl<'a> IntoFuture for Ensure<'a> {
    type Output = Result<Ensured, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

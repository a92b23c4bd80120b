//! The SDK against the project's mock FIC server over loopback HTTP, in virtual time.

use std::time::Duration;

use fic::clock::VirtualClock;
use fic::{
    Client, Menu, Observed, OperationStatus, PremiumSupportId, RetryPolicy, Token, WaitPolicy,
};
use fic_mock::{Config, MockServer};
use futures_util::StreamExt as _;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const TENANT: &str = "db8b0e40743f460685040c46167cf19e";
const LONG: Duration = Duration::from_secs(3600);

async fn mock(config: Config) -> MockServer {
    MockServer::start(config.tenant(TOKEN, TENANT))
        .await
        .expect("the mock starts")
}

fn client(mock: &MockServer, clock: &VirtualClock) -> Client {
    Client::builder()
        .endpoint(mock.endpoint())
        .token(Token::new(TOKEN).expect("valid"))
        .clock(clock.clone())
        .wait_policy(WaitPolicy::default().jitter(false))
        .build()
        .expect("a client")
}

#[tokio::test]
async fn full_lifecycle() {
    let mock = mock(Config::default().processing(Duration::ZERO)).await;
    let clock = VirtualClock::new();
    let plans_api = client(&mock, &clock);
    let plans = plans_api.premium_support();

    assert_eq!(plans.list().await.expect("list"), []);
    assert_eq!(plans.current().await.expect("current"), None);

    let pending = plans.create(Menu::PremiumPlan).await.expect("create");
    let accepted = pending.resource().clone();
    assert_eq!(accepted.status, OperationStatus::Processing);
    assert!(accepted.operation_id.is_some());
    assert_eq!(accepted.tenant_id.as_str(), TENANT);
    assert_eq!(accepted.menus[0].start, None);

    let plan = pending.wait().await.expect("completes");
    assert_eq!(plan.id, accepted.id);
    assert_eq!(plan.status, OperationStatus::Completed);
    assert!(plan.menus[0].start.is_some());
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(2)],
        "one poll, after the initial delay"
    );

    assert_eq!(plans.get(&plan.id).await.expect("get"), plan);
    assert_eq!(
        plans.list_by_id(&plan.id).await.expect("list by id"),
        std::slice::from_ref(&plan)
    );
    let other = PremiumSupportId::parse("F000000000000").expect("valid");
    assert_eq!(plans.list_by_id(&other).await.expect("list by id"), []);
    assert_eq!(plans.current().await.expect("current"), Some(plan.clone()));

    let second = plans
        .create(Menu::PremiumPlan)
        .await
        .expect_err("one plan per tenant");
    assert!(second.is_conflict(), "{second}");
    assert!(
        second
            .body()
            .is_some_and(|b| b.text().contains("already has a premium plan")),
        "{second}"
    );

    let deleting = plans.delete(&plan.id).await.expect("delete");
    assert_eq!(
        deleting.resource().map(|p| p.status.clone()),
        Some(OperationStatus::Processing)
    );
    deleting.wait().await.expect("gone");
    let gone = plans.get(&plan.id).await.expect_err("gone");
    assert!(gone.is_not_found(), "{gone}");
    assert_eq!(plans.current().await.expect("current"), None);
}

#[tokio::test]
async fn invalid_input_is_refused_before_any_request() {
    let mock = mock(Config::default()).await;
    let clock = VirtualClock::new();
    let plans_api = client(&mock, &clock);
    let plans = plans_api.premium_support();
    for bad in ["X520123456789", "F12", ""] {
        let err = PremiumSupportId::parse(bad).expect_err(bad);
        assert_eq!(err.field(), "id");
        assert!(err.to_string().contains("F followed by 12 digits"), "{err}");
    }
    let err = plans
        .create(Menu::Other("GoldPlan".into()))
        .await
        .expect_err("not orderable");
    assert!(err.is_invalid_input(), "{err}");
    assert_eq!(
        err.to_string(),
        "invalid currentMenu \"GoldPlan\": expected PremiumPlan, the only menu that can be ordered"
    );
    assert_eq!(mock.requests(), 0, "nothing was sent");
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized_with_the_servers_message() {
    let mock = mock(Config::default()).await;
    let client = Client::builder()
        .endpoint(mock.endpoint())
        .token(Token::new("ffffffffffffffffffffffffffffffff").expect("valid"))
        .build()
        .expect("a client");
    let err = client.premium_support().list().await.expect_err("401");
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let shown = err.to_string();
    assert!(
        shown.starts_with(
            "GET /v1/premium-professional-support-services failed: HTTP 401 Unauthorized: "
        ),
        "{shown}"
    );
    assert!(shown.contains("unknown or expired X-Auth-Token"), "{shown}");
    assert!(
        !shown.contains("ffffffff"),
        "the token is not in the error: {shown}"
    );
}

#[tokio::test]
async fn a_failed_operation_is_a_typed_error_carrying_the_resource() {
    let mock = mock(
        Config::default()
            .processing(Duration::ZERO)
            .fail_operations(true),
    )
    .await;
    let clock = VirtualClock::new();
    let client = client(&mock, &clock);
    let pending = client
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect("accepted");
    let err = pending.wait().await.expect_err("ends in Error");
    assert!(err.is_operation_failed(), "{err}");
    assert_eq!(
        err.resource().map(|p| p.status.clone()),
        Some(OperationStatus::Error)
    );
    // The Operation API's record of the change says why.
    assert_eq!(err.failure(), Some(fic_mock::FAILURE_TEXT));
    assert!(
        err.to_string().ends_with(&format!(
            "ended in status Error: {}",
            fic_mock::FAILURE_TEXT
        )),
        "{err}"
    );
}

#[tokio::test]
async fn a_wait_that_runs_out_polls_at_the_deadline_and_says_how_long() {
    let mock = mock(Config::default().processing(LONG)).await;
    let clock = VirtualClock::new();
    let client = client(&mock, &clock);
    let pending = client
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect("accepted");
    let err = pending
        .wait_for(Duration::from_secs(60))
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err}");
    let fic::Error::WaitTimeout {
        elapsed,
        polls,
        last,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    // Without jitter: polls after 2, 2, 4, 8, 16, 30 s; the last one is cut to land on 60 s.
    assert_eq!(*polls, 6);
    assert_eq!(*elapsed, Duration::from_secs(60));
    let secs: Vec<u64> = clock.sleeps().iter().map(Duration::as_secs).collect();
    assert_eq!(secs, [2, 2, 4, 8, 16, 28]);
    assert_eq!(
        last.as_ref().map(|p| p.status.clone()),
        Some(OperationStatus::Processing)
    );
    assert_eq!(
        err.to_string().split(" (last").next(),
        Some(&*format!(
            "gave up waiting for premium plan {} after 60.0 s and 6 polls",
            last.as_ref().map(|p| p.id.to_string()).unwrap_or_default()
        ))
    );
}

#[tokio::test]
async fn progress_streams_every_poll() {
    let mock = mock(Config::default().processing(Duration::ZERO)).await;
    let clock = VirtualClock::new();
    let client = client(&mock, &clock);
    let plans = client.premium_support();
    let pending = plans.create(Menu::PremiumPlan).await.expect("accepted");
    let polls: Vec<_> = pending.progress(None).collect().await;
    assert_eq!(polls.len(), 1);
    let poll = polls[0].as_ref().expect("a poll");
    assert!(poll.done && poll.polls == 1 && poll.elapsed == Duration::from_secs(2));
    let Observed::Present(plan) = &poll.observed else {
        panic!("{poll:?}")
    };
    assert_eq!(plan.status, OperationStatus::Completed);

    let polls: Vec<_> = plans
        .delete(&plan.id)
        .await
        .expect("accepted")
        .progress(None)
        .collect()
        .await;
    assert!(
        matches!(polls.as_slice(), [Ok(p)] if p.done && p.observed == Observed::Gone),
        "{polls:?}"
    );
}

#[tokio::test]
async fn ensure_converges_idempotently() {
    let mock = mock(Config::default().processing(Duration::ZERO)).await;
    let clock = VirtualClock::new();
    let client = client(&mock, &clock);
    let plans = client.premium_support();

    let first = plans.ensure_premium().await.expect("ensured");
    assert!(first.changed);
    let plan = first.plan.clone().expect("a plan");
    assert_eq!(plan.status, OperationStatus::Completed);
    let again = plans.ensure_premium().await.expect("ensured");
    assert!(!again.changed);
    assert_eq!(again.plan, Some(plan));

    let basic = plans.ensure_basic().await.expect("ensured");
    assert!(basic.changed && basic.plan.is_none());
    let again = plans.ensure_basic().await.expect("ensured");
    assert!(!again.changed);
    assert_eq!(plans.current().await.expect("current"), None);
}

#[tokio::test]
async fn concurrent_ensures_order_exactly_once() {
    let mock = mock(Config::default().processing(Duration::from_millis(50))).await;
    let client = Client::builder()
        .endpoint(mock.endpoint())
        .token(Token::new(TOKEN).expect("valid"))
        .wait_policy(
            WaitPolicy::default()
                .initial_delay(Duration::from_millis(20))
                .delays(Duration::from_millis(20), Duration::from_millis(40)),
        )
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client");
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.premium_support().ensure_premium().await })
        })
        .collect();
    let mut changed = 0;
    let mut ids = Vec::new();
    for task in tasks {
        let ensured = task.await.expect("the task runs").expect("ensured");
        changed += usize::from(ensured.changed);
        let plan = ensured.plan.expect("a plan");
        assert_eq!(plan.status, OperationStatus::Completed);
        ids.push(plan.id);
    }
    assert_eq!(changed, 1, "exactly one caller ordered");
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");

    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.premium_support().ensure_basic().await })
        })
        .collect();
    let mut changed = 0;
    for task in tasks {
        let ensured = task.await.expect("the task runs").expect("ensured");
        changed += usize::from(ensured.changed);
        assert_eq!(ensured.plan, None);
    }
    assert_eq!(changed, 1, "exactly one caller deleted");
}

#[test]
fn the_client_and_its_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let client = Client::builder()
        .token(Token::new(TOKEN).expect("valid"))
        .build()
        .expect("a client");
    send_sync(&client);
    let plans = client.premium_support();
    let id = PremiumSupportId::parse("F520123456789").expect("valid");
    send(&plans.list());
    send(&plans.get(&id));
    send(&plans.create(Menu::PremiumPlan));
    send(&plans.delete(&id));
    send(&std::future::IntoFuture::into_future(
        plans.ensure_premium(),
    ));
}

#[test]
fn debug_output_never_shows_the_token() {
    let client = Client::builder()
        .token(Token::new(TOKEN).expect("valid"))
        .build()
        .expect("a client");
    let shown = format!(
        "{client:?} {:?}",
        Client::builder().token(Token::new(TOKEN).expect("valid"))
    );
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

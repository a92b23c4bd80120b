//! Keystone credentials over real HTTP: tokens fetched lazily, cached, shared, refreshed at
//! expiry and once on a 401, never leaked.

use std::time::Duration;

use fic::clock::VirtualClock;
use fic::{Client, Credentials, Menu, RetryPolicy, Secret, TenantId};
use fic_mock::{Config, MockServer};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const KEY: &str = "my-api-key";
const SECRET: &str = "5ecre7-5ecre7-5ecre7";
const TENANT: &str = "db8b0e40743f460685040c46167cf19e";

async fn mock(config: Config) -> MockServer {
    MockServer::start(config.user(KEY, SECRET, TENANT).processing(Duration::ZERO))
        .await
        .expect("the mock starts")
}

fn credentials(auth_url: String, secret: &str) -> Credentials {
    Credentials::new(
        KEY,
        Secret::new(secret).expect("valid"),
        TenantId::parse(TENANT).expect("valid"),
    )
    .auth_url(auth_url)
}

fn client(mock: &MockServer, clock: &VirtualClock) -> Client {
    Client::builder()
        .endpoint(mock.endpoint())
        .credentials(credentials(mock.auth_url(), SECRET))
        .clock(clock.clone())
        .build()
        .expect("a client")
}

#[tokio::test]
async fn tokens_are_fetched_lazily_and_cached() {
    let mock = mock(Config::default()).await;
    let client = client(&mock, &VirtualClock::new());
    assert_eq!(
        mock.token_requests(),
        0,
        "nothing is fetched before it is needed"
    );
    let plans = client.premium_support();
    assert_eq!(plans.list().await.expect("list"), []);
    plans.ensure_premium().await.expect("ensured");
    client
        .clone()
        .premium_support()
        .current()
        .await
        .expect("current");
    assert_eq!(
        mock.token_requests(),
        1,
        "one token serves every call and every clone"
    );
}

#[tokio::test]
async fn a_token_is_refreshed_shortly_before_it_expires() {
    let mock = mock(Config::default().token_ttl(Duration::from_secs(3600))).await;
    let clock = VirtualClock::new();
    let client = client(&mock, &clock);
    client.premium_support().list().await.expect("list");
    clock.advance(Duration::from_secs(3000));
    client.premium_support().list().await.expect("list");
    assert_eq!(mock.token_requests(), 1, "still fresh");
    // A minute before its hour is up, the token is due.
    clock.advance(Duration::from_secs(541));
    client.premium_support().list().await.expect("list");
    assert_eq!(mock.token_requests(), 2);
}

#[tokio::test]
async fn concurrent_first_calls_fetch_one_token() {
    let mock = mock(Config::default()).await;
    let client = client(&mock, &VirtualClock::new());
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.premium_support().list().await })
        })
        .collect();
    for task in tasks {
        task.await.expect("the task runs").expect("list");
    }
    assert_eq!(mock.token_requests(), 1);
    assert_eq!(mock.requests(), 16);
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_retries_even_a_create() {
    let mock = mock(Config::default()).await;
    let client = client(&mock, &VirtualClock::new());
    let plans = client.premium_support();
    plans.list().await.expect("list");
    mock.revoke_issued_tokens();
    let pending = plans
        .create(Menu::PremiumPlan)
        .await
        .expect("created after a refresh");
    pending.wait().await.expect("completed");
    assert_eq!(mock.token_requests(), 2);
    // list, the refused create, the create again, one poll.
    assert_eq!(mock.requests(), 4);
    assert_eq!(
        plans.list().await.expect("list").len(),
        1,
        "exactly one order"
    );
}

#[tokio::test]
async fn a_401_after_a_refresh_is_reported_not_retried_forever() {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/keystone/v3/auth/tokens"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-Subject-Token", "0123456789abcdef0123456789abcdef")
                .set_body_json(
                    serde_json::json!({"token": {"expires_at": "2999-01-01T00:00:00.000000Z"}}),
                ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/fic-eri/v1/premium-professional-support-services"))
        .respond_with(ResponseTemplate::new(401).set_body_string("no"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .endpoint(format!("{}/fic-eri", server.uri()))
        .credentials(credentials(format!("{}/keystone/v3", server.uri()), SECRET))
        .retry_policy(RetryPolicy::default())
        .build()
        .expect("a client");
    let err = client.premium_support().list().await.expect_err("401");
    assert!(err.is_unauthorized(), "{err}");
    let received = server.received_requests().await.unwrap_or_default();
    let tokens = received
        .iter()
        .filter(|r| r.url.path().starts_with("/keystone"))
        .count();
    assert_eq!(
        (tokens, received.len() - tokens),
        (2, 2),
        "one refresh, one retry"
    );
}

#[tokio::test]
async fn wrong_credentials_are_unauthorized_without_leaking_the_secret() {
    let mock = mock(Config::default()).await;
    let wrong = "not-the-5ecre7";
    let client = Client::builder()
        .endpoint(mock.endpoint())
        .credentials(credentials(mock.auth_url(), wrong))
        .build()
        .expect("a client");
    let err = client.premium_support().list().await.expect_err("refused");
    assert!(err.is_unauthorized(), "{err}");
    let shown = format!("{err} {err:?} {client:?}");
    assert!(
        shown.starts_with("POST /auth/tokens failed: HTTP 401"),
        "{shown}"
    );
    assert!(!shown.contains(wrong) && !shown.contains(SECRET), "{shown}");
    assert_eq!(mock.requests(), 0, "nothing reached FIC");
}

#[test]
fn a_token_and_credentials_together_are_refused() {
    let err = Client::builder()
        .token(fic::Token::new("0123456789abcdef0123456789abcdef").expect("valid"))
        .credentials(credentials(
            "http://127.0.0.1:9/keystone/v3".to_owned(),
            SECRET,
        ))
        .build()
        .expect_err("ambiguous");
    assert!(err.to_string().contains("choose one"), "{err}");
}

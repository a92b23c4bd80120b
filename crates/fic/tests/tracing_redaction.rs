//! Everything the SDK traces, at TRACE level, through a whole lifecycle and its error paths:
//! spans and events are there, and the token is not.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fic::clock::VirtualClock;
use fic::{Client, Menu, PremiumSupportId, Token};
use fic_mock::{Config, MockServer};

const TOKEN: &str = "5ec2e75ec2e75ec2e75ec2e75ec2e7aa";
const TENANT: &str = "db8b0e40743f460685040c46167cf19e";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures everything traced on this thread, at TRACE level, spans included, until the guard
/// drops.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(
            &self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
        .into_owned()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_token_never_appears_in_trace_output() {
    let (captured, _guard) = capture();

    let mock = MockServer::start(
        Config::default()
            .tenant(TOKEN, TENANT)
            .processing(Duration::ZERO),
    )
    .await
    .expect("the mock starts");
    let client = Client::builder()
        .endpoint(mock.endpoint())
        .token(Token::new(TOKEN).expect("valid"))
        .clock(VirtualClock::new())
        .build()
        .expect("a client");
    tracing::debug!(?client, "client built");
    let plans = client.premium_support();
    let plan = plans
        .create(Menu::PremiumPlan)
        .await
        .expect("create")
        .wait()
        .await
        .expect("done");
    plans.get(&plan.id).await.expect("get");
    let conflict = plans.create(Menu::PremiumPlan).await.expect_err("409");
    tracing::error!(error = %conflict, debug = ?conflict, "reported");
    plans
        .delete(&plan.id)
        .await
        .expect("delete")
        .wait()
        .await
        .expect("gone");
    plans.ensure_premium().await.expect("ensure premium");
    plans.ensure_basic().await.expect("ensure basic");
    let missing = plans
        .get(&PremiumSupportId::parse("F000000000000").expect("valid"))
        .await
        .expect_err("404");
    tracing::error!(error = %missing, debug = ?missing, "reported");

    let output = captured.text();
    assert!(output.contains("fic.call"), "the calls are traced");
    assert!(output.contains("fic.attempt"), "the attempts are traced");
    assert!(
        output.contains("path=\"/v1/premium-professional-support-services/{id}\""),
        "{output}"
    );
    assert!(output.contains("status=202"), "statuses are recorded");
    assert!(
        !output.contains(TOKEN),
        "the token leaked into the trace output"
    );
    assert!(
        !output.contains(&TOKEN[..16]),
        "part of the token leaked into the trace output"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_api_secret_never_appears_in_trace_output() {
    const SECRET: &str = "5ecre7-5ecre7-5ecre7";
    let (captured, _guard) = capture();

    let mock = MockServer::start(
        Config::default()
            .user("key", SECRET, TENANT)
            .processing(Duration::ZERO),
    )
    .await
    .expect("the mock starts");
    let credentials = fic::Credentials::new(
        "key",
        fic::Secret::new(SECRET).expect("valid"),
        fic::TenantId::parse(TENANT).expect("valid"),
    )
    .auth_url(mock.auth_url());
    let client = Client::builder()
        .endpoint(mock.endpoint())
        .credentials(credentials)
        .clock(VirtualClock::new())
        .build()
        .expect("a client");
    tracing::debug!(?client, "client built");
    client
        .premium_support()
        .ensure_premium()
        .await
        .expect("premium");
    mock.revoke_issued_tokens();
    client
        .premium_support()
        .ensure_basic()
        .await
        .expect("basic");

    let output = captured.text();
    assert!(output.contains("fic.keystone"), "token fetches are traced");
    assert!(
        !output.contains(SECRET),
        "the API secret leaked into the trace output"
    );
}

//! Faults wiremock cannot make, from a tiny scripted HTTP server on loopback: connections reset
//! before the answer, bodies cut off after the headers, answers that never come. For each, the
//! exact requests made and the outcome; a create is never sent twice.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use fic::clock::VirtualClock;
use fic::{Client, Menu, PremiumSupportId, RetryPolicy, Token};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

const PLAN: &str = r#"{"id":"F520123456789","tenantId":"db8b0e40743f460685040c46167cf19e","operationStatus":"Processing","currentMenu":"PremiumPlan","menus":[{"menu":"PremiumPlan","menuStartDate":null}]}"#;

/// What the server does with one request.
#[derive(Debug, Clone)]
enum Act {
    /// Closes the connection without answering.
    Reset,
    /// Sends the headers of `status` with a long body, a little of it, and closes.
    CutBody(u16),
    /// Never answers.
    Stall,
    /// Answers `status` with `body`.
    Answer(u16, String),
}

/// A server that answers its n-th request with `script[n]` (the last act repeats), recording
/// each request as `METHOD /path`.
struct Scripted {
    endpoint: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Scripted {
    async fn start(script: Vec<Act>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let endpoint = format!(
            "http://{}/fic-eri",
            listener.local_addr().expect("an address")
        );
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        tokio::spawn(async move {
            // Bounded: a test makes a handful of requests.
            for _ in 0..64 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (log, script) = (Arc::clone(&log), script.clone());
                tokio::spawn(serve(stream, log, script));
            }
        });
        Scripted { endpoint, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

async fn serve(mut stream: TcpStream, log: Arc<Mutex<Vec<String>>>, script: Vec<Act>) {
    loop {
        // Read one request: the head, then a Content-Length body.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte).await {
                Ok(1) => head.push(byte[0]),
                _ => return,
            }
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        let length = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse().unwrap_or(0))
            })
            .unwrap_or(0usize);
        let mut body = vec![0u8; length];
        if stream.read_exact(&mut body).await.is_err() {
            return;
        }
        let line: Vec<&str> = head.lines().next().unwrap_or_default().split(' ').collect();
        let act = {
            let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
            log.push(format!(
                "{} {}",
                line.first().unwrap_or(&""),
                line.get(1).unwrap_or(&"")
            ));
            script.get(log.len() - 1).or(script.last()).cloned()
        };
        match act {
            Some(Act::Reset) | None => return,
            Some(Act::CutBody(status)) => {
                let cut = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{{\"professionalSupp"
                );
                let _ = stream.write_all(cut.as_bytes()).await;
                return;
            }
            Some(Act::Stall) => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return;
            }
            Some(Act::Answer(status, body)) => {
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                if stream.write_all(answer.as_bytes()).await.is_err() {
                    return;
                }
            }
        }
    }
}

fn client(server: &Scripted) -> Client {
    Client::builder()
        .endpoint(server.endpoint.clone())
        .token(Token::new("0123456789abcdef0123456789abcdef").expect("valid"))
        .request_timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::default().max_attempts(3).jitter(false))
        .clock(VirtualClock::new())
        .build()
        .expect("a client")
}

fn id() -> PremiumSupportId {
    PremiumSupportId::parse("F520123456789").expect("valid")
}

fn show() -> Act {
    Act::Answer(200, format!("{{\"professionalSupportService\":{PLAN}}}"))
}

fn listed(plans: &str) -> Act {
    Act::Answer(
        200,
        format!("{{\"premiumProfessionalSupportServices\":[{plans}]}}"),
    )
}

const GET_ITEM: &str = "GET /fic-eri/v1/premium-professional-support-services/F520123456789";
const GET_LIST: &str = "GET /fic-eri/v1/premium-professional-support-services";
const POST: &str = "POST /fic-eri/v1/premium-professional-support-services";

#[tokio::test]
async fn a_read_reset_before_the_answer_is_retried() {
    let server = Scripted::start(vec![Act::Reset, show()]).await;
    let plan = client(&server)
        .premium_support()
        .get(&id())
        .await
        .expect("the retry succeeds");
    assert_eq!(plan.id, id());
    assert_eq!(server.seen(), [GET_ITEM, GET_ITEM]);
}

#[tokio::test]
async fn a_read_reset_every_time_gives_up_after_the_attempt_limit() {
    let server = Scripted::start(vec![Act::Reset]).await;
    let err = client(&server)
        .premium_support()
        .get(&id())
        .await
        .expect_err("always reset");
    assert!(matches!(err, fic::Error::Transport { .. }), "{err:?}");
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn a_read_whose_body_is_cut_off_is_retried() {
    let server = Scripted::start(vec![Act::CutBody(200), show()]).await;
    client(&server)
        .premium_support()
        .get(&id())
        .await
        .expect("the retry succeeds");
    assert_eq!(server.seen(), [GET_ITEM, GET_ITEM]);
}

#[tokio::test]
async fn a_read_that_stalls_times_out_and_is_retried() {
    let server = Scripted::start(vec![Act::Stall]).await;
    let err = client(&server)
        .premium_support()
        .get(&id())
        .await
        .expect_err("never answered");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn a_create_reset_before_the_answer_is_not_resent_and_checks_for_the_order() {
    // No order was taken: the reset is reported.
    let server = Scripted::start(vec![Act::Reset, listed("")]).await;
    let err = client(&server)
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect_err("reset");
    assert!(matches!(err, fic::Error::Transport { .. }), "{err:?}");
    assert_eq!(server.seen(), [POST, GET_LIST]);
}

#[tokio::test]
async fn a_create_that_stalls_finds_the_order_it_placed() {
    let server = Scripted::start(vec![Act::Stall, listed(PLAN)]).await;
    let pending = client(&server)
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect("the order was taken");
    assert_eq!(pending.resource().id, id());
    assert_eq!(server.seen(), [POST, GET_LIST]);
}

#[tokio::test]
async fn a_create_whose_202_is_cut_off_finds_the_order_it_placed() {
    let server = Scripted::start(vec![Act::CutBody(202), listed(PLAN)]).await;
    let pending = client(&server)
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect("the order was taken");
    assert_eq!(pending.resource().id, id());
    assert_eq!(server.seen(), [POST, GET_LIST]);
}

#[tokio::test]
async fn a_create_whose_202_is_not_json_finds_the_order_it_placed() {
    let server = Scripted::start(vec![
        Act::Answer(202, "<html>accepted</html>".to_owned()),
        listed(PLAN),
    ])
    .await;
    let pending = client(&server)
        .premium_support()
        .create(Menu::PremiumPlan)
        .await
        .expect("the order was taken");
    assert_eq!(pending.resource().id, id());
    assert_eq!(server.seen(), [POST, GET_LIST]);
}

#[tokio::test]
async fn a_delete_wait_rides_out_a_plan_that_flips_back_to_processing() {
    let completed = PLAN.replace("Processing", "Completed");
    let server = Scripted::start(vec![
        Act::Answer(202, format!("{{\"professionalSupportService\":{PLAN}}}")),
        Act::Answer(
            200,
            format!("{{\"professionalSupportService\":{completed}}}"),
        ),
        show(),
        Act::Answer(404, "{}".to_owned()),
    ])
    .await;
    let client = client(&server);
    client
        .premium_support()
        .delete(&id())
        .await
        .expect("accepted")
        .wait()
        .await
        .expect("gone");
    assert_eq!(server.seen().len(), 4, "the delete and three polls");
}

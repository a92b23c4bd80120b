//! The built `fic` binary end to end, against the mock server in this process: every command in
//! both output formats, every exit code, and the token in no output.

use std::process::{Command, Output};
use std::time::Duration;

use fic_mock::{Config, MockServer};
use serde_json::Value;

const TOKEN: &str = "70c3e070c3e070c3e070c3e070c3e0aa";
const TENANT: &str = "db8b0e40743f460685040c46167cf19e";

async fn mock(config: Config) -> MockServer {
    MockServer::start(config.tenant(TOKEN, TENANT).user(KEY, SECRET, TENANT))
        .await
        .expect("the mock starts")
}

/// Runs `fic ARGS` against `mock` (off the runtime's threads, so the mock keeps serving).
async fn fic(mock: &MockServer, args: &[&str]) -> Output {
    fic_with(mock, args, &[("FIC_TOKEN", TOKEN)]).await
}

const KEY: &str = "my-api-key";
const SECRET: &str = "5ecre7-5ecre7-5ecre7";

/// Runs `fic ARGS` against `mock` with `env` (and no other FIC_ variables).
async fn fic_with(mock: &MockServer, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fic"));
    command
        .args(args)
        .env("FIC_ENDPOINT", mock.endpoint())
        .env_remove("RUST_LOG");
    for name in [
        "FIC_TOKEN",
        "FIC_USERNAME",
        "FIC_PASSWORD",
        "FIC_TENANT_ID",
        "FIC_AUTH_URL",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the runner")
        .expect("fic runs");
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    for secret in [TOKEN, SECRET] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "a secret leaked:\n{stdout}\n{stderr}"
        );
    }
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&output.stdout)))
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

async fn created_id(mock: &MockServer) -> String {
    let out = fic(mock, &["premium-support", "create", "-o", "json"]).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    json(&out)["id"].as_str().expect("an id").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_show_create_delete_in_both_formats() {
    let mock = mock(Config::default().processing(Duration::ZERO)).await;

    let out = fic(&mock, &["premium-support", "list", "-o", "json"]).await;
    assert_eq!(code(&out), 0);
    assert_eq!(json(&out), serde_json::json!([]));
    let out = fic(&mock, &["premium-support", "list"]).await;
    assert!(
        text(&out.stdout).contains("no premium plan"),
        "{}",
        text(&out.stdout)
    );

    let out = fic(&mock, &["premium-support", "create", "-o", "json"]).await;
    assert_eq!(code(&out), 0);
    let created = json(&out);
    assert_eq!(created["operationStatus"], "Processing");
    assert_eq!(created["tenantId"], TENANT);
    assert_eq!(
        created["menus"],
        serde_json::json!([{"menu": "PremiumPlan", "menuStartDate": null}])
    );
    assert!(created["operationId"].is_string());
    let id = created["id"].as_str().expect("an id").to_owned();

    let out = fic(&mock, &["premium-support", "show", &id, "-o", "json"]).await;
    let shown = json(&out);
    assert_eq!(shown["operationStatus"], "Completed");
    assert!(shown.get("operationId").is_none());
    let out = fic(&mock, &["premium-support", "show", &id]).await;
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("MENU START"),
        "{table}"
    );
    assert!(
        lines[1].starts_with(&id) && lines[1].contains("Completed") && lines[1].contains("Z "),
        "{table}"
    );

    let out = fic(
        &mock,
        &["premium-support", "list", "--id", &id, "-o", "json"],
    )
    .await;
    assert_eq!(json(&out).as_array().map(Vec::len), Some(1));

    let out = fic(&mock, &["premium-support", "delete", &id, "-o", "json"]).await;
    assert_eq!(code(&out), 0);
    assert_eq!(json(&out)["operationStatus"], "Processing");
    let out = fic(&mock, &["premium-support", "show", &id]).await;
    assert_eq!(code(&out), 1, "gone: an API error");
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(
            "error: GET /v1/premium-professional-support-services/{id} failed: HTTP 404"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("not found"),
        "the server's body is shown: {stderr}"
    );
    assert!(stderr.lines().count() <= 2, "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_and_delete_wait_for_the_outcome() {
    let mock = mock(Config::default().processing(Duration::ZERO)).await;
    let out = fic(
        &mock,
        &["premium-support", "create", "--wait", "-o", "json"],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(json(&out)["operationStatus"], "Completed");
    assert!(text(&out.stderr).contains("waiting until it is Completed"));
    let id = json(&out)["id"].as_str().expect("an id").to_owned();

    let out = fic(
        &mock,
        &["premium-support", "delete", &id, "--timeout", "1m", "-q"],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "quiet");
    let out = fic(&mock, &["premium-support", "list", "-o", "json"]).await;
    assert_eq!(json(&out), serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_that_times_out_exits_3() {
    let mock = mock(Config::default().processing(Duration::from_secs(3600))).await;
    let out = fic(&mock, &["premium-support", "create", "--timeout", "1s"]).await;
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("gave up waiting"), "{stderr}");
    assert!(
        stderr.contains("the operation continues on the server"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_that_ends_in_error_exits_4() {
    let mock = mock(
        Config::default()
            .processing(Duration::ZERO)
            .fail_operations(true),
    )
    .await;
    let out = fic(&mock, &["premium-support", "create", "--wait"]).await;
    assert_eq!(code(&out), 4, "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ended in status Error"), "{stderr}");
    assert!(
        stderr.contains(fic_mock::FAILURE_TEXT),
        "the operation's error text: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_exits_2_and_sends_nothing() {
    let mock = mock(Config::default()).await;
    for args in [
        vec!["premium-support", "show", "X520123456789"],
        vec!["premium-support", "delete", "F12"],
        vec!["premium-support", "list", "--id", "F5201234567890"],
        vec!["premium-support", "create", "--menu", "GoldPlan"],
        vec!["premium-support", "create", "--timeout", "soon"],
        vec!["premium-support", "frobnicate"],
        vec!["premium-support", "list", "-o", "xml"],
    ] {
        let out = fic(&mock, &args).await;
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out.stderr));
    }
    let out = fic(&mock, &["premium-support", "show", "X520123456789"]).await;
    assert!(
        text(&out.stderr).contains("expected F followed by 12 digits"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(mock.requests(), 0, "nothing was sent");

    let mut command = Command::new(env!("CARGO_BIN_EXE_fic"));
    command
        .args(["premium-support", "list"])
        .env("FIC_ENDPOINT", mock.endpoint())
        .env_remove("FIC_TOKEN");
    let out = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("runner")
        .expect("runs");
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("no token"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_exits_1() {
    let mock = mock(Config::default()).await;
    let out = fic(
        &mock,
        &[
            "premium-support",
            "list",
            "--token",
            "ffffffffffffffffffffffffffffffff",
        ],
    )
    .await;
    assert_eq!(code(&out), 1);
    assert!(
        text(&out.stderr).contains("HTTP 401"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ensure_converges_and_says_whether_it_changed_anything() {
    let mock = mock(Config::default().processing(Duration::ZERO)).await;
    let out = fic(
        &mock,
        &["premium-support", "ensure", "premium", "-o", "json"],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(json(&out)["operationStatus"], "Completed");
    assert!(text(&out.stderr).contains("changed"));
    let out = fic(&mock, &["premium-support", "ensure", "premium"]).await;
    assert!(
        text(&out.stderr).contains("already in the wanted state"),
        "{}",
        text(&out.stderr)
    );
    let out = fic(
        &mock,
        &["premium-support", "ensure", "basic", "--timeout", "1m"],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no premium plan"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_tracing_shows_calls_but_never_the_token() {
    let mock = mock(Config::default().processing(Duration::ZERO)).await;
    let id = created_id(&mock).await;
    let out = fic(&mock, &["-vv", "premium-support", "show", &id]).await;
    assert_eq!(code(&out), 0);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("fic.call"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_green() {
    let mock = mock(Config::default()).await; // unused by the demo, which embeds its own
    let out = fic(&mock, &["demo", "--processing-ms", "200"]).await;
    assert_eq!(
        code(&out),
        0,
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    for step in 1..=8 {
        assert!(stdout.contains(&format!("[{step}/8]")), "{stdout}");
    }
    assert!(stdout.contains("409 Conflict"), "{stdout}");
    assert!(stdout.contains("demo finished"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_are_printed() {
    let mock = mock(Config::default()).await;
    let out = fic(&mock, &["completions", "bash"]).await;
    assert_eq!(code(&out), 0);
    assert!(text(&out.stdout).contains("premium-support"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_waiting_and_names_the_operation_that_continues() {
    use std::io::{BufRead as _, BufReader};
    let mock = mock(Config::default().processing(Duration::from_secs(3600))).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_fic"))
        .args(["premium-support", "create", "--wait"])
        .env("FIC_ENDPOINT", mock.endpoint())
        .env("FIC_TOKEN", TOKEN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("fic starts");
    let stderr = child.stderr.take().expect("piped");
    let pid = child.id().to_string();
    let (status, rest) = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stderr).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        assert!(first.contains("waiting until it is Completed"), "{first}");
        // The first poll is 2 s away: the wait is under way once the note is out.
        std::thread::sleep(Duration::from_millis(300));
        let killed = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let rest: Vec<String> = lines.map_while(Result::ok).collect();
        (child.wait().expect("fic ends"), rest.join("\n"))
    })
    .await
    .expect("the runner");
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(
        rest.starts_with("stopped waiting; the operation continues on the server: premium plan F"),
        "{rest}"
    );
    assert!(rest.contains("(operation "), "{rest}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keystone_credentials_from_flags_or_the_environment() {
    let mock = mock(Config::default().processing(Duration::ZERO)).await;
    let auth_url = mock.auth_url();
    let out = fic_with(
        &mock,
        &[
            "--username",
            KEY,
            "--password",
            SECRET,
            "--tenant-id",
            TENANT,
            "--auth-url",
            &auth_url,
            "premium-support",
            "list",
        ],
        &[],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let env = [
        ("FIC_USERNAME", KEY),
        ("FIC_PASSWORD", SECRET),
        ("FIC_TENANT_ID", TENANT),
        ("FIC_AUTH_URL", auth_url.as_str()),
    ];
    let out = fic_with(
        &mock,
        &["premium-support", "create", "--wait", "-o", "json"],
        &env,
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(json(&out)["operationStatus"], "Completed");
    assert_eq!(mock.token_requests(), 2, "one token per process");

    let wrong = [
        ("FIC_USERNAME", KEY),
        ("FIC_PASSWORD", "wrong"),
        ("FIC_TENANT_ID", TENANT),
        ("FIC_AUTH_URL", auth_url.as_str()),
    ];
    let out = fic_with(&mock, &["premium-support", "list"], &wrong).await;
    assert_eq!(code(&out), 1);
    assert!(
        text(&out.stderr).contains("POST /auth/tokens failed: HTTP 401"),
        "{}",
        text(&out.stderr)
    );
    let out = fic_with(
        &mock,
        &["premium-support", "list", "--tenant-id", "NOT-HEX"],
        &[],
    )
    .await;
    assert_eq!(code(&out), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_list_and_show() {
    let mock = mock(Config::default().processing(Duration::ZERO)).await;
    let id = created_id(&mock).await;
    let out = fic(&mock, &["premium-support", "delete", &id, "--wait", "-q"]).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));

    let out = fic(&mock, &["operations", "list", "-o", "json"]).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let listed = json(&out);
    let operations = listed.as_array().cloned().unwrap_or_default();
    assert_eq!(operations.len(), 2);
    assert_eq!(operations[0]["requestType"], "Delete");
    assert_eq!(operations[1]["requestType"], "Create");
    assert_eq!(operations[1]["resourceId"], id.as_str());
    let create = operations[1]["id"].as_str().unwrap_or_default().to_owned();

    let out = fic(
        &mock,
        &[
            "operations",
            "list",
            "--request-type",
            "Create",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(json(&out).as_array().map(Vec::len), Some(1));
    let out = fic(&mock, &["operations", "list", "--max", "1", "-o", "json"]).await;
    assert_eq!(json(&out).as_array().map(Vec::len), Some(1));

    let out = fic(&mock, &["operations", "show", &create]).await;
    let table = text(&out.stdout);
    assert!(
        table.starts_with("ID") && table.contains("Create") && table.contains("Completed"),
        "{table}"
    );
    let out = fic(&mock, &["operations", "show", "F520123456789"]).await;
    assert_eq!(code(&out), 2);
}

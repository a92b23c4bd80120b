//! The `fic-mock` binary: one JSON start line on stdout, a working server, a clean Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the binary with `args` and reads its start line.
fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fic-mock"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a start line");
    (child, line)
}

async fn ctrl_c(mut child: Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().expect("waitable") {
            assert!(status.success(), "exit status {status}");
            return;
        }
        assert!(Instant::now() < deadline, "fic-mock did not stop on Ctrl-C");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn prints_a_json_start_line_serves_and_stops_on_ctrl_c() {
    let (child, line) = spawn(&["--processing-ms", "0"]);
    let start: serde_json::Value = serde_json::from_str(&line).expect("the start line is JSON");

    let endpoint = start["endpoint"].as_str().expect("an endpoint");
    let user = &start["users"][0];
    assert_eq!(
        user["tenantId"], start["tenants"][0]["tenantId"],
        "one tenant for both"
    );
    let keystone: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/auth/tokens",
            start["authUrl"].as_str().expect("an auth URL")
        ))
        .json(&serde_json::json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {"domain": {"id": "default"},
                "name": user["apiKey"], "password": user["apiSecret"]}}},
            "scope": {"project": {"id": user["tenantId"]}}}}))
        .send()
        .await
        .expect("keystone answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(keystone["token"]["project"]["id"], user["tenantId"]);
    let tenant = &start["tenants"][0];
    let token = tenant["token"].as_str().expect("a generated token");
    assert!(
        fic_mock::is_hex32(token)
            && fic_mock::is_hex32(tenant["tenantId"].as_str().unwrap_or_default())
    );

    let http = reqwest::Client::new();
    let created: serde_json::Value = http
        .post(format!("{endpoint}/v1/premium-professional-support-services"))
        .header("X-Auth-Token", token)
        .json(&serde_json::json!({"premiumProfessionalSupportService": {"currentMenu": "PremiumPlan"}}))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        created["professionalSupportService"]["tenantId"],
        tenant["tenantId"]
    );

    ctrl_c(child).await;
}

#[tokio::test]
async fn configured_tokens_are_not_printed() {
    let token = "c0ffeec0ffeec0ffeec0ffeec0ffee00";
    let (child, line) = spawn(&[
        "--token",
        &format!("{token}:db8b0e40743f460685040c46167cf19e"),
    ]);
    assert!(!line.contains(token), "{line}");
    assert!(line.contains("db8b0e40743f460685040c46167cf19e"), "{line}");
    ctrl_c(child).await;
}

#[test]
fn malformed_users_are_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_fic-mock"))
        .args(["--listen", "127.0.0.1:0", "--user", "key:secret"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("API_KEY:API_SECRET:TENANT"));
}

#[test]
fn malformed_tokens_are_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_fic-mock"))
        .args(["--listen", "127.0.0.1:0", "--token", "secret-token:not-hex"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("32 lowercase hex"), "{stderr}");
}

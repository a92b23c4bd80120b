//! `Client::from_env` reads the names NTT's own `fic` CLI uses. The environment of this process
//! cannot be changed safely while other tests run, so the test runs itself again as a child
//! process with the variables set, against a mock served by the parent.

use std::process::Command;
use std::time::Duration;

use fic_mock::{Config, MockServer};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const TENANT: &str = "db8b0e40743f460685040c46167cf19e";
const CHILD: &str = "FIC_FROM_ENV_CHILD";
const VARS: [&str; 6] = [
    "FIC_TOKEN",
    "FIC_USERNAME",
    "FIC_PASSWORD",
    "FIC_TENANT_ID",
    "FIC_AUTH_URL",
    "FIC_ENDPOINT",
];

/// Runs this test in a child process with `env`; the child's outcome.
async fn child(env: Vec<(&'static str, String)>) -> (bool, String) {
    let mut command = Command::new(std::env::current_exe().expect("the test binary"));
    command
        .args(["--exact", "from_env_reads_the_fic_cli_names", "--nocapture"])
        .env(CHILD, "1");
    for var in VARS {
        command.env_remove(var);
    }
    command.envs(env);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the runner")
        .expect("the child runs");
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), said)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_env_reads_the_fic_cli_names() {
    if std::env::var(CHILD).is_ok() {
        // The child: whatever the environment says, it must work, or say why not.
        match fic::Client::from_env() {
            Ok(client) => {
                let plans = client
                    .premium_support()
                    .list()
                    .await
                    .expect("the call works");
                println!("CHILD-OK {}", plans.len());
            }
            Err(e) => println!("CHILD-ERR {e}"),
        }
        return;
    }
    let mock = MockServer::start(
        Config::default()
            .tenant(TOKEN, TENANT)
            .user("key", "secret", TENANT)
            .processing(Duration::ZERO),
    )
    .await
    .expect("the mock starts");

    let (ok, said) = child(vec![
        ("FIC_TOKEN", TOKEN.to_owned()),
        ("FIC_ENDPOINT", mock.endpoint()),
    ])
    .await;
    assert!(ok && said.contains("CHILD-OK 0"), "{said}");

    let credentials = vec![
        ("FIC_USERNAME", "key".to_owned()),
        ("FIC_PASSWORD", "secret".to_owned()),
        ("FIC_TENANT_ID", TENANT.to_owned()),
        ("FIC_AUTH_URL", mock.auth_url()),
        ("FIC_ENDPOINT", mock.endpoint()),
    ];
    let (ok, said) = child(credentials).await;
    assert!(ok && said.contains("CHILD-OK 0"), "{said}");
    assert_eq!(mock.token_requests(), 1);

    let (_, said) = child(vec![("FIC_ENDPOINT", mock.endpoint())]).await;
    assert!(
        said.contains("CHILD-ERR invalid client configuration: no credentials: set FIC_TOKEN"),
        "{said}"
    );
    let (_, said) = child(vec![
        ("FIC_USERNAME", "key".to_owned()),
        ("FIC_PASSWORD", "secret".to_owned()),
        ("FIC_TENANT_ID", "NOT-HEX".to_owned()),
    ])
    .await;
    assert!(
        said.contains("CHILD-ERR invalid tenantId \"NOT-HEX\""),
        "{said}"
    );
}

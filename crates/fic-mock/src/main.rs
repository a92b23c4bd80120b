//! `fic-mock`: run the mock FIC server from the command line.
//!
//! On start it prints one line of JSON on stdout with the endpoint and the tenants, so scripts can
//! read it; with no `--token`, it generates one token and tenant and includes the token.

#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use fic_mock::{Config, MockServer};

/// A stateful mock of FIC's Premium Professional Support Services API.
#[derive(Debug, Parser)]
#[command(name = "fic-mock", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A token and the tenant it acts for, as TOKEN:TENANT (repeatable). With none, one is generated.
    #[arg(long = "token", value_name = "TOKEN:TENANT", value_parser = parse_token)]
    tokens: Vec<(String, String)>,
    /// A Keystone user, as API_KEY:API_SECRET:TENANT (repeatable). With none, one is generated.
    #[arg(long = "user", value_name = "KEY:SECRET:TENANT", value_parser = parse_user)]
    users: Vec<(String, String, String)>,
    /// How long tokens issued by Keystone stay valid, in seconds.
    #[arg(long, default_value_t = 3600)]
    token_ttl_s: u64,
    /// How long a create or delete stays Processing, in milliseconds.
    #[arg(long, default_value_t = 3000)]
    processing_ms: u64,
    /// End every create and delete in operationStatus Error instead of completing.
    #[arg(long)]
    fail_operations: bool,
}

fn parse_token(value: &str) -> Result<(String, String), String> {
    let (token, tenant) = value.split_once(':').ok_or("expected TOKEN:TENANT")?;
    if token.is_empty() {
        return Err("the token is empty".to_owned());
    }
    if !fic_mock::is_hex32(tenant) {
        return Err("the tenant id must be 32 lowercase hex digits".to_owned());
    }
    Ok((token.to_owned(), tenant.to_owned()))
}

fn parse_user(value: &str) -> Result<(String, String, String), String> {
    let mut parts = value.splitn(3, ':');
    let (Some(key), Some(secret), Some(tenant)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("expected API_KEY:API_SECRET:TENANT".to_owned());
    };
    if key.is_empty() || secret.is_empty() {
        return Err("the API key and secret must not be empty".to_owned());
    }
    if !fic_mock::is_hex32(tenant) {
        return Err("the tenant id must be 32 lowercase hex digits".to_owned());
    }
    Ok((key.to_owned(), secret.to_owned(), tenant.to_owned()))
}

/// A future that completes on Ctrl-C (SIGINT), with the handler installed before it returns.
#[cfg(unix)]
fn interrupt_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    let mut signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    Ok(async move {
        signal.recv().await;
    })
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
fn interrupt_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();

    // What is not configured is generated, for one tenant: the configured one, or a new one.
    let tenant = args
        .tokens
        .first()
        .map(|(_, t)| t.clone())
        .or_else(|| args.users.first().map(|(_, _, t)| t.clone()))
        .unwrap_or_else(fic_mock::random_hex32);
    let generated_tokens = args.tokens.is_empty();
    let tenants = if generated_tokens {
        vec![(fic_mock::random_hex32(), tenant.clone())]
    } else {
        args.tokens
    };
    let generated_users = args.users.is_empty();
    let users = if generated_users {
        vec![(
            format!("key-{}", &fic_mock::random_hex32()[..12]),
            fic_mock::random_hex32(),
            tenant,
        )]
    } else {
        args.users
    };
    let mut config = Config::default()
        .processing(Duration::from_millis(args.processing_ms))
        .token_ttl(Duration::from_secs(args.token_ttl_s))
        .fail_operations(args.fail_operations);
    for (token, tenant) in &tenants {
        config = config.tenant(token.clone(), tenant.clone());
    }
    for (key, secret, tenant) in &users {
        config = config.user(key.clone(), secret.clone(), tenant.clone());
    }

    let server = match MockServer::bind(config, args.listen).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("fic-mock: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    // Listen for Ctrl-C before saying we are up, so a script that stops us right after reading
    // the start line cannot race the handler.
    let interrupted = match interrupt_signal() {
        Ok(interrupted) => interrupted,
        Err(e) => {
            eprintln!("fic-mock: cannot listen for Ctrl-C: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Secrets given on the command line are the caller's own: only generated ones are shown.
    let tenants: Vec<serde_json::Value> = tenants
        .iter()
        .map(|(token, tenant)| {
            if generated_tokens {
                serde_json::json!({"tenantId": tenant, "token": token})
            } else {
                serde_json::json!({"tenantId": tenant})
            }
        })
        .collect();
    let users: Vec<serde_json::Value> = users
        .iter()
        .map(|(key, secret, tenant)| {
            if generated_users {
                serde_json::json!({"apiKey": key, "apiSecret": secret, "tenantId": tenant})
            } else {
                serde_json::json!({"apiKey": key, "tenantId": tenant})
            }
        })
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "endpoint": server.endpoint(),
            "authUrl": server.auth_url(),
            "tenants": tenants,
            "users": users,
        })
    );

    interrupted.await;
    tracing::info!("shutting down");
    server.shutdown().await;
    ExitCode::SUCCESS
}

//! `fic-mock`: run the mock FIC server from the command line.
//!
//! On start it prints one line of JSON on stdout with the endpoint and the tenants, so scripts can
//! read it; with no `--token`, it generates one token and tenant and includes the token.

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

    let generated = args.tokens.is_empty();
    let tenants = if generated {
        vec![(fic_mock::random_hex32(), fic_mock::random_hex32())]
    } else {
        args.tokens
    };
    let mut config = Config::default()
        .processing(Duration::from_millis(args.processing_ms))
        .fail_operations(args.fail_operations);
    for (token, tenant) in &tenants {
        config = config.tenant(token.clone(), tenant.clone());
    }

    let server = match MockServer::bind(config, args.listen).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("fic-mock: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    // Tokens given on the command line are the caller's own secrets: only generated ones are shown.
    let tenants: Vec<serde_json::Value> = tenants
        .iter()
        .map(|(token, tenant)| {
            if generated {
                serde_json::json!({"tenantId": tenant, "token": token})
            } else {
                serde_json::json!({"tenantId": tenant})
            }
        })
        .collect();
    println!(
        "{}",
        serde_json::json!({"endpoint": server.endpoint(), "tenants": tenants})
    );

    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("fic-mock: cannot wait for Ctrl-C: {e}");
    }
    tracing::info!("shutting down");
    server.shutdown().await;
    ExitCode::SUCCESS
}

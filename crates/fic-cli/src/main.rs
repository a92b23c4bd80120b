//! `fic`: FIC's Premium Professional Support Services from the command line.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser as _;
use fic_cli::args::Cli;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.global.verbose > 0 {
        let level = if cli.global.verbose > 1 {
            "trace"
        } else {
            "debug"
        };
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(format!(
                "fic={level},warn"
            )))
            .with_writer(std::io::stderr)
            .init();
    }
    ExitCode::from(fic_cli::run(cli).await)
}

//! The `fic` command line: FIC's Premium Professional Support Services from a shell, and the
//! project's demo against an embedded mock server.
//!
//! The binary is a thin `main` over [`run`]; the command line itself is [`args::Cli`], exposed
//! so tests can snapshot every command's `--help`.

#![forbid(unsafe_code)]

pub mod args;
mod demo;
mod output;
mod wait;

use std::io::IsTerminal as _;

use clap::CommandFactory as _;
use fic::{Client, Credentials, Secret, Token};

use args::{Cli, Command, Global, Operations, PremiumSupport, State};
pub use output::Ui;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: an API or transport error.
pub const EXIT_API: u8 = 1;
/// Exit code: invalid usage or input; nothing was sent.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: a wait timed out.
pub const EXIT_TIMEOUT: u8 = 3;
/// Exit code: the operation ended in status Error.
pub const EXIT_FAILED: u8 = 4;
/// Exit code: interrupted (Ctrl-C) while waiting.
pub const EXIT_INTERRUPTED: u8 = 130;

/// The clap command, for help and completions.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Why a command did not succeed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The SDK said no.
    Fic(fic::Error),
    /// Usage the parser could not catch (a missing token).
    Usage(String),
    /// Ctrl-C while waiting; the operation goes on.
    Interrupted(String),
    /// FIC behaved otherwise than documented (or the demo could not run).
    Unexpected(String),
}

impl From<fic::Error> for Failure {
    fn from(e: fic::Error) -> Self {
        Failure::Fic(e)
    }
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Fic(e) if e.is_invalid_input() => EXIT_USAGE,
            Failure::Fic(fic::Error::Config(_)) => EXIT_USAGE,
            Failure::Fic(fic::Error::WaitTimeout { .. }) => EXIT_TIMEOUT,
            Failure::Fic(e) if e.is_operation_failed() => EXIT_FAILED,
            Failure::Fic(_) | Failure::Unexpected(_) => EXIT_API,
            Failure::Usage(_) => EXIT_USAGE,
            Failure::Interrupted(_) => EXIT_INTERRUPTED,
        }
    }

    /// One or two lines for stderr.
    fn report(&self) -> String {
        match self {
            Failure::Fic(e @ fic::Error::WaitTimeout { .. }) => {
                format!("error: {e}\nnote: the operation continues on the server")
            }
            Failure::Fic(e) => format!("error: {}", one_line(&e.to_string())),
            Failure::Usage(message) | Failure::Unexpected(message) => format!("error: {message}"),
            Failure::Interrupted(message) => message.clone(),
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs a parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> u8 {
    let ui = Ui::new(
        cli.global.output,
        cli.global.quiet,
        std::io::stderr().is_terminal(),
    );
    let result = match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut command(), "fic", &mut std::io::stdout());
            Ok(())
        }
        Command::Demo(options) => demo::run(options).await,
        Command::PremiumSupport(command) => match client(&cli.global) {
            Ok(client) => premium_support(&client, command, &ui).await,
            Err(failure) => Err(failure),
        },
        Command::Operations(command) => match client(&cli.global) {
            Ok(client) => operations(&client, command, &ui).await,
            Err(failure) => Err(failure),
        },
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(failure) => {
            eprintln!("{}", failure.report());
            failure.exit_code()
        }
    }
}

fn client(global: &Global) -> Result<Client, Failure> {
    let builder = Client::builder().endpoint(global.endpoint.clone());
    let builder = match (
        &global.token,
        &global.username,
        &global.password,
        &global.tenant_id,
    ) {
        (Some(token), ..) => builder.token(Token::new(token.as_str()).map_err(fic::Error::from)?),
        (None, Some(key), Some(secret), Some(tenant)) => {
            let secret = Secret::new(secret.as_str()).map_err(fic::Error::from)?;
            builder.credentials(
                Credentials::new(key.as_str(), secret, tenant.clone())
                    .auth_url(global.auth_url.clone()),
            )
        }
        _ => {
            return Err(Failure::Usage(
                "no token: pass --token (FIC_TOKEN), or --username, --password and --tenant-id \
                 (FIC_USERNAME, FIC_PASSWORD, FIC_TENANT_ID)"
                    .to_owned(),
            ));
        }
    };
    Ok(builder.build()?)
}

async fn operations(client: &Client, command: Operations, ui: &Ui) -> Result<(), Failure> {
    use futures_util::{StreamExt as _, TryStreamExt as _};
    match command {
        Operations::List {
            id,
            resource_id,
            request_type,
            status,
            max,
        } => {
            let mut filter = fic::OperationFilter::new();
            filter.id = id;
            filter.resource_id = resource_id;
            filter.request_type = request_type.as_deref().map(fic::RequestType::from_wire);
            filter.status = status.as_deref().map(fic::OperationState::from_wire);
            let listed: Vec<fic::Operation> = client
                .operations()
                .list(filter)
                .take(max.unwrap_or(usize::MAX))
                .try_collect()
                .await?;
            ui.operations(&listed);
        }
        Operations::Show { id } => ui.operation(&client.operations().get(&id).await?),
    }
    Ok(())
}

async fn premium_support(client: &Client, command: PremiumSupport, ui: &Ui) -> Result<(), Failure> {
    let plans = client.premium_support();
    match command {
        PremiumSupport::List { id } => {
            let listed = match id {
                Some(id) => plans.list_by_id(&id).await?,
                None => plans.list().await?,
            };
            ui.plans(&listed);
        }
        PremiumSupport::Show { id } => ui.plan(&plans.get(&id).await?),
        PremiumSupport::Create { menu, wait } => {
            let pending = plans.create(menu).await?;
            if !wait.enabled() {
                ui.plan(pending.resource());
                return Ok(());
            }
            let note = format!(
                "ordered {}; waiting until it is Completed",
                pending.resource().id
            );
            let plan = wait::created(pending, wait.timeout, &note, ui).await?;
            ui.plan(&plan);
        }
        PremiumSupport::Delete { id, wait } => {
            let pending = plans.delete(&id).await?;
            if let Some(accepted) = pending.resource() {
                ui.plan(accepted);
            }
            if wait.enabled() {
                let note = format!("deleting {id}; waiting until it is gone");
                wait::deleted(pending, wait.timeout, &note, ui).await?;
                ui.note(&format!("{id} is gone"));
            }
        }
        PremiumSupport::Ensure {
            state,
            timeout,
            no_wait,
        } => {
            let mut ensure = match state {
                State::Premium => plans.ensure_premium(),
                State::Basic => plans.ensure_basic(),
            };
            if let Some(timeout) = timeout {
                ensure = ensure.timeout(timeout);
            }
            if no_wait {
                ensure = ensure.no_wait();
            }
            let ensured = ensure.await?;
            ui.note(if ensured.changed {
                "changed"
            } else {
                "already in the wanted state"
            });
            match &ensured.plan {
                Some(plan) => ui.plan(plan),
                None => ui.plans(&[]),
            }
        }
    }
    Ok(())
}

//! The command line, as clap derives it.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use fic::PremiumSupportId;

/// Exit codes, as `--help` and the README document them.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  API or transport error
  2  invalid usage or input (nothing was sent)
  3  a wait timed out (the operation continues on the server)
  4  the operation ended in status Error
  130  interrupted while waiting (the operation continues on the server)";

/// Manage a tenant's FIC Premium Professional Support Services plan.
#[derive(Debug, Parser)]
#[command(name = "fic", version, after_long_help = EXIT_CODES)]
pub struct Cli {
    /// Global options.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The ERI endpoint, including /fic-eri.
    #[arg(long, env = "FIC_ENDPOINT", hide_env_values = true, default_value = fic::DEFAULT_ENDPOINT, global = true)]
    pub endpoint: String,
    /// The API token (X-Auth-Token). Never echoed. Takes precedence over the credentials.
    #[arg(long, env = "FIC_TOKEN", hide_env_values = true, global = true)]
    pub token: Option<String>,
    /// The API key, to get tokens from Keystone (with --password and --tenant-id).
    #[arg(long, env = "FIC_USERNAME", hide_env_values = true, global = true)]
    pub username: Option<String>,
    /// The API secret. Never echoed.
    #[arg(long, env = "FIC_PASSWORD", hide_env_values = true, global = true)]
    pub password: Option<String>,
    /// The tenant (Keystone project) id: 32 lowercase hex digits.
    #[arg(long, env = "FIC_TENANT_ID", hide_env_values = true, global = true, value_parser = parse_tenant)]
    pub tenant_id: Option<fic::TenantId>,
    /// Keystone's identity v3 URL.
    #[arg(long, env = "FIC_AUTH_URL", hide_env_values = true, default_value = fic::DEFAULT_AUTH_URL, global = true)]
    pub auth_url: String,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Output::Table, global = true)]
    pub output: Output,
    /// Print nothing on stderr but errors (no progress, no notes).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Trace HTTP calls on stderr (-v debug, -vv trace). The token is never shown.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned columns, for people.
    Table,
    /// The API's own field names, for scripts.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The tenant's premium plan (Premium Professional Support Services).
    #[command(subcommand)]
    PremiumSupport(PremiumSupport),
    /// The record of every asynchronous change (the Operation API).
    #[command(subcommand)]
    Operations(Operations),
    /// Walk the whole lifecycle against an embedded mock server.
    Demo(Demo),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Premium plan commands.
#[derive(Debug, Subcommand)]
pub enum PremiumSupport {
    /// List the tenant's plans (at most one).
    List {
        /// Only the plan with this id (F followed by 12 digits).
        #[arg(long, value_parser = parse_id)]
        id: Option<PremiumSupportId>,
    },
    /// Show one plan.
    Show {
        /// The plan's id (F followed by 12 digits).
        #[arg(value_parser = parse_id)]
        id: PremiumSupportId,
    },
    /// Order the premium plan.
    Create {
        /// The menu to order.
        #[arg(long, default_value = "PremiumPlan", value_parser = parse_menu)]
        menu: fic::Menu,
        #[command(flatten)]
        wait: Wait,
    },
    /// End a plan (and the options tied to it).
    Delete {
        /// The plan's id (F followed by 12 digits).
        #[arg(value_parser = parse_id)]
        id: PremiumSupportId,
        #[command(flatten)]
        wait: Wait,
    },
    /// Converge on a state: order the plan only if there is none, or delete it only if there is one.
    Ensure {
        /// The state wanted.
        #[arg(value_enum)]
        state: State,
        /// Give up waiting after this long (e.g. 90s, 10m).
        #[arg(long, value_parser = parse_duration)]
        timeout: Option<Duration>,
        /// Return once the change is accepted, without waiting for it.
        #[arg(long)]
        no_wait: bool,
    },
}

/// Operation API commands.
#[derive(Debug, Subcommand)]
pub enum Operations {
    /// List operations, newest first (all pages).
    List {
        /// Only this operation (32 lowercase hex digits).
        #[arg(long, value_parser = parse_operation_id)]
        id: Option<fic::OperationId>,
        /// Only operations on this resource (e.g. F520123456789).
        #[arg(long)]
        resource_id: Option<String>,
        /// Only this kind of change (Create, Update, Delete, Activate, Deactivate).
        #[arg(long)]
        request_type: Option<String>,
        /// Only operations in this state (Processing, Completed, Cancelled).
        #[arg(long)]
        status: Option<String>,
        /// Stop after this many.
        #[arg(long)]
        max: Option<usize>,
    },
    /// Show one operation.
    Show {
        /// The operation's id (32 lowercase hex digits).
        #[arg(value_parser = parse_operation_id)]
        id: fic::OperationId,
    },
}

/// Waiting options of create and delete.
#[derive(Debug, Clone, Copy, Args)]
pub struct Wait {
    /// Wait until the change is done.
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this long (e.g. 90s, 10m; implies --wait).
    #[arg(long, value_parser = parse_duration)]
    pub timeout: Option<Duration>,
}

impl Wait {
    /// Whether to wait at all.
    pub fn enabled(&self) -> bool {
        self.wait || self.timeout.is_some()
    }
}

/// States `ensure` converges on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum State {
    /// The tenant has the premium plan.
    Premium,
    /// The tenant has no premium plan (the free Basic menu).
    Basic,
}

/// The demo's options.
#[derive(Debug, Clone, Copy, Args)]
pub struct Demo {
    /// How long the mock takes to process a create or delete, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    pub processing_ms: u64,
}

fn parse_id(value: &str) -> Result<PremiumSupportId, String> {
    PremiumSupportId::parse(value).map_err(|e| e.to_string())
}

fn parse_operation_id(value: &str) -> Result<fic::OperationId, String> {
    fic::OperationId::parse(value).map_err(|e| e.to_string())
}

fn parse_tenant(value: &str) -> Result<fic::TenantId, String> {
    fic::TenantId::parse(value).map_err(|e| e.to_string())
}

fn parse_menu(value: &str) -> Result<fic::Menu, String> {
    match fic::Menu::from_wire(value) {
        fic::Menu::PremiumPlan => Ok(fic::Menu::PremiumPlan),
        _ => Err("only PremiumPlan can be ordered".to_owned()),
    }
}

fn parse_duration(value: &str) -> Result<Duration, String> {
    humantime::parse_duration(value).map_err(|e| format!("{e} (examples: 90s, 10m, 1h)"))
}

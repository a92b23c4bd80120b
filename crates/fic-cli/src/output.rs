//! What the CLI prints: JSON in the API's own field names for scripts, aligned tables for
//! people, notes on stderr unless quiet.

use chrono::SecondsFormat;
use comfy_table::{Table, presets};
use fic::PremiumSupport;

use crate::args::Output;

/// Where and how the CLI prints.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    output: Output,
    quiet: bool,
    terminal: bool,
}

impl Ui {
    /// A UI printing `output` on stdout; `terminal` says whether stderr is a terminal.
    pub fn new(output: Output, quiet: bool, terminal: bool) -> Self {
        Ui {
            output,
            quiet,
            terminal,
        }
    }

    /// Whether a spinner may be drawn (stderr is a terminal, and not quiet).
    pub(crate) fn spinner_allowed(&self) -> bool {
        self.terminal && !self.quiet
    }

    /// A note on stderr, unless quiet.
    pub(crate) fn note(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// Plans, as a JSON array or a table.
    pub(crate) fn plans(&self, plans: &[PremiumSupport]) {
        match self.output {
            Output::Json => println!("{}", json(&plans)),
            Output::Table => println!("{}", table(plans)),
        }
    }

    /// One plan, as a JSON object or a table.
    pub(crate) fn plan(&self, plan: &PremiumSupport) {
        match self.output {
            Output::Json => println!("{}", json(plan)),
            Output::Table => println!("{}", table(std::slice::from_ref(plan))),
        }
    }
}

impl Ui {
    /// Operations, as a JSON array or a table.
    pub(crate) fn operations(&self, operations: &[fic::Operation]) {
        match self.output {
            Output::Json => println!("{}", json(&operations)),
            Output::Table => println!("{}", operations_table(operations)),
        }
    }

    /// One operation, as a JSON object or a table.
    pub(crate) fn operation(&self, operation: &fic::Operation) {
        match self.output {
            Output::Json => println!("{}", json(operation)),
            Output::Table => println!("{}", operations_table(std::slice::from_ref(operation))),
        }
    }
}

/// Operations in aligned columns.
fn operations_table(operations: &[fic::Operation]) -> String {
    if operations.is_empty() {
        return "no operations".to_owned();
    }
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    table.set_header([
        "ID",
        "TYPE",
        "STATUS",
        "RESOURCE",
        "RECEIVED",
        "COMMITTED",
        "ERROR",
    ]);
    for o in operations {
        let dash = |s: &str| {
            if s.is_empty() {
                "-".to_owned()
            } else {
                s.to_owned()
            }
        };
        table.add_row([
            o.id.to_string(),
            o.request_type.to_string(),
            o.status.to_string(),
            dash(&o.resource_id),
            dash(&o.reception_time),
            dash(o.commit_time.as_deref().unwrap_or_default()),
            dash(&o.error),
        ]);
    }
    finish(table)
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // The model's serialization cannot fail (strings, options, vectors only).
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Aligned columns; times in RFC 3339; `-` for what is not there.
pub(crate) fn table(plans: &[PremiumSupport]) -> String {
    let mut table = aligned(["ID", "TENANT", "STATUS", "MENU", "MENU START", "OPERATION"]);
    for plan in plans {
        let start = plan
            .menus
            .iter()
            .rev()
            .find(|entry| entry.menu == plan.current_menu)
            .and_then(|entry| entry.start)
            .map_or_else(
                || "-".to_owned(),
                |t| t.to_rfc3339_opts(SecondsFormat::Secs, true),
            );
        table.add_row([
            plan.id.to_string(),
            plan.tenant_id.to_string(),
            plan.status.to_string(),
            plan.current_menu.to_string(),
            start,
            plan.operation_id
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string),
        ]);
    }
    if plans.is_empty() {
        return "no premium plan (the tenant is on the Basic menu)".to_owned();
    }
    finish(table)
}

/// A borderless table with `header`, for aligned columns.
fn aligned<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    table.set_header(header);
    table
}

/// The table's text: columns two spaces apart, no trailing blanks.
fn finish(mut table: Table) -> String {
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table.trim_fmt()
}

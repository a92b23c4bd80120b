//! Code generation for the FIC workspace: `spec/` in, `crates/fic-eri-api` out.
//!
//! The transcriptions in `spec/` (the reference page, `premium-professional-support-services.yaml`,
//! and the Operation API, `operation.yaml`), merged, with the recorded fixes applied
//! (`spec/fixes.yaml`), make the *effective spec*; progenitor turns that into the low-level client. Both the effective spec and the client are committed, so a
//! spec change is a reviewable diff, and [`stale`] tells when they are out of date.
//!
//! The library is shared by `cargo xtask codegen` and the workspace's drift tests.

#![forbid(unsafe_code)]

pub mod api;
pub mod error;
pub mod fixes;
pub mod generate;
pub mod spec;
pub mod surface;

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

pub use error::{Error, Result};

/// The transcription of the reference page, relative to the workspace root.
pub const SPEC: &str = "spec/premium-professional-support-services.yaml";
/// The transcription of the Operation API, relative to the workspace root.
pub const OPERATION_SPEC: &str = "spec/operation.yaml";
/// Every transcription, in the order they are merged (the first one's `info` is kept).
pub const SPECS: [&str; 2] = [SPEC, OPERATION_SPEC];
/// The recorded fixes to the merged transcriptions, relative to the workspace root.
pub const FIXES: &str = "spec/fixes.yaml";
/// The effective spec (transcription plus fixes) as written for review, relative to the root.
pub const OPENAPI_JSON: &str = "crates/fic-eri-api/openapi.json";
/// The generated client, relative to the root.
pub const GENERATED_RS: &str = "crates/fic-eri-api/src/generated.rs";

/// The command that brings the generated files up to date.
pub const REGENERATE: &str = "cargo xtask codegen";

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_owned()
}

/// The inputs of generation, as text, with the names they go by in errors.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Each transcription's path (one of [`SPECS`]) and YAML.
    pub specs: Vec<(&'static str, String)>,
    /// The fixes' YAML.
    pub fixes: String,
}

impl Inputs {
    /// Reads the inputs from the workspace at `root`.
    pub fn read(root: &Path) -> Result<Self> {
        let read = |rel: &str| {
            let path = root.join(rel);
            std::fs::read_to_string(&path).map_err(Error::io(rel))
        };
        let specs = SPECS
            .iter()
            .map(|path| Ok((*path, read(path)?)))
            .collect::<Result<_>>()?;
        Ok(Inputs {
            specs,
            fixes: read(FIXES)?,
        })
    }

    /// The YAML of the transcription at `path` (one of [`SPECS`]), to edit a copy in tests.
    pub fn spec_mut(&mut self, path: &str) -> Option<&mut String> {
        self.specs
            .iter_mut()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| text)
    }

    /// The transcriptions, each checked, merged into one document, before any fix.
    pub fn transcription(&self) -> Result<Value> {
        let docs = self
            .specs
            .iter()
            .map(|(path, text)| Ok((*path, spec::parse_yaml(Path::new(path), text)?)))
            .collect::<Result<Vec<_>>>()?;
        spec::merge(docs)
    }

    /// The effective spec: the merged transcriptions with every fix applied, checked to be an
    /// OpenAPI 3.0 document progenitor can take.
    pub fn effective(&self) -> Result<Effective> {
        let mut doc = self.transcription()?;
        let fixes = fixes::parse(Path::new(FIXES), &self.fixes)?;
        fixes::apply(Path::new(FIXES), &fixes, &mut doc)?;
        let openapi = spec::to_openapi(&effective_source(), &doc)?;
        Ok(Effective {
            json: sorted(&doc),
            openapi,
        })
    }
}

/// The effective spec in both forms.
#[derive(Debug, Clone)]
pub struct Effective {
    /// As JSON, keys sorted.
    pub json: Value,
    /// As the typed OpenAPI model.
    pub openapi: OpenAPI,
}

/// One file that generation writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the workspace root.
    pub path: &'static str,
    /// The whole content.
    pub content: String,
}

/// Renders every generated file from `inputs`. Deterministic: equal inputs, equal bytes.
pub fn render(inputs: &Inputs) -> Result<Vec<Output>> {
    let effective = inputs.effective()?;
    let mut openapi_json = serde_json::to_string_pretty(&effective.json)
        .map_err(|e| Error::Syntax(format!("the effective spec does not serialize: {e}")))?;
    openapi_json.push('\n');
    let client = generate::client_source(&effective_source(), &effective.openapi)?;
    Ok(vec![
        Output {
            path: OPENAPI_JSON,
            content: openapi_json,
        },
        Output {
            path: GENERATED_RS,
            content: format!("{}{client}", header()),
        },
    ])
}

/// The header of the generated client.
fn header() -> String {
    format!(
        "// @generated by `{REGENERATE}`; do not edit.\n\
         // Source: {} with the fixes in {FIXES}.\n\
         // To change this client, change the spec, the fixes or the generator settings\n\
         // (xtask/src/generate.rs), then run `{REGENERATE}`.\n\n",
        SPECS.join(" and ")
    )
}

fn effective_source() -> PathBuf {
    PathBuf::from(format!(
        "{} (merged, after the fixes in {FIXES})",
        SPECS.join(" + ")
    ))
}

/// A copy of `value` with every object's keys in sorted order, whatever map type serde_json
/// was built with, so the written spec does not depend on feature unification.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// A generated file whose committed content differs from what generation gives now.
#[derive(Debug, Clone)]
pub struct Stale {
    /// Relative to the workspace root.
    pub path: &'static str,
    /// A unified diff from the committed content to the fresh one.
    pub diff: String,
}

/// Compares `outputs` with the files under `root`; a missing file counts as empty.
pub fn stale(root: &Path, outputs: &[Output]) -> Result<Vec<Stale>> {
    let mut found = Vec::new();
    for output in outputs {
        let committed = match std::fs::read_to_string(root.join(output.path)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io(output.path)(e)),
        };
        if committed != output.content {
            let diff = similar::TextDiff::from_lines(&committed, &output.content)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("a/{} (committed)", output.path),
                    &format!("b/{} (generated)", output.path),
                )
                .to_string();
            found.push(Stale {
                path: output.path,
                diff,
            });
        }
    }
    Ok(found)
}

/// Writes the outputs that differ from what is under `root`; returns the paths written.
pub fn write(root: &Path, outputs: &[Output]) -> Result<Vec<&'static str>> {
    let mut written = Vec::new();
    for stale in stale(root, outputs)? {
        let Some(output) = outputs.iter().find(|o| o.path == stale.path) else {
            continue;
        };
        let path = root.join(output.path);
        std::fs::write(&path, &output.content).map_err(Error::io(output.path))?;
        written.push(output.path);
    }
    Ok(written)
}

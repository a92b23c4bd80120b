//! The recorded fixes (`spec/fixes.yaml`): RFC 6902 JSON Patch operations, each fix with its
//! reason, applied to the transcription in order.
//!
//! Beyond RFC 6902, an `add` may not overwrite a member that already exists: a fix that adds what
//! the upstream document has since gained is stale, and must fail as loudly as one whose target
//! is gone.

use std::collections::BTreeSet;
use std::path::Path;

use json_patch::PatchOperation;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result, StaleFix};

/// One recorded deviation from the transcription.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    /// A short, unique, kebab-case name, used in errors.
    pub id: String,
    /// Why the transcription must change for a correct client.
    pub reason: String,
    /// The change, as JSON Patch operations.
    pub patch: json_patch::Patch,
}

/// Parses the fixes file. Every fix needs a unique id, a reason and at least one operation.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Fix>> {
    let fixes: Vec<Fix> = yaml_serde::from_str(text).map_err(|e| Error::yaml(path, &e))?;
    let mut ids = BTreeSet::new();
    for fix in &fixes {
        let problem = if fix.id.trim().is_empty() {
            Some("a fix has an empty id")
        } else if !ids.insert(fix.id.as_str()) {
            Some("this id is used by an earlier fix")
        } else if fix.reason.trim().is_empty() {
            Some("the fix gives no reason")
        } else if fix.patch.0.is_empty() {
            Some("the fix has no operations")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Error::Yaml {
                path: path.to_owned(),
                message: format!("fix `{}`: {problem}", fix.id),
            });
        }
    }
    Ok(fixes)
}

/// Applies `fixes` to `doc` in order. `path` names the fixes file in errors.
pub fn apply(path: &Path, fixes: &[Fix], doc: &mut Value) -> Result<()> {
    for fix in fixes {
        for (index, op) in fix.patch.0.iter().enumerate() {
            let fail = |message: String| {
                Error::Fix(Box::new(StaleFix {
                    path: path.to_owned(),
                    fix: fix.id.clone(),
                    index,
                    op: op_name(op).to_owned(),
                    pointer: op.path().to_string(),
                    message,
                }))
            };
            if let PatchOperation::Add(add) = op
                && overwrites_member(doc, add.path.as_str())
            {
                return Err(fail(
                    "the target already exists, so `add` would overwrite it".to_owned(),
                ));
            }
            json_patch::patch(doc, std::slice::from_ref(op)).map_err(|e| {
                fail(match e.kind {
                    json_patch::PatchErrorKind::TestFailed => {
                        let found = doc.pointer(op.path().as_str());
                        format!(
                            "the value there is no longer the one the fix corrects (found {})",
                            found.map_or_else(|| "nothing".to_owned(), Value::to_string)
                        )
                    }
                    kind => kind.to_string(),
                })
            })?;
        }
    }
    Ok(())
}

/// True when `pointer` names an existing member of an object (an array index inserts instead).
fn overwrites_member(doc: &Value, pointer: &str) -> bool {
    let Some((parent, _)) = pointer.rsplit_once('/') else {
        return false;
    };
    matches!(doc.pointer(parent), Some(Value::Object(_))) && doc.pointer(pointer).is_some()
}

fn op_name(op: &PatchOperation) -> &'static str {
    match op {
        PatchOperation::Add(_) => "add",
        PatchOperation::Remove(_) => "remove",
        PatchOperation::Replace(_) => "replace",
        PatchOperation::Move(_) => "move",
        PatchOperation::Copy(_) => "copy",
        PatchOperation::Test(_) => "test",
    }
}

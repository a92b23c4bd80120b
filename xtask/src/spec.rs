//! Reading the transcribed spec: YAML syntax, the OpenAPI version, the OpenAPI shape, and the
//! rules progenitor needs (an `operationId` on every operation).

use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Result};

/// Parses a transcription from its YAML text into a JSON document, after checking that it is an
/// OpenAPI 3.0 document the generator can take. `path` names the file in errors.
pub fn parse_yaml(path: &Path, text: &str) -> Result<Value> {
    let doc: Value = yaml_serde::from_str(text).map_err(|e| Error::yaml(path, &e))?;
    check_version(path, &doc)?;
    // Parse the typed form from the YAML text as well: its errors carry line and column.
    let typed: OpenAPI = yaml_serde::from_str(text).map_err(|e| Error::yaml(path, &e))?;
    check_operations(path, &typed)?;
    Ok(doc)
}

/// Turns a JSON document (the transcription with its fixes applied) into the typed OpenAPI
/// model, naming the JSON path of whatever does not fit. `path` names the source in errors.
pub fn to_openapi(path: &Path, doc: &Value) -> Result<OpenAPI> {
    check_version(path, doc)?;
    let typed: OpenAPI = serde_path_to_error::deserialize(doc).map_err(|e| Error::Spec {
        path: path.to_owned(),
        pointer: e.path().to_string(),
        message: e.inner().to_string(),
    })?;
    check_operations(path, &typed)?;
    Ok(typed)
}

/// progenitor 0.15 takes OpenAPI 3.0.x only; 3.1 documents parse differently and must be refused
/// before they give confusing errors.
fn check_version(path: &Path, doc: &Value) -> Result<()> {
    let spec_error = |message: String| Error::Spec {
        path: path.to_owned(),
        pointer: "openapi".to_owned(),
        message,
    };
    match doc.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(()),
        Some(Value::String(v)) => Err(spec_error(format!(
            "OpenAPI {v} is not supported: progenitor 0.15 takes OpenAPI 3.0.x only"
        ))),
        Some(other) => Err(spec_error(format!(
            "expected a version string such as \"3.0.3\", found {other}"
        ))),
        None => Err(spec_error(
            "missing: expected the OpenAPI version (3.0.x)".to_owned(),
        )),
    }
}

/// Every operation needs a unique `operationId`: progenitor names the client's methods after it.
fn check_operations(path: &Path, spec: &OpenAPI) -> Result<()> {
    let mut seen = std::collections::BTreeMap::new();
    for (route, method, operation) in spec.operations() {
        let pointer = format!("paths.{route}.{method}");
        let Some(id) = operation.operation_id.as_deref() else {
            return Err(Error::Spec {
                path: path.to_owned(),
                pointer,
                message: "the operation has no operationId; progenitor names methods after it"
                    .to_owned(),
            });
        };
        if let Some(first) = seen.insert(id.to_owned(), pointer.clone()) {
            return Err(Error::Spec {
                path: path.to_owned(),
                pointer,
                message: format!("operationId `{id}` is already used at `{first}`"),
            });
        }
    }
    Ok(())
}

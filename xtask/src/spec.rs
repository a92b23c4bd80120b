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

/// Merges transcriptions into one document: the first one's `info`, every one's paths and
/// components. They must share their servers; a path, or a component that differs, defined by
/// two of them is an error naming both files.
pub fn merge(docs: Vec<(&str, Value)>) -> Result<Value> {
    let mut docs = docs.into_iter();
    let Some((first_path, mut merged)) = docs.next() else {
        return Ok(Value::Null);
    };
    let mut origin: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for (pointer, _) in members(&merged) {
        origin.insert(pointer, first_path);
    }
    for (path, doc) in docs {
        let spec_error = |pointer: String, message: String| Error::Spec {
            path: path.into(),
            pointer,
            message,
        };
        if doc.get("servers") != merged.get("servers") {
            return Err(spec_error(
                "servers".to_owned(),
                format!("the servers differ from those of {first_path}"),
            ));
        }
        for (pointer, value) in members(&doc) {
            match merged.pointer(&pointer) {
                Some(existing) if existing == value => continue,
                Some(_) => {
                    let first = origin.get(&pointer).copied().unwrap_or(first_path);
                    return Err(spec_error(
                        pointer,
                        format!("also defined, differently, in {first}"),
                    ));
                }
                None => {}
            }
            if !insert(&mut merged, &pointer, value.clone()) {
                return Err(spec_error(
                    pointer,
                    format!("cannot be merged into {first_path}"),
                ));
            }
            origin.insert(pointer, path);
        }
    }
    Ok(merged)
}

/// The mergeable members of a document: each path, and each component of each kind, as
/// (JSON pointer, value).
fn members(doc: &Value) -> Vec<(String, &Value)> {
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    let mut found = Vec::new();
    for (route, item) in doc["paths"].as_object().into_iter().flatten() {
        found.push((format!("/paths/{}", escape(route)), item));
    }
    for (kind, entries) in doc["components"].as_object().into_iter().flatten() {
        for (name, value) in entries.as_object().into_iter().flatten() {
            found.push((
                format!("/components/{}/{}", escape(kind), escape(name)),
                value,
            ));
        }
    }
    found
}

/// Puts `value` at `pointer` in `doc`, making missing parent objects; false when a parent is
/// not an object.
fn insert(doc: &mut Value, pointer: &str, value: Value) -> bool {
    let unescape = |token: &str| token.replace("~1", "/").replace("~0", "~");
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return false;
    };
    let mut here = doc;
    for token in parent.split('/').skip(1) {
        let Some(map) = here.as_object_mut() else {
            return false;
        };
        here = map
            .entry(unescape(token))
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
    match here.as_object_mut() {
        Some(map) => {
            map.insert(unescape(key), value);
            true
        }
        None => false,
    }
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

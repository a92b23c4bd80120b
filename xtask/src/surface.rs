//! A compact, human-readable text of an OpenAPI document's surface: each operation's method,
//! path, parameters, bodies and status codes, and every component schema with its fields, types,
//! constraints and required-ness. Descriptions and examples are left out, so the text changes
//! exactly when what a client can send or receive changes, and a spec update reviews as a small
//! diff of this text.

use std::fmt::Write as _;

use serde_json::{Map, Value};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords that carry no constraint (prose, samples) or that the renderer shows in its
/// own way; every other keyword is listed as `keyword=value`.
const NOT_CONSTRAINTS: [&str; 10] = [
    "description",
    "example",
    "examples",
    "title",
    "type",
    "properties",
    "required",
    "items",
    "externalDocs",
    "$ref",
];

/// Renders the surface of `doc`, an OpenAPI 3.0 document as JSON.
pub fn render(doc: &Value) -> String {
    let mut out = String::new();
    let info = &doc["info"];
    let _ = writeln!(
        out,
        "openapi {} | {} | version {}",
        text(&doc["openapi"]),
        text(&info["title"]),
        text(&info["version"])
    );
    for server in items(&doc["servers"]) {
        let _ = writeln!(out, "server {}", text(&server["url"]));
    }
    render_security(&mut out, doc);

    for (path, item) in entries(&doc["paths"]) {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            out.push('\n');
            let _ = writeln!(
                out,
                "{} {path}  ({})",
                method.to_uppercase(),
                text(&op["operationId"])
            );
            render_operation(&mut out, doc, item, op);
        }
    }

    out.push_str("\nschemas\n");
    for (name, schema) in entries(&doc["components"]["schemas"]) {
        render_named(&mut out, doc, name, schema, None, 1);
    }
    out
}

fn render_security(out: &mut String, doc: &Value) {
    for requirement in items(&doc["security"]) {
        let names: Vec<&str> = entries(requirement)
            .map(|(name, _)| name.as_str())
            .collect();
        let _ = writeln!(out, "security {}", names.join(" + "));
    }
    for (name, scheme) in entries(&doc["components"]["securitySchemes"]) {
        let _ = writeln!(
            out,
            "  scheme {name}: {} in {} named {}",
            text(&scheme["type"]),
            text(&scheme["in"]),
            text(&scheme["name"])
        );
    }
}

fn render_operation(out: &mut String, doc: &Value, item: &Value, op: &Value) {
    if op.get("security").is_some() {
        let names: Vec<String> = items(&op["security"])
            .map(|r| {
                entries(r)
                    .map(|(n, _)| n.clone())
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect();
        let _ = writeln!(out, "  security {}", names.join(" | "));
    }
    let parameters = items(&item["parameters"]).chain(items(&op["parameters"]));
    for parameter in parameters {
        let parameter = resolve(doc, parameter);
        let _ = writeln!(
            out,
            "  {} {}: {}{}",
            text(&parameter["in"]),
            text(&parameter["name"]),
            required_word(parameter["required"].as_bool().unwrap_or(false)),
            type_of(doc, &parameter["schema"])
        );
    }
    if let Some(body) = op.get("requestBody") {
        let body = resolve(doc, body);
        for (media, content) in entries(&body["content"]) {
            let _ = writeln!(
                out,
                "  body {media}: {}{}",
                required_word(body["required"].as_bool().unwrap_or(false)),
                type_of(doc, &content["schema"])
            );
        }
    }
    for (status, response) in entries(&op["responses"]) {
        let response = resolve(doc, response);
        let mut contents = entries(&response["content"]).peekable();
        if contents.peek().is_none() {
            let _ = writeln!(out, "  {status}: no body");
        }
        for (media, content) in contents {
            let _ = writeln!(
                out,
                "  {status} {media}: {}",
                type_of(doc, &content["schema"])
            );
        }
    }
}

/// One schema as `name: type` (a field's with `required` or `optional`), with an object's fields
/// below it, indented.
fn render_named(
    out: &mut String,
    doc: &Value,
    name: &str,
    schema: &Value,
    required: Option<bool>,
    depth: usize,
) {
    let indent = "  ".repeat(depth);
    let word = required.map_or("", required_word);
    let _ = writeln!(out, "{indent}{name}: {word}{}", type_of(doc, schema));
    render_fields(out, doc, schema, depth + 1);
}

fn render_fields(out: &mut String, doc: &Value, schema: &Value, depth: usize) {
    if schema.get("$ref").is_some() {
        return;
    }
    let required: Vec<&str> = items(&schema["required"])
        .filter_map(Value::as_str)
        .collect();
    for (field, field_schema) in entries(&schema["properties"]) {
        let is_required = required.contains(&field.as_str());
        render_named(out, doc, field, field_schema, Some(is_required), depth);
    }
    if let Some(items_schema) = schema.get("items") {
        render_fields(out, doc, items_schema, depth);
    }
}

/// A one-line type: a `$ref` by its name, otherwise the type with its format and constraints.
fn type_of(doc: &Value, schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return if resolve_pointer(doc, reference).is_some() {
            name.to_owned()
        } else {
            format!("{name} (unresolved: {reference})")
        };
    }
    let mut ty = match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!("array<{}>", type_of(doc, &schema["items"])),
        Some(t) => t.to_owned(),
        None => "any".to_owned(),
    };
    if let Some(map) = schema.as_object() {
        for (keyword, value) in map {
            if !NOT_CONSTRAINTS.contains(&keyword.as_str()) && !keyword.starts_with("x-") {
                let _ = write!(ty, " {keyword}={}", compact(value));
            }
        }
    }
    ty
}

fn required_word(required: bool) -> &'static str {
    if required { "required " } else { "optional " }
}

/// A parameter, request body or response, with a `$ref` to a component resolved.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| resolve_pointer(doc, r))
        .unwrap_or(value)
}

fn resolve_pointer<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

fn entries(value: &Value) -> impl Iterator<Item = (&String, &Value)> {
    value.as_object().into_iter().flat_map(Map::iter)
}

fn items(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn text(value: &Value) -> String {
    value.as_str().map_or_else(|| compact(value), str::to_owned)
}

fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

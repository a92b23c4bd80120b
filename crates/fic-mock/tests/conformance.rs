//! Every response the mock sends conforms to the effective spec (crates/fic-eri-api/openapi.json):
//! its status is documented for the operation, and a JSON body validates against the schema the
//! spec gives for that status.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

fn effective_spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fic-eri-api/openapi.json");
    let text = std::fs::read_to_string(path).expect("the effective spec is committed");
    serde_json::from_str(&text).expect("the effective spec is JSON")
}

/// OpenAPI 3.0's `nullable` as JSON Schema: `type: T, nullable: true` becomes `type: [T, "null"]`.
fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> = map
                .iter()
                .map(|(k, v)| (k.clone(), to_json_schema(v)))
                .collect();
            if out.remove("nullable") == Some(Value::Bool(true))
                && let Some(ty) = out.get("type").cloned()
            {
                out.insert("type".to_owned(), json!([ty, "null"]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

struct Checker {
    spec: Value,
    components: Value,
    checked: Vec<String>,
}

impl Checker {
    fn new() -> Self {
        let spec = effective_spec();
        let components = to_json_schema(&spec["components"]);
        Checker {
            spec,
            components,
            checked: Vec::new(),
        }
    }

    /// Asserts that `status` and `body` conform to the spec for `method template`.
    fn check(&mut self, method: &Method, template: &str, status: u16, body: &Value) {
        let op = &self.spec["paths"][template][method.as_str().to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not in the spec");
        let response = &op["responses"][status.to_string()];
        assert!(
            response.is_object(),
            "{method} {template} answered {status}, which the spec does not document: {body}"
        );
        let name = format!("{method} {template} {status}");
        if let Some(schema) = response["content"]
            .get("application/json")
            .map(|c| &c["schema"])
        {
            let schema = json!({"allOf": [to_json_schema(schema)], "components": self.components});
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft7)
                .should_validate_formats(true)
                .build(&schema)
                .expect("the spec's schema compiles");
            let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{name}: {errors:?}\n{body:#}");
        } else {
            // The spec declares error bodies as raw bytes of any media type; the mock's are JSON.
            assert!(
                response["content"].get("*/*").is_some(),
                "{name}: no body is documented"
            );
            assert!(message(body).len() > 3, "{name}: {body}");
        }
        if !self.checked.contains(&name) {
            self.checked.push(name);
        }
    }
}

const LIST: &str = "/v1/premium-professional-support-services";
const ITEM: &str = "/v1/premium-professional-support-services/{id}";
const OPERATIONS: &str = "/v1/operations";
const OPERATION: &str = "/v1/operations/{operation-id}";

#[tokio::test]
async fn every_documented_response_conforms() {
    let mut c = Checker::new();
    for (processing, fail) in [
        (Duration::ZERO, false),
        (Duration::from_secs(600), false),
        (Duration::ZERO, true),
    ] {
        let h = start(config(processing).fail_operations(fail)).await;
        let item = |id: &str| format!("{COLLECTION}/{id}");

        let (s, b) = h.list(TOKEN_A).await;
        c.check(&Method::GET, LIST, s, &b);
        let (s, b) = h
            .call(
                Method::GET,
                &format!("{COLLECTION}?id=bad"),
                Some(TOKEN_A),
                None,
            )
            .await;
        c.check(&Method::GET, LIST, s, &b);
        let (s, b) = h.call(Method::GET, COLLECTION, None, None).await;
        c.check(&Method::GET, LIST, s, &b);

        let (s, b) = h
            .call(Method::POST, COLLECTION, Some(TOKEN_A), Some(json!({})))
            .await;
        c.check(&Method::POST, LIST, s, &b);
        let (s, b) = h
            .call(Method::POST, COLLECTION, None, Some(create_body()))
            .await;
        c.check(&Method::POST, LIST, s, &b);
        let (s, b) = h.create(TOKEN_A).await;
        c.check(&Method::POST, LIST, s, &b);
        let id = b["professionalSupportService"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let (s, b) = h.create(TOKEN_A).await;
        c.check(&Method::POST, LIST, s, &b);

        let (s, b) = h.list(TOKEN_A).await;
        c.check(&Method::GET, LIST, s, &b);
        let (s, b) = h
            .call(
                Method::GET,
                &format!("{COLLECTION}?id={id}"),
                Some(TOKEN_A),
                None,
            )
            .await;
        c.check(&Method::GET, LIST, s, &b);

        for id in [id.as_str(), "F000000000000", "X520123456789"] {
            let (s, b) = h.show(TOKEN_A, id).await;
            c.check(&Method::GET, ITEM, s, &b);
        }
        let (s, b) = h.call(Method::GET, &item(&id), None, None).await;
        c.check(&Method::GET, ITEM, s, &b);

        for id in ["F000000000000", "X520123456789"] {
            let (s, b) = h.delete(TOKEN_A, id).await;
            c.check(&Method::DELETE, ITEM, s, &b);
        }
        let (s, b) = h.call(Method::DELETE, &item(&id), None, None).await;
        c.check(&Method::DELETE, ITEM, s, &b);
        let (s, b) = h.delete(TOKEN_A, &id).await; // 202, or 409 while the create is processing
        c.check(&Method::DELETE, ITEM, s, &b);
        let (s, b) = h.show(TOKEN_A, &id).await; // 200 Processing/Error, or 404 once deleted
        c.check(&Method::GET, ITEM, s, &b);

        // The Operation API: every change above was recorded.
        let (s, b) = h.call(Method::GET, OPERATIONS, Some(TOKEN_A), None).await;
        c.check(&Method::GET, OPERATIONS, s, &b);
        let operation = b["operations"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        for query in ["?limit=0", "?offset=10001", "?id=nothex"] {
            let (s, b) = h
                .call(
                    Method::GET,
                    &format!("{OPERATIONS}{query}"),
                    Some(TOKEN_A),
                    None,
                )
                .await;
            c.check(&Method::GET, OPERATIONS, s, &b);
        }
        let (s, b) = h.call(Method::GET, OPERATIONS, None, None).await;
        c.check(&Method::GET, OPERATIONS, s, &b);
        for id in [
            operation.as_str(),
            "00000000000000000000000000000000",
            "nothex",
        ] {
            let (s, b) = h
                .call(
                    Method::GET,
                    &format!("{OPERATIONS}/{id}"),
                    Some(TOKEN_A),
                    None,
                )
                .await;
            c.check(&Method::GET, OPERATION, s, &b);
        }
        let (s, b) = h
            .call(
                Method::GET,
                &format!("{OPERATIONS}/{operation}"),
                None,
                None,
            )
            .await;
        c.check(&Method::GET, OPERATION, s, &b);
    }

    // Every documented status of every operation was seen and checked, but the 409 the page
    // documents for List and Show: it does not say when a read conflicts, so the mock never does.
    let never_sent = [format!("GET {LIST} 409"), format!("GET {ITEM} 409")];
    let mut documented = Vec::new();
    for (template, item) in c.spec["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            for status in op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(s, _)| s)
            {
                let name = format!("{} {template} {status}", method.to_uppercase());
                if !never_sent.contains(&name) {
                    documented.push(name);
                }
            }
        }
    }
    documented.sort();
    c.checked.sort();
    assert_eq!(c.checked, documented);
}

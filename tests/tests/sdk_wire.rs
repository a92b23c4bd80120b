//! The SDK's wire format: what it sends (every request body and the headers that matter) and
//! what it makes of every sample on the reference page, as snapshots.

use fic::{Client, Menu, PremiumSupportId, RetryPolicy, Token};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const BASE: &str = "/fic-eri/v1/premium-professional-support-services";

/// The example named `name` of `method path status` in the effective spec.
fn sample(doc: &Value, route: &str, verb: &str, status: &str) -> Value {
    let media = &doc["paths"][route][verb]["responses"][status]["content"]["application/json"];
    let examples = media["examples"]
        .as_object()
        .expect("the response has examples");
    examples.values().next().expect("one example")["value"].clone()
}

async fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .endpoint(format!("{}/fic-eri", server.uri()))
        .token(Token::new(TOKEN).expect("valid"))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client")
}

#[tokio::test]
async fn reference_samples_in_the_public_model() {
    let doc = xtask::Inputs::read(&xtask::workspace_root())
        .and_then(|i| i.effective())
        .expect("the spec generates")
        .json;
    let collection = "/v1/premium-professional-support-services";
    let item = "/v1/premium-professional-support-services/{id}";
    let server = MockServer::start().await;
    let client = client_for(&server).await;
    let plans = client.premium_support();
    let id = PremiumSupportId::parse("F520123456789").expect("valid");
    let item_path = format!("{BASE}/{id}");
    let serve = |verb: &'static str, at: String, status: u16, body: Value| {
        Mock::given(method(verb))
            .and(path(at))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
    };
    serve(
        "GET",
        BASE.to_owned(),
        200,
        sample(&doc, collection, "get", "200"),
    )
    .mount(&server)
    .await;
    serve(
        "POST",
        BASE.to_owned(),
        202,
        sample(&doc, collection, "post", "202"),
    )
    .mount(&server)
    .await;
    serve(
        "GET",
        item_path.clone(),
        200,
        sample(&doc, item, "get", "200"),
    )
    .mount(&server)
    .await;
    serve(
        "DELETE",
        item_path,
        202,
        sample(&doc, item, "delete", "202"),
    )
    .mount(&server)
    .await;

    let list = plans.list().await.expect("List sample decodes");
    let created = plans
        .create(Menu::PremiumPlan)
        .await
        .expect("Create sample decodes");
    let shown = plans.get(&id).await.expect("Show sample decodes");
    let deleted = plans.delete(&id).await.expect("Delete sample decodes");
    insta::assert_yaml_snapshot!("list_200", list);
    insta::assert_yaml_snapshot!("create_202", created.resource());
    insta::assert_yaml_snapshot!("show_200", shown);
    insta::assert_yaml_snapshot!("delete_202", deleted.resource());
}

#[tokio::test]
async fn request_wire_format() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let plans = client.premium_support();
    let id = PremiumSupportId::parse("F520123456789").expect("valid");
    let _ = plans.list().await;
    let _ = plans.list_by_id(&id).await;
    let _ = plans.get(&id).await;
    let _ = plans.create(Menu::PremiumPlan).await;
    let _ = plans.delete(&id).await;

    let mut report = String::new();
    for request in server.received_requests().await.unwrap_or_default() {
        let token = request
            .headers
            .get("x-auth-token")
            .and_then(|v| v.to_str().ok());
        assert_eq!(token, Some(TOKEN), "every request carries the token");
        let query = request
            .url
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        report.push_str(&format!(
            "{} {}{query}\n",
            request.method,
            request.url.path()
        ));
        for name in ["accept", "content-type", "api-version"] {
            if let Some(value) = request.headers.get(name).and_then(|v| v.to_str().ok()) {
                report.push_str(&format!("  {name}: {value}\n"));
            }
        }
        if !request.body.is_empty() {
            let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
            report.push_str(&format!("  body: {body}\n"));
        }
    }
    insta::assert_snapshot!(report);
}

#[test]
fn sdk_public_api() {
    let src = xtask::workspace_root().join("crates/fic/src");
    let mut files: Vec<_> = std::fs::read_dir(&src)
        .expect("the SDK's sources")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut report = String::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let skeleton = xtask::api::skeleton(&text).expect("parses");
        if !skeleton.trim().is_empty() {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            report.push_str(&format!("// ---- {name}\n{skeleton}\n"));
        }
    }
    insta::assert_snapshot!(report);
}

//! Every sample on the reference page (the `examples` of the spec) decodes into the generated
//! type its schema names; the decoded values are a snapshot.

use fic_eri_api::types;
use serde_json::Value;

/// Decodes `value` as the generated type named `schema`, or says why not.
fn decode(schema: &str, value: &Value) -> Result<String, String> {
    fn typed<T: serde::de::DeserializeOwned + std::fmt::Debug>(
        v: &Value,
    ) -> Result<String, String> {
        serde_json::from_value::<T>(v.clone())
            .map(|t| format!("{t:#?}"))
            .map_err(|e| e.to_string())
    }
    match schema {
        "PremiumProfessionalSupportServiceList" => {
            typed::<types::PremiumProfessionalSupportServiceList>(value)
        }
        "ProfessionalSupportServiceEnvelope" => {
            typed::<types::ProfessionalSupportServiceEnvelope>(value)
        }
        "PremiumProfessionalSupportServiceCreateRequest" => {
            typed::<types::PremiumProfessionalSupportServiceCreateRequest>(value)
        }
        other => Err(format!(
            "no decoder for schema {other}: add one to this test"
        )),
    }
}

/// Each example of the effective spec as (where it stands, schema name, value).
fn samples(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    let mut visit = |place: String, media: &Value| {
        let schema = media["schema"]["$ref"].as_str().unwrap_or_default();
        let schema = schema.rsplit('/').next().unwrap_or_default().to_owned();
        for (name, example) in media["examples"].as_object().into_iter().flatten() {
            found.push((
                format!("{place} example {name}"),
                schema.clone(),
                example["value"].clone(),
            ));
        }
    };
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let place = format!("{} {path}", method.to_uppercase());
            for (_, media) in op["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
            {
                visit(format!("{place} request"), media);
            }
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                for (_, media) in response["content"].as_object().into_iter().flatten() {
                    visit(format!("{place} {status}"), media);
                }
            }
        }
    }
    found
}

#[test]
fn every_reference_sample_decodes_with_the_generated_types() {
    let inputs = xtask::Inputs::read(&xtask::workspace_root()).expect("spec/ is readable");
    let effective = inputs.effective().expect("the spec generates");
    let samples = samples(&effective.json);
    // The page shows a List 200, a Create request and 202, a Show 200 and a Delete 202.
    assert_eq!(samples.len(), 5, "{samples:#?}");

    let mut report = String::new();
    for (place, schema, value) in &samples {
        let decoded = decode(schema, value).unwrap_or_else(|e| panic!("{place} ({schema}): {e}"));
        report.push_str(&format!("## {place}: {schema}\n{decoded}\n\n"));
    }
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_status_and_menu_values_decode() {
    // The fixes open these enums: a value the page does not list must not break decoding.
    let body = serde_json::json!({"professionalSupportService": {
        "id": "F520123456789", "tenantId": "db8b0e40743f460685040c46167cf19e",
        "operationStatus": "Cancelled", "currentMenu": "Basic",
        "menus": [{"menu": "Basic", "menuStartDate": null}]
    }});
    let decoded: types::ProfessionalSupportServiceEnvelope =
        serde_json::from_value(body).expect("open enums decode unknown values");
    assert_eq!(
        decoded.professional_support_service.operation_status.0,
        "Cancelled"
    );
    assert_eq!(decoded.professional_support_service.current_menu.0, "Basic");
}

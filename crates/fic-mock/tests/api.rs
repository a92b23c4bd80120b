//! The mock over real HTTP: auth, tenants, the resource's rules and every error path.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;

const LONG: Duration = Duration::from_secs(600);

#[tokio::test]
async fn a_missing_or_unknown_token_is_401_on_every_route() {
    let h = start(config(Duration::ZERO)).await;
    let routes = [
        (Method::GET, COLLECTION.to_owned()),
        (Method::POST, COLLECTION.to_owned()),
        (Method::GET, format!("{COLLECTION}/F520123456789")),
        (Method::DELETE, format!("{COLLECTION}/F520123456789")),
    ];
    for (method, path) in routes {
        for token in [None, Some("cccccccccccccccccccccccccccccccc"), Some("")] {
            let (status, body) = h
                .call(method.clone(), &path, token, Some(create_body()))
                .await;
            assert_eq!(status, 401, "{method} {path} {token:?}: {body}");
            assert!(message(&body).contains("X-Auth-Token"), "{body}");
        }
    }
    // Nothing was created by the refused calls.
    assert_eq!(
        h.list(TOKEN_A).await.1["premiumProfessionalSupportServices"],
        serde_json::json!([])
    );
}

#[tokio::test]
async fn create_answers_202_processing_with_fresh_ids() {
    let h = start(config(LONG)).await;
    let (status, body) = h.create(TOKEN_A).await;
    assert_eq!(status, 202, "{body}");
    let plan = &body["professionalSupportService"];
    assert!(
        fic_mock::is_plan_id(plan["id"].as_str().unwrap_or_default()),
        "{plan}"
    );
    assert!(
        fic_mock::is_hex32(plan["operationId"].as_str().unwrap_or_default()),
        "{plan}"
    );
    assert_eq!(plan["tenantId"], TENANT_A);
    assert_eq!(plan["operationStatus"], "Processing");
    assert_eq!(plan["currentMenu"], "PremiumPlan");
    assert_eq!(
        plan["menus"],
        serde_json::json!([{"menu": "PremiumPlan", "menuStartDate": null}])
    );

    // Still processing: show says so, without the operation id of the 202.
    let (status, shown) = h
        .show(TOKEN_A, plan["id"].as_str().unwrap_or_default())
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        shown["professionalSupportService"]["operationStatus"],
        "Processing"
    );
    assert!(
        shown["professionalSupportService"]
            .get("operationId")
            .is_none(),
        "{shown}"
    );
}

#[tokio::test]
async fn create_completes_after_the_processing_time() {
    let h = start(config(Duration::ZERO)).await;
    let id = h.created_id(TOKEN_A).await;
    let (status, body) = h.show(TOKEN_A, &id).await;
    assert_eq!(status, 200);
    let plan = &body["professionalSupportService"];
    assert_eq!(plan["operationStatus"], "Completed");
    let start = plan["menus"][0]["menuStartDate"]
        .as_str()
        .unwrap_or_default();
    assert!(
        chrono::DateTime::parse_from_rfc3339(start).is_ok(),
        "{plan}"
    );
}

#[tokio::test]
async fn a_short_processing_time_passes_while_polling() {
    let h = start(config(Duration::from_millis(50))).await;
    let id = h.created_id(TOKEN_A).await;
    // Bounded: at most 200 polls of 10 ms each, far beyond the 50 ms processing time.
    for _ in 0..200 {
        let (_, body) = h.show(TOKEN_A, &id).await;
        if body["professionalSupportService"]["operationStatus"] == "Completed" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the create never completed");
}

#[tokio::test]
async fn failing_operations_end_in_error() {
    let h = start(config(Duration::ZERO).fail_operations(true)).await;
    let id = h.created_id(TOKEN_A).await;
    let (_, body) = h.show(TOKEN_A, &id).await;
    assert_eq!(
        body["professionalSupportService"]["operationStatus"],
        "Error"
    );
    // A failed delete leaves the plan in Error too.
    let (status, body) = h.delete(TOKEN_A, &id).await;
    assert_eq!(status, 202, "{body}");
    let (status, body) = h.show(TOKEN_A, &id).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["professionalSupportService"]["operationStatus"],
        "Error"
    );
}

#[tokio::test]
async fn a_second_create_is_409_in_any_state() {
    let h = start(config(LONG)).await;
    h.created_id(TOKEN_A).await;
    let (status, body) = h.create(TOKEN_A).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        message(&body).contains("already has a premium plan"),
        "{body}"
    );

    let h = start(config(Duration::ZERO)).await;
    h.created_id(TOKEN_A).await;
    assert_eq!(h.create(TOKEN_A).await.0, 409);
}

#[tokio::test]
async fn malformed_creates_are_400_naming_the_problem() {
    let h = start(config(Duration::ZERO)).await;
    let cases: [(&str, &str, &str); 7] = [
        ("application/json", "{not json", "invalid request body"),
        (
            "application/json",
            "{}",
            "missing premiumProfessionalSupportService",
        ),
        (
            "application/json",
            r#"{"premiumProfessionalSupportService": {}}"#,
            "currentMenu",
        ),
        (
            "application/json",
            r#"{"premiumProfessionalSupportService": {"currentMenu": "GoldPlan"}}"#,
            "unknown currentMenu \"GoldPlan\"",
        ),
        (
            "application/json",
            r#"{"professionalSupportService": {"currentMenu": "PremiumPlan"}}"#,
            "unknown field",
        ),
        (
            "text/plain",
            r#"{"premiumProfessionalSupportService": {"currentMenu": "PremiumPlan"}}"#,
            "Content-Type",
        ),
        (
            "",
            r#"{"premiumProfessionalSupportService": {"currentMenu": "PremiumPlan"}}"#,
            "Content-Type",
        ),
    ];
    for (content_type, body, expected) in cases {
        let mut request = h
            .http
            .post(h.url(COLLECTION))
            .header("X-Auth-Token", TOKEN_A)
            .body(body);
        if !content_type.is_empty() {
            request = request.header("Content-Type", content_type);
        }
        let response = request.send().await.expect("answers");
        assert_eq!(response.status().as_u16(), 400, "{body}");
        let answer: serde_json::Value = response.json().await.expect("a JSON error body");
        assert!(message(&answer).contains(expected), "{body}: {answer}");
    }
    assert_eq!(
        h.list(TOKEN_A).await.1["premiumProfessionalSupportServices"],
        serde_json::json!([])
    );
}

#[tokio::test]
async fn bodies_over_64_kib_are_413() {
    let h = start(config(Duration::ZERO)).await;
    let padding = "x".repeat(fic_mock::MAX_BODY_BYTES);
    let body = format!(
        r#"{{"premiumProfessionalSupportService": {{"currentMenu": "PremiumPlan", "pad": "{padding}"}}}}"#
    );
    let response = h
        .http
        .post(h.url(COLLECTION))
        .header("X-Auth-Token", TOKEN_A)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status().as_u16(), 413);
    let answer: serde_json::Value = response.json().await.expect("a JSON error body");
    assert!(
        message(&answer).contains("larger than 65536 bytes"),
        "{answer}"
    );

    // A streamed body with no length is cut off at the limit, not read whole.
    let chunks = (0..1024).map(|_| Ok::<_, std::io::Error>(vec![b' '; 1024]));
    let response = h
        .http
        .post(h.url(COLLECTION))
        .header("X-Auth-Token", TOKEN_A)
        .header("Content-Type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status().as_u16(), 413);
}

#[tokio::test]
async fn list_returns_the_tenants_plan_filtered_by_id() {
    let h = start(config(Duration::ZERO)).await;
    let (status, body) = h.list(TOKEN_A).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        serde_json::json!({"premiumProfessionalSupportServices": []})
    );

    let id = h.created_id(TOKEN_A).await;
    let (_, body) = h.list(TOKEN_A).await;
    let plans = body["premiumProfessionalSupportServices"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0]["id"], id.as_str());
    assert_eq!(plans[0]["operationStatus"], "Completed");

    let (_, body) = h
        .call(
            Method::GET,
            &format!("{COLLECTION}?id={id}"),
            Some(TOKEN_A),
            None,
        )
        .await;
    assert_eq!(
        body["premiumProfessionalSupportServices"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let (_, body) = h
        .call(
            Method::GET,
            &format!("{COLLECTION}?id=F000000000000"),
            Some(TOKEN_A),
            None,
        )
        .await;
    assert_eq!(
        body["premiumProfessionalSupportServices"],
        serde_json::json!([])
    );
    let (status, body) = h
        .call(
            Method::GET,
            &format!("{COLLECTION}?id=X520123456789"),
            Some(TOKEN_A),
            None,
        )
        .await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("F followed by 12 digits"), "{body}");
}

#[tokio::test]
async fn show_is_404_for_unknown_and_400_for_malformed_ids() {
    let h = start(config(Duration::ZERO)).await;
    let (status, body) = h.show(TOKEN_A, "F520123456789").await;
    assert_eq!(status, 404);
    assert!(message(&body).contains("F520123456789"), "{body}");
    for bad in [
        "X520123456789",
        "F12",
        "F5201234567890",
        "%20",
        "F52012345678%C3%A9",
    ] {
        let (status, body) = h.show(TOKEN_A, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
}

#[tokio::test]
async fn delete_answers_202_then_the_plan_is_gone() {
    let h = start(config(Duration::ZERO)).await;
    let id = h.created_id(TOKEN_A).await;
    let (status, body) = h.delete(TOKEN_A, &id).await;
    assert_eq!(status, 202, "{body}");
    let plan = &body["professionalSupportService"];
    assert_eq!(plan["operationStatus"], "Processing");
    assert_eq!(plan["id"], id.as_str());
    assert!(
        fic_mock::is_hex32(plan["operationId"].as_str().unwrap_or_default()),
        "{plan}"
    );
    assert!(
        plan["menus"][0]["menuStartDate"].is_string(),
        "the started menu keeps its date: {plan}"
    );

    assert_eq!(h.show(TOKEN_A, &id).await.0, 404);
    assert_eq!(
        h.list(TOKEN_A).await.1["premiumProfessionalSupportServices"],
        serde_json::json!([])
    );
    assert_eq!(h.delete(TOKEN_A, &id).await.0, 404);
    // The tenant can order again.
    assert_eq!(h.create(TOKEN_A).await.0, 202);
}

#[tokio::test]
async fn delete_while_a_change_is_processing_is_409() {
    let h = start(config(LONG)).await;
    let id = h.created_id(TOKEN_A).await;
    let (status, body) = h.delete(TOKEN_A, &id).await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("in progress"), "{body}");
}

#[tokio::test]
async fn delete_while_a_delete_is_processing_is_409() {
    // One processing time serves both changes: wait out the create, then delete twice at once.
    let h = start(config(Duration::from_millis(1000))).await;
    let id = h.created_id(TOKEN_A).await;
    let mut completed = false;
    for _ in 0..100 {
        let (_, body) = h.show(TOKEN_A, &id).await;
        if body["professionalSupportService"]["operationStatus"] == "Completed" {
            completed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(completed, "the create never completed");
    assert_eq!(h.delete(TOKEN_A, &id).await.0, 202);
    let (status, body) = h.delete(TOKEN_A, &id).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        h.create(TOKEN_A).await.0,
        409,
        "a plan being deleted still counts"
    );
}

#[tokio::test]
async fn tenants_never_see_or_touch_each_others_plans() {
    let h = start(config(LONG)).await;
    let id = h.created_id(TOKEN_A).await;
    assert_eq!(h.show(TOKEN_B, &id).await.0, 404);
    assert_eq!(h.delete(TOKEN_B, &id).await.0, 404);
    let (_, body) = h.list(TOKEN_B).await;
    assert_eq!(
        body["premiumProfessionalSupportServices"],
        serde_json::json!([])
    );
    let (_, body) = h
        .call(
            Method::GET,
            &format!("{COLLECTION}?id={id}"),
            Some(TOKEN_B),
            None,
        )
        .await;
    assert_eq!(
        body["premiumProfessionalSupportServices"],
        serde_json::json!([])
    );
    // B has its own plan, independent of A's.
    assert_eq!(h.create(TOKEN_B).await.0, 202);
    assert_eq!(h.show(TOKEN_A, &id).await.0, 200);
}

#[tokio::test]
async fn concurrent_creates_of_one_tenant_make_exactly_one_plan() {
    let h = std::sync::Arc::new(start(config(Duration::ZERO)).await);
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let h = std::sync::Arc::clone(&h);
            tokio::spawn(async move { h.create(TOKEN_A).await.0 })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("the task runs"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        31,
        "{statuses:?}"
    );
    let (_, body) = h.list(TOKEN_A).await;
    assert_eq!(
        body["premiumProfessionalSupportServices"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let h = start(config(Duration::ZERO)).await;
    let (status, body) = h
        .call(Method::GET, "/v1/nothing-here", Some(TOKEN_A), None)
        .await;
    assert_eq!(status, 404);
    message(&body);
    let (status, body) = h.call(Method::PUT, COLLECTION, Some(TOKEN_A), None).await;
    assert_eq!(status, 405);
    message(&body);
}

#[tokio::test]
async fn hostile_input_never_breaks_the_server() {
    let h = start(config(Duration::ZERO)).await;
    let bodies: [&[u8]; 8] = [
        b"",
        b"\x00\xff\xfe",
        b"[]",
        b"null",
        b"{\"premiumProfessionalSupportService\": 5}",
        b"{\"premiumProfessionalSupportService\": {\"currentMenu\": [1,2]}}",
        b"{\"premiumProfessionalSupportService\": {\"currentMenu\": \"PremiumPlan\"}, \"premiumProfessionalSupportService\": 1}",
        b"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{",
    ];
    for body in bodies {
        let response = h
            .http
            .post(h.url(COLLECTION))
            .header("X-Auth-Token", TOKEN_A)
            .header("Content-Type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status().as_u16(), 400, "{body:?}");
    }
    let deep = "[".repeat(10_000);
    let (status, _) = h
        .call(
            Method::GET,
            &format!("{COLLECTION}?id={deep}"),
            Some(TOKEN_A),
            None,
        )
        .await;
    assert_eq!(status, 400);
    // Still serving.
    assert_eq!(h.create(TOKEN_A).await.0, 202);
}

#[tokio::test]
async fn requests_are_counted_and_shutdown_is_clean() {
    let h = start(config(Duration::ZERO)).await;
    assert_eq!(h.server.requests(), 0);
    h.list(TOKEN_A).await;
    h.call(Method::GET, COLLECTION, None, None).await;
    assert_eq!(h.server.requests(), 2);
    let url = h.url(COLLECTION);
    h.server.shutdown().await;
    assert!(
        h.http.get(url).send().await.is_err(),
        "the port is closed after shutdown"
    );
}

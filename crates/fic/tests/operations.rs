//! The Operation API through the SDK, against the mock: get, list with filters, paging.

use std::time::Duration;

use fic::clock::VirtualClock;
use fic::{Client, Menu, OperationFilter, OperationId, OperationState, RequestType, Token};
use fic_mock::{Config, MockServer};
use futures_util::TryStreamExt as _;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const TENANT: &str = "db8b0e40743f460685040c46167cf19e";

async fn setup() -> (MockServer, Client) {
    let mock = MockServer::start(
        Config::default()
            .tenant(TOKEN, TENANT)
            .processing(Duration::ZERO),
    )
    .await
    .expect("the mock starts");
    let client = Client::builder()
        .endpoint(mock.endpoint())
        .token(Token::new(TOKEN).expect("valid"))
        .clock(VirtualClock::new())
        .build()
        .expect("a client");
    (mock, client)
}

#[tokio::test]
async fn every_change_can_be_looked_up() {
    let (_mock, client) = setup().await;
    let plans = client.premium_support();
    let pending = plans.create(Menu::PremiumPlan).await.expect("create");
    let operation_id = pending
        .resource()
        .operation_id
        .clone()
        .expect("the 202 names its operation");
    let plan = pending.wait().await.expect("completed");

    let operation = client
        .operations()
        .get(&operation_id)
        .await
        .expect("the operation");
    assert_eq!(operation.id, operation_id);
    assert_eq!(operation.request_type, RequestType::Create);
    assert_eq!(operation.status, OperationState::Completed);
    assert_eq!(operation.resource_id, plan.id.as_str());
    assert_eq!(operation.tenant_id.as_str(), TENANT);
    assert_eq!(operation.failure(), None);
    assert!(operation.received_at().is_some() && operation.committed_at().is_some());
    let body: serde_json::Value = serde_json::from_str(&operation.request_body).expect("JSON");
    assert_eq!(
        body["premiumProfessionalSupportService"]["currentMenu"],
        "PremiumPlan"
    );

    let missing = OperationId::parse("00000000000000000000000000000000").expect("valid");
    assert!(
        client
            .operations()
            .get(&missing)
            .await
            .expect_err("404")
            .is_not_found()
    );
}

#[tokio::test]
async fn list_filters_and_pages_transparently() {
    let (mock, client) = setup().await;
    let plans = client.premium_support();
    for _ in 0..2 {
        plans.ensure_premium().await.expect("premium");
        plans.ensure_basic().await.expect("basic");
    }
    plans.ensure_premium().await.expect("premium");
    let before = mock.requests();

    let all: Vec<fic::Operation> = client
        .operations()
        .list(OperationFilter::new().page_size(2))
        .try_collect()
        .await
        .expect("listed");
    assert_eq!(all.len(), 5);
    assert_eq!(mock.requests() - before, 3, "pages of 2, 2 and 1");
    assert_eq!(all[0].request_type, RequestType::Create, "newest first");

    let deletes: Vec<fic::Operation> = client
        .operations()
        .list(
            OperationFilter::new()
                .request_type(RequestType::Delete)
                .status(OperationState::Completed),
        )
        .try_collect()
        .await
        .expect("listed");
    assert_eq!(deletes.len(), 2);
    let current = plans.current().await.expect("current").expect("a plan");
    let on_current: Vec<fic::Operation> = client
        .operations()
        .list(OperationFilter::new().resource(current.id.as_str()))
        .try_collect()
        .await
        .expect("listed");
    assert_eq!(on_current.len(), 1);
}

#[test]
fn operation_ids_are_validated_before_sending() {
    let err = OperationId::parse("F520123456789").expect_err("not an operation id");
    assert_eq!(err.field(), "operationId");
}

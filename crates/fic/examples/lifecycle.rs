//! The whole lifecycle of a premium plan against an embedded `fic-mock`:
//! `cargo run -p fic --example lifecycle`.

use std::time::Duration;

use fic::{Client, Menu, Token, WaitPolicy};
use fic_mock::{Config, MockServer};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start(
        Config::default()
            .tenant(TOKEN, "db8b0e40743f460685040c46167cf19e")
            .processing(Duration::from_millis(1500)),
    )
    .await?;
    let client = Client::builder()
        .endpoint(mock.endpoint())
        .token(Token::new(TOKEN)?)
        .wait_policy(
            WaitPolicy::default()
                .initial_delay(Duration::from_millis(500))
                .delays(Duration::from_millis(500), Duration::from_secs(2)),
        )
        .build()?;
    let plans = client.premium_support();

    println!("current plan: {:?}", plans.current().await?);
    let pending = plans.create(Menu::PremiumPlan).await?;
    println!(
        "ordered {} ({})",
        pending.resource().id,
        pending.resource().status
    );
    let plan = pending.wait().await?;
    println!(
        "{} is {} since {:?}",
        plan.id, plan.status, plan.menus[0].start
    );

    match plans.create(Menu::PremiumPlan).await {
        Err(e) if e.is_conflict() => println!("a second order is refused: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    plans.delete(&plan.id).await?.wait().await?;
    println!(
        "{} is gone; current plan: {:?}",
        plan.id,
        plans.current().await?
    );
    mock.shutdown().await;
    Ok(())
}

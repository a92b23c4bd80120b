//! `fic demo`: starts the embedded mock server on a free loopback port and walks the whole
//! lifecycle against it, showing each step and what FIC answered, and checking that each answer
//! is the documented one.

use std::time::Duration;

use fic::{Client, Menu, Observed, OperationStatus, Token, WaitPolicy};
use fic_mock::{Config, MockServer};
use futures_util::StreamExt as _;

use crate::Failure;
use crate::args::Demo;
use crate::output::table;

/// Runs the demo.
pub(crate) async fn run(options: Demo) -> Result<(), Failure> {
    let token = fic_mock::random_hex32();
    let tenant = fic_mock::random_hex32();
    let processing = Duration::from_millis(options.processing_ms);
    let mock = MockServer::start(
        Config::default()
            .tenant(token.clone(), tenant.clone())
            .processing(processing),
    )
    .await
    .map_err(|e| Failure::Unexpected(format!("cannot start the mock server: {e}")))?;
    println!(
        "fic demo: a mock FIC at {} (tenant {tenant}), processing time {} ms",
        mock.endpoint(),
        options.processing_ms
    );

    let client = Client::builder()
        .endpoint(mock.endpoint())
        .token(Token::new(token).map_err(fic::Error::from)?)
        .wait_policy(
            WaitPolicy::default()
                .initial_delay(Duration::from_millis(500))
                .delays(Duration::from_millis(500), Duration::from_secs(2))
                .max_wait(processing + Duration::from_secs(60)),
        )
        .build()?;
    let outcome = walk(&client).await;
    mock.shutdown().await;
    if outcome.is_ok() {
        println!("\ndemo finished: every step answered as FIC documents.");
    }
    outcome
}

fn step(n: u32, title: &str) {
    println!("\n[{n}/8] {title}");
}

fn expect(ok: bool, what: &str) -> Result<(), Failure> {
    if ok {
        Ok(())
    } else {
        Err(Failure::Unexpected(format!("unexpected answer: {what}")))
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("      {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints every poll of a wait; the last one.
async fn show_polls(
    progress: impl futures_util::Stream<Item = Result<fic::Poll, fic::Error>>,
) -> Result<fic::Poll, Failure> {
    let mut progress = std::pin::pin!(progress);
    let mut last = None;
    while let Some(poll) = progress.next().await {
        let poll = poll?;
        println!(
            "      poll {} at {:.1} s: {}",
            poll.polls,
            poll.elapsed.as_secs_f64(),
            crate::wait::observed(&poll.observed)
        );
        last = Some(poll);
    }
    last.ok_or_else(|| Failure::Unexpected("the wait ended without a poll".to_owned()))
}

async fn walk(client: &Client) -> Result<(), Failure> {
    let plans = client.premium_support();

    step(1, "list: the tenant starts with no premium plan");
    let listed = plans.list().await?;
    println!("{}", indent(&table(&listed)));
    expect(listed.is_empty(), "a new tenant already has a plan")?;

    step(2, "create: order the premium plan (POST, 202 Accepted)");
    let pending = plans.create(Menu::PremiumPlan).await?;
    let accepted = pending.resource().clone();
    println!("{}", indent(&table(std::slice::from_ref(&accepted))));
    expect(
        accepted.status == OperationStatus::Processing,
        "the 202 is not Processing",
    )?;

    step(3, "wait: poll until the order is Completed");
    let plan = match show_polls(pending.progress(None)).await?.observed {
        Observed::Present(plan) => Some(plan),
        Observed::Gone => None,
    };
    let plan =
        plan.ok_or_else(|| Failure::Unexpected("the wait ended without the plan".to_owned()))?;
    expect(
        plan.status == OperationStatus::Completed,
        "the order did not complete",
    )?;

    step(4, "show: the plan, with its menu start date");
    let shown = plans.get(&plan.id).await?;
    println!("{}", indent(&table(std::slice::from_ref(&shown))));
    expect(
        shown.menus.iter().all(|m| m.start.is_some()),
        "the menu has no start date",
    )?;

    step(
        5,
        "create again: one premium plan per tenant (409 Conflict)",
    );
    match plans.create(Menu::PremiumPlan).await {
        Err(e) if e.is_conflict() => println!("      refused: {e}"),
        Err(e) => return Err(e.into()),
        Ok(_) => {
            return Err(Failure::Unexpected(
                "a second order was accepted".to_owned(),
            ));
        }
    }

    step(6, "delete: end the plan (DELETE, 202 Accepted)");
    let deleting = plans.delete(&plan.id).await?;
    if let Some(accepted) = deleting.resource() {
        println!("{}", indent(&table(std::slice::from_ref(accepted))));
    }

    step(7, "wait: poll until the plan is gone (404)");
    show_polls(deleting.progress(None)).await?;

    step(8, "list: back on the Basic menu");
    let listed = plans.list().await?;
    println!("{}", indent(&table(&listed)));
    expect(listed.is_empty(), "the plan is still listed")?;
    Ok(())
}

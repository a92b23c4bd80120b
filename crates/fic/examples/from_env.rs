//! Shows the tenant's plan on the endpoint named by the environment:
//! `FIC_TOKEN=... [FIC_ENDPOINT=...] cargo run -p fic --example from_env`.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = fic::Client::from_env()?;
    match client.premium_support().current().await? {
        Some(plan) => println!("{}", serde_json::to_string_pretty(&plan)?),
        None => println!("no premium plan: the tenant is on the Basic menu"),
    }
    Ok(())
}

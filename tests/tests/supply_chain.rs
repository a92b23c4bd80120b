//! What users build: the generator stays out of the SDK's tree, and nothing links OpenSSL.

use std::process::Command;

/// The crates of `cargo tree ARGS`, one `name vX.Y.Z` a line.
fn tree(args: &[&str]) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(xtask::workspace_root())
        .args(["tree", "--offline", "--prefix", "none"])
        .args(args)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut crates: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect();
    crates.sort();
    crates.dedup();
    crates
}

fn named<'a>(crates: &'a [String], names: &[&str]) -> Vec<&'a String> {
    crates
        .iter()
        .filter(|c| names.iter().any(|n| c.split(' ').next() == Some(*n)))
        .collect()
}

#[test]
fn the_generator_is_not_in_what_sdk_users_build() {
    // Proc-macros (serde_derive, thiserror) run at compile time and pull in syn; the code that
    // ends up in a user's binary is the normal, non-proc-macro tree.
    let crates = tree(&["-p", "fic", "-e", "normal,no-proc-macro"]);
    let generator = named(
        &crates,
        &[
            "progenitor",
            "progenitor-impl",
            "openapiv3",
            "prettyplease",
            "typify",
            "typify-impl",
            "syn",
            "yaml_serde",
            "json-patch",
        ],
    );
    assert!(
        generator.is_empty(),
        "the generator leaked into the SDK: {generator:?}"
    );
    assert!(
        !named(&crates, &["progenitor-client"]).is_empty(),
        "the runtime support is there"
    );
}

#[test]
fn nothing_links_openssl() {
    let crates = tree(&["--workspace", "-e", "all"]);
    let openssl = named(
        &crates,
        &[
            "openssl",
            "openssl-sys",
            "native-tls",
            "hyper-tls",
            "tokio-native-tls",
        ],
    );
    assert!(openssl.is_empty(), "{openssl:?}");
    assert!(!named(&crates, &["rustls"]).is_empty(), "TLS is rustls");
}

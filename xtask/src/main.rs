//! `cargo xtask codegen [--check]`: regenerate the low-level client from `spec/`, or check that
//! the committed one is up to date.

#![forbid(unsafe_code)]

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask codegen [--check]

  codegen           apply spec/fixes.yaml to the transcription in spec/, write the effective
                    spec to crates/fic-eri-api/openapi.json and the client generated from it to
                    crates/fic-eri-api/src/generated.rs
  codegen --check   write nothing; fail with a unified diff when the committed files are stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => run(false),
        ["codegen", "--check"] => run(true),
        ["help" | "--help" | "-h"] | [] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(check: bool) -> ExitCode {
    match codegen(check) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(check: bool) -> xtask::Result<ExitCode> {
    let root = xtask::workspace_root();
    let outputs = xtask::render(&xtask::Inputs::read(&root)?)?;
    if !check {
        let written = xtask::write(&root, &outputs)?;
        if written.is_empty() {
            println!("codegen: up to date");
        }
        for path in written {
            println!("codegen: wrote {path}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let stale = xtask::stale(&root, &outputs)?;
    if stale.is_empty() {
        println!("codegen --check: the generated files are up to date");
        return Ok(ExitCode::SUCCESS);
    }
    for file in &stale {
        print!("{}", file.diff);
    }
    let paths: Vec<&str> = stale.iter().map(|s| s.path).collect();
    eprintln!(
        "error: stale generated files: {}\n       run `{}` and commit the result",
        paths.join(", "),
        xtask::REGENERATE
    );
    Ok(ExitCode::FAILURE)
}

//! The CLI's whole surface: the `--help` of every command, so a changed flag shows in review.

fn collect(command: &mut clap::Command, path: &str, out: &mut String) {
    let name = if path.is_empty() {
        command.get_name().to_owned()
    } else {
        format!("{path} {}", command.get_name())
    };
    out.push_str(&format!(
        "==== {name} --help\n{}\n",
        command.render_long_help()
    ));
    let mut subcommands: Vec<clap::Command> = command.get_subcommands().cloned().collect();
    for sub in &mut subcommands {
        collect(sub, &name, out);
    }
}

#[test]
fn every_commands_help() {
    let mut command = fic_cli::command();
    command.build();
    let mut out = String::new();
    collect(&mut command, "", &mut out);
    insta::assert_snapshot!(out);
}

//! `template list` and `template eject`.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::cli::TemplateCommand;
use crate::cmd::console::Console;
use crate::error::{Error, ExitStatus};
use crate::template::builtin::{BUILT_IN, files, is_built_in};

/// Runs a `template` subcommand.
pub fn run(command: &TemplateCommand, console: &mut Console) -> ExitStatus {
    match command {
        TemplateCommand::List { dir } => list(dir.as_deref(), console.out),
        TemplateCommand::Eject { name, dir, force } => eject(name, dir, *force, console),
    }
}

/// Prints the built-in templates, then a report folder's own ones.
fn list(dir: Option<&Path>, stdout: &mut dyn Write) -> ExitStatus {
    for t in BUILT_IN {
        let _ = writeln!(stdout, "{:<16} built-in  {}", t.name, t.description);
    }
    let Some(dir) = dir else { return ExitStatus::Ok };
    let mut own: Vec<String> = fs::read_dir(dir.join("templates"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("main.typ").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    own.sort();
    for name in own {
        let what = if is_built_in(&name) { "overrides the built-in one" } else { "custom" };
        let _ = writeln!(stdout, "{name:<16} report    templates/{name}/main.typ ({what})");
    }
    ExitStatus::Ok
}

/// Copies a built-in template's files to `DIR/templates/NAME/`, refusing to overwrite unless forced.
fn eject(name: &str, dir: &Path, force: bool, console: &mut Console) -> ExitStatus {
    if !is_built_in(name) {
        let known = BUILT_IN.iter().map(|t| t.name).collect::<Vec<_>>().join("`, `");
        return console.failure(&Error::Other(format!("there is no built-in template `{name}` (built-in: `{known}`)")));
    }
    let target = dir.join("templates").join(name);
    let existing: Vec<String> = files(name)
        .iter()
        .map(|(path, _)| target.join(path))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        return console.failure(&Error::Other(format!(
            "`{}` already exists; pass --force to overwrite it",
            existing.join("`, `")
        )));
    }
    for (path, text) in files(name) {
        let file = target.join(path);
        let written = file.parent().map_or(Ok(()), fs::create_dir_all).and_then(|()| fs::write(&file, text));
        if let Err(e) = written {
            return console.failure(&Error::write(&file, e));
        }
        console.result(&file.display().to_string());
    }
    ExitStatus::Ok
}

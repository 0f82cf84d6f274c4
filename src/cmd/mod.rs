//! The subcommands, one file each, named as typed, and the dispatch from a parsed command line.
//! Only this layer prints or writes; everything below returns values.

pub mod build;
pub mod check;
pub mod columns;
pub mod completions;
pub mod config;
pub mod console;
pub mod init;
pub mod summary;
pub mod template;
pub mod watch;

use crate::cli::{Cli, Command};
use crate::error::ExitStatus;
use console::Console;

/// Runs a parsed command line.
pub fn run(cli: &Cli, console: &mut Console) -> ExitStatus {
    match &cli.command {
        Command::Build(args) => build::run(args, console),
        Command::Check(args) => check::run(args, console),
        Command::Watch(args) => watch::run(args, console),
        Command::Config(args) => config::run(args, console),
        Command::Summary(args) => summary::run(args, console),
        Command::Init(args) => init::run(args, console),
        Command::Columns(args) => columns::run(args, console),
        Command::Completions { shell } => completions::run(shell, console),
        Command::Template(command) => template::run(command, console),
    }
}

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::input::audience::{Audience, Audiences};
use crate::report::{Keep, LoadError, Report};

/// Loads the report in `dir`, printing its warnings; or prints its problems and the command's
/// closing line for them (`closing(errors)`), and returns the status to exit with.
pub fn load(dir: &Path, keep: Keep, closing: fn(usize) -> String, console: &mut Console) -> Result<Report, ExitStatus> {
    let spinner = console.spinner(&format!("reading {}", dir.display()));
    let loaded = Report::load_with(dir, keep);
    spinner.finish_and_clear();
    match loaded {
        Ok(report) => {
            console.problems(&report.warnings);
            Ok(report)
        }
        Err(LoadError::Invalid(problems)) => {
            console.problems(&problems);
            console.error(&closing(errors(&problems)));
            Err(ExitStatus::Invalid)
        }
        Err(LoadError::Io(path, e)) => Err(console.failure(&Error::Read(path, e))),
    }
}

/// How many errors `problems` hold, those counted and not listed included.
pub fn errors(problems: &[crate::diagnostic::Diagnostic]) -> usize {
    problems.iter().filter(|p| p.is_error()).map(|p| p.stands_for).sum()
}

/// The closing line of a build that found errors: "build failed: 2 errors; no PDF written".
pub fn build_failed(errors: usize) -> String {
    format!("build failed: {errors} error{}; no PDF written", plural(errors))
}

/// The audience the user named, or the default one; prints the failure when there is none.
pub fn select<'a>(
    audiences: &'a Audiences,
    name: Option<&str>,
    console: &mut Console,
) -> Result<&'a Audience, ExitStatus> {
    audiences.get(name).map_err(|known| {
        let name = name.unwrap_or(&audiences.default).to_string();
        console.failure(&Error::UnknownAudience { name, known })
    })
}

/// Where a build saves its figures: beside the PDF, `NAME.figures.json`.
pub fn figures_path(pdf: &Path) -> PathBuf {
    // `-o pages-{p}.png` names page images, not the one figures file: `pages.figures.json`.
    let named = pdf.to_string_lossy();
    let without_page = named.replace("-{p}", "").replace("_{p}", "").replace("{p}", "");
    PathBuf::from(without_page).with_extension("figures.json")
}

/// "s" unless there is one.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

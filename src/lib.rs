//! osce-report: a report folder (CSV tables and `report.toml`) in, a PDF written statement for
//! OSCE human-dimension meetings out, with every figure computed here and typeset by Typst.
//!
//! The pipeline, one module each: [`config`] and [`table`] read the files, [`incident`] and
//! [`sanction`] read their rows, [`validate`] checks them against each other, [`summary`] computes
//! the figures ([`figure`] keeps approximate counts honest), [`locale`] writes them in the
//! audience's language, [`interface`] hands them to templates, [`world`] and [`render`] compile the
//! PDF in-process, [`output`] writes it safely.

pub mod audience;
pub mod build;
pub mod check;
pub mod cli;
pub mod columns;
pub mod completions;
pub mod config;
pub mod config_cmd;
pub mod console;
pub mod date;
pub mod diagnostic;
pub mod exit;
pub mod export;
pub mod figure;
pub mod incident;
pub mod init;
pub mod interface;
pub mod ledger;
pub mod locale;
pub mod output;
pub mod redact;
pub mod render;
pub mod report;
pub mod sanction;
pub mod source;
pub mod summary;
pub mod summary_cmd;
pub mod table;
pub mod template_cmd;
pub mod templates;
pub mod validate;
pub mod watch;
pub mod world;

use cli::{Cli, Command};
use console::Console;
use exit::ExitStatus;

/// Runs a parsed command line.
pub fn run(cli: &Cli, console: &mut Console) -> ExitStatus {
    match &cli.command {
        Command::Build(args) => build::run(args, console),
        Command::Check(args) => check::run(args, console),
        Command::Watch(args) => watch::run(args, console),
        Command::Config(args) => config_cmd::run(args, console),
        Command::Summary(args) => summary_cmd::run(args, console),
        Command::Init(args) => init::run(args, console),
        Command::Columns(args) => columns::run(args, console),
        Command::Completions { shell } => completions::run(shell, console),
        Command::Template(command) => template_cmd::run(command, console),
    }
}

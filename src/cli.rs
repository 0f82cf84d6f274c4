//! The command line, as data: what the user typed, before it is interpreted.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turns a folder of incident data into a PDF written statement for OSCE human-dimension meetings.
#[derive(Debug, Parser)]
#[command(name = "osce-report", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The exit codes, shown under `--help`.
const EXIT_CODES: &str = "Exit codes: 0 ok, 1 invalid input (the messages say where), 2 usage or I/O failure.";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Builds the report's PDF (the default audience's) from a report folder.
    #[command(
        after_help = "Examples:\n  osce-report build data/kazakhstan-2012\n  osce-report build data/kazakhstan-2012 -o statement.pdf"
    )]
    Build(BuildArgs),
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The report folder (with report.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where to write the PDF [default: DIR/out/AUDIENCE.pdf].
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

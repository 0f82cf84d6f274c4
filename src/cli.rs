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
    /// Builds the report's PDF: the default audience, one named audience, or all of them.
    #[command(after_help = "Examples:
  osce-report build data/kazakhstan-2012
  osce-report build data/kazakhstan-2012 --audience press-en
  osce-report build data/kazakhstan-2012 --all-audiences
  osce-report build data/kazakhstan-2012 -o statement.pdf")]
    Build(BuildArgs),
    /// Prints an audience's settings: the report's own merged with the audience's overlay, as TOML.
    #[command(after_help = "Examples:\n  osce-report config data/kazakhstan-2012 --audience press-en")]
    Config(ConfigArgs),
    /// Lists the templates or copies a built-in one into a report folder for editing.
    #[command(subcommand)]
    Template(TemplateCommand),
}

/// Which report and audience a command works on; shared by `build` and `config`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The report folder (with report.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The audience, as named in report.toml [default: the report's default audience].
    #[arg(short, long, value_name = "NAME")]
    pub audience: Option<String>,
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The report and audience.
    #[command(flatten)]
    pub report: ReportArgs,
    /// Builds every audience, in parallel, each to DIR/out/NAME.pdf.
    #[arg(long, conflicts_with_all = ["audience", "output"])]
    pub all_audiences: bool,
    /// Where to write the PDF [default: DIR/out/AUDIENCE.pdf].
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Arguments of `config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The report and audience.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `template` subcommands.
#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Lists the built-in templates, and a report folder's own ones.
    #[command(after_help = "Examples:\n  osce-report template list\n  osce-report template list data/kazakhstan-2012")]
    List {
        /// A report folder whose templates/ to list too.
        dir: Option<PathBuf>,
    },
    /// Copies a built-in template to DIR/templates/NAME/ so that it can be edited; builds then use
    /// the copy.
    #[command(after_help = "Examples:\n  osce-report template eject osce-submission data/kazakhstan-2012")]
    Eject {
        /// The built-in template.
        name: String,
        /// The report folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrites files that are already there.
        #[arg(long)]
        force: bool,
    },
}

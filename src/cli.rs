//! The command line, as data: what the user typed, before it is interpreted.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::Error;
use crate::export::{Export, Format, Pages, Standard, parse_pages};

/// Turns a folder of incident data into a PDF written statement for OSCE human-dimension meetings.
#[derive(Debug, Parser)]
#[command(name = "osce-report", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Prints errors only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also prints what is being done and how long it took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colours in messages [default: auto: on a terminal, unless NO_COLOR is set].
    #[arg(long, global = true, value_name = "WHEN")]
    pub color: Option<ColorWhen>,
}

impl Cli {
    /// How much to print, from `--quiet` and `--verbose`.
    pub fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        }
    }
}

/// When to colour messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How `check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CheckFormat {
    /// For people: each problem with its source line and a caret.
    #[default]
    Text,
    /// For programs: JSON. `check` prints `{"diagnostics": [{"severity", "file", "line", "column",
    /// "message", "hint", "field", "header"}]}`; `summary` prints the figures, or those
    /// diagnostics when the data has errors.
    Json,
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
    /// Checks the data, report.toml and every audience's template, writing nothing.
    #[command(after_help = "Exit codes: 0 no errors (warnings may be listed), 1 errors, 2 usage or I/O failure.

Examples:
  osce-report check data/kazakhstan-2012
  osce-report check data/kazakhstan-2012 --format json")]
    Check(CheckArgs),
    /// Rebuilds on every change of report.toml, the data, the narrative or a custom template,
    /// keeping the last good PDF when a change has an error.
    #[command(after_help = "Examples:
  osce-report watch data/kazakhstan-2012
  osce-report watch data/kazakhstan-2012 --audience press-en
  osce-report watch data/kazakhstan-2012 --all-audiences")]
    Watch(BuildArgs),
    /// Prints the figures as the PDF shows them, what they came from, or what changed since a build.
    #[command(after_help = "Examples:
  osce-report summary data/kazakhstan-2012
  osce-report summary data/kazakhstan-2012 --explain
  osce-report summary data/kazakhstan-2012 --since data/kazakhstan-2012/out/osce.figures.json
  osce-report summary data/kazakhstan-2012 --audience press-en --format json")]
    Summary(SummaryArgs),
    /// Prints an audience's settings: the report's own merged with the audience's overlay, as TOML.
    #[command(after_help = "Examples:\n  osce-report config data/kazakhstan-2012 --audience press-en")]
    Config(ConfigArgs),
    /// Creates a small report folder that builds at once, with comments explaining each file.
    #[command(after_help = "Examples:\n  osce-report init my-report\n  osce-report init my-report --language ru")]
    Init(InitArgs),
    /// Prints shell completions or the man page (generated from these same definitions).
    #[command(after_help = "Examples:
  osce-report completions bash > ~/.local/share/bash-completion/completions/osce-report
  osce-report completions man > osce-report.1")]
    Completions {
        /// A shell (bash, zsh, fish, elvish, powershell), or `man` for the man page.
        shell: String,
    },
    /// Shows what a spreadsheet export is and which of our columns its headers are; `--write`
    /// adds that mapping to a report's report.toml.
    #[command(after_help = "Examples:
  osce-report columns exports/events-2017.csv
  osce-report columns exports/events-2017.csv --write data/my-report")]
    Columns(ColumnsArgs),
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
    /// Where to write the PDF [default: DIR/out/AUDIENCE.pdf]; for images, `{p}` in the path
    /// stands for the page number.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// What to write: the PDF, or page previews as PNG or SVG (DIR/out/AUDIENCE-N.png).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Which pages to write, e.g. `1-2,5` or `3-` [default: all].
    #[arg(long, value_parser = parse_pages, value_name = "PAGES")]
    pub pages: Option<Pages>,
    /// Resolution of PNG previews, in pixels per inch.
    #[arg(long, default_value_t = crate::export::DEFAULT_PPI, value_name = "PPI")]
    pub ppi: f32,
    /// Makes the PDF conform to a standard: `a-2b` for archiving (PDF/A-2b), `ua-1` for
    /// accessibility (PDF/UA-1, where the template satisfies it). May be given twice.
    #[arg(long, value_enum, value_name = "STANDARD")]
    pub pdf_standard: Vec<Standard>,
}

impl BuildArgs {
    /// How the documents are to be exported.
    /// The one step from what was typed to what a build does, checked before anything is read:
    /// the export options (a PDF standard only for PDF output, standards that can be combined)
    /// and the folder `--output` writes into. A problem is a usage failure (exit 2).
    pub fn settings(&self) -> Result<Export, Error> {
        if let Some(folder) = self.output.as_deref().and_then(std::path::Path::parent)
            && !folder.as_os_str().is_empty()
            && !folder.is_dir()
        {
            return Err(Error::Usage(format!("the folder `{}` for --output does not exist", folder.display())));
        }
        let export = Export {
            format: self.format,
            pages: self.pages.clone(),
            ppi: self.ppi,
            standards: self.pdf_standard.clone(),
        };
        if export.pages.is_some() && export.format == Format::Pdf {
            return Err(Error::Usage(
                "`--pages` selects page images (`--format png` or `svg`); a PDF is always written whole".into(),
            ));
        }
        if !(1.0..=MAX_PPI).contains(&export.ppi) {
            return Err(Error::Usage(format!("`--ppi` must be from 1 to {MAX_PPI}, not {}", export.ppi)));
        }
        if !export.standards.is_empty() && export.format != Format::Pdf {
            return Err(Error::Usage("`--pdf-standard` applies to PDF output only, not to page images".into()));
        }
        export.pdf_standards().map_err(|e| Error::Usage(format!("`--pdf-standard`: {e}")))?;
        Ok(export)
    }
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The report folder (with report.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// How to print the problems found.
    #[arg(long, value_enum, default_value_t)]
    pub format: CheckFormat,
}

/// Arguments of `summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The report and audience.
    #[command(flatten)]
    pub report: ReportArgs,
    /// Text for people or JSON for programs.
    #[arg(long, value_enum, default_value_t)]
    pub format: CheckFormat,
    /// Lists the incident rows behind each figure.
    #[arg(long)]
    pub explain: bool,
    /// Shows only the figures that differ from an earlier build's NAME.figures.json.
    #[arg(long, value_name = "FIGURES_JSON")]
    pub since: Option<PathBuf>,
}

/// Arguments of `columns`.
#[derive(Debug, Args)]
pub struct ColumnsArgs {
    /// The exported file (CSV in any common encoding and delimiter), or a workbook (.xlsx, .xlsm,
    /// .xls, .xlsb, .ods).
    pub file: PathBuf,
    /// Which of our tables it is [default: guessed from the headers].
    #[arg(long, value_enum)]
    pub table: Option<TableKind>,
    /// For a workbook: the sheet to read [default: the first].
    #[arg(long)]
    pub sheet: Option<String>,
    /// Adds the mapping to DIR/report.toml as [data.incidents] (or [data.sanctions]).
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
}

/// Our tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableKind {
    /// incidents.csv: one row per incident.
    Incidents,
    /// sanctions.csv: one row per person-level sanction.
    Sanctions,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it may exist, but must not hold a report.toml).
    pub dir: PathBuf,
    /// The language of the report.
    #[arg(long, value_enum, default_value_t = InitLanguage::En)]
    pub language: InitLanguage,
}

/// Languages a new report can start in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InitLanguage {
    /// Russian.
    Ru,
    /// English.
    En,
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

/// The sharpest PNG previews made: 1 200 pixels per inch is already a 140-megapixel A4 page.
const MAX_PPI: f32 = 1200.0;

/// How much a command says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Verbosity {
    /// Errors only (`--quiet`).
    Quiet,
    /// Errors, warnings and results.
    #[default]
    Normal,
    /// Also what is being done and how long it took (`--verbose`).
    Verbose,
}

//! The terminal: where commands print results (stdout) and problems (stderr), in colour only
//! when stderr is a terminal and `NO_COLOR` is unset, quieter or chattier as asked.

use std::io::{self, IsTerminal, Write};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};

pub use crate::cli::Verbosity;
use crate::diagnostic::{self, Diagnostic, SHOWN_PROBLEMS};
use crate::error::{Error, ExitStatus};

/// The two output streams of a command.
pub struct Console<'a> {
    /// Results: written paths, printed settings, figures.
    pub out: &'a mut dyn Write,
    /// Problems and progress.
    pub err: &'a mut dyn WriteColor,
    /// How much to say.
    pub verbosity: Verbosity,
}

impl Console<'_> {
    /// Prints problems with their source lines (errors first); warnings are left out when quiet.
    pub fn problems(&mut self, problems: &[Diagnostic]) {
        let mut shown: Vec<Diagnostic> =
            problems.iter().filter(|d| d.is_error() || self.verbosity > Verbosity::Quiet).cloned().collect();
        shown.dedup();
        diagnostic::sort(&mut shown);
        let more = shown.len().saturating_sub(SHOWN_PROBLEMS);
        shown.truncate(SHOWN_PROBLEMS);
        let _ = diagnostic::emit(self.err, &shown);
        if more > 0 {
            let _ = writeln!(self.err, "… and {more} more (`osce-report check --format json` lists them)\n");
        }
    }

    /// Prints a failure that is not about a place in a file, as problems are printed; returns the
    /// status to exit with.
    pub fn failure(&mut self, error: &Error) -> ExitStatus {
        let _ = diagnostic::emit(self.err, &[error.to_diagnostic()]);
        error.status()
    }

    /// Prints a closing line that is not about a place in a file: `error: …`.
    pub fn error(&mut self, message: &str) {
        let _ = writeln!(self.err, "error: {message}");
    }

    /// Prints a result line on stdout, unless quiet.
    pub fn result(&mut self, line: &str) {
        if self.verbosity > Verbosity::Quiet {
            let _ = writeln!(self.out, "{line}");
        }
    }

    /// A spinner saying what long work is under way, on a terminal only (and not when quiet); it
    /// disappears when dropped or finished.
    pub fn spinner(&self, message: &str) -> indicatif::ProgressBar {
        if self.verbosity == Verbosity::Quiet || !io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let spinner = indicatif::ProgressBar::new_spinner().with_message(message.to_string());
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        spinner
    }

    /// Prints what is being done, when verbose.
    pub fn progress(&mut self, line: &str) {
        if self.verbosity == Verbosity::Verbose {
            let _ = writeln!(self.err, "{line}");
        }
    }
}

/// Turns `bar` (a spinner from [`Console::spinner`], hidden when not on a terminal) into a bar
/// counting the `volumes` of audience `audience` as they are laid out.
pub fn count_volumes(bar: &indicatif::ProgressBar, audience: &str, volumes: usize) {
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta} left)") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("typesetting `{audience}`, volume by volume"));
    bar.set_length(volumes as u64);
    bar.set_position(0);
}

/// Standard error, coloured only when it is a terminal and `NO_COLOR` is not set (or as forced).
pub fn stderr(color: Option<bool>) -> StandardStream {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let choice = match color {
        Some(true) => ColorChoice::Always,
        Some(false) => ColorChoice::Never,
        None if io::stderr().is_terminal() && !no_color => ColorChoice::Auto,
        None => ColorChoice::Never,
    };
    StandardStream::stderr(choice)
}

//! `build`: load the report, render the default audience, write the PDF atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::BuildArgs;
use crate::diagnostic::{Diagnostic, emit};
use crate::exit::ExitStatus;
use crate::output::write_atomic;
use crate::render::{RenderError, render};
use crate::report::{LoadError, Report};

/// Runs `build`, printing the output path on stdout and problems on stderr.
pub fn run(args: &BuildArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let report = match Report::load(&args.dir) {
        Ok(r) => r,
        Err(LoadError::Invalid(problems)) => return invalid(stderr, &problems),
        Err(LoadError::Io(path, e)) => return io_failure(stderr, &format!("cannot read `{}`: {e}", path.display())),
    };
    let _ = emit(stderr, &report.warnings);
    let audience = &report.config.audiences[&report.config.default_audience];
    let rendered = match render(&report, audience) {
        Ok(r) => r,
        Err(RenderError::Template(problems)) => return invalid(stderr, &problems),
        Err(RenderError::Io(e)) => return io_failure(stderr, &format!("cannot open `{}`: {e}", args.dir.display())),
    };
    let _ = emit(stderr, &rendered.warnings);
    let path = args.output.clone().unwrap_or_else(|| default_output(&report, &audience.name));
    if let Err(e) = write_atomic(&path, &rendered.pdf) {
        return io_failure(stderr, &format!("cannot write `{}`: {e}", path.display()));
    }
    let _ = writeln!(stdout, "{}", path.display());
    ExitStatus::Ok
}

/// `DIR/out/NAME.pdf` (`out/NAME.pdf` when DIR is the current folder).
fn default_output(report: &Report, audience: &str) -> PathBuf {
    let dir = if report.dir == Path::new(".") { Path::new("") } else { report.dir.as_path() };
    dir.join("out").join(format!("{audience}.pdf"))
}

/// Prints the problems; the input is invalid.
fn invalid(stderr: &mut dyn Write, problems: &[Diagnostic]) -> ExitStatus {
    let _ = emit(stderr, problems);
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let _ = writeln!(stderr, "build failed: {errors} error{}; no PDF written", if errors == 1 { "" } else { "s" });
    ExitStatus::Invalid
}

/// Prints an I/O failure.
fn io_failure(stderr: &mut dyn Write, message: &str) -> ExitStatus {
    let _ = writeln!(stderr, "error: {message}");
    ExitStatus::Failure
}

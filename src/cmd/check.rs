//! `check`: everything `build` would report, for every audience, without writing a file.

use crate::cli::{CheckArgs, CheckFormat};
use crate::cmd::console::Console;
use crate::cmd::plural;
use crate::diagnostic::{self, Diagnostic};
use crate::error::{Error, ExitStatus};
use crate::export::Export;
use crate::export::render::{RenderError, render};
use crate::report::{LoadError, Report};

/// Runs `check`.
pub fn run(args: &CheckArgs, console: &mut Console) -> ExitStatus {
    let problems = match collect(args) {
        Ok(problems) => problems,
        Err(error) if args.format == CheckFormat::Json => {
            let _ = writeln!(console.out, "{}", diagnostic::to_json(&[error.to_diagnostic()]));
            return error.status();
        }
        Err(error) => return console.failure(&error),
    };
    let status = if problems.iter().any(Diagnostic::is_error) { ExitStatus::Invalid } else { ExitStatus::Ok };
    match args.format {
        CheckFormat::Json => {
            let _ = writeln!(console.out, "{}", diagnostic::to_json(&problems));
        }
        CheckFormat::Text => {
            console.problems(&problems);
            let errors = problems.iter().filter(|p| p.is_error()).count();
            let warnings = problems.len() - errors;
            console.result(&format!("{errors} error{}, {warnings} warning{}", plural(errors), plural(warnings)));
        }
    }
    status
}

/// Every problem of the report and of each audience's document, or the failure that stopped it.
fn collect(args: &CheckArgs) -> Result<Vec<Diagnostic>, Error> {
    let report = match Report::load(&args.dir) {
        Ok(report) => std::sync::Arc::new(report),
        Err(LoadError::Invalid(problems)) => return Ok(problems),
        Err(LoadError::Io(path, e)) => return Err(Error::Read(path, e)),
    };
    let results: Vec<Result<Vec<Diagnostic>, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = report
            .audiences
            .all()
            .map(|audience| {
                let report = &report;
                scope.spawn(move || match render(report, audience, &Export::default()) {
                    Ok(rendered) => Ok(rendered.warnings),
                    Err(RenderError::Template(problems)) => Ok(problems),
                    Err(RenderError::Io(e)) => Err(Error::read(&report.dir, e)),
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(Error::Other("the check crashed".into()))))
            .collect()
    });
    let mut problems = report.warnings.clone();
    for result in results {
        problems.extend(result?);
    }
    problems.sort_by(|a, b| (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message)));
    problems.dedup();
    Ok(problems)
}

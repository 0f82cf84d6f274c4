//! `check`: everything `build` would report, for every audience, without writing a file.

use crate::build::plural;
use crate::cli::{CheckArgs, CheckFormat};
use crate::console::Console;
use crate::diagnostic::{self, Diagnostic, Sources};
use crate::exit::ExitStatus;
use crate::export::Export;
use crate::render::{RenderError, render};
use crate::report::{LoadError, Report};

/// Runs `check`.
pub fn run(args: &CheckArgs, console: &mut Console) -> ExitStatus {
    let problems = match collect(args) {
        Ok(problems) => problems,
        Err(message) => {
            console.error(&message);
            return ExitStatus::Failure;
        }
    };
    let status = if problems.iter().any(Diagnostic::is_error) { ExitStatus::Invalid } else { ExitStatus::Ok };
    match args.format {
        CheckFormat::Json => {
            let mut resolved = problems;
            diagnostic::resolve(&args.dir, &mut resolved, &mut Sources::default());
            let _ = writeln!(console.out, "{}", diagnostic::to_json(&resolved));
        }
        CheckFormat::Text => {
            console.problems(&args.dir, &problems);
            let errors = problems.iter().filter(|p| p.is_error()).count();
            let warnings = problems.len() - errors;
            console.result(&format!("{errors} error{}, {warnings} warning{}", plural(errors), plural(warnings)));
        }
    }
    status
}

/// Every problem of the report and of each audience's document; an I/O failure as a message.
fn collect(args: &CheckArgs) -> Result<Vec<Diagnostic>, String> {
    let report = match Report::load(&args.dir) {
        Ok(report) => std::sync::Arc::new(report),
        Err(LoadError::Invalid(problems)) => return Ok(problems),
        Err(LoadError::Io(path, e)) => return Err(format!("cannot read `{}`: {e}", path.display())),
    };
    let results: Vec<Result<Vec<Diagnostic>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = report
            .config
            .audiences
            .values()
            .map(|audience| {
                let report = &report;
                scope.spawn(move || match render(report, audience, &Export::default()) {
                    Ok(rendered) => Ok(rendered.warnings),
                    Err(RenderError::Template(problems)) => Ok(problems),
                    Err(RenderError::Io(e)) => Err(format!("cannot open `{}`: {e}", report.dir.display())),
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("the check crashed".into()))).collect()
    });
    let mut problems = report.warnings.clone();
    for result in results {
        problems.extend(result?);
    }
    problems.sort_by(|a, b| (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message)));
    problems.dedup();
    Ok(problems)
}

//! `check`: everything `build` would report, for every audience, without writing a file; and
//! numbers typed in the narrative that give the old value of a figure changed since the last build.

use crate::cli::{CheckArgs, CheckFormat};
use crate::cmd::console::Console;
use crate::cmd::{errors, figures_path, plural};
use crate::diagnostic::{self, Diagnostic};
use crate::error::{Error, ExitStatus};
use crate::export::Export;
use crate::export::render::{RenderError, render};
use crate::report::{LoadError, Report};
use crate::template::ledger::{Ledger, fig_call_for, stale_numbers};

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
            let errors = errors(&problems);
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
                    Err(RenderError::Usage(message)) => Err(Error::Usage(message)),
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
    problems.extend(stale_warnings(&report));
    problems.sort_by(|a, b| (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message)));
    problems.dedup();
    Ok(problems)
}

/// A warning for each number typed in the narrative that gives the old value of a figure changed
/// since the last build (`out/NAME.figures.json`, for each audience that has one); one per place
/// and figure, though several audiences saw it change.
fn stale_warnings(report: &Report) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    let mut warnings = Vec::new();
    for audience in report.audiences.all() {
        let path = figures_path(&report.dir.join("out").join(format!("{}.pdf", audience.name)));
        let Some(earlier) = std::fs::read_to_string(&path).ok().and_then(|t| serde_json::from_str::<Ledger>(&t).ok())
        else {
            continue;
        };
        let changes = Ledger::new(report, audience).changes_since(&earlier);
        for s in stale_numbers(&changes, &report.narrative) {
            let place = (s.literal.file.clone(), s.literal.line, s.literal.column, s.key.clone());
            if !seen.insert(place) {
                continue;
            }
            let message = format!(
                "`{}` may be stale: `{}` was {} at the last build and is now {}",
                s.literal.text, s.key, s.before, s.after
            );
            let warning = Diagnostic::warning(&s.literal.file, s.literal.line, s.literal.column, message);
            warnings.push(match fig_call_for(&s.key) {
                Some(call) => warning.with_hint(format!("write `{call}`, which follows the data")),
                None => warning.with_hint("update it, or write it with `fig`"),
            });
        }
    }
    warnings
}

//! `check`: everything `build` would report, for every audience, without writing a file; and
//! numbers typed in the narrative that give the old value of a figure changed since the last build.

use crate::cli::{CheckArgs, CheckFormat};
use crate::cmd::console::Console;
use crate::cmd::{errors, figures_path, plural};
use crate::diagnostic::{self, Diagnostic};
use crate::error::{Error, ExitStatus};
use crate::export::Export;
use crate::export::render::{RenderError, prepare};
use crate::input::audience::Audience;
use crate::report::{LoadError, Report};
use crate::template::ledger::{Ledger, fig_call_for, stale_numbers};
use std::sync::Arc;

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
            let warnings = problems.iter().filter(|p| !p.is_error()).map(|p| p.stands_for).sum::<usize>();
            console.result(&format!("{errors} error{}, {warnings} warning{}", plural(errors), plural(warnings)));
        }
    }
    status
}

/// Every problem of the report and of each audience's document, or the failure that stopped it.
fn collect(args: &CheckArgs) -> Result<Vec<Diagnostic>, Error> {
    let report = match Report::load(&args.dir) {
        Ok(report) => Arc::new(report),
        Err(LoadError::Invalid(problems)) => return Ok(problems),
        Err(LoadError::Io(path, e)) => return Err(Error::Read(path, e)),
    };
    let mut problems = report.warnings.clone();
    // One audience, and one volume, at a time: each document is dropped once checked, so the
    // memory a check needs is that of the largest volume, not of every document together.
    for audience in report.audiences.all() {
        problems.extend(check_audience(&report, audience)?);
        typst::comemo::evict(0);
    }
    problems.extend(stale_warnings(&report));
    problems.sort_by(|a, b| (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message)));
    problems.dedup();
    Ok(problems)
}

/// Every problem of one audience's document, compiled and exported volume by volume as `build`
/// would, without writing a file or keeping what was laid out.
fn check_audience(report: &Arc<Report>, audience: &Audience) -> Result<Vec<Diagnostic>, Error> {
    let failed = |error: RenderError| match error {
        RenderError::Template(problems) => Ok(problems),
        RenderError::Io(e) => Err(Error::read(&report.dir, e)),
        RenderError::Usage(message) => Err(Error::Usage(message)),
    };
    let prepared = match prepare(report, audience) {
        Ok(prepared) => prepared,
        Err(error) => return failed(error),
    };
    let mut problems = Vec::new();
    let mut world = None;
    for volume in prepared.volumes() {
        match prepared.render(&mut world, &Export::default(), *volume) {
            Ok(rendered) => problems.extend(rendered.warnings),
            Err(error) => problems.extend(failed(error)?),
        }
        if volume.is_some() {
            typst::comemo::evict(0);
        }
    }
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

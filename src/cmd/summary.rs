//! `summary`: the figures in the terminal, with the rows behind them or what changed since a build
//! (and which numbers typed in the narrative still give a changed figure's old value).

use std::collections::HashMap;
use std::fs;

use crate::cli::{CheckFormat, SummaryArgs};
use crate::cmd::console::Console;
use crate::cmd::{load, plural, select};
use crate::error::{Error, ExitStatus};
use crate::report::{Keep, LoadError, Report};
use crate::template::ledger::{Change, Ledger, Line, Stale, fig_call_for, stale_numbers};

/// Runs `summary`.
pub fn run(args: &SummaryArgs, console: &mut Console) -> ExitStatus {
    let keep = if args.explain { Keep::Rows } else { Keep::Figures };
    let loaded = if args.format == CheckFormat::Json {
        load_for_json(&args.report.dir, keep, console)
    } else {
        load(&args.report.dir, keep, no_figures, console)
    };
    let report = match loaded {
        Ok(r) => r,
        Err(status) => return status,
    };
    let audience = match select(&report.audiences, args.report.audience.as_deref(), console) {
        Ok(a) => a,
        Err(status) => return status,
    };
    let ledger = Ledger::new(&report, audience);
    match &args.since {
        Some(path) => {
            let earlier = match fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|text| serde_json::from_str::<Ledger>(&text).map_err(|e| format!("not a figures file: {e}")))
            {
                Ok(l) => l,
                Err(e) => return console.failure(&Error::Other(format!("cannot read `{}`: {e}", path.display()))),
            };
            if earlier.audience != ledger.audience {
                // Labels and texts are in each audience's language: every figure would differ.
                let _ = writeln!(
                    console.err,
                    "warning: `{}` holds the figures of audience `{}`, not `{}`; compare with --audience {}",
                    path.display(),
                    earlier.audience,
                    ledger.audience,
                    earlier.audience
                );
            }
            let changes = ledger.changes_since(&earlier);
            let stale = stale_numbers(&changes, &report.narrative);
            print_changes(&changes, &stale, &path.display().to_string(), args.format, console);
        }
        None => print_figures(&report, &ledger, args, console),
    }
    ExitStatus::Ok
}

/// Loads the report for `--format json`: a program reading the figures gets the problems that
/// stop them as JSON on stdout too (`{"diagnostics": [...]}`, as `check` prints them).
fn load_for_json(dir: &std::path::Path, keep: Keep, console: &mut Console) -> Result<Report, ExitStatus> {
    let (problems, status) = match Report::load_with(dir, keep) {
        Ok(report) => return Ok(report),
        Err(LoadError::Invalid(problems)) => (problems, ExitStatus::Invalid),
        Err(LoadError::Io(path, e)) => (vec![Error::Read(path, e).to_diagnostic()], ExitStatus::Failure),
    };
    let _ = writeln!(console.out, "{}", crate::diagnostic::to_json(&problems));
    Err(status)
}

/// The closing line of a `summary` stopped by errors in the data: "no figures: 1 error".
fn no_figures(errors: usize) -> String {
    format!("no figures: {errors} error{}", plural(errors))
}

/// Prints every figure, and with `--explain` the incident rows behind each.
fn print_figures(report: &Report, ledger: &Ledger, args: &SummaryArgs, console: &mut Console) {
    if args.format == CheckFormat::Json {
        let _ = writeln!(console.out, "{}", ledger.to_json());
        return;
    }
    let width = ledger.figures.iter().map(|l| l.label.chars().count()).max().unwrap_or(0);
    let lines: HashMap<&str, usize> =
        report.kept().iter().flat_map(|r| &r.incidents).map(|i| (i.id.as_str(), i.line)).collect();
    for line in &ledger.figures {
        let _ = writeln!(console.out, "{}  {}", pad(&line.label, width), line.text);
        if args.explain && !line.rows.is_empty() {
            let _ = writeln!(console.out, "{}  {}", pad("", width), explain(report, line, &lines));
        }
    }
}

/// "from incidents.csv lines 4, 6 (2012-02-25-rally, …)".
fn explain(report: &Report, line: &Line, lines: &HashMap<&str, usize>) -> String {
    let rows: Vec<String> = line
        .rows
        .iter()
        .map(|id| match lines.get(id.as_str()) {
            Some(n) => format!("{id} (line {n})"),
            None => id.clone(),
        })
        .collect();
    format!("from {}: {}", report.config.data.incidents.file, rows.join(", "))
}

/// Prints what changed, or says that nothing did, then the narrative's stale numbers.
fn print_changes(changes: &[Change], stale: &[Stale], since: &str, format: CheckFormat, console: &mut Console) {
    if format == CheckFormat::Json {
        let json =
            serde_json::to_string_pretty(&serde_json::json!({ "since": since, "changes": changes, "stale": stale }));
        let _ = writeln!(console.out, "{}", json.unwrap_or_default());
        return;
    }
    if changes.is_empty() {
        let _ = writeln!(console.out, "no figure changed since {since}");
        return;
    }
    for change in changes {
        let text = match change {
            Change::Added(l) => format!("added    {}: {}  [{}]", l.label, l.text, l.key),
            Change::Removed(l) => format!("removed  {}: {}  [{}]", l.label, l.text, l.key),
            Change::Changed { before, after } => {
                format!("changed  {}: {} → {}  [{}]", after.label, before.text, after.text, after.key)
            }
        };
        let _ = writeln!(console.out, "{text}");
    }
    if !stale.is_empty() {
        let _ = writeln!(console.out, "\nnumbers typed in the narrative that give a changed figure's old value:");
    }
    for s in stale {
        let _ = writeln!(console.out, "{}", stale_line(s));
    }
}

/// "sections/02.typ:7:12: `28`: 2012-02-25-rally: Задержано was 28, now 30 [incident.…] (write #fig(…))".
fn stale_line(s: &Stale) -> String {
    let place = format!("{}:{}:{}", s.literal.file, s.literal.line, s.literal.column);
    let write = fig_call_for(&s.key).map(|call| format!(" — write {call}")).unwrap_or_default();
    format!("{place}: `{}`: {} was {}, now {}  [{}]{write}", s.literal.text, s.label, s.before, s.after, s.key)
}

/// `text` padded with spaces to `width` characters.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.chars().count())))
}

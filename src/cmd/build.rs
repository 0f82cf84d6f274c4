//! `build`: load the report, render the chosen audiences (in parallel), write each PDF atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cli::BuildArgs;
use crate::cmd::console::Console;
use crate::cmd::{build_failed, errors, figures_path, load, plural, select};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, ExitStatus};
use crate::export::Export;
use crate::export::output::write_atomic;
use crate::export::render::{RenderError, render_in};
use crate::input::audience::Audience;
use crate::report::{Keep, Report};
use crate::world::ReportWorld;

/// How building one audience ended.
enum Outcome {
    /// Written to these paths (the figures file beside them), with these warnings, each step
    /// taking this long.
    Written(Vec<PathBuf>, PathBuf, Vec<Diagnostic>, Vec<(&'static str, Duration)>),
    /// The template or narrative has errors; nothing written.
    Invalid(Vec<Diagnostic>),
    /// An I/O failure; nothing written.
    Failed(Error),
}

/// What one build leaves for the next in the same process (`watch`): each audience's Typst
/// world, so sources that did not change are not parsed again.
#[derive(Default)]
pub struct Session {
    worlds: HashMap<String, Option<ReportWorld>>,
    /// Every file the builds of this session wrote, so `watch` never takes its own output for
    /// a change of the input.
    pub written: std::collections::BTreeSet<PathBuf>,
}

/// Runs `build`, printing each written path on stdout and problems on stderr.
pub fn run(args: &BuildArgs, console: &mut Console) -> ExitStatus {
    run_in(&mut Session::default(), args, console)
}

/// [`run`], reusing and updating what `session` kept from an earlier build.
pub fn run_in(session: &mut Session, args: &BuildArgs, console: &mut Console) -> ExitStatus {
    let started = Instant::now();
    let export = match args.settings() {
        Ok(export) => export,
        Err(e) => return console.failure(&e),
    };
    let report = match load(&args.report.dir, Keep::Figures, build_failed, console) {
        Ok(r) => Arc::new(r),
        Err(status) => return status,
    };
    let loaded = started.elapsed();
    let audiences: Vec<&Audience> = if args.all_audiences {
        report.audiences.all().collect()
    } else {
        match select(&report.audiences, args.report.audience.as_deref(), console) {
            Ok(a) => vec![a],
            Err(status) => return status,
        }
    };
    let spinner = console.spinner(&format!("typesetting {}", plural_audiences(audiences.len())));
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = audiences
            .iter()
            .map(|audience| {
                let report = &report;
                let output = args.output.clone().unwrap_or_else(|| default_output(report, &audience.name));
                let export = &export;
                let mut world = session.worlds.remove(&audience.name).flatten();
                scope.spawn(move || {
                    let outcome = build_one(&mut world, report, audience, &output, export);
                    (outcome, world)
                })
            })
            .collect();
        let crashed = || (Outcome::Failed(Error::Other("the build crashed".into())), None);
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| crashed())).collect::<Vec<_>>()
    })
    .into_iter()
    .zip(&audiences)
    .map(|((outcome, world), audience)| {
        session.worlds.insert(audience.name.clone(), world);
        outcome
    })
    .collect();
    spinner.finish_and_clear();
    let several = audiences.len() > 1;
    let mut status = ExitStatus::Ok;
    for (audience, outcome) in audiences.iter().zip(outcomes) {
        if let Outcome::Written(paths, figures, ..) = &outcome {
            session.written.extend(paths.iter().chain([figures]).cloned());
        }
        status = status.max(report_outcome(&audience.name, outcome, several, console));
    }
    console.progress(&format!(
        "built in {:.2} s (reading and checking the data: {})",
        started.elapsed().as_secs_f64(),
        milliseconds(loaded)
    ));
    status
}

/// Renders one audience (in `world`, when kept from an earlier build) and writes its files (the
/// PDF or page images) and its figures.
fn build_one(
    world: &mut Option<ReportWorld>,
    report: &Arc<Report>,
    audience: &Audience,
    output: &Path,
    export: &Export,
) -> Outcome {
    match render_in(world, report, audience, export) {
        Ok(mut rendered) => {
            let writing = Instant::now();
            let several = rendered.files.len() > 1;
            let mut written = Vec::new();
            for (page, bytes) in &rendered.files {
                let path = export.path_for(output, *page, several);
                if let Err(e) = write_atomic(&path, bytes) {
                    return Outcome::Failed(Error::write(&path, e));
                }
                written.push(path);
            }
            let figures = figures_path(output);
            if let Err(e) = write_atomic(&figures, rendered.figures.as_bytes()) {
                return Outcome::Failed(Error::write(&figures, e));
            }
            rendered.timings.push(("write", writing.elapsed()));
            Outcome::Written(written, figures, rendered.warnings, rendered.timings)
        }
        Err(RenderError::Template(problems)) => Outcome::Invalid(problems),
        Err(RenderError::Io(e)) => Outcome::Failed(Error::read(&report.dir, e)),
        Err(RenderError::Usage(message)) => Outcome::Failed(Error::Usage(message)),
    }
}

/// Prints how one audience's build ended; returns its exit status.
fn report_outcome(audience: &str, outcome: Outcome, several: bool, console: &mut Console) -> ExitStatus {
    let prefix = if several { format!("audience `{audience}`: ") } else { String::new() };
    match outcome {
        Outcome::Written(paths, _, warnings, timings) => {
            console.problems(&warnings);
            let steps: Vec<String> = timings.iter().map(|(step, t)| format!("{step} {}", milliseconds(*t))).collect();
            console.progress(&format!("{prefix}{}", steps.join(", ")));
            for path in paths {
                console.result(&path.display().to_string());
            }
            ExitStatus::Ok
        }
        Outcome::Invalid(problems) => {
            console.problems(&problems);
            console.error(&format!("{prefix}{}", build_failed(errors(&problems))));
            ExitStatus::Invalid
        }
        Outcome::Failed(error) if several => console.failure(&Error::Other(format!("{prefix}{error}"))),
        Outcome::Failed(error) => console.failure(&error),
    }
}

/// `DIR/out/NAME.pdf` (`out/NAME.pdf` when DIR is the current folder).
fn default_output(report: &Report, audience: &str) -> PathBuf {
    let dir = if report.dir == Path::new(".") { Path::new("") } else { report.dir.as_path() };
    dir.join("out").join(format!("{audience}.pdf"))
}

/// "1 audience", "3 audiences".
fn plural_audiences(n: usize) -> String {
    format!("{n} audience{}", plural(n))
}

/// A duration in milliseconds: "12.3 ms".
fn milliseconds(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

//! `build`: load the report, render the chosen audiences (in parallel for a small report, one at a
//! time for a large one; a long document volume by volume), write each PDF atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cli::BuildArgs;
use crate::cmd::console::{self, Console};
use crate::cmd::{build_failed, errors, figures_path, load, plural, select};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, ExitStatus};
use crate::export::Export;
use crate::export::output::{remove_stale_volumes, stage};
use crate::export::render::{RenderError, prepare};
use crate::export::volumes;
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
    // Small reports build every audience at once; a large one, one audience at a time, so the
    // memory a build needs is that of its largest document (or volume), not of all together.
    let at_once = if report.summary.totals.incidents <= AT_ONCE_UP_TO { audiences.len().max(1) } else { 1 };
    let mut outcomes = Vec::new();
    for group in audiences.chunks(at_once) {
        let crashed = || (Outcome::Failed(Error::Other("the build crashed".into())), None);
        // The build of one audience, with its output and the world kept from its last build.
        let mut job = job_of(|audience| {
            let output = args.output.clone().unwrap_or_else(|| default_output(&report, &audience.name));
            let mut world = session.worlds.remove(&audience.name).flatten();
            let (report, export, bar) = (&report, &export, &spinner);
            move || {
                let outcome = build_one(&mut world, report, audience, &output, export, bar);
                (outcome, world)
            }
        });
        // One audience is built on this thread: Typst then reuses the memory that reading the
        // data freed here, not a new thread's own. The press brief of a million incidents
        // peaked at 55-59 MB over ten runs, against 55-65 MB built on a thread of its own (six
        // runs; both with the id index given back, see `validate::BLOCK`).
        let built: Vec<(Outcome, Option<ReportWorld>)> = if let [audience] = group {
            vec![std::panic::catch_unwind(std::panic::AssertUnwindSafe(job(audience))).unwrap_or_else(|_| crashed())]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = group.iter().map(|audience| scope.spawn(job(audience))).collect();
                handles.into_iter().map(|h| h.join().unwrap_or_else(|_| crashed())).collect()
            })
        };
        drop(job);
        for ((outcome, world), audience) in built.into_iter().zip(group) {
            session.worlds.insert(audience.name.clone(), world);
            outcomes.push(outcome);
        }
        release_memory(&report);
    }
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

/// `make`, as the closure that makes an audience's build (Rust infers a closure's lifetimes
/// from its use only through a signature like this one).
fn job_of<'a, R>(make: impl FnMut(&'a Audience) -> R) -> impl FnMut(&'a Audience) -> R {
    make
}

/// Reports with at most this many incidents build all their audiences at once (in parallel).
const AT_ONCE_UP_TO: usize = 1000;

/// Lets go of what Typst keeps from the documents laid out so far: everything, for a large
/// report (its documents are large and not built again soon); for a small one, only what the
/// last ten compilations did not use, so `watch` rebuilds stay quick.
fn release_memory(report: &Report) {
    typst::comemo::evict(if report.summary.totals.incidents <= AT_ONCE_UP_TO { 10 } else { 0 });
}

/// Renders one audience (in `world`, when kept from an earlier build), volume by volume when it
/// is split (with `bar` counting them), and writes its files (the PDF or page images of each
/// volume) and its figures: all at once when every volume was made, else none. Files of volumes
/// an earlier, longer build made are removed.
fn build_one(
    world: &mut Option<ReportWorld>,
    report: &Arc<Report>,
    audience: &Audience,
    output: &Path,
    export: &Export,
    bar: &indicatif::ProgressBar,
) -> Outcome {
    let failed = |error: RenderError| match error {
        RenderError::Template(problems) => Outcome::Invalid(problems),
        RenderError::Io(e) => Outcome::Failed(Error::read(&report.dir, e)),
        RenderError::Usage(message) => Outcome::Failed(Error::Usage(message)),
    };
    let prepared = match prepare(report, audience) {
        Ok(prepared) => prepared,
        Err(error) => return failed(error),
    };
    let parts = prepared.volumes();
    if parts.len() > 1 {
        console::count_volumes(bar, &audience.name, parts.len());
    }
    let mut staged = Vec::new();
    let (mut warnings, mut timings, mut figures) = (Vec::new(), Vec::new(), String::new());
    for volume in parts {
        let rendered = match prepared.render(world, export, *volume) {
            Ok(rendered) => rendered,
            Err(error) => return failed(error),
        };
        let writing = Instant::now();
        let base = volume.map_or_else(|| output.to_path_buf(), |v| volumes::path(output, v.number));
        let several = rendered.files.len() > 1;
        for (page, bytes) in &rendered.files {
            let path = export.path_for(&base, *page, several);
            match stage(&path, bytes) {
                Ok(file) => staged.push(file),
                Err(e) => return Outcome::Failed(Error::write(&path, e)),
            }
        }
        add_timings(&mut timings, rendered.timings.into_iter().chain([("write", writing.elapsed())]));
        warnings.extend(rendered.warnings.into_iter().filter(|w| !warnings.contains(w)).collect::<Vec<_>>());
        figures = rendered.figures;
        if volume.is_some() {
            // Only one volume's layout is ever held.
            typst::comemo::evict(0);
            bar.inc(1);
        }
    }
    let figures_file = figures_path(output);
    let written: Vec<PathBuf> = staged.iter().map(|s| s.path().to_path_buf()).collect();
    let committed = stage(&figures_file, figures.as_bytes())
        .and_then(|figures| staged.into_iter().chain([figures]).try_for_each(|file| file.commit()));
    if let Err(e) = committed {
        return Outcome::Failed(Error::write(output, e));
    }
    if export.format == crate::export::Format::Pdf
        && let Err(e) = remove_stale_volumes(output, parts.len())
    {
        return Outcome::Failed(Error::write(output, e));
    }
    Outcome::Written(written, figures_file, warnings, timings)
}

/// Adds each step's time to the same step's total (volumes take the same steps).
fn add_timings(totals: &mut Vec<(&'static str, Duration)>, more: impl IntoIterator<Item = (&'static str, Duration)>) {
    for (step, time) in more {
        match totals.iter_mut().find(|(s, _)| *s == step) {
            Some((_, total)) => *total += time,
            None => totals.push((step, time)),
        }
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

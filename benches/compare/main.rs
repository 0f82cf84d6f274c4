//! osce-report against the plain-Typst approach, side by side: `cargo bench --bench compare`.
//!
//! Every measurement is a fresh process (this binary re-run as a worker), timed from spawn to
//! exit, its peak resident memory read from `/proc/self/status` (`VmHWM`) just before it exits.
//! Both sides use the same typst 0.15 engine and the same embedded fonts; the plain side is
//! what `typst compile` does with a template that reads the CSV with `csv()`.
//!
//! Environment: `COMPARE_SIZES` (summary sizes, default `100,10000,100000,1000000`),
//! `COMPARE_ANNEX` (default `1000,2000,4000,8000`), `COMPARE_RUNS` (default 5; 3 above 100 000
//! rows), `COMPARE_KEEP=1` keeps the generated folders. `cargo bench --bench compare -- worker
//! generate DIR N` only writes a synthetic report folder of N incidents.
//! See docs/performance.md for the results and what they mean.

mod plain;
mod synth;

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use clap::Parser;
use codespan_reporting::term::termcolor::NoColor;
use osce_report::cli::{Cli, Command};
use osce_report::cmd::console::Console;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("worker") {
        worker(&args[2..]);
    } else {
        harness();
    }
}

// ---------------------------------------------------------------------------------------------
// Workers: one measurement each, in a process of its own.
// ---------------------------------------------------------------------------------------------

fn worker(args: &[String]) {
    match args.first().map(String::as_str) {
        // ours DIR AUDIENCE OUT: exactly `osce-report -q build DIR --audience AUDIENCE -o OUT`.
        Some("ours") => {
            let status = osce(&["-q", "build", &args[1], "--audience", &args[2], "-o", &args[3]]);
            assert_eq!(status, 0, "osce-report build failed");
        }
        // plain DIR FILE OUT: `typst compile DIR/FILE OUT` with the folder as root.
        Some("plain") => plain::compile(Path::new(&args[1]), &args[2], Path::new(&args[3])),
        // warm DIR ROUNDS: build, then ROUNDS times edit one cell and build again in this process
        // (what `watch` does); prints the milliseconds of each build.
        Some("warm") => {
            let dir = Path::new(&args[1]);
            let rounds: usize = args[2].parse().expect("a number of rounds");
            let out = dir.join("out/osce.pdf");
            let cli = Cli::try_parse_from(["osce-report", "-v", "build", &args[1], "-o", out.to_str().expect("UTF-8")])
                .expect("valid arguments");
            let Command::Build(build_args) = &cli.command else { unreachable!("a build command line") };
            // As `watch` does: one session, kept from round to round.
            let mut session = osce_report::cmd::build::Session::default();
            // Each build's time, and how much of it Typst's compile and export took (from -v).
            let mut build = || {
                let started = Instant::now();
                let mut out = std::io::sink();
                let mut err = NoColor::new(Vec::new());
                let mut console = Console { out: &mut out, err: &mut err, verbosity: cli.verbosity() };
                let status = osce_report::cmd::build::run_in(&mut session, build_args, &mut console);
                assert_eq!(status.code(), 0);
                typst::comemo::evict(10);
                let took = started.elapsed().as_secs_f64() * 1e3;
                let log = String::from_utf8_lossy(&err.into_inner()).into_owned();
                (took, step_ms(&log, "compile") + step_ms(&log, "export"))
            };
            let mut times = vec![build()];
            let csv = dir.join("incidents.csv");
            let original = std::fs::read_to_string(&csv).expect("incidents.csv");
            for round in 0..rounds {
                // One cell: the participants of the first incident, `~1000` → `~1001`, `~1002`, …
                let edited = original.replacen(",~1000,", &format!(",~{},", 1001 + round), 1);
                assert_ne!(edited, original, "the example's first incident has `~1000` participants");
                std::fs::write(&csv, edited).expect("incidents.csv edited");
                times.push(build());
            }
            let line =
                |f: fn(&(f64, f64)) -> f64| times.iter().map(|t| format!("{:.2}", f(t))).collect::<Vec<_>>().join(" ");
            println!("{}", line(|t| t.0));
            println!("{}", line(|t| t.1));
        }
        // phases DIR: where a cold build's time goes, ours and Typst's.
        Some("phases") => {
            let started = Instant::now();
            let report = std::sync::Arc::new(
                osce_report::report::Report::load(Path::new(&args[1])).unwrap_or_else(|_| panic!("loads")),
            );
            let load = started.elapsed();
            let audience = report.audiences.get(None).expect("default audience");
            let export = osce_report::export::Export::default();
            let rendered =
                osce_report::export::render::render(&report, audience, &export).unwrap_or_else(|_| panic!("renders"));
            let mut line = vec![format!("load={:.2}", load.as_secs_f64() * 1e3)];
            line.extend(rendered.timings.iter().map(|(name, t)| format!("{name}={:.2}", t.as_secs_f64() * 1e3)));
            println!("{}", line.join(" "));
        }
        // generate DIR N: only write a synthetic report folder (to profile or try by hand).
        Some("generate") => {
            let made = synth::write_report(Path::new(&args[1]), args[2].parse().expect("a number of incidents"), 42);
            println!("{} incidents, {} sanctions, {:.1} MB", made.incidents, made.sanctions, made.bytes as f64 / 1e6);
        }
        other => panic!("unknown worker mode {other:?}"),
    }
    println!("peak_kb={}", peak_kb());
}

/// The milliseconds a `-v` build log gives for `step` ("compile 9.1 ms").
fn step_ms(log: &str, step: &str) -> f64 {
    log.split(", ")
        .filter_map(|part| part.trim().strip_prefix(step)?.trim().strip_suffix(" ms")?.parse::<f64>().ok())
        .sum()
}

/// Runs an osce-report command line in this process; returns its exit code.
fn osce(args: &[&str]) -> u8 {
    let cli = Cli::try_parse_from(std::iter::once("osce-report").chain(args.iter().copied())).expect("valid arguments");
    let mut out = std::io::sink();
    let mut err = osce_report::cmd::console::stderr(Some(false));
    let mut console = Console { out: &mut out, err: &mut err, verbosity: cli.verbosity() };
    osce_report::run(&cli, &mut console).code()
}

/// This process's peak resident memory in kB (Linux).
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().trim_end_matches(" kB").to_string()))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// The harness: generate, run each side several times, print medians and ratios.
// ---------------------------------------------------------------------------------------------

/// One finished worker: wall time from spawn to exit, peak memory, and what it printed.
struct Run {
    wall: Duration,
    peak_mb: f64,
    stdout: String,
}

fn spawn(args: &[&str]) -> Run {
    let exe = std::env::current_exe().expect("this binary");
    let started = Instant::now();
    let output = Process::new(exe).arg("worker").args(args).output().expect("the worker starts");
    let wall = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "worker {args:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let peak_kb: f64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak_kb="))
        .and_then(|v| v.parse().ok())
        .expect("the worker prints its peak memory");
    Run { wall, peak_mb: peak_kb / 1024.0, stdout }
}

/// The median wall time (s) and median peak memory (MB) of `runs` runs.
fn measure(runs: usize, args: &[&str]) -> (f64, f64) {
    let mut results: Vec<Run> = (0..runs).map(|_| spawn(args)).collect();
    results.sort_by_key(|r| r.wall);
    let wall = results[results.len() / 2].wall.as_secs_f64();
    let mut peaks: Vec<f64> = results.iter().map(|r| r.peak_mb).collect();
    peaks.sort_by(f64::total_cmp);
    (wall, peaks[peaks.len() / 2])
}

fn sizes(var: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(var)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().replace('_', "").parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

fn runs_for(n: usize) -> usize {
    let base = std::env::var("COMPARE_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    if n > 100_000 { base.min(3) } else { base }
}

fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 paths")
}

fn harness() {
    let keep = std::env::var("COMPARE_KEEP").is_ok_and(|v| v == "1");
    let temp = tempfile::Builder::new().prefix("osce-compare-").tempdir().expect("a temporary folder");
    let root: PathBuf = if keep { temp.keep() } else { temp.path().to_path_buf() };
    println!("osce-report vs plain Typst (same typst 0.15 engine), medians of fresh processes");
    println!("folders: {}{}", root.display(), if keep { " (kept)" } else { "" });

    println!();
    println!("## Summary-only build: N incidents and their sanctions");
    println!();
    println!(
        "| N | sanctions | CSV MB | plain Typst s | plain MB | osce-report s | osce-report MB | speed-up | of which Typst ms | press brief s | press MB |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut targets = Vec::new();
    for n in sizes("COMPARE_SIZES", &[100, 10_000, 100_000, 1_000_000]) {
        let dir = root.join(format!("summary-{n}"));
        let made = synth::write_report(&dir, n, 42);
        let runs = runs_for(n);
        let (plain_s, plain_mb) = measure(runs, &["plain", s(&dir), "plain.typ", s(&dir.join("plain.pdf"))]);
        let (ours_s, ours_mb) = measure(runs, &["ours", s(&dir), "totals", s(&dir.join("out/totals.pdf"))]);
        let (press_s, press_mb) = measure(runs, &["ours", s(&dir), "press", s(&dir.join("out/press.pdf"))]);
        // How long Typst itself takes (compile and export): the same at every size when the
        // template shows only figures.
        let phases = phases_of(&spawn(&["phases", s(&dir)]));
        let typst_ms: f64 = phases.iter().filter(|(k, _)| k == "compile" || k == "export").map(|(_, v)| v).sum();
        let speedup = plain_s / ours_s;
        println!(
            "| {} | {} | {:.1} | {plain_s:.3} | {plain_mb:.0} | {ours_s:.3} | {ours_mb:.0} | {speedup:.1}× | {typst_ms:.0} | {press_s:.3} | {press_mb:.0} |",
            made.incidents,
            made.sanctions,
            made.bytes as f64 / 1e6,
        );
        if n == 100_000 {
            targets.push((format!("summary of 100 000: {speedup:.1}× faster than plain Typst"), speedup >= 10.0));
        }
        if n == 1_000_000 {
            targets.push((
                format!("summary of 1 000 000: {speedup:.1}× faster than plain Typst, peak {ours_mb:.0} MB"),
                speedup >= 20.0 && ours_mb < 300.0,
            ));
        }
        if !keep {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    println!();
    println!("## Annex (every incident and sanction in tables): osce-report vs the same tables written out in Typst");
    println!();
    println!(
        "| N | direct Typst s | osce-report annex s | ratio | annex ms per 1 000 incidents | direct MB | annex MB |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let mut per_thousand = Vec::new();
    let mut worst_ratio: f64 = 0.0;
    for n in sizes("COMPARE_ANNEX", &[1_000, 2_000, 4_000, 8_000]) {
        let dir = root.join(format!("annex-{n}"));
        synth::write_report(&dir, n, 7);
        let runs = runs_for(n).min(3);
        let (direct_s, direct_mb) = measure(runs, &["plain", s(&dir), "direct.typ", s(&dir.join("direct.pdf"))]);
        let (ours_s, ours_mb) = measure(runs, &["ours", s(&dir), "annex", s(&dir.join("out/annex.pdf"))]);
        let cost = ours_s * 1e3 / (n as f64 / 1000.0);
        println!(
            "| {n} | {direct_s:.3} | {ours_s:.3} | {:.2}× | {cost:.0} | {direct_mb:.0} | {ours_mb:.0} |",
            ours_s / direct_s
        );
        worst_ratio = worst_ratio.max(ours_s / direct_s);
        per_thousand.push(cost);
        if !keep {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    if let (Some(first), Some(last)) = (per_thousand.first(), per_thousand.last()) {
        targets.push((format!("annex: at most {worst_ratio:.2}× the direct table"), worst_ratio <= 1.2));
        targets.push((
            format!(
                "annex grows linearly: {last:.0} ms per 1 000 incidents at the largest size, {first:.0} at the smallest"
            ),
            *last <= first * 1.3,
        ));
    }

    println!();
    println!("## The example (data/kazakhstan-2012), audience `osce`");
    println!();
    let example = root.join("example");
    copy_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/kazakhstan-2012"), &example);
    std::fs::create_dir_all(example.join("out")).expect("folder created");
    let (cold_s, cold_mb) = measure(9, &["ours", s(&example), "osce", s(&example.join("out/osce.pdf"))]);
    let warm = spawn(&["warm", s(&example), "10"]);
    let mut lines = warm.stdout.lines();
    let mut median_rebuild = || {
        let numbers: Vec<f64> = lines.next().expect("times").split(' ').filter_map(|t| t.parse().ok()).collect();
        let (first, mut rebuilds) = (numbers[0], numbers[1..].to_vec());
        rebuilds.sort_by(f64::total_cmp);
        (first, rebuilds[rebuilds.len() / 2], rebuilds.len())
    };
    let (first_ms, warm_ms, rounds) = median_rebuild();
    let (_, warm_typst_ms, _) = median_rebuild();
    let phases = spawn(&["phases", s(&example)]);
    println!("| measure | value |");
    println!("|---|---:|");
    println!("| cold build, whole process | {:.1} ms, {cold_mb:.0} MB |", cold_s * 1e3);
    println!("| first build inside `watch` | {first_ms:.1} ms |");
    println!("| warm rebuild after a one-cell edit (median of {rounds}) | {warm_ms:.1} ms |");
    println!("| of which Typst's compile and export | {warm_typst_ms:.1} ms |");
    println!("| warm / cold | 1/{:.1} |", cold_s * 1e3 / warm_ms);
    println!("| Typst's part of a warm rebuild / cold | 1/{:.1} |", cold_s * 1e3 / warm_typst_ms);
    let parts = phases_of(&phases);
    let total: f64 = parts.iter().map(|(_, v)| v).sum();
    for (name, ms) in &parts {
        let whose = if name == "compile" || name == "export" { "Typst" } else { "osce-report" };
        println!("| cold step `{name}` ({whose}) | {ms:.1} ms ({:.0} %) |", ms / total * 100.0);
    }
    let ours: f64 = parts.iter().filter(|(k, _)| k != "compile" && k != "export").map(|(_, v)| v).sum();
    targets.push((
        format!("warm rebuild: 1/{:.1} of a cold build", cold_s * 1e3 / warm_ms),
        warm_ms * 5.0 <= cold_s * 1e3,
    ));
    targets.push((
        format!(
            "cold build: osce-report's own steps {:.0} % of the work, Typst {:.0} %",
            ours / total * 100.0,
            100.0 - ours / total * 100.0
        ),
        ours < total / 4.0,
    ));

    println!();
    println!("## Targets (issue 6), from this run");
    println!();
    for (what, holds) in targets {
        println!("- {} {what}", if holds { "holds:" } else { "DOES NOT HOLD:" });
    }
}

/// The `name=ms` steps a `phases` worker printed.
fn phases_of(run: &Run) -> Vec<(String, f64)> {
    let line = run.stdout.lines().next().unwrap_or_default();
    line.split(' ')
        .filter_map(|p| p.split_once('='))
        .filter_map(|(k, v)| Some((k.to_string(), v.parse::<f64>().ok()?)))
        .collect()
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder created");
    for entry in std::fs::read_dir(from).expect("the example").flatten() {
        let name = entry.file_name();
        if name == "out" {
            continue;
        }
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).expect("file copied");
        }
    }
}

//! osce-report against the peers a user would pick, side by side: `cargo bench --bench compare`.
//!
//! Every measurement is a fresh process (this binary re-run as a worker), timed from spawn to
//! exit, its peak resident memory read from `/proc/self/status` (`VmHWM`) just before it exits.
//! The peers, in one run on the same files:
//! - `cat` of the CSV files: reading them, the floor;
//! - DuckDB: `read_csv` and SQL sums in Python's `duckdb` package, written to JSON and shown by
//!   Typst (skipped with a note when `import duckdb` fails); its peak is the larger of Python's
//!   and the Typst step's;
//! - the lean plain-Typst template a Typst user would write (`csv()`, strip `~ > <`, sum four
//!   columns), compiled as `typst compile` does, with the same typst 0.15 engine and fonts;
//! - the heavy plain-Typst template, which also keeps approximate and blank counts apart and adds
//!   the by-kind and by-month tables, as a second line.
//!
//! Environment: `COMPARE_SIZES` (summary sizes, default `10000,100000,1000000`),
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
        // summary DIR: exactly `osce-report -q summary DIR` (the figures as text, no PDF).
        Some("summary") => {
            let status = osce(&["-q", "summary", &args[1]]);
            assert_eq!(status, 0, "osce-report summary failed");
        }
        // plain DIR FILE OUT: `typst compile DIR/FILE OUT` with the folder as root.
        Some("plain") => plain::compile(Path::new(&args[1]), &args[2], Path::new(&args[3])),
        // duckdb DIR OUT: `python3 duckdb_sums.py DIR` (DuckDB's read_csv and SQL sums into
        // sums.json), then `typst compile duckdb.typ OUT`. The Python process's peak memory is
        // printed as `child_kb=`.
        Some("duckdb") => {
            let dir = Path::new(&args[1]);
            let python =
                Process::new("python3").arg(dir.join("duckdb_sums.py")).arg(dir).output().expect("python3 starts");
            let printed = String::from_utf8_lossy(&python.stdout);
            assert!(python.status.success(), "duckdb_sums.py failed: {}", String::from_utf8_lossy(&python.stderr));
            let child = printed.lines().find_map(|l| l.strip_prefix("peak_kb=")).expect("the script prints its peak");
            println!("child_kb={child}");
            plain::compile(dir, "duckdb.typ", Path::new(&args[2]));
        }
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
            let audience =
                report.audiences.get(None).unwrap_or_else(|known| panic!("no default audience among `{known}`"));
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
    let printed = |key: &str| stdout.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.parse::<f64>().ok());
    // A pipeline's peak is its largest process's: the worker's own, or a child's it reports.
    let peak_kb =
        printed("peak_kb=").expect("the worker prints its peak memory").max(printed("child_kb=").unwrap_or(0.0));
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
    println!("osce-report vs DuckDB and plain Typst (same typst 0.15 engine), medians of fresh processes");
    println!("folders: {}{}", root.display(), if keep { " (kept)" } else { "" });

    let duckdb = duckdb_available();
    println!();
    println!("## The headline figures of N incidents: osce-report and the peers a user would pick");
    println!();
    println!("Seconds (median wall time of fresh processes) and peak memory in MB.");
    if !duckdb {
        println!("DuckDB: skipped, `python3 -c 'import duckdb'` fails here (`pip install duckdb` to include it).");
    }
    println!();
    println!(
        "| N | CSV MB | `cat` s | DuckDB → Typst s | MB | lean Typst s | MB | osce-report press brief s | MB | osce-report `summary` s | MB | osce-report summary-only PDF s | MB | heavy Typst s | MB |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut targets = Vec::new();
    let mut peaks = Vec::new();
    for n in sizes("COMPARE_SIZES", &[10_000, 100_000, 1_000_000]) {
        let dir = root.join(format!("summary-{n}"));
        let made = synth::write_report(&dir, n, 42);
        let runs = runs_for(n);
        let cat_s = time_cat(runs, &dir);
        let (duck_s, duck_mb) =
            if duckdb { measure(runs, &["duckdb", s(&dir), s(&dir.join("duckdb.pdf"))]) } else { (f64::NAN, f64::NAN) };
        let (lean_s, lean_mb) = measure(runs, &["plain", s(&dir), "lean.typ", s(&dir.join("lean.pdf"))]);
        let (press_s, press_mb) = measure(runs, &["ours", s(&dir), "press", s(&dir.join("out/press.pdf"))]);
        let (summary_s, summary_mb) = measure(runs, &["summary", s(&dir)]);
        let (totals_s, totals_mb) = measure(runs, &["ours", s(&dir), "totals", s(&dir.join("out/totals.pdf"))]);
        let (heavy_s, heavy_mb) = measure(runs, &["plain", s(&dir), "plain.typ", s(&dir.join("plain.pdf"))]);
        println!(
            "| {} | {:.1} | {cat_s:.3} | {duck_s:.3} | {duck_mb:.0} | {lean_s:.3} | {lean_mb:.0} | {press_s:.3} | {press_mb:.0} | {summary_s:.3} | {summary_mb:.0} | {totals_s:.3} | {totals_mb:.0} | {heavy_s:.3} | {heavy_mb:.0} |",
            made.incidents,
            made.bytes as f64 / 1e6,
        );
        peaks.push((n, press_mb.max(summary_mb)));
        let slowest = press_s.max(summary_s);
        let ratio = |peer: f64| format!("{:.1}×", peer / slowest);
        if duckdb {
            let (wanted, name) = match n {
                1_000_000 => (1.0, "at least as fast as"),
                100_000 => (2.0, "at least 2× faster than"),
                10_000 => (4.0, "at least 4× faster than"),
                _ => (0.0, ""),
            };
            if wanted > 0.0 {
                targets.push((
                    format!("{n}: press brief and `summary` {name} DuckDB → Typst: {}", ratio(duck_s)),
                    duck_s >= wanted * slowest,
                ));
            }
        }
        if n == 100_000 {
            targets.push((
                format!("{n}: at least 10× faster than the lean Typst template: {}", ratio(lean_s)),
                lean_s >= 10.0 * slowest,
            ));
        }
        if n == 1_000_000 {
            targets.push((
                format!("{n}: peak memory at most 64 MB: press brief {press_mb:.0} MB, `summary` {summary_mb:.0} MB"),
                press_mb <= 64.0 && summary_mb <= 64.0,
            ));
        }
        if !keep {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    if let (Some((small, first)), Some((large, last))) = (peaks.first(), peaks.last())
        && large > small
    {
        targets.push((
            format!("peak memory grows {:.2}× from {small} to {large} incidents", last / first),
            *last < 2.0 * first,
        ));
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
    println!("## Targets, from this run");
    println!();
    for (what, holds) in targets {
        println!("- {} {what}", if holds { "holds:" } else { "DOES NOT HOLD:" });
    }
}

/// Whether the DuckDB peer can run: Python with the `duckdb` package.
fn duckdb_available() -> bool {
    Process::new("python3").args(["-c", "import duckdb"]).output().is_ok_and(|o| o.status.success())
}

/// The median seconds of `cat incidents.csv sanctions.csv > /dev/null`: reading the files, the floor.
fn time_cat(runs: usize, dir: &Path) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let status = Process::new("cat")
                .args([dir.join("incidents.csv"), dir.join("sanctions.csv")])
                .stdout(std::process::Stdio::null())
                .status()
                .expect("cat starts");
            assert!(status.success());
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
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

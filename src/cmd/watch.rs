//! `watch`: build, then rebuild whenever an input changes, until interrupted.
//!
//! Each round is the same build as `build`; the process stays alive, so Typst's memoized
//! layout, the parsed fonts and each audience's world (its parsed sources) are reused, and a
//! one-cell edit rebuilds much faster than a cold start. A round that fails prints its errors and leaves the last good PDF in place.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use typst_kit::watcher::Watcher;

use crate::cli::BuildArgs;
use crate::cmd::build;
use crate::cmd::console::Console;
use crate::error::{Error, ExitStatus};

/// How many compilations an unused memoized result survives.
const CACHE_AGE: usize = 10;

/// Runs `watch`; returns only when watching itself fails.
pub fn run(args: &BuildArgs, console: &mut Console) -> ExitStatus {
    let mut watcher = match Watcher::new(None) {
        Ok(w) => w,
        Err(e) => return console.failure(&Error::Other(format!("cannot watch files: {e}"))),
    };
    let dir = &args.report.dir;
    let mut session = build::Session::default();
    loop {
        let started = Instant::now();
        // What the build reads, taken before it starts: an edit saved while it runs is new.
        let before = fingerprint(dir, &session.written);
        let status = build::run_in(&mut session, args, console);
        let took = started.elapsed().as_millis();
        match status {
            ExitStatus::Ok => console.progress(&format!("watch: built in {took} ms; waiting for changes")),
            _ => console.error(&format!("watch: the last build failed ({took} ms); the previous PDF is kept")),
        }
        typst::comemo::evict(CACHE_AGE);
        // Wait until an input really changed: a folder's watch also fires for the files this
        // build wrote into it (an `-o` inside the report folder), which must not rebuild again.
        loop {
            if let Err(e) = watcher.update(inputs(dir)).and_then(|()| watcher.wait()) {
                return console.failure(&Error::Other(format!("cannot watch files: {e}")));
            }
            if fingerprint(dir, &session.written) != before {
                break;
            }
        }
    }
}

/// What a change of the input would alter: each input file's path, length and modification
/// time, leaving out the files the builds wrote (and folders, whose times change with them).
fn fingerprint(dir: &Path, written: &BTreeSet<PathBuf>) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut found: Vec<_> = inputs(dir)
        .into_iter()
        .filter(|path| path.is_file() && !written.contains(path) && !written.iter().any(|w| same_file(w, path)))
        .map(|path| {
            let meta = fs::metadata(&path).ok();
            let length = meta.as_ref().map_or(0, fs::Metadata::len);
            let modified = meta.and_then(|m| m.modified().ok());
            (path, length, modified)
        })
        .collect();
    found.sort();
    found
}

/// Whether two paths name the same file (`out/a.pdf` and `./out/a.pdf`).
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Every file and folder of the report that a build may read: all of it but `out/` and hidden
/// entries (editors' swap files, our temporary files). Folders are watched so new files count.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut found = vec![dir.to_path_buf()];
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || (folder == dir && name == "out") {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                pending.push(path.clone());
            }
            found.push(path);
        }
    }
    found
}

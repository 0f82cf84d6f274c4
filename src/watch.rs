//! `watch`: build, then rebuild whenever an input changes, until interrupted.
//!
//! Each round is the same build as `build`; the process stays alive, so Typst's memoized
//! layout, the parsed fonts and each audience's world (its parsed sources) are reused, and a
//! one-cell edit rebuilds much faster than a cold start. A round that fails prints its errors and leaves the last good PDF in place.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use typst_kit::watcher::Watcher;

use crate::build;
use crate::cli::BuildArgs;
use crate::console::Console;
use crate::exit::ExitStatus;

/// How many compilations an unused memoized result survives.
const CACHE_AGE: usize = 10;

/// Runs `watch`; returns only when watching itself fails.
pub fn run(args: &BuildArgs, console: &mut Console) -> ExitStatus {
    let mut watcher = match Watcher::new(None) {
        Ok(w) => w,
        Err(e) => return build::io_failure(console, &format!("cannot watch files: {e}")),
    };
    let dir = &args.report.dir;
    let mut session = build::Session::default();
    loop {
        let started = Instant::now();
        let status = build::run_in(&mut session, args, console);
        let took = started.elapsed().as_millis();
        match status {
            ExitStatus::Ok => console.progress(&format!("watch: built in {took} ms; waiting for changes")),
            _ => console.error(&format!("watch: the last build failed ({took} ms); the previous PDF is kept")),
        }
        typst::comemo::evict(CACHE_AGE);
        if let Err(e) = watcher.update(inputs(dir)).and_then(|()| watcher.wait()) {
            return build::io_failure(console, &format!("cannot watch files: {e}"));
        }
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

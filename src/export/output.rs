//! Writing output files atomically: a temporary file in the same folder, then a rename, so a
//! reader never sees a half-written PDF and a failed build leaves the previous one intact.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files being written, removed by [`clean_up_on_signal`]'s handler if the process is
/// interrupted before they are renamed into place.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Makes SIGINT and SIGTERM remove any half-written temporary file before the process exits (with
/// status 130), so an interrupted build leaves the previous outputs exactly as they were.
pub fn clean_up_on_signal() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(pending) = PENDING.lock() {
            for path in pending.iter() {
                let _ = std::fs::remove_file(path);
            }
        }
        std::process::exit(130);
    });
}

/// Test seam: `OSCE_REPORT_PAUSE_BEFORE_RENAME_MS` holds a finished temporary file back before the
/// rename, so tests can interrupt a build exactly there.
fn pause_before_rename() {
    if let Some(ms) = std::env::var("OSCE_REPORT_PAUSE_BEFORE_RENAME_MS").ok().and_then(|v| v.parse().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Writes `bytes` to `path` atomically, creating the parent folder if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".osce-report-").suffix(".tmp");
    // A temporary file is private by default; the PDF is an ordinary document.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut temp = builder.tempfile_in(dir)?;
    let temp_path = temp.path().to_path_buf();
    register(&temp_path, true);
    let result = (|| {
        temp.write_all(bytes)?;
        temp.as_file().sync_all()?;
        pause_before_rename();
        temp.persist(path).map_err(|e| e.error)?;
        Ok(())
    })();
    register(&temp_path, false);
    result
}

/// Adds or removes a temporary file from the ones to clean up on a signal.
fn register(path: &Path, pending: bool) {
    if let Ok(mut list) = PENDING.lock() {
        if pending {
            list.push(path.to_path_buf());
        } else {
            list.retain(|p| p != path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out").join("a.pdf");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> =
            std::fs::read_dir(dir.path().join("out")).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["a.pdf"]);
    }
}

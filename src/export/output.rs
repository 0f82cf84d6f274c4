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
    stage(path, bytes)?.commit()
}

/// A file written in full beside where it goes, not yet in place: [`Staged::commit`] renames it
/// there; dropped uncommitted (a later volume failed), it is removed and the previous file stays.
pub struct Staged {
    temp: Option<tempfile::NamedTempFile>,
    temp_path: PathBuf,
    path: PathBuf,
}

/// Writes `bytes` to a temporary file in `path`'s folder (created if needed), to be put in
/// place by [`Staged::commit`].
pub fn stage(path: &Path, bytes: &[u8]) -> io::Result<Staged> {
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
    // Made and registered under one lock: an interrupt between the two found the file not yet
    // registered and left it behind (the interrupt test once failed so).
    let mut temp = {
        let mut pending = PENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let temp = builder.tempfile_in(dir)?;
        pending.push(temp.path().to_path_buf());
        temp
    };
    let temp_path = temp.path().to_path_buf();
    let written = temp.write_all(bytes).and_then(|()| temp.as_file().sync_all());
    if let Err(e) = written {
        unregister(&temp_path);
        return Err(e);
    }
    Ok(Staged { temp: Some(temp), temp_path, path: path.to_path_buf() })
}

impl Staged {
    /// Where the file goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        pause_before_rename();
        match self.temp.take() {
            Some(temp) => temp.persist(&self.path).map(drop).map_err(|e| e.error),
            None => Ok(()),
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // An uncommitted temporary file is removed by its own drop, just after this.
        unregister(&self.temp_path);
    }
}

/// Removes the volume files of the document written to `base` (`annex-part-N.pdf` beside
/// `annex.pdf`) numbered above `volumes`, and `base` itself when the document now comes in
/// volumes, so no file of an earlier, longer build is left looking current. Returns the files
/// removed.
pub fn remove_stale_volumes(base: &Path, volumes: usize) -> io::Result<Vec<PathBuf>> {
    let dir = match base.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut stale: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|entry| entry.path())
        .filter(|file| crate::export::volumes::number_of(base, file).is_some_and(|n| n > volumes || volumes == 1))
        .collect();
    if volumes > 1 && base.is_file() {
        stale.push(base.to_path_buf());
    }
    stale.sort();
    for file in &stale {
        std::fs::remove_file(file)?;
    }
    Ok(stale)
}

/// Removes a temporary file from the ones to clean up on a signal (it is in place, or gone).
fn unregister(path: &Path) {
    if let Ok(mut list) = PENDING.lock() {
        list.retain(|p| p != path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_file_dropped_uncommitted_leaves_the_previous_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        write_atomic(&path, b"one").unwrap();
        drop(stage(&path, b"two").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn volumes_of_a_longer_build_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("annex.pdf");
        for name in ["annex.pdf", "annex-part-1.pdf", "annex-part-2.pdf", "annex-part-3.pdf", "annex-x.pdf"] {
            std::fs::write(dir.path().join(name), b"old").unwrap();
        }
        let removed = remove_stale_volumes(&base, 2).unwrap();
        let names: Vec<_> = removed.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["annex-part-3.pdf", "annex.pdf"]);
        let removed = remove_stale_volumes(&base, 1).unwrap();
        assert_eq!(removed.len(), 2, "one document again: every volume file goes");
        assert!(dir.path().join("annex-x.pdf").exists());
    }

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

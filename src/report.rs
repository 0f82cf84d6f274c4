//! A report folder loaded and checked: configuration, incidents, sanctions and their figures.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::Diagnostic;
use crate::incident::{self, Incident, Incidents};
use crate::redact;
use crate::sanction::{self, Sanction};
use crate::summary::Summary;
use crate::validate;

/// A report folder, read and checked.
#[derive(Debug)]
pub struct Report {
    /// The folder.
    pub dir: PathBuf,
    /// `report.toml`.
    pub config: Config,
    /// The incidents, in file order.
    pub incidents: Vec<Incident>,
    /// The sanctions, in file order.
    pub sanctions: Vec<Sanction>,
    /// The figures computed from them.
    pub summary: Summary,
    /// Every narrative file under `sections/` (relative path → text).
    pub narrative: BTreeMap<String, String>,
    /// Every person's name in the sanctions list and the narrative's `#person("…")` markup.
    pub names: BTreeSet<String>,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
}

/// Why a report could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The input has problems the user must fix (exit 1); warnings are included.
    Invalid(Vec<Diagnostic>),
    /// A file could not be read (exit 2).
    Io(PathBuf, io::Error),
}

impl Report {
    /// Reads and checks the report in `dir`, collecting every problem before giving up.
    pub fn load(dir: &Path) -> Result<Report, LoadError> {
        let config_path = dir.join(CONFIG_FILE);
        let text = fs::read_to_string(&config_path).map_err(|e| LoadError::Io(config_path.clone(), e))?;
        let config = Config::parse(&text).map_err(LoadError::Invalid)?;
        let mut problems = Vec::new();
        let incidents_file = config.data.incidents.file.clone();
        let sanctions_file = config.data.sanctions.file.clone();
        let incidents = match read_data(dir, &incidents_file)? {
            Some(bytes) => {
                let (incidents, mut found) = incident::read(&bytes, &config.data.incidents);
                problems.append(&mut found);
                incidents
            }
            None => {
                problems.push(missing(&incidents_file));
                Incidents::default()
            }
        };
        let sanctions = match read_data(dir, &sanctions_file)? {
            Some(bytes) => {
                let (sanctions, mut found) = sanction::read(&bytes, &config.data.sanctions);
                problems.append(&mut found);
                sanctions
            }
            None if config.data.sanctions_named => {
                problems.push(missing(&sanctions_file));
                Vec::new()
            }
            None => Vec::new(),
        };
        problems.extend(validate::cross_check(&config, &incidents, &sanctions, &incidents_file, &sanctions_file));
        let incidents = incidents.rows;
        if problems.iter().any(Diagnostic::is_error) {
            return Err(LoadError::Invalid(problems));
        }
        let summary = Summary::compute(&config, &incidents, &sanctions);
        problems.extend(summary.stated_warnings(&config));
        let narrative = read_narrative(dir);
        let names = sanctions
            .iter()
            .filter_map(|s| s.person.clone())
            .chain(narrative.values().flat_map(|text| redact::marked_names(text).into_iter().map(|(n, _, _)| n)))
            .collect();
        Ok(Report {
            dir: dir.to_path_buf(),
            config,
            incidents,
            sanctions,
            summary,
            narrative,
            names,
            warnings: problems,
        })
    }

    /// The narrative files an audience includes, relative to the report folder, in order: those
    /// its settings list, else `sections/LANG/*.typ` when that folder exists, else `sections/*.typ`.
    pub fn sections(&self, config: &Config) -> Vec<String> {
        if let Some(listed) = &config.sections {
            return listed.clone();
        }
        let by_language = format!("sections/{}", config.language.code());
        let folder = if self.dir.join(&by_language).is_dir() { by_language } else { "sections".to_string() };
        let mut found: Vec<String> = self.narrative.keys().filter(|p| in_folder(p, &folder)).cloned().collect();
        found.sort();
        found
    }
}

/// Whether `path` is a file directly inside `folder`.
fn in_folder(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder).and_then(|rest| rest.strip_prefix('/')).is_some_and(|name| !name.contains('/'))
}

/// Every `.typ` file in `sections/` and its subfolders one level down, by relative path.
fn read_narrative(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut folders = vec![("sections".to_string(), 0)];
    while let Some((folder, depth)) = folders.pop() {
        for entry in fs::read_dir(dir.join(&folder)).into_iter().flatten().flatten() {
            let Ok(name) = entry.file_name().into_string() else { continue };
            let path = format!("{folder}/{name}");
            if entry.path().is_dir() && depth == 0 {
                folders.push((path, depth + 1));
            } else if name.ends_with(".typ")
                && let Ok(text) = fs::read_to_string(entry.path())
            {
                files.insert(path, text);
            }
        }
    }
    files
}

/// Reads a data file; `Ok(None)` when it does not exist.
fn read_data(dir: &Path, name: &str) -> Result<Option<Vec<u8>>, LoadError> {
    let path = dir.join(name);
    match fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(LoadError::Io(path, e)),
    }
}

/// The problem of a data file `report.toml` names but the folder lacks.
fn missing(name: &str) -> Diagnostic {
    Diagnostic::error(name, 0, 0, "file not found")
        .with_hint(format!("create it, or name the right file in {CONFIG_FILE} `[data]`"))
}

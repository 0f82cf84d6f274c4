//! A report folder loaded and checked: configuration, incidents, sanctions and their figures.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::cite::{self, Scope};
use crate::diagnostic::{Diagnostic, Unlisted, typo_of};
use crate::figures::{Accumulator, IncidentFigures, Leaders, PerIncident, Summary};
use crate::input::audience::{self, Audiences};
use crate::input::config::{CONFIG_FILE, Config};
use crate::input::fig_call::{FigCall, fig_calls};
use crate::input::incident::{self, Incident, IncidentRow};
use crate::input::narrative::{Narrative, marked_names};
use crate::input::sanction::{self, Sanction};
use crate::input::table::Stamp;
use crate::validate::{IdIndex, Period, SourceNames};

/// A report folder, read and checked.
#[derive(Debug)]
pub struct Report {
    /// The folder.
    pub dir: PathBuf,
    /// `report.toml`: the report's own settings.
    pub config: Config,
    /// `report.toml`: its audiences.
    pub audiences: Audiences,
    /// The figures computed from the rows.
    pub summary: Summary,
    /// Every narrative file under `sections/`.
    pub narrative: Narrative,
    /// Every person's name in the sanctions list and the narrative's `#person("…")` markup.
    pub names: BTreeSet<String>,
    /// The names the narrative marks with `#person("…")`.
    pub marked: BTreeSet<String>,
    /// The scopes the narrative's `fig(…)` calls name (the whole report, incidents, months, …).
    pub cited: BTreeSet<Scope>,
    /// The figures of single incidents: of every incident of a small report, and of those the
    /// narrative names (see [`crate::figures::PER_INCIDENT_LIMIT`]).
    pub per_incident: BTreeMap<String, IncidentFigures>,
    /// The incidents with the most people detained and sanctioned, for a statement too long to
    /// list every incident.
    pub leaders: Leaders,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
    /// The text of `report.toml` as loaded, for the leak check to find where a value is written.
    pub config_text: String,
    /// The rows, when loaded with [`Keep::Rows`].
    kept: Option<Rows>,
    /// The data files as they were when loaded, to read their rows again unchanged: the
    /// incidents', then the sanctions' (when there is such a file).
    stamps: [Option<(PathBuf, Stamp)>; 2],
}

/// A problem the reading of a table found in `report.toml` (a recoding that matches no cell),
/// shown with its line of the file's `text`; any other problem as it is.
fn settings_line(problem: Diagnostic, text: &str) -> Diagnostic {
    if problem.file == CONFIG_FILE { problem.in_text(text) } else { problem }
}

/// The rows of a report: incidents and sanctions, in file order.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// The incidents.
    pub incidents: Vec<Incident>,
    /// The sanctions.
    pub sanctions: Vec<Sanction>,
}

/// What a report keeps of its rows once their figures are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Only the figures: a template that lists rows has them read again from the files, so a
    /// summary of a million rows never holds them in memory.
    Figures,
    /// The rows too, and which rows each figure came from (`summary --explain`).
    Rows,
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
    /// Reads and checks the report in `dir`, keeping only its figures.
    pub fn load(dir: &Path) -> Result<Report, LoadError> {
        Self::load_with(dir, Keep::Figures)
    }

    /// Reads and checks the report in `dir`, collecting every problem before giving up. The rows
    /// stream past once: each is checked and added to the figures, and kept only if `keep` says.
    pub fn load_with(dir: &Path, keep: Keep) -> Result<Report, LoadError> {
        let config_path = dir.join(CONFIG_FILE);
        let bytes = fs::read(&config_path).map_err(|e| LoadError::Io(config_path.clone(), e))?;
        let text = crate::input::config::settings_text(bytes).map_err(LoadError::Invalid)?;
        let (config, audiences) = audience::read(&text).map_err(LoadError::Invalid)?;
        let mut problems = Vec::new();
        let incidents_file = config.data.incidents.file.clone();
        let sanctions_file = config.data.sanctions.file.clone();
        let mut index = IdIndex::default();
        let mut figures = Accumulator::new(keep == Keep::Rows);
        let mut kept = Rows::default();
        let (mut outside, mut outside_unlisted) = (Vec::new(), Unlisted::default());
        let mut source_names = SourceNames::default();
        let period = Period::new(&config);
        let mut stamps = [None, None];
        let narrative = Narrative::read(dir);
        let calls: Vec<FigCall> = narrative.files.iter().flat_map(|(file, text)| fig_calls(file, text)).collect();
        let cited = cite::scopes(&calls);
        let mut per_incident = PerIncident::new(named_incidents(&cited));
        let mut leaders = Leaders::default();
        let incidents_readable = match open_data(dir, &incidents_file)? {
            Some((path, mut input)) => {
                let length = input.metadata().map_or(0, |m| m.len());
                let mut rows = RowLengths::default();
                let read = incident::read(&mut input, &config.data.incidents, |row, problems| {
                    if let Some(expected) = rows.expected(length, row.id.raw.text.len()) {
                        index.expect(expected);
                    }
                    index.warm(row.ahead);
                    let fresh = index.incident(&incidents_file, &row.id, row.incident, problems);
                    let Some(incident) = row.incident.filter(|_| fresh) else { return };
                    figures.incident(incident.kind, incident.date, incident.city, incident.counts);
                    per_incident.incident(&incident.id, incident.counts);
                    leaders.incident(incident.counts, || incident.to_incident());
                    if let Some(warning) = period.check(&incidents_file, incident) {
                        outside_unlisted.push(&mut outside, warning);
                    }
                    source_names.incident(incident);
                    if keep == Keep::Rows {
                        kept.incidents.push(incident.to_incident());
                    }
                })
                .map_err(|e| LoadError::Io(path.clone(), e))?;
                problems.extend(read.problems.into_iter().map(|d| settings_line(d, &text)));
                stamps[0] = Some((path, read.stamp));
                read.readable
            }
            None => {
                problems.push(missing(&incidents_file));
                false
            }
        };
        // Looked up once a sanction: a hash set, sorted once at the end.
        let mut names = hashbrown::HashSet::new();
        match open_data(dir, &sanctions_file)? {
            Some((path, mut input)) => {
                let read = sanction::read(&mut input, &config.data.sanctions, |s, _| {
                    index.sanction(&sanctions_file, s, incidents_readable);
                    figures.sanction(s.incident, s.kind, s.amount, s.days);
                    per_incident.sanction(s.incident, s.kind, s.amount, s.days);
                    if let Some(person) = s.person
                        && !names.contains(person)
                    {
                        names.insert(person.to_string());
                    }
                    if keep == Keep::Rows {
                        kept.sanctions.push(s.to_sanction());
                    }
                })
                .map_err(|e| LoadError::Io(path.clone(), e))?;
                problems.extend(read.problems.into_iter().map(|d| settings_line(d, &text)));
                stamps[1] = Some((path, read.stamp));
            }
            None if config.data.sanctions_named => problems.push(missing(&sanctions_file)),
            None => {}
        }
        let summary = figures.finish(&config);
        let per_incident = per_incident.finish();
        // A narrative naming an id of a table with errors would only repeat them.
        if incidents_readable && !problems.iter().any(Diagnostic::is_error) {
            let cited = check_citations(&calls, (&summary, &per_incident), &index, &config);
            problems.extend(cited.into_iter().map(|d| match narrative.files.get(&d.file) {
                Some(source) => d.in_text(source),
                None => d,
            }));
        }
        let (mut unknown, mut contradictions) = index.finish(&incidents_file);
        problems.append(&mut unknown);
        problems.append(&mut outside);
        problems.extend(outside_unlisted.finish(&incidents_file, "incidents outside the report period"));
        problems.append(&mut contradictions);
        problems.extend(source_names.finish(&incidents_file));
        if problems.iter().any(Diagnostic::is_error) {
            return Err(LoadError::Invalid(problems));
        }
        problems.extend(summary.stated_warnings(&config).into_iter().map(|w| w.in_text(&text)));
        let marked: BTreeSet<String> =
            narrative.files.values().flat_map(|text| marked_names(text).into_iter().map(|(n, _, _)| n)).collect();
        let mut names: BTreeSet<String> = names.into_iter().collect();
        names.extend(marked.iter().cloned());
        Ok(Report {
            dir: dir.to_path_buf(),
            config,
            audiences,
            summary,
            narrative,
            names,
            marked,
            cited,
            per_incident,
            leaders,
            warnings: problems,
            config_text: text,
            kept: (keep == Keep::Rows).then_some(kept),
            stamps,
        })
    }

    /// The rows, when the report was loaded with [`Keep::Rows`].
    pub fn kept(&self) -> Option<&Rows> {
        self.kept.as_ref()
    }

    /// The incidents: those kept, or else read again from their file, which must not have
    /// changed since the report was loaded (the figures came from it).
    pub fn incidents(&self) -> Result<Vec<Incident>, String> {
        if let Some(kept) = &self.kept {
            return Ok(kept.incidents.clone());
        }
        let mut incidents = Vec::new();
        self.read_again(0, |input| {
            incident::read(input, &self.config.data.incidents, |row, _| {
                incidents.extend(row.incident.map(IncidentRow::to_incident));
            })
        })?;
        Ok(incidents)
    }

    /// The sanctions: those kept, or else read again from their file, unchanged.
    pub fn sanctions(&self) -> Result<Vec<Sanction>, String> {
        if let Some(kept) = &self.kept {
            return Ok(kept.sanctions.clone());
        }
        let mut sanctions = Vec::new();
        self.read_again(1, |input| {
            sanction::read(input, &self.config.data.sanctions, |s, _| sanctions.push(s.to_sanction()))
        })?;
        Ok(sanctions)
    }

    /// Reads data file `which` (0: incidents, 1: sanctions) again with `read`; it must give the
    /// same bytes and no error. A report without a sanctions file has no sanctions.
    fn read_again(
        &self,
        which: usize,
        read: impl FnOnce(&mut dyn io::Read) -> io::Result<crate::input::table::Read>,
    ) -> Result<(), String> {
        let Some(read) = self.read_file_again(which, read)? else { return Ok(()) };
        if read.problems.iter().any(Diagnostic::is_error) {
            let path = self.stamps.get(which).and_then(Option::as_ref).map(|(p, _)| p.display().to_string());
            return Err(format!("`{}` changed during the build; build again", path.unwrap_or_default()));
        }
        Ok(())
    }

    /// Reads data file `which` (0: incidents, 1: sanctions) again with `read`, which may add its
    /// own problems; the file must still have the bytes the figures came from. `None` when the
    /// report has no such file.
    pub fn read_file_again(
        &self,
        which: usize,
        read: impl FnOnce(&mut dyn io::Read) -> io::Result<crate::input::table::Read>,
    ) -> Result<Option<crate::input::table::Read>, String> {
        let Some((path, stamp)) = self.stamps.get(which).and_then(Option::as_ref) else { return Ok(None) };
        let cannot = |e: io::Error| format!("cannot read `{}`: {e}", path.display());
        let mut input = fs::File::open(path).map_err(cannot)?;
        let read = read(&mut input).map_err(cannot)?;
        if read.stamp != *stamp {
            return Err(format!("`{}` changed during the build; build again", path.display()));
        }
        Ok(Some(read))
    }
}

/// The problems of the narrative's `fig` calls, checked against the figures and the incident ids.
fn check_citations(
    calls: &[FigCall],
    (summary, per_incident): (&Summary, &BTreeMap<String, IncidentFigures>),
    index: &IdIndex,
    config: &Config,
) -> Vec<Diagnostic> {
    let closest_id = |id: &str| typo_of(id, index.ids()).map(str::to_string);
    let is_id = |id: &str| index.contains(id);
    let offered = cite::Offered {
        summary,
        incidents: per_incident,
        is_id: &is_id,
        closest_id: &closest_id,
        second_currency: config.currency.second.is_some(),
    };
    cite::check(calls, &offered)
}

/// The incident ids the narrative's `fig` calls name.
fn named_incidents(cited: &BTreeSet<Scope>) -> std::collections::HashSet<String> {
    cited
        .iter()
        .filter_map(|s| match s {
            Scope::Incident(id) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

/// Opens a data file; `Ok(None)` when it does not exist.
fn open_data(dir: &Path, name: &str) -> Result<Option<(PathBuf, fs::File)>, LoadError> {
    let path = dir.join(name);
    match fs::File::open(&path) {
        Ok(file) => Ok(Some((path, file))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(LoadError::Io(path, e)),
    }
}

/// The lengths of a table's first rows: from them, how many rows a file of its length holds.
#[derive(Debug, Default)]
struct RowLengths {
    /// Rows seen so far, up to [`RowLengths::SAMPLE`].
    rows: usize,
    /// Their bytes.
    bytes: usize,
}

impl RowLengths {
    /// Rows looked at before guessing.
    const SAMPLE: usize = 256;

    /// Counts a row of `len` bytes; at the [`RowLengths::SAMPLE`]th, how many rows a file of
    /// `length` bytes holds at that length each (`None` before and after).
    fn expected(&mut self, length: u64, len: usize) -> Option<usize> {
        if self.rows >= Self::SAMPLE {
            return None;
        }
        self.rows += 1;
        self.bytes += len;
        (self.rows == Self::SAMPLE)
            .then(|| usize::try_from(length).unwrap_or(usize::MAX) / self.bytes.max(1) * self.rows)
    }
}

/// The problem of a data file `report.toml` names but the folder lacks.
fn missing(name: &str) -> Diagnostic {
    Diagnostic::error(name, 0, 0, "file not found")
        .with_hint(format!("create it, or name the right file in {CONFIG_FILE} `[data]`"))
}

//! The lists of the data package — `incidents()` and `sanctions()` as JSON, and the same rows as
//! the CSV files a PDF may carry — made from the report's rows only when a template reads them,
//! once per build of an audience however many volumes it has, and cut to each volume.

use std::sync::{Arc, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::Bytes;

use crate::export::volumes::Volume;
use crate::input::audience::{Audience, MAX_INCIDENTS_PER_DOCUMENT};
use crate::input::incident::Incident;
use crate::input::sanction::Sanction;
use crate::report::Report;
use crate::template::{attached, data};
use crate::world::LazyFile;

/// The rows, in the order documents list them.
struct Rows {
    /// Every incident, in date order (then by id).
    incidents: Vec<Incident>,
    /// Every sanction, in the order of its file, with the position of its incident in
    /// `incidents` (`usize::MAX` when it names none, so it goes with the last volume).
    sanctions: Vec<(usize, Sanction)>,
}

/// What the data package's lists are made from: the report's rows, read when first needed and
/// shared by every volume of one audience's document.
#[derive(Clone)]
pub struct Lists {
    report: Arc<Report>,
    audience: Audience,
    rows: Arc<OnceLock<Result<Arc<Rows>, String>>>,
    volume: Option<Volume>,
}

impl Lists {
    /// The lists of `audience`'s whole document, not read yet.
    pub fn new(report: &Arc<Report>, audience: &Audience) -> Self {
        Lists { report: Arc::clone(report), audience: audience.clone(), rows: Arc::default(), volume: None }
    }

    /// The same lists cut to `volume` (the whole list for `None`), sharing the rows read.
    pub fn for_volume(&self, volume: Option<Volume>) -> Self {
        Lists { volume, ..self.clone() }
    }

    /// The data package's files made from the lists: `incidents.json`, `sanctions.json`,
    /// `incidents.csv`, `sanctions.csv`.
    pub fn files(&self) -> Vec<(&'static str, LazyFile)> {
        let file = |make: fn(&Lists) -> FileResult<Bytes>| -> LazyFile {
            let lists = self.clone();
            Arc::new(move || make(&lists))
        };
        vec![
            ("incidents.json", file(|l| l.incidents(data::incidents_json))),
            ("sanctions.json", file(|l| l.sanctions(data::sanctions_json))),
            ("incidents.csv", file(|l| l.incidents(|i, _| attached::incidents_csv(i)))),
            ("sanctions.csv", file(|l| l.sanctions(|_, s, a| attached::sanctions_csv(s, a)))),
        ]
    }

    /// The rows, read on first use; an error names what changed or what is too long.
    fn rows(&self) -> FileResult<Arc<Rows>> {
        let rows = self.rows.get_or_init(|| read_rows(&self.report).map(Arc::new)).clone().map_err(file_error)?;
        let listed = self.volume.map_or(rows.incidents.len(), |v| v.end - v.first);
        if listed > MAX_INCIDENTS_PER_DOCUMENT {
            return Err(file_error(format!(
                "audience `{}`: one document cannot list {listed} incidents (at most {MAX_INCIDENTS_PER_DOCUMENT} \
                 can be laid out in bounded memory); set `incidents_per_volume` for the audience in report.toml \
                 to split it into volumes, or show only figures",
                self.audience.name
            )));
        }
        Ok(rows)
    }

    /// This document's (or volume's) incidents, made into a file by `make`.
    fn incidents(&self, make: impl Fn(&[Incident], &Audience) -> Vec<u8>) -> FileResult<Bytes> {
        let rows = self.rows()?;
        let (first, end) = self.volume.map_or((0, rows.incidents.len()), |v| (v.first, v.end));
        Ok(Bytes::new(make(&rows.incidents[first..end], &self.audience)))
    }

    /// The sanctions of this document's (or volume's) incidents, in their file's order, made
    /// into a file by `make`.
    fn sanctions(&self, make: impl Fn(&Report, &[Sanction], &Audience) -> Vec<u8>) -> FileResult<Bytes> {
        let rows = self.rows()?;
        let listed: Vec<Sanction> = match self.volume {
            None => rows.sanctions.iter().map(|(_, s)| s.clone()).collect(),
            Some(v) => rows
                .sanctions
                .iter()
                .filter(|(at, _)| (v.first..v.end).contains(at) || (*at == usize::MAX && v.number == v.of))
                .map(|(_, s)| s.clone())
                .collect(),
        };
        Ok(Bytes::new(make(&self.report, &listed, &self.audience)))
    }
}

/// The report's incidents in date order and its sanctions with their incidents' positions.
fn read_rows(report: &Report) -> Result<Rows, String> {
    let mut incidents = report.incidents()?;
    incidents.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let position: std::collections::HashMap<&str, usize> =
        incidents.iter().enumerate().map(|(at, i)| (i.id.as_str(), at)).collect();
    let sanctions = report
        .sanctions()?
        .into_iter()
        .map(|s| (position.get(s.incident.as_str()).copied().unwrap_or(usize::MAX), s))
        .collect();
    Ok(Rows { incidents, sanctions })
}

/// A message as Typst's file error.
fn file_error(message: String) -> FileError {
    FileError::Other(Some(message.into()))
}

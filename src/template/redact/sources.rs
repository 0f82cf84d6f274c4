//! The leak check at the source: before a redacting audience's document is compiled, every text
//! it can show is searched for the listed names — its narrative files (outside `#person("…")`),
//! its own template's files, the text cells of the data that templates show, and the text values
//! of `report.toml` it uses. Every find is a problem at its file, line and column, all in one run.

use crate::diagnostic::{Diagnostic, Snippet, line_column};
use crate::input::audience::Audience;
use crate::input::config::CONFIG_FILE;
use crate::input::narrative::read_typst_files;
use crate::input::shown::{self, Shown};
use crate::input::table::Table;
use crate::input::{incident, sanction};
use crate::report::Report;
use crate::template::builtin::{self, Shows};
use crate::template::redact::matcher::Matcher;
use crate::template::redact::message::{Place, Speaker};

/// The incident columns a list of incidents shows as text (the rest are dates, counts and codes).
const INCIDENT_TEXT: [&str; 5] = ["id", "city", "place", "summary", "sources"];

/// The incident column the figures by city (in every document and figures file) show.
const INCIDENT_CITY: [&str; 1] = ["city"];

/// The sanction columns a list of sanctions shows as text (`person` is shown as the audience
/// may see it).
const SANCTION_TEXT: [&str; 2] = ["incident", "note"];

/// Every mention of a listed name in what `audience` is made from, as errors in its language.
/// Fails (with the message) only when a data file changed since the report was loaded.
pub fn check(
    report: &Report,
    audience: &Audience,
    speaker: &Speaker,
    matcher: &Matcher,
) -> Result<Vec<Diagnostic>, String> {
    let (shows, own_files) = template(report, audience);
    let mut found = Vec::new();
    if shows.narrative {
        found.extend(in_narrative(report, audience, speaker, matcher));
    }
    for (file, text) in &own_files {
        found.extend(in_markup(speaker, matcher, file, text, Place::Template));
    }
    found.extend(in_config(speaker, matcher, &report.config_text, shows.settings.as_deref()));
    found.extend(in_data(report, &shows, speaker, matcher)?);
    Ok(found)
}

/// What the audience's template shows, and its files when it is the report's own (a built-in
/// template is checked for what it reads, and its text needs no search).
fn template(report: &Report, audience: &Audience) -> (Shows, Vec<(String, String)>) {
    if !builtin::has_own_template(&report.dir, &audience.template) {
        return (builtin::shows(&audience.template), Vec::new());
    }
    let folder = format!("templates/{}", audience.template);
    let files: Vec<(String, String)> = read_typst_files(&report.dir, &folder, usize::MAX).files.into_iter().collect();
    (builtin::shows_in(files.iter().map(|(_, text)| text.as_str())), files)
}

/// The finds in the narrative files the audience includes.
fn in_narrative(report: &Report, audience: &Audience, speaker: &Speaker, matcher: &Matcher) -> Vec<Diagnostic> {
    let files = report.narrative.sections(&report.dir, &audience.config);
    let texts = files.iter().filter_map(|file| Some((file, report.narrative.files.get(file)?)));
    texts.flat_map(|(file, text)| in_markup(speaker, matcher, file, text, Place::Narrative)).collect()
}

/// The finds in the data files' text cells that the template shows. Without the incident list,
/// only the figures by city show incidents' text: the file is read again (to place the finds)
/// only when a city's name holds a listed one.
fn in_data(report: &Report, shows: &Shows, speaker: &Speaker, matcher: &Matcher) -> Result<Vec<Diagnostic>, String> {
    let mut found = Vec::new();
    let city_named = || report.summary.by_city.iter().any(|(city, _)| !matcher.find(city).is_empty());
    if shows.incidents {
        found.extend(in_table(report, 0, &INCIDENT_TEXT, speaker, matcher)?);
    } else if city_named() {
        found.extend(in_table(report, 0, &INCIDENT_CITY, speaker, matcher)?);
    }
    if shows.sanctions {
        found.extend(in_table(report, 1, &SANCTION_TEXT, speaker, matcher)?);
    }
    Ok(found)
}

/// The problem for one find: the listed name and how the text writes it.
fn problem(
    speaker: &Speaker,
    place: Place,
    (file, line, column): (&str, usize, usize),
    name: &str,
    written: &str,
) -> Diagnostic {
    Diagnostic::error(file, line, column, speaker.message(place, name, written)).with_hint(speaker.hint(place, name))
}

/// The finds in one Typst file (a narrative file or a template's).
fn in_markup(speaker: &Speaker, matcher: &Matcher, file: &str, text: &str, place: Place) -> Vec<Diagnostic> {
    let shown = shown::narrative(text);
    in_shown(speaker, matcher, (file, text), &shown, place)
}

/// The finds in text gathered from the file `source` (its name and text).
fn in_shown(
    speaker: &Speaker,
    matcher: &Matcher,
    source: (&str, &str),
    shown: &Shown,
    place: Place,
) -> Vec<Diagnostic> {
    matcher
        .find(&shown.text)
        .into_iter()
        .map(|hit| {
            let start = shown.source_offset(hit.range.start);
            let end = shown.source_offset(hit.range.end).max(start);
            let (line, column) = line_column(source.1, start);
            let d = problem(speaker, place, (source.0, line, column), &hit.name, &shown.text[hit.range]);
            Diagnostic { snippet: Some(Snippet::of(source.1, start..end)), ..d }
        })
        .collect()
}

/// The finds in the values of `report.toml` the audience shows.
fn in_config(speaker: &Speaker, matcher: &Matcher, text: &str, shows: Option<&[String]>) -> Vec<Diagnostic> {
    shown::config(text, speaker.audience, shows)
        .iter()
        .flat_map(|(own, value)| {
            let place = if *own { Place::OwnSetting } else { Place::ReportSetting };
            in_shown(speaker, matcher, (CONFIG_FILE, text), value, place)
        })
        .collect()
}

/// The finds in the text cells `columns` of data file `which` (0: incidents, 1: sanctions),
/// each at its cell.
fn in_table(
    report: &Report,
    which: usize,
    columns: &'static [&'static str],
    speaker: &Speaker,
    matcher: &Matcher,
) -> Result<Vec<Diagnostic>, String> {
    let source = if which == 0 { &report.config.data.incidents } else { &report.config.data.sanctions };
    let all: &'static [&'static str] = if which == 0 { &incident::COLUMNS } else { &sanction::COLUMNS };
    let read = report.read_file_again(which, |input| {
        Table::read(&source.file, input, source, (&[], all), |table, row, problems| {
            if row.broken {
                return;
            }
            for &name in columns {
                let cell = table.cell(row, name);
                for hit in matcher.find(cell.text) {
                    let message = speaker.message(Place::Cell(name), &hit.name, &cell.text[hit.range]);
                    let d = Diagnostic::cell_error(&table.file, cell.line, cell.column, message);
                    problems.push(d.with_hint(speaker.hint(Place::Cell(name), &hit.name)));
                }
            }
        })
    })?;
    Ok(read.map(|r| r.problems.into_iter().filter(Diagnostic::is_error).collect()).unwrap_or_default())
}

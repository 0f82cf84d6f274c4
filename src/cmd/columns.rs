//! `columns FILE`: what a spreadsheet export is (encoding, delimiter, headers), which of our
//! columns its headers are, how its first rows read — and, with `--write`, that mapping added to a
//! report's `report.toml` without disturbing the rest of the file.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::cli::{ColumnsArgs, TableKind};
use crate::cmd::console::Console;
use crate::diagnostic::{Diagnostic, excerpt};
use crate::error::{Error, ExitStatus};
use crate::input::config::CONFIG_FILE;
use crate::input::header::propose;
use crate::input::incident::Incident;
use crate::input::source::{Source, decode, sniff_delimiter};
use crate::input::{incident, sanction, workbook};
use crate::validate::IdIndex;

mod merge;
mod values;

use values::Survey;
/// Runs `columns`.
pub fn run(args: &ColumnsArgs, console: &mut Console) -> ExitStatus {
    let bytes = match fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return console.failure(&Error::read(&args.file, e)),
    };
    if workbook::is_workbook(&args.file.display().to_string()) {
        return run_workbook(args, console, bytes);
    }
    let Ok(decoded) = decode(&bytes, "auto") else {
        return console.failure(&Error::Other(format!(
            "`{}` is not text in any encoding osce-report knows",
            args.file.display()
        )));
    };
    let text = decoded.text.as_ref();
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> =
        reader.headers().map(|h| h.iter().map(|s| s.trim().to_string()).collect()).unwrap_or_default();
    let rows: Vec<csv::StringRecord> = reader.records().take(5).flatten().collect();
    let kind = args.table.unwrap_or_else(|| guess_table(&headers));
    let ours: &[&str] = match kind {
        TableKind::Incidents => &incident::COLUMNS,
        TableKind::Sanctions => &sanction::COLUMNS,
    };
    let mapping = propose(&headers, ours);
    let date_format = mapping
        .get("date")
        .and_then(|h| headers.iter().position(|x| x == h))
        .and_then(|i| slash_format(rows.iter().filter_map(|r| r.get(i))));
    let mut source = Source::plain(&args.file.display().to_string());
    source.encoding = decoded.encoding.to_lowercase();
    source.delimiter = (delimiter as char).to_string();
    source.date_format = date_format.clone();
    source.columns =
        mapping.iter().filter(|(ours, theirs)| ours != theirs).map(|(a, b)| (a.clone(), b.clone())).collect();
    let note = sources_note(&headers, &mapping, &rows);
    show(console, args, &headers, kind, source, &bytes, note)
}

/// Describes the file as `source` reads it, or merges `source` into the report's `report.toml`
/// with `--write`; then prints `note`, if any.
fn show(
    console: &mut Console,
    args: &ColumnsArgs,
    headers: &[String],
    kind: TableKind,
    source: Source,
    bytes: &[u8],
    note: Option<String>,
) -> ExitStatus {
    let status = match &args.write {
        None => {
            describe(console, args, headers, &source, kind, bytes);
            ExitStatus::Ok
        }
        Some(dir) => write(console, (dir, args), headers, kind, source, bytes),
    };
    if let Some(note) = note {
        let _ = writeln!(console.out, "\n{note}");
    }
    status
}

/// Runs `columns` on a workbook: its sheets, then the chosen sheet as for a CSV file.
fn run_workbook(args: &ColumnsArgs, console: &mut Console, bytes: Vec<u8>) -> ExitStatus {
    let file = args.file.display().to_string();
    let all: Vec<&'static str> = incident::COLUMNS.iter().chain(&sanction::COLUMNS).copied().collect();
    let outline = match workbook::outline(&file, bytes.clone(), args.sheet.as_deref(), &all) {
        Ok(o) => o,
        Err(problem) => {
            console.problems(&[problem]);
            return ExitStatus::Invalid;
        }
    };
    let headers = &outline.headers;
    let kind = args.table.unwrap_or_else(|| guess_table(headers));
    let ours: &[&str] = match kind {
        TableKind::Incidents => &incident::COLUMNS,
        TableKind::Sanctions => &sanction::COLUMNS,
    };
    let mapping = propose(headers, ours);
    let mut source = Source::plain(&file);
    source.sheet = Some(outline.sheet.clone());
    source.header_row = Some(outline.header_row);
    source.columns =
        mapping.iter().filter(|(ours, theirs)| ours != theirs).map(|(a, b)| (a.clone(), b.clone())).collect();
    let out = &mut *console.out;
    let _ = writeln!(out, "sheets     «{}»", outline.sheets.join("», «"));
    let _ = writeln!(out, "sheet      {}", outline.sheet);
    let _ = writeln!(out, "header     row {}", outline.header_row);
    show(console, args, headers, kind, source, &bytes, None)
}

/// Incidents or sanctions, from the headers: a person, an amount or a term means sanctions.
fn guess_table(headers: &[String]) -> TableKind {
    let sanctions = propose(headers, &["person", "amount", "days"]);
    if sanctions.len() >= 2 { TableKind::Sanctions } else { TableKind::Incidents }
}

/// The strftime format of slash dates (`6/12/2018`): month-first when a first part exceeds 12 nowhere
/// but a second part does, day-first in the opposite case, none when the column cannot tell.
pub fn slash_format<'a>(cells: impl Iterator<Item = &'a str>) -> Option<String> {
    let parts: Vec<(u32, u32)> = cells
        .filter_map(|c| {
            let mut p = c.trim().split('/');
            Some((p.next()?.parse().ok()?, p.next()?.parse().ok()?))
        })
        .collect();
    let first_big = parts.iter().any(|(a, _)| *a > 12);
    let second_big = parts.iter().any(|(_, b)| *b > 12);
    match (first_big, second_big, parts.is_empty()) {
        (_, _, true) => None,
        (false, true, _) => Some("%m/%d/%Y".into()),
        (true, false, _) => Some("%d/%m/%Y".into()),
        _ => None,
    }
}

/// A note when the column proposed as `sources` holds names (`Interfax`), not links, in the
/// first rows: they are kept and shown as text.
fn sources_note(headers: &[String], mapping: &BTreeMap<String, String>, rows: &[csv::StringRecord]) -> Option<String> {
    let header = mapping.get("sources")?;
    let i = headers.iter().position(|h| h == header)?;
    let mut names: Vec<&str> = Vec::new();
    for entry in rows.iter().filter_map(|r| r.get(i)).flat_map(crate::input::reference::entries) {
        if crate::input::reference::link_of(entry).is_none() && !names.contains(&entry) {
            names.push(entry);
        }
    }
    (!names.is_empty()).then(|| {
        let shown: Vec<String> = names.iter().take(3).map(|n| crate::diagnostic::excerpt(n)).collect();
        format!(
            "note: `{header}` holds names, not links (`{}`): they are kept as sources and shown as text, never as links",
            shown.join("`, `")
        )
    })
}

/// Prints what the file is, the mapping, and how the first rows read with it.
/// Returns what every row of the file showed.
fn describe(
    console: &mut Console,
    args: &ColumnsArgs,
    headers: &[String],
    source: &Source,
    kind: TableKind,
    bytes: &[u8],
) -> Survey {
    let ours: &[&str] = match kind {
        TableKind::Incidents => &incident::COLUMNS,
        TableKind::Sanctions => &sanction::COLUMNS,
    };
    let mapping = effective(headers, source, ours);
    let out = &mut *console.out;
    let table = match kind {
        TableKind::Incidents => "incidents",
        TableKind::Sanctions => "sanctions",
    };
    let _ = writeln!(out, "file       {}", args.file.display());
    if !source.is_workbook() {
        let _ = writeln!(out, "encoding   {}", source.encoding);
        let _ = writeln!(out, "delimiter  {}", if source.delimiter == "\t" { "tab" } else { &source.delimiter });
    }
    let _ =
        writeln!(out, "table      {table}{}", if args.table.is_none() { " (guessed; --table to choose)" } else { "" });
    if let Some(format) = &source.date_format {
        let _ = writeln!(out, "dates      {format}");
    }
    let _ = writeln!(out, "\nheaders and the columns they are:");
    for header in headers {
        match mapping.iter().find(|(_, h)| h.to_lowercase() == header.to_lowercase()) {
            Some((ours, _)) => {
                let _ = writeln!(out, "  {header:<28} → {ours}");
            }
            None => {
                let _ = writeln!(out, "  {header:<28}   (not used)");
            }
        }
    }
    if kind == TableKind::Incidents && !mapping.contains_key("kind") && !source.fixed.contains_key("kind") {
        let _ =
            writeln!(out, "\nno column is `kind`: every incident will count as `other`; if all are one kind, say so:");
        let _ = writeln!(out, "  [data.incidents.fixed]\n  kind = \"rally\"");
    }
    let survey = values::survey(bytes, source, kind);
    if !survey.unreadable.is_empty() {
        let _ = writeln!(out, "\nvalues it cannot read (recode them in report.toml [data.{}.values.COLUMN]):", table);
    }
    for (name, values) in &survey.unreadable {
        let _ = writeln!(out, "  {name} ({})", source.header_for(name));
        for (value, (rows, line)) in &values.seen {
            let guess = values::guess(kind, name, value).map_or(String::new(), |g| format!("  → {g}?"));
            let _ = writeln!(
                out,
                "    {:<40} {}, first line {line}{guess}",
                format!("`{}`", excerpt(value)),
                rows_word(*rows)
            );
        }
        if values.more > 0 {
            let _ = writeln!(out, "    and {} more rows with other values", values.more);
        }
    }
    if values::looks_coded(&survey.participants) && !source.values.contains_key("participants") {
        let codes: Vec<&str> = survey.participants.seen.keys().map(String::as_str).collect();
        let _ = writeln!(
            out,
            "\nevery `participants` value is one of {}: if these are codes for bands (100-999, …),\n  recode them in report.toml [data.incidents.values.participants], e.g. \"3\" = \"100-999\"",
            codes.join(", ")
        );
    }
    let _ = writeln!(out, "\nthe first rows as they would be read:");
    let preview = preview(bytes, source, kind);
    for line in preview {
        let _ = writeln!(out, "  {line}");
    }
    survey
}

/// "1 row", "6 rows".
fn rows_word(rows: usize) -> String {
    if rows == 1 { "1 row".into() } else { format!("{rows} rows") }
}

/// Our column → the file's header, as `source` reads the file: its mapped headers, and headers
/// that are our own names (ignoring case) where no mapping points elsewhere.
fn effective(headers: &[String], source: &Source, ours: &[&str]) -> BTreeMap<String, String> {
    let mut mapping = BTreeMap::new();
    for name in ours {
        let wanted = source.header_for(name).to_lowercase();
        if let Some(header) = headers.iter().find(|h| h.to_lowercase() == wanted) {
            mapping.insert(name.to_string(), header.clone());
        }
    }
    mapping
}

/// The first rows read with the proposed settings: parsed values, or the problems.
fn preview(bytes: &[u8], source: &Source, kind: TableKind) -> Vec<String> {
    let mut lines = Vec::new();
    // A workbook's rows are numbered as the spreadsheet numbers them.
    let row = if source.is_workbook() { "row" } else { "line" };
    match kind {
        TableKind::Incidents => {
            let (incidents, problems) = read_incidents(bytes, source);
            let words = crate::locale::Words::new(crate::locale::Language::En);
            for i in incidents.iter().take(5) {
                let counts: Vec<String> = incident::COUNT_COLUMNS
                    .iter()
                    .zip(&i.counts)
                    .filter(|(_, f)| f.is_known())
                    .map(|(name, f)| format!("{name} {}", words.figure(f)))
                    .collect();
                lines.push(format!("{row} {}: {} {} {} {}", i.line, i.date, i.kind, i.city, counts.join(", ")));
            }
            lines.extend(problems.iter().take(8).map(|p| format!("{row} {}: {}", p.line, p.message)));
        }
        TableKind::Sanctions => {
            let (sanctions, problems) = sanction::read_all(bytes, source);
            for s in sanctions.iter().take(5) {
                lines.push(format!("{row} {}: {} {} {:?} {:?}", s.line, s.incident, s.kind, s.amount, s.days));
            }
            lines.extend(problems.iter().take(8).map(|p| format!("{row} {}: {}", p.line, p.message)));
        }
    }
    lines
}

/// Reads and keeps every incident of a table, reporting bad cells and duplicate ids.
fn read_incidents(bytes: &[u8], source: &Source) -> (Vec<Incident>, Vec<Diagnostic>) {
    let (mut rows, mut ids) = (Vec::new(), IdIndex::default());
    let read = incident::read(&mut &bytes[..], source, |row, problems| {
        let fresh = ids.incident(&source.file, &row.id, row.incident, problems);
        if let (true, Some(incident)) = (fresh, row.incident) {
            rows.push(incident.to_incident());
        }
    });
    // Bytes in memory can always be read.
    let problems = read.map(|r| r.problems).unwrap_or_default();
    (rows, problems)
}

/// Merges the proposal into `DIR/report.toml`'s `[data.incidents]` (or sanctions), keeping what is
/// there (toml_edit keeps comments and order), describes the file as the merged settings read it,
/// proposes recodings for the values it cannot read, and says what it added, kept or changed.
fn write(
    console: &mut Console,
    (dir, args): (&Path, &ColumnsArgs),
    headers: &[String],
    kind: TableKind,
    mut source: Source,
    bytes: &[u8],
) -> ExitStatus {
    let path = dir.join(CONFIG_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return console.failure(&Error::read(&path, e)),
    };
    let mut doc = match text.parse::<toml_edit::DocumentMut>() {
        Ok(d) => d,
        Err(e) => return console.failure(&Error::Other(format!("`{}` is not valid TOML: {e}", path.display()))),
    };
    source.file = relative(dir, &args.file);
    let (key, ours): (&str, &[&str]) = match kind {
        TableKind::Incidents => ("incidents", &incident::COLUMNS),
        TableKind::Sanctions => ("sanctions", &sanction::COLUMNS),
    };
    let mut changes = match merge::merge(&mut doc, key, &source, headers) {
        Ok(changes) => changes,
        Err(e) => return console.failure(&Error::Other(format!("{e} (in `{}`)", path.display()))),
    };
    // The file as the merged settings (with any recoding made by hand) read it.
    let merged = toml::from_str::<toml::Table>(&doc.to_string()).map_err(|e| e.message().to_string()).and_then(|t| {
        let value = t.get("data").and_then(|d| d.get(key)).cloned().unwrap_or(toml::Value::Table(Default::default()));
        Source::from_toml(&value, ours).map_err(|(message, _)| message)
    });
    let mut read_as = match merged {
        Ok(merged) => merged,
        Err(message) => {
            changes.push(format!("note: [data.{key}] {message}; the file is shown as proposed"));
            source.clone()
        }
    };
    read_as.file = args.file.display().to_string();
    let survey = describe(console, args, headers, &read_as, kind, bytes);
    for (name, values) in &survey.unreadable {
        let proposals: Vec<merge::Proposal> = values
            .seen
            .iter()
            .map(|(value, &(rows, line))| merge::Proposal { value, ours: values::guess(kind, name, value), rows, line })
            .collect();
        if let Err(e) = merge::propose_values(&mut doc, key, name, &proposals, &mut changes) {
            changes.push(format!("note: {e}: the recodings are not proposed"));
        }
    }
    if values::looks_coded(&survey.participants) && !read_as.values.contains_key("participants") {
        let proposals: Vec<merge::Proposal> = survey
            .participants
            .seen
            .iter()
            .map(|(value, &(rows, line))| merge::Proposal { value, ours: None, rows, line })
            .collect();
        if let Err(e) = merge::propose_values(&mut doc, key, "participants", &proposals, &mut changes) {
            changes.push(format!("note: {e}: the codebook is not proposed"));
        }
    }
    if kind == TableKind::Incidents
        && !effective(headers, &read_as, ours).contains_key("kind")
        && !read_as.fixed.contains_key("kind")
    {
        merge::propose_fixed_kind(&mut doc, &mut changes);
    }
    if let Err(e) = crate::export::output::write_atomic(&path, doc.to_string().as_bytes()) {
        return console.failure(&Error::write(&path, e));
    }
    let mut lines = format!("wrote [data.{key}] to {}", path.display());
    if changes.is_empty() {
        lines.push_str(": nothing to add, every setting was already there");
    }
    for change in &changes {
        lines.push_str(&format!("\n  {change}"));
    }
    console.result(&lines);
    ExitStatus::Ok
}

/// `file` relative to `dir` when it lies inside it, else as given (absolute if possible).
fn relative(dir: &Path, file: &Path) -> String {
    let (Ok(dir), Ok(file)) = (dir.canonicalize(), file.canonicalize()) else {
        return file.display().to_string();
    };
    file.strip_prefix(&dir).map_or_else(|_| file.display().to_string(), |p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_and_dataset_headers_are_recognised() {
        let headers: Vec<String> = ["Дата", "Город", "Участники", "Задержано", "Прочее"].map(String::from).to_vec();
        let mapping = propose(&headers, &incident::COLUMNS);
        assert_eq!(mapping["date"], "Дата");
        assert_eq!(mapping["detained"], "Задержано");
        assert!(!mapping.values().any(|h| h == "Прочее"));
        let acled: Vec<String> = ["event_id_cnty", "event_date", "event_type", "location"].map(String::from).to_vec();
        let mapping = propose(&acled, &incident::COLUMNS);
        assert_eq!(
            (mapping["id"].as_str(), mapping["kind"].as_str(), mapping["city"].as_str()),
            ("event_id_cnty", "event_type", "location")
        );
    }

    #[test]
    fn slash_dates_say_their_order_when_they_can() {
        assert_eq!(slash_format(["6/12/2018", "6/30/2018"].into_iter()).as_deref(), Some("%m/%d/%Y"));
        assert_eq!(slash_format(["30/6/2018"].into_iter()).as_deref(), Some("%d/%m/%Y"));
        assert_eq!(slash_format(["6/7/2018"].into_iter()), None);
    }
}

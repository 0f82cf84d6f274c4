//! Workbooks (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods`) read directly with calamine: one sheet
//! is a table. Its header is found among the first rows (below a title, with a second header row
//! under merged cells), its cells keep their types — a date cell is a date whatever its display
//! format, a number is a number, a formula is its saved value, an error cell (`#N/A`) is an error
//! at its cell — and every problem is placed by sheet and cell reference (`J5`). The rows are
//! handed out as [`Row`]s, so incidents and sanctions are read by the same code as from CSV.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Cursor};

use calamine::{Data, Dimensions, Range, Reader, Sheets};

use crate::diagnostic::{Diagnostic, Place, did_you_mean, excerpt};
use crate::input::chunk::{Fields, flags_set};
use crate::input::header::locate_columns;
use crate::input::row::Raw;
use crate::input::source::Source;
use crate::input::table::{CellKind, LONGEST_CELL, Read, Row, Table, stamp_of};

/// The file name endings of the workbooks read directly (in any case).
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// How many rows at the top of a sheet are searched for the header.
const HEADER_SEARCH: u32 = 20;

/// A workbook held in memory.
type Book = Sheets<Cursor<Vec<u8>>>;

/// Whether `file` is a workbook, by its name's ending.
pub fn is_workbook(file: &str) -> bool {
    extension(file).is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

/// A file name's ending, in lowercase.
fn extension(file: &str) -> Option<String> {
    std::path::Path::new(file).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase)
}

/// Opens a workbook from its bytes, in the format its name's ending says. Fails with a problem
/// naming the file when it is not such a workbook (or is damaged, or encrypted).
pub fn open(file: &str, bytes: Vec<u8>) -> Result<Book, Diagnostic> {
    let cursor = Cursor::new(bytes);
    let opened = match extension(file).as_deref() {
        Some("xls") => calamine::Xls::new(cursor).map(Sheets::Xls).map_err(|e| e.to_string()),
        Some("xlsb") => calamine::Xlsb::new(cursor).map(Sheets::Xlsb).map_err(|e| e.to_string()),
        Some("ods") => calamine::Ods::new(cursor).map(Sheets::Ods).map_err(|e| e.to_string()),
        _ => calamine::Xlsx::new(cursor).map(Sheets::Xlsx).map_err(|e| e.to_string()),
    };
    opened.map_err(|e| {
        Diagnostic::error(file, 0, 0, format!("cannot read this workbook: {e}"))
            .with_hint("open it in Excel or LibreOffice and save it again, or export the sheet as CSV")
    })
}

/// One sheet of a workbook: its cells, their formulas and its merged cells.
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// The sheet's names, in the workbook's order.
    pub names: Vec<String>,
    /// The values (a formula's saved value), at their positions in the sheet (0-based).
    cells: Range<Data>,
    /// The formulas, to tell a formula that was never computed from an empty cell.
    formulas: Option<Range<String>>,
    /// The merged cells (only `.xlsx` and `.xls` say which they are).
    merges: Vec<Dimensions>,
}

/// A cell's value as our readers take it: text (a number or date written in our form), or a
/// problem of the cell itself.
enum Value<'a> {
    /// The text and what it was.
    Text(Cow<'a, str>, CellKind),
    /// What is wrong with the cell, and a hint.
    Problem(String, &'static str),
}

impl Sheet {
    /// The sheet `wanted` (or the first) of `book`.
    pub fn load(file: &str, book: &mut Book, wanted: Option<&str>) -> Result<Sheet, Diagnostic> {
        let names = book.sheet_names();
        let listing = || format!("its sheets are «{}»", names.join("», «"));
        let name = match wanted {
            None => {
                names.first().cloned().ok_or_else(|| Diagnostic::error(file, 0, 0, "the workbook has no sheets"))?
            }
            Some(wanted) => {
                let close = |n: &&String| n.trim().to_lowercase() == wanted.trim().to_lowercase();
                match names.iter().find(|n| *n == wanted).or_else(|| names.iter().find(close)) {
                    Some(n) => n.clone(),
                    None => {
                        let hint = did_you_mean(wanted, names.iter().map(String::as_str))
                            .map_or_else(listing, |n| format!("did you mean «{n}»? {}", listing()));
                        let message = format!("the workbook has no sheet «{wanted}»");
                        return Err(Diagnostic::error(file, 0, 0, message).with_hint(hint));
                    }
                }
            }
        };
        let cells = book.worksheet_range(&name).map_err(|e| {
            Diagnostic::error(file, 0, 0, format!("cannot read sheet «{name}»: {e}"))
                .with_hint("open the workbook in Excel or LibreOffice and save it again")
        })?;
        let formulas = book.worksheet_formula(&name).ok();
        let merges = match book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        Ok(Sheet { name, names, cells, formulas, merges })
    }

    /// The cell at `(row, column)` (0-based) as our readers take it.
    fn value(&self, at: (u32, u32)) -> Value<'_> {
        match self.cells.get_value(at) {
            None | Some(Data::Empty) => match self.formulas.as_ref().and_then(|f| f.get_value(at)) {
                Some(formula) if !formula.is_empty() => Value::Problem(
                    format!("the formula `={}` has no saved value", excerpt(formula)),
                    "open the workbook in Excel or LibreOffice and save it: the program that wrote it did not \
                     compute its formulas",
                ),
                _ => Value::Text(Cow::Borrowed(""), CellKind::Text),
            },
            Some(data) => typed(data),
        }
    }

    /// The text of the cell at `at` for a header: its own, or that of a merged cell covering
    /// it from above (a label merged down over two header rows).
    fn label(&self, at: (u32, u32)) -> String {
        let own = |at| match self.value(at) {
            Value::Text(t, _) => t.trim().to_string(),
            Value::Problem(..) => String::new(),
        };
        let text = own(at);
        if !text.is_empty() {
            return text;
        }
        let covering =
            self.merges.iter().find(|m| m.start.1 == at.1 && m.start.0 < at.0 && at.0 <= m.end.0 && at.1 <= m.end.1);
        covering.map_or(text, |m| own(m.start))
    }

    /// The first and last rows and the last column of the sheet's cells (0-based), if any.
    fn extent(&self) -> Option<(u32, u32, u32)> {
        let (start, end) = (self.cells.start()?, self.cells.end()?);
        Some((start.0, end.0, end.1))
    }
}

/// A calamine value as text in our form: a whole number in digits, a date as `2012-01-05`.
fn typed(data: &Data) -> Value<'_> {
    match data {
        Data::Empty => Value::Text(Cow::Borrowed(""), CellKind::Text),
        Data::String(s) => Value::Text(Cow::Borrowed(s.as_str()), CellKind::Text),
        Data::Int(n) => Value::Text(Cow::Owned(n.to_string()), CellKind::Whole),
        Data::Float(f) => number(*f),
        Data::Bool(b) => Value::Text(Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }), CellKind::Text),
        Data::DateTime(d) if d.is_duration() => duration(),
        Data::DateTime(d) => match d.as_datetime() {
            // A time of day alone is kept as a fraction of a day from 1899-12-30.
            Some(t) if t.date() >= chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default() => {
                Value::Text(Cow::Owned(t.date().format("%Y-%m-%d").to_string()), CellKind::Date)
            }
            _ => Value::Problem(
                "holds a time of day without a date".into(),
                "type the date, or format the cell as a date",
            ),
        },
        Data::DateTimeIso(s) => match chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
            Ok(day) => Value::Text(Cow::Owned(day.format("%Y-%m-%d").to_string()), CellKind::Date),
            Err(_) => Value::Text(Cow::Borrowed(s.as_str()), CellKind::Text),
        },
        Data::DurationIso(_) => duration(),
        Data::Error(e) => Value::Problem(
            format!("the cell holds the error `{e}`"),
            "a formula in this cell failed: correct it in the workbook, or type the value",
        ),
    }
}

/// A number cell: whole numbers in digits (`1234.0` is `1234`); any other number written in full,
/// so that it is never rounded into a count.
fn number(f: f64) -> Value<'static> {
    if f.is_finite() && f.fract() == 0.0 {
        Value::Text(Cow::Owned(format!("{f:.0}")), CellKind::Whole)
    } else {
        Value::Text(Cow::Owned(format!("{f}")), CellKind::Fraction)
    }
}

/// A duration cell (`[h]:mm`), which is neither a date nor a count.
fn duration() -> Value<'static> {
    Value::Problem("holds a duration, not a date or a number".into(), "type the value, or format the cell as a date")
}

/// Where a sheet's header is: its row, the last row of a header spread over two rows by merged
/// cells, and its labels (index = column, 0-based).
struct Header {
    row: u32,
    last: u32,
    labels: Vec<String>,
}

/// Finds the header: the row `header_row` names, else the one of the first rows that has most of
/// our columns' names (as `source` maps them), else the first row with anything in it.
fn find_header(sheet: &Sheet, source: &Source, ours: &[&'static str], extent: (u32, u32, u32)) -> Header {
    let (first, last_row, last_column) = extent;
    let wanted: Vec<String> = ours.iter().map(|n| source.header_for(n).to_lowercase()).collect();
    let labels = |row: u32| -> Vec<String> { (0..=last_column).map(|c| sheet.label((row, c))).collect() };
    let row = match source.header_row {
        Some(n) => u32::try_from(n - 1).unwrap_or(u32::MAX),
        None => {
            // The row naming most of our columns: by report.toml's mapping, or by the names
            // exports use for them (`Дата`, `Задержано`, `event_date`).
            let score = |row: u32| {
                let row = labels(row);
                let mapped = row.iter().filter(|l| wanted.contains(&l.to_lowercase())).count();
                mapped.max(crate::input::header::propose(&row, ours).len())
            };
            let rows = first..=last_row.min(first.saturating_add(HEADER_SEARCH - 1));
            let best = rows.clone().map(|r| (score(r), r)).max_by_key(|&(s, r)| (s, std::cmp::Reverse(r)));
            match best {
                Some((s, r)) if s > 0 => r,
                _ => rows.into_iter().find(|&r| labels(r).iter().any(|l| !l.is_empty())).unwrap_or(first),
            }
        }
    };
    // Merged cells reaching across the header row make the rows they span one header: the lowest
    // label of a column names it (a label merged across columns groups the ones below it).
    let spanning = || sheet.merges.iter().filter(|m| m.start.0 <= row && row <= m.end.0);
    let top = spanning().map(|m| m.start.0).min().unwrap_or(row).min(row);
    let last = spanning().map(|m| m.end.0).max().unwrap_or(row).max(row);
    let mut names = labels(top);
    for r in top + 1..=last {
        for (c, name) in names.iter_mut().enumerate() {
            let label = sheet.label((r, c as u32));
            if !label.is_empty() {
                *name = label;
            }
        }
    }
    while names.last().is_some_and(String::is_empty) {
        names.pop();
    }
    Header { row: top, last, labels: names }
}

/// What `columns` shows of a workbook: its sheets, the one read, and that sheet's header.
pub struct Outline {
    /// The sheets, in the workbook's order.
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: String,
    /// The header's 1-based row.
    pub header_row: usize,
    /// The header's labels, empty ones left out.
    pub headers: Vec<String>,
}

/// The outline of sheet `sheet` (or the first) of a workbook, its header found among the rows as
/// for reading (`ours`: the columns of the table it may be).
pub fn outline(file: &str, bytes: Vec<u8>, sheet: Option<&str>, ours: &[&'static str]) -> Result<Outline, Diagnostic> {
    let mut book = open(file, bytes)?;
    let sheet = Sheet::load(file, &mut book, sheet)?;
    let Some(extent) = sheet.extent() else {
        return Err(Diagnostic::error(file, 0, 0, format!("sheet «{}» is empty", sheet.name)));
    };
    let header = find_header(&sheet, &Source::plain(file), ours, extent);
    Ok(Outline {
        headers: header.labels.into_iter().filter(|l| !l.is_empty()).collect(),
        header_row: header.row as usize + 1,
        sheets: sheet.names,
        sheet: sheet.name,
    })
}

/// Reads sheet `source.sheet` (or the first) of the workbook in `input` as a table, handing each
/// data row to `each` as [`Table::read`] does for CSV. Fails only when the input cannot be read.
pub(crate) fn read(
    file: &str,
    input: &mut dyn io::Read,
    source: &Source,
    columns: (&[&'static str], &[&'static str]),
    mut each: impl FnMut(&Table, &Row, &mut Vec<Diagnostic>),
) -> io::Result<Read> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let stamp = stamp_of(&bytes);
    let refuse = |problem: Diagnostic| Ok(Read { problems: vec![problem], readable: false, stamp });
    let mut book = match open(file, bytes) {
        Ok(book) => book,
        Err(problem) => return refuse(problem),
    };
    let sheet = match Sheet::load(file, &mut book, source.sheet.as_deref()) {
        Ok(sheet) => sheet,
        Err(problem) => return refuse(problem),
    };
    let mut problems = Vec::new();
    let readable = read_sheet(file, &sheet, source, columns, &mut each, &mut problems);
    Ok(Read { problems, readable, stamp })
}

/// The place of a whole row of `sheet` (1-based `line`).
fn row_place(sheet: &str, line: usize) -> Place {
    Place { line, sheet: Some(sheet.to_string()), ..Place::default() }
}

/// Reads the header and the rows of one sheet; false when its header is unusable.
fn read_sheet(
    file: &str,
    sheet: &Sheet,
    source: &Source,
    (required, optional): (&[&'static str], &[&'static str]),
    each: &mut impl FnMut(&Table, &Row, &mut Vec<Diagnostic>),
    problems: &mut Vec<Diagnostic>,
) -> bool {
    let name = sheet.name.as_str();
    let Some(extent) = sheet.extent() else {
        problems.push(Diagnostic::error_at(file, row_place(name, 0), format!("sheet «{name}» is empty")));
        return false;
    };
    let ours: Vec<&'static str> = required.iter().chain(optional).copied().collect();
    let header = find_header(sheet, source, &ours, extent);
    let line = header.row as usize + 1;
    if header.labels.is_empty() {
        let message = format!("row {line} is empty: it cannot be the header");
        let hint = format!("the header row must name the columns: `{}`", required.join("`, `"));
        problems.push(Diagnostic::error_at(file, row_place(name, line), message).with_hint(hint));
        return false;
    }
    if source.header_row.is_none()
        && let Some(above) = (extent.0..header.row).find_map(|r| first_text(sheet, r, extent.2))
    {
        let message = format!("the header is row {line}; the rows above it (`{}`) are not read", excerpt(&above));
        let hint = format!("if that is right, say `header_row = {line}` for this table in report.toml [data]");
        problems.push(Diagnostic::warning_at(file, row_place(name, line), message).with_hint(hint));
    }
    let (located, mut found) = locate_columns(file, &header.labels, source, required, optional);
    let header_raw = Raw { text: b"", line, delimiter: b',', headers: &header.labels, sheet: Some(name) };
    for p in &mut found {
        p.set_place(p.field.map_or_else(|| row_place(name, line), |f| header_raw.place(f)));
    }
    let unusable = found.iter().any(Diagnostic::is_error);
    problems.append(&mut found);
    if unusable {
        return false;
    }
    let our_name: HashMap<usize, &'static str> = located.iter().map(|(n, &i)| (i, *n)).collect();
    let table = Table::located(file, located, source, &ours);
    let width = header.labels.len();
    let mut rows = RowBuffer::default();
    let matched = table.recoding_flags();
    let mut beyond_warned = false;
    for r in header.last + 1..=extent.1 {
        let line = r as usize + 1;
        rows.fill(sheet, r, width);
        if !beyond_warned && let Some(c) = (width as u32..=extent.2).find(|&c| has_value(sheet, (r, c))) {
            beyond_warned = true;
            let raw = Raw { text: b"", line, delimiter: b',', headers: &header.labels, sheet: Some(name) };
            problems.push(
                Diagnostic::warning_at(file, raw.place(c as usize + 1), "this column has no header: it is not read")
                    .with_hint("give the column a header in the header row, or move the value"),
            );
        }
        if rows.is_blank() {
            continue;
        }
        let raw = Raw { text: b"", line, delimiter: b',', headers: &header.labels, sheet: Some(name) };
        let long = rows.record.iter().position(|c| c.len() > LONGEST_CELL);
        if let Some(i) = long {
            let message = format!(
                "this cell is {} characters long; at most {LONGEST_CELL} are accepted",
                rows.record[i].chars().count()
            );
            problems.push(Diagnostic::error_at(file, raw.place(i + 1), message));
        }
        let before = problems.len();
        let fields = Fields::Record(&rows.record);
        let row =
            Row { line, fields, raw, kinds: &rows.kinds, broken: long.is_some(), matched: &matched, plain: false };
        each(&table, &row, problems);
        raw.resolve(file, &mut problems[before..]);
        for (i, message, hint) in rows.problems.drain(..) {
            let Some(ours) = our_name.get(&i) else { continue };
            let field = i + 1;
            // The cell's own problem says more than a parser's reading of `#N/A`.
            let mut k = before;
            while k < problems.len() {
                if problems[k].line == line && problems[k].field == Some(field) {
                    problems.remove(k);
                } else {
                    k += 1;
                }
            }
            problems.push(Diagnostic::error_at(file, raw.place(field), format!("`{ours}`: {message}")).with_hint(hint));
        }
    }
    problems.extend(table.unmatched_recodings(source, &flags_set(&matched)));
    true
}

/// The text of the first non-empty cell of row `r`.
fn first_text(sheet: &Sheet, r: u32, last_column: u32) -> Option<String> {
    (0..=last_column).find_map(|c| match sheet.value((r, c)) {
        Value::Text(t, _) if !t.trim().is_empty() => Some(t.trim().to_string()),
        _ => None,
    })
}

/// Whether the cell at `at` holds anything (a value, an error, a formula).
fn has_value(sheet: &Sheet, at: (u32, u32)) -> bool {
    !matches!(sheet.value(at), Value::Text(t, _) if t.trim().is_empty())
}

/// One row's cells as text, reused from row to row.
#[derive(Default)]
struct RowBuffer {
    record: csv::StringRecord,
    kinds: Vec<CellKind>,
    /// The cells with a problem of their own: column (0-based), message, hint.
    problems: Vec<(usize, String, &'static str)>,
}

impl RowBuffer {
    /// Fills the buffer with the first `width` cells of row `r`.
    fn fill(&mut self, sheet: &Sheet, r: u32, width: usize) {
        self.record.clear();
        self.kinds.clear();
        self.problems.clear();
        for c in 0..width {
            match sheet.value((r, c as u32)) {
                Value::Text(text, kind) => {
                    self.record.push_field(text.trim());
                    self.kinds.push(kind);
                }
                Value::Problem(message, hint) => {
                    self.record.push_field("");
                    self.kinds.push(CellKind::Text);
                    self.problems.push((c, message, hint));
                }
            }
        }
    }

    /// Whether every cell is empty (and none has a problem of its own).
    fn is_blank(&self) -> bool {
        self.problems.is_empty() && self.record.iter().all(str::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_whole_or_written_in_full() {
        let text = |v: Value| match v {
            Value::Text(t, k) => (t.into_owned(), k),
            Value::Problem(m, _) => (m, CellKind::Text),
        };
        assert_eq!(text(number(1234.0)), ("1234".into(), CellKind::Whole));
        assert_eq!(text(number(0.1 + 0.2)), ("0.30000000000000004".into(), CellKind::Fraction));
        assert_eq!(text(number(1.234)), ("1.234".into(), CellKind::Fraction));
        assert_eq!(text(number(-5.0)), ("-5".into(), CellKind::Whole));
    }

    #[test]
    fn workbook_files_are_told_by_their_ending() {
        assert!(is_workbook("data/Книга.XLSX") && is_workbook("a.ods") && is_workbook("b.xls"));
        assert!(!is_workbook("incidents.csv") && !is_workbook("xlsx"));
    }
}

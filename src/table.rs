//! Reading a CSV table: finding our columns among the file's headers and handing out cells with
//! their line and column, so every later problem can say where it is.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, did_you_mean, excerpt};
use crate::source::{Decoded, Source, decode, delimiter_byte, sniff_delimiter};

/// The longest cell accepted, in bytes: a longer one is a mistake (a whole document pasted into a
/// cell, a broken export) that would only make an unreadable table.
pub const LONGEST_CELL: usize = 10_000;

/// A CSV file being read: our column names located among its headers, and how its cells are
/// written. Rows are handed out one at a time, so a large file is never held as rows.
#[derive(Debug)]
pub struct Table {
    /// The file's name relative to the report folder, used in diagnostics.
    pub file: String,
    /// Our column name → position in a row.
    columns: HashMap<&'static str, usize>,
    /// The strftime-style format of day cells, if the file has its own.
    pub date_format: Option<String>,
    /// The field delimiter.
    pub delimiter: u8,
    /// The text encoding the file was read in.
    pub encoding: &'static str,
}

/// One data row of a table.
#[derive(Debug)]
pub struct Row<'r> {
    /// The 1-based line the row starts on.
    pub line: usize,
    /// The cells, as text.
    fields: &'r csv::StringRecord,
}

/// One of our columns, located in a table: look it up once, then read its cell in every row.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its position in a row, if the file has it.
    index: Option<usize>,
    /// Our name of it.
    name: &'static str,
}

/// One cell and where it is.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    /// The cell's text, trimmed.
    pub text: &'a str,
    /// The 1-based line of its row.
    pub line: usize,
    /// The 1-based position of its column.
    pub column: usize,
    /// Our name of its column.
    pub name: &'static str,
}

/// What reading a table found: its problems, and whether its header could be used at all.
pub struct Read {
    /// Errors and warnings, in file order.
    pub problems: Vec<Diagnostic>,
    /// False when the file could not be read as a table (no rows were handed out).
    pub readable: bool,
}

impl Table {
    /// Reads a table from the file's bytes as `source` says, handing each data row to `each`
    /// (which may add problems). `required` columns must be present; `optional` ones may be.
    pub fn read(
        file: &str,
        bytes: &[u8],
        source: &Source,
        (required, optional): (&[&'static str], &[&'static str]),
        mut each: impl FnMut(&Table, &Row, &mut Vec<Diagnostic>),
    ) -> Read {
        let refuse = |problems| Read { problems, readable: false };
        let decoded = match decode_text(file, bytes, &source.encoding) {
            Ok(d) => d,
            Err(problems) => return refuse(problems),
        };
        let text = decoded.text.as_ref();
        if looks_binary(text) {
            return refuse(vec![
                Diagnostic::error(file, 0, 0, "this is not a text table (it holds many control characters)")
                    .with_hint("export the spreadsheet as CSV"),
            ]);
        }
        let delimiter = delimiter_byte(&source.delimiter).unwrap_or_else(|| sniff_delimiter(text));
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| excerpt(s.trim())).collect(),
            Err(e) => return refuse(vec![csv_error(file, &e)]),
        };
        if headers.iter().all(String::is_empty) {
            return refuse(vec![
                Diagnostic::error(file, 1, 1, "the file has no header row")
                    .with_hint(format!("the first line must name the columns: `{}`", required.join(","))),
            ]);
        }
        let (columns, mut problems) = locate_columns(file, &headers, source, required, optional);
        if problems.iter().any(Diagnostic::is_error) {
            return refuse(problems);
        }
        let table = Table {
            file: file.to_string(),
            columns,
            date_format: source.date_format.clone(),
            delimiter,
            encoding: decoded.encoding,
        };
        let mut lines = LineCounter::new(text);
        let mut record = csv::StringRecord::new();
        let mut last_start = None;
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    problems.push(csv_error(file, &e));
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                    continue;
                }
            }
            let line = record.position().map_or(0, |p| lines.line_at(p.byte() as usize));
            last_start = record.position().map(|p| (p.byte() as usize, line));
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            if let Some(problem) = shape_problem(file, line, &record, &headers) {
                problems.push(problem);
                continue;
            }
            each(&table, &Row { line, fields: &record }, &mut problems);
        }
        // The CSV reader takes a quote that is never closed as a field running to the end of the
        // file, silently swallowing every row after it; say so instead.
        if let Some((start, line)) = last_start
            && text.get(start..).is_some_and(|rest| rest.matches('"').count() % 2 == 1)
        {
            problems.push(
                Diagnostic::error(
                    file,
                    line,
                    1,
                    "a quoted field on this line is never closed: the rows after it cannot be read",
                )
                .with_hint("close the quote, or double a quote inside a quoted field (\"\")"),
            );
        }
        Read { problems, readable: true }
    }

    /// The cell of `row` in our column `name`; an empty cell if the file lacks that column.
    pub fn cell<'r>(&self, row: &Row<'r>, name: &'static str) -> Cell<'r> {
        self.cell_of(row, self.column(name))
    }

    /// Our column `name` in this table.
    pub fn column(&self, name: &'static str) -> Column {
        Column { index: self.columns.get(name).copied(), name }
    }

    /// The cell of `row` in `column`; an empty cell if the file lacks that column.
    pub fn cell_of<'r>(&self, row: &Row<'r>, column: Column) -> Cell<'r> {
        match column.index {
            Some(i) => {
                Cell { text: row.fields.get(i).unwrap_or("").trim(), line: row.line, column: i + 1, name: column.name }
            }
            None => Cell { text: "", line: row.line, column: 0, name: column.name },
        }
    }

    /// A count cell as the figure parser takes it: where `;` separates fields the file comes from a
    /// locale that groups thousands with dots (`10.000`), so those dots are dropped.
    pub fn count_text<'c>(&self, cell: &Cell<'c>) -> std::borrow::Cow<'c, str> {
        let dotted = cell.text.split('.').skip(1).all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if self.delimiter == b';' && cell.text.contains('.') && dotted {
            std::borrow::Cow::Owned(cell.text.replace('.', ""))
        } else {
            std::borrow::Cow::Borrowed(cell.text)
        }
    }
}

impl Cell<'_> {
    /// An error about this cell, naming its column and value.
    pub fn error(&self, file: &str, message: impl std::fmt::Display) -> Diagnostic {
        let text = if self.text.is_empty() {
            format!("`{}` is empty: {message}", self.name)
        } else {
            format!("`{}`: `{}` {message}", self.name, excerpt(self.text))
        };
        Diagnostic::cell_error(file, self.line, self.column, text)
    }
}

/// Whether a text is really binary data: more than one in ten of its first 1 000 characters are
/// control characters other than line ends and tabs.
fn looks_binary(text: &str) -> bool {
    let sample = text.chars().take(1000);
    let (total, control) =
        sample.fold((0, 0), |(t, c), ch| (t + 1, c + usize::from(ch.is_control() && !"\r\n\t".contains(ch))));
    control * 10 > total
}

/// A row whose number of fields differs from the header's, or with an overlong cell.
fn shape_problem(file: &str, line: usize, record: &csv::StringRecord, headers: &[String]) -> Option<Diagnostic> {
    if record.len() != headers.len() {
        return Some(
            Diagnostic::cell_error(
                file,
                line,
                record.len().min(headers.len()) + 1,
                format!("this row has {} fields but the header has {}", record.len(), headers.len()),
            )
            .with_hint("a field with a comma in it must be quoted: \"Алматы, площадь\""),
        );
    }
    let (i, cell) = record.iter().enumerate().find(|(_, c)| c.len() > LONGEST_CELL)?;
    Some(Diagnostic::cell_error(
        file,
        line,
        i + 1,
        format!(
            "`{}`: this cell is {} characters long; at most {LONGEST_CELL} are accepted",
            headers.get(i).map_or("", String::as_str),
            cell.chars().count()
        ),
    ))
}

/// Finds the line a record starts on from its byte offset. (The CSV reader's own line count is
/// one short after a CRLF line end, because the offset it reports still points at the `\n`.)
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self { text: text.as_bytes(), offset: 0, line: 1 }
    }

    /// The 1-based line of the first character at or after `offset` that is not a line end.
    /// Offsets must not decrease between calls, so the whole file is scanned once.
    fn line_at(&mut self, offset: usize) -> usize {
        let mut start = offset.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            self.line += self.text[self.offset..start].iter().filter(|&&b| b == b'\n').count();
            self.offset = start;
        }
        self.line
    }
}

/// The file's text in the encoding `setting` names (or detects); text that is not valid in it is
/// an error at its first bad byte.
fn decode_text<'a>(file: &str, bytes: &'a [u8], setting: &str) -> Result<Decoded<'a>, Vec<Diagnostic>> {
    decode(bytes, setting).map_err(|e| {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let good = &bytes[..e.valid_up_to().min(bytes.len())];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        vec![
            Diagnostic::error(file, line, column, "the file is not UTF-8 text").with_hint(
                "save it from the spreadsheet as \"CSV UTF-8\", or name its `encoding` in report.toml [data]",
            ),
        ]
    })
}

/// Finds each of our columns among the headers (under the file's own name where `source` maps
/// one). A missing required or mapped column is an error naming the file's headers; headers that
/// are neither ours nor mapped are listed once.
fn locate_columns(
    file: &str,
    headers: &[String],
    source: &Source,
    required: &[&'static str],
    optional: &[&'static str],
) -> (HashMap<&'static str, usize>, Vec<Diagnostic>) {
    let mut columns = HashMap::new();
    let mut problems = Vec::new();
    let ours = || required.iter().chain(optional).copied();
    for name in ours() {
        let wanted = source.header_for(name);
        let mut found = headers.iter().enumerate().filter(|(_, h)| h.as_str() == wanted);
        if let Some((i, _)) = found.next() {
            columns.insert(name, i);
        }
        if let Some((i, header)) = found.next() {
            problems.push(Diagnostic::cell_error(file, 1, i + 1, format!("column `{header}` appears twice")));
        }
    }
    let listing = format!("the file's headers are `{}`", headers.join("`, `"));
    for name in ours().filter(|n| !columns.contains_key(n)) {
        let wanted = source.header_for(name);
        if let Some(mapped) = source.columns.get(name) {
            problems.push(
                Diagnostic::error(
                    file,
                    1,
                    1,
                    format!("column `{mapped}` (mapped to `{name}` in report.toml) is missing"),
                )
                .with_hint(listing.clone()),
            );
        } else if required.contains(&name) {
            let hint = match did_you_mean(wanted, headers.iter().map(String::as_str)) {
                Some(h) => {
                    format!("did you mean `{h}`? rename that header to `{name}`, or map it in report.toml [data]")
                }
                None => listing.clone(),
            };
            problems
                .push(Diagnostic::error(file, 1, 1, format!("required column `{name}` is missing")).with_hint(hint));
        }
    }
    let unused: Vec<(usize, &String)> =
        headers.iter().enumerate().filter(|(i, h)| !h.is_empty() && !columns.values().any(|c| c == i)).collect();
    if let Some(&(first, _)) = unused.first() {
        let names = unused.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>().join("`, `");
        let mut note = Diagnostic::cell_warning(file, 1, first + 1, format!("columns not used: `{names}`"));
        let missing = ours().filter(|n| !columns.contains_key(n));
        let close = unused.iter().find_map(|(_, h)| did_you_mean(h, missing.clone()).map(|n| (h, n)));
        if let Some((header, name)) = close {
            note = note.with_hint(format!("is `{header}` our `{name}`? rename it, or map it in report.toml [data]"));
        }
        problems.push(note);
    }
    (columns, problems)
}

/// A CSV syntax error as a diagnostic.
fn csv_error(file: &str, error: &csv::Error) -> Diagnostic {
    let line = error.position().map_or(0, |p| p.line() as usize);
    Diagnostic::error(file, line, 1, format!("cannot read this row: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `csv` with `source`, returning the cells (id, line, column) of each row and the problems.
    fn read_rows(csv: &[u8], source: &Source, required: &[&'static str]) -> (Vec<(String, usize, usize)>, Read) {
        let mut rows = Vec::new();
        let read = Table::read("t.csv", csv, source, (required, &["note"]), |table, row, _| {
            let c = table.cell(row, "note");
            rows.push((table.cell(row, "id").text.to_string(), c.line, c.column));
        });
        (rows, read)
    }

    #[test]
    fn cells_know_their_line_and_column() {
        let csv = "id,date,note\r\na,2012-01-01,\"x, y\"\r\n\r\nb,2012-02-02,z\r\n";
        let (rows, read) = read_rows(csv.as_bytes(), &Source::plain("t.csv"), &["id", "date"]);
        assert!(read.problems.is_empty() && read.readable);
        assert_eq!(rows, [("a".into(), 2, 3), ("b".into(), 4, 3)]);
    }

    #[test]
    fn a_missing_column_names_the_headers_and_a_close_one() {
        let (_, read) = read_rows(b"id,dat\n1,2\n", &Source::plain("t.csv"), &["id", "date"]);
        assert!(!read.readable);
        assert_eq!(read.problems[0].message, "required column `date` is missing");
        assert!(read.problems[0].hint.as_deref().unwrap().contains("`dat`"));
    }

    #[test]
    fn mapped_columns_encodings_and_delimiters() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Код;Дата;Прим.;Лишнее\nr1;12.06.2018;ок;x\n");
        let mut source = Source::plain("t.csv");
        source.columns = [("id", "Код"), ("date", "Дата"), ("note", "Прим.")].map(|(a, b)| (a.into(), b.into())).into();
        let (rows, read) = read_rows(&bytes, &source, &["id", "date"]);
        assert_eq!(rows, [("r1".into(), 2, 3)]);
        assert_eq!(read.problems.len(), 1);
        assert_eq!(read.problems[0].message, "columns not used: `Лишнее`");
        source.columns.insert("note".into(), "Примечание".into());
        let (_, read) = read_rows(&bytes, &source, &["id", "date"]);
        assert_eq!(read.problems[0].message, "column `Примечание` (mapped to `note` in report.toml) is missing");
    }

    #[test]
    fn a_quote_never_closed_is_an_error_not_a_silent_loss() {
        let (rows, read) =
            read_rows(b"id,date\n1,\"2012\n2,2012-01-02\n3,2012-01-03\n", &Source::plain("t.csv"), &["id", "date"]);
        assert!(rows.is_empty() || rows.len() == 1);
        let problem = read.problems.iter().find(|p| p.message.contains("never closed")).expect("an error");
        assert_eq!(problem.line, 2);
        let (rows, read) = read_rows(b"id,date\n1,\"multi\nline\"\n", &Source::plain("t.csv"), &["id", "date"]);
        assert_eq!((rows.len(), read.problems.len()), (1, 0), "a closed multi-line field is fine");
    }

    #[test]
    fn short_rows_bad_bytes_and_byte_order_marks() {
        let (rows, read) = read_rows(b"id,date\n1\n2,x\n", &Source::plain("t.csv"), &["id", "date"]);
        assert_eq!((read.problems[0].line, read.problems[0].field), (2, Some(2)));
        assert_eq!(rows.len(), 1, "the good row is still read");
        let mut utf8 = Source::plain("t.csv");
        utf8.encoding = "utf-8".into();
        let (_, read) = read_rows(b"id,date\n1,\xff\n", &utf8, &["id", "date"]);
        assert_eq!((read.problems[0].line, read.problems[0].column), (2, 3));
        let (rows, read) = read_rows(b"\xef\xbb\xbfid,date\n1,2\n", &Source::plain("t.csv"), &["id", "date"]);
        assert!(read.problems.is_empty() && rows.len() == 1);
    }
}

//! Reading a CSV table: finding our columns among the file's headers and handing out cells with
//! their line and column, so every later problem can say where it is.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, did_you_mean, excerpt};

/// The longest cell accepted, in bytes: a longer one is a mistake (a whole document pasted into a
/// cell, a broken export) that would only make an unreadable table.
pub const LONGEST_CELL: usize = 10_000;

/// A CSV file read into rows, with our column names located among its headers.
#[derive(Debug)]
pub struct Table {
    /// The file's name relative to the report folder, used in diagnostics.
    pub file: String,
    /// Data rows in file order.
    pub rows: Vec<Row>,
    /// Our column name → position in a row.
    columns: HashMap<&'static str, usize>,
}

/// One data row of a table.
#[derive(Debug)]
pub struct Row {
    /// The 1-based line the row starts on.
    pub line: usize,
    /// The cells, as text.
    fields: Vec<String>,
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

impl Table {
    /// Reads a table from the file's bytes. `required` columns must be present; `optional` ones may
    /// be. Returns the table and warnings, or every error found.
    pub fn read(
        file: &str,
        bytes: &[u8],
        required: &[&'static str],
        optional: &[&'static str],
    ) -> Result<(Table, Vec<Diagnostic>), Vec<Diagnostic>> {
        let text = decode(file, bytes)?;
        let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| excerpt(s.trim())).collect(),
            Err(e) => return Err(vec![csv_error(file, &e)]),
        };
        if headers.iter().all(String::is_empty) {
            return Err(vec![
                Diagnostic::error(file, 1, 1, "the file has no header row")
                    .with_hint(format!("the first line must name the columns: `{}`", required.join(","))),
            ]);
        }
        let (columns, mut problems) = locate_columns(file, &headers, required, optional);
        let mut rows = Vec::new();
        let mut lines = LineCounter::new(text);
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(csv_error(file, &e));
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| lines.line_at(p.byte() as usize));
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            if record.len() != headers.len() {
                problems.push(
                    Diagnostic::cell_error(
                        file,
                        line,
                        record.len().min(headers.len()) + 1,
                        format!("this row has {} fields but the header has {}", record.len(), headers.len()),
                    )
                    .with_hint("a field with a comma in it must be quoted: \"Алматы, площадь\""),
                );
                continue;
            }
            if let Some((i, cell)) = record.iter().enumerate().find(|(_, c)| c.len() > LONGEST_CELL) {
                problems.push(Diagnostic::cell_error(
                    file,
                    line,
                    i + 1,
                    format!(
                        "`{}`: this cell is {} characters long; at most {LONGEST_CELL} are accepted",
                        headers.get(i).map_or("", String::as_str),
                        cell.chars().count()
                    ),
                ));
                continue;
            }
            rows.push(Row { line, fields: record.iter().map(str::to_string).collect() });
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        Ok((Table { file: file.to_string(), rows, columns }, problems))
    }

    /// The cell of `row` in our column `name`; an empty cell if the file lacks that column.
    pub fn cell<'a>(&self, row: &'a Row, name: &'static str) -> Cell<'a> {
        match self.columns.get(name) {
            Some(&i) => Cell { text: row.fields[i].trim(), line: row.line, column: i + 1, name },
            None => Cell { text: "", line: row.line, column: 0, name },
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

/// The file's text; a file that is not UTF-8 is an error at its first bad byte.
fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Vec<Diagnostic>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        vec![
            Diagnostic::error(file, line, column, "the file is not UTF-8 text")
                .with_hint("save it from the spreadsheet as \"CSV UTF-8\""),
        ]
    })
}

/// Finds each of our columns among the headers; missing required ones are errors, headers we do
/// not know are a warning (with a suggestion when one looks like a misspelling of ours).
fn locate_columns(
    file: &str,
    headers: &[String],
    required: &[&'static str],
    optional: &[&'static str],
) -> (HashMap<&'static str, usize>, Vec<Diagnostic>) {
    let mut columns = HashMap::new();
    let mut problems = Vec::new();
    let ours = || required.iter().chain(optional).copied();
    for (i, header) in headers.iter().enumerate() {
        let Some(name) = ours().find(|n| n == header) else { continue };
        if columns.insert(name, i).is_some() {
            problems.push(Diagnostic::cell_error(file, 1, i + 1, format!("column `{header}` appears twice")));
        }
    }
    for name in required.iter().filter(|n| !columns.contains_key(*n)) {
        let close = did_you_mean(name, headers.iter().map(String::as_str));
        let hint = match close {
            Some(h) => format!("did you mean `{h}`? rename that header to `{name}`"),
            None => format!("the file's headers are `{}`", headers.join("`, `")),
        };
        problems.push(Diagnostic::error(file, 1, 1, format!("required column `{name}` is missing")).with_hint(hint));
    }
    for (i, header) in headers.iter().enumerate() {
        if ours().any(|n| n == header) || header.is_empty() {
            continue;
        }
        let mut warning = Diagnostic::cell_warning(file, 1, i + 1, format!("column `{header}` is not used"));
        if let Some(n) = did_you_mean(header, ours().filter(|n| !columns.contains_key(n))) {
            warning = warning.with_hint(format!("did you mean `{n}`?"));
        }
        problems.push(warning);
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

    #[test]
    fn cells_know_their_line_and_column() {
        let csv = "id,date,note\r\na,2012-01-01,\"x, y\"\n\nb,2012-02-02,z\n";
        let (t, warnings) = Table::read("t.csv", csv.as_bytes(), &["id", "date"], &["note"]).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(t.rows.len(), 2);
        let c = t.cell(&t.rows[0], "note");
        assert_eq!((c.text, c.line, c.column), ("x, y", 2, 3));
        assert_eq!(t.cell(&t.rows[1], "id").line, 4);
    }

    #[test]
    fn a_missing_column_names_the_headers_and_a_close_one() {
        let errors = Table::read("t.csv", b"id,dat\n1,2\n", &["id", "date"], &[]).unwrap_err();
        assert_eq!(errors[0].message, "required column `date` is missing");
        assert!(errors[0].hint.as_deref().unwrap().contains("`dat`"));
    }

    #[test]
    fn short_rows_bad_bytes_and_byte_order_marks() {
        let errors = Table::read("t.csv", b"id,date\n1\n", &["id", "date"], &[]).unwrap_err();
        assert_eq!((errors[0].line, errors[0].field), (2, Some(2)));
        let errors = Table::read("t.csv", b"id,date\n1,\xff\n", &["id", "date"], &[]).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (2, 3));
        assert!(Table::read("t.csv", b"\xef\xbb\xbfid,date\n1,2\n", &["id", "date"], &[]).is_ok());
    }
}

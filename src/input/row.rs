//! Where a cell is: the text of one row as its file writes it, decoded, from which the reader
//! places any cell exactly (line, character column, field, header and the line itself), whatever
//! the delimiter, quoting, encoding or line ends. Nothing reads a file again to place a problem.

use crate::diagnostic::{Diagnostic, Place, Snippet};
use crate::input::source::line_breaks;

/// One row as the file writes it (decoded to UTF-8), from its first character to the start of
/// the next row: what places a cell exactly, whatever the delimiter, quoting, encoding or line
/// ends, without reading the file again.
#[derive(Debug, Clone, Copy)]
pub struct Raw<'r> {
    /// The row's text.
    pub(crate) text: &'r [u8],
    /// The line the row starts on.
    pub(crate) line: usize,
    /// The field delimiter.
    pub(crate) delimiter: u8,
    /// The file's headers, naming each field's column.
    pub(crate) headers: &'r [String],
}

impl Raw<'_> {
    /// Where field `field` (1-based) of this row is: its line (a quoted line break before it
    /// moves it down), the character column where it starts in that line, its header, and the
    /// line itself with the cell underlined. Field 0 (a column the file lacks) is the row's start;
    /// a field past the row's end is just after its last character.
    pub fn place(&self, field: usize) -> Place {
        let (start, end) = self.field_bytes(field);
        let text = self.text;
        let line = self.line + line_breaks(text, 0..start);
        let line_start = text[..start].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1);
        let line_end = text[start..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(text.len(), |i| start + i);
        let prefix = String::from_utf8_lossy(&text[line_start..start]);
        let shown = String::from_utf8_lossy(&text[line_start..line_end]).into_owned();
        let span = prefix.len()..prefix.len() + String::from_utf8_lossy(&text[start..end.min(line_end)]).len();
        Place {
            line,
            column: prefix.chars().count() + 1,
            field: (field > 0).then_some(field),
            header: field.checked_sub(1).and_then(|i| self.headers.get(i)).cloned(),
            snippet: Some(Snippet { text: shown, span }),
        }
    }

    /// The line and character column where field `field` starts (as [`Raw::place`], without
    /// copying the line).
    pub fn line_column(&self, field: usize) -> (usize, usize) {
        let (start, _) = self.field_bytes(field);
        let line_start = self.text[..start].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&self.text[line_start..start]).chars().count() + 1;
        (self.line + line_breaks(self.text, 0..start), column)
    }

    /// The header of field `field` (1-based) as the file writes it.
    pub fn header(&self, field: usize) -> Option<&str> {
        self.headers.get(field.checked_sub(1)?).map(String::as_str)
    }

    /// The byte range of field `field` (1-based; quotes included) in the row's text.
    fn field_bytes(&self, field: usize) -> (usize, usize) {
        if field == 0 {
            return (0, 0);
        }
        let (mut index, mut start, mut quoted) = (1, 0, false);
        for (i, &b) in self.text.iter().enumerate() {
            if b == b'"' {
                quoted = !quoted;
            } else if !quoted && b == self.delimiter {
                if index == field {
                    return (start, i);
                }
                index += 1;
                start = i + 1;
            } else if !quoted && (b == b'\n' || b == b'\r') {
                return if index == field { (start, i) } else { (i, i) };
            }
        }
        let end = self.text.len();
        if index == field { (start, end) } else { (end, end) }
    }

    /// Fills in the place of every problem about a cell of this row that was made without one
    /// ([`Diagnostic::cell_error`]).
    pub(crate) fn resolve(&self, file: &str, problems: &mut [Diagnostic]) {
        for d in problems {
            if let (Some(field), 0, None) = (d.field, d.column, &d.snippet)
                && d.line == self.line
                && d.file == file
            {
                let place = self.place(field);
                d.line = place.line;
                d.column = place.column;
                d.header = place.header;
                d.snippet = place.snippet;
            }
        }
    }
}

/// The text of a row that starts at `start` (on `line`) and ends where the next begins, `end`,
/// without the line ends the CSV reader leaves before it.
pub(crate) fn raw_row(text: &[u8], (start, line): (usize, usize), end: usize) -> (&[u8], usize) {
    let end = end.clamp(0, text.len());
    let start = start.min(end);
    let skipped = text[start..end].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
    (&text[start + skipped..end], line)
}

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
    /// For a workbook row: its sheet. Then `line` is the sheet's row number, a field is its
    /// column's number (A = 1) and `text` is empty: a cell's reference places it.
    pub(crate) sheet: Option<&'r str>,
}

impl Raw<'_> {
    /// Where field `field` (1-based) of this row is: its line (a quoted line break before it
    /// moves it down), the character column where it starts in that line, its header, and the
    /// line itself with the cell underlined. Field 0 (a column the file lacks) is the row's start;
    /// a field past the row's end is just after its last character.
    pub fn place(&self, field: usize) -> Place {
        if let Some(sheet) = self.sheet {
            return Place {
                line: self.line,
                column: field,
                field: (field > 0).then_some(field),
                header: self.header(field).map(str::to_string),
                snippet: None,
                sheet: Some(sheet.to_string()),
            };
        }
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
            sheet: None,
        }
    }

    /// The line and character column where each of `fields` (1-based) starts, as
    /// [`Raw::place`] gives them, in one pass over the row and without copying it: this runs for
    /// every incident whose counts the checks may later contradict. A field the row lacks is at
    /// its row's line, column 0.
    pub fn line_columns<const N: usize>(&self, fields: [usize; N]) -> [(usize, usize); N] {
        if self.sheet.is_some() {
            return fields.map(|f| (self.line, f));
        }
        self.plain_line_columns(fields).unwrap_or_else(|| self.scanned_line_columns(fields))
    }

    /// [`Raw::line_columns`], told where the reader found each of `fields`: `texts[k]` is the
    /// text of field `fields[k]` as split from this row's own text (`None` when the reader made
    /// it elsewhere: unquoted, or from a workbook). The usual row's fields need not be found
    /// again: only the characters before each are counted. Any other row is walked.
    pub fn line_columns_of<const N: usize>(&self, fields: [usize; N], texts: [Option<&str>; N]) -> [(usize, usize); N] {
        if self.sheet.is_some() {
            return fields.map(|f| (self.line, f));
        }
        let text = self.text;
        // Where a field's text starts in the row, if it is in the row's text: at its opening
        // quote when it is quoted (the byte before a field is its delimiter or that quote).
        let start_of = |k: usize| -> Option<usize> {
            let field = texts[k]?;
            let start = (field.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
            (start + field.len() <= text.len()).then_some(())?;
            Some(if start > 0 && text[start - 1] == b'"' { start - 1 } else { start })
        };
        let mut starts = [0usize; N];
        for (k, slot) in starts.iter_mut().enumerate() {
            if fields[k] == 0 {
                continue;
            }
            match start_of(k) {
                Some(start) => *slot = start,
                None => return self.line_columns(fields),
            }
        }
        let last = starts.iter().copied().max().unwrap_or(0);
        if memchr::memchr3(b'"', b'\n', b'\r', &text[..last]).is_some() {
            return self.scanned_line_columns(fields);
        }
        let chars = |to: usize| crate::text::chars_in(&text[..to]);
        std::array::from_fn(|k| match fields[k] {
            0 => (self.line, 0),
            _ => (self.line, chars(starts[k]) + 1),
        })
    }

    /// [`Raw::line_columns`] for the usual row, with no quote or line break before the last of
    /// `fields`: the delimiters are found with memchr and the characters before each field
    /// counted, without walking the row byte by byte. `None` for any other row.
    fn plain_line_columns<const N: usize>(&self, fields: [usize; N]) -> Option<[(usize, usize); N]> {
        let last = fields.iter().copied().max().unwrap_or(0);
        // The byte where each of `fields` starts: after the delimiter before it.
        let mut starts = [0usize; N];
        let mut delimiters = memchr::memchr_iter(self.delimiter, self.text);
        let (mut field, mut start) = (1, 0);
        while field <= last {
            for (slot, _) in starts.iter_mut().zip(&fields).filter(|(_, f)| **f == field) {
                *slot = start;
            }
            if field == last {
                break;
            }
            start = delimiters.next()? + 1;
            field += 1;
        }
        if memchr::memchr3(b'"', b'\n', b'\r', &self.text[..start]).is_some() {
            return None;
        }
        let chars = |to: usize| crate::text::chars_in(&self.text[..to]);
        Some(std::array::from_fn(|k| match fields[k] {
            0 => (self.line, 0),
            _ => (self.line, chars(starts[k]) + 1),
        }))
    }

    /// [`Raw::line_columns`] walking the row as the CSV reader reads it.
    fn scanned_line_columns<const N: usize>(&self, fields: [usize; N]) -> [(usize, usize); N] {
        let mut found = [(self.line, 0); N];
        let mut mark = |index: usize, at: (usize, usize)| {
            for (field, slot) in fields.iter().zip(found.iter_mut()) {
                if *field == index {
                    *slot = at;
                }
            }
        };
        let text = self.text;
        let (mut index, mut quoted, mut at_start) = (1, false, true);
        let (mut line, mut column) = (self.line, 1);
        mark(index, (line, column));
        let mut i = 0;
        while i < text.len() {
            let b = text[i];
            let first = std::mem::replace(&mut at_start, false);
            let line_end = b == b'\n' || (b == b'\r' && text.get(i + 1) != Some(&b'\n'));
            if quoted {
                if b == b'"' && text.get(i + 1) == Some(&b'"') {
                    i += 1;
                    column += 1;
                } else if b == b'"' {
                    quoted = false;
                }
            } else if b == b'"' && first {
                quoted = true;
            } else if b == b'\n' || b == b'\r' {
                break;
            }
            if line_end {
                line += 1;
                column = 1;
            } else if b != b'\r' && b & 0xc0 != 0x80 {
                column += 1;
            }
            if !quoted && b == self.delimiter {
                index += 1;
                at_start = true;
                mark(index, (line, column));
            }
            i += 1;
        }
        found
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
        // As the CSV reader reads: a quote opens a quoted field only as its first character;
        // inside one, `""` is a quote and `"` closes it; anywhere else a quote is just a character.
        let (mut index, mut start, mut quoted, mut at_start) = (1, 0, false, true);
        let mut bytes = self.text.iter().enumerate().peekable();
        while let Some((i, &b)) = bytes.next() {
            let first = std::mem::replace(&mut at_start, false);
            if quoted {
                if b == b'"' {
                    if bytes.peek().is_some_and(|&(_, &next)| next == b'"') {
                        bytes.next();
                    } else {
                        quoted = false;
                    }
                }
            } else if b == b'"' && first {
                quoted = true;
            } else if b == self.delimiter {
                if index == field {
                    return (start, i);
                }
                index += 1;
                start = i + 1;
                at_start = true;
            } else if b == b'\n' || b == b'\r' {
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
                d.set_place(self.place(field));
            }
        }
    }
}

/// The bytes of a row that starts at `start` and ends where the next begins, `end`, without the
/// line ends the CSV reader leaves before it.
pub(crate) fn raw_range(text: &[u8], start: usize, end: usize) -> std::ops::Range<usize> {
    let end = end.min(text.len());
    let start = start.min(end);
    let skipped = text[start..end].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
    start + skipped..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw<'a>(text: &'a str, headers: &'a [String]) -> Raw<'a> {
        Raw { text: text.as_bytes(), line: 5, delimiter: b',', headers, sheet: None }
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_a_character_as_the_reader_takes_it() {
        // `экран 5" у акимата` once made every later cell of the row lose its place (line 6, col 1).
        let headers: Vec<String> = ["id", "place", "detained"].map(String::from).into();
        let r = raw("r1,экран 5\" у акимата,12a\n", &headers);
        let place = r.place(3);
        assert_eq!((place.line, place.column, place.header.as_deref()), (5, 23, Some("detained")));
        assert_eq!(place.snippet.unwrap().span, "r1,экран 5\" у акимата,".len().."r1,экран 5\" у акимата,12a".len());
    }

    #[test]
    fn quoted_cells_with_delimiters_doubled_quotes_and_line_breaks_are_skipped() {
        let headers: Vec<String> = ["id", "note", "detained"].map(String::from).into();
        let r = raw("r1,\"a, \"\"b\"\"\r\nc, d\",12a\n", &headers);
        let place = r.place(3);
        assert_eq!((place.line, place.column), (6, 7), "the cell is on the second line of the row");
        assert_eq!(place.snippet.unwrap().text, "c, d\",12a");
    }

    #[test]
    fn line_columns_agree_with_place() {
        let headers: Vec<String> = ["id", "note", "a", "b"].map(String::from).into();
        for text in ["ё,дом,12a,x\n", "r1,\"a, \"\"b\"\"\r\nc, d\",12a,ё\n", "r1,экран 5\" у,x,y\r\n", "ё;\"q\rw\";3;4"]
        {
            let mut r = raw(text, &headers);
            if text.contains(';') {
                r.delimiter = b';';
            }
            let [a, b, c] = r.line_columns([2, 3, 4]);
            for (field, got) in [(2, a), (3, b), (4, c)] {
                let place = r.place(field);
                assert_eq!(got, (place.line, place.column), "{text:?} field {field}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_quick_way_to_place_cells_agrees_with_the_walk(text in "[aё,\" \r\n]{0,24}", a in 0usize..7, b in 0usize..7) {
            let headers: Vec<String> = ["id", "note", "a", "b", "c", "d"].map(String::from).into();
            let r = raw(&text, &headers);
            if let Some(quick) = r.plain_line_columns([a, b]) {
                proptest::prop_assert_eq!(quick, r.scanned_line_columns([a, b]), "{:?}", text);
            }
        }
    }

    #[test]
    fn a_missing_field_is_placed_after_the_row() {
        let headers: Vec<String> = ["id", "a", "b"].map(String::from).into();
        let place = raw("r1,x\n", &headers).place(3);
        assert_eq!((place.line, place.column, place.header.as_deref()), (5, 5, Some("b")));
    }
}

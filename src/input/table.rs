//! Reading a CSV table: finding our columns among the file's headers and handing out cells with
//! their line and column, so every later problem can say where it is.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::io;

use foldhash::quality::FoldHasher;

use crate::diagnostic::{Diagnostic, excerpt};
use crate::figure::DecimalMark;
use crate::input::header::locate_columns;
use crate::input::recode::{Origin, Recoding};
use crate::input::row::{Raw, raw_row};
use crate::input::source::{
    Decoded, Source, decode, delimiter_byte, line_breaks, not_utf8_place, sniff_delimiter, streams_as_utf8,
};

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
    /// How cells are recoded (`report.toml` `values`, `unknown`, `fixed`).
    recoding: Recoding,
}

/// One data row of a table.
#[derive(Debug)]
pub struct Row<'r> {
    /// The 1-based line the row starts on.
    pub line: usize,
    /// The cells, as text.
    pub(crate) fields: &'r csv::StringRecord,
    /// The row as the file writes it, to find where each cell is.
    pub raw: Raw<'r>,
    /// For a workbook row: what each cell held (empty for a CSV row, whose cells are all text).
    pub kinds: &'r [CellKind],
    /// The row's shape is wrong (too few or too many fields, an overlong cell): that is already an
    /// error, and only its first cells, such as an id, are worth reading.
    pub broken: bool,
}

/// What a cell held before it became text: a CSV cell is text; a workbook cell may be a number
/// or a date, which the workbook reader writes in our own form (`1234`, `2012-01-05`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellKind {
    /// Text, as typed.
    #[default]
    Text,
    /// A whole number, written in digits (`1234` for a cell holding 1234.0).
    Whole,
    /// A number with a fraction, written in full (`0.30000000000000004`): never a count.
    Fraction,
    /// A date cell, written `2012-01-05` whatever its display format.
    Date,
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
    /// The cell's text, trimmed, as the reader reads it (recoded, if `report.toml` says so).
    pub text: &'a str,
    /// Where `text` comes from: the file as written, or a recoding of it.
    pub origin: Origin<'a>,
    /// The 1-based line of its row.
    pub line: usize,
    /// The 1-based position of its field in the row (0 when the file lacks the column).
    pub column: usize,
    /// Our name of its column.
    pub name: &'static str,
    /// Its row as written, to place it exactly.
    pub raw: Raw<'a>,
    /// What the cell held (a workbook's cells may be numbers or dates).
    pub kind: CellKind,
}

/// What reading a table found: its problems, whether its header could be used at all, and the
/// stamp of the bytes read.
pub struct Read {
    /// Errors and warnings, in file order.
    pub problems: Vec<Diagnostic>,
    /// False when the file could not be read as a table.
    pub readable: bool,
    /// The file's length and a hash of its bytes, to tell later whether it changed.
    pub stamp: Stamp,
}

/// A file's length and a hash of its bytes: when both are unchanged, so is the file.
pub type Stamp = (u64, u64);

/// The stamp of bytes held whole (a workbook), hashed in blocks as [`Table::read`] hashes a file.
pub(crate) fn stamp_of(bytes: &[u8]) -> Stamp {
    let mut hasher = foldhash::quality::FixedState::default().build_hasher();
    for block in bytes.chunks(BLOCK) {
        hasher.write(block);
    }
    (bytes.len() as u64, hasher.finish())
}

/// How much of a file is read at a time: a large file is never held whole (unless it has to be
/// decoded from another encoding than UTF-8).
pub const BLOCK: usize = 4 << 20;

/// A file read in blocks of exactly [`BLOCK`] bytes (the last one shorter), hashing them as they
/// come, so the same bytes always give the same stamp however the reads fall.
struct Blocks<'a> {
    input: &'a mut dyn io::Read,
    size: usize,
    hasher: FoldHasher<'static>,
    length: u64,
}

impl<'a> Blocks<'a> {
    fn new(input: &'a mut dyn io::Read, size: usize) -> Self {
        Self { input, size: size.max(1), hasher: foldhash::quality::FixedState::default().build_hasher(), length: 0 }
    }

    /// Appends the next block to `buffer`; returns false once the end of the file is reached.
    fn next_into(&mut self, buffer: &mut Vec<u8>) -> io::Result<bool> {
        use io::Read as _;
        let start = buffer.len();
        // `take` + `read_to_end` grows the buffer only as far as the file goes, without
        // zeroing a whole block for a small file.
        (&mut *self.input).take(self.size as u64).read_to_end(buffer)?;
        let filled = buffer.len();
        self.hasher.write(&buffer[start..]);
        self.length += (filled - start) as u64;
        Ok(filled == start + self.size)
    }

    /// The stamp of everything read.
    fn stamp(&self) -> Stamp {
        (self.length, self.hasher.finish())
    }
}

/// How a file's text reaches the CSV parser.
enum Text {
    /// UTF-8 read a block at a time; the parser checks each row's bytes.
    Streamed,
    /// Decoded whole from another encoding.
    Decoded(String),
}

impl Table {
    /// Reads a table as `source` says, a block at a time, handing each data row to `each` (which
    /// may add problems). `required` columns must be present; `optional` ones may be. A
    /// workbook's sheet is read by [`crate::input::workbook::read`], its rows handed out alike.
    /// Fails only when the input cannot be read.
    pub fn read(
        file: &str,
        input: &mut dyn io::Read,
        source: &Source,
        columns: (&[&'static str], &[&'static str]),
        each: impl FnMut(&Table, &Row, &mut Vec<Diagnostic>),
    ) -> io::Result<Read> {
        if source.is_workbook() {
            return crate::input::workbook::read(file, input, source, columns, each);
        }
        Self::read_in_blocks(file, input, source, columns, each, BLOCK)
    }

    /// [`Table::read`] with blocks of `block` bytes (the tests read in tiny blocks, so that
    /// rows, quotes and characters are cut at every possible place).
    fn read_in_blocks(
        file: &str,
        input: &mut dyn io::Read,
        source: &Source,
        columns: (&[&'static str], &[&'static str]),
        mut each: impl FnMut(&Table, &Row, &mut Vec<Diagnostic>),
        block: usize,
    ) -> io::Result<Read> {
        let mut blocks = Blocks::new(input, block);
        let mut buffer = Vec::new();
        let mut more = blocks.next_into(&mut buffer)?;
        // A refused file always has an error, and its stamp is never compared: no need to
        // read the rest of it.
        let refuse = |problems, blocks: &Blocks| -> io::Result<Read> {
            Ok(Read { problems, readable: false, stamp: blocks.stamp() })
        };
        let mut notes = Vec::new();
        let text = if streams_as_utf8(&buffer, &source.encoding) {
            if buffer.starts_with(b"\xef\xbb\xbf") {
                buffer.drain(..3);
            }
            Text::Streamed
        } else {
            while more {
                more = blocks.next_into(&mut buffer)?;
            }
            match decode_text(file, &buffer, &source.encoding) {
                Ok(decoded) => {
                    notes.extend(mac_note(file, &buffer, &source.encoding, decoded.encoding));
                    Text::Decoded(decoded.text.into_owned())
                }
                Err(problems) => return refuse(problems, &blocks),
            }
        };
        let sample = match &text {
            Text::Streamed => String::from_utf8_lossy(&buffer[..buffer.len().min(4096)]).into_owned(),
            Text::Decoded(t) => t.chars().take(1000).collect(),
        };
        if looks_binary(&sample) {
            return refuse(
                vec![
                    Diagnostic::error(file, 0, 0, "this is not a text table (it holds many control characters)")
                        .with_hint("export the spreadsheet as CSV"),
                ],
                &blocks,
            );
        }
        let delimiter = delimiter_byte(&source.delimiter).unwrap_or_else(|| sniff_delimiter(&sample));
        let mut state = Chunks {
            file,
            source,
            columns,
            delimiter,
            table: None,
            headers: Vec::new(),
            problems: notes,
            line: 1,
            stopped: false,
        };
        match text {
            Text::Decoded(text) => {
                state.chunk(text.as_bytes(), true, &mut each);
            }
            Text::Streamed => loop {
                let consumed = state.chunk(&buffer, !more, &mut each);
                if !more || state.stopped {
                    break;
                }
                buffer.drain(..consumed);
                // A row longer than all that is buffered (a quote never closed runs to the end of
                // the file): read as much again before parsing anew, so the work stays linear.
                let wanted = if consumed == 0 { buffer.len() * 2 } else { 0 };
                more = blocks.next_into(&mut buffer)?;
                while more && buffer.len() < wanted {
                    more = blocks.next_into(&mut buffer)?;
                }
            },
        }
        if state.table.is_none() && !state.stopped {
            // Not even a header row: an empty file (which stops the reading).
            state.header(&csv::StringRecord::new(), (b"", 1));
        }
        if state.stopped {
            return refuse(state.problems, &blocks);
        }
        if let Some(table) = &state.table {
            state.problems.extend(table.unmatched_recodings(source));
        }
        Ok(Read { problems: state.problems, readable: true, stamp: blocks.stamp() })
    }

    /// A table whose header is already read: `columns` gives our columns' positions in a row.
    /// `names` are the columns the table may have, whose `report.toml` recodings apply.
    pub(crate) fn located<'n>(
        file: &str,
        columns: HashMap<&'static str, usize>,
        source: &Source,
        names: impl IntoIterator<Item = &'n &'static str>,
    ) -> Self {
        Table {
            file: file.to_string(),
            columns,
            date_format: source.date_format.clone(),
            delimiter: b',',
            recoding: Recoding::new(source, names),
        }
    }

    /// The warnings about `report.toml` recodings that matched no cell of this table.
    pub(crate) fn unmatched_recodings(&self, source: &Source) -> Vec<Diagnostic> {
        self.recoding.unmatched(&self.file, source, |name| self.columns.contains_key(name))
    }

    /// The cell of `row` in our column `name`; an empty cell if the file lacks that column.
    pub fn cell<'r>(&'r self, row: &Row<'r>, name: &'static str) -> Cell<'r> {
        self.cell_of(row, self.column(name))
    }

    /// Our column `name` in this table.
    pub fn column(&self, name: &'static str) -> Column {
        Column { index: self.columns.get(name).copied(), name }
    }

    /// The cell of `row` in `column`, recoded as `report.toml` says; an empty cell (or the
    /// column's fixed value) if the file lacks that column.
    pub fn cell_of<'r>(&'r self, row: &Row<'r>, column: Column) -> Cell<'r> {
        let (text, origin, field, kind) = match column.index {
            Some(i) => {
                let (text, origin) = self.recoding.cell(column.name, row.fields.get(i).unwrap_or("").trim());
                // A value report.toml gives is text, whatever the workbook cell it replaces held.
                let kind = match origin {
                    Origin::Written => row.kinds.get(i).copied().unwrap_or_default(),
                    _ => CellKind::Text,
                };
                (text, origin, i + 1, kind)
            }
            None => match self.recoding.fixed(column.name) {
                Some(value) => (value, Origin::Fixed, 0, CellKind::Text),
                None => ("", Origin::Written, 0, CellKind::Text),
            },
        };
        Cell { text, origin, line: row.line, column: field, name: column.name, raw: row.raw, kind }
    }

    /// The mark this table's numbers write before a fraction: a comma where `;` separates fields
    /// (exports from locales that group thousands with dots, `10.000`), else a point.
    pub fn decimal_mark(&self) -> DecimalMark {
        if self.delimiter == b';' { DecimalMark::Comma } else { DecimalMark::Point }
    }
}

/// The reading of a table a chunk at a time: what is known of it so far.
struct Chunks<'s> {
    file: &'s str,
    source: &'s Source,
    columns: (&'s [&'static str], &'s [&'static str]),
    delimiter: u8,
    /// Known once the header row is read.
    table: Option<Table>,
    headers: Vec<String>,
    problems: Vec<Diagnostic>,
    /// The line the next chunk starts on.
    line: usize,
    /// Reading stopped: the header is unusable, or the text is not UTF-8.
    stopped: bool,
}

impl Chunks<'_> {
    /// Reads the rows of `text` that are complete, handing each to `each`; returns how many bytes
    /// were used. Unless `last`, the final row is left for the next chunk, which starts with it:
    /// the parser itself says where rows end, so quoted line breaks are never cut.
    fn chunk(&mut self, text: &[u8], last: bool, each: &mut impl FnMut(&Table, &Row, &mut Vec<Diagnostic>)) -> usize {
        let mut reader =
            csv::ReaderBuilder::new().flexible(true).has_headers(false).delimiter(self.delimiter).from_reader(text);
        let mut lines = LineCounter::new(text, self.line);
        let (mut record, mut held) = (csv::StringRecord::new(), csv::StringRecord::new());
        let mut held_at: Option<(usize, usize)> = None;
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    let start = record.position().map_or(0, |p| p.byte() as usize);
                    let line = lines.line_at(start);
                    if let Some(at) = held_at.take() {
                        self.row(&held, raw_row(text, at, start), each);
                    }
                    std::mem::swap(&mut record, &mut held);
                    held_at = Some((start, line));
                }
                Ok(false) => break,
                Err(e) => {
                    if let Some(at) = held_at.take() {
                        let end = e.position().map_or(text.len(), |p| p.byte() as usize);
                        self.row(&held, raw_row(text, at, end), each);
                    }
                    if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                        // A character cut in two by the end of the block: the row continues in
                        // the next chunk. Anything else is not UTF-8, and reading stops.
                        let start = e.position().map_or(0, |p| p.byte() as usize).min(text.len());
                        let rest = std::str::from_utf8(&text[start..]);
                        if !last && rest.err().is_some_and(|r| r.error_len().is_none()) {
                            self.line = lines.line_at_end(start);
                            return start;
                        }
                        self.problems.push(self.csv_error(text, &e, &mut lines));
                        self.stopped = true;
                        return text.len();
                    }
                    self.problems.push(self.csv_error(text, &e, &mut lines));
                }
            }
            if self.stopped {
                return text.len();
            }
        }
        let Some((start, line)) = held_at else { return text.len() };
        if !last {
            self.line = lines.line_at_end(start);
            return start;
        }
        self.row(&held, raw_row(text, (start, line), text.len()), each);
        // The CSV reader takes a quote that is never closed as a field running to the end of the
        // file, silently swallowing every row after it; say so instead.
        if text[start..].iter().filter(|&&b| b == b'"').count() % 2 == 1 {
            self.problems.push(
                Diagnostic::error(
                    self.file,
                    line,
                    1,
                    "a quoted field on this line is never closed: the rows after it cannot be read",
                )
                .with_hint("close the quote, or double a quote inside a quoted field (\"\")"),
            );
        }
        text.len()
    }

    /// One complete record: the header, or a data row.
    fn row(
        &mut self,
        record: &csv::StringRecord,
        (text, line): (&[u8], usize),
        each: &mut impl FnMut(&Table, &Row, &mut Vec<Diagnostic>),
    ) {
        let file = self.file;
        let Some(table) = &self.table else {
            self.header(record, (text, line));
            return;
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        let raw = Raw { text, line, delimiter: self.delimiter, headers: &self.headers, sheet: None };
        let shape = shape_problem(file, raw, record, &self.headers);
        let broken = shape.is_some();
        self.problems.extend(shape);
        let before = self.problems.len();
        each(table, &Row { line, fields: record, raw, kinds: &[], broken }, &mut self.problems);
        raw.resolve(file, &mut self.problems[before..]);
    }

    /// The header row (its text as written, `text`): our columns located among its names.
    fn header(&mut self, record: &csv::StringRecord, (text, line): (&[u8], usize)) {
        let (required, optional) = self.columns;
        // Whole, so that a long header or one with a line break matches its mapping; messages
        // show them shortened.
        self.headers = record.iter().map(|s| s.trim().to_string()).collect();
        if self.headers.iter().all(String::is_empty) {
            let raw = Raw { text, line, delimiter: self.delimiter, headers: &self.headers, sheet: None };
            self.problems.push(
                Diagnostic::error_at(self.file, raw.place(0), "the file has no header row")
                    .with_hint(format!("the first line must name the columns: `{}`", required.join(","))),
            );
            self.stopped = true;
            return;
        }
        let (columns, mut problems) = locate_columns(self.file, &self.headers, self.source, required, optional);
        let raw = Raw { text, line, delimiter: self.delimiter, headers: &self.headers, sheet: None };
        for p in problems.iter_mut().filter(|p| p.line == 1) {
            p.line = line;
        }
        raw.resolve(self.file, &mut problems);
        for p in problems.iter_mut().filter(|p| p.snippet.is_none() && p.line == line) {
            p.snippet = raw.place(0).snippet;
        }
        let unusable = problems.iter().any(Diagnostic::is_error);
        self.problems.append(&mut problems);
        if unusable {
            self.stopped = true;
            return;
        }
        let names = self.columns.0.iter().chain(self.columns.1);
        self.table = Some(Table {
            file: self.file.to_string(),
            columns,
            date_format: self.source.date_format.clone(),
            delimiter: self.delimiter,
            recoding: Recoding::new(self.source, names),
        });
    }

    /// A CSV error as a diagnostic: bytes that are not UTF-8 are pointed at exactly.
    fn csv_error(&self, text: &[u8], error: &csv::Error, lines: &mut LineCounter) -> Diagnostic {
        let start = error.position().map_or(0, |p| p.byte() as usize).min(text.len());
        if let csv::ErrorKind::Utf8 { .. } = error.kind() {
            let bad = start + std::str::from_utf8(&text[start..]).err().map_or(0, |e| e.valid_up_to());
            let row = start + text[start..bad].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
            let line = lines.line_at(start) + line_breaks(text, row..bad);
            return Diagnostic::error_at(self.file, not_utf8_place(text, bad, line), "the file is not UTF-8 text")
                .with_hint(
                    "save it from the spreadsheet as \"CSV UTF-8\", or name its `encoding` in report.toml [data]",
                );
        }
        Diagnostic::error(self.file, lines.line_at(start), 1, format!("cannot read this row: {error}"))
    }
}

impl<'a> Cell<'a> {
    /// The cell's text, when it is text a document can show: a control character (other than a
    /// tab or a line break), which a PDF would print as garbage or drop, is an error at the cell.
    pub fn text(&self, file: &str, problems: &mut Vec<Diagnostic>) -> &'a str {
        // Every control character is a byte below 0x20, 0x7f, or (U+0080–U+009F) 0xc2 followed by
        // 0x80–0x9f: most cells have none and need no closer look.
        let bytes = self.text.as_bytes();
        let suspect = bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b < 0x20 || b == 0x7f || (b == 0xc2 && bytes.get(i + 1).is_some_and(|&n| n < 0xa0)));
        let control = |c: &char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
        if let Some(c) = suspect.then(|| self.text.chars().find(control)).flatten() {
            problems.push(
                self.error(
                    file,
                    format!("holds the control character {}, which no document can show", c.escape_unicode()),
                )
                .with_hint("remove it in the spreadsheet (it often comes from text pasted from another program)"),
            );
        }
        self.text
    }
}

impl<'a> Cell<'a> {
    /// The error for a workbook number with a fraction where a whole number (`what`) is wanted:
    /// `0.30000000000000004` is never rounded into a count.
    pub fn fraction_error(&self, file: &str, what: &str) -> Option<Diagnostic> {
        (self.kind == CellKind::Fraction).then(|| {
            self.error(file, format!("is a number with a fraction, not {what}"))
                .with_hint("a formula may have left a fraction: round it in the workbook, or type the whole number")
        })
    }

    /// The cell as the file writes it (trimmed): what a message quotes.
    pub fn written(&self) -> &'a str {
        match self.origin {
            Origin::Recoded(written) | Origin::NotStated(written) => written,
            Origin::Written | Origin::Fixed | Origin::NotACode => self.text,
        }
    }

    /// An error about this cell, naming its column and value as written (and what `report.toml`
    /// recoded it to).
    pub fn error(&self, file: &str, message: impl std::fmt::Display) -> Diagnostic {
        let (name, text) = (self.name, excerpt(self.text));
        let text = match self.origin {
            Origin::Written if self.text.is_empty() => format!("`{name}` is empty: {message}"),
            Origin::Written | Origin::NotACode => format!("`{name}`: `{text}` {message}"),
            Origin::Recoded(written) if self.text.is_empty() => {
                format!("`{name}`: `{}` (recoded to blank in report.toml): {message}", excerpt(written))
            }
            Origin::Recoded(written) => {
                format!("`{name}`: `{}` (recoded to `{text}` in report.toml) {message}", excerpt(written))
            }
            Origin::NotStated(written) => {
                format!("`{name}`: `{}` (\"not stated\" in report.toml `unknown`): {message}", excerpt(written))
            }
            Origin::Fixed => format!("`{name}`: `{text}` (fixed in report.toml) {message}"),
        };
        Diagnostic::error_at(file, self.raw.place(self.column), text)
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
fn shape_problem(file: &str, raw: Raw, record: &csv::StringRecord, headers: &[String]) -> Option<Diagnostic> {
    if record.len() != headers.len() {
        let delimiter =
            if raw.delimiter == b'\t' { "tab".to_string() } else { format!("`{}`", char::from(raw.delimiter)) };
        return Some(
            Diagnostic::error_at(
                file,
                raw.place(record.len().min(headers.len()) + 1),
                format!("this row has {} fields but the header has {}", record.len(), headers.len()),
            )
            .with_hint(format!(
                "a field with the delimiter ({delimiter}) in it must be quoted: \"Алматы{} площадь\"",
                if raw.delimiter == b'\t' { ' ' } else { char::from(raw.delimiter) }
            )),
        );
    }
    let (i, cell) = record.iter().enumerate().find(|(_, c)| c.len() > LONGEST_CELL)?;
    Some(Diagnostic::error_at(
        file,
        raw.place(i + 1),
        format!(
            "`{}`: this cell is {} characters long; at most {LONGEST_CELL} are accepted",
            headers.get(i).map_or(String::new(), |h| excerpt(h)),
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
    /// Counts lines in `text`, which starts on line `first`.
    fn new(text: &'a [u8], first: usize) -> Self {
        Self { text, offset: 0, line: first }
    }

    /// The line at `offset` itself (line ends not skipped): where a chunk starting there begins.
    fn line_at_end(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let newlines = |range: std::ops::Range<usize>| line_breaks(self.text, range);
        if offset >= self.offset {
            self.line + newlines(self.offset..offset)
        } else {
            self.line - newlines(offset..self.offset)
        }
    }

    /// The 1-based line of the first character at or after `offset` that is not a line end.
    /// Offsets must not decrease between calls, so the whole file is scanned once.
    fn line_at(&mut self, offset: usize) -> usize {
        let mut start = offset.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            self.line += line_breaks(self.text, self.offset..start);
            self.offset = start;
        }
        self.line
    }
}

/// A warning for a file whose encoding was guessed as a Windows code page although its lines end
/// in a lone CR, as Excel for Mac writes them, in its Mac code page: the two differ in many
/// letters, so a wrong guess would print the wrong letters without any error.
fn mac_note(file: &str, bytes: &[u8], setting: &str, guessed: &str) -> Option<Diagnostic> {
    let cr_only = bytes.contains(&b'\r') && !bytes.contains(&b'\n');
    let mac = match guessed {
        "windows-1251" => "x-mac-cyrillic",
        "windows-1252" => "macintosh",
        _ => return None,
    };
    (setting == "auto" && cr_only).then(|| {
        Diagnostic::warning(
            file,
            0,
            0,
            format!("read as {guessed} (guessed); its line ends are those of Excel for Mac"),
        )
        .with_hint(format!(
            "if letters look wrong in the PDF, set `encoding = \"{mac}\"` for this file in report.toml [data]"
        ))
    })
}

/// The file's text in the encoding `setting` names (or detects); text that is not valid in it is
/// an error at its first bad byte.
fn decode_text<'a>(file: &str, bytes: &'a [u8], setting: &str) -> Result<Decoded<'a>, Vec<Diagnostic>> {
    decode(bytes, setting).map_err(|e| {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let bad = e.valid_up_to().min(bytes.len());
        let line = line_breaks(bytes, 0..bad) + 1;
        vec![
            Diagnostic::error_at(file, not_utf8_place(bytes, bad, line), "the file is not UTF-8 text").with_hint(
                "save it from the spreadsheet as \"CSV UTF-8\", or name its `encoding` in report.toml [data]",
            ),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `csv` with `source`, returning the cells (id, line, column) of each row and the problems.
    fn read_rows(csv: &[u8], source: &Source, required: &[&'static str]) -> (Vec<(String, usize, usize)>, Read) {
        let mut rows = Vec::new();
        let read = Table::read("t.csv", &mut &csv[..], source, (required, &["note"]), |table, row, _| {
            if row.broken {
                return;
            }
            let c = table.cell(row, "note");
            rows.push((table.cell(row, "id").text.to_string(), c.line, c.column));
        })
        .unwrap();
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
    fn a_long_or_multi_line_header_matches_its_mapping() {
        let long = "Дата события (день, месяц и год, как в протоколе задержания или в решении суда)";
        let csv = format!("\"Код\nзаписи\",\"{long}\"\nr1,2012-01-01\n");
        let mut source = Source::plain("t.csv");
        source.columns = [("id", "Код\nзаписи"), ("date", long)].map(|(a, b)| (a.into(), b.into())).into();
        let (rows, read) = read_rows(csv.as_bytes(), &source, &["id", "date"]);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(rows, [("r1".into(), 3, 0)], "the header takes two lines");
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

    /// Every row (id, line, column of `note`, note) and every problem (line, column, message).
    type Seen = (Vec<(String, usize, usize, String)>, Vec<(usize, usize, String)>, bool);

    fn read_in(csv: &[u8], block: usize) -> Seen {
        let mut rows = Vec::new();
        let read = Table::read_in_blocks(
            "t.csv",
            &mut &csv[..],
            &Source::plain("t.csv"),
            (&["id", "date"], &["note"]),
            |table, row, _| {
                if row.broken {
                    return;
                }
                let c = table.cell(row, "note");
                rows.push((table.cell(row, "id").text.to_string(), c.line, c.column, c.text.to_string()));
            },
            block,
        )
        .unwrap();
        let problems = read.problems.iter().map(|p| (p.line, p.column, p.message.clone())).collect();
        (rows, problems, read.readable)
    }

    #[test]
    fn blocks_cut_anywhere_read_the_same_rows() {
        let csv = "\u{feff}id,date,note\r\nа1,2012-01-01,\"multi\r\nline, «quoted» \"\"x\"\"\"\r\n\r\n\
                   b2,2012-02-02,ёжик\nc3,2012-03-03\nd4,2012-04-04,\"never closed\ne5,2012-05-05,z\n";
        let whole = read_in(csv.as_bytes(), 1 << 20);
        assert_eq!(whole.0.len(), 3, "{whole:?}");
        assert_eq!(whole.0[2], ("d4".into(), 7, 3, "never closed\ne5,2012-05-05,z".into()));
        for block in 1..csv.len() {
            assert_eq!(read_in(csv.as_bytes(), block), whole, "blocks of {block} bytes");
        }
    }

    /// A reader that hands out one byte per call, as a slow pipe might.
    struct Trickle<'a>(&'a [u8]);

    impl io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else { return Ok(0) };
            match buf.first_mut() {
                Some(slot) => {
                    *slot = *first;
                    self.0 = rest;
                    Ok(1)
                }
                None => Ok(0),
            }
        }
    }

    #[test]
    fn the_stamp_depends_on_the_bytes_not_on_how_they_arrive() {
        let csv = "id,date,note\na,2012-01-01,x\nb,2012-02-02,y\n".as_bytes();
        let read = |input: &mut dyn io::Read, block| {
            let source = Source::plain("t.csv");
            Table::read_in_blocks("t.csv", input, &source, (&["id", "date"], &["note"]), |_, _, _| {}, block)
                .unwrap()
                .stamp
        };
        let whole = read(&mut &csv[..], 1 << 20);
        assert_eq!(read(&mut Trickle(csv), 1 << 20), whole);
        assert_eq!(read(&mut Trickle(csv), 7), read(&mut &csv[..], 7));
        assert_eq!(whole.0, csv.len() as u64);
        let edited = "id,date,note\na,2012-01-01,x\nb,2012-02-03,y\n".as_bytes();
        assert_ne!(read(&mut &edited[..], 1 << 20), whole, "one changed digit changes the stamp");
    }

    proptest::proptest! {
        #[test]
        fn any_text_reads_the_same_in_any_blocks(
            body in proptest::collection::vec("[a-zé\",\r\n ]{0,12}", 0..12),
            block in 1usize..40,
        ) {
            let csv = format!("id,date,note\n{}", body.concat());
            proptest::prop_assert_eq!(read_in(csv.as_bytes(), block), read_in(csv.as_bytes(), 1 << 20));
        }
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

//! Reading a CSV table: finding our columns among the file's headers and handing out cells with
//! their line and column, so every later problem can say where it is.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::io;

use foldhash::quality::FoldHasher;

use crate::diagnostic::{Diagnostic, excerpt};
use crate::figure::DecimalMark;
use crate::input::chunk::{Chunk, Context, Fields, Fold, Folding, Parse, Quote, Spare, csv_error};
use crate::input::header::locate_columns;
use crate::input::recode::{Matched, Origin, Recoding};
use crate::input::row::{Raw, raw_range};
use crate::input::source::{
    Decoded, Source, decode, delimiter_byte, line_breaks, not_utf8_place, sniff_delimiter, streams_as_utf8,
    table_not_utf8,
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
    pub(crate) fields: Fields<'r>,
    /// The row as the file writes it, to find where each cell is.
    pub raw: Raw<'r>,
    /// For a workbook row: what each cell held (empty for a CSV row, whose cells are all text).
    pub kinds: &'r [CellKind],
    /// The row's shape is wrong (too few or too many fields, an overlong cell): that is already an
    /// error, and only its first cells, such as an id, are worth reading.
    pub broken: bool,
    /// The `report.toml` `values` keys its cells matched are marked here.
    pub(crate) matched: &'r Matched,
    /// No cell of the row, as written, holds a control character (its chunk of the file was
    /// looked at whole); false when nobody looked.
    pub plain: bool,
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

impl Column {
    /// The 1-based position of its field in a row (0 when the file lacks the column), as a
    /// [`Cell`] of it gives it.
    pub fn field(&self) -> usize {
        self.index.map_or(0, |i| i + 1)
    }
}

/// One cell and where it is: its [`Value`] (`text`, `origin`, `column`, `kind`, read through
/// `Deref`) and what places it in the file.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    /// What the cell holds.
    pub value: Value<'a>,
    /// The 1-based line of its row.
    pub line: usize,
    /// Our name of its column.
    pub name: &'static str,
    /// Its row as written, to place it exactly.
    pub raw: Raw<'a>,
}

impl<'a> std::ops::Deref for Cell<'a> {
    type Target = Value<'a>;

    fn deref(&self) -> &Value<'a> {
        &self.value
    }
}

/// A cell's text and where it comes from, without its place: see [`Table::value_of`].
#[derive(Debug, Clone, Copy)]
pub struct Value<'a> {
    /// The cell's text, trimmed, as the reader reads it (recoded, if `report.toml` says so).
    pub text: &'a str,
    /// Where `text` comes from: the file as written, or a recoding of it.
    pub origin: Origin<'a>,
    /// The 1-based position of its field in the row (0 when the file lacks the column).
    pub column: usize,
    /// What the cell held (a workbook's cells may be numbers or dates).
    pub kind: CellKind,
}

impl<'a> Value<'a> {
    /// The cell as the file writes it (trimmed): what a message quotes.
    pub fn written(&self) -> &'a str {
        match self.origin {
            Origin::Recoded(written) | Origin::NotStated(written) => written,
            Origin::Written | Origin::Fixed | Origin::NotACode => self.text,
        }
    }
}

/// A cell to read: its [`Value`] is read lightly, and the whole [`Cell`], which places it for a
/// message, is made only when there is a problem.
#[derive(Clone, Copy)]
pub struct CellAt<'t, 'r> {
    /// The table the row is of.
    pub table: &'r Table,
    /// The row.
    pub row: &'t Row<'r>,
    /// The column.
    pub column: Column,
}

impl<'r> CellAt<'_, 'r> {
    /// The cell's text and where it comes from ([`Table::value_of`]).
    #[inline(always)]
    pub fn value(&self) -> Value<'r> {
        self.table.value_of(self.row, self.column)
    }

    /// The whole cell, to report a problem with it ([`Table::cell_of`]).
    pub fn cell(&self) -> Cell<'r> {
        self.table.cell_of(self.row, self.column)
    }

    /// The name of the file the table is read from.
    pub fn file(&self) -> &'r str {
        &self.table.file
    }

    /// An error about this cell ([`Cell::error`]), in its table's file.
    pub fn error(&self, message: impl std::fmt::Display) -> Diagnostic {
        self.cell().error(self.file(), message)
    }
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

/// How much of a file is read at a time, and the size of the chunks its rows are parsed in on
/// every core: a large file is never held whole (unless it has to be decoded from another
/// encoding than UTF-8).
pub const BLOCK: usize = 64 << 10;

/// How far a file that starts in ASCII is read before its encoding is decided (with `encoding =
/// "auto"`): a Windows-1251 file whose first block is all ASCII is still told from UTF-8 by its
/// first Cyrillic letter within this.
const SNIFF: usize = 4 << 20;

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
enum Input {
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
        mut each: impl FnMut(&Table, &Row, &mut Vec<Diagnostic>),
    ) -> io::Result<Read> {
        Self::read_rows(file, input, source, columns, &|_, _, _| (), &mut |table, row, &(), problems, _| {
            each(table, row, problems)
        })
    }

    /// [`Table::read`] on every core: each data row is handed to `parse` on a worker thread
    /// (which may add problems), then, in file order on this thread, to `fold` with what `parse`
    /// made of it. The rows, places and problems are those of one reading from the start. A row
    /// that `parse` sees has its line counted from the start of its chunk (the problems it adds
    /// are moved to the file's lines): what it returns must not hold a line or a place.
    pub fn read_rows<T: Send>(
        file: &str,
        input: &mut dyn io::Read,
        source: &Source,
        columns: (&[&'static str], &[&'static str]),
        parse: &Parse<T>,
        fold: &mut Fold<T>,
    ) -> io::Result<Read> {
        if source.is_workbook() {
            return crate::input::workbook::read(file, input, source, columns, |table, row, problems| {
                let value = parse(table, row, problems);
                fold(table, row, &value, problems, &mut std::iter::empty())
            });
        }
        Self::read_in_blocks(file, input, source, columns, (parse, fold), BLOCK)
    }

    /// [`Table::read_rows`] with blocks of `block` bytes (the tests read in tiny blocks, so that
    /// rows, quotes and characters are cut at every possible place).
    fn read_in_blocks<T: Send>(
        file: &str,
        input: &mut dyn io::Read,
        source: &Source,
        columns: (&[&'static str], &[&'static str]),
        (parse, fold): (&Parse<T>, &mut Fold<T>),
        block: usize,
    ) -> io::Result<Read> {
        let mut blocks = Blocks::new(input, block);
        let mut buffer = Vec::new();
        let mut more = blocks.next_into(&mut buffer)?;
        // A start all in ASCII says nothing of the encoding: read on, up to 4 MB, to a letter
        // that does.
        let mut ascii = 0;
        while more && buffer.len() < SNIFF && buffer[ascii..].is_ascii() {
            ascii = buffer.len();
            more = blocks.next_into(&mut buffer)?;
        }
        // A refused file always has an error, and its stamp is never compared: no need to
        // read the rest of it.
        let refuse = |problems, blocks: &Blocks| -> io::Result<Read> {
            Ok(Read { problems, readable: false, stamp: blocks.stamp() })
        };
        let mut problems = Vec::new();
        let text = if streams_as_utf8(&buffer, &source.encoding) {
            if buffer.starts_with(b"\xef\xbb\xbf") {
                buffer.drain(..3);
            }
            Input::Streamed
        } else {
            while more {
                more = blocks.next_into(&mut buffer)?;
            }
            match decode_text(file, &buffer, &source.encoding) {
                Ok(decoded) => {
                    problems.extend(mac_note(file, &buffer, &source.encoding, decoded.encoding));
                    Input::Decoded(decoded.text.into_owned())
                }
                Err(problems) => return refuse(problems, &blocks),
            }
        };
        let sample = match &text {
            Input::Streamed => String::from_utf8_lossy(&buffer[..buffer.len().min(4096)]).into_owned(),
            Input::Decoded(t) => t.chars().take(1000).collect(),
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
        let spare = Spare::default();
        let header = Header { file, source, columns, delimiter, spare: &spare };
        let read = match &text {
            Input::Decoded(decoded) => {
                header.read(&mut problems, &mut decoded_chunks(decoded.as_bytes(), block), parse, fold)?
            }
            Input::Streamed => {
                header.read(&mut problems, &mut streamed_chunks(&mut blocks, buffer, more, &spare), parse, fold)?
            }
        };
        let Some(matched) = read else { return refuse(problems, &blocks) };
        Ok(Read { problems, readable: matched, stamp: blocks.stamp() })
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

    /// The warnings about `report.toml` recodings that matched no cell of this table (`matched`
    /// says which keys did).
    pub(crate) fn unmatched_recodings(&self, source: &Source, matched: &[bool]) -> Vec<Diagnostic> {
        self.recoding.unmatched(&self.file, source, |name| self.columns.contains_key(name), matched)
    }

    /// A flag for each of `report.toml`'s `values` keys for this table, none set: where the rows
    /// of one chunk mark the keys their cells match.
    pub(crate) fn recoding_flags(&self) -> Vec<std::cell::Cell<bool>> {
        self.recoding.flags()
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
    #[inline(always)]
    pub fn cell_of<'r>(&'r self, row: &Row<'r>, column: Column) -> Cell<'r> {
        Cell { value: self.value_of(row, column), line: row.line, name: column.name, raw: row.raw }
    }

    /// What [`Table::cell_of`] reads, without what places the cell: the usual cell is only
    /// read, and the whole [`Cell`] (a hundred bytes and more) is made when it has a problem.
    #[inline(always)]
    pub fn value_of<'r>(&'r self, row: &Row<'r>, column: Column) -> Value<'r> {
        match column.index {
            Some(i) => {
                let written = crate::text::trim(row.fields.get(i).unwrap_or(""));
                let (text, origin) = self.recoding.cell(column.name, written, row.matched);
                // A value report.toml gives is text, whatever the workbook cell it replaces held.
                let kind = match origin {
                    Origin::Written => row.kinds.get(i).copied().unwrap_or_default(),
                    _ => CellKind::Text,
                };
                Value { text, origin, column: i + 1, kind }
            }
            None => match self.recoding.fixed(column.name) {
                Some(value) => Value { text: value, origin: Origin::Fixed, column: 0, kind: CellKind::Text },
                None => Value { text: "", origin: Origin::Written, column: 0, kind: CellKind::Text },
            },
        }
    }

    /// [`Cell::text`] of the cell of `row` in `column`: its text, when a document can show it
    /// (a problem is added when it cannot).
    #[inline]
    pub fn text_of<'r>(&'r self, row: &Row<'r>, column: Column, problems: &mut Vec<Diagnostic>) -> &'r str {
        let value = self.value_of(row, column);
        let plain = row.plain && value.origin == Origin::Written;
        if !plain && crate::text::may_hold_control(value.text.as_bytes()) {
            return self.cell_of(row, column).text(&self.file, problems);
        }
        value.text
    }

    /// Checks that a document can show the cell of `row` in `column` ([`Table::text_of`]), when
    /// only that is asked of it: a cell written as is in a row without control characters
    /// ([`Row::plain`]) needs no look at all.
    #[inline]
    pub fn check_text(&self, row: &Row, column: Column, problems: &mut Vec<Diagnostic>) {
        if row.plain && column.index.is_some() && self.recoding.is_inert() {
            return;
        }
        self.text_of(row, column, problems);
    }

    /// The mark this table's numbers write before a fraction: a comma where `;` separates fields
    /// (exports from locales that group thousands with dots, `10.000`), else a point.
    pub fn decimal_mark(&self) -> DecimalMark {
        if self.delimiter == b';' { DecimalMark::Comma } else { DecimalMark::Point }
    }
}

/// The chunks of a text held whole (decoded from another encoding): about `block` bytes each,
/// cut after a line break.
fn decoded_chunks<'t>(text: &'t [u8], block: usize) -> impl FnMut() -> io::Result<Option<Chunk<'t>>> + 't {
    let (mut start, mut done) = (0, false);
    move || {
        if done {
            return Ok(None);
        }
        let rest = &text[start..];
        let cut =
            start + if rest.len() <= block { rest.len() } else { cut_after_line(rest, block).unwrap_or(rest.len()) };
        let chunk = &text[start..cut];
        start = cut;
        done = cut == text.len();
        Ok(Some((Cow::Borrowed(chunk), done)))
    }
}

/// Where to cut `text` (of at least `size` bytes) into a chunk: after its last line break within
/// its first `size` bytes, or else after the first one beyond them; `None` without any.
fn cut_after_line(text: &[u8], size: usize) -> Option<usize> {
    memchr::memrchr(b'\n', &text[..size])
        .map(|i| i + 1)
        .or_else(|| memchr::memchr(b'\n', &text[size..]).map(|i| size + i + 1))
}

/// The chunks of a UTF-8 file read in blocks (the first, `buffer`, already read; `more` if
/// others follow): about a block each, cut after a line break, the rest carried into the next.
/// A chunk keeps the buffer it was read into; only the rest after the cut is copied.
fn streamed_chunks<'b>(
    blocks: &'b mut Blocks<'_>,
    mut buffer: Vec<u8>,
    mut more: bool,
    spare: &'b Spare,
) -> impl FnMut() -> io::Result<Option<Chunk<'static>>> + 'b {
    let mut done = false;
    move || {
        if done {
            return Ok(None);
        }
        loop {
            let size = blocks.size;
            if buffer.len() >= size {
                // A block's worth at hand: cut after its last line break.
                if let Some(cut) = cut_after_line(&buffer, size).filter(|&cut| cut < buffer.len()) {
                    let mut rest = spare.buffer(size + buffer.len() - cut);
                    rest.extend_from_slice(&buffer[cut..]);
                    buffer.truncate(cut);
                    return Ok(Some((Cow::Owned(std::mem::replace(&mut buffer, rest)), false)));
                }
            }
            if !more {
                done = true;
                return Ok(Some((Cow::Owned(std::mem::take(&mut buffer)), true)));
            }
            more = blocks.next_into(&mut buffer)?;
        }
    }
}

/// What the first text of a file holds.
enum Head {
    /// The header record, where it starts (byte, line), and where the data rows start.
    Found(csv::StringRecord, (usize, usize), (usize, usize)),
    /// Text that is not UTF-8 in the header.
    Bad(Diagnostic),
    /// No record at all.
    Empty,
}

/// What reading a table's header needs.
struct Header<'s> {
    file: &'s str,
    source: &'s Source,
    columns: (&'s [&'static str], &'s [&'static str]),
    delimiter: u8,
    /// The buffers of chunks folded, for the chunks read after them.
    spare: &'s Spare,
}

impl Header<'_> {
    /// Reads the header from the first chunks `next` gives, then every data row, handing each to
    /// `parse` and `fold`. `None` when the header is unusable or the text is not UTF-8 (reading
    /// stopped); else whether the table could be read (always).
    fn read<'t, T: Send>(
        &self,
        problems: &mut Vec<Diagnostic>,
        next: &mut dyn FnMut() -> io::Result<Option<Chunk<'t>>>,
        parse: &Parse<T>,
        fold: &mut Fold<T>,
    ) -> io::Result<Option<bool>> {
        // The text up to the first data row: the header may take several lines, and a chunk
        // may end inside it.
        let (mut head, mut state) = (Vec::new(), Quote::FieldStart);
        let (record, raw, data, last) = loop {
            let last = match next()? {
                Some((text, end)) => {
                    state = state.after(&text, self.delimiter);
                    head.extend_from_slice(&text);
                    end
                }
                None => true,
            };
            if !(last || state == Quote::FieldStart) {
                continue;
            }
            match self.find(&head, last) {
                Some(Head::Found(record, raw, data)) => break (record, raw, data, last),
                Some(Head::Bad(problem)) => {
                    problems.push(problem);
                    return Ok(None);
                }
                Some(Head::Empty) => {
                    // Not even a header row: an empty file.
                    let raw = Raw { text: b"", line: 1, delimiter: self.delimiter, headers: &[], sheet: None };
                    problems
                        .push(Diagnostic::error_at(self.file, raw.place(0), "the file has no header row").with_hint(
                            format!("the first line must name the columns: `{}`", self.columns.0.join(",")),
                        ));
                    return Ok(None);
                }
                None => {}
            }
        };
        let (raw_text, line) = (&head[raw_range(&head, raw.0, data.0)], raw.1);
        let headers: Vec<String> = record.iter().map(|s| s.trim().to_string()).collect();
        let Some(table) = self.table(&headers, (raw_text, line), problems) else { return Ok(None) };
        let first = head.split_off(data.0);
        let cx = Context {
            file: self.file,
            table: &table,
            headers: &headers,
            delimiter: self.delimiter,
            sizes: Default::default(),
            unnamed: headers.iter().enumerate().filter(|(_, h)| h.is_empty()).map(|(i, _)| i).collect(),
            spare: self.spare,
        };
        let mut folding = Folding::new(cx, data.1, problems);
        folding.run((Cow::Owned(first), last), next, parse, fold)?;
        if !folding.state.stopped {
            folding.state.finish(self.file);
        }
        let (stopped, matched) = (folding.state.stopped, std::mem::take(&mut folding.state.matched));
        let unlisted = folding.state.unlisted;
        problems.extend(unlisted.finish(self.file, &format!("rows of `{}`", self.file)));
        if stopped {
            return Ok(None);
        }
        problems.extend(table.unmatched_recodings(self.source, &matched));
        Ok(Some(true))
    }

    /// The header record of `head`, where it starts (byte, line), and where the data rows start
    /// (byte, line); `None` while the text read so far may not hold the whole header (`last`:
    /// it is the whole file).
    fn find(&self, head: &[u8], last: bool) -> Option<Head> {
        let mut reader =
            csv::ReaderBuilder::new().flexible(true).has_headers(false).delimiter(self.delimiter).from_reader(head);
        let mut lines = LineCounter::new(head, 1);
        let mut header = csv::StringRecord::new();
        match reader.read_record(&mut header) {
            Ok(true) => {}
            Ok(false) if last => return Some(Head::Empty),
            Ok(false) => return None,
            Err(e) => return Some(Head::Bad(csv_error(self.file, head, &e, &mut lines))),
        }
        let start = header.position().map_or(0, |p| p.byte() as usize);
        let line = lines.line_at(start);
        let mut record = csv::StringRecord::new();
        let data = match reader.read_record(&mut record) {
            Ok(true) => record.position().map_or(head.len(), |p| p.byte() as usize),
            // Not UTF-8 after the header: the rows, read from there, report it.
            Err(e) => e.position().map_or(head.len(), |p| p.byte() as usize),
            Ok(false) if last => head.len(),
            Ok(false) => return None,
        };
        Some(Head::Found(header, (start, line), (data, lines.line_at_end(data))))
    }

    /// The table the header `headers` (its text as written, `raw`) gives: our columns located
    /// among its names; `None` when it is unusable (its errors are in `problems`).
    fn table(&self, headers: &[String], (text, line): (&[u8], usize), problems: &mut Vec<Diagnostic>) -> Option<Table> {
        let (required, optional) = self.columns;
        let raw = Raw { text, line, delimiter: self.delimiter, headers, sheet: None };
        if headers.iter().all(String::is_empty) {
            problems.push(
                Diagnostic::error_at(self.file, raw.place(0), "the file has no header row")
                    .with_hint(format!("the first line must name the columns: `{}`", required.join(","))),
            );
            return None;
        }
        let (columns, mut found) = locate_columns(self.file, headers, self.source, required, optional);
        for p in found.iter_mut().filter(|p| p.line == 1) {
            p.line = line;
        }
        raw.resolve(self.file, &mut found);
        for p in found.iter_mut().filter(|p| p.snippet.is_none() && p.line == line) {
            p.snippet = raw.place(0).snippet;
        }
        let unusable = found.iter().any(Diagnostic::is_error);
        problems.append(&mut found);
        if unusable {
            return None;
        }
        let names = required.iter().chain(optional);
        Some(Table {
            file: self.file.to_string(),
            columns,
            date_format: self.source.date_format.clone(),
            delimiter: self.delimiter,
            recoding: Recoding::new(self.source, names),
        })
    }
}

impl<'a> Cell<'a> {
    /// The cell's text, when it is text a document can show: a control character (other than a
    /// tab or a line break), which a PDF would print as garbage or drop, is an error at the cell.
    pub fn text(&self, file: &str, problems: &mut Vec<Diagnostic>) -> &'a str {
        // Most cells have no byte a control character starts with, and need no closer look.
        let suspect = crate::text::may_hold_control(self.text.as_bytes()) && crate::text::holds_control(self.text);
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
#[inline]
pub(crate) fn shape_problem(file: &str, raw: Raw, record: Fields, headers: &[String]) -> Option<Diagnostic> {
    // The usual row, looked at here; a row with a problem is described by a call of its own.
    // A CSV row's fields are parts of its text: a row no longer than a cell may be has no cell
    // too long (a workbook row has no text, its cells are looked at).
    let short = raw.sheet.is_none() && raw.text.len() <= LONGEST_CELL;
    if record.len() == headers.len() && (short || record.longer_than(LONGEST_CELL).is_none()) {
        return None;
    }
    shape_problem_of(file, raw, record, headers)
}

/// [`shape_problem`] of a row that has one.
fn shape_problem_of(file: &str, raw: Raw, record: Fields, headers: &[String]) -> Option<Diagnostic> {
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
    let (i, cell) = record.longer_than(LONGEST_CELL)?;
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
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    /// Counts lines in `text`, which starts on line `first`.
    pub(crate) fn new(text: &'a [u8], first: usize) -> Self {
        Self { text, offset: 0, line: first }
    }

    /// The line at `offset` itself (line ends not skipped): where a chunk starting there begins.
    pub(crate) fn line_at_end(&self, offset: usize) -> usize {
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
    pub(crate) fn line_at(&mut self, offset: usize) -> usize {
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
        vec![table_not_utf8(file, not_utf8_place(bytes, bad, line))]
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

    #[test]
    fn past_a_thousand_problems_of_a_kind_the_rest_are_counted_not_kept() {
        let mut csv = String::from("id,date\n");
        for i in 0..1500 {
            csv.push_str(&format!("r{i},x\n"));
        }
        let parse = |table: &Table, row: &Row, problems: &mut Vec<Diagnostic>| {
            let date = table.cell(row, "date");
            problems.push(date.error("t.csv", "is not a date"));
            problems.push(Diagnostic::warning_at("t.csv", row.raw.place(1), "a warning"));
        };
        let read = Table::read_in_blocks(
            "t.csv",
            &mut csv.as_bytes(),
            &Source::plain("t.csv"),
            (&["id", "date"], &[]),
            (&parse, &mut |_: &Table, _: &Row, _: &(), _: &mut Vec<Diagnostic>, _: &mut dyn Iterator<Item = &()>| ()),
            64,
        )
        .unwrap();
        let errors: Vec<&Diagnostic> = read.problems.iter().filter(|p| p.is_error()).collect();
        let warnings: Vec<&Diagnostic> = read.problems.iter().filter(|p| !p.is_error()).collect();
        assert_eq!((errors.len(), warnings.len()), (1001, 1001));
        assert_eq!((errors[999].line, warnings[999].line), (1001, 1001), "the first thousand, in file order");
        assert_eq!(errors[1000].message, "500 more errors in the rows of `t.csv` are not listed");
        assert_eq!(warnings[1000].message, "500 more warnings about the rows of `t.csv` are not listed");
        assert_eq!(crate::cmd::errors(&read.problems), 1500, "a closing line counts every error");
    }

    #[test]
    fn a_stray_byte_after_the_first_block_is_an_error_at_it_not_a_guess() {
        // UTF-8 with Cyrillic from the start, and one byte that is not UTF-8 on line 4 003:
        // read as UTF-8, the byte is an error at its place (not the whole file read wrong).
        let mut bytes = b"id,date,note\n".to_vec();
        for i in 0..6000 {
            bytes.extend_from_slice(format!("r{i},2012-01-01,Алматы\n").as_bytes());
            if i == 4000 {
                bytes.extend_from_slice(b"bad,2012-01-01,\xff\n");
            }
        }
        assert!(bytes.len() > 2 * BLOCK);
        let (rows, read) = read_rows(&bytes, &Source::plain("t.csv"), &["id", "date"]);
        let error = read.problems.iter().find(|p| p.is_error()).expect("an error");
        assert_eq!((error.message.as_str(), error.line, error.column), ("the file is not UTF-8 text", 4003, 16));
        assert_eq!(rows.len(), 4001, "the rows before it are read, in their encoding");
    }

    #[test]
    fn an_ascii_start_longer_than_a_block_does_not_decide_the_encoding() {
        // A Windows-1251 export whose first 300 KB (more than one block) are ASCII.
        let mut text = String::from("id,date,note\n");
        for i in 0..10_000 {
            text.push_str(&format!("r{i},2012-01-01,plain ascii text\n"));
        }
        text.push_str("last,2012-01-02,Жанаозен\n");
        assert!(text.len() > BLOCK);
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
        let mut notes = Vec::new();
        let read = Table::read(
            "t.csv",
            &mut &bytes[..],
            &Source::plain("t.csv"),
            (&["id", "date"], &["note"]),
            |t, row, _| {
                notes.push(t.cell(row, "note").text.to_string());
            },
        )
        .unwrap();
        assert!(read.problems.iter().all(|p| !p.is_error()), "{:?}", read.problems);
        assert_eq!((notes.len(), notes.last().map(String::as_str)), (10_001, Some("Жанаозен")));
    }

    #[test]
    fn an_odd_number_of_quotes_in_the_last_row_is_a_quote_never_closed() {
        // A quote opened and never closed swallows the rows after it; closed by a later quoted
        // field, it swallows the rows between, into one cell, with the right number of fields.
        let swallowed = "id,date,note\na,2012-01-01,\"never closed\nb,2012-01-02,plain\nc,2012-01-03,\"quoted\"\n";
        for block in [1, 7, 1 << 20] {
            let read = read_in(swallowed.as_bytes(), block);
            assert_eq!(read.0.len(), 1, "one row swallowed the others (blocks of {block})");
            let error = read.1.iter().find(|p| p.2.contains("never closed")).expect("an error");
            assert_eq!(error.0, 2, "at the swallowing row's line");
        }
        let (_, read) = read_rows(b"id,date,note\na,2012-01-01,\"x\" y\"\n", &Source::plain("t.csv"), &["id", "date"]);
        assert!(read.problems.iter().any(|p| p.message.contains("never closed")));
        let (rows, read) =
            read_rows(b"id,date,note\na,2012-01-01,\"x\"\"y\"\n\n\n", &Source::plain("t.csv"), &["id", "date"]);
        assert_eq!((rows.len(), read.problems.len()), (1, 0), "an even number is fine");
    }

    #[test]
    fn a_chunk_read_from_inside_a_quoted_cell_leaves_no_mark() {
        // Cut in small blocks, a worker reads `z,2012-01-02,Riots` inside the quoted note as a
        // row of its own; its `Riots` must not count as a recoded cell.
        let csv = "id,date,kind,note\n1,2012-01-01,rally,\"x\nz,2012-01-02,Riots,y\nmore\"\n2,2012-01-03,rally,\n";
        let mut source = Source::plain("t.csv");
        source.values.insert("kind".into(), [("Riots".into(), "other".into())].into());
        for block in [1, 5, 18, 40, 1 << 20] {
            let mut ids = Vec::new();
            let read = Table::read_in_blocks(
                "t.csv",
                &mut csv.as_bytes(),
                &source,
                (&["id", "date"], &["kind", "note"]),
                (
                    &|table: &Table, row: &Row, _: &mut Vec<Diagnostic>| table.cell(row, "kind").text.to_string(),
                    &mut |table: &Table,
                          row: &Row,
                          kind: &String,
                          _: &mut Vec<Diagnostic>,
                          _: &mut dyn Iterator<Item = &String>| {
                        ids.push((table.cell(row, "id").text.to_string(), row.line, kind.clone()));
                    },
                ),
                block,
            )
            .unwrap();
            assert_eq!(ids, [("1".into(), 2, "rally".into()), ("2".into(), 5, "rally".into())], "blocks of {block}");
            let messages: Vec<&str> = read.problems.iter().map(|p| p.message.as_str()).collect();
            assert_eq!(messages, ["`values.kind`: `Riots` matches no cell of `t.csv`"], "blocks of {block}");
        }
    }

    /// Every row (id, line, column of `note`, note) and every problem (line, column, message).
    type Seen = (Vec<(String, usize, usize, String)>, Vec<(usize, usize, String)>, bool);

    fn read_in(csv: &[u8], block: usize) -> Seen {
        let mut rows = Vec::new();
        // The notes are read on the worker threads, the ids and places in file order.
        let parse = |table: &Table, row: &Row, _: &mut Vec<Diagnostic>| table.cell(row, "note").text.to_string();
        let mut fold =
            |table: &Table, row: &Row, note: &String, _: &mut Vec<Diagnostic>, _: &mut dyn Iterator<Item = &String>| {
                if row.broken {
                    return;
                }
                let c = table.cell(row, "note");
                assert_eq!(c.text, note);
                rows.push((table.cell(row, "id").text.to_string(), c.line, c.column, note.clone()));
            };
        let read = Table::read_in_blocks(
            "t.csv",
            &mut &csv[..],
            &Source::plain("t.csv"),
            (&["id", "date"], &["note"]),
            (&parse, &mut fold),
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
            let parse = |_: &Table, _: &Row, _: &mut Vec<Diagnostic>| ();
            let mut fold = |_: &Table, _: &Row, _: &(), _: &mut Vec<Diagnostic>, _: &mut dyn Iterator<Item = &()>| ();
            Table::read_in_blocks("t.csv", input, &source, (&["id", "date"], &["note"]), (&parse, &mut fold), block)
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

    /// The fields of every data row of `csv`, as the reader hands them out in blocks of `block`.
    #[test]
    fn the_first_row_of_a_chunk_is_shown_the_others() {
        let csv = "id\n1\n2\n3\n4\n";
        let mut shown = Vec::new();
        let parse = |_: &Table, row: &Row, _: &mut Vec<Diagnostic>| row.fields.get(0).unwrap_or("").to_string();
        let mut fold =
            |_: &Table, _: &Row, id: &String, _: &mut Vec<Diagnostic>, ahead: &mut dyn Iterator<Item = &String>| {
                shown.push((id.clone(), ahead.cloned().collect::<Vec<_>>()));
            };
        let source = Source::plain("t.csv");
        Table::read_in_blocks("t.csv", &mut csv.as_bytes(), &source, (&["id"], &[]), (&parse, &mut fold), 1 << 16)
            .unwrap();
        let ahead = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let want = vec![
            ("1".to_string(), ahead(&["2", "3", "4"])),
            ("2".to_string(), vec![]),
            ("3".to_string(), vec![]),
            ("4".to_string(), vec![]),
        ];
        assert_eq!(shown, want);
    }

    fn fields_read(csv: &str, block: usize) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let parse = |_: &Table, row: &Row, _: &mut Vec<Diagnostic>| row.fields.iter().map(String::from).collect();
        // The rows the fold was shown ahead, at the first row of their chunk: they must come
        // next, in that order.
        let mut promised = std::collections::VecDeque::new();
        let mut fold = |_: &Table,
                        row: &Row,
                        parsed: &Vec<String>,
                        _: &mut Vec<Diagnostic>,
                        ahead: &mut dyn Iterator<Item = &Vec<String>>| {
            assert_eq!(&row.fields.iter().collect::<Vec<_>>(), parsed, "the same fields on both threads");
            let ahead: Vec<Vec<String>> = ahead.cloned().collect();
            if ahead.is_empty() {
                if let Some(next) = promised.pop_front() {
                    assert_eq!(&next, parsed, "the row shown ahead comes next");
                }
            } else {
                assert!(promised.is_empty(), "a chunk is shown ahead once the one before is folded");
                promised.extend(ahead);
            }
            rows.push(parsed.clone());
        };
        let source = Source::plain("t.csv");
        Table::read_in_blocks("t.csv", &mut csv.as_bytes(), &source, (&["id"], &[]), (&parse, &mut fold), block)
            .unwrap();
        assert!(promised.is_empty(), "every row shown ahead is folded");
        rows
    }

    proptest::proptest! {
        #[test]
        fn rows_are_split_as_the_csv_crate_splits_them(
            body in proptest::collection::vec("[a;é\",\r\n ]{0,12}", 0..12),
            block in 1usize..40,
        ) {
            let csv = format!("id\n{}", body.concat());
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv.as_bytes());
            let want: Vec<Vec<String>> = reader
                .records()
                .skip(1)
                .filter_map(Result::ok)
                .map(|r| r.iter().map(String::from).collect::<Vec<_>>())
                .filter(|r| !r.iter().all(|f| f.trim().is_empty()))
                .collect();
            proptest::prop_assert_eq!(fields_read(&csv, 1 << 20), want.clone());
            proptest::prop_assert_eq!(fields_read(&csv, block), want);
        }
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
    fn quoted_line_breaks_cut_anywhere_read_the_same() {
        // A case the property test above once shrank to (its seed file is gone): quotes that
        // open and close across line breaks, CR alone and CRLF, cut at every block size.
        let body = ["\"a  \n", "\"\n\"éé\"\"", "aa\"é, a\"\"a", "a\"\r\n\n\r\r"];
        let csv = format!("id,date,note\n{}", body.concat());
        let whole = read_in(csv.as_bytes(), 1 << 20);
        for block in 1..40 {
            assert_eq!(read_in(csv.as_bytes(), block), whole, "block {block}");
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

    #[test]
    fn a_file_is_cut_into_chunks_of_about_a_block_each_after_a_line_break() {
        // Rows of 10 bytes in blocks of 64: every chunk but the last ends a row and is within a
        // row of a block long (none a single row, as every other one was).
        let text: String = (0..100).map(|i| format!("{i:04},abcd\n")).collect();
        let mut input = text.as_bytes();
        let mut blocks = Blocks::new(&mut input, 64);
        let mut first = Vec::new();
        let more = blocks.next_into(&mut first).unwrap();
        let spare = Spare::default();
        let mut next = streamed_chunks(&mut blocks, first, more, &spare);
        let mut chunks = Vec::new();
        while let Some((chunk, last)) = next().unwrap() {
            chunks.push((chunk.into_owned(), last));
        }
        assert_eq!(chunks.iter().flat_map(|(c, _)| c.clone()).collect::<Vec<u8>>(), text.as_bytes());
        let (last, cut) = chunks.split_last().unwrap();
        assert!(last.1 && cut.iter().all(|(_, last)| !last));
        for (chunk, _) in cut {
            assert!(chunk.ends_with(b"\n") && (55..=64).contains(&chunk.len()), "{}", chunk.len());
        }
    }
}

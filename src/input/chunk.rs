//! A CSV table's data rows read a chunk at a time on every core, handed on in file order.
//!
//! The file is cut after a line break into chunks of about [`crate::input::table::BLOCK`]
//! bytes. Worker threads parse the chunks (fields, places, and the caller's `parse` of each row);
//! the calling thread takes their results in file order and hands each row to `fold`, which may
//! keep state. A cut can fall inside a quoted cell that spans lines: the chunk before it then
//! does not end at a row's end, which its parse says ([`Parsed::carry`]); that row is carried
//! into the next chunk, which is parsed again from the row's start, and the worker's parse of it
//! (begun mid-cell) is dropped. So the rows, their places and every message are those of one
//! reading from the start, whatever the cuts.

use std::borrow::Cow;
use std::cell::Cell as Flag;
use std::collections::VecDeque;
use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::diagnostic::{Diagnostic, Unlisted};
use crate::input::recode::Matched;
use crate::input::row::{Raw, raw_range};
use crate::input::source::{line_breaks, not_utf8_place, table_not_utf8};
use crate::input::table::{LineCounter, Row, Table, shape_problem};

/// The cells of one row: a record of the CSV parser, or a row kept in a chunk's [`Parsed`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fields<'r> {
    /// A record as the CSV parser (or the workbook reader) made it.
    Record(&'r csv::StringRecord),
    /// A row kept in a chunk: field `i` is `text[bounds[i].0..bounds[i].1]`, where `text` is the
    /// chunk itself (a row without quotes) or the unquoted text of its quoted rows.
    Kept { text: &'r str, bounds: &'r [(usize, usize)] },
}

impl<'r> Fields<'r> {
    /// How many fields the row has.
    pub(crate) fn len(&self) -> usize {
        match self {
            Fields::Record(record) => record.len(),
            Fields::Kept { bounds, .. } => bounds.len(),
        }
    }

    /// Field `i` (0-based), as the file writes it (unquoted, untrimmed).
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&'r str> {
        match *self {
            Fields::Record(record) => record.get(i),
            Fields::Kept { text, bounds } => bounds.get(i).and_then(|&(start, end)| text.get(start..end)),
        }
    }

    /// Every field, in order.
    pub(crate) fn iter(self) -> impl Iterator<Item = &'r str> {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    /// The first field longer than `limit` bytes, and its position.
    pub(crate) fn longer_than(&self, limit: usize) -> Option<(usize, &'r str)> {
        let i = match self {
            Fields::Record(record) => record.iter().position(|f| f.len() > limit),
            Fields::Kept { bounds, .. } => bounds.iter().position(|(start, end)| end - start > limit),
        }?;
        Some((i, self.get(i)?))
    }
}

/// Where the CSV parser is within a row, as far as a row's end is concerned: csv-core's states
/// (with its defaults: `"` quotes, doubled to escape, no escape character or comments) folded
/// into the four that decide whether a line break ends the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quote {
    /// At the start of a field (or of a row): a quote here opens a quoted field.
    FieldStart,
    /// In a field that is not quoted: a quote is text.
    Unquoted,
    /// In a quoted field: a line break is text.
    Quoted,
    /// Just after a quote in a quoted field: a second quote is text, anything else closes it.
    Closing,
}

impl Quote {
    /// The state after `text`, starting from `self`, with fields separated by `delimiter`.
    pub(crate) fn after(mut self, text: &[u8], delimiter: u8) -> Quote {
        for &b in text {
            let ends_field = b == delimiter || b == b'\n' || b == b'\r';
            self = match self {
                Quote::FieldStart if b == b'"' => Quote::Quoted,
                Quote::FieldStart | Quote::Unquoted | Quote::Closing if ends_field => Quote::FieldStart,
                Quote::Quoted if b == b'"' => Quote::Closing,
                Quote::Quoted => Quote::Quoted,
                Quote::Closing if b == b'"' => Quote::Quoted,
                Quote::FieldStart | Quote::Unquoted | Quote::Closing => Quote::Unquoted,
            };
        }
        self
    }
}

/// One data row of a chunk, parsed: where it is and what the caller's `parse` made of it.
struct Span<T> {
    /// Its text in the chunk, from its first character to its line end.
    raw: Range<usize>,
    /// Where its fields' bounds start in [`Parsed::bounds`], and how many fields it has.
    bounds: usize,
    fields: usize,
    /// Its fields are in [`Parsed::unquoted`] (it has quotes), not in the chunk.
    unquoted: bool,
    /// Its line, counted from the chunk's first line (1).
    line: usize,
    /// Its shape is wrong (an error already).
    broken: bool,
    /// How many of the chunk's problems come before the end of this row's.
    problems: usize,
    /// What `parse` made of it.
    value: T,
}

/// A chunk's rows, parsed on a worker thread, with lines counted from the chunk's first (1).
pub(crate) struct Parsed<T> {
    /// The fields of the rows with quotes, unquoted, one after another (of every row when the
    /// chunk is not UTF-8 and the CSV crate reads it).
    unquoted: String,
    /// Where each field starts and ends: in the chunk, or in `unquoted`.
    bounds: Vec<(usize, usize)>,
    /// The rows, in file order.
    rows: Vec<Span<T>>,
    /// The problems of the chunk's rows and of its text, in file order.
    problems: Vec<Diagnostic>,
    /// The `values` keys its cells matched.
    matched: Vec<Flag<bool>>,
    /// The line breaks in the chunk.
    breaks: usize,
    /// The chunk does not end at a row's end: where its last row starts (byte and line), and
    /// the parser's state at the chunk's end. That row is not in `rows`.
    carry: Option<(usize, usize, Quote)>,
    /// Reading must stop here (text that is not UTF-8).
    stopped: bool,
    /// The text and line of the chunk's last record, a blank one too.
    last_record: Option<(Range<usize>, usize)>,
    /// No cell of the chunk holds a control character ([`Row::plain`]): the chunk was looked
    /// at whole, which costs less than looking at each cell.
    plain: bool,
    /// The chunk's first row with a value under a blank header (its place in `rows`), and that
    /// value's field ([`UNNAMED`]).
    unnamed: Option<(usize, usize)>,
}

impl<T> Parsed<T> {
    /// Whether the chunk's last row holds an odd number of quotes (what [`FoldState::finish`]
    /// asks of the file's last row), and its line; `None` for a chunk without rows.
    fn last_row_quotes(&self, chunk: &[u8]) -> Option<(bool, usize)> {
        let (raw, line) = self.last_record.clone()?;
        Some((memchr::memchr_iter(b'"', &chunk[raw]).count() % 2 == 1, line))
    }
}

/// What parsing a chunk needs to know of its table.
pub(crate) struct Context<'a> {
    /// The file's name relative to the report folder, for messages.
    pub(crate) file: &'a str,
    /// The table, its header read.
    pub(crate) table: &'a Table,
    /// The file's headers, naming each field's column in messages.
    pub(crate) headers: &'a [String],
    /// The field delimiter.
    pub(crate) delimiter: u8,
    /// How many rows and fields the last chunk parsed had, per byte: what the next chunk's
    /// vectors are given room for.
    pub(crate) sizes: Sizes,
    /// The fields whose header is blank: a cell under one is not read, which the first row
    /// with such a cell is warned of ([`UNNAMED`]).
    pub(crate) unnamed: Vec<usize>,
    /// The buffers of chunks folded, for the chunks read after them.
    pub(crate) spare: &'a Spare,
}

/// Emptied vectors kept for reuse, shared by the threads of a reading: a chunk's buffer and its
/// rows' vectors, once folded, go back for the chunks after it. A new buffer a chunk was memory
/// the allocator had just given back to the system, which the system then had to clear again, a
/// page at a time: reading a million incidents took 39,000 page faults, 26,000 of them for
/// chunks' buffers and rows.
#[derive(Debug)]
pub(crate) struct Pool<T>(std::sync::Mutex<Vec<T>>);

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Pool(std::sync::Mutex::new(Vec::new()))
    }
}

impl<T: Default> Pool<T> {
    /// How many it keeps at most: about as many as there are chunks out at a time.
    const KEPT: usize = 16;

    /// One kept, or a new one.
    fn take(&self) -> T {
        self.0.lock().ok().and_then(|mut kept| kept.pop()).unwrap_or_default()
    }

    /// Keeps `item` for [`Pool::take`] (a few at most).
    fn keep(&self, item: T) {
        if let Ok(mut kept) = self.0.lock()
            && kept.len() < Self::KEPT
        {
            kept.push(item);
        }
    }
}

/// The buffers of chunks whose rows are folded, for the chunks read after them.
pub(crate) type Spare = Pool<Vec<u8>>;

impl Spare {
    /// An empty buffer with room for `len` bytes: one given back, or a new one.
    pub(crate) fn buffer(&self, len: usize) -> Vec<u8> {
        let mut buffer = self.take();
        buffer.clear();
        buffer.reserve(len);
        buffer
    }

    /// Keeps the buffer of a folded chunk.
    fn give(&self, text: Text) {
        match text {
            Text::Utf8(Cow::Owned(text)) => self.keep(text.into_bytes()),
            Text::Bytes(Cow::Owned(bytes)) => self.keep(bytes),
            Text::Utf8(Cow::Borrowed(_)) | Text::Bytes(Cow::Borrowed(_)) => {}
        }
    }
}

/// The vectors of a folded chunk's [`Parsed`], emptied, for a chunk parsed after it to fill (in
/// a [`Pool`]): a chunk's rows take about 100 kB.
pub(crate) struct Shell<T> {
    rows: Vec<Span<T>>,
    bounds: Vec<(usize, usize)>,
}

impl<T> Default for Shell<T> {
    fn default() -> Self {
        Shell { rows: Vec::new(), bounds: Vec::new() }
    }
}

/// The rows and fields of the last chunk parsed, and its length: a chunk's vectors are given
/// room for as many rows and fields a byte, so that they do not grow (and copy themselves) a
/// dozen times each. Only a guess: threads may update it at once.
#[derive(Debug, Default)]
pub(crate) struct Sizes {
    bytes: AtomicUsize,
    rows: AtomicUsize,
    fields: AtomicUsize,
}

impl Sizes {
    /// Room for the rows and fields of a chunk of `len` bytes, as many a byte as the last had
    /// and a little more.
    fn room(&self, len: usize) -> (usize, usize) {
        let bytes = self.bytes.load(Ordering::Relaxed);
        if bytes == 0 {
            return (0, 0);
        }
        let scale = |n: &AtomicUsize| (n.load(Ordering::Relaxed).saturating_mul(len) / bytes).saturating_add(16);
        (scale(&self.rows), scale(&self.fields) + scale(&self.fields) / 16)
    }

    /// Remembers a chunk of `len` bytes that had `rows` rows and `fields` fields.
    fn seen(&self, len: usize, rows: usize, fields: usize) {
        self.bytes.store(len, Ordering::Relaxed);
        self.rows.store(rows, Ordering::Relaxed);
        self.fields.store(fields, Ordering::Relaxed);
    }
}

/// A chunk's text once parsed: UTF-8, or bytes that are not.
pub(crate) enum Text<'t> {
    /// Text checked to be UTF-8: the rows without quotes keep their fields in it.
    Utf8(Cow<'t, str>),
    /// Bytes with some that are not UTF-8 (reading stops at them).
    Bytes(Cow<'t, [u8]>),
}

impl Text<'_> {
    /// The chunk as bytes, to place cells.
    fn bytes(&self) -> &[u8] {
        match self {
            Text::Utf8(text) => text.as_bytes(),
            Text::Bytes(bytes) => bytes,
        }
    }

    /// The chunk as text (empty when it is not UTF-8: its fields are all kept unquoted).
    fn str(&self) -> &str {
        match self {
            Text::Utf8(text) => text,
            Text::Bytes(_) => "",
        }
    }
}

/// `text` as text, if it is UTF-8. Bytes read from a file are copied into a `String` once
/// checked (by simdutf8), on the worker thread that parses them: only the standard library's own
/// check makes a `String` of them without `unsafe`, and it took 7 % of the CPU time of reading a
/// million rows (perf). The thread that folds rows in order, which at times held the worker up,
/// then hands out text without checking it again.
fn utf8<'t>(text: Cow<'t, [u8]>, spare: &Spare) -> Result<Cow<'t, str>, Cow<'t, [u8]>> {
    match text {
        Cow::Borrowed(bytes) => simdutf8::basic::from_utf8(bytes).map(Cow::Borrowed).map_err(|_| Cow::Borrowed(bytes)),
        Cow::Owned(bytes) => match simdutf8::basic::from_utf8(&bytes) {
            Ok(text) => {
                let mut copy = String::from_utf8(spare.buffer(text.len())).unwrap_or_default();
                copy.push_str(text);
                spare.keep(bytes);
                Ok(Cow::Owned(copy))
            }
            Err(_) => Err(Cow::Owned(bytes)),
        },
    }
}

/// The rows of a chunk, handed to `parse` as they are read. `at_end`: the chunk ends the file
/// (a quote never closed is then an error, not a row carried on).
pub(crate) fn parse_chunk<'t, T>(
    cx: &Context,
    (text, at_end): Chunk<'t>,
    parse: &(impl Fn(&Table, &Row, &mut Vec<Diagnostic>) -> T + ?Sized),
    shell: Shell<T>,
) -> (Text<'t>, Parsed<T>) {
    match utf8(text, cx.spare) {
        Ok(text) => {
            let parsed = parse_text(cx, &text, at_end, parse, shell);
            (Text::Utf8(text), parsed)
        }
        Err(bytes) => {
            let parsed = parse_bytes(cx, &bytes, at_end, parse, shell);
            (Text::Bytes(bytes), parsed)
        }
    }
}

impl<T> Parsed<T> {
    /// No rows yet, for a chunk of `cx`'s table `len` bytes long, in the vectors of `shell`.
    fn new(cx: &Context, len: usize, shell: Shell<T>) -> Self {
        let (rows, fields) = cx.sizes.room(len);
        let Shell { rows: mut spans, mut bounds } = shell;
        spans.reserve(rows);
        bounds.reserve(fields);
        Parsed {
            unquoted: String::new(),
            bounds,
            rows: spans,
            problems: Vec::new(),
            matched: cx.table.recoding_flags(),
            breaks: 0,
            carry: None,
            stopped: false,
            last_record: None,
            plain: false,
            unnamed: None,
        }
    }

    /// One complete data row, whose fields' bounds start at `first`: kept with its problems and
    /// what `parse` made of it. A row whose cells are all blank is no row.
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        cx: &Context,
        (chunk, text): (&[u8], &str),
        raw: Range<usize>,
        line: usize,
        (first, unquoted): (usize, bool),
        parse: &(impl Fn(&Table, &Row, &mut Vec<Diagnostic>) -> T + ?Sized),
    ) {
        self.last_record = Some((raw.clone(), line));
        let fields = Fields::Kept { text: if unquoted { &self.unquoted } else { text }, bounds: &self.bounds[first..] };
        if fields.iter().all(|f| f.chars().all(char::is_whitespace)) {
            self.bounds.truncate(first);
            return;
        }
        let raw_row =
            Raw { text: &chunk[raw.clone()], line, delimiter: cx.delimiter, headers: cx.headers, sheet: None };
        let shape = shape_problem(cx.file, raw_row, fields, cx.headers);
        let broken = shape.is_some();
        self.problems.extend(shape);
        if !broken
            && self.unnamed.is_none()
            && !cx.unnamed.is_empty()
            && let Some(&i) = cx.unnamed.iter().find(|&&i| fields.get(i).is_some_and(|f| !f.trim().is_empty()))
        {
            self.unnamed = Some((self.rows.len(), i));
        }
        let before = self.problems.len();
        let row = Row { line, fields, raw: raw_row, kinds: &[], broken, matched: &self.matched, plain: self.plain };
        let value = parse(cx.table, &row, &mut self.problems);
        raw_row.resolve(cx.file, &mut self.problems[before..]);
        let count = self.bounds.len() - first;
        self.rows.push(Span {
            raw,
            bounds: first,
            fields: count,
            unquoted,
            line,
            broken,
            problems: self.problems.len(),
            value,
        });
    }
}

/// The rows of a chunk of UTF-8 text. A row without quotes is split at its delimiters where it
/// is; a row with quotes is read by csv-core (the CSV crate's own reader), which unquotes it.
fn parse_text<T>(
    cx: &Context,
    text: &str,
    at_end: bool,
    parse: &(impl Fn(&Table, &Row, &mut Vec<Diagnostic>) -> T + ?Sized),
    shell: Shell<T>,
) -> Parsed<T> {
    let mut quoted = Quoted::take(cx.delimiter);
    let parsed = parse_rows(cx, text, at_end, parse, &mut quoted, shell);
    quoted.give_back(cx.delimiter);
    parsed
}

/// [`parse_text`], with `quoted` to read the rows with quotes.
fn parse_rows<T>(
    cx: &Context,
    text: &str,
    at_end: bool,
    parse: &(impl Fn(&Table, &Row, &mut Vec<Diagnostic>) -> T + ?Sized),
    quoted: &mut Quoted,
    shell: Shell<T>,
) -> Parsed<T> {
    let bytes = text.as_bytes();
    let mut out = Parsed::new(cx, bytes.len(), shell);
    out.plain = !crate::text::holds_control(text);
    // A line ends at `\n`, or at a `\r` not before one (as `line_breaks` counts).
    let ends_line = |at: usize| bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n');
    let (mut pos, mut line) = (0, 1);
    let mut marks = Marks::new(bytes, cx.delimiter);
    loop {
        // Line ends before a row make no row, as for the CSV reader.
        while pos < bytes.len() && matches!(bytes[pos], b'\r' | b'\n') {
            line += usize::from(ends_line(pos));
            pos += 1;
        }
        if pos >= bytes.len() {
            break;
        }
        let start = pos;
        let first = out.bounds.len();
        let (end, unquoted, inner_breaks) = match split_row(&mut marks, start, &mut out.bounds) {
            Some((end, inner_breaks)) => (end, false, inner_breaks),
            None => {
                out.bounds.truncate(first);
                let end = match split_escaped_row(&mut marks, text, start, &mut out.unquoted, &mut out.bounds) {
                    Some(end) => end,
                    None => start + quoted.read(&bytes[start..], &mut out.unquoted, &mut out.bounds),
                };
                (end, true, true)
            }
        };
        let state = if end < bytes.len() {
            Quote::FieldStart
        } else {
            Quote::FieldStart.after(&bytes[start..end], cx.delimiter)
        };
        if !at_end
            && end >= bytes.len()
            && !(state == Quote::FieldStart && bytes.last().is_some_and(|&b| b == b'\n' || b == b'\r'))
        {
            out.bounds.truncate(first);
            out.carry = Some((start, line, state));
            return out;
        }
        out.row(cx, (bytes, text), start..end, line, (first, unquoted), parse);
        line += if inner_breaks {
            line_breaks(bytes, start..end)
        } else {
            // Only the row's own line end, which it takes.
            usize::from(end > start && matches!(bytes[end - 1], b'\n' | b'\r') && ends_line(end - 1))
        };
        pos = end;
    }
    out.breaks = line - 1;
    cx.sizes.seen(bytes.len(), out.rows.len(), out.bounds.len());
    out
}

/// The fields of the row at `start` of the text of `marks`, added to `bounds` where they are in
/// the text; the end of the row, its line end included (as the CSV reader takes it), and
/// whether a quoted field holds a line break. `None` for a row whose fields are not all where
/// they are written: a quote doubled inside a quoted field, text after a closing quote, or a
/// quote not closed within the text (csv-core reads those).
fn split_row(marks: &mut Marks, start: usize, bounds: &mut Vec<(usize, usize)>) -> Option<(usize, bool)> {
    let (text, delimiter) = (marks.text, marks.delimiter);
    let (mut at, mut inner_breaks) = (start, false);
    loop {
        if text.get(at) == Some(&b'"') {
            let close = at + 1 + memchr::memchr(b'"', &text[at + 1..])?;
            bounds.push((at + 1, close));
            inner_breaks |= memchr::memchr2(b'\n', b'\r', &text[at + 1..close]).is_some();
            match after_field(text, close + 1, delimiter)? {
                Next::Field(next) => at = next,
                Next::RowEnd(end) => return Some((end, inner_breaks)),
            }
        } else {
            let end = marks.field_end(at);
            bounds.push((at, end));
            // An unquoted field ends only at the delimiter, a line end or the end of the text:
            // fewer questions than `after_field` asks, for every field of every row.
            match text.get(end) {
                Some(&b) if b == delimiter => at = end + 1,
                Some(_) => return Some((end + 1, inner_breaks)),
                None => return Some((end, inner_breaks)),
            }
        }
    }
}

/// What follows a field of a row.
enum Next {
    /// Another field, starting here.
    Field(usize),
    /// The row's end: after its first line-end byte, or the end of the text.
    RowEnd(usize),
}

/// What follows a field that ends at `end` of `text` (at a delimiter, a line end, the end of the
/// text, or anything else after a closing quote: `None`, a row csv-core is left to read).
#[inline(always)]
fn after_field(text: &[u8], end: usize, delimiter: u8) -> Option<Next> {
    match text.get(end) {
        Some(&b) if b == delimiter => Some(Next::Field(end + 1)),
        Some(b'\n' | b'\r') => Some(Next::RowEnd(end + 1)),
        None => Some(Next::RowEnd(end)),
        Some(_) => None,
    }
}

/// The row at `start` of `text` when its only quotes are those [`split_row`] leaves to csv-core
/// most often: quoted fields with quotes doubled inside (`"""Марш несогласных"", разогнан"`).
/// Every field is added to `unquoted` as csv-core would unquote it, and its bounds there to
/// `bounds`; the end of the row (after its first line-end byte) is returned. `None`, with
/// nothing added, for any other row: text after a closing quote, or a quote not closed within
/// `text`. csv-core read such a row a byte at a time, ten times slower.
fn split_escaped_row(
    marks: &mut Marks,
    text: &str,
    start: usize,
    unquoted: &mut String,
    bounds: &mut Vec<(usize, usize)>,
) -> Option<usize> {
    let delimiter = marks.delimiter;
    let (kept, first) = (unquoted.len(), bounds.len());
    let mut fields = || -> Option<usize> {
        let bytes = text.as_bytes();
        let mut at = start;
        loop {
            let field_start = unquoted.len();
            let end = if bytes.get(at) == Some(&b'"') {
                // Each quote inside is doubled; the one that is not closes the field.
                let mut from = at + 1;
                loop {
                    let quote = from + memchr::memchr(b'"', bytes.get(from..)?)?;
                    unquoted.push_str(text.get(from..quote)?);
                    if bytes.get(quote + 1) != Some(&b'"') {
                        break quote + 1;
                    }
                    unquoted.push('"');
                    from = quote + 2;
                }
            } else {
                let end = marks.field_end(at);
                unquoted.push_str(text.get(at..end)?);
                end
            };
            bounds.push((field_start, unquoted.len()));
            match after_field(bytes, end, delimiter)? {
                Next::Field(next) => at = next,
                Next::RowEnd(end) => return Some(end),
            }
        }
    };
    let row = fields();
    if row.is_none() {
        unquoted.truncate(kept);
        bounds.truncate(first);
    }
    row
}

/// Where the fields of a chunk's text end: a bit for each byte that is the delimiter, `\n` or
/// `\r`, worked out for 64 bytes at a time by vector compares (the `wide` crate: SSE2 on x86-64,
/// NEON on ARM), and kept for the last 64 bytes looked at. An unquoted field ends at the first
/// bit set from its start on: for most fields one look at a number already worked out.
/// Splitting rows that compared eight bytes at a time as one number (and memchr for fields
/// longer than 16 bytes) took about 190 of the 1250 million instructions of `summary` of
/// 100 000 incidents (callgrind); with these marks, 143.
struct Marks<'t> {
    /// The chunk's text.
    text: &'t [u8],
    /// The field delimiter.
    delimiter: u8,
    /// Which 64 bytes `ends` is of: `ends` is of `text[64 * block..]` (`usize::MAX`: none yet).
    block: usize,
    /// A bit for each of those bytes that ends a field or a line, the lowest for the first.
    ends: u64,
}

impl<'t> Marks<'t> {
    /// The marks of `text`, whose fields are separated by `delimiter`.
    fn new(text: &'t [u8], delimiter: u8) -> Self {
        Marks { text, delimiter, block: usize::MAX, ends: 0 }
    }

    /// Where the unquoted field at `at` ends: at its first delimiter, `\n` or `\r`, or at the
    /// end of the text.
    #[inline(always)]
    fn field_end(&mut self, at: usize) -> usize {
        // The usual field ends in the 64 bytes already looked at.
        if at / 64 == self.block {
            let ends = self.ends & (u64::MAX << (at % 64));
            if ends != 0 {
                return self.block * 64 + ends.trailing_zeros() as usize;
            }
        }
        self.field_end_beyond(at)
    }

    /// [`Marks::field_end`] of a field that does not end in the bytes last looked at.
    #[inline(never)]
    fn field_end_beyond(&mut self, at: usize) -> usize {
        let mut block = at / 64;
        let mut ends = self.ends_of(block) & (u64::MAX << (at % 64));
        while ends == 0 {
            block += 1;
            if block.saturating_mul(64) >= self.text.len() {
                return self.text.len();
            }
            ends = self.ends_of(block);
        }
        block * 64 + ends.trailing_zeros() as usize
    }

    /// The ends in the 64 bytes of `block`.
    fn ends_of(&mut self, block: usize) -> u64 {
        if block != self.block {
            self.block = block;
            let bytes = self.text.get(block.saturating_mul(64)..).unwrap_or_default();
            self.ends = match bytes.first_chunk::<64>() {
                Some(bytes) => ends_in(bytes, self.delimiter),
                None => {
                    // The text's last bytes: the bytes after them are no ends, whatever they hold.
                    let mut last = [0; 64];
                    last[..bytes.len()].copy_from_slice(bytes);
                    ends_in(&last, self.delimiter) & !(u64::MAX << bytes.len())
                }
            };
        }
        self.ends
    }
}

/// A bit for each byte of `bytes` that is `delimiter`, `\n` or `\r`, the lowest for the first.
#[inline]
fn ends_in(bytes: &[u8; 64], delimiter: u8) -> u64 {
    use wide::u8x16;
    let (d, n, r) = (u8x16::splat(delimiter), u8x16::splat(b'\n'), u8x16::splat(b'\r'));
    let mut ends = 0;
    for (k, part) in bytes.as_chunks::<16>().0.iter().enumerate() {
        let v = u8x16::new(*part);
        let hits = v.simd_eq(d) | v.simd_eq(n) | v.simd_eq(r);
        ends |= u64::from(hits.to_bitmask()) << (16 * k);
    }
    ends
}

/// csv-core, reading one row with quotes at a time.
struct Quoted {
    /// csv-core itself, kept from row to row of a chunk.
    reader: csv_core::Reader,
    /// The row's fields, unquoted, and where each ends: csv-core's output, reused row to row.
    output: Vec<u8>,
    ends: Vec<usize>,
}

thread_local! {
    /// The [`Quoted`] this thread read its last chunk with, and its delimiter: building csv-core's
    /// reader makes its transition table, which took a tenth of a worker's time when each chunk
    /// built one. (Cloning a built reader is no way out: csv-core 0.1 copies only part of it.)
    static SPARE: std::cell::RefCell<Option<(u8, Quoted)>> = const { std::cell::RefCell::new(None) };
}

impl Quoted {
    /// A reader for fields separated by `delimiter`, at the start of a row: the one this thread
    /// used last, reset, if it has that delimiter.
    fn take(delimiter: u8) -> Self {
        let spare = SPARE.with(|spare| spare.borrow_mut().take()).filter(|(d, _)| *d == delimiter);
        let mut quoted = match spare {
            Some((_, mut quoted)) => {
                quoted.reader.reset();
                quoted
            }
            None => Quoted {
                reader: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
                output: vec![0; 1024],
                ends: vec![0; 64],
            },
        };
        // Its first read would drop a byte-order mark starting a row; the file's own is gone.
        let _ = quoted.reader.read_record(b"\n", &mut [], &mut []);
        quoted
    }

    /// Keeps this reader for the thread's next chunk.
    fn give_back(self, delimiter: u8) {
        SPARE.with(|spare| *spare.borrow_mut() = Some((delimiter, self)));
    }

    /// Reads the row `text` starts with: its fields, unquoted, are added to `unquoted` and
    /// their bounds to `bounds`. Returns the bytes it took, its line end included.
    fn read(&mut self, text: &[u8], unquoted: &mut String, bounds: &mut Vec<(usize, usize)>) -> usize {
        let (mut nin, mut nout, mut nend) = (0, 0, 0);
        loop {
            let (result, i, o, e) =
                self.reader.read_record(&text[nin..], &mut self.output[nout..], &mut self.ends[nend..]);
            (nin, nout, nend) = (nin + i, nout + o, nend + e);
            match result {
                csv_core::ReadRecordResult::OutputFull => self.output.resize(self.output.len() * 2, 0),
                csv_core::ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                // All of `text` is taken: the next read (of nothing) ends the row.
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            }
        }
        let base = unquoted.len();
        // Quotes taken out of UTF-8 text leave UTF-8 text.
        match simdutf8::basic::from_utf8(&self.output[..nout]) {
            Ok(text) => unquoted.push_str(text),
            Err(_) => unquoted.push_str(&String::from_utf8_lossy(&self.output[..nout])),
        }
        let mut start = 0;
        for &end in &self.ends[..nend] {
            bounds.push((base + start, base + end));
            start = end;
        }
        nin
    }
}

/// The rows of a chunk that is not all UTF-8, read by the CSV crate up to the bytes that are
/// not (an error at them, and reading stops).
fn parse_bytes<T>(
    cx: &Context,
    text: &[u8],
    at_end: bool,
    parse: &(impl Fn(&Table, &Row, &mut Vec<Diagnostic>) -> T + ?Sized),
    shell: Shell<T>,
) -> Parsed<T> {
    let mut out = Parsed::new(cx, text.len(), shell);
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).has_headers(false).delimiter(cx.delimiter).from_reader(text);
    let mut lines = LineCounter::new(text, 1);
    let mut record = csv::StringRecord::new();
    let mut held: Option<(usize, usize, usize)> = None;
    let keep = |out: &mut Parsed<T>, (start, line, first): (usize, usize, usize), end: usize| {
        out.row(cx, (text, ""), raw_range(text, start, end), line, (first, true), parse);
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let start = record.position().map_or(0, |p| p.byte() as usize);
                let line = lines.line_at(start);
                if let Some(at) = held.take() {
                    keep(&mut out, at, start);
                }
                let (first, base) = (out.bounds.len(), out.unquoted.len());
                out.unquoted.push_str(record.as_slice());
                out.bounds
                    .extend((0..record.len()).filter_map(|i| record.range(i)).map(|r| (base + r.start, base + r.end)));
                held = Some((start, line, first));
            }
            Ok(false) => break,
            Err(e) => {
                if let Some(at) = held.take() {
                    keep(&mut out, at, e.position().map_or(text.len(), |p| p.byte() as usize));
                }
                out.problems.push(csv_error(cx.file, text, &e, &mut lines));
                if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    out.stopped = true;
                    return out;
                }
            }
        }
    }
    if let Some((start, line, first)) = held {
        let state = Quote::FieldStart.after(&text[start..], cx.delimiter);
        if !at_end && state != Quote::FieldStart {
            out.bounds.truncate(first);
            out.carry = Some((start, lines.line_at_end(start), state));
            return out;
        }
        keep(&mut out, (start, line, first), text.len());
    }
    out.breaks = lines.line_at_end(text.len()) - 1;
    out
}

/// A CSV error as a diagnostic: bytes that are not UTF-8 are pointed at exactly.
pub(crate) fn csv_error(file: &str, text: &[u8], error: &csv::Error, lines: &mut LineCounter) -> Diagnostic {
    let start = error.position().map_or(0, |p| p.byte() as usize).min(text.len());
    if let csv::ErrorKind::Utf8 { .. } = error.kind() {
        let bad = start + std::str::from_utf8(&text[start..]).err().map_or(0, |e| e.valid_up_to());
        let row = start + text[start..bad].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        let line = lines.line_at(start) + line_breaks(text, row..bad);
        return table_not_utf8(file, not_utf8_place(text, bad, line));
    }
    Diagnostic::error(file, lines.line_at(start), 1, format!("cannot read this row: {error}"))
}

/// A chunk of a file's text and whether it is the last.
pub(crate) type Chunk<'t> = (Cow<'t, [u8]>, bool);

/// A chunk parsed by a worker: its text, whether it is the last, and its rows.
type Done<'t, T> = (Text<'t>, bool, Parsed<T>);

/// What a worker thread makes of each data row (see [`Table::read_rows`]).
pub(crate) type Parse<'p, T> = dyn Fn(&Table, &Row, &mut Vec<Diagnostic>) -> T + Sync + 'p;

/// What takes each data row, in file order, with what [`Parse`] made of it. At the first row of
/// each chunk, the last argument gives what [`Parse`] made of the chunk's other rows (at other
/// rows it is empty): a fold can look ahead at what it will need of memory, and have it fetched
/// all at once ([`crate::validate::IdIndex::warm`]).
pub(crate) type Fold<'f, T> = dyn FnMut(&Table, &Row, &T, &mut Vec<Diagnostic>, &mut dyn Iterator<Item = &T>) + 'f;

/// The rows of a table after its header, taken in file order.
pub(crate) struct Folding<'a> {
    /// The table.
    pub(crate) cx: Context<'a>,
    /// What is folded so far.
    pub(crate) state: FoldState<'a>,
}

/// What folding a table's rows has come to.
pub(crate) struct FoldState<'a> {
    /// The line the next chunk starts on.
    line: usize,
    /// The problems so far, in file order.
    problems: &'a mut Vec<Diagnostic>,
    /// The `values` keys matched so far.
    pub(crate) matched: Vec<bool>,
    /// Reading stopped (text that is not UTF-8).
    pub(crate) stopped: bool,
    /// A row not ended by its chunk, its parser's state at the end, and its line.
    carry: Option<(Vec<u8>, Quote, usize)>,
    /// Whether the last row folded holds an odd number of quotes, and its line.
    last_row_quotes: Option<(bool, usize)>,
    /// The rows' problems counted, not kept.
    pub(crate) unlisted: Unlisted,
    /// A row with a cell under a blank header was warned of ([`UNNAMED`]).
    unnamed_warned: bool,
}

/// The warning at the first cell, in file order, that has a value under a blank header: its
/// column is not read (a header cell left blank once dropped a whole `sources` column without a
/// word). A blank column under a blank header, as spreadsheets export, says nothing.
const UNNAMED: &str = "this column has no header: it is not read";

impl<'a> Folding<'a> {
    /// Starts folding the rows of `cx`'s table, the first on `line`.
    pub(crate) fn new(cx: Context<'a>, line: usize, problems: &'a mut Vec<Diagnostic>) -> Self {
        let matched = vec![false; cx.table.recoding_flags().len()];
        let state = FoldState {
            line,
            problems,
            matched,
            stopped: false,
            carry: None,
            last_row_quotes: None,
            unlisted: Unlisted::default(),
            unnamed_warned: false,
        };
        Folding { cx, state }
    }

    /// Parses `first` and every chunk `next` gives (on worker threads when there is more than
    /// one) and folds their rows in order; stops after the last chunk, or when the text is not
    /// UTF-8.
    pub(crate) fn run<'t, T: Send>(
        &mut self,
        first: Chunk<'t>,
        next: &mut dyn FnMut() -> io::Result<Option<Chunk<'t>>>,
        parse: &Parse<T>,
        fold: &mut Fold<T>,
    ) -> io::Result<()> {
        let (cx, state) = (&self.cx, &mut self.state);
        let last = first.1;
        let (text, parsed) = parse_chunk(cx, first, parse, Shell::default());
        state.take(cx, &text, last, parsed, parse, fold);
        if last || state.stopped {
            return Ok(());
        }
        // This thread folds the rows in order, which all rows pass through, and parses a chunk
        // itself whenever the workers have enough waiting: so there is a worker fewer than the
        // cores, and no core is shared. With a worker a core, this thread shared a core with a
        // worker and folded at about two thirds of its speed. The queue is deep so that the
        // workers do not run dry while this thread parses or folds: with 1 chunk queued a
        // worker, `summary` of a million incidents on 2 cores took 1.61 s, against 1.37 s with
        // a worker a core and 1.14 s with 8 (pairwise medians of 7 runs). Since chunks are all
        // a block long (no longer every other one a row long), 4 are as fast as 8, and take
        // 2 MB less at the peak.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = (cores - 1).clamp(1, 4);
        let queued = 4 * workers;
        // Chunks out at a time (read, not yet folded).
        let depth = queued + 8;
        let (jobs, inbox) = mpsc::sync_channel::<(usize, Chunk<'t>)>(queued);
        let inbox = std::sync::Mutex::new(inbox);
        let shells: Pool<Shell<T>> = Pool::default();
        std::thread::scope(|scope| -> io::Result<()> {
            // Dropped on leaving: the workers then find no more chunks, and end.
            let jobs = jobs;
            let (outbox, results) = mpsc::sync_channel::<(usize, std::thread::Result<Done<'t, T>>)>(depth);
            for _ in 0..workers {
                let (inbox, outbox, shells) = (&inbox, outbox.clone(), &shells);
                let work = move || {
                    loop {
                        // The lock is held only while waiting for a chunk, not while parsing it.
                        let job = inbox.lock().map_or(Err(mpsc::RecvError), |inbox| inbox.recv());
                        let Ok((k, chunk)) = job else { break };
                        // A panic is handed on to this thread, which would otherwise wait for
                        // the chunk forever.
                        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            let last = chunk.1;
                            let (text, parsed) = parse_chunk(cx, chunk, parse, shells.take());
                            (text, last, parsed)
                        }));
                        if outbox.send((k, parsed)).is_err() {
                            break;
                        }
                    }
                };
                std::thread::Builder::new().name("rows".into()).spawn_scoped(scope, work)?;
            }
            drop(outbox);
            // Chunks are numbered as read and parsed by whichever thread is free; their results
            // wait here, by number, to be folded in order.
            let mut waiting: VecDeque<Option<Done<'t, T>>> = VecDeque::new();
            let (mut sent, mut folded) = (0usize, 0usize);
            let place = |waiting: &mut VecDeque<_>, folded: usize, k: usize, done| {
                let at = k - folded;
                if waiting.len() <= at {
                    waiting.resize_with(at + 1, || None);
                }
                waiting[at] = Some(done);
            };
            let mut more = true;
            // A chunk read that the workers had no room for: sent when they have, or parsed
            // here when this thread has nothing to fold.
            let mut pending: Option<(usize, Chunk<'t>)> = None;
            loop {
                // First the workers' queue is kept full, a chunk at a time between folds: when
                // this thread folded every chunk ready before reading on, the workers ran dry
                // (a worker waited 13 % of a large read).
                if let Some(job) = pending.take() {
                    match jobs.try_send(job) {
                        Ok(()) => {}
                        Err(mpsc::TrySendError::Full(job)) => pending = Some(job),
                        Err(mpsc::TrySendError::Disconnected(_)) => return Ok(()),
                    }
                }
                if pending.is_none() && more && sent - folded < depth {
                    let Some((text, last)) = next()? else {
                        more = false;
                        continue;
                    };
                    more = !last;
                    pending = Some((sent, (text, last)));
                    sent += 1;
                    continue;
                }
                // Then the next chunk in file order is folded, if it is ready.
                if waiting.front().is_some_and(Option::is_some) {
                    let Some((text, last, parsed)) = waiting.pop_front().flatten() else { continue };
                    folded += 1;
                    if let Some(shell) = state.take(cx, &text, last, parsed, parse, fold) {
                        shells.keep(shell);
                    }
                    cx.spare.give(text);
                    if state.stopped {
                        return Ok(());
                    }
                    continue;
                }
                if let Ok((k, done)) = results.try_recv() {
                    place(&mut waiting, folded, k, done.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
                    continue;
                }
                // Nothing to fold: this thread parses the chunk the workers have no room for.
                if let Some((k, chunk)) = pending.take() {
                    let last = chunk.1;
                    let (text, parsed) = parse_chunk(cx, chunk, parse, shells.take());
                    place(&mut waiting, folded, k, (text, last, parsed));
                    continue;
                }
                if sent == folded {
                    return Ok(());
                }
                let Ok((k, done)) = results.recv() else { return Ok(()) };
                place(&mut waiting, folded, k, done.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            }
        })
    }
}

impl FoldState<'_> {
    /// After the last row: the CSV reader takes a quote that is never closed as a field running
    /// to the end of the file, silently swallowing every row after it (or, closed by the next
    /// quoted field, the rows between): an odd number of quotes in the file's last row says so.
    pub(crate) fn finish(&mut self, file: &str) {
        if let Some((true, line)) = self.last_row_quotes {
            self.problems.push(
                Diagnostic::error(
                    file,
                    line,
                    1,
                    "a quoted field on this line is never closed: the rows after it cannot be read",
                )
                .with_hint("close the quote, or double a quote inside a quoted field (\"\")"),
            );
        }
    }

    /// Folds the rows of the next chunk in file order, `text`, which a worker parsed as
    /// `parsed`: unless a row is carried into it, then `text` is parsed again with it, once the
    /// carried row ends (or the file does). Gives back the vectors of what it folded.
    fn take<T>(
        &mut self,
        cx: &Context,
        text: &Text,
        last: bool,
        parsed: Parsed<T>,
        parse: &Parse<T>,
        fold: &mut Fold<T>,
    ) -> Option<Shell<T>> {
        let Some((mut carried, state, line)) = self.carry.take() else {
            return Some(self.fold(cx, text, parsed, fold));
        };
        let state = state.after(text.bytes(), cx.delimiter);
        carried.extend_from_slice(text.bytes());
        if state != Quote::FieldStart && !last {
            self.carry = Some((carried, state, line));
            return None;
        }
        self.line = line;
        let (carried, parsed) = parse_chunk(cx, (Cow::Owned(carried), last), parse, Shell::default());
        Some(self.fold(cx, &carried, parsed, fold))
    }

    /// Hands the rows of a parsed chunk, `text`, to `fold`, with their problems, lines counted
    /// from the file's start; gives back its vectors, emptied.
    fn fold<T>(&mut self, cx: &Context, text: &Text, parsed: Parsed<T>, fold: &mut Fold<T>) -> Shell<T> {
        let (chunk, utf8) = (text.bytes(), text.str());
        let shift = self.line - 1;
        let shifted = |mut d: Diagnostic| {
            if d.line > 0 {
                d.line += shift;
            }
            d
        };
        if let Some((odd, line)) = parsed.last_row_quotes(chunk) {
            self.last_row_quotes = Some((odd, line + shift));
        }
        let Parsed { unquoted, bounds, rows, problems, matched, breaks, carry, stopped, unnamed, .. } = parsed;
        let mut problems = problems.into_iter();
        let mut taken = 0;
        // The rows are lent to `fold`, not moved: a row's value is a few hundred bytes.
        for (i, span) in rows.iter().enumerate() {
            let rest = if i == 0 { &rows[1..] } else { &[] };
            let first = self.problems.len();
            let line = span.line + shift;
            let raw =
                Raw { text: &chunk[span.raw.clone()], line, delimiter: cx.delimiter, headers: cx.headers, sheet: None };
            // Only the file's first row with a value under a blank header is warned of.
            if let Some((_, field)) = unnamed.filter(|&(row, _)| row == i && !self.unnamed_warned) {
                self.unnamed_warned = true;
                self.problems.push(
                    Diagnostic::warning_at(cx.file, raw.place(field + 1), UNNAMED)
                        .with_hint("give the column a header in the file's first row, or clear the column"),
                );
            }
            self.problems.extend(problems.by_ref().take(span.problems - taken).map(shifted));
            taken = span.problems;
            let text = if span.unquoted { &unquoted } else { utf8 };
            let fields = Fields::Kept { text, bounds: &bounds[span.bounds..span.bounds + span.fields] };
            let row = Row { line, fields, raw, kinds: &[], broken: span.broken, matched: &matched, plain: false };
            let before = self.problems.len();
            fold(cx.table, &row, &span.value, self.problems, &mut rest.iter().map(|span| &span.value));
            raw.resolve(cx.file, &mut self.problems[before..]);
            self.unlisted.limit(self.problems, first);
        }
        let first = self.problems.len();
        self.problems.extend(problems.map(shifted));
        self.unlisted.limit(self.problems, first);
        for (seen, flag) in self.matched.iter_mut().zip(&matched) {
            *seen |= flag.get();
        }
        self.stopped |= stopped;
        match carry {
            Some((start, line, state)) => self.carry = Some((chunk[start..].to_vec(), state, line + shift)),
            None => self.line += breaks,
        }
        let (mut rows, mut bounds) = (rows, bounds);
        rows.clear();
        bounds.clear();
        Shell { rows, bounds }
    }
}

/// Which of `matched`'s flags were set, as the table's recoding reads them.
pub(crate) fn flags_set(matched: &Matched) -> Vec<bool> {
    matched.iter().map(Flag::get).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_break_ends_a_row_only_outside_quotes() {
        let end = |text: &str| Quote::FieldStart.after(text.as_bytes(), b',');
        assert_eq!(end("a,b\n"), Quote::FieldStart);
        assert_eq!(end("a,\"b\n"), Quote::Quoted);
        assert_eq!(end("a,\"b\nc\"\n"), Quote::FieldStart);
        assert_eq!(end("a,\"b\"\"\n"), Quote::Quoted, "a doubled quote is text");
        assert_eq!(end("a,b\"c\n"), Quote::FieldStart, "a quote inside an unquoted field is text");
        assert_eq!(Quote::FieldStart.after(b"a;\"b\n", b';'), Quote::Quoted);
    }

    proptest::proptest! {
        #[test]
        fn cells_placed_from_where_the_row_was_split_agree_with_the_walk(
            text in "[aё,\" \r\n]{0,24}", a in 0usize..7, b in 0usize..7,
        ) {
            let bytes = text.as_bytes();
            let mut bounds = Vec::new();
            if let Some((end, _)) = split_row(&mut Marks::new(bytes, b','), 0, &mut bounds) {
                let headers: Vec<String> = ["id", "note", "a", "b", "c", "d"].map(String::from).into();
                let raw = Raw { text: &bytes[..end], line: 5, delimiter: b',', headers: &headers, sheet: None };
                let field = |f: usize| f.checked_sub(1).and_then(|i| bounds.get(i)).and_then(|&(s, e)| text.get(s..e));
                proptest::prop_assert_eq!(
                    raw.line_columns_of([a, b], [field(a), field(b)]),
                    raw.line_columns([a, b]),
                    "{:?}", text
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn a_row_with_doubled_quotes_is_split_as_csv_core_splits_it(
            // A row never starts with a line end: those before it are skipped (`parse_rows`).
            text in "[aё,\" ][aё,\" \r\n]{0,30}|\"[a,\"]{0,6}\"(,\"[a,\"\r\n]{0,6}\")*[,\r\n]?"
        ) {
            let (mut fast, mut fast_bounds) = (String::from("kept"), vec![(0, 4)]);
            if let Some(end) = split_escaped_row(&mut Marks::new(text.as_bytes(), b','), &text, 0, &mut fast, &mut fast_bounds) {
                let (mut slow, mut slow_bounds) = (String::from("kept"), vec![(0, 4)]);
                let mut quoted = Quoted::take(b',');
                let slow_end = quoted.read(text.as_bytes(), &mut slow, &mut slow_bounds);
                let fields = |s: &str, b: &[(usize, usize)]| b.iter().map(|&(x, y)| s[x..y].to_string()).collect::<Vec<_>>();
                proptest::prop_assert_eq!(fields(&fast, &fast_bounds), fields(&slow, &slow_bounds), "{:?}", text);
                // csv-core may take the `\n` of a `\r\n` too; the rows are the same either way.
                let line_end = |at: usize| text.as_bytes().get(at).is_some_and(|b| *b == b'\n' || *b == b'\r');
                proptest::prop_assert!(slow_end == end || (slow_end == end + 1 && line_end(end)), "{:?}: {} {}", text, end, slow_end);
            } else {
                proptest::prop_assert_eq!((fast.as_str(), fast_bounds), ("kept", vec![(0, 4)]));
            }
        }

        #[test]
        fn a_field_ends_where_a_byte_at_a_time_says(
            // Mostly letters, so that fields run across the 64-byte blocks the marks are made
            // for; bytes of every kind, a NUL (what the last block is filled up with) too.
            text in proptest::collection::vec(proptest::sample::select(vec![b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b',', b';', b'\n', b'\r', b'\t', 0, 0x80, 0xff, 0x0b, 0x2b]), 0..300),
            starts in proptest::collection::vec(0usize..310, 1..8),
        ) {
            for delimiter in [b',', b';', b'\t', 0] {
                // One set of marks for every start, in any order: as a chunk's rows and the
                // fields after a quoted one look at them.
                let mut marks = Marks::new(&text, delimiter);
                for &at in &starts {
                    let at = at.min(text.len());
                    let slow = text[at..].iter().position(|&b| b == delimiter || b == b'\n' || b == b'\r').map_or(text.len(), |i| at + i);
                    proptest::prop_assert_eq!(marks.field_end(at), slow, "at {} in {:?}", at, text);
                }
            }
        }
    }
}

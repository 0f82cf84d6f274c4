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
use std::sync::mpsc;

use crate::diagnostic::{Diagnostic, Unlisted};
use crate::input::recode::Matched;
use crate::input::row::Raw;
use crate::input::source::{line_breaks, not_utf8_place};
use crate::input::table::{LineCounter, Row, Table, shape_problem};

/// The cells of one row: a record of the CSV parser, or a row kept in a chunk's [`Parsed`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fields<'r> {
    /// A record as the CSV parser (or the workbook reader) made it.
    Record(&'r csv::StringRecord),
    /// A row kept in a chunk: `text` holds its fields one after another, field `i` is
    /// `text[bounds[i]..bounds[i + 1]]`.
    Kept { text: &'r str, bounds: &'r [usize] },
}

impl<'r> Fields<'r> {
    /// Field `i` (0-based), as the file writes it (unquoted, untrimmed).
    pub(crate) fn get(&self, i: usize) -> Option<&'r str> {
        match *self {
            Fields::Record(record) => record.get(i),
            Fields::Kept { text, bounds } => text.get(*bounds.get(i)?..*bounds.get(i + 1)?),
        }
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
    /// Its text in the chunk, from its first character to the next row.
    raw: Range<usize>,
    /// Where its fields' bounds start in [`Parsed::bounds`], and how many fields it has.
    bounds: usize,
    fields: usize,
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
    /// Every field of every row, one after another.
    fields: String,
    /// Where each row's fields start and end in `fields` (see [`Fields::Kept`]).
    bounds: Vec<usize>,
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
}

/// What parsing a chunk needs to know of its table.
pub(crate) struct Context<'a> {
    pub(crate) file: &'a str,
    pub(crate) table: &'a Table,
    pub(crate) headers: &'a [String],
    pub(crate) delimiter: u8,
}

/// The rows of a chunk, handed to `parse` as they are read. `at_end`: the chunk ends the file
/// (a quote never closed is then an error, not a row carried on).
pub(crate) fn parse_chunk<T>(
    cx: &Context,
    text: &[u8],
    at_end: bool,
    parse: &(impl Fn(&Table, &Row, &mut Vec<Diagnostic>) -> T + ?Sized),
) -> Parsed<T> {
    let mut out = Parsed {
        // Unquoted fields are never longer than the text.
        fields: String::with_capacity(text.len()),
        bounds: Vec::new(),
        rows: Vec::new(),
        problems: Vec::new(),
        matched: cx.table.recoding_flags(),
        breaks: 0,
        carry: None,
        stopped: false,
    };
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).has_headers(false).delimiter(cx.delimiter).from_reader(text);
    let mut lines = LineCounter::new(text, 1);
    let (mut record, mut held) = (csv::StringRecord::new(), csv::StringRecord::new());
    let mut held_at: Option<(usize, usize)> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let start = record.position().map_or(0, |p| p.byte() as usize);
                let line = lines.line_at(start);
                if let Some(at) = held_at.take() {
                    out.row(cx, &held, raw_range(text, at.0, start), at.1, text, parse);
                }
                std::mem::swap(&mut record, &mut held);
                held_at = Some((start, line));
            }
            Ok(false) => break,
            Err(e) => {
                if let Some(at) = held_at.take() {
                    let end = e.position().map_or(text.len(), |p| p.byte() as usize);
                    out.row(cx, &held, raw_range(text, at.0, end), at.1, text, parse);
                }
                out.problems.push(csv_error(cx.file, text, &e, &mut lines));
                if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    out.stopped = true;
                    return out;
                }
            }
        }
    }
    if let Some((start, line)) = held_at {
        let state = Quote::FieldStart.after(&text[start..], cx.delimiter);
        if !at_end && state != Quote::FieldStart {
            out.carry = Some((start, lines.line_at_end(start), state));
            return out;
        }
        out.row(cx, &held, raw_range(text, start, text.len()), line, text, parse);
        // The CSV reader takes a quote that is never closed as a field running to the end of the
        // file, silently swallowing every row after it; say so instead. (A quote inside a field
        // that is not quoted is text, and opens nothing.)
        if at_end && state == Quote::Quoted {
            out.problems.push(
                Diagnostic::error(
                    cx.file,
                    line,
                    1,
                    "a quoted field on this line is never closed: the rows after it cannot be read",
                )
                .with_hint("close the quote, or double a quote inside a quoted field (\"\")"),
            );
        }
    }
    out.breaks = lines.line_at_end(text.len()) - 1;
    out
}

impl<T> Parsed<T> {
    /// One complete data row: kept with its problems and what `parse` made of it. A row whose
    /// cells are all blank is no row.
    fn row(
        &mut self,
        cx: &Context,
        record: &csv::StringRecord,
        raw: Range<usize>,
        line: usize,
        text: &[u8],
        parse: &(impl Fn(&Table, &Row, &mut Vec<Diagnostic>) -> T + ?Sized),
    ) {
        if record.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        let raw_row = Raw { text: &text[raw.clone()], line, delimiter: cx.delimiter, headers: cx.headers, sheet: None };
        let shape = shape_problem(cx.file, raw_row, record, cx.headers);
        let broken = shape.is_some();
        self.problems.extend(shape);
        let before = self.problems.len();
        let row =
            Row { line, fields: Fields::Record(record), raw: raw_row, kinds: &[], broken, matched: &self.matched };
        let value = parse(cx.table, &row, &mut self.problems);
        raw_row.resolve(cx.file, &mut self.problems[before..]);
        let base = self.fields.len();
        let bounds = self.bounds.len();
        self.fields.push_str(record.as_slice());
        self.bounds.push(base);
        self.bounds.extend((0..record.len()).map(|i| base + record.range(i).map_or(0, |r| r.end)));
        self.rows.push(Span { raw, bounds, fields: record.len(), line, broken, problems: self.problems.len(), value });
    }
}

/// The bytes of a row that starts at `start` and ends where the next begins, `end`, without the
/// line ends the CSV reader leaves before it.
fn raw_range(text: &[u8], start: usize, end: usize) -> Range<usize> {
    let end = end.min(text.len());
    let start = start.min(end);
    let skipped = text[start..end].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
    start + skipped..end
}

/// A CSV error as a diagnostic: bytes that are not UTF-8 are pointed at exactly.
pub(crate) fn csv_error(file: &str, text: &[u8], error: &csv::Error, lines: &mut LineCounter) -> Diagnostic {
    let start = error.position().map_or(0, |p| p.byte() as usize).min(text.len());
    if let csv::ErrorKind::Utf8 { .. } = error.kind() {
        let bad = start + std::str::from_utf8(&text[start..]).err().map_or(0, |e| e.valid_up_to());
        let row = start + text[start..bad].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        let line = lines.line_at(start) + line_breaks(text, row..bad);
        return Diagnostic::error_at(file, not_utf8_place(text, bad, line), "the file is not UTF-8 text")
            .with_hint("save it from the spreadsheet as \"CSV UTF-8\", or name its `encoding` in report.toml [data]");
    }
    Diagnostic::error(file, lines.line_at(start), 1, format!("cannot read this row: {error}"))
}

/// A chunk of a file's text and whether it is the last.
pub(crate) type Chunk<'t> = (Cow<'t, [u8]>, bool);

/// A chunk parsed by a worker: its text, whether it is the last, and its rows.
type Done<'t, T> = (Cow<'t, [u8]>, bool, Parsed<T>);

/// What a worker thread makes of each data row (see [`Table::read_rows`]).
pub(crate) type Parse<'p, T> = dyn Fn(&Table, &Row, &mut Vec<Diagnostic>) -> T + Sync + 'p;

/// What takes each data row, in file order, with what [`Parse`] made of it.
pub(crate) type Fold<'f, T> = dyn FnMut(&Table, &Row, T, &mut Vec<Diagnostic>) + 'f;

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
    /// Where the rows' problems start in `problems`, and those counted, not kept.
    first_problem: usize,
    pub(crate) unlisted: Unlisted,
}

impl<'a> Folding<'a> {
    /// Starts folding the rows of `cx`'s table, the first on `line`.
    pub(crate) fn new(cx: Context<'a>, line: usize, problems: &'a mut Vec<Diagnostic>) -> Self {
        let matched = vec![false; cx.table.recoding_flags().len()];
        let first_problem = problems.len();
        let state = FoldState {
            line,
            problems,
            matched,
            stopped: false,
            carry: None,
            first_problem,
            unlisted: Unlisted::default(),
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
        let (text, last) = first;
        let parsed = parse_chunk(cx, &text, last, parse);
        state.take(cx, &text, last, parsed, parse, fold);
        if last || state.stopped {
            return Ok(());
        }
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        std::thread::scope(|scope| -> io::Result<()> {
            let mut lanes: Vec<(mpsc::SyncSender<Chunk<'t>>, mpsc::Receiver<Done<'t, T>>)> = Vec::new();
            for _ in 0..workers {
                let (jobs, inbox) = mpsc::sync_channel::<Chunk<'t>>(2);
                let (outbox, results) = mpsc::sync_channel::<Done<'t, T>>(2);
                let work = move || {
                    for (text, last) in inbox {
                        let parsed = parse_chunk(cx, &text, last, parse);
                        if outbox.send((text, last, parsed)).is_err() {
                            break;
                        }
                    }
                };
                std::thread::Builder::new().name("rows".into()).spawn_scoped(scope, work)?;
                lanes.push((jobs, results));
            }
            // Chunks go to the workers in turn, and their results are taken in the same turn:
            // at most two chunks wait per worker, so memory stays bounded.
            let mut pending: VecDeque<usize> = VecDeque::new();
            let mut lane = 0;
            let mut more = true;
            loop {
                while pending.len() > workers || (!more && !pending.is_empty()) {
                    let Some(k) = pending.pop_front() else { break };
                    let Ok((text, last, parsed)) = lanes[k].1.recv() else { return Ok(()) };
                    state.take(cx, &text, last, parsed, parse, fold);
                    if state.stopped {
                        return Ok(());
                    }
                }
                if !more {
                    return Ok(());
                }
                let Some((text, last)) = next()? else {
                    more = false;
                    continue;
                };
                more = !last;
                if lanes[lane].0.send((text, last)).is_err() {
                    return Ok(());
                }
                pending.push_back(lane);
                lane = (lane + 1) % workers;
            }
        })
    }
}

impl FoldState<'_> {
    /// Folds the rows of the next chunk in file order, `text`, which a worker parsed as
    /// `parsed`: unless a row is carried into it, then `text` is parsed again with it, once the
    /// carried row ends (or the file does).
    fn take<T>(
        &mut self,
        cx: &Context,
        text: &[u8],
        last: bool,
        parsed: Parsed<T>,
        parse: &Parse<T>,
        fold: &mut Fold<T>,
    ) {
        let Some((mut carried, state, line)) = self.carry.take() else {
            self.fold(cx, text, parsed, fold);
            return;
        };
        let state = state.after(text, cx.delimiter);
        carried.extend_from_slice(text);
        if state != Quote::FieldStart && !last {
            self.carry = Some((carried, state, line));
            return;
        }
        self.line = line;
        let parsed = parse_chunk(cx, &carried, last, parse);
        self.fold(cx, &carried, parsed, fold);
    }

    /// Hands the rows of a parsed chunk, `text`, to `fold`, with their problems, lines counted
    /// from the file's start.
    fn fold<T>(&mut self, cx: &Context, text: &[u8], parsed: Parsed<T>, fold: &mut Fold<T>) {
        let shift = self.line - 1;
        let shifted = |mut d: Diagnostic| {
            if d.line > 0 {
                d.line += shift;
            }
            d
        };
        let Parsed { fields, bounds, rows, problems, matched, breaks, carry, stopped } = parsed;
        let mut problems = problems.into_iter();
        let mut taken = 0;
        for span in rows {
            let first = self.problems.len();
            self.problems.extend(problems.by_ref().take(span.problems - taken).map(shifted));
            taken = span.problems;
            let line = span.line + shift;
            let raw = Raw { text: &text[span.raw], line, delimiter: cx.delimiter, headers: cx.headers, sheet: None };
            let fields = Fields::Kept { text: &fields, bounds: &bounds[span.bounds..=span.bounds + span.fields] };
            let row = Row { line, fields, raw, kinds: &[], broken: span.broken, matched: &matched };
            let before = self.problems.len();
            fold(cx.table, &row, span.value, self.problems);
            raw.resolve(cx.file, &mut self.problems[before..]);
            self.unlisted.limit(self.problems, first.max(self.first_problem));
        }
        let first = self.problems.len();
        self.problems.extend(problems.map(shifted));
        self.unlisted.limit(self.problems, first.max(self.first_problem));
        for (seen, flag) in self.matched.iter_mut().zip(&matched) {
            *seen |= flag.get();
        }
        self.stopped |= stopped;
        match carry {
            Some((start, line, state)) => self.carry = Some((text[start..].to_vec(), state, line + shift)),
            None => self.line += breaks,
        }
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
}

//! Problems found in a report's input, with where they are, and the one place that prints them
//! (as text with the source line and a caret, or as JSON).

use std::io;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::term::termcolor::WriteColor;
use codespan_reporting::term::{self, Config};
use serde::Serialize;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot go on (exit 1).
    Error,
    /// The build goes on; the user should look.
    Warning,
}

/// One problem in one input file, at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the report folder (`incidents.csv`); empty when no file is to blame.
    pub file: String,
    /// 1-based line, or 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters of the decoded line, where the cell or value starts (0 when
    /// unknown).
    pub column: usize,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// What to do about it, when we can say.
    pub hint: Option<String>,
    /// For a table cell: the 1-based position of its field in the row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<usize>,
    /// For a table cell: its column's header as the file writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// For a workbook: the sheet's name (then `line` is the sheet's row number and `column` the
    /// column's number, A = 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// For a workbook cell: its reference as the spreadsheet shows it (`J5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// The source line to show under the message, with the part to underline.
    #[serde(skip)]
    pub snippet: Option<Snippet>,
    /// How many problems this one stands for: 1, or the number counted and not kept past
    /// [`KEPT_PROBLEMS`] (see [`Unlisted`]), so a closing line counts every error.
    #[serde(skip)]
    pub stands_for: usize,
}

/// A line of an input file as decoded, and the byte range of it that a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The line's text, without its line end.
    pub text: String,
    /// The bytes of `text` to underline (may be empty: a caret after the end).
    pub span: std::ops::Range<usize>,
}

impl Snippet {
    /// The line of `text` that byte `range.start` is on, with the part of `range` on that line
    /// underlined; an empty range underlines the one character at its start.
    pub fn of(text: &str, range: std::ops::Range<usize>) -> Snippet {
        let mut start = range.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[line_start..line_end].trim_end_matches('\r');
        let start = (start - line_start).min(line.len());
        let mut end = range.end.saturating_sub(line_start).clamp(start, line.len());
        if end == start {
            end += line[start..].chars().next().map_or(0, char::len_utf8);
        }
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        Snippet { text: line.to_string(), span: start..end }
    }
}

/// Where a problem is: the place the reader knows when it hands out a value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    /// 1-based line.
    pub line: usize,
    /// 1-based character column in the decoded line.
    pub column: usize,
    /// For a table cell: its 1-based field number.
    pub field: Option<usize>,
    /// For a table cell: its column's header as written.
    pub header: Option<String>,
    /// The line itself, with the cell's span.
    pub snippet: Option<Snippet>,
    /// For a workbook: the sheet (then `line` is the row number and `column` the column's).
    pub sheet: Option<String>,
}

impl Place {
    /// For a workbook cell: its reference (`J5`), from its row (`line`) and column (`field`).
    pub fn cell(&self) -> Option<String> {
        let field = self.field.filter(|_| self.sheet.is_some() && self.line > 0)?;
        Some(format!("{}{}", column_letters(field), self.line))
    }
}

impl Diagnostic {
    /// An error at `file:line:column`.
    pub fn error(file: impl Into<String>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line,
            column,
            message: message.into(),
            hint: None,
            field: None,
            header: None,
            sheet: None,
            cell: None,
            snippet: None,
            stands_for: 1,
        }
    }

    /// A warning at `file:line:column`.
    pub fn warning(file: impl Into<String>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(file, line, column, message) }
    }

    /// An error about the table cell in field `field` of `line`, made where the row's text is not
    /// at hand: the reader that handed out the row fills in its column, header and source line
    /// when the problem is added to the row's problems.
    pub fn cell_error(file: impl Into<String>, line: usize, field: usize, message: impl Into<String>) -> Self {
        Self { field: Some(field), ..Self::error(file, line, 0, message) }
    }

    /// A warning about a table cell, as [`Diagnostic::cell_error`].
    pub fn cell_warning(file: impl Into<String>, line: usize, field: usize, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::cell_error(file, line, field, message) }
    }

    /// An error at a place the reader gave.
    pub fn error_at(file: impl Into<String>, place: Place, message: impl Into<String>) -> Self {
        let cell = place.cell();
        let Place { line, column, field, header, snippet, sheet } = place;
        Self { field, header, snippet, sheet, cell, ..Self::error(file, line, column, message) }
    }

    /// A warning at a place the reader gave.
    pub fn warning_at(file: impl Into<String>, place: Place, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error_at(file, place, message) }
    }

    /// The same problem showing its line of `text` (the whole file it points into) under it,
    /// with a caret at its column.
    #[must_use]
    pub fn in_text(mut self, text: &str) -> Self {
        if self.line == 0 || self.snippet.is_some() {
            return self;
        }
        let line_start = match self.line {
            1 => Some(0),
            n => text.match_indices('\n').nth(n - 2).map(|(i, _)| i + 1),
        };
        let Some(line_start) = line_start else { return self };
        let line = &text[line_start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let start: usize = line.chars().take(self.column.saturating_sub(1)).map(char::len_utf8).sum();
        self.snippet = Some(Snippet::of(text, line_start + start..line_start + start));
        self
    }

    /// The same problem moved to `place` (its message, severity and hint kept).
    pub fn set_place(&mut self, place: Place) {
        let cell = place.cell();
        let Place { line, column, field, header, snippet, sheet } = place;
        (self.line, self.column, self.field, self.header, self.snippet, self.sheet, self.cell) =
            (line, column, field, header, snippet, sheet, cell);
    }

    /// The same problem with a hint line.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this problem stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// One line of a file, for codespan: it shows the line under its real number without holding
/// (or copying) the whole file for every problem.
struct Excerpt<'a> {
    name: &'a str,
    line: &'a str,
    number: usize,
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpt<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.line)
    }

    fn line_index(&'a self, (): (), _byte: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.number - 1)
    }

    fn line_range(&'a self, (): (), index: usize) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        if index == self.number - 1 { Ok(0..self.line.len()) } else { Ok(self.line.len()..self.line.len()) }
    }
}

/// Sorts problems: errors first, then by file and position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.severity, &a.file, &a.sheet, a.line, a.column).cmp(&(b.severity, &b.file, &b.sheet, b.line, b.column))
    });
}

/// Prints problems with their source line and a caret (under the cell, naming its column) where
/// the reader gave the line, else with their place as a note.
pub fn emit(out: &mut dyn WriteColor, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let config = Config::default();
    for d in diagnostics {
        let mut report = match d.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_message(&d.message);
        let shown = d
            .snippet
            .as_ref()
            .filter(|s| s.text.len() <= LONGEST_SHOWN_LINE && !s.text.chars().any(|c| c.is_control() && c != '\t'));
        if let Some(snippet) = shown {
            let excerpt = Excerpt { name: &d.file, line: &snippet.text, number: d.line };
            let end = snippet.span.end.min(snippet.text.len());
            let mut label = Label::primary((), snippet.span.start.min(end)..end);
            if let Some(field) = d.field {
                label = label.with_message(column_label(field, d.header.as_deref()));
            }
            report = report.with_labels(vec![label]);
            if let Some(hint) = &d.hint {
                report.notes.push(format!("hint: {hint}"));
            }
            term::emit(out, &config, &excerpt, &report).map_err(io::Error::other)?;
            continue;
        }
        if let Some(sheet) = &d.sheet {
            report = report.with_notes(vec![format!("in {}", sheet_location(d, sheet))]);
        } else if !d.file.is_empty() {
            let mut location = if d.line > 0 { format!("{}:{}:{}", d.file, d.line, d.column) } else { d.file.clone() };
            if let Some(field) = d.field {
                location = format!("{location} ({})", column_label(field, d.header.as_deref()));
            }
            report = report.with_notes(vec![format!("in {location}")]);
        }
        if let Some(hint) = &d.hint {
            report.notes.push(format!("hint: {hint}"));
        }
        let nothing = Excerpt { name: &d.file, line: "", number: 1 };
        term::emit(out, &config, &nothing, &report).map_err(io::Error::other)?;
    }
    Ok(())
}

/// Where a problem in a workbook is, as a spreadsheet user finds it: `book.xlsx, sheet «Инциденты»,
/// J5 (`detained`)`, or the row, or just the sheet.
fn sheet_location(d: &Diagnostic, sheet: &str) -> String {
    let at = format!("{}, sheet «{sheet}»", d.file);
    match (&d.cell, d.header.as_deref().filter(|h| !h.is_empty())) {
        (Some(cell), Some(header)) => format!("{at}, {cell} (`{}`)", excerpt(header)),
        (Some(cell), None) => format!("{at}, {cell}"),
        (None, _) if d.line > 0 => format!("{at}, row {}", d.line),
        (None, _) => at,
    }
}

/// How a message names a table column: its spreadsheet letter and its header ("column J,
/// `detained`").
pub fn column_label(field: usize, header: Option<&str>) -> String {
    match header.filter(|h| !h.is_empty()) {
        Some(h) => format!("column {}, `{}`", column_letters(field), excerpt(h)),
        None => format!("column {}", column_letters(field)),
    }
}

/// A 1-based column number as a spreadsheet names it: 1 → A, 26 → Z, 27 → AA.
pub fn column_letters(mut field: usize) -> String {
    let mut letters = Vec::new();
    while field > 0 {
        let rest = (field - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        field = (field - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Problems as the JSON `check --format json` prints: `{"diagnostics": [...]}`.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    /// The document `check --format json` prints.
    #[derive(Serialize)]
    struct Document<'a> {
        diagnostics: &'a [Diagnostic],
    }
    serde_json::to_string_pretty(&Document { diagnostics }).expect("diagnostics are plain data")
}

/// A value as a message quotes it: control characters escaped (a NUL byte shows as `\u{0}`) and
/// cut to [`EXCERPT`] characters, so a message stays one readable line whatever the input holds.
pub fn excerpt(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == EXCERPT {
            out.push('…');
            break;
        }
        if c.is_control() || is_invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that change nothing a reader sees (soft hyphen, zero-width and direction marks, a
/// byte-order mark): a message escapes them, so `2012-02-25\u{200b}` shows why it is refused.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// How many problems are printed at most; the rest are counted (errors come first).
pub const SHOWN_PROBLEMS: usize = 50;

/// How many errors, and how many warnings, one list of per-row problems keeps (a file's rows;
/// its incidents outside the period): past these they are counted, not kept, so a million rows
/// with the same slip take the memory of a thousand, and the count is said in one more problem
/// ([`Unlisted`]).
pub const KEPT_PROBLEMS: usize = 1_000;

/// Problems counted, not kept, past [`KEPT_PROBLEMS`] of their severity.
#[derive(Debug, Default, Clone, Copy)]
pub struct Unlisted {
    /// Errors kept so far, and counted past the limit.
    kept_errors: usize,
    errors: usize,
    /// Warnings kept so far, and counted past the limit.
    kept_warnings: usize,
    warnings: usize,
}

impl Unlisted {
    /// Keeps the problems of `problems[from..]` up to [`KEPT_PROBLEMS`] of each severity (with
    /// those kept before) and counts the rest, removing them.
    pub fn limit(&mut self, problems: &mut Vec<Diagnostic>, from: usize) {
        let mut kept = from;
        for i in from..problems.len() {
            let (seen, over) = if problems[i].is_error() {
                (&mut self.kept_errors, &mut self.errors)
            } else {
                (&mut self.kept_warnings, &mut self.warnings)
            };
            if *seen < KEPT_PROBLEMS {
                *seen += 1;
                problems.swap(kept, i);
                kept += 1;
            } else {
                *over += 1;
            }
        }
        problems.truncate(kept);
    }

    /// Adds `problem` to `problems`, or counts it when its severity has [`KEPT_PROBLEMS`] kept.
    pub fn push(&mut self, problems: &mut Vec<Diagnostic>, problem: Diagnostic) {
        let at = problems.len();
        problems.push(problem);
        self.limit(problems, at);
    }

    /// Counts `n` more warnings as not kept (the caller did not even make them).
    pub fn skip_warnings(&mut self, n: usize) {
        self.warnings += n;
    }

    /// One problem for each severity with problems not kept: how many there are, and `what`
    /// (`rows of incidents.csv`) they are about.
    pub fn finish(self, file: &str, what: &str) -> Vec<Diagnostic> {
        let mut said = Vec::new();
        if self.errors > 0 {
            let message = format!("{} more errors in the {what} are not listed", self.errors);
            let hint = format!("the first {KEPT_PROBLEMS} are; fix those, and check again");
            said.push(Diagnostic { stands_for: self.errors, ..Diagnostic::error(file, 0, 0, message).with_hint(hint) });
        }
        if self.warnings > 0 {
            let message = format!("{} more warnings about the {what} are not listed", self.warnings);
            let hint = format!("the first {KEPT_PROBLEMS} are");
            said.push(Diagnostic {
                stands_for: self.warnings,
                ..Diagnostic::warning(file, 0, 0, message).with_hint(hint)
            });
        }
        said
    }
}

/// How many characters of a value a message quotes.
pub const EXCERPT: usize = 60;

/// Lines longer than this are not shown under a message (a 10 MB cell would flood the terminal).
const LONGEST_SHOWN_LINE: usize = 2000;

/// The closest of `candidates` to a misspelt `word`, if one is close enough to suggest.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The one of `candidates` that `word` is a slip of: one edit away (a letter wrong, missing,
/// added, or two swapped: `detianed`, `ralley`), two in words of nine letters or more. Unlike
/// [`did_you_mean`], a shorter or longer word is never proposed (`pol` is not `police`): a hint
/// for a header or a value must not change its meaning.
pub fn typo_of<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    let most = match length {
        0..=4 => return None,
        5..=8 => 1,
        _ => 2,
    };
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(distance, c)| *distance <= most && c.chars().count().abs_diff(length) <= 1)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", suggests the closest known key.
pub fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match did_you_mean(unknown, candidates.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!("known keys here: `{}`", candidates.join("`, `"))),
    }
}

/// The 1-based line and column (in characters) where the value of the key at `path` starts in
/// the TOML `text` (`["audiences", "press-en", "template"]`), if the text has that key.
pub fn toml_value_place(text: &str, path: &[&str]) -> Option<(usize, usize)> {
    let document = toml_edit::ImDocument::parse(text).ok()?;
    let mut item = document.as_item();
    for key in path {
        item = item.get(key)?;
    }
    // A dotted key (`stated.detained = …`) makes a table without a place of its own: its first
    // value's place stands for it.
    let span = item.span().or_else(|| item.as_table_like()?.iter().find_map(|(_, value)| value.span()))?;
    Some(line_column(text, span.start))
}

/// The 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use codespan_reporting::term::termcolor::NoColor;

    use super::*;

    #[test]
    fn a_cell_is_shown_with_its_line_and_a_caret_under_it_naming_the_column() {
        let snippet = Snippet { text: "r1;12a".into(), span: 3..6 };
        let place = Place {
            line: 2,
            column: 4,
            field: Some(2),
            header: Some("Задержано".into()),
            snippet: Some(snippet),
            sheet: None,
        };
        let problems = vec![Diagnostic::error_at("t.csv", place, "`detained`: `12a` is not a count")];
        let mut out = NoColor::new(Vec::new());
        emit(&mut out, &problems).unwrap();
        let text = String::from_utf8(out.into_inner()).unwrap();
        assert!(text.contains("t.csv:2:4"), "{text}");
        assert!(text.contains("2 │ r1;12a\n  │    ^^^ column B, `Задержано`"), "{text}");
    }

    #[test]
    fn a_value_in_a_text_is_shown_with_a_caret_at_its_column() {
        let d = Diagnostic::error("report.toml", 2, 9, "bad").in_text("a = 1\ntitle = \"x\"\n");
        assert_eq!(d.snippet, Some(Snippet { text: "title = \"x\"".into(), span: 8..9 }));
    }

    #[test]
    fn spreadsheet_columns_are_lettered() {
        assert_eq!([1, 10, 26, 27, 52, 703].map(column_letters), ["A", "J", "Z", "AA", "AZ", "AAA"]);
    }

    #[test]
    fn json_has_the_documented_fields() {
        let json = to_json(&[Diagnostic::error("a.csv", 3, 4, "bad").with_hint("fix")]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value["diagnostics"][0],
            serde_json::json!({"severity": "error", "file": "a.csv", "line": 3, "column": 4, "message": "bad", "hint": "fix"})
        );
        let place =
            Place {
                line: 3, column: 4, field: Some(2), header: Some("Задержано".into()), snippet: None, sheet: None
            };
        let json = to_json(&[Diagnostic::error_at("a.csv", place, "bad")]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (&value["diagnostics"][0]["field"], &value["diagnostics"][0]["header"]),
            (&serde_json::json!(2), &serde_json::json!("Задержано"))
        );
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("detaned", ["detained", "fined", "date"]), Some("detained"));
        assert_eq!(did_you_mean("zzz", ["detained", "fined"]), None);
    }

    #[test]
    fn a_slip_is_one_edit_never_another_word() {
        assert_eq!(typo_of("detianed", ["detained", "date"]), Some("detained"));
        assert_eq!(typo_of("ralley", ["rally", "raid"]), Some("rally"));
        assert_eq!(typo_of("pol", ["police"]), None);
        assert_eq!(typo_of("police brutality", ["police"]), None);
        assert_eq!(typo_of("date", ["date_end"]), None);
        assert_eq!(typo_of("riots", ["rally", "raid"]), None);
        assert_eq!(typo_of("participantss", ["participants"]), Some("participants"));
    }
}

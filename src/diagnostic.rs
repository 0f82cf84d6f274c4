//! Problems found in a report's input, with where they are, and the one place that prints them
//! (as text with the source line and a caret, or as JSON).

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::Path;

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
    /// 1-based column in characters (0 when unknown). For a CSV cell it is filled in from
    /// [`Diagnostic::field`] by [`resolve`].
    pub column: usize,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// What to do about it, when we can say.
    pub hint: Option<String>,
    /// For a CSV cell: the 1-based position of its field in the row.
    #[serde(skip)]
    pub field: Option<usize>,
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
        }
    }

    /// A warning at `file:line:column`.
    pub fn warning(file: impl Into<String>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(file, line, column, message) }
    }

    /// An error about the CSV cell in field `field` of `line`.
    pub fn cell_error(file: impl Into<String>, line: usize, field: usize, message: impl Into<String>) -> Self {
        Self { field: Some(field), ..Self::error(file, line, 0, message) }
    }

    /// A warning about the CSV cell in field `field` of `line`.
    pub fn cell_warning(file: impl Into<String>, line: usize, field: usize, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::cell_error(file, line, field, message) }
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

impl fmt::Display for Diagnostic {
    /// One line, `file:line:column: error: message`, then `  = hint: …` when there is a hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match (self.file.is_empty(), self.line) {
            (true, _) => {}
            (false, 0) => write!(f, "{}: ", self.file)?,
            (false, line) => write!(f, "{}:{}:{}: ", self.file, line, self.column)?,
        }
        write!(f, "{severity}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// The text of the files diagnostics point into, read once each (only to show problems).
#[derive(Default)]
pub struct Sources {
    /// File name → its text and where each line starts, or `None` if it cannot be read as text.
    texts: HashMap<String, Option<(String, Vec<usize>)>>,
}

impl Sources {
    /// Line `number` (1-based) of `file` in the report folder `root`, without its line end.
    fn line(&mut self, root: &Path, file: &str, number: usize) -> Option<&str> {
        let (text, starts) = self
            .texts
            .entry(file.to_string())
            .or_insert_with(|| {
                let bytes = fs::read(root.join(file)).ok()?;
                let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").map(<[u8]>::to_vec).unwrap_or(bytes);
                let text = String::from_utf8(bytes).ok()?;
                let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
                Some((text, starts))
            })
            .as_ref()?;
        let start = *starts.get(number.checked_sub(1)?)?;
        let end = starts.get(number).map_or(text.len(), |next| next - 1);
        Some(text[start..end].trim_end_matches('\r'))
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

/// Sorts problems (errors first, then by file and position) and fills in the character column of
/// CSV cells from the files in `root`.
pub fn resolve(root: &Path, diagnostics: &mut [Diagnostic], sources: &mut Sources) {
    for d in diagnostics.iter_mut() {
        let Some(field) = d.field else { continue };
        let line = sources.line(root, &d.file, d.line);
        let column = line.and_then(|l| field_range(l, field).map(|(start, _)| l[..start].chars().count() + 1));
        d.column = column.unwrap_or(1);
    }
    diagnostics.sort_by(|a, b| (a.severity, &a.file, a.line, a.column).cmp(&(b.severity, &b.file, b.line, b.column)));
}

/// The byte range of the 1-based field `field` in a CSV line (quotes respected).
pub fn field_range(line: &str, field: usize) -> Option<(usize, usize)> {
    let mut index = 1;
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if index == field {
                    return Some((start, i));
                }
                index += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    (index == field).then_some((start, line.trim_end_matches('\r').len()))
}

/// Prints problems (after [`resolve`]) with the source line and a caret where the file can be read.
pub fn emit(
    out: &mut dyn WriteColor,
    root: &Path,
    diagnostics: &[Diagnostic],
    sources: &mut Sources,
) -> io::Result<()> {
    let config = Config::default();
    for d in diagnostics {
        let mut report = match d.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_message(&d.message);
        let line = (d.line > 0).then(|| sources.line(root, &d.file, d.line)).flatten();
        let excerpt = line.map(|line| Excerpt { name: &d.file, line, number: d.line });
        match excerpt.as_ref().and_then(|e| span(e.line, d).map(|range| (e, range))) {
            Some((excerpt, range)) => {
                report = report.with_labels(vec![Label::primary((), range)]);
                if let Some(hint) = &d.hint {
                    report.notes.push(format!("hint: {hint}"));
                }
                term::emit(out, &config, excerpt, &report).map_err(io::Error::other)?;
                continue;
            }
            None if !d.file.is_empty() => {
                let location = if d.line > 0 { format!("{}:{}:{}", d.file, d.line, d.column) } else { d.file.clone() };
                report = report.with_notes(vec![format!("in {location}")]);
            }
            None => {}
        }
        if let Some(hint) = &d.hint {
            report.notes.push(format!("hint: {hint}"));
        }
        let nothing = Excerpt { name: &d.file, line: "", number: 1 };
        term::emit(out, &config, &nothing, &report).map_err(io::Error::other)?;
    }
    Ok(())
}

/// The byte range of `line` a diagnostic's caret covers: the CSV cell, or the character at its column.
fn span(line: &str, d: &Diagnostic) -> Option<std::ops::Range<usize>> {
    let line_start = 0;
    if line.len() > LONGEST_SHOWN_LINE || line.chars().any(|c| c.is_control() && c != '\t') {
        return None;
    }
    if let Some(field) = d.field {
        let (start, end) = field_range(line, field)?;
        return Some(line_start + start..line_start + end.max(start));
    }
    let offset: usize = line.chars().take(d.column.saturating_sub(1)).map(char::len_utf8).sum();
    let width = line[offset..].chars().next().map_or(0, char::len_utf8);
    Some(line_start + offset..line_start + offset + width)
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
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// How many problems are printed at most; the rest are counted (errors come first).
pub const SHOWN_PROBLEMS: usize = 50;

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
    fn prints_file_line_column_and_hint_on_one_line() {
        let d = Diagnostic::error("incidents.csv", 3, 10, "`detained`: `12a` is not a count").with_hint("write 28");
        assert_eq!(d.to_string(), "incidents.csv:3:10: error: `detained`: `12a` is not a count\n  = hint: write 28");
        assert_eq!(Diagnostic::warning("a.csv", 0, 0, "x").to_string(), "a.csv: warning: x");
    }

    #[test]
    fn csv_fields_are_found_past_quoted_commas() {
        let line = "a,\"b, c\",Алматы,,z";
        assert_eq!(field_range(line, 2), Some((2, 8)));
        assert_eq!(&line[field_range(line, 3).unwrap().0..field_range(line, 3).unwrap().1], "Алматы");
        assert_eq!(field_range(line, 4), Some((22, 22)));
        assert_eq!(field_range(line, 5), Some((23, 24)));
        assert_eq!(field_range(line, 6), None);
    }

    #[test]
    fn a_cell_is_shown_with_its_line_and_a_caret_under_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("t.csv"), "id,detained\nr1,12a\n").unwrap();
        let mut problems = vec![Diagnostic::cell_error("t.csv", 2, 2, "`detained`: `12a` is not a count")];
        let mut sources = Sources::default();
        resolve(dir.path(), &mut problems, &mut sources);
        assert_eq!(problems[0].column, 4);
        let mut out = NoColor::new(Vec::new());
        emit(&mut out, dir.path(), &problems, &mut sources).unwrap();
        let text = String::from_utf8(out.into_inner()).unwrap();
        assert!(text.contains("t.csv:2:4"), "{text}");
        assert!(text.contains("2 │ r1,12a\n  │    ^^^"), "{text}");
    }

    #[test]
    fn json_has_the_documented_fields() {
        let json = to_json(&[Diagnostic::error("a.csv", 3, 4, "bad").with_hint("fix")]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value["diagnostics"][0],
            serde_json::json!({"severity": "error", "file": "a.csv", "line": 3, "column": 4, "message": "bad", "hint": "fix"})
        );
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("detaned", ["detained", "fined", "date"]), Some("detained"));
        assert_eq!(did_you_mean("zzz", ["detained", "fined"]), None);
    }
}

//! Problems found in a report's input, with where they are, and the one place that prints them.

use std::fmt;
use std::io::{self, Write};

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
    /// 1-based column (for CSV: the field's position in the row, as a spreadsheet counts columns).
    pub column: usize,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// What to do about it, when we can say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `file:line:column`.
    pub fn error(file: impl Into<String>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, file: file.into(), line, column, message: message.into(), hint: None }
    }

    /// A warning at `file:line:column`.
    pub fn warning(file: impl Into<String>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(file, line, column, message) }
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
    /// `file:line:column: error: message`, then `  = hint: …` when there is a hint.
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

/// Prints problems, errors first then warnings, each in file order, to `out`.
pub fn emit(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by(|a, b| (a.severity, &a.file, a.line, a.column).cmp(&(b.severity, &b.file, b.line, b.column)));
    for d in sorted {
        writeln!(out, "{d}")?;
    }
    Ok(())
}

/// The closest of `candidates` to a misspelt `word`, if one is close enough to suggest.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_file_line_column_and_hint() {
        let d = Diagnostic::error("incidents.csv", 3, 10, "`detained`: `12a` is not a count")
            .with_hint("write 28, ~1000, >5000, <1000 or 200-2000");
        assert_eq!(
            d.to_string(),
            "incidents.csv:3:10: error: `detained`: `12a` is not a count\n  = hint: write 28, ~1000, >5000, <1000 or 200-2000"
        );
        assert_eq!(Diagnostic::warning("a.csv", 0, 0, "x").to_string(), "a.csv: warning: x");
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("detaned", ["detained", "fined", "date"]), Some("detained"));
        assert_eq!(did_you_mean("zzz", ["detained", "fined"]), None);
    }
}

//! A table's cells recoded as `report.toml` says: a file's own values mapped to ours (`values`),
//! its "not stated" markers read as blank (`unknown`), and a value for every row of a column the
//! file lacks (`fixed`). A recoded cell keeps what the file writes, so that a message about it
//! quotes the cell as written, at its place.

use std::cell::Cell as Flag;
use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::input::source::{Source, match_key};

/// The file `report.toml` (named here so that this early stage need not import the config).
const SETTINGS: &str = "report.toml";

/// Where a cell's text, as the reader reads it, comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin<'a> {
    /// The cell as the file writes it.
    Written,
    /// `report.toml` `values` recodes what the file writes (this text).
    Recoded(&'a str),
    /// What the file writes (this text) is one of its "not stated" markers (`unknown`): blank.
    NotStated(&'a str),
    /// The file lacks the column: `report.toml` `fixed` gives every row this value.
    Fixed,
    /// The column's `values` are a codebook (every key a whole number, `"3" = "100-999"`) and
    /// this cell, as written, is none of its codes: read as a number it would be a wrong figure.
    NotACode,
}

/// One `values` key of one of our columns.
#[derive(Debug)]
struct Entry {
    /// The key as `report.toml` writes it.
    key: String,
    /// Our value it stands for.
    target: String,
    /// Its position among all keys of the table: which flag says it matched a cell.
    flag: usize,
}

/// The recodings of one of our columns.
#[derive(Debug)]
struct Column {
    /// Our name of the column.
    name: &'static str,
    /// [`match_key`] of each key → its entry.
    keys: HashMap<String, usize>,
    /// The entries, in `report.toml`'s (sorted) order.
    entries: Vec<Entry>,
    /// Every key is a whole number: a codebook, which every cell must be in.
    codebook: bool,
}

/// How a table's cells are recoded, for the columns a table may have.
#[derive(Debug, Default)]
pub struct Recoding {
    /// Our columns with `values`.
    columns: Vec<Column>,
    /// The "not stated" markers, as [`match_key`] makes them.
    unknown: Vec<String>,
    /// The longest marker, in bytes: a longer cell is none of them (most cells need no look).
    longest: usize,
    /// Our columns with a fixed value, and the value.
    fixed: Vec<(&'static str, String)>,
    /// How many `values` keys there are, over all columns.
    keys: usize,
    /// No column has `values` and there is no marker: every cell is read as written.
    inert: bool,
}

/// Which `values` keys of a table's [`Recoding`] matched a cell: one flag per key. Rows read on
/// several threads each mark their own chunk's flags, which the reader merges in file order, so
/// a chunk read in vain (its start was inside a quoted cell) leaves no mark.
pub type Matched = [Flag<bool>];

impl Recoding {
    /// The recodings `source` gives for `names`, the columns a table may have (others were
    /// refused when `report.toml` was read).
    pub fn new<'n>(source: &Source, names: impl IntoIterator<Item = &'n &'static str>) -> Self {
        let unknown: Vec<String> = source.unknown.iter().map(|m| match_key(m)).collect();
        // Lowercase letters may take other bytes than capitals (`İ` is 2 bytes, `i̇` 3).
        let longest = unknown.iter().map(|m| m.len() * 3).max().unwrap_or(0);
        let mut recoding = Recoding { unknown, longest, ..Self::default() };
        for &name in names {
            if let Some(map) = source.values.get(name) {
                let first = recoding.keys;
                let entries: Vec<Entry> = map
                    .iter()
                    .enumerate()
                    .map(|(i, (key, target))| Entry {
                        key: key.clone(),
                        target: target.trim().to_string(),
                        flag: first + i,
                    })
                    .collect();
                recoding.keys += entries.len();
                let keys = entries.iter().enumerate().map(|(i, e)| (match_key(&e.key), i)).collect();
                // An empty table (`columns --write` leaves one with only commented proposals)
                // recodes nothing and is no codebook: its cells are read as written.
                let codebook = !entries.is_empty()
                    && entries.iter().all(|e| {
                        let key = e.key.trim();
                        !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
                    });
                recoding.columns.push(Column { name, keys, entries, codebook });
            }
            if let Some(value) = source.fixed.get(name) {
                recoding.fixed.push((name, value.trim().to_string()));
            }
        }
        recoding.inert = recoding.columns.is_empty() && recoding.unknown.is_empty();
        recoding
    }

    /// A flag for each `values` key, none set: what [`Recoding::cell`] marks.
    pub fn flags(&self) -> Vec<Flag<bool>> {
        (0..self.keys).map(|_| Flag::new(false)).collect()
    }

    /// Whether every cell reads as written: `report.toml` recodes no value of the table.
    pub fn is_inert(&self) -> bool {
        self.inert
    }

    /// The text the reader reads for a cell of our column `name` that the file writes `written`
    /// (trimmed), and where it comes from; a key it matches is marked in `matched`.
    #[inline]
    pub fn cell<'a>(&'a self, name: &str, written: &'a str, matched: &Matched) -> (&'a str, Origin<'a>) {
        // Most tables recode nothing: this runs for every cell, so it is kept small enough to
        // be inlined, and the lookups are a call of their own.
        if self.inert || written.is_empty() {
            return (written, Origin::Written);
        }
        self.recoded(name, written, matched)
    }

    /// [`Recoding::cell`] for a cell that may be recoded: not blank, in a table that recodes.
    fn recoded<'a>(&'a self, name: &str, written: &'a str, matched: &Matched) -> (&'a str, Origin<'a>) {
        let column = self.columns.iter().find(|c| c.name == name);
        if column.is_none() && written.len() > self.longest {
            return (written, Origin::Written);
        }
        let key = match_key(written);
        if let Some(column) = column
            && let Some(&i) = column.keys.get(&key)
        {
            let entry = &column.entries[i];
            if let Some(flag) = matched.get(entry.flag) {
                flag.set(true);
            }
            return (&entry.target, Origin::Recoded(written));
        }
        if self.unknown.contains(&key) {
            return ("", Origin::NotStated(written));
        }
        if column.is_some_and(|c| c.codebook) {
            return (written, Origin::NotACode);
        }
        (written, Origin::Written)
    }

    /// The fixed value of our column `name`, if `report.toml` gives one.
    pub fn fixed(&self, name: &str) -> Option<&str> {
        self.fixed.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// A warning at each `values` key that matched no cell of `file` (likely a typo: `matched`
    /// says which did), or one for the column when the file does not have it (`present` says
    /// which of our columns it has).
    pub fn unmatched(
        &self,
        file: &str,
        source: &Source,
        present: impl Fn(&str) -> bool,
        matched: &[bool],
    ) -> Vec<Diagnostic> {
        let place = |name: &str, key: &str| source.value_places.get(&(name.to_string(), key.to_string())).copied();
        let mut warnings = Vec::new();
        for column in &self.columns {
            if !present(column.name) {
                let (line, col) = column.entries.first().and_then(|e| place(column.name, &e.key)).unwrap_or((0, 0));
                warnings.push(
                    Diagnostic::warning(
                        SETTINGS,
                        line,
                        col,
                        format!("`values.{}` recodes a column `{file}` does not have", column.name),
                    )
                    .with_hint(format!("map the file's header to `{}` in [data] `columns`", column.name)),
                );
                continue;
            }
            for entry in column.entries.iter().filter(|e| !matched.get(e.flag).copied().unwrap_or(false)) {
                let (line, col) = place(column.name, &entry.key).unwrap_or((0, 0));
                warnings.push(
                    Diagnostic::warning(
                        SETTINGS,
                        line,
                        col,
                        format!("`values.{}`: `{}` matches no cell of `{file}`", column.name, entry.key),
                    )
                    .with_hint("a typo? keys are matched ignoring case and the spaces around a cell"),
                );
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        let mut source = Source::plain("events.csv");
        source
            .values
            .insert("kind".into(), [("Riots".into(), "other".into()), ("Protests".into(), "rally".into())].into());
        source.unknown = vec!["k.A.".into(), "#".into()];
        source.fixed.insert("permit".into(), "denied".into());
        source
    }

    #[test]
    fn cells_match_keys_ignoring_case_and_markers_read_as_blank() {
        let source = source();
        let recoding = Recoding::new(&source, &["kind", "permit", "participants"]);
        let m = &recoding.flags();
        assert_eq!(recoding.cell("kind", "RIOTS", m), ("other", Origin::Recoded("RIOTS")));
        assert_eq!(recoding.cell("kind", "rally", m), ("rally", Origin::Written));
        assert_eq!(recoding.cell("participants", "K.a.", m), ("", Origin::NotStated("K.a.")));
        assert_eq!(recoding.cell("participants", "Riots", m), ("Riots", Origin::Written), "values are per column");
        assert_eq!(recoding.fixed("permit"), Some("denied"));
        assert_eq!(recoding.fixed("kind"), None);
        let mut coded = Source::plain("events.csv");
        coded
            .values
            .insert("participants".into(), [("1".into(), "<100".into()), ("2".into(), "100-999".into())].into());
        let recoding = Recoding::new(&coded, &["participants"]);
        let m = &recoding.flags();
        assert_eq!(recoding.cell("participants", "2", m), ("100-999", Origin::Recoded("2")));
        assert_eq!(recoding.cell("participants", "9", m), ("9", Origin::NotACode), "a code the codebook lacks");
        // A values table with no key (only the proposals `columns --write` comments out) is no
        // codebook: every count is read as written.
        let mut empty = Source::plain("events.csv");
        empty.values.insert("participants".into(), Default::default());
        let recoding = Recoding::new(&empty, &["participants"]);
        assert_eq!(recoding.cell("participants", "40", &recoding.flags()), ("40", Origin::Written));
    }

    #[test]
    fn a_key_no_cell_matched_is_a_warning() {
        let source = source();
        let recoding = Recoding::new(&source, &["kind"]);
        let flags = recoding.flags();
        recoding.cell("kind", "Riots", &flags);
        let matched: Vec<bool> = flags.iter().map(Flag::get).collect();
        let warnings = recoding.unmatched("events.csv", &source, |_| true, &matched);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].message, "`values.kind`: `Protests` matches no cell of `events.csv`");
        let warnings = recoding.unmatched("events.csv", &source, |_| false, &matched);
        assert_eq!(warnings[0].message, "`values.kind` recodes a column `events.csv` does not have");
    }
}

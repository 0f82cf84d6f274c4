//! The values of a file's mapped columns that cannot be read as ours (a dataset's event types,
//! its "not stated" markers), with how often each occurs and where first, and the one of our
//! words each clearly means, if any — for `columns` to list and `--write` to propose recoding.

use std::collections::BTreeMap;

use crate::cli::TableKind;
use crate::figure::DecimalMark;
use crate::input::config::CheckValue;
use crate::input::incident::{self, synonyms};
use crate::input::recode::Origin;
use crate::input::sanction;
use crate::input::source::Source;
use crate::input::table::Table;
use crate::vocabulary::{IncidentKind, Permit, SanctionKind, Vocabulary};

/// How many distinct values of one column are kept; the rest are only counted.
const KEPT: usize = 200;

/// The distinct values of one column, as written: how many rows hold each, and the first line.
#[derive(Debug, Default)]
pub struct Values {
    /// Value → (rows, first line), in the order of the values.
    pub seen: BTreeMap<String, (usize, usize)>,
    /// Rows with a value beyond the first [`KEPT`] distinct ones.
    pub more: usize,
}

impl Values {
    fn add(&mut self, value: &str, line: usize) {
        if let Some(entry) = self.seen.get_mut(value) {
            entry.0 += 1;
        } else if self.seen.len() < KEPT {
            self.seen.insert(value.to_string(), (1, line));
        } else {
            self.more += 1;
        }
    }
}

/// What `columns` learns from every row of the file.
#[derive(Debug, Default)]
pub struct Survey {
    /// Per our column: the values that cannot be read.
    pub unreadable: BTreeMap<&'static str, Values>,
    /// Every non-blank `participants` value, to spot a codebook (bands coded 1–9).
    pub participants: Values,
}

/// Reads every row of `bytes` as `source` says and collects what [`Survey`] holds.
pub fn survey(bytes: &[u8], source: &Source, kind: TableKind) -> Survey {
    let (required, optional, check): (&[&'static str], &[&'static str], CheckValue) = match kind {
        TableKind::Incidents => (incident::REQUIRED, incident::OPTIONAL, incident::check_value),
        TableKind::Sanctions => (sanction::REQUIRED, sanction::OPTIONAL, sanction::check_value),
    };
    // Free text is read as written; only columns with a form of their own can be unreadable.
    let checked: Vec<&'static str> = required.iter().chain(optional).copied().filter(|n| !is_free_text(n)).collect();
    let mut survey = Survey::default();
    // The table's own problems are what `check` reports; here only the values are wanted.
    let _ = Table::read(&source.file, &mut &bytes[..], source, (required, optional), |table, row, _| {
        if row.broken {
            return;
        }
        for &name in &checked {
            let cell = table.cell(row, name);
            if cell.column == 0 {
                continue;
            }
            if name == "participants" && !cell.text.is_empty() && cell.origin == Origin::Written {
                survey.participants.add(cell.text, row.line);
            }
            let mark = if cell.origin == Origin::Written { table.decimal_mark() } else { DecimalMark::Point };
            if cell.origin == Origin::NotACode || check(name, cell.text, table.date_format.as_deref(), mark).is_err() {
                survey.unreadable.entry(name).or_default().add(cell.written(), row.line);
            }
        }
    });
    survey
}

/// Columns of text a document shows as written.
fn is_free_text(name: &str) -> bool {
    matches!(name, "id" | "city" | "place" | "summary" | "sources" | "note" | "person" | "incident")
}

/// The one of our words a dataset's `value` for our column `name` clearly means: the value, or
/// one of its words, is one of our words or a synonym of one, and no other word points elsewhere.
pub fn guess(kind: TableKind, name: &str, value: &str) -> Option<&'static str> {
    match (kind, name) {
        (TableKind::Incidents, "kind") => guess_word::<IncidentKind>(value),
        (TableKind::Incidents, "permit") => guess_word::<Permit>(value),
        (TableKind::Sanctions, "kind") => guess_word::<SanctionKind>(value),
        _ => None,
    }
}

fn guess_word<V: Vocabulary>(value: &str) -> Option<&'static str> {
    let lower = value.to_lowercase();
    let meaning = |word: &str| {
        V::from_word(word).or_else(|| synonyms::<V>().find(|(synonym, _)| *synonym == word).map(|(_, v)| v))
    };
    if let Some(v) = meaning(&lower) {
        return Some(v.word());
    }
    let mut found = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).filter_map(meaning);
    let first = found.next()?;
    found.all(|v| v == first).then_some(first.word())
}

/// Whether the `participants` values look like a codebook rather than counts: every value a
/// single digit 1–9, several different ones, in more rows than there are codes.
pub fn looks_coded(values: &Values) -> bool {
    let rows: usize = values.seen.values().map(|(n, _)| n).sum();
    values.more == 0
        && values.seen.len() >= 2
        && rows > values.seen.len()
        && values.seen.keys().all(|v| v.len() == 1 && ('1'..='9').contains(&v.chars().next().unwrap_or('0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dataset_value_is_guessed_only_when_a_word_of_it_is_ours() {
        let kind = |v| guess(TableKind::Incidents, "kind", v);
        assert_eq!(kind("Violent demonstration"), Some("rally"));
        assert_eq!(kind("Picket against gasoline prices"), Some("picket"));
        assert_eq!(kind("Riots"), None);
        assert_eq!(kind("Mob violence"), None);
        assert_eq!(kind("Excessive force against protesters"), None);
        assert_eq!(kind("Picket and march"), None, "two of our words: no guess");
        assert_eq!(guess(TableKind::Incidents, "participants", "3"), None);
    }

    #[test]
    fn unreadable_values_are_counted_with_their_first_line() {
        let csv = "id,date,kind,participants\n1,2018-01-01,Riots,3\n2,2018-01-02,rally,3\n3,2018-01-03,riots,k.A.\n4,2018-01-04,Riots,1\n";
        let found = survey(csv.as_bytes(), &Source::plain("e.csv"), TableKind::Incidents);
        let kinds = &found.unreadable["kind"].seen;
        assert_eq!(kinds.get("Riots"), Some(&(2, 2)));
        assert_eq!(kinds.get("riots"), Some(&(1, 4)));
        assert_eq!(found.unreadable["participants"].seen.get("k.A."), Some(&(1, 4)));
        assert!(!found.unreadable.contains_key("date"));
        let mut source = Source::plain("e.csv");
        source.values.insert("kind".into(), [("RIOTS".into(), "other".into())].into());
        source.unknown = vec!["k.a.".into()];
        let found = survey(csv.as_bytes(), &source, TableKind::Incidents);
        assert!(found.unreadable.is_empty(), "{:?}", found.unreadable);
        assert!(looks_coded(&found.participants), "3, 3, 1: every count a digit, codes repeated");
        let found = survey(
            "id,date,participants\n1,2018-01-01,3\n2,2018-01-01,30\n3,2018-01-01,3\n".as_bytes(),
            &source,
            TableKind::Incidents,
        );
        assert!(!looks_coded(&found.participants), "30 is no code");
    }
}

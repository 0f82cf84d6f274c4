//! The figures of one build as a flat list — what `summary` prints, what every build saves as
//! `out/NAME.figures.json`, and what `summary --since` compares to say what an edit changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::audience::Audience;
use crate::figure::Figure;
use crate::locale::Words;
use crate::report::Report;
use crate::summary::{Counts, Tally};

/// One figure as the PDF shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// A stable name: `totals.detained`, `by-month.2012-02.detained`, `fines.total`, …
    pub key: String,
    /// What it is, in the audience's language.
    pub label: String,
    /// The figure as shown ("около 58 и более").
    pub text: String,
    /// The incident ids it came from (only when asked for: for a large report they are many).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<String>,
}

/// Every figure of a report, as one audience sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// The audience.
    pub audience: String,
    /// The figures, in the order a reader meets them.
    pub figures: Vec<Line>,
}

/// Counts shown per group in `by-month` and `by-city`.
const GROUP_COUNTS: [&str; 4] = ["participants", "detained", "fined", "arrested"];

impl Ledger {
    /// The figures of `report` as `audience` sees them, with the incident ids behind each when
    /// `with_rows`.
    pub fn new(report: &Report, audience: &Audience, with_rows: bool) -> Ledger {
        let w = Words::new(audience.config.language);
        let s = &report.summary;
        let mut lines = Vec::new();
        let mut push = |key: String, label: String, text: String, rows: &[String]| {
            lines.push(Line { key, label, text, rows: rows.to_vec() });
        };
        let ids = |rows: &[u32]| -> Vec<String> {
            if !with_rows {
                return Vec::new();
            }
            crate::interface::ids(report, rows).into_iter().map(str::to_string).collect()
        };
        push(
            "incidents".into(),
            w.figure_label("incidents").into(),
            s.totals.incidents.to_string(),
            &ids(&s.totals.ids),
        );
        for (name, tally) in crate::incident::COUNT_COLUMNS.iter().zip(&s.totals.tallies) {
            push(format!("totals.{name}"), w.figure_label(name).into(), text(&w, tally), &ids(&tally.rows));
        }
        for (kind, c) in &s.by_kind {
            push(format!("by-kind.{kind}"), w.kind_label(kind).into(), c.incidents.to_string(), &ids(&c.ids));
        }
        // Months without incidents are in the PDF's tables, not in this list, where they would be noise.
        for (month, c) in s.by_month.iter().filter(|(_, c)| c.incidents > 0) {
            let label = w.month_label(*month).replace('\u{a0}', " ");
            group(&mut push, &ids, (&format!("by-month.{month}"), &label), &w, c);
        }
        for (city, c) in &s.by_city {
            group(&mut push, &ids, (&format!("by-city.{city}"), city), &w, c);
        }
        let labels = w.labels();
        let (fines, arrests) = (&s.fines, &s.arrests);
        let fine_rows = if with_rows { fines.rows.clone() } else { Vec::new() };
        let arrest_rows = if with_rows { arrests.rows.clone() } else { Vec::new() };
        // Only the parts of the template data these lines need, not the whole incident list.
        let data = serde_json::json!({
            "fines": crate::interface::fines(&w, report),
            "arrests": crate::interface::arrests(&w, report),
            "stated": crate::interface::stated(&w, report, None),
        });
        let field = |path: [&str; 2]| data[path[0]][path[1]].as_str().unwrap_or_default().replace('\u{a0}', " ");
        push("fines.count".into(), labels["fines"].into(), fines.count.to_string(), &fine_rows);
        push("fines.range".into(), labels["range"].into(), field(["fines", "range-text"]), &fine_rows);
        push("fines.total".into(), labels["total-amount"].into(), field(["fines", "total-text"]), &fine_rows);
        push("arrests.count".into(), labels["arrests"].into(), arrests.count.to_string(), &arrest_rows);
        push("arrests.range".into(), labels["range"].into(), field(["arrests", "range-text"]), &arrest_rows);
        push(
            "arrests.total-days".into(),
            labels["total-amount"].into(),
            field(["arrests", "total-days-text"]),
            &arrest_rows,
        );
        if let Some(items) = data["stated"]["items"].as_array() {
            for item in items {
                let key = item["key"].as_str().unwrap_or_default();
                let stated = item["stated"]["text"].as_str().unwrap_or_default().replace('\u{a0}', " ");
                push(
                    format!("stated.{key}"),
                    format!("{} ({})", w.figure_label(key), labels["stated-col"]),
                    stated,
                    &[],
                );
            }
        }
        Ledger { audience: audience.name.clone(), figures: lines }
    }

    /// The figures as JSON, as saved next to each PDF.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("figures are plain data")
    }

    /// What changed since an earlier build's figures.
    pub fn changes_since(&self, earlier: &Ledger) -> Vec<Change> {
        let before: BTreeMap<&str, &Line> = earlier.figures.iter().map(|l| (l.key.as_str(), l)).collect();
        let after: BTreeMap<&str, &Line> = self.figures.iter().map(|l| (l.key.as_str(), l)).collect();
        let mut changes = Vec::new();
        for line in &self.figures {
            match before.get(line.key.as_str()) {
                None => changes.push(Change::Added(line.clone())),
                Some(old) if old.text != line.text => {
                    changes.push(Change::Changed { before: (*old).clone(), after: line.clone() });
                }
                Some(_) => {}
            }
        }
        for line in earlier.figures.iter().filter(|l| !after.contains_key(l.key.as_str())) {
            changes.push(Change::Removed(line.clone()));
        }
        changes
    }
}

/// A figure that differs between two builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "lowercase")]
pub enum Change {
    /// Present now, absent before (a new month, kind or city).
    Added(Line),
    /// Present before, absent now.
    Removed(Line),
    /// Its value moved.
    Changed {
        /// As it was.
        before: Line,
        /// As it is.
        after: Line,
    },
}

/// A figure's text for the terminal (plain spaces), with its note on blank parts.
fn text(w: &Words, t: &Tally) -> String {
    plain(w, &t.figure)
}

/// A figure's text with plain spaces and, when some parts were blank, the note saying so.
fn plain(w: &Words, f: &Figure) -> String {
    let text = w.figure(f).replace(['\u{a0}', '\u{202f}'], " ");
    match w.unknown_note(f) {
        Some(note) => format!("{text} ({})", note.replace(['\u{a0}', '\u{202f}'], " ")),
        None => text,
    }
}

/// The lines of one group (a month or a city).
fn group(
    push: &mut impl FnMut(String, String, String, &[String]),
    ids: &impl Fn(&[u32]) -> Vec<String>,
    (key, label): (&str, &str),
    w: &Words,
    c: &Counts,
) {
    push(
        format!("{key}.incidents"),
        format!("{label}: {}", w.figure_label("incidents")),
        c.incidents.to_string(),
        &ids(&c.ids),
    );
    for name in GROUP_COUNTS {
        let t = c.get(name);
        push(format!("{key}.{name}"), format!("{label}: {}", w.figure_label(name)), text(w, t), &ids(&t.rows));
    }
}

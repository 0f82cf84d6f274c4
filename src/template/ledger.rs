//! The figures of one build as a flat list — what `summary` prints, what every build saves as
//! `out/NAME.figures.json`, and what `summary --since` compares to say what an edit changed —
//! and the numbers typed in the narrative that equal a changed figure's old value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cite::{Scope, ScopeFigures};
use crate::figure::Figure;
use crate::figures::Counts;
use crate::input::audience::Audience;
use crate::input::literal::{Literal, literals};
use crate::input::narrative::Narrative;
use crate::locale::Words;
use crate::report::Report;

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
    /// the report keeps its rows (`summary --explain`).
    pub fn new(report: &Report, audience: &Audience) -> Ledger {
        let w = Words::new(audience.config.language);
        let s = &report.summary;
        let mut lines = Vec::new();
        let mut push = |key: String, label: String, text: String, rows: Vec<String>| {
            lines.push(Line { key, label, text, rows });
        };
        let ids = |rows: &[u32]| -> Vec<String> {
            crate::template::data::ids(report, rows).into_iter().map(str::to_string).collect()
        };
        push(
            "incidents".into(),
            w.figure_label("incidents").into(),
            s.totals.incidents.to_string(),
            ids(&s.totals.ids),
        );
        for (name, tally) in crate::input::incident::COUNT_COLUMNS.iter().zip(&s.totals.tallies) {
            push(format!("totals.{name}"), w.figure_label(name).into(), plain(&w, &tally.figure), ids(&tally.rows));
        }
        for (kind, c) in &s.by_kind {
            push(format!("by-kind.{kind}"), w.kind_label(*kind).into(), c.incidents.to_string(), ids(&c.ids));
        }
        // Months without incidents are in the PDF's tables, not in this list, where they would be noise.
        for (month, c) in s.by_month.iter().filter(|(_, c)| c.incidents > 0) {
            let label = plain_spaces(&w.month_label(*month));
            group(&mut push, &ids, (&format!("by-month.{month}"), &label), &w, c);
        }
        for (city, c) in &s.by_city {
            group(&mut push, &ids, (&format!("by-city.{city}"), city), &w, c);
        }
        let (fines, arrests) = (&s.fines, &s.arrests);
        // Only the parts of the template data these lines need, not the whole incident list.
        let data = serde_json::json!({
            "fines": crate::template::data::fines(&w, report),
            "arrests": crate::template::data::arrests(&w, report),
            "stated": crate::template::data::stated(&w, report, None),
        });
        let field = |path: [&str; 2]| plain_spaces(data[path[0]][path[1]].as_str().unwrap_or_default());
        let label = |key| w.label(key).to_string();
        push("fines.count".into(), label("fines"), fines.count.to_string(), fines.rows.clone());
        push("fines.range".into(), label("range"), field(["fines", "range-text"]), fines.rows.clone());
        push("fines.total".into(), label("total-amount"), field(["fines", "total-text"]), fines.rows.clone());
        push("arrests.count".into(), label("arrests"), arrests.count.to_string(), arrests.rows.clone());
        push("arrests.range".into(), label("range"), field(["arrests", "range-text"]), arrests.rows.clone());
        push(
            "arrests.total-days".into(),
            label("total-amount"),
            field(["arrests", "total-days-text"]),
            arrests.rows.clone(),
        );
        for id in report.per_incident.keys() {
            let scope = Scope::Incident(id.clone());
            if let Some(f) = ScopeFigures::of(&report.summary, &report.per_incident, &scope) {
                incident_lines(&mut push, &w, report, (id, &f));
            }
        }
        if let Some(items) = data["stated"]["items"].as_array() {
            for item in items {
                let key = item["key"].as_str().unwrap_or_default();
                let stated = plain_spaces(item["stated"]["text"].as_str().unwrap_or_default());
                push(
                    format!("stated.{key}"),
                    format!("{} ({})", w.figure_label(key), w.label("stated-col")),
                    stated,
                    Vec::new(),
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

/// A number typed in the narrative that equals the old value of a figure that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stale {
    /// The number, with its place.
    #[serde(flatten)]
    pub literal: StalePlace,
    /// The figure that changed.
    pub key: String,
    /// What it is.
    pub label: String,
    /// Its value before.
    pub before: String,
    /// Its value now.
    pub after: String,
}

/// Where a stale number is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StalePlace {
    /// The narrative file.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The 1-based column.
    pub column: usize,
    /// The number as typed.
    pub text: String,
}

/// Every number typed in the narrative that equals the old value of a figure in `changes` (and
/// not its new one; a figure no longer listed has none), in file order, each with every figure it
/// may stand for.
pub fn stale_numbers(changes: &[Change], narrative: &Narrative) -> Vec<Stale> {
    let moved: Vec<Moved> = changes.iter().filter_map(Moved::of).collect();
    let typed: Vec<Literal> = narrative.files.iter().flat_map(|(file, text)| literals(file, text)).collect();
    let mut stale = Vec::new();
    for literal in &typed {
        for m in moved.iter().filter(|m| m.gone.contains(&literal.value)) {
            stale.push(Stale {
                literal: StalePlace {
                    file: literal.file.clone(),
                    line: literal.line,
                    column: literal.column,
                    text: literal.text.clone(),
                },
                key: m.line.key.clone(),
                label: m.line.label.clone(),
                before: m.before.to_string(),
                after: m.after.to_string(),
            });
        }
    }
    stale
}

/// A figure whose old value may still be typed somewhere.
struct Moved<'a> {
    /// The figure (as it is now, or as it was when no longer listed).
    line: &'a Line,
    /// Its text before.
    before: &'a str,
    /// Its text now ("—" when no longer listed).
    after: &'a str,
    /// The numbers it showed before and shows no more.
    gone: Vec<u64>,
}

impl<'a> Moved<'a> {
    /// The figure a change moved, unless it is new.
    fn of(change: &'a Change) -> Option<Moved<'a>> {
        let (line, before, after) = match change {
            Change::Changed { before, after } => (after, before.text.as_str(), after.text.as_str()),
            Change::Removed(line) => (line, line.text.as_str(), "—"),
            Change::Added(_) => return None,
        };
        let now = values(after);
        let gone = values(before).into_iter().filter(|v| !now.contains(v)).collect();
        Some(Moved { line, before, after, gone })
    }
}

/// The numbers a figure's text shows, without its note ("около 58 и более (нет данных по 11
/// событиям)" → 58; "30 000–81 000 тенге (152–410 евро)" → 30000, 81000).
fn values(text: &str) -> Vec<u64> {
    let shown = text.split(" (").next().unwrap_or(text);
    literals("", shown).into_iter().map(|l| l.value).collect()
}

/// How the narrative writes the figure `key` with `fig`, for a hint: `#fig("detained", incident: "…")`.
pub fn fig_call_for(key: &str) -> Option<String> {
    let call = |name: &str, arg: Option<(&str, &str)>| match arg {
        Some((param, value)) => format!("#fig(\"{name}\", {param}: \"{value}\")"),
        None => format!("#fig(\"{name}\")"),
    };
    if key == "incidents" {
        return Some(call("incidents", None));
    }
    if let Some(name) = key.strip_prefix("totals.").or_else(|| sanction_key(key)) {
        return Some(call(name, None));
    }
    if let Some(kind) = key.strip_prefix("by-kind.") {
        return Some(call("incidents", Some(("kind", kind))));
    }
    for (prefix, param) in [("by-month.", "month"), ("by-city.", "city")] {
        if let Some((value, name)) = key.strip_prefix(prefix).and_then(|rest| rest.rsplit_once('.')) {
            return Some(call(name, Some((param, value))));
        }
    }
    let rest = key.strip_prefix("incident.")?;
    for (suffix, name) in SANCTION_LINES {
        if let Some(id) = rest.strip_suffix(suffix).and_then(|r| r.strip_suffix('.')) {
            return Some(call(name, Some(("incident", id))));
        }
    }
    let (id, name) = rest.rsplit_once('.')?;
    Some(call(name, Some(("incident", id))))
}

/// The lines of sanction figures and the `fig` keys that write them.
const SANCTION_LINES: [(&str, &str); 6] = [
    ("fines.count", "fines"),
    ("fines.range", "fine-range"),
    ("fines.total", "fine-total"),
    ("arrests.count", "arrests"),
    ("arrests.range", "arrest-range"),
    ("arrests.total-days", "arrest-total"),
];

/// The `fig` key of a sanction line of the whole report (`fines.range` → `fine-range`).
fn sanction_key(key: &str) -> Option<&'static str> {
    SANCTION_LINES.iter().find(|(line, _)| *line == key).map(|(_, name)| *name)
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

/// A figure's text with plain spaces and, when some parts were blank, the note saying so.
fn plain(w: &Words, f: &Figure) -> String {
    let text = plain_spaces(&w.figure(f));
    match w.unknown_note(f) {
        Some(note) => format!("{text} ({})", plain_spaces(&note)),
        None => text,
    }
}

/// Text for the terminal and the figures file: no-break spaces of either width made plain.
fn plain_spaces(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

/// The lines of one incident: its counts that give a number, and the fines and arrests listed
/// for it, when there are any.
fn incident_lines(
    push: &mut impl FnMut(String, String, String, Vec<String>),
    w: &Words,
    report: &Report,
    (id, f): (&str, &ScopeFigures),
) {
    for (name, figure) in crate::input::incident::COUNT_COLUMNS.iter().zip(&f.counts) {
        if figure.is_known() {
            push(
                format!("incident.{id}.{name}"),
                format!("{id}: {}", w.figure_label(name)),
                plain(w, figure),
                Vec::new(),
            );
        }
    }
    let forms = crate::template::cited::scope_forms(w, report, f);
    let text = |key: &str| plain_spaces(forms[key]["text"].as_str().unwrap_or_default());
    let sanctions = [("fines", "fines.count", "fines"), ("arrests", "arrests.count", "arrests")];
    for (key, suffix, label) in sanctions {
        if f.count(key).is_some_and(|c| c.low() > 0) {
            push(format!("incident.{id}.{suffix}"), format!("{id}: {}", w.label(label)), text(key), Vec::new());
            let range = if key == "fines" { "fine-range" } else { "arrest-range" };
            let range_key = format!("incident.{id}.{key}.range");
            push(range_key, format!("{id}: {}: {}", w.label(label), w.label("range")), text(range), Vec::new());
        }
    }
}

/// The lines of one group (a month or a city).
fn group(
    push: &mut impl FnMut(String, String, String, Vec<String>),
    ids: &impl Fn(&[u32]) -> Vec<String>,
    (key, label): (&str, &str),
    w: &Words,
    c: &Counts,
) {
    push(
        format!("{key}.incidents"),
        format!("{label}: {}", w.figure_label("incidents")),
        c.incidents.to_string(),
        ids(&c.ids),
    );
    for name in GROUP_COUNTS {
        let t = c.get(name);
        push(format!("{key}.{name}"), format!("{label}: {}", w.figure_label(name)), plain(w, &t.figure), ids(&t.rows));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::report::{Keep, Report};

    fn line(key: &str, text: &str) -> Line {
        Line { key: key.into(), label: key.into(), text: text.into(), rows: Vec::new() }
    }

    fn ledger(lines: &[(&str, &str)]) -> Ledger {
        Ledger { audience: "osce".into(), figures: lines.iter().map(|(k, t)| line(k, t)).collect() }
    }

    #[test]
    fn changes_since_names_each_changed_added_and_removed_figure() {
        let before =
            ledger(&[("totals.detained", "около 58"), ("by-month.2012-02.detained", "28"), ("fines.count", "12")]);
        let after =
            ledger(&[("totals.detained", "около 60"), ("fines.count", "12"), ("by-month.2012-11.detained", "3")]);
        let changes = after.changes_since(&before);
        assert_eq!(
            changes,
            [
                Change::Changed {
                    before: line("totals.detained", "около 58"),
                    after: line("totals.detained", "около 60")
                },
                Change::Added(line("by-month.2012-11.detained", "3")),
                Change::Removed(line("by-month.2012-02.detained", "28")),
            ]
        );
    }

    #[test]
    fn changes_since_an_identical_build_is_empty_and_rows_do_not_count() {
        let mut a = ledger(&[("totals.detained", "28"), ("incident.x.detained", "28")]);
        let b = a.clone();
        a.figures[0].rows = vec!["x".into()];
        assert!(a.changes_since(&b).is_empty());
        assert!(ledger(&[]).changes_since(&ledger(&[])).is_empty());
    }

    #[test]
    fn a_typed_number_equal_to_an_old_value_is_stale_unless_it_is_the_new_one_too() {
        let before = ledger(&[
            ("incident.r.detained", "28"),
            ("fines.range", "30 000–81 000 тенге (152–410 евро)"),
            ("incident.q.police", "~150"),
        ]);
        let after = ledger(&[("incident.r.detained", "30"), ("fines.range", "30 000–90 000 тенге (152–456 евро)")]);
        let mut files = BTreeMap::new();
        files.insert(
            "sections/a.typ".to_string(),
            "Задержаны 28 человек.\nШтрафы от 30~000 до 81~000 тенге, 152 и 410; полиции 150.".into(),
        );
        let stale = stale_numbers(&after.changes_since(&before), &Narrative { files, ..Narrative::default() });
        let seen: Vec<_> =
            stale.iter().map(|s| (s.literal.text.as_str(), s.literal.line, s.literal.column, s.key.as_str())).collect();
        // 30 000 is the low end before and after; 410 is in the note, not the figure.
        // A figure no longer listed (its cell made blank) leaves its old value stale too.
        assert_eq!(
            seen,
            [
                ("28", 1, 11, "incident.r.detained"),
                ("81~000", 2, 21, "fines.range"),
                ("150", 2, 54, "incident.q.police")
            ]
        );
    }

    #[test]
    fn each_line_key_maps_to_the_fig_call_that_writes_it() {
        let cases = [
            ("totals.detained", "#fig(\"detained\")"),
            ("incidents", "#fig(\"incidents\")"),
            ("fines.range", "#fig(\"fine-range\")"),
            ("arrests.total-days", "#fig(\"arrest-total\")"),
            ("by-kind.rally", "#fig(\"incidents\", kind: \"rally\")"),
            ("by-month.2012-02.detained", "#fig(\"detained\", month: \"2012-02\")"),
            ("incident.2012-02-25-rally.detained", "#fig(\"detained\", incident: \"2012-02-25-rally\")"),
            ("incident.2012-02-25-rally.fines.range", "#fig(\"fine-range\", incident: \"2012-02-25-rally\")"),
        ];
        for (key, call) in cases {
            assert_eq!(fig_call_for(key).as_deref(), Some(call), "{key}");
        }
        assert_eq!(fig_call_for("stated.detained"), None);
    }

    #[test]
    fn the_example_lists_the_figures_of_each_incident() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/kazakhstan-2012");
        let report = Report::load_with(&dir, Keep::Figures).unwrap();
        let ledger = Ledger::new(&report, report.audiences.get(None).unwrap());
        let text = |key: &str| ledger.figures.iter().find(|l| l.key == key).map(|l| l.text.as_str());
        assert_eq!(text("incident.2012-02-25-rally.detained"), Some("28"));
        assert_eq!(text("incident.2012-02-25-rally.arrests.count"), Some("2"));
        assert_eq!(text("incident.2012-02-25-rally.arrests.range"), Some("15"));
        assert_eq!(text("incident.2012-05-31-memorial.fines.range"), Some("80 900"));
        // A blank count is not listed: it says nothing a reader could have typed.
        assert_eq!(text("incident.2012-02-25-rally.warned"), None);
    }
}

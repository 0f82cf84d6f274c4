//! The figures the narrative names with `fig(…)`, written for the audience: the `figs` entry of
//! the data module, which `fig` only looks up. Only the scopes the narrative names are made (the
//! whole report, and each incident, month, kind or city it names), so a narrative that cites two
//! incidents of a million costs two entries.

use serde_json::{Map, Value, json};

use crate::cite::{COUNT_UNITS, KeyKind, MONEY_UNITS, ScopeFigures, keys};
use crate::figure::{Figure, Kind};
use crate::figures::{Arrests, Fines};
use crate::locale::Words;
use crate::report::Report;
use crate::template::money::{convert, currency_word, money_range_text};

/// `figs`: for each scope the narrative names (`total`, `incident:ID`, `month:2012-02`, …), each
/// figure key → its forms (`text`, and one per unit).
pub fn figs(w: &Words, report: &Report) -> Map<String, Value> {
    report
        .cited
        .iter()
        .filter_map(|scope| {
            let figures = ScopeFigures::of(&report.summary, &report.per_incident, scope)?;
            Some((scope.key(), Value::Object(scope_forms(w, report, &figures))))
        })
        .collect()
}

/// Every figure of one scope, in all its forms.
pub fn scope_forms(w: &Words, report: &Report, f: &ScopeFigures) -> Map<String, Value> {
    keys().filter_map(|key| forms(w, report, f, key).map(|forms| (key.to_string(), forms))).collect()
}

/// The forms of figure `key`: `text` (the number, qualified as in the tables) and one per unit.
fn forms(w: &Words, report: &Report, f: &ScopeFigures, key: &str) -> Option<Value> {
    match KeyKind::of(key)? {
        KeyKind::Count | KeyKind::Incidents | KeyKind::Sanctions => {
            let figure = f.count(key)?;
            let mut forms = Map::new();
            forms.insert("text".into(), json!(w.figure(&figure)));
            for unit in COUNT_UNITS {
                let noun = w.unit_noun(unit)?;
                forms.insert(unit.into(), json!(w.figure_with(&figure, noun)));
            }
            Some(Value::Object(forms))
        }
        KeyKind::Money => Some(money_forms(w, report, f.fines?, key == "fine-total")),
        KeyKind::Days => Some(day_forms(w, f.arrests?, key == "arrest-total")),
    }
}

/// The forms of the fines' range (`fine-range`) or total (`fine-total`): the number alone, with
/// the report's currency, in the second currency, and both.
fn money_forms(w: &Words, report: &Report, fines: &Fines, total: bool) -> Value {
    if total { total_money_forms(w, report, &fines.total) } else { range_money_forms(w, report, fines) }
}

/// The forms of a sum of fines: "не менее 80 900", "не менее 80 900 тенге", "не менее 410 евро".
fn total_money_forms(w: &Words, report: &Report, t: &Figure) -> Value {
    if !t.is_known() {
        return same_forms(&w.figure(t), &MONEY_UNITS);
    }
    let cur = &report.config.currency;
    let main = format!("{}\u{a0}{}", w.figure(t), currency_word(w, &cur.code, t.low()));
    let other = cur.second.as_ref().map(|(code, rate)| {
        let converted = convert_figure(t, *rate);
        format!("{}\u{a0}{}", w.figure(&converted), currency_word(w, code, converted.low()))
    });
    money_json(w.figure(t), main, other)
}

/// The forms of the fines' lowest–highest amount: "30 000–81 000", "30 000–81 000 тенге", …
fn range_money_forms(w: &Words, report: &Report, fines: &Fines) -> Value {
    let (Some(lo), Some(hi)) = (fines.min, fines.max) else {
        let text = if fines.count == 0 { "—".to_string() } else { w.figure(&Figure::unknown()) };
        return same_forms(&text, &MONEY_UNITS);
    };
    let cur = &report.config.currency;
    let number = if lo == hi { w.number(lo) } else { format!("{}–{}", w.number(lo), w.number(hi)) };
    let main = w.money_range(lo, hi, &cur.code);
    let other = cur.second.as_ref().map(|(code, rate)| w.money_range(convert(lo, *rate), convert(hi, *rate), code));
    let mut forms = money_json(number, main, other);
    // As in the tables, which round each end on its own.
    forms["both"] = json!(money_range_text(w, report, lo, hi));
    forms
}

/// The money forms: the number, with the currency, in the second currency, and both.
fn money_json(number: String, main: String, second: Option<String>) -> Value {
    let both = match &second {
        Some(other) => format!("{main} ({other})"),
        None => main.clone(),
    };
    json!({ "text": number, "currency": main, "second": second.unwrap_or_else(|| main.clone()), "both": both })
}

/// The forms of the arrests' range of terms (`arrest-range`) or total days (`arrest-total`).
fn day_forms(w: &Words, arrests: &Arrests, total: bool) -> Value {
    let days = w.unit_noun("days");
    if total {
        let t = &arrests.total_days;
        let with_unit = days.map_or_else(|| w.figure(t), |noun| w.figure_with(t, noun));
        return json!({ "text": w.figure(t), "days": with_unit });
    }
    let (Some(lo), Some(hi)) = (arrests.min_days, arrests.max_days) else {
        let text = if arrests.count == 0 { "—".to_string() } else { w.figure(&Figure::unknown()) };
        return same_forms(&text, &["days"]);
    };
    let number = if lo == hi { w.number(lo) } else { format!("{}–{}", w.number(lo), w.number(hi)) };
    json!({ "text": number, "days": w.days_range(lo, hi) })
}

/// Forms that all read the same (a figure nobody gave, or none listed).
fn same_forms(text: &str, units: &[&str]) -> Value {
    let mut forms = Map::new();
    forms.insert("text".into(), json!(text));
    for unit in units {
        forms.insert((*unit).into(), json!(text));
    }
    Value::Object(forms)
}

/// A sum of money converted at `rate`, keeping how it is qualified.
fn convert_figure(f: &Figure, rate: f64) -> Figure {
    let c = |n: u64| convert(n, rate);
    let (low, high) = (c(f.low()), f.high().map(c).unwrap_or(0));
    match f.kind() {
        Kind::Exact => Figure::exact(low),
        Kind::About => Figure::about(low),
        Kind::More => Figure::more_than(low),
        Kind::AtLeast => Figure::at_least(low, f.is_approx()),
        Kind::Less => Figure::less_than(high),
        Kind::Range if f.is_approx() => Figure::range(low, high).merge(Figure::about(0)),
        Kind::Range => Figure::range(low, high),
        Kind::Unknown => Figure::unknown(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Language;

    #[test]
    fn the_example_s_named_figures_in_every_form() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/kazakhstan-2012");
        let report = Report::load(&dir).unwrap();
        let figs = figs(&Words::new(Language::Ru), &report);
        let fine = &figs["incident:2012-05-31-memorial"]["fine-range"];
        assert_eq!(fine["text"], "80\u{202f}900");
        assert_eq!(fine["currency"], "80\u{202f}900\u{a0}тенге");
        assert_eq!(fine["second"], "410\u{a0}евро");
        assert_eq!(fine["both"], "80\u{202f}900\u{a0}тенге (410\u{a0}евро)");
        let rally = &figs["incident:2012-02-25-rally"];
        assert_eq!(rally["detained"]["people"], "28\u{a0}человек");
        assert_eq!(rally["participants"]["people"], "около\u{a0}1\u{202f}500\u{a0}человек");
        assert_eq!(rally["arrest-range"]["days"], "15\u{a0}суток");
        assert!(rally.get("incidents").is_none(), "one incident has no count of incidents");
        let total = &figs["total"];
        assert_eq!(total["fine-total"]["both"], "не менее\u{a0}80\u{202f}900\u{a0}тенге (не менее\u{a0}410\u{a0}евро)");
        assert_eq!(total["arrest-total"]["days"], "не менее\u{a0}120\u{a0}суток");
        assert_eq!(total["incidents"]["incidents"], "14\u{a0}событий");
        // Only the scopes the narrative names are made.
        assert_eq!(figs.len(), 5, "{:?}", figs.keys().collect::<Vec<_>>());
    }

    #[test]
    fn a_converted_sum_keeps_its_qualifier() {
        let en = Words::new(Language::En);
        assert_eq!(en.figure(&convert_figure(&Figure::at_least(80900, false), 197.5)), "at least\u{a0}410");
        assert_eq!(en.figure(&convert_figure(&Figure::range(30000, 81000), 197.5)), "152–410");
        assert_eq!(en.figure(&convert_figure(&Figure::unknown(), 197.5)), "unknown");
    }
}

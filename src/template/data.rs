//! The data a template receives: the report, its figures and labels, already formatted for the
//! audience's language. This is the one interface templates read (see `docs/templates.md`).

use serde_json::{Value, json};

use crate::date::Date;
use crate::figure::Figure;
use crate::figures::{Bin, Counts};
use crate::input::audience::Audience;
use crate::input::config::{Config, Redact};
use crate::input::incident::{COUNT_COLUMNS, Incident};
use crate::input::sanction::Sanction;
use crate::locale::Words;
use crate::report::Report;
use crate::template::money::{convert, currency_word, money_range_text};
use crate::vocabulary::{StatedKey, Vocabulary};

/// The `report` dictionary for one audience, as JSON.
pub fn template_data(report: &Report, audience: &Audience) -> Value {
    let c = &audience.config;
    let w = Words::new(c.language);
    let s = &report.summary;
    let sections: Vec<String> =
        report.narrative.sections(&report.dir, c).iter().map(|p| format!("/{}", p.trim_start_matches('/'))).collect();
    json!({
        "title": c.title,
        "language": c.language.code(),
        "date": date(&w, c.date),
        "document-symbol": c.document_symbol,
        "country": c.country,
        "period": {
            "start": date(&w, c.period_start),
            "end": date(&w, c.period_end),
            "text": w.period(c.period_start, c.period_end),
        },
        "venue": {
            "meeting": c.venue.meeting,
            "session": c.venue.session,
            "topic": c.venue.topic,
            "place": c.venue.place,
            "date": c.venue.date.map(|d| date(&w, d)),
            "line": venue_line(&w, c.venue.session.as_deref(), c.venue.date),
        },
        "author": {
            "organisation": c.author.organisation,
            "signatory": c.author.signatory,
            "position": c.author.position,
            "place": c.author.place,
            "date": date(&w, c.author.date),
        },
        "labels": w.labels(),
        "sections": sections,
        "totals": counts(&w, &s.totals),
        "unknown-notes": unknown_notes(&w, &s.totals),
        "by-kind": s.by_kind.iter().map(|(kind, c)| {
            let mut row = counts(&w, c);
            row["kind"] = json!(kind);
            row["label"] = json!(w.kind_label(*kind));
            row["count"] = json!(c.incidents);
            row["count-text"] = json!(w.number(c.incidents as u64));
            row
        }).collect::<Vec<_>>(),
        "by-month": s.by_month.iter().map(|(month, c)| {
            let mut row = counts(&w, c);
            row["month"] = json!(month.to_string());
            row["label"] = json!(w.month_label(*month));
            row["short-label"] = json!(w.month_abbreviation(*month));
            row["incidents-text"] = json!(w.number(c.incidents as u64));
            row
        }).collect::<Vec<_>>(),
        "by-city": s.by_city.iter().map(|(city, c)| {
            let mut row = counts(&w, c);
            row["city"] = json!(city);
            row
        }).collect::<Vec<_>>(),
        "chart": crate::template::chart::chart(&w, s, c.period_start, c.period_end),
        "statement": statement(&w, report, c),
        "names": names(&w, report, audience.redact),
        "figs": crate::template::cited::figs(&w, report),
        "fines": fines(&w, report),
        "arrests": arrests(&w, report),
        "stated": stated(&w, report, c.stated_note.as_deref()),
        "recommendations": c.recommendations,
        "sources": c.sources,
        "audience": {
            "name": audience.name,
            "template": audience.template,
            "redact": audience.redact,
        },
    })
}

/// At most this many groups of months in the statement's table by period (three years by month).
pub const STATEMENT_GROUPS: usize = 36;

/// At most this many cities in the statement's table by city; the rest are summed in one row.
pub const STATEMENT_CITIES: usize = 15;

/// What the formal statement shows instead of its chronology when the report has more incidents
/// than `[statement] chronology_limit`: figures by period and by city, the incidents with the most
/// people detained and sanctioned, and the sentence referring to the annex.
fn statement(w: &Words, report: &Report, c: &Config) -> Value {
    let s = &report.summary;
    let binned = s.binned(c.period_start, c.period_end, STATEMENT_GROUPS);
    let (heading, column) = match binned.bin {
        Bin::Month => ("by-month-heading", "col-month"),
        Bin::Quarter => ("by-quarter-heading", "col-quarter"),
        Bin::Year => ("by-year-heading", "col-year"),
    };
    let labelled = |label: String, counts_of: &Counts| {
        let mut row = counts(w, counts_of);
        row["label"] = json!(label);
        row
    };
    let rows: Vec<Value> = binned.groups.iter().map(|(d, g)| labelled(bin_label(w, binned.bin, *d), g)).collect();
    let outside = binned.outside.incidents > 0;
    let cities = s.cities_ranked(STATEMENT_CITIES);
    let others = cities
        .others
        .as_ref()
        .map(|(n, sum)| labelled(format!("{} ({})", w.label("other-cities"), w.number(*n as u64)), sum));
    json!({
        "chronology-limit": c.chronology_limit,
        "lists-incidents": s.totals.incidents <= c.chronology_limit,
        "chronology-note": format!("{} ({}).", w.label("chronology-in-annex"), w.incidents(s.totals.incidents as u64)),
        "by-period": {
            "unit": binned.bin,
            "heading": w.label(heading),
            "column": w.label(column),
            "rows": rows,
            "outside": outside.then(|| labelled(w.label("outside-period").to_string(), &binned.outside)),
        },
        "by-city": {
            "rows": cities.top.iter().map(|(name, g)| labelled(name.to_string(), g)).collect::<Vec<_>>(),
            "others": others,
        },
        "leaders": {
            "detained": report.leaders.detained().map(|i| incident(w, i)).collect::<Vec<_>>(),
            "sanctioned": report.leaders.sanctioned().map(|i| incident(w, i)).collect::<Vec<_>>(),
        },
    })
}

/// A group of months as a table row: "февраль 2012", "I кв. 2017" / "Q1 2017", "2017".
fn bin_label(w: &Words, bin: Bin, first: Date) -> String {
    match bin {
        Bin::Month => w.month_label(first),
        Bin::Quarter => format!("{}\u{a0}{}", w.quarter_abbreviation(first), first.year),
        Bin::Year => first.year.to_string(),
    }
}

/// The figures stated for the period, each beside the computed one.
pub(crate) fn stated(w: &Words, report: &Report, note: Option<&str>) -> Value {
    json!({
        "note": note,
        "items": report.summary.stated.iter().map(|x| json!({
            "key": x.key,
            "label": w.figure_label(x.key.word()),
            "stated": stated_figure(w, report, x.key, &x.stated),
            "computed": stated_figure(w, report, x.key, &x.computed),
            "exceeds": x.exceeds,
        })).collect::<Vec<_>>(),
    })
}

/// A date as both ISO text and words.
fn date(w: &Words, d: Date) -> Value {
    json!({ "iso": d.to_string(), "text": w.date(d), "short": w.short_date(d) })
}

/// "Сессия 2, 9 ноября 2012 г.": the session and its day, whichever are given.
fn venue_line(w: &Words, session: Option<&str>, day: Option<Date>) -> String {
    let day = day.map(|d| w.date(d));
    [session.map(str::to_string), day].into_iter().flatten().collect::<Vec<_>>().join(", ")
}

/// The incident list for one audience, as the JSON of `incidents()` in the data module: in date
/// order, every figure formatted.
pub fn incidents_json(incidents: &[Incident], audience: &Audience) -> Vec<u8> {
    let w = Words::new(audience.config.language);
    let mut incidents: Vec<&Incident> = incidents.iter().collect();
    incidents.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let list: Vec<Value> = incidents.iter().map(|i| incident(&w, i)).collect();
    serde_json::to_vec(&list).expect("the incident list is plain JSON")
}

/// The sanctions list for one audience, as the JSON of `sanctions()` in the data module, each
/// person's name as the audience shows it.
pub fn sanctions_json(report: &Report, sanctions: &[Sanction], audience: &Audience) -> Vec<u8> {
    let w = Words::new(audience.config.language);
    let list: Vec<Value> = sanctions.iter().map(|x| sanction(&w, report, audience, x)).collect();
    serde_json::to_vec(&list).expect("the sanctions list is plain JSON")
}

/// The ids of the incidents at these positions (known when the report keeps its rows).
pub(crate) fn ids<'a>(report: &'a Report, rows: &[u32]) -> Vec<&'a str> {
    let Some(kept) = report.kept() else { return Vec::new() };
    rows.iter().filter_map(|&i| kept.incidents.get(i as usize)).map(|i| i.id.as_str()).collect()
}

/// A figure with its numbers, kind and formatted text, and that text in parts for narrow
/// table columns: the qualifier before the number, the number, the qualifier after it.
fn figure(w: &Words, f: &Figure) -> Value {
    let text = w.figure(f);
    let (before, number, after) = number_parts(&text);
    json!({
        "kind": f.kind(),
        "low": f.is_known().then_some(f.low()),
        "high": f.high().filter(|_| f.is_known()),
        "approx": f.is_approx(),
        "unknown-parts": f.unknown_parts(),
        "parts": { "before": before, "number": number, "after": after },
        "text": text,
        "note": w.unknown_note(f),
    })
}

/// For each count whose total has blank parts, how many incidents gave no figure, as a reader
/// of the total needs to know: `{key, text}` with text "Задержано: нет данных по 3 событиям".
fn unknown_notes(w: &Words, c: &Counts) -> Vec<Value> {
    COUNT_COLUMNS
        .iter()
        .zip(&c.tallies)
        .filter_map(|(name, t)| {
            let note = w.unknown_note(&t.figure)?;
            Some(json!({ "key": name, "text": format!("{}: {note}", w.figure_label(name)) }))
        })
        .collect()
}

/// The counts of a group of incidents.
fn counts(w: &Words, c: &Counts) -> Value {
    let mut out = json!({ "incidents": c.incidents, "incidents-text": w.number(c.incidents as u64) });
    for (name, t) in COUNT_COLUMNS.iter().zip(&c.tallies) {
        out[*name] = figure(w, &t.figure);
    }
    out
}

/// "около 1 000 и более" → ("около", "1 000", "и более"): the first run of digits (with the
/// spaces, separators and dashes between them) and the words around it, trimmed. A text
/// without digits is all `before`.
fn number_parts(text: &str) -> (&str, &str, &str) {
    let Some(start) = text.find(|c: char| c.is_ascii_digit()) else { return (text.trim(), "", "") };
    let in_number = |c: char| c.is_ascii_digit() || "\u{202f}\u{a0},.–-".contains(c);
    let run = text[start..].find(|c: char| !in_number(c)).map_or(text.len(), |n| start + n);
    let end = text[..run].rfind(|c: char| c.is_ascii_digit()).map_or(run, |i| i + 1);
    (text[..start].trim(), &text[start..end], text[end..].trim())
}

/// A link's address as shown in a narrow column: a zero-width space after each `/ . ? & = _ -`
/// and after every 14 characters without one, so it wraps at sensible places.
fn breakable_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len() + url.len() / 4);
    let mut run = 0;
    for c in url.chars() {
        out.push(c);
        if "/.?&=_-".contains(c) {
            out.push('\u{200b}');
            run = 0;
        } else {
            run += 1;
            if run == 14 {
                out.push('\u{200b}');
                run = 0;
            }
        }
    }
    out
}

/// One entry of an incident's sources for a template: a link (`url` its target, `text` with
/// break points) or, for a name such as `Interfax`, `url` none and `text` as written, so that no
/// name becomes a link to nowhere.
fn reference(entry: &str) -> Value {
    match crate::input::reference::link_of(entry) {
        Some(url) => json!({ "url": url, "text": breakable_url(entry) }),
        None => json!({ "url": null, "text": entry }),
    }
}

/// One incident.
fn incident(w: &Words, i: &Incident) -> Value {
    let mut out = json!({
        "id": i.id,
        "date": date(w, i.date),
        "date-end": i.date_end.map(|d| date(w, d)),
        "city": i.city,
        "place": i.place,
        "kind": i.kind,
        "kind-label": w.kind_label(i.kind),
        "permit": i.permit,
        "permit-label": w.permit_label(i.permit),
        "summary": i.summary,
        "sources": i.sources,
        "links": i.sources.iter().map(|entry| reference(entry)).collect::<Vec<_>>(),
    });
    for (name, f) in COUNT_COLUMNS.iter().zip(&i.counts) {
        out[*name] = figure(w, f);
    }
    out
}

/// An amount in the report currency and, when configured, the second one.
fn money(w: &Words, report: &Report, amount: u64) -> Value {
    let cur = &report.config.currency;
    let second = cur.second.as_ref().map(|(code, rate)| {
        let converted = convert(amount, *rate);
        json!({ "value": converted, "text": w.money(converted, code) })
    });
    json!({ "value": amount, "text": w.money(amount, &cur.code), "second": second })
}

/// Every name the narrative marks, mapped to how this audience shows it. (The sanctions list
/// comes with each name already shown so; `person()` needs only the narrative's.)
fn names(w: &Words, report: &Report, redact: Redact) -> serde_json::Map<String, Value> {
    let withheld = w.label("person-withheld");
    report.marked.iter().map(|n| (n.clone(), json!(crate::template::redact::show(n, redact, withheld)))).collect()
}

/// One sanction, the person's name as the audience shows it.
fn sanction(w: &Words, report: &Report, audience: &Audience, s: &Sanction) -> Value {
    let withheld = w.label("person-withheld");
    json!({
        "incident": s.incident,
        "date": s.date.map(|d| date(w, d)),
        "person": s.person.as_deref().map(|p| crate::template::redact::show(p, audience.redact, withheld)),
        "kind": s.kind,
        "kind-label": w.sanction_label(s.kind),
        "amount": s.amount.map(|a| money(w, report, a)),
        "days": s.days,
        "days-text": s.days.map(|d| w.days(d)),
        "note": s.note,
    })
}

/// The fines' count, range and total.
pub(crate) fn fines(w: &Words, report: &Report) -> Value {
    let f = &report.summary.fines;
    let cur = &report.config.currency;
    let range_text = match (f.count, f.min, f.max) {
        (0, _, _) => "—".to_string(),
        (_, Some(lo), Some(hi)) => money_range_text(w, report, lo, hi),
        _ => w.figure(&Figure::unknown()),
    };
    let total_text = if f.total.is_known() {
        let main = format!("{}\u{a0}{}", w.figure(&f.total), currency_word(w, &cur.code, f.total.low()));
        match &cur.second {
            Some((code, rate)) => format!("{main} ({})", w.money(convert(f.total.low(), *rate), code)),
            None => main,
        }
    } else {
        w.figure(&f.total)
    };
    json!({
        "count": f.count,
        "count-text": w.number(f.count as u64),
        "min": f.min.map(|a| money(w, report, a)),
        "max": f.max.map(|a| money(w, report, a)),
        "range-text": range_text,
        "total": figure(w, &f.total),
        "total-text": total_text,
        "unknown-amounts": f.unknown_amounts,
    })
}

/// The arrests' count, range of terms and total days.
pub(crate) fn arrests(w: &Words, report: &Report) -> Value {
    let a = &report.summary.arrests;
    let range_text = match (a.count, a.min_days, a.max_days) {
        (0, _, _) => "—".to_string(),
        (_, Some(lo), Some(hi)) => w.days_range(lo, hi),
        _ => w.figure(&Figure::unknown()),
    };
    json!({
        "count": a.count,
        "count-text": w.number(a.count as u64),
        "min-days": a.min_days,
        "max-days": a.max_days,
        "range-text": range_text,
        "total-days": figure(w, &a.total_days),
        "total-days-text": days_text(w, &a.total_days),
        "unknown-terms": a.unknown_terms,
    })
}

/// A number of days with its unit, keeping the figure's qualifier: "не менее 120 суток".
fn days_text(w: &Words, f: &Figure) -> String {
    let text = w.figure(f);
    if !f.is_known() {
        return text;
    }
    let unit = w.days(f.high().unwrap_or(f.low()));
    let word = unit.rsplit_once('\u{a0}').map_or("", |(_, word)| word);
    format!("{text}\u{a0}{word}")
}

/// A stated or computed figure; amounts and terms are written with their unit.
fn stated_figure(w: &Words, report: &Report, key: StatedKey, f: &Figure) -> Value {
    let mut value = figure(w, f);
    let unit_text = match (key, f.is_known(), f.high()) {
        (StatedKey::FineAmounts, true, Some(hi)) => Some(money_range_text(w, report, f.low(), hi)),
        (StatedKey::ArrestDays, true, Some(hi)) => Some(w.days_range(f.low(), hi)),
        _ => None,
    };
    if let Some(text) = unit_text {
        value["text"] = json!(text);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_split_around_its_number() {
        assert_eq!(number_parts("около 1\u{a0}000 и более"), ("около", "1\u{a0}000", "и более"));
        assert_eq!(number_parts("200–2\u{202f}000"), ("", "200–2\u{202f}000", ""));
        assert_eq!(number_parts("more than 5,000."), ("more than", "5,000", "."));
        assert_eq!(number_parts("—"), ("—", "", ""));
    }

    #[test]
    fn long_addresses_get_break_points() {
        let zw = '\u{200b}';
        assert_eq!(breakable_url("http://a.kz/x"), format!("http:/{zw}/{zw}a.{zw}kz/{zw}x"));
        let long = breakable_url("abcdefghijklmnopqrstuvwxyz");
        assert_eq!(long, format!("abcdefghijklmn{zw}opqrstuvwxyz"));
    }
}

//! The layout of a bar chart of incidents and people detained over the report's period, worked
//! out here so that a template only draws it: which groups of months (month, quarter or year by
//! the period's length), clamped to the period; each bar's height; which value labels fit and
//! how (level or turned upright); which axis ticks are labelled, and where each year starts.
//!
//! Text widths are estimated from the font size (a digit of Libertinus Serif is half an em), a
//! little generously, so a label said to fit does fit.

use serde_json::{Value, json};

use crate::date::Date;
use crate::figure::Figure;
use crate::figures::{Bin, Binned, Summary};
use crate::locale::Words;

/// The width, in points, the built-in chart is laid out for: the press brief's text width
/// (A4 less two 2 cm margins).
pub const WIDTH: f64 = 481.9;

/// At most this many bars a chart shows; a longer period is grouped by quarter or year.
pub const MAX_GROUPS: usize = 24;

/// The size of value labels over the bars, and of tick labels under them, in points.
const VALUE_SIZE: f64 = 7.0;
const TICK_SIZE: f64 = 8.0;

/// The room above the tallest bar for an upright value label, in points.
pub const LABEL_ROOM: f64 = 30.0;

/// How the values over the bars are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueLabels {
    /// Level, over each bar.
    Level,
    /// Turned upright (reading upwards), when level ones would run into each other.
    Upright,
    /// None: the bars are too narrow even for upright labels.
    None,
}

impl ValueLabels {
    fn word(self) -> &'static str {
        match self {
            ValueLabels::Level => "level",
            ValueLabels::Upright => "upright",
            ValueLabels::None => "none",
        }
    }
}

/// The estimated width of `text` at `size` points: half an em a digit or small letter (a
/// little more than Libertinus Serif's), a quarter for a space, more for signs and capitals.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            ' ' | '\u{a0}' | '\u{202f}' => 0.25,
            '0'..='9' | '.' | ',' => 0.5,
            '~' | '>' | '<' | '≥' | '–' => 0.6,
            c if c.is_uppercase() => 0.68,
            _ => 0.5,
        })
        .sum::<f64>()
        * size
}

/// The space between two groups of bars and the width of one group, for `groups` groups.
pub fn pitch(groups: usize) -> (f64, f64) {
    let n = groups.max(1) as f64;
    let gutter = (WIDTH / n * 0.18).min(6.0);
    (gutter, (WIDTH - gutter * (n - 1.0)) / n)
}

/// How the values over the bars fit: level when the widest fits over its bar (each group has
/// two bars side by side), upright when a line of text fits the bar's width and the widest
/// fits the room above, else none.
pub fn value_labels<'a>(labels: impl IntoIterator<Item = &'a str>, group_width: f64) -> ValueLabels {
    let bar = group_width / 2.0 - 0.5;
    let widest = labels.into_iter().map(|t| text_width(t, VALUE_SIZE)).fold(0.0, f64::max);
    if widest <= bar {
        ValueLabels::Level
    } else if VALUE_SIZE * 1.1 <= bar && widest <= LABEL_ROOM {
        ValueLabels::Upright
    } else {
        ValueLabels::None
    }
}

/// Every how many groups a tick is labelled: the fewest that leave each label room, chosen
/// from steps that fall on the calendar (every 2, 3 or 6 months; every 2 quarters; every 2, 5
/// or 10 years).
pub fn tick_step(bin: Bin, widest: f64, pitch: f64) -> usize {
    let steps: &[usize] = match bin {
        Bin::Month => &[1, 2, 3, 6, 12],
        Bin::Quarter => &[1, 2, 4],
        Bin::Year => &[1, 2, 5, 10, 20, 50, 100],
    };
    steps.iter().copied().find(|&k| widest + 3.0 <= k as f64 * pitch).unwrap_or(*steps.last().unwrap_or(&1))
}

/// The position of a group in its calendar cycle (month of the year, quarter of the year, year),
/// counted from zero, so that ticks fall on January, April, … whatever month the period starts.
fn cycle(bin: Bin, start: Date) -> usize {
    match bin {
        Bin::Month => usize::from(start.month - 1),
        Bin::Quarter => usize::from((start.month - 1) / 3),
        Bin::Year => start.year.unsigned_abs() as usize,
    }
}

/// The chart of one report for a template: `report.chart` (see docs/templates.md).
pub fn chart(w: &Words, summary: &Summary, start: Date, end: Date) -> Value {
    let binned = summary.binned(start, end, MAX_GROUPS);
    layout(w, &binned)
}

/// The layout of grouped counts.
pub fn layout(w: &Words, binned: &Binned) -> Value {
    let groups = &binned.groups;
    let (gutter, group_width) = pitch(groups.len());
    let bin = binned.bin;
    let detained: Vec<Figure> = groups.iter().map(|(_, c)| c.get("detained").figure).collect();
    let incident_labels: Vec<String> = groups.iter().map(|(_, c)| w.number(c.incidents as u64)).collect();
    let detained_labels: Vec<String> = detained.iter().map(|f| w.compact_figure(f)).collect();
    let mode = value_labels(incident_labels.iter().chain(&detained_labels).map(String::as_str), group_width);
    let max_incidents = groups.iter().map(|(_, c)| c.incidents).max().unwrap_or(0).max(1) as f64;
    let max_detained = detained.iter().filter(|f| f.is_known()).map(Figure::low).max().unwrap_or(0).max(1) as f64;
    let ticks: Vec<String> = groups.iter().map(|(d, _)| tick_text(w, bin, *d)).collect();
    let widest_tick = ticks.iter().map(|t| text_width(t, TICK_SIZE)).fold(0.0, f64::max);
    let step = tick_step(bin, widest_tick, group_width + gutter);
    let years = year_marks(bin, groups.iter().map(|(d, _)| *d), group_width + gutter);
    let shown = |label: &str| {
        (mode != ValueLabels::None && (mode == ValueLabels::Level || label != "—")).then(|| label.to_string())
    };
    let bars: Vec<Value> = groups
        .iter()
        .enumerate()
        .map(|(i, (first, counts))| {
            let f = &detained[i];
            json!({
                "start": first.to_string(),
                "tick": cycle(bin, *first).is_multiple_of(step).then(|| ticks[i].clone()),
                "year": years[i],
                "year-start": i > 0 && bin != Bin::Year && cycle(bin, *first) == 0,
                "incidents": counts.incidents,
                "incidents-height": counts.incidents as f64 / max_incidents,
                "incidents-label": shown(&incident_labels[i]),
                "detained": f.is_known().then(|| f.low()),
                "detained-height": f.is_known().then(|| f.low() as f64 / max_detained),
                "detained-label": shown(&detained_labels[i]),
            })
        })
        .collect();
    let qualified = detained_labels.iter().any(|t| t.starts_with(['~', '>', '<', '≥']));
    let outside = binned.outside.incidents;
    json!({
        "unit": bin,
        "heading": w.label(match bin {
            Bin::Month => "chart-heading",
            Bin::Quarter => "chart-heading-quarter",
            Bin::Year => "chart-heading-year",
        }),
        "width": WIDTH,
        "gutter": gutter,
        "value-labels": mode.word(),
        "label-room": LABEL_ROOM,
        "bars": bars,
        "qualifiers": (qualified && mode != ValueLabels::None).then(|| w.label("chart-qualifiers")),
        "outside": (outside > 0).then(|| json!({
            "incidents": outside,
            "text": format!("{}: {}", w.label("chart-outside"), w.incidents(outside as u64)),
        })),
    })
}

/// The text of a group's tick: "Jan" / "янв.", "Q1" / "I кв.", "2017".
fn tick_text(w: &Words, bin: Bin, first: Date) -> String {
    match bin {
        Bin::Month => w.month_abbreviation(first),
        Bin::Quarter => w.quarter_abbreviation(first),
        Bin::Year => first.year.to_string(),
    }
}

/// The year written under each group that starts a year (and under the first group, unless the
/// next year's mark follows too closely): none for a chart by year, whose ticks are years.
fn year_marks(bin: Bin, firsts: impl Iterator<Item = Date>, pitch: f64) -> Vec<Option<String>> {
    let firsts: Vec<Date> = firsts.collect();
    if bin == Bin::Year {
        return vec![None; firsts.len()];
    }
    let mut marks: Vec<Option<String>> =
        firsts.iter().enumerate().map(|(i, d)| (i == 0 || cycle(bin, *d) == 0).then(|| d.year.to_string())).collect();
    let room = text_width("2000", TICK_SIZE) + 3.0;
    if let Some(next) = marks.iter().skip(1).position(Option::is_some)
        && (next + 1) as f64 * pitch < room
    {
        marks[0] = None;
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Language;

    fn day(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day: Some(day) }
    }

    #[test]
    fn the_grouping_follows_the_period_length() {
        // One month, two years: months; three years: 36 months, so quarters; ten years: 40
        // quarters, so years.
        assert_eq!(Bin::for_period(day(2017, 3, 1), day(2017, 3, 31), MAX_GROUPS), Bin::Month);
        assert_eq!(Bin::for_period(day(2017, 1, 1), day(2018, 12, 31), MAX_GROUPS), Bin::Month);
        assert_eq!(Bin::for_period(day(2017, 1, 1), day(2019, 12, 31), MAX_GROUPS), Bin::Quarter);
        assert_eq!(Bin::for_period(day(2010, 1, 1), day(2019, 12, 31), MAX_GROUPS), Bin::Year);
        assert_eq!(Bin::Quarter.groups(day(2017, 2, 1), day(2017, 4, 1)), 2);
        assert_eq!(
            Bin::Quarter.next(Date { year: 2017, month: 10, day: None }),
            Date { year: 2018, month: 1, day: None }
        );
    }

    #[test]
    fn ticks_thin_out_on_calendar_steps() {
        // "Sept" at 8 pt is estimated 17 pt wide, 20 pt with room: every month fits at 20 pt,
        // every second at 11 pt, and at 4 pt only every sixth (3 × 4 is too little, 6 × 4 enough).
        let widest = text_width("Sept", TICK_SIZE);
        assert_eq!(tick_step(Bin::Month, widest, 21.0), 1);
        assert_eq!(tick_step(Bin::Month, widest, 11.0), 2);
        assert_eq!(tick_step(Bin::Month, widest, 4.0), 6);
        assert_eq!(tick_step(Bin::Year, text_width("2017", TICK_SIZE), 4.0), 5);
    }

    #[test]
    fn value_labels_are_level_upright_or_left_out() {
        // 12 groups over 482 pt: bars about 17 pt wide hold "1 050" (about 16 pt) level.
        let (_, wide) = pitch(12);
        assert_eq!(value_labels(["1\u{202f}050", "6"], wide), ValueLabels::Level);
        // 24 groups: bars of about 7.8 pt; "≥1 050" (about 20 pt) is turned upright.
        let (_, narrow) = pitch(24);
        assert_eq!(value_labels(["≥1\u{202f}050", "6"], narrow), ValueLabels::Upright);
        // 60 groups: bars of 2.8 pt hold no text at all.
        let (_, thin) = pitch(60);
        assert_eq!(value_labels(["6"], thin), ValueLabels::None);
    }

    /// Two years of incidents with one row a year after the period: the `chart-long-period`
    /// case (the counts are made up here; the case's own file is tested end to end).
    #[test]
    fn a_two_year_chart_is_clamped_and_marks_its_years() {
        let w = Words::new(Language::En);
        let mut summary = Summary::default();
        let counts = crate::figures::detained_only;
        summary.by_month = vec![
            (Date { year: 2017, month: 3, day: None }, counts(6, Figure::more_than(175))),
            (Date { year: 2018, month: 5, day: None }, counts(2, Figure::exact(4))),
            (Date { year: 2019, month: 8, day: None }, counts(1, Figure::exact(1))),
        ];
        let chart = chart(&w, &summary, day(2017, 1, 1), day(2018, 12, 31));
        let bars = chart["bars"].as_array().unwrap();
        assert_eq!(bars.len(), 24, "January 2017 to December 2018, nothing of 2019");
        assert_eq!(chart["outside"]["incidents"], 1);
        assert_eq!(chart["outside"]["text"], "outside the period, not in the chart: 1\u{a0}incident");
        let years: Vec<(usize, &str)> =
            bars.iter().enumerate().filter_map(|(i, b)| Some((i, b["year"].as_str()?))).collect();
        assert_eq!(years, [(0, "2017"), (12, "2018")]);
        assert_eq!(bars[12]["year-start"], true);
        assert_eq!(bars[2]["incidents"], 6);
        assert_eq!(bars[2]["incidents-height"], 1.0);
        // Six incidents, each "more than 175": "more than 1,050" is written ">1,050".
        assert_eq!(bars[2]["detained-label"], ">1,050");
        assert_eq!(bars[16]["detained-height"], 8.0 / 1050.0);
        assert_eq!(chart["value-labels"], "upright");
        assert!(chart["qualifiers"].is_string());
        // 24 groups of 20 pt: every second month is labelled ("Sept" needs 20.4 pt), from
        // January of each year; the years are written apart.
        let ticks: Vec<&str> = bars.iter().filter_map(|b| b["tick"].as_str()).collect();
        assert_eq!(ticks, ["Jan", "Mar", "May", "Jul", "Sept", "Nov"].repeat(2));
    }
}

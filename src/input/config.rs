//! `report.toml`: what the report is, who signs it, where its data is, and its audiences.
//!
//! [`RawConfig`] mirrors the file (unknown keys are errors); [`Config::load`] reads it and checks
//! the values serde cannot (dates, figures, rates), reporting each problem with its position.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::date::Date;
use crate::diagnostic::{Diagnostic, line_column, toml_value_place, unknown_key_hint};
use crate::figure::{DecimalMark, Figure};
use crate::input::source::Source;
use crate::input::{incident, sanction};
use crate::locale::Language;
use crate::vocabulary::StatedKey;

/// Whether a value suits one of our columns, as `incident::check_value` tells.
pub(crate) type CheckValue = fn(&str, &str, Option<&str>, DecimalMark) -> Result<(), incident::Problem>;

/// The file name of a report's configuration.
pub const CONFIG_FILE: &str = "report.toml";

/// The audience tables of `report.toml`, as written, with their positions.
pub(crate) type Overlays = BTreeMap<String, Spanned<toml::Table>>;

/// The report's own settings, its audience tables and the `default_audience` it names.
pub(crate) type Base = (Config, Overlays, Option<Spanned<String>>);

/// `report.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    language: Language,
    date: Option<Spanned<DateValue>>,
    #[serde(default)]
    document_symbol: String,
    country: Option<String>,
    period: RawPeriod,
    venue: RawVenue,
    author: RawAuthor,
    currency: Option<RawCurrency>,
    #[serde(default)]
    data: RawData,
    #[serde(default)]
    stated: RawStated,
    #[serde(default)]
    recommendations: Vec<Recommendation>,
    #[serde(default)]
    sources: Vec<SourceLink>,
    sections: Option<Vec<String>>,
    #[serde(default)]
    privacy: RawPrivacy,
    #[serde(default)]
    statement: RawStatement,
    default_audience: Option<Spanned<String>>,
    #[serde(default)]
    audiences: BTreeMap<String, Spanned<toml::Table>>,
}

/// A date written as a TOML date (`2012-11-08`) or as text (`"08.11.2012"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DateValue {
    /// A TOML date literal.
    Toml(toml::value::Datetime),
    /// A date in text, read with [`Date::parse`].
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    start: Spanned<DateValue>,
    end: Spanned<DateValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVenue {
    meeting: String,
    session: Option<String>,
    topic: Option<String>,
    date: Option<Spanned<DateValue>>,
    place: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthor {
    organisation: String,
    signatory: Option<String>,
    position: Option<String>,
    place: Option<String>,
    date: Option<Spanned<DateValue>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCurrency {
    code: String,
    second: Option<String>,
    rate: Option<Spanned<f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStated {
    note: Option<String>,
    incidents: Option<Spanned<String>>,
    participants: Option<Spanned<String>>,
    police: Option<Spanned<String>>,
    detained: Option<Spanned<String>>,
    fined: Option<Spanned<String>>,
    arrested: Option<Spanned<String>>,
    warned: Option<Spanned<String>>,
    injured: Option<Spanned<String>>,
    pickets: Option<Spanned<String>>,
    fine_amounts: Option<Spanned<String>>,
    arrest_days: Option<Spanned<String>>,
}

/// `[privacy]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrivacy {
    #[serde(default)]
    not_names: Vec<String>,
}

/// `[statement]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatement {
    chronology_limit: Option<usize>,
}

/// Up to how many incidents the formal statement lists one by one, unless `report.toml` says:
/// the example's 14 and any list that keeps the statement within about ten pages.
pub const CHRONOLOGY_LIMIT: usize = 40;

/// `[data]` as written: each table a file name or a table of reading settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    incidents: Option<Spanned<toml::Value>>,
    sanctions: Option<Spanned<toml::Value>>,
}

/// Where a report's tables are and how to read them.
#[derive(Debug, Clone)]
pub struct DataFiles {
    /// The incident list.
    pub incidents: Source,
    /// The sanctions list.
    pub sanctions: Source,
    /// Whether `report.toml` names the sanctions list (else a missing `sanctions.csv` means none).
    pub sanctions_named: bool,
}

/// Recommendations to one addressee.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    /// Whom they are addressed to ("to the Government of Kazakhstan").
    pub addressee: String,
    /// The recommendations, one sentence or paragraph each.
    pub items: Vec<String>,
}

/// A source the statement cites.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceLink {
    /// The address.
    pub url: String,
    /// What it shows.
    #[serde(default)]
    pub title: String,
}

/// How persons' names are shown to an audience.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Redact {
    /// Names in full.
    #[default]
    None,
    /// Initials only ("Б. Т.").
    Initials,
    /// No name at all.
    Withheld,
}

/// The venue the statement is submitted to.
#[derive(Debug, Clone)]
pub struct Venue {
    /// The meeting's name.
    pub meeting: String,
    /// The working session ("Сессия 2").
    pub session: Option<String>,
    /// The session's agenda topic.
    pub topic: Option<String>,
    /// The day of the session.
    pub date: Option<Date>,
    /// Where the meeting takes place.
    pub place: Option<String>,
}

/// The organisation and the person who sign the statement.
#[derive(Debug, Clone)]
pub struct Author {
    /// The organisation's name.
    pub organisation: String,
    /// Who signs.
    pub signatory: Option<String>,
    /// The signatory's position.
    pub position: Option<String>,
    /// Where it is signed.
    pub place: Option<String>,
    /// When it is signed.
    pub date: Date,
}

/// The currency of amounts and an optional second one to convert to.
#[derive(Debug, Clone)]
pub struct Currency {
    /// The code of the currency amounts are written in (`KZT`).
    pub code: String,
    /// The second currency and how many units of `code` one unit of it costs.
    pub second: Option<(String, f64)>,
}

/// A figure the author states for the period, from wider monitoring than the rows.
#[derive(Debug, Clone)]
pub struct StatedFigure {
    /// Which figure.
    pub key: StatedKey,
    /// The stated value.
    pub value: Figure,
    /// Where it is written in `report.toml` (1-based line, column).
    pub position: (usize, usize),
}

/// The checked configuration of a report.
#[derive(Debug, Clone)]
pub struct Config {
    /// The report's title.
    pub title: String,
    /// The report's language.
    pub language: Language,
    /// The document's date.
    pub date: Date,
    /// The symbol the venue assigns (blank until then).
    pub document_symbol: String,
    /// The participating State the report is about.
    pub country: Option<String>,
    /// First day of the period covered.
    pub period_start: Date,
    /// Last day of the period covered.
    pub period_end: Date,
    /// Where it is submitted.
    pub venue: Venue,
    /// Who submits it.
    pub author: Author,
    /// The currency of amounts.
    pub currency: Currency,
    /// Where the tables are.
    pub data: DataFiles,
    /// The scope of the stated figures.
    pub stated_note: Option<String>,
    /// Figures stated for the period.
    pub stated: Vec<StatedFigure>,
    /// Recommendations by addressee.
    pub recommendations: Vec<Recommendation>,
    /// Cited sources.
    pub sources: Vec<SourceLink>,
    /// Narrative files, if listed explicitly.
    pub sections: Option<Vec<String>>,
    /// Phrases that contain a listed surname but name no person ("Example City"), declared in
    /// `[privacy] not_names`: the leak check of a redacting audience lets them pass.
    pub not_names: Vec<String>,
    /// `[statement] chronology_limit`: up to how many incidents the statement lists one by one;
    /// above it, it gives the figures by month, kind and city and the leading incidents.
    pub chronology_limit: usize,
}

/// Collects problems found while checking the file's values.
pub(crate) struct Checker<'a> {
    text: &'a str,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Records an error at a byte range of the file.
    pub(crate) fn error(&mut self, span: Range<usize>, message: String) {
        let (line, column) = line_column(self.text, span.start);
        self.problems.push(Diagnostic::error(CONFIG_FILE, line, column, message));
    }

    /// A date value, or an error at its position.
    fn date(&mut self, key: &str, value: &Spanned<DateValue>) -> Date {
        match value.get_ref() {
            DateValue::Toml(dt) if dt.date.is_some() && dt.time.is_none() => Date::from(*dt),
            DateValue::Toml(dt) => {
                self.error(value.span(), format!("`{key}`: `{dt}` is not a calendar day (write 2012-11-08)"));
                Date::from(*dt)
            }
            DateValue::Text(text) => match Date::parse(text) {
                Ok(d) if d.day.is_some() => d,
                Ok(d) => {
                    self.error(value.span(), format!("`{key}`: `{text}` names a month, a day is needed"));
                    d
                }
                Err(e) => {
                    self.error(value.span(), format!("`{key}`: `{text}` {}", e.message));
                    Date { year: 1970, month: 1, day: Some(1) }
                }
            },
        }
    }

    /// Checks the values `[data.TABLE]` recodes cells to (`values`) and fixes (`fixed`) as
    /// `check_value` reads a cell of the column, each at its place in the file, and notes where
    /// each `values` key is written.
    fn recoding(&mut self, table: &str, source: &mut Source, check_value: CheckValue) {
        let format = source.date_format.as_deref();
        let mut places = BTreeMap::new();
        for (ours, map) in &source.values {
            for (from, to) in map {
                let path = ["data", table, "values", ours, from];
                let (line, column) = toml_value_place(self.text, &path).unwrap_or((0, 0));
                places.insert((ours.clone(), from.clone()), (line, column));
                if let Err((message, hint)) = check_value(ours, to.trim(), format, DecimalMark::Point) {
                    let message = if to.trim().is_empty() {
                        format!("`data.{table}.values.{ours}`: `{from}` is recoded to blank: {message}")
                    } else {
                        format!("`data.{table}.values.{ours}`: `{to}` (for `{from}`) {message}")
                    };
                    self.at(line, column, message, hint);
                }
            }
        }
        for (ours, value) in &source.fixed {
            if let Err((message, hint)) = check_value(ours, value.trim(), format, DecimalMark::Point) {
                let (line, column) = toml_value_place(self.text, &["data", table, "fixed", ours]).unwrap_or((0, 0));
                self.at(line, column, format!("`data.{table}.fixed.{ours}`: `{value}` {message}"), hint);
            }
        }
        source.value_places = places;
    }

    /// Records an error at a line and column of the file, with a hint.
    fn at(&mut self, line: usize, column: usize, message: String, hint: Option<String>) {
        let problem = Diagnostic::error(CONFIG_FILE, line, column, message);
        self.problems.push(match hint {
            Some(hint) => problem.with_hint(hint),
            None => problem,
        });
    }

    /// A stated figure, or an error at its position.
    fn figure(&mut self, key: StatedKey, value: &Option<Spanned<String>>, out: &mut Vec<StatedFigure>) {
        let Some(value) = value else { return };
        match Figure::parse(value.get_ref()) {
            Ok(f) => out.push(StatedFigure { key, value: f, position: line_column(self.text, value.span().start) }),
            Err(e) => self.error(value.span(), format!("`stated.{key}`: `{}` {e}", value.get_ref())),
        }
    }
}

impl Config {
    /// Reads the report's own settings from the text of `report.toml`; the audience tables and
    /// `default_audience` are returned as written, for [`crate::input::audience::Audiences`].
    /// Fails with every problem found.
    pub(crate) fn parse(text: &str) -> Result<Base, Vec<Diagnostic>> {
        let mut raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_error(text, &e)])?;
        let overlays = std::mem::take(&mut raw.audiences);
        let named_default = raw.default_audience.take();
        let mut check = Checker { text, problems: Vec::new() };
        let config = Self::check(raw, &mut check);
        if check.problems.is_empty() { Ok((config, overlays, named_default)) } else { Err(check.problems) }
    }

    /// Turns the file's values into a configuration, recording what is wrong with them.
    fn check(raw: RawConfig, check: &mut Checker) -> Config {
        let date = match &raw.date {
            Some(date) => check.date("date", date),
            None => source_date_epoch().unwrap_or_else(|| {
                check.error(0..0, "`date` is missing: give the document's date (or set SOURCE_DATE_EPOCH)".into());
                Date { year: 1970, month: 1, day: Some(1) }
            }),
        };
        let period_start = check.date("period.start", &raw.period.start);
        let period_end = check.date("period.end", &raw.period.end);
        if period_end < period_start {
            check.error(raw.period.end.span(), "`period.end` is before `period.start`".into());
        }
        let venue = Venue {
            meeting: raw.venue.meeting,
            session: raw.venue.session,
            topic: raw.venue.topic,
            date: raw.venue.date.as_ref().map(|d| check.date("venue.date", d)),
            place: raw.venue.place,
        };
        let author = Author {
            organisation: raw.author.organisation,
            signatory: raw.author.signatory,
            position: raw.author.position,
            place: raw.author.place,
            date: raw.author.date.as_ref().map(|d| check.date("author.date", d)).unwrap_or(date),
        };
        let currency = Self::currency(raw.currency, check);
        let stated = Self::stated(&raw.stated, check);
        Config {
            title: raw.title,
            language: raw.language,
            date,
            document_symbol: raw.document_symbol,
            country: raw.country,
            period_start,
            period_end,
            venue,
            author,
            currency,
            data: Self::data(&raw.data, check),
            stated_note: raw.stated.note.clone(),
            stated,
            recommendations: raw.recommendations,
            sources: raw.sources,
            sections: raw.sections,
            not_names: raw.privacy.not_names,
            chronology_limit: raw.statement.chronology_limit.unwrap_or(CHRONOLOGY_LIMIT),
        }
    }

    /// The data files and how to read them.
    fn data(raw: &RawData, check: &mut Checker) -> DataFiles {
        let mut source = |key: &str, value: &Option<Spanned<toml::Value>>, default: &str, columns: &[&str]| {
            let Some(value) = value else { return Source::plain(default) };
            Source::from_toml(value.get_ref(), columns).unwrap_or_else(|(message, hint)| {
                // At the key the message names first (`encoding`, `delimiter`, …), else the table.
                let named = message.split('`').nth(1).filter(|k| !k.contains(' '));
                let at = named.and_then(|k| toml_value_place(check.text, &["data", key, k]));
                let (line, column) = at.unwrap_or_else(|| line_column(check.text, value.span().start));
                let d = Diagnostic::error(CONFIG_FILE, line, column, format!("`data.{key}`: {message}"));
                check.problems.push(match hint {
                    Some(h) => d.with_hint(h),
                    None => d,
                });
                Source::plain(default)
            })
        };
        let mut incidents = source("incidents", &raw.incidents, "incidents.csv", &incident::COLUMNS);
        let mut sanctions = source("sanctions", &raw.sanctions, "sanctions.csv", &sanction::COLUMNS);
        check.recoding("incidents", &mut incidents, incident::check_value);
        check.recoding("sanctions", &mut sanctions, sanction::check_value);
        DataFiles { incidents, sanctions, sanctions_named: raw.sanctions.is_some() }
    }

    /// The currency, checking that a conversion rate is given with a second currency.
    fn currency(raw: Option<RawCurrency>, check: &mut Checker) -> Currency {
        let Some(raw) = raw else {
            return Currency { code: String::new(), second: None };
        };
        let second = match (raw.second, raw.rate) {
            (Some(code), Some(rate)) if rate.get_ref().is_finite() && *rate.get_ref() > 0.0 => {
                Some((code, *rate.get_ref()))
            }
            (Some(_), Some(rate)) => {
                check.error(rate.span(), format!("`currency.rate`: `{}` must be a positive number", rate.get_ref()));
                None
            }
            (Some(code), None) => {
                check.error(0..0, format!("`currency.second` is `{code}` but `currency.rate` is missing"));
                None
            }
            (None, _) => None,
        };
        Currency { code: raw.code, second }
    }

    /// The stated figures, in the order a reader expects them.
    fn stated(raw: &RawStated, check: &mut Checker) -> Vec<StatedFigure> {
        let mut out = Vec::new();
        check.figure(StatedKey::Incidents, &raw.incidents, &mut out);
        check.figure(StatedKey::Participants, &raw.participants, &mut out);
        check.figure(StatedKey::Police, &raw.police, &mut out);
        check.figure(StatedKey::Detained, &raw.detained, &mut out);
        check.figure(StatedKey::Fined, &raw.fined, &mut out);
        check.figure(StatedKey::FineAmounts, &raw.fine_amounts, &mut out);
        check.figure(StatedKey::Arrested, &raw.arrested, &mut out);
        check.figure(StatedKey::ArrestDays, &raw.arrest_days, &mut out);
        check.figure(StatedKey::Warned, &raw.warned, &mut out);
        check.figure(StatedKey::Injured, &raw.injured, &mut out);
        check.figure(StatedKey::Pickets, &raw.pickets, &mut out);
        out
    }
}

/// The day of `SOURCE_DATE_EPOCH` (seconds since 1970, UTC), the reproducible-builds convention
/// for a build date that is not the clock's.
fn source_date_epoch() -> Option<Date> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    let day = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?.date();
    Date::from_ymd(day.year(), u8::from(day.month()), day.day())
}

/// A TOML syntax or type error as a diagnostic, with a "did you mean" hint for unknown keys.
fn toml_error(text: &str, error: &toml::de::Error) -> Diagnostic {
    let (line, column) = error.span().map_or((1, 1), |span| line_column(text, span.start));
    let message = error.message().trim().to_string();
    let hint = unknown_key_hint(&message);
    let diagnostic = Diagnostic::error(CONFIG_FILE, line, column, message);
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// The text of `report.toml`, which must be UTF-8 (TOML is); anything else is an error at the
/// first bad byte.
pub fn settings_text(bytes: Vec<u8>) -> Result<String, Vec<Diagnostic>> {
    let bytes = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        vec![
            crate::input::source::not_utf8(CONFIG_FILE, e.as_bytes(), e.utf8_error().valid_up_to()).with_hint(
                "TOML files are UTF-8: open report.toml in a text editor and save it with the encoding UTF-8",
            ),
        ]
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::input::audience::read;

    /// The smallest valid report.toml, shared by the tests of the modules that read it.
    pub(crate) const MINIMAL: &str = r#"
title = "T"
language = "ru"
date = 2012-11-08
[period]
start = 2012-01-01
end = 2012-10-31
[venue]
meeting = "M"
[author]
organisation = "O"
"#;

    #[test]
    fn a_minimal_file_gets_the_default_audience() {
        let (c, audiences) = read(MINIMAL).unwrap();
        assert_eq!(audiences.default, "osce");
        assert_eq!(audiences.by_name["osce"].template, "osce-submission");
        assert_eq!(audiences.by_name["osce"].config.title, "T");
        assert_eq!(c.author.date, c.date);
        assert_eq!(c.data.incidents.file, "incidents.csv");
    }

    #[test]
    fn a_misspelt_key_is_pointed_at_with_a_suggestion() {
        let text = MINIMAL.replace("title = \"T\"", "titel = \"T\"");
        let errors = read(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!((e.file.as_str(), e.line, e.column), ("report.toml", 2, 1));
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
        assert_eq!(e.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn bad_values_are_all_reported_with_their_positions() {
        let text = format!("{MINIMAL}[stated]\ndetained = \"about a hundred\"\nfined = \"16x\"\n");
        let errors = read(&text).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (13, 12));
        assert_eq!(errors[0].message, "`stated.detained`: `about a hundred` is not a count: `a` cannot be part of one");
        assert_eq!(errors[1].line, 14);
    }

    #[test]
    fn period_must_run_forwards() {
        let text = MINIMAL.replace("end = 2012-10-31", "end = 2011-10-31");
        let errors = read(&text).unwrap_err();
        assert!(errors[0].message.contains("before"), "{errors:?}");
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\nвгд", 7), (2, 3));
        assert_eq!(line_column("x", 0), (1, 1));
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_panic(text in "\\PC{0,200}") {
            let _ = read(&text);
        }

        #[test]
        fn any_value_in_a_known_key_is_read_or_refused_without_panic(
            key in "(title|language|date|document_symbol|period.start|venue.date|currency.rate|stated.detained|stated.fine_amounts|audiences.a.redact|audiences.a.template|audiences.a.language|audiences.a.venue.date|audiences.a.stated.note)",
            value in "(\"[^\"\\\\]{0,12}\"|-?[0-9]{1,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}|true|\\[\\]|-?[0-9]\\.[0-9]e[0-9]{1,3})",
        ) {
            let text = format!("{MINIMAL}\n");
            let (table, rest) = key.rsplit_once('.').map_or((None, key.as_str()), |(t, k)| (Some(t), k));
            let text = match table {
                Some(t) => format!("{text}[{t}]\n{rest} = {value}\n"),
                None => format!("{rest} = {value}\n{text}"),
            };
            let _ = read(&text);
        }
    }
}

//! Dates as incident lists and spreadsheet exports write them: full days (`2012-02-25`,
//! `25.02.2012`, `2022-01-16 00:00:00`) or a month when the day is not known (`2012-09`, `09.2012`,
//! `02/2024`, `Feb-24`), with month names in English, Russian, German, French, Ukrainian and Kazakh.
//! A refused form gets a hint: the `date_format` that would read it, or how to write it.

use std::fmt;

/// A calendar day, or a month when the source gives no day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2012.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, or `None` when only the month is known.
    pub day: Option<u8>,
}

/// Why a date cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateError {
    /// What was wrong, lowercase.
    pub message: String,
    /// What would read it: the `date_format` that reads the form, or how to write it.
    pub hint: Option<String>,
}

impl ParseDateError {
    /// A refusal without a hint.
    fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), hint: None }
    }

    /// The same refusal with a hint.
    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same refusal with a hint naming the `date_format` that reads the form.
    fn format_hint(self, format: &str) -> Self {
        self.hint(format!("add `date_format = \"{format}\"` to this file's [data] settings in report.toml"))
    }
}

impl Date {
    /// A full day; `None` if it does not exist in the calendar.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Self> {
        let m = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, m, day).ok()?;
        Some(Self { year, month, day: Some(day) })
    }

    /// A month; `None` if the month number is out of range.
    pub fn from_ym(year: i32, month: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self { year, month, day: None })
    }

    /// Reads a date in `format` (strftime-style, `%m/%d/%Y`) when one is given, else as
    /// [`Date::parse`] does; the day must lie in [`YEARS`] like any other.
    ///
    /// A cell the format does not read is read as [`Date::parse`] reads it, so one file may mix
    /// `01/16/2022` (the format's) with `2022-01-16 00:00:00`, `22.01.2022` or `02/2024`: these
    /// forms have one reading whatever the format. One exception: when the format puts the month
    /// before the day (`%m.%d.%Y`, `%m/%d/%Y`), a day-first `22.01.2022` contradicts it and is
    /// refused. A time of day after the date is dropped even if the format has none.
    pub fn parse_as(cell: &str, format: Option<&str>) -> Result<Self, ParseDateError> {
        let Some(format) = format else { return Self::parse(cell) };
        let trimmed = cell.trim();
        let by_format = chrono::NaiveDate::parse_from_str(trimmed, format).or_else(|e| {
            // `1/16/2022 0:00` with `%m/%d/%Y`: the day, its time dropped.
            match without_time(trimmed) {
                Ok(day) if day.len() < trimmed.len() => chrono::NaiveDate::parse_from_str(day, format),
                _ => Err(e),
            }
        });
        let error = match by_format {
            Ok(day) => {
                use chrono::Datelike;
                return checked(i64::from(day.year()), u64::from(day.month()), Some(u64::from(day.day())));
            }
            Err(e) => e,
        };
        let refused = ParseDateError::new(format!("does not match the date format `{format}` ({error})"));
        match Self::parse(cell) {
            Ok(_) if month_first(format) && day_first(trimmed) => Err(refused.hint(
                "the date_format puts the month first, this date the day: write it 2012-02-25 if the day comes first",
            )),
            Ok(date) => Ok(date),
            Err(other) => Err(ParseDateError { hint: other.hint, ..refused }),
        }
    }

    /// Reads `2012-02-25`, `25.02.2012`, `2012-09` or `09.2012`, dates with a month's name in
    /// English, Russian, German, French, Ukrainian or Kazakh (`12 June 2018`, `June 12, 2018`,
    /// `9 ноября 2012 г.`, `сентябрь 2012`, `16. Januar 2022`), the forms spreadsheets export
    /// (`2022-01-16 00:00:00`, `2022-01-16T00:00:00`, `2024/01/16`, `02/2024`, `Feb-24`,
    /// `16-Jan-24`).
    ///
    /// Every part is checked before it is used: the year has four digits and lies in [`YEARS`],
    /// the month is 1–12, the day exists in that month (29 February only in a leap year); day and
    /// month have one or two digits. Nothing wraps: `2012-261-01` and `257.01.2012` are refused.
    /// A time of day after the date (`14:30`, `00:00:00`) is checked and dropped: the date is the
    /// day written. A time with a zone (`00:00:00Z`) is refused, as the zone could move the day.
    /// Two-digit years are read only in a spreadsheet's own month displays (`Feb-24`,
    /// `16-Jan-24`), as the spreadsheet reads them: 00–29 as 2000–2029, 30–99 as 1930–1999.
    /// `02/03/2024` (day or month first?) is refused, with the `date_format` that would read it.
    pub fn parse(cell: &str) -> Result<Self, ParseDateError> {
        // The common case, `2012-02-25`, read without splitting.
        match iso_day(crate::text::trim(cell).as_bytes()) {
            Some(date) => Ok(date),
            None => Self::parse_general(cell),
        }
    }

    /// Reads any cell [`Date::parse`] accepts.
    fn parse_general(cell: &str) -> Result<Self, ParseDateError> {
        let s = without_time(cell.trim())?;
        if s.chars().any(char::is_alphabetic) {
            return named_month(s);
        }
        if s.contains('/') {
            return slashed(s);
        }
        // One separator throughout: `2012-02.25` is not a date.
        let iso = s.contains('-');
        let parts: Vec<&str> = s.split(if iso { '-' } else { '.' }).collect();
        if parts.iter().any(|p| p.is_empty() || !digits(p)) {
            return Err(not_a_date());
        }
        match (parts.as_slice(), iso) {
            (&[d, m, y], false) if y.len() == 2 => from_parts(y, m, Some(d)).map_err(|e| e.format_hint("%d.%m.%y")),
            (&[y, m, d], true) | (&[d, m, y], false) => from_parts(y, m, Some(d)),
            (&[y, m], true) | (&[m, y], false) => from_parts(y, m, None),
            _ => Err(not_a_date()),
        }
    }

    /// The month this date falls in.
    pub fn month_start(&self) -> Date {
        Date { day: None, ..*self }
    }

    /// Whether this date (or any day of this month) lies within `start..=end`.
    pub fn within(&self, start: Date, end: Date) -> bool {
        let first = Date { day: Some(self.day.unwrap_or(1)), ..*self };
        let last = Date { day: Some(self.day.unwrap_or(31)), ..*self };
        last >= start && first <= end
    }
}

/// The refusal of a cell that is no date form we know.
fn not_a_date() -> ParseDateError {
    ParseDateError::new("is not a date")
        .hint("write 2012-02-25 or 25.02.2012, or 2012-09 when the day is unknown; another form needs a `date_format`")
}

/// Whether `s` is one or more ASCII digits.
fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The date part of `s`, a time of day after it (`2022-01-16 00:00:00`, `2022-01-16T14:30`,
/// `16.01.2022 0:00`) checked and dropped; `s` itself when it has no time.
fn without_time(s: &str) -> Result<&str, ParseDateError> {
    if !s.contains(':') {
        return Ok(s);
    }
    let iso_t = s.split_once('T').filter(|(d, _)| d.bytes().all(|b| b.is_ascii_digit() || b == b'-'));
    let Some((date, time)) = iso_t.or_else(|| s.rsplit_once(char::is_whitespace)) else {
        return Err(not_a_date());
    };
    if !time.contains(':') {
        return Err(not_a_date());
    }
    if time.contains(['Z', 'z', '+', '-']) {
        return Err(ParseDateError::new(format!(
            "is not a date: the time `{time}` has a time zone, which could move the day"
        ))
        .hint("write the day alone, as it was where the incident happened (2022-01-16)"));
    }
    let parts: Vec<&str> = time.split(':').collect();
    let (seconds, fraction) = match parts.get(2) {
        Some(s) => s.split_once('.').map_or((*s, None), |(s, f)| (s, Some(f))),
        None => ("00", None),
    };
    let number = |p: &str, width: std::ops::RangeInclusive<usize>, most: u32| {
        digits(p) && width.contains(&p.len()) && p.parse::<u32>().is_ok_and(|n| n <= most)
    };
    let good = (2..=3).contains(&parts.len())
        && number(parts[0], 1..=2, 23)
        && number(parts[1], 2..=2, 59)
        && number(seconds, 2..=2, 59)
        && fraction.is_none_or(|f| digits(f) && f.len() <= 9);
    if !good {
        return Err(ParseDateError::new(format!("is not a date: `{time}` is not a time of day (00:00 to 23:59:59)")));
    }
    Ok(date.trim_end())
}

/// A date written with slashes: year first (`2024/01/16`, `2024/01`) and month and year
/// (`02/2024`) have one reading; day and month with the year last (`16/01/2022`, `01/16/2022`)
/// depend on the file's convention and are read only through its `date_format`.
fn slashed(s: &str) -> Result<Date, ParseDateError> {
    let parts: Vec<&str> = s.split('/').collect();
    if !parts.iter().all(|p| digits(p)) {
        return Err(not_a_date());
    }
    let number = |p: &str| if p.len() > 2 { u32::MAX } else { p.parse::<u32>().unwrap_or(u32::MAX) };
    match *parts.as_slice() {
        [y, m, d] if y.len() == 4 => from_parts(y, m, Some(d)),
        [y, m] if y.len() == 4 => from_parts(y, m, None),
        [m, y] if y.len() == 4 => from_parts(y, m, None),
        [a, b, y] if y.len() == 4 || y.len() == 2 => {
            let year = if y.len() == 4 { "%Y" } else { "%y" };
            let (day_first, month_first) = (format!("%d/%m/{year}"), format!("%m/%d/{year}"));
            match (number(a), number(b)) {
                (1..=12, 1..=12) => Err(ParseDateError::new("is ambiguous: day-first or month-first?").hint(format!(
                    "write 25.02.2012 or 2012-02-25, or add `date_format = \"{day_first}\"` (day first) or \
                     `\"{month_first}\"` (month first) to this file's [data] settings in report.toml"
                ))),
                (13..=31, 1..=12) => Err(ParseDateError::new(
                    "is not read without a `date_format`: slash dates are written day first \
                         or month first",
                )
                .format_hint(&day_first)),
                (1..=12, 13..=31) => Err(ParseDateError::new(
                    "is not read without a `date_format`: slash dates are written day first \
                         or month first",
                )
                .format_hint(&month_first)),
                _ => Err(not_a_date()),
            }
        }
        _ => Err(not_a_date()),
    }
}

/// Whether `format` puts the month before the day, with the year not first (`%m/%d/%Y`).
fn month_first(format: &str) -> bool {
    let at = |codes: &[&str]| codes.iter().filter_map(|c| format.find(c)).min();
    match (at(&["%m", "%b", "%B"]), at(&["%d", "%e"]), at(&["%Y", "%y"])) {
        (Some(m), Some(d), year) => m < d && year.is_none_or(|y| y > m),
        _ => false,
    }
}

/// Whether `cell` is a dotted day, month and year in numbers (`22.01.2022`), whose order is the
/// convention's.
fn day_first(cell: &str) -> bool {
    let day = without_time(cell).unwrap_or(cell);
    let parts: Vec<&str> = day.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| digits(p))
}

/// Month names (English, Russian, German, French, Ukrainian, Kazakh; the Slavic ones in the
/// nominative and genitive) and their abbreviations.
const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "jan",
        "январь",
        "января",
        "янв",
        "januar",
        "jänner",
        "janvier",
        "janv",
        "січень",
        "січня",
        "січ",
        "қаңтар",
    ],
    &[
        "february",
        "feb",
        "февраль",
        "февраля",
        "фев",
        "февр",
        "februar",
        "feber",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "fév",
        "лютий",
        "лютого",
        "лют",
        "ақпан",
    ],
    &[
        "march",
        "mar",
        "март",
        "марта",
        "мар",
        "märz",
        "maerz",
        "mär",
        "mrz",
        "mars",
        "березень",
        "березня",
        "бер",
        "наурыз",
    ],
    &["april", "apr", "апрель", "апреля", "апр", "avril", "avr", "квітень", "квітня", "квіт", "сәуір"],
    &["may", "май", "мая", "mai", "травень", "травня", "трав", "мамыр"],
    &["june", "jun", "июнь", "июня", "июн", "juni", "juin", "червень", "червня", "черв", "маусым"],
    &["july", "jul", "июль", "июля", "июл", "juli", "juillet", "juil", "липень", "липня", "лип", "шілде"],
    &["august", "aug", "август", "августа", "авг", "août", "aout", "серпень", "серпня", "серп", "тамыз"],
    &[
        "september",
        "sep",
        "sept",
        "сентябрь",
        "сентября",
        "сен",
        "сент",
        "septembre",
        "вересень",
        "вересня",
        "вер",
        "қыркүйек",
    ],
    &["october", "oct", "октябрь", "октября", "окт", "oktober", "okt", "octobre", "жовтень", "жовтня", "жовт", "қазан"],
    &["november", "nov", "ноябрь", "ноября", "ноя", "нояб", "novembre", "листопад", "листопада", "лист", "қараша"],
    &[
        "december",
        "dec",
        "декабрь",
        "декабря",
        "дек",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "грудень",
        "грудня",
        "груд",
        "желтоқсан",
    ],
];

/// The years a date may name: any incident list's, and a typing slip such as `1012` or `2912` is
/// refused rather than read.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Month names in English, for messages.
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Words a date may carry besides day, month and year: "year" after it in Russian (`г.`, `года`),
/// Ukrainian (`р.`, `року`) and Kazakh (`2022 жылғы`), and French ordinals (`1er`).
const YEAR_WORDS: [&str; 8] = ["г", "года", "год", "р", "року", "рік", "ж", "жылғы"];

/// A date with a month's name: day (optional), month, year, in either order of day and month
/// (or year, day, month as Kazakh writes it); a spreadsheet's `Feb-24` and `16-Jan-24`.
fn named_month(cell: &str) -> Result<Date, ParseDateError> {
    let lower = cell.trim().to_lowercase();
    if let Some(date) = spreadsheet_month(&lower) {
        return date;
    }
    let lower = lower.replace(['.', ',', '-'], " ");
    let words: Vec<&str> = lower
        .split_whitespace()
        .filter(|w| !YEAR_WORDS.contains(w))
        .map(|w| if w == "1er" { "1" } else { w })
        .collect();
    let month_of = |w: &str| MONTHS.iter().position(|names| names.contains(&w)).and_then(|i| u64::try_from(i + 1).ok());
    let (day, month, year) = match words.as_slice() {
        [d, m, y] | [m, d, y] if month_of(m).is_some() && digits(d) => (Some(*d), month_of(m), *y),
        [y, d, m] if month_of(m).is_some() && y.len() == 4 => (Some(*d), month_of(m), *y),
        [m, y] | [y, m] if month_of(m).is_some() => (None, month_of(m), *y),
        _ => (None, None, ""),
    };
    match (day, month) {
        (Some(d), Some(m)) if digits(d) && digits(year) => from_parts(year, &m.to_string(), Some(d)),
        (None, Some(m)) if digits(year) => from_parts(year, &m.to_string(), None),
        _ => Err(ParseDateError::new("is not a date").hint(
            "write 2012-02-25, 25.02.2012, 25 February 2012, or 2012-09 when the day is unknown; \
             another form needs a `date_format`",
        )),
    }
}

/// A spreadsheet's own displays of a date: `Feb-24` (`mmm-yy`, February 2024), `16-Jan-24`
/// (`d-mmm-yy`), and `25-Feb` (`d-mmm`, refused: it shows no year). `None` for other text.
fn spreadsheet_month(lower: &str) -> Option<Result<Date, ParseDateError>> {
    let parts: Vec<&str> = lower.split('-').collect();
    let month = |w: &str| MONTHS.iter().position(|names| names.contains(&w)).map(|i| (i + 1).to_string());
    let two = |w: &str| w.len() == 2 && digits(w);
    let year = |yy: &str| format!("{}{yy}", if yy < "30" { "20" } else { "19" });
    match *parts.as_slice() {
        [m, yy] if two(yy) => Some(from_parts(&year(yy), &month(m)?, None)),
        [d, m, yy] if two(yy) && digits(d) => Some(from_parts(&year(yy), &month(m)?, Some(d))),
        [d, m] if digits(d) && d.len() <= 2 => {
            month(m)?;
            Some(Err(ParseDateError::new("is not a date: it has no year (a spreadsheet's `d-mmm` display)")
                .hint("format the column as a full date (2024-02-25) before exporting, or write it so")))
        }
        _ => None,
    }
}

/// The date of a year, month and day written in digits (checked as [`checked`] does); the year
/// has four digits, the month and day one or two.
fn from_parts(year: &str, month: &str, day: Option<&str>) -> Result<Date, ParseDateError> {
    let error = |message: String| Err(ParseDateError::new(message));
    if year.len() != 4 {
        return error(format!("is not a date: the year `{year}` must have four digits (2012)"));
    }
    // Parts are ASCII digits; more than nine cannot be a day or month, and cannot overflow.
    let number = |p: &str| if p.len() > 9 { u64::MAX } else { p.bytes().fold(0, |n, d| n * 10 + u64::from(d - b'0')) };
    let date = checked(i64::try_from(number(year)).unwrap_or(i64::MAX), number(month), day.map(number))?;
    if month.len() > 2 || day.is_some_and(|d| d.len() > 2) {
        return error("is not a date: a day or month has one or two digits (25.02.2012)".into());
    }
    Ok(date)
}

/// The day (or, without `day`, the month) named by numbers, each checked before it is used:
/// the year in [`YEARS`], the month 1–12, the day within that month.
fn checked(year: i64, month: u64, day: Option<u64>) -> Result<Date, ParseDateError> {
    let error = |message: String| Err(ParseDateError::new(message));
    let (first, last) = (YEARS.start(), YEARS.end());
    let Some(year) = i32::try_from(year).ok().filter(|y| YEARS.contains(y)) else {
        return error(format!("is not a date: the year {year} is outside {first}–{last}"));
    };
    let Some(month) = u8::try_from(month).ok().filter(|m| (1..=12).contains(m)) else {
        return error(format!("is not a date: there is no month {month} (months run 1–12)"));
    };
    let Some(day) = day else { return Ok(Date { year, month, day: None }) };
    let length = days_in_month(year, month);
    match u8::try_from(day).ok().filter(|d| (1..=length).contains(d)) {
        Some(day) => Ok(Date { year, month, day: Some(day) }),
        None => {
            let name = MONTH_NAMES[usize::from(month - 1)];
            error(format!("is not a day of the calendar: the days of {name} {year} run 1–{length}"))
        }
    }
}

/// A day written `2012-02-25` that exists, within [`YEARS`]; `None` for anything else (which
/// [`Date::parse`] then reads the long way, and explains when it is no date). Every date of an
/// incident list passes through here: it is kept to a few comparisons, with no error to build.
#[inline]
pub(crate) fn iso_day(b: &[u8]) -> Option<Date> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = b else { return None };
    // All eight at once, as one number: a byte is a digit when, less b'0', its high nibble is 0
    // and its low one below 10 (adding 6 then carries into the high nibble, never further).
    let bytes = |b: u8| u64::from_le_bytes([b; 8]);
    let v = u64::from_le_bytes([y0, y1, y2, y3, m0, m1, d0, d1]) ^ bytes(b'0');
    if v & bytes(0xf0) != 0 || (v + bytes(6)) & bytes(0xf0) != 0 {
        return None;
    }
    let [y0, y1, y2, y3, m0, m1, d0, d1] = v.to_le_bytes();
    let year = i32::from(y0) * 1000 + i32::from(y1) * 100 + i32::from(y2) * 10 + i32::from(y3);
    let (month, day) = (m0 * 10 + m1, d0 * 10 + d1);
    // Every month has 28 days: only a later day asks which month (and year) it is.
    let real = YEARS.contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && (day <= 28 || day <= days_in_month(year, month));
    real.then_some(Date { year, month, day: Some(day) })
}

/// How many days `month` (1–12) of `year` has, by the Gregorian rule for leap years.
fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    /// The ISO form: `2012-02-25`, or `2012-09` for a month.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl From<toml::value::Datetime> for Date {
    fn from(value: toml::value::Datetime) -> Self {
        let d = value.date.unwrap_or(toml::value::Date { year: 1970, month: 1, day: 1 });
        Self { year: i32::from(d.year), month: d.month, day: Some(d.day) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iso_day_first_and_month_forms() {
        assert_eq!(Date::parse("2012-02-25").unwrap(), Date::from_ymd(2012, 2, 25).unwrap());
        assert_eq!(Date::parse("25.02.2012").unwrap(), Date::from_ymd(2012, 2, 25).unwrap());
        assert_eq!(Date::parse("2012-09").unwrap(), Date::from_ym(2012, 9).unwrap());
        assert_eq!(Date::parse("09.2012").unwrap(), Date::from_ym(2012, 9).unwrap());
    }

    #[test]
    fn reads_month_names_and_given_formats() {
        let day = Date::from_ymd(2018, 6, 12).unwrap();
        assert_eq!(Date::parse("12 June 2018").unwrap(), day);
        assert_eq!(Date::parse("June 12, 2018").unwrap(), day);
        assert_eq!(Date::parse("12 Jun 2018").unwrap(), day);
        assert_eq!(Date::parse("12 июня 2018 г.").unwrap(), day);
        assert_eq!(Date::parse("9 ноября 2012").unwrap(), Date::from_ymd(2012, 11, 9).unwrap());
        assert_eq!(Date::parse("сентябрь 2012").unwrap(), Date::from_ym(2012, 9).unwrap());
        assert_eq!(Date::parse_as("6/12/2018", Some("%m/%d/%Y")).unwrap(), day);
        assert!(Date::parse_as("13/12/2018", Some("%m/%d/%Y")).is_err());
        assert!(Date::parse("31 June 2018").is_err());
        assert!(Date::parse("12/06/2018").unwrap_err().message.contains("ambiguous"));
    }

    #[test]
    fn rejects_impossible_and_foreign_dates() {
        for bad in ["2012-02-30", "31.04.2012", "2012-13", "12/03/2012", "", "2012", "25.02.12", "2012-1-2-3"] {
            assert!(Date::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn month_dates_sort_before_their_days_and_overlap_periods() {
        let month = Date::from_ym(2012, 9).unwrap();
        let day = Date::from_ymd(2012, 9, 1).unwrap();
        assert!(month < day);
        let (start, end) = (Date::from_ymd(2012, 1, 1).unwrap(), Date::from_ymd(2012, 10, 31).unwrap());
        assert!(month.within(start, end));
        assert!(!Date::from_ymd(2012, 11, 1).unwrap().within(start, end));
        assert!(!Date::from_ym(2011, 12).unwrap().within(start, end));
    }

    /// The message a date cell gets.
    fn message(cell: &str) -> String {
        Date::parse(cell).unwrap_err().message
    }

    #[test]
    fn out_of_range_parts_are_refused_not_wrapped() {
        // `2012-261-01` was read as 1 May 2012 and `257.01.2012` as 1 January 2012: `as u8` wrapped.
        assert_eq!(message("2012-261-01"), "is not a date: there is no month 261 (months run 1–12)");
        assert_eq!(message("257.01.2012"), "is not a day of the calendar: the days of January 2012 run 1–31");
        assert_eq!(message("2012-00-10"), "is not a date: there is no month 0 (months run 1–12)");
        assert_eq!(message("2012-13"), "is not a date: there is no month 13 (months run 1–12)");
        assert_eq!(message("2012-02-30"), "is not a day of the calendar: the days of February 2012 run 1–29");
        assert_eq!(message("00.01.2012"), "is not a day of the calendar: the days of January 2012 run 1–31");
        assert_eq!(message("2012-01-4294967297"), "is not a day of the calendar: the days of January 2012 run 1–31");
    }

    #[test]
    fn leap_days_follow_the_gregorian_rule() {
        // 29 February exists in years divisible by 4, except centuries not divisible by 400.
        assert_eq!(Date::parse("29.02.2012").unwrap(), Date::from_ymd(2012, 2, 29).unwrap());
        assert_eq!(Date::parse("2000-02-29").unwrap(), Date::from_ymd(2000, 2, 29).unwrap());
        assert_eq!(message("29.02.2011"), "is not a day of the calendar: the days of February 2011 run 1–28");
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2100-02-29").is_err());
    }

    #[test]
    fn years_outside_1900_to_2100_are_refused() {
        // A slip such as `1012` or `2912` for 2012 is a date nobody reports: refused, never read.
        assert_eq!(message("1899-12-31"), "is not a date: the year 1899 is outside 1900–2100");
        assert_eq!(message("01.01.2101"), "is not a date: the year 2101 is outside 1900–2100");
        assert_eq!(message("12 June 3018"), "is not a date: the year 3018 is outside 1900–2100");
        assert_eq!(message("25.02.12"), "is not a date: the year `12` must have four digits (2012)");
        assert_eq!(message("20012-02-25"), "is not a date: the year `20012` must have four digits (2012)");
        let old = Date::parse_as("01/01/1850", Some("%d/%m/%Y")).unwrap_err();
        assert_eq!(old.message, "is not a date: the year 1850 is outside 1900–2100");
        assert_eq!(Date::parse("1900-01-01").unwrap(), Date::from_ymd(1900, 1, 1).unwrap());
        assert_eq!(Date::parse("31.12.2100").unwrap(), Date::from_ymd(2100, 12, 31).unwrap());
    }

    #[test]
    fn a_date_is_read_whole_or_not_at_all() {
        // Mixed separators and overlong parts were read in part: `2012-02.25` as 25 February.
        assert!(Date::parse("2012-02.25").is_err());
        assert_eq!(message("2012-002-01"), "is not a date: a day or month has one or two digits (25.02.2012)");
        assert_eq!(message("0025.02.2012"), "is not a date: a day or month has one or two digits (25.02.2012)");
        assert!(Date::parse("+5 June 2018").is_err(), "a sign is not part of a day");
        assert!(Date::parse("June +12, 2018").is_err());
        assert!(Date::parse("2012-02-25-").is_err());
        assert_eq!(message("31 June 2018"), "is not a day of the calendar: the days of June 2018 run 1–30");
        assert_eq!(message("0 June 2018"), "is not a day of the calendar: the days of June 2018 run 1–30");
        assert_eq!(Date::parse("2012-2-5").unwrap(), Date::from_ymd(2012, 2, 5).unwrap());
        assert_eq!(Date::parse("5.2.2012").unwrap(), Date::from_ymd(2012, 2, 5).unwrap());
    }

    #[test]
    fn what_was_read_before_is_still_read() {
        // The audit must not refuse anything that was read exactly before it.
        let day = Date::from_ymd(2012, 11, 9).unwrap();
        assert_eq!(Date::parse("9\u{a0}ноября\u{a0}2012\u{202f}г.").unwrap(), day);
        assert_eq!(Date::parse("9 November 2012").unwrap(), day);
        assert_eq!(Date::parse("November 9, 2012").unwrap(), day);
        assert_eq!(Date::parse("09.11.2012").unwrap(), day);
        assert_eq!(Date::parse(" 2012-11-09 ").unwrap(), day);
        assert_eq!(Date::parse("сентябрь 2012 г.").unwrap(), Date::from_ym(2012, 9).unwrap());
        assert_eq!(Date::parse_as("11/09/2012", Some("%m/%d/%Y")).unwrap(), day);
        assert_eq!(Date::parse_as("2012-11-09 14:30", Some("%Y-%m-%d %H:%M")).unwrap(), day);
    }

    #[test]
    fn spreadsheet_datetimes_are_their_day() {
        // `2022-01-16 00:00:00` (pandas, Excel) was "not a date" in 432 of a register's 435 rows.
        let day = Date::from_ymd(2022, 1, 16).unwrap();
        for cell in [
            "2022-01-16 00:00:00",
            "2022-01-16T00:00:00",
            "16.01.2022 0:00",
            "2022-01-16 00:00",
            "2022-01-16T00:00:00.000",
            "2022-01-16 14:30:59",
            " 16 January 2022 23:59 ",
        ] {
            assert_eq!(Date::parse(cell), Ok(day), "{cell}");
        }
        for (cell, part) in [
            ("2022-01-16 24:00", "`24:00` is not a time of day"),
            ("2022-01-16 10:60", "is not a time"),
            ("2022-01-16 1:2", "is not a time"),
            ("2022-01-16T00:00:00Z", "time zone"),
            ("2022-01-16T00:00:00+03:00", "time zone"),
        ] {
            assert!(message(cell).contains(part), "{cell}: {}", message(cell));
        }
    }

    #[test]
    fn month_only_forms_are_months() {
        // `02/2024` was "ambiguous: day-first or month-first?" though it has no day.
        let february = Date::from_ym(2024, 2).unwrap();
        for cell in [
            "02/2024",
            "2/2024",
            "2024/02",
            "2024-02",
            "02.2024",
            "Feb-24",
            "feb-24",
            "Feb 2024",
            "February 2024",
            "Feb-2024",
            "февр. 2024",
            "февраль 2024",
            "Februar 2024",
            "février 2024",
            "лютий 2024",
            "ақпан 2024",
            "2024 жылғы ақпан",
        ] {
            assert_eq!(Date::parse(cell), Ok(february), "{cell}");
        }
        assert_eq!(Date::parse("Dec-99"), Ok(Date::from_ym(1999, 12).unwrap()), "a spreadsheet reads 99 as 1999");
        assert_eq!(Date::parse("16-Jan-24"), Ok(Date::from_ymd(2024, 1, 16).unwrap()));
        assert_eq!(Date::parse("16-Jan-2024"), Ok(Date::from_ymd(2024, 1, 16).unwrap()));
        let no_year = Date::parse("25-Feb").unwrap_err();
        assert!(no_year.message.contains("has no year"), "{no_year:?}");
        assert!(no_year.hint.unwrap().contains("2024-02-25"));
        assert!(Date::parse("Feb 24").is_err(), "February 24 of no year, or 2024: refused");
        assert!(Date::parse("13/2024").is_err());
    }

    #[test]
    fn other_languages_month_names_are_read() {
        let day = Date::from_ymd(2022, 3, 16).unwrap();
        for cell in ["16. März 2022", "16 mars 2022", "16 березня 2022 р.", "2022 жылғы 16 наурыз", "16 Mär 2022"]
        {
            assert_eq!(Date::parse(cell), Ok(day), "{cell}");
        }
        assert_eq!(Date::parse("1er février 2022"), Ok(Date::from_ymd(2022, 2, 1).unwrap()));
    }

    /// The hint a date cell gets.
    fn hint(cell: &str, format: Option<&str>) -> String {
        Date::parse_as(cell, format).unwrap_err().hint.unwrap_or_default()
    }

    #[test]
    fn every_refused_form_says_what_would_read_it() {
        assert!(hint("01/16/2022", None).contains("date_format = \"%m/%d/%Y\""));
        assert!(hint("16/01/2022", None).contains("date_format = \"%d/%m/%Y\""));
        assert!(hint("1/16/2022 0:00", None).contains("date_format = \"%m/%d/%Y\""));
        assert!(hint("16/01/22", None).contains("date_format = \"%d/%m/%y\""));
        assert!(hint("16.01.22", None).contains("date_format = \"%d.%m.%y\""));
        let ambiguous = Date::parse("02/03/2024").unwrap_err();
        assert_eq!(ambiguous.message, "is ambiguous: day-first or month-first?");
        assert!(ambiguous.hint.unwrap().contains("\"%d/%m/%Y\"` (day first) or `\"%m/%d/%Y\"` (month first)"));
        for cell in ["yesterday", "2022", "16 Smarch 2022", "1.2.3.4"] {
            assert!(!hint(cell, None).is_empty(), "{cell}");
        }
        // What the hint proposes reads the cell.
        assert_eq!(Date::parse_as("01/16/2022", Some("%m/%d/%Y")), Ok(Date::from_ymd(2022, 1, 16).unwrap()));
        assert_eq!(Date::parse_as("16.01.22", Some("%d.%m.%y")), Ok(Date::from_ymd(2022, 1, 16).unwrap()));
    }

    #[test]
    fn a_date_format_reads_its_form_and_leaves_the_unambiguous_others_read() {
        // A file mixing `2022-01-16 00:00:00` with `22.01.2022`: with the first's format set,
        // the second failed; now each form reads.
        let format = Some("%Y-%m-%d %H:%M:%S");
        assert_eq!(Date::parse_as("2022-01-16 00:00:00", format), Ok(Date::from_ymd(2022, 1, 16).unwrap()));
        assert_eq!(Date::parse_as("22.01.2022", format), Ok(Date::from_ymd(2022, 1, 22).unwrap()));
        assert_eq!(Date::parse_as("02/2024", Some("%m/%d/%Y")), Ok(Date::from_ym(2024, 2).unwrap()));
        assert_eq!(Date::parse_as("2024-02-03", Some("%m/%d/%Y")), Ok(Date::from_ymd(2024, 2, 3).unwrap()));
        assert_eq!(Date::parse_as("1/16/2022 0:00", Some("%m/%d/%Y")), Ok(Date::from_ymd(2022, 1, 16).unwrap()));
        // A month-first format and a day-first dotted date contradict each other.
        let refused = Date::parse_as("22.01.2022", Some("%m.%d.%Y")).unwrap_err();
        assert!(refused.message.starts_with("does not match the date format `%m.%d.%Y`"), "{refused:?}");
        assert!(Date::parse_as("22.01.2022", Some("%m/%d/%Y")).is_err());
        assert_eq!(Date::parse_as("22.01.2022", Some("%d/%m/%Y")), Ok(Date::from_ymd(2022, 1, 22).unwrap()));
        // The format's own slash order decides; the other order is not guessed.
        assert!(Date::parse_as("16/01/2022", Some("%m/%d/%Y")).is_err());
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;
        use crate::locale::{Language, Words};

        thread_local! {
            /// Formatters in both languages, built once per test thread (a long run reads millions).
            static WORDS: [Words; 2] = [Words::new(Language::Ru), Words::new(Language::En)];
        }

        /// The day `y-m-d` as the calendar (chrono's) has it, if it exists and lies in [`YEARS`].
        fn calendar(y: i32, m: u32, d: u32) -> Option<Date> {
            use chrono::Datelike;
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d).filter(|_| YEARS.contains(&y))?;
            Some(Date { year: day.year(), month: u8::try_from(day.month()).ok()?, day: u8::try_from(day.day()).ok() })
        }

        /// Text that looks like a date: digits and separators, or words with a month's name.
        const DATE_LIKE: &str = concat!(
            "[0-9.\\-/ ]{0,14}",
            "|[0-3]?[0-9][.\\-][01]?[0-9][.\\-](18|19|20|21)[0-9]{2}",
            "|(18|19|20|21)[0-9]{2}-[01]?[0-9](-[0-3]?[0-9])?",
            "|([0-3+]?[0-9] )?(june|jun|мая|sept|ноября|сентябрь|january|x),? ([0-3]?[0-9],? )?(19|20|21)[0-9]{2}( г\\.)?",
        );

        proptest! {
            #[test]
            fn parse_prop_date_quick_path_reads_as_the_general_one(text in " ?[0-9:/a\u{0}\u{7f}]{4}-[0-9:/a]{2}-[0-9:/a\u{0}]{2} ?") {
                prop_assert_eq!(Date::parse(&text), Date::parse_general(&text));
            }

            #[test]
            fn parse_prop_date_any_text_is_read_or_refused_without_panic(text in "\\PC{0,24}") {
                if let Err(e) = Date::parse(&text) {
                    prop_assert!(e.message.starts_with("is "), "{:?}: {}", text, e.message);
                }
                let _ = Date::parse_as(&text, Some("%d/%m/%Y"));
            }

            #[test]
            fn parse_prop_date_like_text_never_panics(text in DATE_LIKE) {
                let _ = Date::parse(&text);
                let _ = Date::parse_as(&text, Some("%m/%d/%Y"));
            }

            #[test]
            fn parse_prop_date_every_day_reads_back_in_every_form(y in 1900i32..=2100, m in 1u8..=12, d in 1u8..=31) {
                let month = Date::from_ym(y, m).unwrap();
                let mut forms = vec![(month, month.to_string()), (month, format!("{m:02}.{y}"))];
                if let Some(day) = Date::from_ymd(y, m, d) {
                    forms.extend([(day, day.to_string()), (day, format!("{d:02}.{m:02}.{y}")), (day, format!("{d}.{m}.{y}"))]);
                }
                let mut dates: Vec<Date> = forms.iter().map(|(date, _)| *date).collect();
                dates.dedup();
                for date in dates {
                    // English short dates (`24/03/2012`) are ambiguous by design, and refused.
                    let [ru, en] = WORDS.with(|w| w.each_ref().map(|w| (w.date(date), w.short_date(date))));
                    forms.extend([(date, ru.0), (date, ru.1), (date, en.0)]);
                }
                for (date, text) in forms {
                    prop_assert_eq!(Date::parse(&text), Ok(date), "{:?}", text);
                }
            }

            #[test]
            fn parse_prop_date_numbers_read_as_the_calendar_says(y in 0i32..10_000, m in 0u32..130, d in 0u32..400, iso in any::<bool>()) {
                // Every combination of numbers, impossible ones too: read exactly when the day
                // exists in 1900–2100, else refused; nothing wraps into another day.
                let text = if iso { format!("{y:04}-{m:02}-{d:02}") } else { format!("{d:02}.{m:02}.{y:04}") };
                let expected = calendar(y, m, d).filter(|_| m < 100 && d < 100);
                prop_assert_eq!(Date::parse(&text).ok(), expected, "{:?}", text);
                let month = if iso { format!("{y:04}-{m:02}") } else { format!("{m:02}.{y:04}") };
                let expected = calendar(y, m, 1).filter(|_| m < 100).map(|d| d.month_start());
                prop_assert_eq!(Date::parse(&month).ok(), expected, "{:?}", month);
            }

            #[test]
            fn parse_prop_date_spreadsheet_forms_read_back(y in 1930i32..=2029, m in 1u8..=12, d in 1u8..=31, h in 0u8..24, min in 0u8..60, t in any::<bool>()) {
                // Each form a spreadsheet writes reads as its day or month, with or without a
                // date_format it does not match.
                let month = Date::from_ym(y, m).unwrap();
                let name = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][usize::from(m - 1)];
                let mut forms = vec![(month, format!("{m:02}/{y}")), (month, format!("{m}/{y}")), (month, format!("{name}-{:02}", y % 100)), (month, format!("{name} {y}")), (month, format!("{y}/{m:02}"))];
                if let Some(day) = Date::from_ymd(y, m, d) {
                    let sep = if t { 'T' } else { ' ' };
                    forms.extend([
                        (day, format!("{day}{sep}{h:02}:{min:02}:00")),
                        (day, format!("{d:02}.{m:02}.{y} {h}:{min:02}")),
                        (day, format!("{day} 00:00:00")),
                        (day, format!("{d}-{name}-{:02}", y % 100)),
                        (day, format!("{y}/{m}/{d}")),
                    ]);
                }
                for (date, text) in forms {
                    prop_assert_eq!(Date::parse(&text), Ok(date), "{:?}", text);
                    prop_assert_eq!(Date::parse_as(&text, Some("%d/%m/%Y")), Ok(date), "{:?}", text);
                    // A month-first format contradicts a day-first dotted date, and refuses it.
                    let month_first = Date::parse_as(&text, Some("%m/%d/%Y"));
                    prop_assert_eq!(month_first.ok(), (!text.contains('.')).then_some(date), "{:?}", text);
                    prop_assert_eq!(Date::parse_as(&text, Some("%Y-%m-%d %H:%M:%S")), Ok(date), "{:?}", text);
                }
            }

            #[test]
            fn parse_prop_date_slash_day_and_month_need_a_format(a in 1u8..=31, b in 1u8..=31, y in 1900i32..=2100) {
                // A slash date with the year last is never read without a format, and the
                // refusal names a format that reads it when one order is possible.
                let text = format!("{a}/{b}/{y}");
                let e = Date::parse(&text).unwrap_err();
                let hint = e.hint.unwrap_or_default();
                let (day_first, month_first) = (Date::from_ymd(y, b, a), Date::from_ymd(y, a, b));
                for (format, reading) in [("%d/%m/%Y", day_first), ("%m/%d/%Y", month_first)] {
                    if hint.contains(&format!("\"{format}\"")) {
                        prop_assert_eq!(Date::parse_as(&text, Some(format)).ok(), reading, "{:?} {}", text, format);
                    }
                    if reading.is_some() && (a > 12 || b > 12) {
                        prop_assert!(hint.contains(&format!("\"{format}\"")), "{:?} {}", text, hint);
                    }
                }
            }

            #[test]
            fn parse_prop_date_format_reads_as_the_calendar_says(y in 1000i32..3000, m in 0u32..15, d in 0u32..35) {
                let text = format!("{m}/{d}/{y}");
                prop_assert_eq!(Date::parse_as(&text, Some("%m/%d/%Y")).ok(), calendar(y, m, d), "{:?}", text);
            }

            #[test]
            fn parse_prop_date_accepted_reads_back_as_written(text in DATE_LIKE) {
                // Whatever is accepted reads back the same from its ISO form and from how each
                // language writes it.
                if let Ok(date) = Date::parse(&text) {
                    prop_assert!(YEARS.contains(&date.year), "{:?}", text);
                    prop_assert_eq!(Date::parse(&date.to_string()), Ok(date));
                    for words in WORDS.with(|w| w.each_ref().map(|w| w.date(date))) {
                        prop_assert_eq!(Date::parse(&words), Ok(date), "{:?} written {:?}", text, words);
                    }
                }
            }
        }
    }
}

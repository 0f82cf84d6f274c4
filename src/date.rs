//! Dates as incident lists write them: full days (`2012-02-25`, `25.02.2012`) or a month when the
//! day is not known (`2012-09`, `09.2012`).

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
    pub fn parse_as(cell: &str, format: Option<&str>) -> Result<Self, ParseDateError> {
        let Some(format) = format else { return Self::parse(cell) };
        let day = chrono::NaiveDate::parse_from_str(cell.trim(), format)
            .map_err(|e| ParseDateError { message: format!("does not match the date format `{format}` ({e})") })?;
        use chrono::Datelike;
        checked(i64::from(day.year()), u64::from(day.month()), Some(u64::from(day.day())))
    }

    /// Reads `2012-02-25`, `25.02.2012`, `2012-09` or `09.2012`, and dates with a month's name in
    /// English or Russian: `12 June 2018`, `June 12, 2018`, `9 ноября 2012 г.`, `сентябрь 2012`.
    ///
    /// Every part is checked before it is used: the year has four digits and lies in [`YEARS`],
    /// the month is 1–12, the day exists in that month (29 February only in a leap year); day and
    /// month have one or two digits. Nothing wraps: `2012-261-01` and `257.01.2012` are refused.
    pub fn parse(cell: &str) -> Result<Self, ParseDateError> {
        // The common case, `2012-02-25`, read without splitting.
        let b = cell.trim().as_bytes();
        if b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| b[i].is_ascii_digit())
        {
            // At most four digits each, so the sums cannot overflow.
            let n = |r: std::ops::Range<usize>| b[r].iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            let year = i64::try_from(n(0..4)).unwrap_or(i64::MAX);
            if let Ok(date) = checked(year, n(5..7), Some(n(8..10))) {
                return Ok(date);
            }
        }
        Self::parse_general(cell)
    }

    /// Reads any cell [`Date::parse`] accepts.
    fn parse_general(cell: &str) -> Result<Self, ParseDateError> {
        if cell.chars().any(char::is_alphabetic) {
            return named_month(cell);
        }
        let s = cell.trim();
        let not_a_date = || ParseDateError {
            message: "is not a date (write 2012-02-25 or 25.02.2012, or 2012-09 when the day is unknown)".into(),
        };
        if s.contains('/') {
            return Err(ParseDateError {
                message: "is ambiguous: day-first or month-first? (write 25.02.2012 or 2012-02-25)".into(),
            });
        }
        // One separator throughout: `2012-02.25` is not a date.
        let iso = s.contains('-');
        let parts: Vec<&str> = s.split(if iso { '-' } else { '.' }).collect();
        if parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(not_a_date());
        }
        match (parts.as_slice(), iso) {
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

/// Month names (English, and Russian in the nominative and genitive) and their abbreviations.
const MONTHS: [&[&str]; 12] = [
    &["january", "jan", "январь", "января", "янв"],
    &["february", "feb", "февраль", "февраля", "фев", "февр"],
    &["march", "mar", "март", "марта", "мар"],
    &["april", "apr", "апрель", "апреля", "апр"],
    &["may", "май", "мая"],
    &["june", "jun", "июнь", "июня", "июн"],
    &["july", "jul", "июль", "июля", "июл"],
    &["august", "aug", "август", "августа", "авг"],
    &["september", "sep", "sept", "сентябрь", "сентября", "сен", "сент"],
    &["october", "oct", "октябрь", "октября", "окт"],
    &["november", "nov", "ноябрь", "ноября", "ноя", "нояб"],
    &["december", "dec", "декабрь", "декабря", "дек"],
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

/// A date with a month's name: day (optional), month, year, in either order of day and month.
fn named_month(cell: &str) -> Result<Date, ParseDateError> {
    let lower = cell.trim().to_lowercase().replace(['.', ','], " ");
    let words: Vec<&str> = lower.split_whitespace().filter(|w| *w != "г" && *w != "года" && *w != "год").collect();
    let month_of = |w: &str| MONTHS.iter().position(|names| names.contains(&w)).and_then(|i| u64::try_from(i + 1).ok());
    let (day, month, year) = match words.as_slice() {
        [d, m, y] | [m, d, y] if month_of(m).is_some() => (Some(*d), month_of(m), *y),
        [m, y] if month_of(m).is_some() => (None, month_of(m), *y),
        _ => (None, None, ""),
    };
    let digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    match (day, month) {
        (Some(d), Some(m)) if digits(d) && digits(year) => from_parts(year, &m.to_string(), Some(d)),
        (None, Some(m)) if digits(year) => from_parts(year, &m.to_string(), None),
        _ => Err(ParseDateError {
            message:
                "is not a date (write 2012-02-25, 25.02.2012, 25 February 2012, or 2012-09 when the day is unknown)"
                    .into(),
        }),
    }
}

/// The date of a year, month and day written in digits (checked as [`checked`] does); the year
/// has four digits, the month and day one or two.
fn from_parts(year: &str, month: &str, day: Option<&str>) -> Result<Date, ParseDateError> {
    let error = |message: String| Err(ParseDateError { message });
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
    let error = |message: String| Err(ParseDateError { message });
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
            fn parse_prop_date_quick_path_reads_as_the_general_one(text in " ?[0-9]{4}-[0-9]{2}-[0-9]{2} ?") {
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

//! Reported figures: counts that may be exact, approximate, bounded, a range or unknown, and sums
//! of them that keep the qualifier honest.
//!
//! A [`Figure`] is a small accumulator: parse one cell with [`Figure::parse`], add others with
//! [`Figure::add`] (or [`Figure::merge`] two partial sums). The kind of the result follows from what
//! went into it, so "about" never becomes exact and "unknown" never becomes zero.

use std::fmt;

use serde::Serialize;

/// How a figure is qualified, as shown to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Exactly `low`.
    Exact,
    /// About `low` ("около 1 000").
    About,
    /// More than `low` ("более 5 000").
    More,
    /// At least `low`: a known part plus parts nobody counted ("не менее 28").
    AtLeast,
    /// Fewer than `high` ("менее 1 000").
    Less,
    /// From `low` to `high` ("200–2 000"), approximate when `approx` is set.
    Range,
    /// Nobody gave a number.
    Unknown,
}

/// A count as reported, or a sum of such counts.
///
/// The interval `[low, high]` holds every value the parts allow (`high` is `None` when open);
/// the flags remember how the parts were qualified so the sum can be said honestly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    /// Smallest total the parts allow.
    low: u64,
    /// Largest total the parts that gave a number allow, unless `open`; 0 when `open`, so that
    /// equal figures are equal field by field. (A `u64` and a flag, not an `Option<u64>`: a
    /// figure takes 32 bytes, not 40, and an incident's seven are copied from thread to thread.)
    known_high: u64,
    /// One of the parts that gave a number is open-ended: the total has no upper bound.
    open: bool,
    /// Some part was an estimate ("около").
    approx: bool,
    /// Some part was "more than" (the lower bound itself is excluded).
    more: bool,
    /// Some part was "fewer than" (the upper bound itself is excluded).
    less: bool,
    /// How many parts had a number of some kind.
    known_parts: u32,
    /// How many parts were blank.
    unknown_parts: u32,
}

impl Default for Figure {
    /// The sum of no parts: exactly zero.
    fn default() -> Self {
        Self {
            low: 0,
            known_high: 0,
            open: false,
            approx: false,
            more: false,
            less: false,
            known_parts: 0,
            unknown_parts: 0,
        }
    }
}

/// Why a count cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFigureError {
    /// What was wrong, lowercase, for the diagnostic line.
    pub message: String,
}

impl Figure {
    /// An exact count.
    pub fn exact(n: u64) -> Self {
        Self { low: n, known_high: n, known_parts: 1, ..Self::default() }
    }

    /// An approximate count ("около n").
    pub fn about(n: u64) -> Self {
        Self { approx: true, ..Self::exact(n) }
    }

    /// A lower bound ("более n").
    pub fn more_than(n: u64) -> Self {
        Self { low: n, open: true, more: true, known_parts: 1, ..Self::default() }
    }

    /// An upper bound ("менее n").
    pub fn less_than(n: u64) -> Self {
        Self { low: 0, known_high: n, less: true, known_parts: 1, ..Self::default() }
    }

    /// A range ("от a до b"); the bounds are put in order.
    pub fn range(a: u64, b: u64) -> Self {
        Self { low: a.min(b), known_high: a.max(b), known_parts: 1, ..Self::default() }
    }

    /// A figure nobody gave.
    pub fn unknown() -> Self {
        Self { unknown_parts: 1, ..Self::default() }
    }

    /// The sum of no parts: the starting value of an accumulator (it is an exact zero once a part
    /// is added, and says "unknown" only if every part added was unknown).
    pub fn empty() -> Self {
        Self::default()
    }

    /// A lower bound that may be reached ("не менее n"); approximate when `approx`
    /// ("около n и более").
    pub fn at_least(n: u64, approx: bool) -> Self {
        Self { low: n, open: true, approx, known_parts: 1, ..Self::default() }
    }

    /// Reads one count cell: `28`, `~1000`, `>5000`, `<1000`, `200-2000`, or blank for unknown.
    ///
    /// Also what osce-report itself writes, in Russian or English ("около 1 000", "more than
    /// 5,000", "не менее 28", "about 1,000 or more", "unknown"), and common spreadsheet forms:
    /// digits grouped in thousands with spaces, commas or apostrophes (`1 000`, `1,000`, `1'000`),
    /// `150.0` for 150, `≈` for `~`, an en dash or em dash in a range, `unknown`, `n/a`, `-` or
    /// `нет данных` for a blank. A number is read exactly or refused (see [`parse_whole`]).
    pub fn parse(cell: &str) -> Result<Self, ParseFigureError> {
        Self::parse_with(cell, DecimalMark::Point)
    }

    /// Reads a count cell as [`Figure::parse`] does, from a file whose decimal mark is `mark`:
    /// with [`DecimalMark::Comma`], `1.000` is a thousand, `150,0` is 150 and `1,000` is refused.
    pub fn parse_with(cell: &str, mark: DecimalMark) -> Result<Self, ParseFigureError> {
        // Most cells of a large export are blank or plain digits, with or without one sign in
        // front; those are read here without the allocation the general path needs.
        let t = crate::text::trim(cell);
        let (sign, digits) = match t.as_bytes().first() {
            Some(b'~' | b'>' | b'<') => t.split_at(1),
            _ => ("", t),
        };
        if t.is_empty() {
            return Ok(Self::unknown());
        }
        // Up to twelve digits are read in one pass; more are read (or refused) by parse_whole.
        let whole = match plain_whole(digits) {
            Some(n) => Some(n),
            None if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Some(parse_whole_general(digits, &[]).map_err(count_error)?)
            }
            None => None,
        };
        if let Some(n) = whole {
            return Ok(match sign {
                "~" => Self::about(n),
                ">" => Self::more_than(n),
                "<" if n > 0 => Self::less_than(n),
                "<" => return Self::parse_general(t, mark),
                _ => Self::exact(n),
            });
        }
        Self::parse_general(t, mark)
    }

    /// Reads any cell [`Figure::parse_with`] accepts.
    fn parse_general(cell: &str, mark: DecimalMark) -> Result<Self, ParseFigureError> {
        let written = cell.trim();
        Self::parse_lowercase(&written.to_lowercase(), mark).map_err(|e| e.quoting_as_written(written))
    }

    /// [`Figure::parse_general`] of a cell already in lowercase (words match in any case).
    fn parse_lowercase(s: &str, mark: DecimalMark) -> Result<Self, ParseFigureError> {
        if UNKNOWN.contains(&s) {
            return Ok(Self::unknown());
        }
        let count = |s: &str| parse_count(s, mark);
        if let Some(rest) = strip_any(s, &["~", "≈"]).or_else(|| strip_word(s, ABOUT)) {
            return match strip_suffix_any(rest, OR_MORE) {
                Some(n) => count(n).map(|n| Self::at_least(n, true)),
                None => parse_range_or_count(rest, mark).map(|f| Self { approx: true, ..f }),
            };
        }
        if let Some(rest) = strip_any(s, &[">"]).or_else(|| strip_word(s, MORE)) {
            return count(rest).map(Self::more_than);
        }
        if let Some(rest) = strip_any(s, &["<"]).or_else(|| strip_word(s, LESS)) {
            return match count(rest)? {
                0 => Err(ParseFigureError { message: "is not a count: nothing is fewer than 0".into() }),
                n => Ok(Self::less_than(n)),
            };
        }
        if let Some(rest) = strip_word(s, AT_LEAST).or_else(|| strip_suffix_any(s, OR_MORE)) {
            return count(rest).map(|n| Self::at_least(n, false));
        }
        parse_range_or_count(s, mark)
    }

    /// Adds one more part to this sum.
    pub fn add(&mut self, part: Figure) {
        *self = self.merge(part);
    }

    /// The sum of two figures (each may itself be a sum).
    #[must_use]
    pub fn merge(self, other: Figure) -> Figure {
        let known_high = match (self.open || other.open, self.known_high.checked_add(other.known_high)) {
            (false, Some(sum)) => Some(sum),
            _ => None,
        };
        let unknown_parts = self.unknown_parts + other.unknown_parts;
        Figure {
            low: self.low.saturating_add(other.low),
            known_high: known_high.unwrap_or(0),
            open: known_high.is_none(),
            approx: self.approx || other.approx,
            more: self.more || other.more,
            less: self.less || other.less,
            known_parts: self.known_parts + other.known_parts,
            unknown_parts,
        }
    }

    /// How the figure is qualified.
    pub fn kind(&self) -> Kind {
        if self.known_parts == 0 {
            return if self.unknown_parts == 0 { Kind::Exact } else { Kind::Unknown };
        }
        match self.high() {
            None if self.more => Kind::More,
            None => Kind::AtLeast,
            Some(h) if h == self.low && !self.approx => Kind::Exact,
            Some(h) if h == self.low => Kind::About,
            Some(_) if self.less && self.low == 0 => Kind::Less,
            Some(_) => Kind::Range,
        }
    }

    /// Smallest value the figure allows.
    pub fn low(&self) -> u64 {
        self.low
    }

    /// Largest value the figure allows, `None` when open (or when some part is unknown).
    pub fn high(&self) -> Option<u64> {
        if self.unknown_parts > 0 || self.open { None } else { Some(self.known_high) }
    }

    /// The sum of only the parts that gave a number ("менее 1 000" of "менее 1 000" plus a blank).
    pub fn known_part(&self) -> Figure {
        Figure { unknown_parts: 0, ..*self }
    }

    /// Whether some part was an estimate.
    pub fn is_approx(&self) -> bool {
        self.approx
    }

    /// How many parts were blank.
    pub fn unknown_parts(&self) -> u32 {
        self.unknown_parts
    }

    /// Whether some part had a number.
    pub fn is_known(&self) -> bool {
        self.known_parts > 0
    }

    /// Whether the figure is one exact number.
    pub fn exact_value(&self) -> Option<u64> {
        (self.kind() == Kind::Exact).then_some(self.low)
    }

    /// Whether every value this figure allows is above every value `other` allows, i.e. this
    /// figure certainly exceeds `other`.
    pub fn certainly_exceeds(&self, other: &Figure) -> bool {
        if !self.is_known() || !other.is_known() {
            return false;
        }
        match other.high() {
            Some(h) if other.less => self.low >= h,
            Some(h) => self.low > h,
            None => false,
        }
    }
}

/// Cells that mean "nobody gave a number".
const UNKNOWN: &[&str] = &["", "-", "—", "–", "?", "unknown", "n/a", "na", "нет данных", "неизвестно", "н/д"];

/// Words for "about".
const ABOUT: &[&str] = &[
    "около",
    "порядка",
    "примерно",
    "приблизительно",
    "about",
    "approximately",
    "approx.",
    "around",
    "some",
    "c.",
    "ca.",
];

/// Words for "more than".
const MORE: &[&str] = &["более", "больше", "свыше", "more than", "over", "above"];

/// Words for "fewer than".
const LESS: &[&str] = &["менее", "меньше", "fewer than", "less than", "under", "below"];

/// Words for "at least".
const AT_LEAST: &[&str] = &["не менее", "не меньше", "at least"];

/// Words after a number for "or more".
const OR_MORE: &[&str] = &["и более", "и больше", "or more", "+"];

/// `s` without the first of `prefixes` it starts with.
fn strip_any<'a>(s: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| s.strip_prefix(p))
}

/// `s` without a leading word of `words`, which must be followed by a space (or end a dot).
fn strip_word<'a>(s: &'a str, words: &[&str]) -> Option<&'a str> {
    words.iter().find_map(|w| {
        let rest = s.strip_prefix(w)?;
        let spaced = rest.starts_with(is_group_space) || w.ends_with('.');
        spaced.then_some(rest.trim_start_matches(is_group_space))
    })
}

/// `s` without the first of `suffixes` it ends with.
fn strip_suffix_any<'a>(s: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    suffixes.iter().find_map(|x| s.strip_suffix(x))
}

/// A range `a-b` (hyphen, en dash or em dash, spaces allowed) or a single count.
fn parse_range_or_count(s: &str, mark: DecimalMark) -> Result<Figure, ParseFigureError> {
    match s.split_once(['-', '–', '—']) {
        Some((a, b)) => {
            let (a, b) = (parse_count(a, mark)?, parse_count(b, mark)?);
            if a > b {
                return Err(ParseFigureError {
                    message: "is a range that runs backwards: the first number must be the smaller".into(),
                });
            }
            Ok(Figure::range(a, b))
        }
        None => parse_count(s, mark).map(Figure::exact),
    }
}

/// Reads one number of a count cell: a whole number as [`parse_whole`] reads it, grouped by
/// spaces, apostrophes or the punctuation `mark` leaves free, or a spreadsheet's `150.0`.
fn parse_count(s: &str, mark: DecimalMark) -> Result<u64, ParseFigureError> {
    let s = whole_part(s.trim_matches(is_group_space), mark.mark());
    if let Some((first, second)) = two_numbers(s) {
        return Err(ParseFigureError {
            message: format!(
                "is not a count: it may be one number ({first} {second}) or two ({first} and {second}, or {first}–{second})"
            ),
        });
    }
    parse_whole(s, mark.grouping()).map_err(|e| match e {
        NumberError::Character(c) if c == mark.mark() => ParseFigureError {
            message: format!("is not a count: `{c}` starts a fraction, and a count is a whole number"),
        },
        e => count_error(e),
    })
}

/// Two three-digit numbers with a typed space between them, the second the larger (`200 300`):
/// a count of 200 300, or two counts, or a range whose dash was lost. Typed by hand, not by a
/// formatter (which groups with a no-break space), it cannot be read exactly, so it is refused.
/// `100 000` and `500 100` (no range runs backwards), `1 000`, `10 000`, `1 000 000` and
/// `200\u{a0}300` are not ambiguous.
fn two_numbers(s: &str) -> Option<(&str, &str)> {
    let (first, second) = s.split_once(' ')?;
    let three_digits = |t: &str| t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit());
    (three_digits(first) && three_digits(second) && second > first).then_some((first, second))
}

/// The whole part of `150.0` or `150.00`, as spreadsheets export whole counts (with `mark` the
/// file's decimal mark); any other text as it is.
pub(crate) fn whole_part(s: &str, mark: char) -> &str {
    // Most amounts have no fraction mark at all: looked for a byte at a time, without a search.
    if mark.is_ascii() && !s.bytes().any(|b| char::from(b) == mark) {
        return s;
    }
    match s.rsplit_once(mark) {
        Some((whole, zeros))
            if !whole.is_empty()
                && !whole.contains(mark)
                && (1..=2).contains(&zeros.len())
                && zeros.bytes().all(|b| b == b'0') =>
        {
            whole
        }
        _ => s,
    }
}

/// A count cell's error for a number that could not be read.
fn count_error(e: NumberError) -> ParseFigureError {
    ParseFigureError { message: e.message("a count") }
}

/// The largest count, amount or term a cell may hold: far above any real one, and small enough
/// that the sum of millions of them cannot overflow (a sum that saturated would be a wrong figure).
pub const LARGEST: u64 = 1_000_000_000_000;

/// Which mark a file writes before a fraction; the other one may group thousands in a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalMark {
    /// `1,000` is a thousand and `150.0` a whole 150: what most exports write.
    #[default]
    Point,
    /// `1.000` is a thousand and `150,0` a whole 150: exports from locales (German, Russian) that
    /// separate fields with `;`.
    Comma,
}

impl DecimalMark {
    /// The mark itself.
    pub fn mark(self) -> char {
        match self {
            DecimalMark::Point => '.',
            DecimalMark::Comma => ',',
        }
    }

    /// The punctuation that groups thousands where this mark starts a fraction.
    fn grouping(self) -> &'static [char] {
        match self {
            DecimalMark::Point => &[','],
            DecimalMark::Comma => &['.'],
        }
    }
}

/// What separates two digit groups of a number (the classes never mix in one number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// A space: plain, no-break (U+00A0), narrow no-break (U+202F) or thin (U+2009).
    Space,
    /// `,`.
    Comma,
    /// `.`.
    Dot,
    /// `'` or `’`.
    Apostrophe,
}

impl Separator {
    /// The class of `c`, if it may separate digit groups; `punctuation` lists which of `,` and `.`
    /// may (spaces and apostrophes always may).
    fn of(c: char, punctuation: &[char]) -> Option<Self> {
        match c {
            c if is_group_space(c) => Some(Separator::Space),
            '\'' | '’' => Some(Separator::Apostrophe),
            ',' if punctuation.contains(&',') => Some(Separator::Comma),
            '.' if punctuation.contains(&'.') => Some(Separator::Dot),
            _ => None,
        }
    }

    /// How it is named in a message.
    fn name(self) -> &'static str {
        match self {
            Separator::Space => "a space",
            Separator::Comma => "a comma",
            Separator::Dot => "a dot",
            Separator::Apostrophe => "an apostrophe",
        }
    }

    /// A thousand written with it, for a message.
    fn example(self) -> &'static str {
        match self {
            Separator::Space => "1 000",
            Separator::Comma => "1,000",
            Separator::Dot => "1.000",
            Separator::Apostrophe => "1'000",
        }
    }
}

/// Why a whole number could not be read; [`NumberError::message`] says it about one kind of value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// No digits at all.
    Missing,
    /// A character that is neither a digit nor an allowed separator.
    Character(char),
    /// A separator before any digit (`,000`, `'1000`).
    Starts(char),
    /// More than three digits before the first separator (`1000 000`).
    LongFirstGroup(Separator),
    /// A grouped number that starts with 0 (`0 100`): no formatter writes that.
    LeadingZero(Separator),
    /// A group after a separator that is not exactly three digits (`1 00`, `5 10`, `1,0000`, `1 `).
    Group(Separator),
    /// Two kinds of separator in one number (`1,000.000`, `1 000,000`).
    Mixed(Separator, Separator),
    /// Above [`LARGEST`].
    TooLarge,
}

impl NumberError {
    /// What is wrong, lowercase, to follow the value in backticks: `what` names the value
    /// ("a count", "an amount"), as in "is not a count: …".
    pub fn message(&self, what: &str) -> String {
        match *self {
            NumberError::Missing => format!("is not {what}: a number is missing"),
            NumberError::Character(c) => format!("is not {what}: `{}` cannot be part of one", shown(c)),
            NumberError::Starts(c) => format!("is not {what}: a number cannot start with `{}`", shown(c)),
            NumberError::LongFirstGroup(s) => format!(
                "is not {what}: digits grouped in thousands have one to three before the first separator ({})",
                s.example()
            ),
            NumberError::LeadingZero(s) => {
                format!("is not {what}: digits grouped in thousands cannot start with 0 ({})", s.example())
            }
            NumberError::Group(s) => {
                format!("is not {what}: digits after {} must come in groups of three ({})", s.name(), s.example())
            }
            NumberError::Mixed(a, b) => format!(
                "is not {what}: it mixes {} and {} between digits; group thousands with one of them ({})",
                a.name(),
                b.name(),
                a.example()
            ),
            NumberError::TooLarge => format!("is too large to be {what} (the largest is 1 000 000 000 000)"),
        }
    }
}

/// A character as a message shows it: invisible ones escaped, so `\u{200b}` is seen.
fn shown(c: char) -> String {
    let invisible = c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}');
    if invisible { c.escape_unicode().to_string() } else { c.to_string() }
}

/// Reads a whole number exactly: ASCII digits, optionally grouped in thousands by one kind of
/// separator (any space, an apostrophe, or one of `punctuation`, which may hold `,` and `.`), with
/// one to three digits before the first separator and exactly three after each; at most [`LARGEST`].
///
/// Nothing is skipped and nothing is guessed: `1 00`, `5 10`, `1,0000`, `1  000` and `1 000,000`
/// are refused, never read as 100, 510, 10000 or a million.
pub fn parse_whole(text: &str, punctuation: &[char]) -> Result<u64, NumberError> {
    match plain_whole(text) {
        Some(n) => Ok(n),
        None => parse_whole_general(text, punctuation),
    }
}

/// The usual cell, 1 to 12 digits without a separator, read in one pass: it cannot overflow nor
/// pass LARGEST, and needs none of [`parse_whole`]'s checks. `None` for any other text.
#[inline]
fn plain_whole(text: &str) -> Option<u64> {
    if !(1..=12).contains(&text.len()) {
        return None;
    }
    text.bytes().try_fold(0, |n, b| {
        let d = b.wrapping_sub(b'0');
        (d < 10).then(|| n * 10 + u64::from(d))
    })
}

/// [`parse_whole`] of any cell.
fn parse_whole_general(text: &str, punctuation: &[char]) -> Result<u64, NumberError> {
    // Any character that does not belong is named first: it says most about what went wrong.
    if let Some(c) = text.chars().find(|&c| !c.is_ascii_digit() && Separator::of(c, punctuation).is_none()) {
        return Err(NumberError::Character(c));
    }
    let mut value: u64 = 0;
    let mut separator: Option<Separator> = None;
    let (mut group, mut first_digit) = (0usize, None);
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            value = value.checked_mul(10).and_then(|v| v.checked_add(u64::from(d))).ok_or(NumberError::TooLarge)?;
            first_digit.get_or_insert(c);
            group += 1;
            continue;
        }
        // Every other character is a separator (checked above).
        let Some(this) = Separator::of(c, punctuation) else { return Err(NumberError::Character(c)) };
        match separator {
            None if group == 0 => return Err(NumberError::Starts(c)),
            None if group > 3 => return Err(NumberError::LongFirstGroup(this)),
            None if first_digit == Some('0') => return Err(NumberError::LeadingZero(this)),
            None => {}
            Some(before) if before != this => return Err(NumberError::Mixed(before, this)),
            Some(before) if group != 3 => return Err(NumberError::Group(before)),
            Some(_) => {}
        }
        separator = Some(this);
        group = 0;
    }
    match separator {
        _ if first_digit.is_none() => Err(NumberError::Missing),
        Some(s) if group != 3 => Err(NumberError::Group(s)),
        _ if value > LARGEST => Err(NumberError::TooLarge),
        _ => Ok(value),
    }
}

/// Spaces that may separate digit groups in a number.
pub fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

impl ParseFigureError {
    /// The message with the character it names as the cell writes it (`O`, not the `o` of the
    /// lowercase text the words were matched in).
    fn quoting_as_written(mut self, written: &str) -> Self {
        for c in written.chars().filter(|c| c.is_uppercase()) {
            let lower: String = c.to_lowercase().collect();
            let named = format!("`{lower}` cannot be part of one");
            if self.message.contains(&named) && !written.contains(lower.as_str()) {
                self.message = self.message.replace(&named, &format!("`{c}` cannot be part of one"));
                break;
            }
        }
        self
    }
}

impl fmt::Display for ParseFigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(cells: &[&str]) -> Figure {
        let mut total = Figure::empty();
        for cell in cells {
            total.add(Figure::parse(cell).unwrap());
        }
        total
    }

    #[test]
    fn parses_every_qualifier() {
        assert_eq!(Figure::parse("28").unwrap(), Figure::exact(28));
        assert_eq!(Figure::parse(" ~1000 ").unwrap(), Figure::about(1000));
        assert_eq!(Figure::parse("≈1 000").unwrap(), Figure::about(1000));
        assert_eq!(Figure::parse(">5000").unwrap(), Figure::more_than(5000));
        assert_eq!(Figure::parse("<1000").unwrap(), Figure::less_than(1000));
        assert_eq!(Figure::parse("200-2000").unwrap(), Figure::range(200, 2000));
        assert_eq!(Figure::parse("200–2 000").unwrap(), Figure::range(200, 2000));
        assert_eq!(Figure::parse("").unwrap().kind(), Kind::Unknown);
        assert_eq!(Figure::parse("n/a").unwrap().kind(), Kind::Unknown);
    }

    #[test]
    fn reads_what_it_writes_in_both_languages() {
        assert_eq!(Figure::parse("около 1\u{202f}000").unwrap(), Figure::about(1000));
        assert_eq!(Figure::parse("порядка 400").unwrap(), Figure::about(400));
        assert_eq!(Figure::parse("more than\u{a0}5,000").unwrap(), Figure::more_than(5000));
        assert_eq!(Figure::parse("Fewer than 1,000").unwrap(), Figure::less_than(1000));
        assert_eq!(Figure::parse("не менее 28").unwrap(), Figure::at_least(28, false));
        assert_eq!(Figure::parse("about 1,000 or more").unwrap(), Figure::at_least(1000, true));
        assert_eq!(Figure::parse("около 200–2 000").unwrap(), Figure { approx: true, ..Figure::range(200, 2000) });
        assert_eq!(Figure::parse("нет данных").unwrap(), Figure::unknown());
        assert_eq!(Figure::parse("150.0").unwrap(), Figure::exact(150));
        assert_eq!(Figure::parse("1000+").unwrap(), Figure::at_least(1000, false));
    }

    #[test]
    fn rejects_what_is_not_a_count() {
        for bad in ["12a", "~", "abc", "-5", "2000-200", "1.5", "1,5", "99999999999999999999999", "около", "overflow 5"]
        {
            assert!(Figure::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn exact_parts_sum_exactly() {
        let t = sum(&["28", "3", "2"]);
        assert_eq!((t.kind(), t.low()), (Kind::Exact, 33));
    }

    #[test]
    fn an_estimate_makes_the_sum_an_estimate() {
        // 1000 + 1500 + 28 = 2528, and "about" stays "about".
        let t = sum(&["~1000", "~1500", "28"]);
        assert_eq!((t.kind(), t.low(), t.high()), (Kind::About, 2528, Some(2528)));
    }

    #[test]
    fn an_open_bound_makes_the_sum_more_than() {
        let t = sum(&[">5000", "~1000", "28"]);
        assert_eq!((t.kind(), t.low(), t.high()), (Kind::More, 6028, None));
        assert!(t.is_approx());
    }

    #[test]
    fn unknown_parts_are_never_zero() {
        let t = sum(&["28", "", "3"]);
        assert_eq!((t.kind(), t.low(), t.high(), t.unknown_parts()), (Kind::AtLeast, 31, None, 1));
        assert_eq!(sum(&["", ""]).kind(), Kind::Unknown);
        assert_eq!(sum(&[]).kind(), Kind::Exact);
    }

    #[test]
    fn the_known_part_of_a_sum_with_blanks() {
        let t = sum(&["<1000", ""]);
        assert_eq!((t.kind(), t.low(), t.high()), (Kind::AtLeast, 0, None));
        let known = t.known_part();
        assert_eq!((known.kind(), known.high()), (Kind::Less, Some(1000)));
    }

    #[test]
    fn upper_bounds_and_ranges() {
        assert_eq!(sum(&["<1000", "<500"]).kind(), Kind::Less);
        let t = sum(&["<1000", "200"]);
        assert_eq!((t.kind(), t.low(), t.high()), (Kind::Range, 200, Some(1200)));
        let t = sum(&["200-2000", "~100"]);
        assert_eq!((t.kind(), t.low(), t.high(), t.is_approx()), (Kind::Range, 300, Some(2100), true));
    }

    #[test]
    fn merge_is_the_same_as_adding_one_by_one() {
        let cells = ["28", "~1000", "", "200-300", "<50"];
        let whole = sum(&cells);
        let halves = sum(&cells[..2]).merge(sum(&cells[2..]));
        assert_eq!(whole, halves);
    }

    #[test]
    fn exceeding_needs_certainty() {
        let stated = Figure::about(100);
        assert!(Figure::exact(101).certainly_exceeds(&stated));
        assert!(!Figure::exact(100).certainly_exceeds(&stated));
        assert!(!sum(&["28", ""]).certainly_exceeds(&Figure::more_than(20)));
        assert!(Figure::exact(1000).certainly_exceeds(&Figure::less_than(1000)));
    }

    /// The message a count cell gets, or the figure it reads as.
    fn message(cell: &str) -> String {
        Figure::parse(cell).unwrap_err().message
    }

    #[test]
    fn a_wrong_letter_is_quoted_as_written() {
        // `4O` (a letter O typed for a zero) was reported as "`o` cannot be part of one".
        assert_eq!(message("4O"), "is not a count: `O` cannot be part of one");
        assert_eq!(message("~1O"), "is not a count: `O` cannot be part of one");
        assert_eq!(message("около 1Х"), "is not a count: `Х` cannot be part of one");
    }

    #[test]
    fn digits_after_a_space_come_in_groups_of_three() {
        // `1 00` (a real export), `5 10` and `1,00` were read as 100, 510 and an error: all are errors now.
        assert_eq!(message("1 00"), "is not a count: digits after a space must come in groups of three (1 000)");
        assert_eq!(message("5 10"), "is not a count: digits after a space must come in groups of three (1 000)");
        assert_eq!(message("1,00"), "is not a count: digits after a comma must come in groups of three (1,000)");
        assert_eq!(message("1\u{a0}00"), message("1 00"));
        // `200 300` typed with a space was read as 200 300: it may as well be two counts or a
        // range whose dash was lost, so it is refused; grouped by a formatter it is exact.
        assert_eq!(
            message("200 300"),
            "is not a count: it may be one number (200 300) or two (200 and 300, or 200–300)"
        );
        assert_eq!(Figure::parse("200\u{a0}300").unwrap(), Figure::exact(200_300));
        assert_eq!(Figure::parse("100 000").unwrap(), Figure::exact(100_000), "no range runs 100–000");
        assert_eq!(Figure::parse("500 100").unwrap(), Figure::exact(500_100), "no range runs 500–100");
        assert_eq!(Figure::parse("200,300").unwrap(), Figure::exact(200_300));
        assert_eq!(Figure::parse("1 000 000").unwrap(), Figure::exact(1_000_000));
        assert_eq!(Figure::parse("1\u{2009}000").unwrap(), Figure::exact(1000));
    }

    #[test]
    fn the_space_groups_case_reads_as_errors_not_a_total() {
        // The case file `count-space-groups`: its total was 200,910 with exit 0; now rows a and b
        // are errors at their cells, `200 300` too (it may be two counts or a range).
        let cells = ["1 00", "5 10", "200 300", "1,00"];
        let read: Vec<_> = cells.iter().map(|c| Figure::parse(c).ok()).collect();
        assert_eq!(read, [None, None, None, None]);
    }

    #[test]
    fn every_separator_checks_every_group() {
        // Groups were checked after a comma only; every separator is held to the same rule.
        for sep in [" ", "\u{a0}", "\u{202f}", "\u{2009}", ",", "'", "’"] {
            assert_eq!(Figure::parse(&format!("1{sep}000")).ok(), Some(Figure::exact(1000)), "{sep:?}");
            assert_eq!(Figure::parse(&format!("12{sep}345{sep}678")).ok(), Some(Figure::exact(12_345_678)), "{sep:?}");
            for bad in ["1{s}00", "1{s}0000", "1000{s}000", "1{s}000{s}00", "1{s}{s}000", "0{s}100", "{s}100", "1{s}"] {
                let bad = bad.replace("{s}", sep);
                // Spaces around a cell are trimmed: ` 100` is 100.
                let trimmed = bad.trim() != bad;
                assert_eq!(Figure::parse(&bad).is_err(), !trimmed, "{bad:?} should not parse");
            }
        }
    }

    #[test]
    fn refusals_say_what_is_wrong_with_the_number() {
        // Each refusal names its cause, so the secretary knows what to retype.
        let group = "is not a count: digits grouped in thousands";
        assert_eq!(message("1000 000"), format!("{group} have one to three before the first separator (1 000)"));
        assert_eq!(message("0 100"), format!("{group} cannot start with 0 (1 000)"));
        assert_eq!(
            message("1 000,000"),
            "is not a count: it mixes a space and a comma between digits; group thousands with one of them (1 000)"
        );
        assert_eq!(message("'1000"), "is not a count: a number cannot start with `'`");
        assert_eq!(message("1.5"), "is not a count: `.` starts a fraction, and a count is a whole number");
        assert_eq!(message("12a"), "is not a count: `a` cannot be part of one");
        assert_eq!(message("1\u{200b}000"), "is not a count: `\\u{200b}` cannot be part of one");
        assert_eq!(message("1000000000001"), "is too large to be a count (the largest is 1 000 000 000 000)");
        assert_eq!(Figure::parse("1000000000000").unwrap(), Figure::exact(LARGEST));
        assert_eq!(message("~18446744073709551616"), message("1000000000001"));
    }

    #[test]
    fn a_decimal_comma_file_groups_with_dots() {
        // `Table::count_text` dropped every dot of a `;` file, so `1234.567` became 1234567; a
        // file's decimal mark now decides which punctuation groups, with the same rule.
        let comma = |cell| Figure::parse_with(cell, DecimalMark::Comma);
        assert_eq!(comma("10.000").unwrap(), Figure::exact(10_000));
        assert_eq!(comma("~1.000-2.000").unwrap(), Figure { approx: true, ..Figure::range(1000, 2000) });
        assert_eq!(comma("150,0").unwrap(), Figure::exact(150));
        assert_eq!(comma("1 000").unwrap(), Figure::exact(1000));
        for bad in ["1234.567", "1,000", "1,5", "1.00", "1.000,000"] {
            assert!(comma(bad).is_err(), "{bad:?} should not parse");
        }
        assert_eq!(
            comma("1,5").unwrap_err().message,
            "is not a count: `,` starts a fraction, and a count is a whole number"
        );
    }

    #[test]
    fn fewer_than_zero_is_refused() {
        // `<0` was read as an upper bound of 0, which is shown as an exact "0": a count cannot be below 0.
        for bad in ["<0", "< 0", "fewer than 0", "менее 0", "<000"] {
            assert_eq!(Figure::parse(bad).unwrap_err().message, "is not a count: nothing is fewer than 0", "{bad:?}");
        }
        assert_eq!(Figure::parse("<1").unwrap(), Figure::less_than(1));
    }

    #[test]
    fn what_was_read_before_is_still_read() {
        // The audit must not refuse anything that was read exactly before it.
        assert_eq!(Figure::parse("1 000–1 500").unwrap(), Figure::range(1000, 1500));
        assert_eq!(Figure::parse("200 - 2000").unwrap(), Figure::range(200, 2000));
        assert_eq!(Figure::parse("about 1,000").unwrap(), Figure::about(1000));
        assert_eq!(Figure::parse("more than 5,000").unwrap(), Figure::more_than(5000));
        assert_eq!(Figure::parse("около 1000").unwrap(), Figure::about(1000));
        assert_eq!(Figure::parse("1,000.0").unwrap(), Figure::exact(1000));
        assert_eq!(Figure::parse("150.00").unwrap(), Figure::exact(150));
        assert_eq!(Figure::parse("007").unwrap(), Figure::exact(7));
        assert_eq!(Figure::parse("?").unwrap(), Figure::unknown());
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;
        use crate::locale::{Language, Words};

        /// Any single-cell figure: every qualifier a cell can carry.
        fn cell() -> impl Strategy<Value = Figure> {
            let n = 0u64..10_000_000;
            prop_oneof![
                n.clone().prop_map(Figure::exact),
                n.clone().prop_map(Figure::about),
                n.clone().prop_map(Figure::more_than),
                (1u64..10_000_000).prop_map(Figure::less_than),
                (n.clone(), n.clone()).prop_map(|(a, b)| Figure::range(a, b)),
                (n.clone(), n.clone()).prop_map(|(a, b)| Figure { approx: true, ..Figure::range(a, b) }),
                (n, any::<bool>()).prop_map(|(a, approx)| Figure::at_least(a, approx)),
                Just(Figure::unknown()),
            ]
        }

        thread_local! {
            /// Formatters in both languages, built once per test thread (a long run reads millions).
            static WORDS: [Words; 2] = [Words::new(Language::Ru), Words::new(Language::En)];
        }

        /// Every character that may separate digit groups, with the decimal mark it needs.
        const SEPARATORS: [char; 8] = [' ', '\u{a0}', '\u{202f}', '\u{2009}', ',', '.', '\'', '’'];

        /// A whole number as formatters write it, grouped in thousands with `sep`.
        fn grouped(n: u64, sep: char) -> String {
            let plain = n.to_string();
            let mut out = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i).is_multiple_of(3) {
                    out.push(sep);
                }
                out.push(c);
            }
            out
        }

        /// The decimal mark under which `sep` groups thousands.
        fn mark_for(sep: char) -> DecimalMark {
            if sep == '.' { DecimalMark::Comma } else { DecimalMark::Point }
        }

        /// What a number (trimmed, without a spreadsheet's `.0`) must read as, decided without the
        /// parser: groups split at any separator; one kind of separator (spaces count as one kind,
        /// apostrophes as one); one to three digits first, not starting with 0 when grouped;
        /// exactly three in every later group.
        fn oracle(text: &str, mark: DecimalMark) -> Option<u64> {
            let class = |c: char| match c {
                ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' => Some(0),
                '\'' | '’' => Some(1),
                ',' if mark == DecimalMark::Point => Some(2),
                '.' if mark == DecimalMark::Comma => Some(3),
                _ => None,
            };
            let groups: Vec<&str> = text.split(|c| class(c).is_some()).collect();
            let mut kinds: Vec<i32> = text.chars().filter_map(class).collect();
            kinds.dedup();
            let first = groups[0];
            let well_grouped = kinds.len() <= 1
                && (1..=3).contains(&first.len())
                && groups[1..].iter().all(|g| g.len() == 3)
                && (groups.len() == 1 || !first.starts_with('0'));
            let digits = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
            let whole = groups.len() == 1 && !first.is_empty() && first.len() <= 12;
            let value: u64 = groups.concat().parse().ok()?;
            // Two three-digit groups split by a typed space, the second larger, may be two counts.
            let two_numbers = groups.len() == 2 && first.len() == 3 && text.contains(' ') && groups[1] > first;
            ((well_grouped || whole) && digits && value <= LARGEST && !two_numbers).then_some(value)
        }

        /// Text that looks like a count: digits, every separator, signs, dashes, words and junk.
        const COUNT_LIKE: &str = concat!(
            "[~<>≈+ 0-9,.'’\\u{a0}\\u{202f}\\u{2009}\\-–—]{0,16}",
            "|(около|about|more than|не менее|~|>|<)? ?[0-9 ,.']{1,12}( ?[-–] ?[0-9 ,.']{1,12})?( or more| и более|\\+)?",
            "|(около|about|fewer than|менее|~|>|<)? ?[1-9][0-9]{0,2}([ ,'][0-9]{3}){0,3}(\\.0)?",
            "( ?[-–] ?[1-9][0-9]{0,2}([ ,][0-9]{3}){0,3})?( or more| и более|\\+)?",
        );

        proptest! {
            #[test]
            fn parse_prop_count_quick_path_reads_as_the_general_one(text in "[ ~<>]{0,2}[0-9]{0,20}[ .,-]{0,1}[0-9]{0,4}") {
                prop_assert_eq!(Figure::parse(&text), Figure::parse_general(&text, DecimalMark::Point));
            }

            #[test]
            fn parse_prop_count_any_text_is_read_or_refused_without_panic(text in "\\PC{0,40}") {
                if let Err(e) = Figure::parse(&text) {
                    // A refusal is a message that can follow the value: lowercase, no full stop.
                    prop_assert!(e.message.starts_with("is "), "{:?}: {}", text, e.message);
                    prop_assert!(!e.message.ends_with('.'), "{:?}: {}", text, e.message);
                }
                let _ = Figure::parse_with(&text, DecimalMark::Comma);
            }

            #[test]
            fn parse_prop_count_spreadsheet_like_cells_never_panic(text in COUNT_LIKE) {
                let _ = Figure::parse(&text);
                let _ = Figure::parse_with(&text, DecimalMark::Comma);
            }

            #[test]
            fn parse_prop_count_accepted_reads_back_as_displayed(text in COUNT_LIKE) {
                // Whatever is accepted, shown in either language, reads back as the same figure.
                if let Ok(f) = Figure::parse(&text) {
                    for words in WORDS.with(|w| w.each_ref().map(|w| w.figure(&f))) {
                        prop_assert_eq!(Figure::parse(&words).ok(), Some(f), "{:?} shown as {:?}", text, words);
                    }
                }
            }

            #[test]
            fn parse_prop_count_displayed_reads_back_the_same(f in cell()) {
                for shown in WORDS.with(|w| w.each_ref().map(|w| w.figure(&f))) {
                    let back = Figure::parse(&shown);
                    prop_assert_eq!(back.as_ref().ok(), Some(&f), "{:?} shown as {:?}", f, shown);
                }
            }

            #[test]
            fn parse_prop_whole_digits_read_as_the_general_path_reads_them(text in "[0-9]{0,14}|[0-9 ,.]{0,8}") {
                prop_assert_eq!(parse_whole(&text, &[',', '.']), parse_whole_general(&text, &[',', '.']));
                prop_assert_eq!(parse_whole(&text, &[]), parse_whole_general(&text, &[]));
            }

            #[test]
            fn parse_prop_whole_part_without_a_mark_is_the_cell(text in "[0-9 ,.a]{0,8}", mark in proptest::sample::select(vec![',', '.'])) {
                let general = match text.rsplit_once(mark) {
                    Some((whole, zeros)) if !whole.is_empty() && !whole.contains(mark) && (1..=2).contains(&zeros.len()) && zeros.bytes().all(|b| b == b'0') => whole,
                    _ => text.as_str(),
                };
                prop_assert_eq!(whole_part(&text, mark), general);
            }

            #[test]
            fn parse_prop_count_grouped_reads_exactly(n in 0..=LARGEST, sep in proptest::sample::select(&SEPARATORS[..])) {
                // Every separator, alone, in a range and after a qualifier.
                let text = grouped(n, sep);
                let mark = mark_for(sep);
                prop_assert_eq!(Figure::parse_with(&text, mark), Ok(Figure::exact(n)), "{:?}", text);
                prop_assert_eq!(Figure::parse_with(&format!("~{text}"), mark), Ok(Figure::about(n)));
                prop_assert_eq!(Figure::parse_with(&format!("{text}–{text}"), mark), Ok(Figure::range(n, n)));
                prop_assert_eq!(parse_whole(&text, &[',', '.']), Ok(n));
            }

            #[test]
            fn parse_prop_count_bad_group_is_refused(
                first in 1u64..1000,
                rest in proptest::collection::vec(0u64..1000, 1..4),
                bad in "[0-9]{0,2}|[0-9]{4,6}",
                at in any::<proptest::sample::Index>(),
                sep in proptest::sample::select(&SEPARATORS[..]),
            ) {
                // A well-grouped number with one group after a separator made shorter or longer.
                let mut groups: Vec<String> = rest.iter().map(|g| format!("{g:03}")).collect();
                let i = at.index(groups.len());
                groups[i] = bad.to_string();
                let text = format!("{first}{sep}{}", groups.join(&sep.to_string()));
                let mark = mark_for(sep);
                prop_assert!(parse_whole(&text, &[',', '.']).is_err(), "{:?} was read", text);
                // A cell is trimmed, so an empty last group after a space leaves a good number.
                if text.trim() == text {
                    prop_assert!(Figure::parse_with(&text, mark).is_err(), "{:?} was read", text);
                    prop_assert!(Figure::parse_with(&format!("около {text}"), mark).is_err(), "{:?} was read", text);
                }
            }

            #[test]
            fn parse_prop_count_long_first_group_is_refused(first in 1000u64..1_000_000, sep in proptest::sample::select(&SEPARATORS[..])) {
                let text = format!("{first}{sep}000");
                prop_assert!(Figure::parse_with(&text, mark_for(sep)).is_err(), "{:?} was read", text);
            }

            #[test]
            fn parse_prop_count_reads_what_the_rule_says(
                first in "[0-9]{1,4}",
                rest in proptest::collection::vec((proptest::sample::select(&SEPARATORS[..]), "[0-9]{0,4}"), 0..4),
                comma in any::<bool>(),
            ) {
                // Any digits with any separators: read exactly when the rule allows, else refused.
                let mark = if comma { DecimalMark::Comma } else { DecimalMark::Point };
                let text: String = rest.iter().fold(first, |t, (sep, g)| format!("{t}{sep}{g}"));
                // `150.0` (or `150,0` for a decimal comma) is a spreadsheet's whole number.
                let whole = whole_part(text.trim(), mark.mark());
                let expected = oracle(whole, mark);
                prop_assert_eq!(Figure::parse_with(&text, mark).ok(), expected.map(Figure::exact), "{:?}", text);
            }

            #[test]
            fn a_sum_holds_every_part(parts in proptest::collection::vec(cell(), 0..12)) {
                let mut total = Figure::empty();
                for part in &parts {
                    total.add(*part);
                }
                prop_assert_eq!(total.low(), parts.iter().map(Figure::low).sum::<u64>());
                for part in &parts {
                    prop_assert!(total.low() >= part.low());
                    if let (Some(t), Some(p)) = (total.high(), part.high()) {
                        prop_assert!(t >= p);
                    }
                    // An open or unknown part leaves the sum open.
                    if part.high().is_none() {
                        prop_assert!(total.high().is_none());
                    }
                }
                // An estimate anywhere makes the sum an estimate; a blank never counts as zero.
                prop_assert_eq!(total.is_approx(), parts.iter().any(Figure::is_approx));
                prop_assert_eq!(total.unknown_parts() as usize, parts.iter().filter(|p| !p.is_known()).count());
            }

            #[test]
            fn the_order_of_parts_does_not_matter(mut parts in proptest::collection::vec(cell(), 0..12), seed in any::<u64>()) {
                let sum = |parts: &[Figure]| parts.iter().fold(Figure::empty(), |acc, p| acc.merge(*p));
                let before = sum(&parts);
                let n = parts.len().max(1);
                parts.rotate_left((seed as usize) % n);
                parts.reverse();
                prop_assert_eq!(sum(&parts), before);
            }
        }
    }
}

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
    /// Largest total the parts that gave a number allow; `None` when one of them is open-ended.
    known_high: Option<u64>,
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
        Self { low: 0, known_high: Some(0), approx: false, more: false, less: false, known_parts: 0, unknown_parts: 0 }
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
        Self { low: n, known_high: Some(n), known_parts: 1, ..Self::default() }
    }

    /// An approximate count ("около n").
    pub fn about(n: u64) -> Self {
        Self { approx: true, ..Self::exact(n) }
    }

    /// A lower bound ("более n").
    pub fn more_than(n: u64) -> Self {
        Self { low: n, known_high: None, more: true, known_parts: 1, ..Self::default() }
    }

    /// An upper bound ("менее n").
    pub fn less_than(n: u64) -> Self {
        Self { low: 0, known_high: Some(n), less: true, known_parts: 1, ..Self::default() }
    }

    /// A range ("от a до b"); the bounds are put in order.
    pub fn range(a: u64, b: u64) -> Self {
        Self { low: a.min(b), known_high: Some(a.max(b)), known_parts: 1, ..Self::default() }
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

    /// Reads one count cell: `28`, `~1000`, `>5000`, `<1000`, `200-2000`, or blank for unknown.
    ///
    /// Digits may be grouped with spaces (`1 000`); `≈` may stand for `~`, and an en dash or
    /// em dash for the hyphen of a range.
    pub fn parse(cell: &str) -> Result<Self, ParseFigureError> {
        let s = cell.trim();
        if s.is_empty() {
            return Ok(Self::unknown());
        }
        if let Some(rest) = s.strip_prefix(['~', '≈']) {
            return parse_count(rest).map(Self::about);
        }
        if let Some(rest) = s.strip_prefix('>') {
            return parse_count(rest).map(Self::more_than);
        }
        if let Some(rest) = s.strip_prefix('<') {
            return parse_count(rest).map(Self::less_than);
        }
        if let Some((a, b)) = s.split_once(['-', '–', '—']) {
            let (a, b) = (parse_count(a)?, parse_count(b)?);
            if a > b {
                return Err(ParseFigureError {
                    message: "is a range that runs backwards: the first number must be the smaller".into(),
                });
            }
            return Ok(Self::range(a, b));
        }
        parse_count(s).map(Self::exact)
    }

    /// Adds one more part to this sum.
    pub fn add(&mut self, part: Figure) {
        *self = self.merge(part);
    }

    /// The sum of two figures (each may itself be a sum).
    #[must_use]
    pub fn merge(self, other: Figure) -> Figure {
        let known_high = match (self.known_high, other.known_high) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        };
        let unknown_parts = self.unknown_parts + other.unknown_parts;
        Figure {
            low: self.low.saturating_add(other.low),
            known_high,
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
        if self.unknown_parts > 0 { None } else { self.known_high }
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

/// Reads a non-negative whole number, allowing digit groups separated by spaces
/// (plain, no-break or narrow no-break).
fn parse_count(s: &str) -> Result<u64, ParseFigureError> {
    let s = s.trim();
    let digits: String = s.chars().filter(|c| !is_group_space(*c)).collect();
    if digits.is_empty() {
        return Err(ParseFigureError { message: "is not a count: a number is missing".into() });
    }
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(ParseFigureError { message: format!("is not a count: `{bad}` cannot be part of one") });
    }
    digits.parse().map_err(|_| ParseFigureError { message: "is too large to be a count".into() })
}

/// Spaces that may separate digit groups in a number.
pub fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
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
    }

    #[test]
    fn rejects_what_is_not_a_count() {
        for bad in ["12a", "~", "abc", "-5", "2000-200", "1.5", "99999999999999999999999"] {
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
}

//! Numbers typed by hand in a narrative file's prose, with their places, so that one equal to a
//! figure's old value can be pointed out after an edit of the data (`summary --since`, `check`).
//!
//! Only prose counts: code (a `fig(…)` call, an import), comments, raw text and math are left
//! out, found with Typst's own parser. Grouped digits are one number ("80~900", "1,500"); a day
//! or a year of a date ("28~января", "2012~года", "28 January") is not a figure and is skipped.

use typst::syntax::{LinkedNode, SyntaxKind};

use crate::diagnostic::line_column;

/// A number typed in a narrative file's prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// Its value ("80~900" is 80900).
    pub value: u64,
    /// As typed.
    pub text: String,
    /// The narrative file, relative to the report folder.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The 1-based column, in characters.
    pub column: usize,
}

/// Words besides the months that make the number before them a year.
const YEAR_WORDS: &[&str] = &["год", "г."];

/// Month names: the number before one is a day ("28 января"); the number after one is a day
/// ("January 28", English only) or a year.
const MONTHS: &[&str] = &[
    "январ",
    "феврал",
    "март",
    "апрел",
    "мая",
    "май",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Characters that group the digits of one number.
const GROUP: &[char] = &[' ', '~', '\u{a0}', '\u{202f}', '\u{2009}', ','];

/// Every number typed in the prose of `text`, the narrative file `file`.
pub fn literals(file: &str, text: &str) -> Vec<Literal> {
    let prose = prose(text);
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = prose[at..].find(|c: char| c.is_ascii_digit()).map(|i| at + i) {
        let end = number_end(&prose, start);
        at = end;
        if is_part_of_word(&prose, start, end) || is_date(&prose, start, end) {
            continue;
        }
        let typed = &text[start..end];
        let Ok(value) = typed.chars().filter(char::is_ascii_digit).collect::<String>().parse::<u64>() else { continue };
        let (line, column) = line_column(text, start);
        found.push(Literal { value, text: typed.to_string(), file: file.to_string(), line, column });
    }
    found
}

/// `text` with everything that is not prose (code, comments, raw text, math) blanked out byte
/// for byte, so offsets stay those of the file.
fn prose(text: &str) -> String {
    let root = typst::syntax::parse(text);
    let mut keep = vec![false; text.len()];
    mark_prose(&LinkedNode::new(&root), &mut keep);
    let bytes: Vec<u8> = text.bytes().zip(&keep).map(|(b, &k)| if k { b } else { 0 }).collect();
    // Whole leaves are blanked, so every character kept is whole.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Marks the bytes of prose leaves below `node`: text, spaces and the `~` shorthand in markup.
fn mark_prose(node: &LinkedNode, keep: &mut [bool]) {
    let prose = match node.kind() {
        SyntaxKind::Text | SyntaxKind::Space => node.parent_kind() != Some(SyntaxKind::Raw),
        SyntaxKind::Shorthand => node.get().leaf_text() == "~",
        _ => false,
    };
    if prose && node.parent_kind().is_some_and(|k| k != SyntaxKind::Raw) {
        keep[node.range()].fill(true);
    }
    for child in node.children() {
        mark_prose(&child, keep);
    }
}

/// Where the number starting at `start` ends: its digits and any groups of three after a
/// grouping character ("80~900", "1,500", "30 000").
fn number_end(prose: &str, start: usize) -> usize {
    let digits = |from: usize| prose[from..].find(|c: char| !c.is_ascii_digit()).map_or(prose.len(), |n| from + n);
    let mut end = digits(start);
    while let Some(sep) = prose[end..].chars().next().filter(|c| GROUP.contains(c)) {
        let group = end + sep.len_utf8();
        let group_end = digits(group);
        if group_end - group != 3 {
            break;
        }
        end = group_end;
    }
    end
}

/// Whether the digits are part of a word or a code-like token ("H1", "1.5", an id or ISO date
/// such as "2012-02-25-rally"); "15-day" is a number.
fn is_part_of_word(prose: &str, start: usize, end: usize) -> bool {
    let mut before = prose[..start].chars().rev();
    let (before, before_that) = (before.next(), before.next());
    let mut after = prose[end..].chars();
    let (after, after_next) = (after.next(), after.next());
    before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '\0')
        || (before == Some('-') && before_that.is_some_and(char::is_alphanumeric))
        || after.is_some_and(char::is_alphanumeric)
        || (matches!(after, Some('.' | ',' | '-')) && after_next.is_some_and(|c| c.is_ascii_digit()))
}

/// Whether the number is the day or year of a date: a month name or "года" after it, or a
/// month name before a year (or, in English, before a day: "January 28").
fn is_date(prose: &str, start: usize, end: usize) -> bool {
    let starts = |word: Option<&str>, stems: &[&str]| {
        word.map(str::to_lowercase).is_some_and(|w| !w.is_empty() && stems.iter().any(|s| w.starts_with(s)))
    };
    let next = prose[end..].trim_start_matches(GROUP).split(|c: char| !c.is_alphabetic() && c != '.').next();
    let prev = prose[..start].trim_end_matches(GROUP).rsplit(|c: char| !c.is_alphabetic()).next();
    let digits = prose[start..end].chars().filter(char::is_ascii_digit).count();
    let english = prev.is_some_and(|w| w.is_ascii());
    starts(next, MONTHS)
        || starts(next, YEAR_WORDS)
        || (starts(prev, MONTHS) && (digits == 4 || (english && digits <= 2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<u64> {
        literals("a.typ", text).iter().map(|l| l.value).collect()
    }

    #[test]
    fn numbers_in_prose_with_their_places() {
        let found = literals("s.typ", "= Итоги\nВсего задержаны 28~человек; штраф 80~900~тенге.");
        let seen: Vec<_> = found.iter().map(|l| (l.value, l.text.as_str(), l.line, l.column)).collect();
        assert_eq!(seen, [(28, "28", 2, 17), (80900, "80~900", 2, 35)]);
        assert_eq!(values("some 1,000 to 1,500 people, 10 to 18 days"), [1000, 1500, 10, 18]);
        assert_eq!(values("от 30 000 до 81 000 тенге (150–410 EUR)"), [30000, 81000, 150, 410]);
    }

    #[test]
    fn dates_code_and_comments_are_not_numbers() {
        assert!(values("28~января 2012~года, on 25~February, 15 October 2012, в 2005~году").is_empty());
        assert!(values("#fig(\"detained\", month: \"2012-02\") // 28\n`28` $28$").is_empty());
        assert!(values("H1 2012-02-25-rally 1.5").is_empty());
        assert_eq!(values("a 15-day term"), [15]);
        // A number after a Russian date is a count ("15 марта 28 человек"); after an English month, a day.
        assert_eq!(values("15 марта 28 человек, сентябрь 2012, on January 28"), [28]);
    }
}

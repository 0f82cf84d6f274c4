//! Text as the leak check compares it: cut into words, and each word reduced to a key that is the
//! same for every way of writing it that a reader would take for the same word.
//!
//! A key is made in this order: default-ignorable characters removed (soft hyphens, zero-width
//! spaces and joiners, bidi controls), Unicode NFKC, full case folding (ICU4X `icu_casemap`),
//! ё → е, typographic apostrophes made `'`, then each character mapped to its Unicode confusables
//! prototype (UTS #39 skeleton, `unicode-security`) with accents dropped. A letter is mapped by
//! its capital when that gives a Latin letter (Cyrillic `В` looks like Latin `B`, though `в` does
//! not look like `b`), else by itself (`г` looks like `r`), so a word mixing look-alikes of either
//! case gets the key of the word it imitates.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use foldhash::fast::FixedState;
use icu_casemap::CaseMapper;
use icu_properties::CodePointSetData;
use icu_properties::props::DefaultIgnorableCodePoint;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Whether `c` is invisible and ignored in comparisons (soft hyphen, zero-width space, bidi
/// controls, variation selectors, …): Unicode's Default_Ignorable_Code_Point.
pub fn is_ignorable(c: char) -> bool {
    CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
}

/// Whether `c` can be part of a word: a letter or digit, a combining mark, or an invisible
/// character (which must not cut a word in two).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && (is_combining_mark(c) || is_ignorable(c)))
}

/// Whether `c` is an apostrophe, which belongs to a word between two of its letters (`O'Brien`).
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{2bc}' | '\u{2032}')
}

/// The byte ranges of the words of `text`, in order. A word is a run of letters, digits, marks
/// and invisible characters, with apostrophes inside it; anything else separates words.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next_is_word = chars.peek().is_some_and(|&(_, n)| is_word_char(n));
        let inside = is_word_char(c) || (start.is_some() && is_apostrophe(c) && next_is_word);
        match (inside, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                found.push(s..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        found.push(s..text.len());
    }
    // A word of nothing but invisible characters is no word.
    found.retain(|r| text[r.clone()].chars().any(|c| !is_ignorable(c)));
    found.into_iter().flat_map(|r| parts(text, r)).collect()
}

/// A word's parts where its letters change in a way no name does inside a word: a digit next to
/// a letter (`2Туменовой`, a footnote's number run into its text) splits it; a small letter
/// followed by a capital (`ДелоТуменовой`, text run into a name by markup) gives the parts as
/// well as the whole, which may itself be a name in alternating case (`ПуХхОв`). Marks and
/// invisible characters do not count as a change.
fn parts(text: &str, word: Range<usize>) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for chunk in split_where(text, word, |before, now| before.is_numeric() != now.is_numeric()) {
        let cased = split_where(text, chunk.clone(), |before, now| before.is_lowercase() && now.is_uppercase());
        if cased.len() > 1 {
            found.push(chunk);
        }
        found.extend(cased);
    }
    found
}

/// `range` of `text` cut before every letter or digit `now` for which `cut(before, now)` holds,
/// `before` being the previous letter or digit.
fn split_where(text: &str, range: Range<usize>, cut: impl Fn(char, char) -> bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let (mut start, mut before) = (range.start, None);
    for (at, c) in text[range.clone()].char_indices() {
        if !c.is_alphanumeric() {
            continue;
        }
        if before.is_some_and(|b| cut(b, c)) {
            found.push(start..range.start + at);
            start = range.start + at;
        }
        before = Some(c);
    }
    found.push(start..range.end);
    found
}

/// A word as its letters are read: invisible characters removed, NFKC, full case folding,
/// ё → е and apostrophes made `'` (`"АХМЕ\u{ad}ТОВА"` → `"ахметова"`).
pub fn fold(word: &str) -> String {
    let visible: String = word.chars().filter(|&c| !is_ignorable(c)).collect();
    let composed: String = visible.nfkc().collect();
    let folded = CaseMapper::new().fold_string(&composed).into_owned();
    folded
        .chars()
        .map(|c| {
            if c == 'ё' {
                'е'
            } else if is_apostrophe(c) {
                '\''
            } else {
                c
            }
        })
        .collect()
}

/// The key of a word: [`fold`], then every letter replaced by the Latin letter it looks like
/// when there is one (see the module's documentation). Two words with the same key read alike.
pub fn key(word: &str) -> String {
    KEYS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(key) = cache.get(word) {
            return key.clone();
        }
        if cache.len() >= CACHED_KEYS {
            cache.clear();
        }
        let key = make_key(word);
        cache.insert(word.to_string(), key.clone());
        key
    })
}

/// How many words' keys are kept: a text repeats its words, but a huge one must not grow the
/// cache without end.
const CACHED_KEYS: usize = 100_000;

/// [`key`], worked out.
fn make_key(word: &str) -> String {
    let folded = fold(word);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push_str(&prototype(c));
        }
    }
    out
}

thread_local! {
    /// Prototypes already worked out: a text has few distinct letters and many words.
    static PROTOTYPES: RefCell<HashMap<char, String, FixedState>> = RefCell::new(HashMap::default());
    /// Keys already worked out: a text has fewer distinct words than words.
    static KEYS: RefCell<HashMap<String, String, FixedState>> = RefCell::new(HashMap::default());
}

/// The letters a (folded, non-ASCII) character looks like, cached.
fn prototype(c: char) -> String {
    PROTOTYPES.with(|cache| cache.borrow_mut().entry(c).or_insert_with(|| look_alike(c)).clone())
}

/// The prototype of `c` by its capital when that is Latin, else by itself, without accents.
fn look_alike(c: char) -> String {
    let skeleton = |s: &str| -> String {
        let bare: String = unicode_security::skeleton(s).filter(|&c| !is_combining_mark(c)).collect();
        CaseMapper::new().fold_string(&bare).into_owned()
    };
    let by_capital = skeleton(&c.to_uppercase().to_string());
    if by_capital.chars().all(|c| c.is_ascii_alphanumeric()) {
        return by_capital;
    }
    let by_itself = skeleton(&c.to_string());
    if by_itself.chars().all(|c| c.is_ascii_alphanumeric()) { by_itself } else { by_capital }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_invisible_characters_and_inner_apostrophes() {
        let text = "гр. АХМЕ\u{ad}ТОВА Г., O'Brien's 'case'";
        let found: Vec<&str> = words(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["гр", "АХМЕ\u{ad}ТОВА", "Г", "O'Brien's", "case"]);
    }

    #[test]
    fn a_name_run_into_a_digit_or_into_the_word_before_it_is_a_word_of_its_own() {
        // `Дело#footnote[Туменова]` laid out as `1Туменова`, or run together as `ДелоТуменовой`,
        // once hid the surname from the check.
        let text = "1Туменова ДелоТуменовой Ибрагимов2012 O'Brien АХМЕТОВА";
        let found: Vec<&str> = words(text).into_iter().map(|r| &text[r]).collect();
        let expected =
            ["1", "Туменова", "ДелоТуменовой", "Дело", "Туменовой", "Ибрагимов", "2012", "O'Brien", "АХМЕТОВА"];
        assert_eq!(found, expected);
    }

    #[test]
    fn a_word_of_only_invisible_characters_is_no_word() {
        assert!(words("a \u{200b} b").len() == 2);
    }

    #[test]
    fn case_yo_invisibles_and_look_alikes_give_one_key() {
        let name = key("Семёнов");
        for variant in
            ["СЕМЕНОВ", "семенов", "Се\u{ad}мёнов", "Сем\u{200b}енов", "Ceмeнoв", "СЕМЕ\u{308}НОВ", "СEMEHOB"]
        {
            assert_eq!(key(variant), name, "{variant}");
        }
        assert_ne!(key("Семенова"), name);
        assert_eq!(key("Straße"), key("STRASSE"));
    }

    #[test]
    fn lower_case_look_alikes_count_too() {
        // Latin r for Cyrillic г (their capitals do not look alike); Latin B for Cyrillic В (their
        // small letters do not).
        assert_eq!(key("rоrа"), key("гога"));
        assert_eq!(key("ВОРОБЬЕВ"), key("BOPOБЬEB"));
    }
}

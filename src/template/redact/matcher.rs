//! Finding persons' names in a text by whole words: every word of the text is reduced to its key
//! ([`normal::key`]) and looked up among the keys of the names' surname forms, so the check takes
//! time in proportion to the text, not to the text times the names. A word is never matched by a
//! part of it (`боярышник` is not the surname `Бояр`), and a first name alone is not a match.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::template::redact::forms::Forms;
use crate::template::redact::normal::{self, key};

/// A name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The bytes of the mention in the text: the surname, with the first name, patronymic or
    /// initials written next to it.
    pub range: Range<usize>,
    /// The listed name it gives away.
    pub name: String,
}

/// The names an audience must not show, ready to be looked for.
#[derive(Debug, Default)]
pub struct Matcher {
    /// The listed names.
    names: Vec<String>,
    /// Key of a surname form → the names it belongs to.
    surnames: HashMap<String, Vec<usize>>,
    /// Key of another word of a name (first name, patronymic, initial) → the names it belongs to.
    others: HashMap<String, Vec<usize>>,
    /// Phrases declared not to be names (`[privacy] not_names`), as keys of their words.
    not_names: Vec<Vec<String>>,
}

/// A word of a text: where it is and its key.
struct Word {
    range: Range<usize>,
    key: String,
}

impl Matcher {
    /// A matcher for `names`, ignoring words inside any of the phrases `not_names`.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>, not_names: &[String]) -> Matcher {
        let mut matcher = Matcher::default();
        for name in names {
            let index = matcher.names.len();
            matcher.names.push(name.to_string());
            let forms = Forms::of(name);
            for form in &forms.surname {
                matcher.surnames.entry(key(form)).or_default().push(index);
            }
            for word in forms.other.iter().chain(&forms.initials) {
                matcher.others.entry(key(word)).or_default().push(index);
            }
        }
        matcher.not_names = not_names
            .iter()
            .map(|phrase| normal::words(phrase).into_iter().map(|r| key(&phrase[r])).collect::<Vec<_>>())
            .filter(|words| !words.is_empty())
            .collect();
        matcher
    }

    /// Whether there is no name to look for.
    pub fn is_empty(&self) -> bool {
        self.surnames.is_empty()
    }

    /// Every mention of a name in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        if self.is_empty() {
            return Vec::new();
        }
        let words: Vec<Word> =
            normal::words(text).into_iter().map(|r| Word { key: key(&text[r.clone()]), range: r }).collect();
        let exempt = self.exempt(&words);
        let mut hits: Vec<Hit> = Vec::new();
        for (i, word) in words.iter().enumerate() {
            if exempt.contains(&i) {
                continue;
            }
            let Some(names) = self.surnames.get(&word.key) else { continue };
            for &n in names {
                let range = self.mention(text, &words, i, n);
                if hits.last().is_some_and(|h| h.name == self.names[n] && h.range.end >= range.start) {
                    continue;
                }
                hits.push(Hit { range, name: self.names[n].clone() });
            }
        }
        hits
    }

    /// The words of `words` that lie inside a declared phrase.
    fn exempt(&self, words: &[Word]) -> HashSet<usize> {
        let mut exempt = HashSet::new();
        for phrase in &self.not_names {
            for start in 0..words.len() {
                let fits = phrase.iter().enumerate().all(|(j, k)| words.get(start + j).is_some_and(|w| &w.key == k));
                if fits {
                    exempt.extend(start..start + phrase.len());
                }
            }
        }
        exempt
    }

    /// The mention around the surname at `words[i]`: widened over the words of the same name
    /// written next to it (first name, patronymic, initials), with only spaces and dots between.
    fn mention(&self, text: &str, words: &[Word], i: usize, name: usize) -> Range<usize> {
        let belongs = |w: &Word| {
            self.others.get(&w.key).is_some_and(|ns| ns.contains(&name))
                || self.surnames.get(&w.key).is_some_and(|ns| ns.contains(&name))
                || self.others.iter().any(|(k, ns)| ns.contains(&name) && k.chars().count() > 3 && w.key.starts_with(k))
        };
        // Words may overlap (a run-together word and its parts): those are not "next to" each other.
        let close = |a: &Word, b: &Word| {
            text.get(a.range.end..b.range.start)
                .is_some_and(|between| between.chars().all(|c| c.is_whitespace() || c == '.'))
        };
        let (mut first, mut last) = (i, i);
        while first > 0 && close(&words[first - 1], &words[first]) && belongs(&words[first - 1]) {
            first -= 1;
        }
        while last + 1 < words.len() && close(&words[last], &words[last + 1]) && belongs(&words[last + 1]) {
            last += 1;
        }
        let end = words[last].range.end;
        let end = if text[end..].starts_with('.') && words[last].key.chars().count() == 1 { end + 1 } else { end };
        words[first].range.start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(names: &[&str], text: &str) -> Vec<String> {
        Matcher::new(names.iter().copied(), &[]).find(text).into_iter().map(|h| text[h.range].to_string()).collect()
    }

    #[test]
    fn a_surname_in_any_case_and_spelling_is_found_with_its_initials() {
        assert_eq!(found(&["Гульнар Ахметова"], "гр. АХМЕТОВА Г. явилась"), ["АХМЕТОВА Г."]);
        assert_eq!(found(&["Гульнар Ахметова"], "Г. Ахметова"), ["Г. Ахметова"]);
        assert_eq!(found(&["Гульнар Ахметова"], "у Гульнар Ахметовой дома"), ["Гульнар Ахметовой"]);
        assert_eq!(found(&["Пётр Семёнов"], "задержание Петра Семенова"), ["Петра Семенова"]);
        assert_eq!(
            found(&["Пётр Семёнов"], "Семё\u{ad}нова и Сем\u{200b}енову"),
            ["Семё\u{ad}нова", "Сем\u{200b}енову"]
        );
    }

    #[test]
    fn regression_a_surname_inside_another_word_is_no_name() {
        // `боярышник` was taken for the surname `Бояр` when names were matched by word beginnings.
        assert!(found(&["Лариса Бояр"], "настойка боярышника").is_empty());
        assert_eq!(found(&["Лариса Бояр"], "дело Бояр"), ["Бояр"]);
    }

    #[test]
    fn a_first_name_alone_is_not_a_leak() {
        assert!(found(&["Гульнар Ахметова"], "Гульнар пришла").is_empty());
        assert!(found(&["Jane Doe"], "Jane came, J. D. left").is_empty());
    }

    #[test]
    fn a_declared_phrase_is_not_a_name() {
        let m = Matcher::new(["Jane Example"], &["Example City".to_string()]);
        assert!(m.find("a rally in EXAMPLE CITY").is_empty());
        assert_eq!(m.find("Example said").len(), 1);
    }

    /// Latin letters that look like Cyrillic ones, lower case and capitals.
    const LOOK_ALIKES: [(char, char); 19] = [
        ('а', 'a'),
        ('е', 'e'),
        ('о', 'o'),
        ('р', 'p'),
        ('с', 'c'),
        ('х', 'x'),
        ('у', 'y'),
        ('А', 'A'),
        ('В', 'B'),
        ('Е', 'E'),
        ('К', 'K'),
        ('М', 'M'),
        ('Н', 'H'),
        ('О', 'O'),
        ('Р', 'P'),
        ('С', 'C'),
        ('Т', 'T'),
        ('Х', 'X'),
        ('У', 'Y'),
    ];

    /// Invisible characters a pasted name may hold.
    const INVISIBLE: [char; 8] =
        ['\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{200e}', '\u{202e}', '\u{feff}'];

    /// A way of writing a word that a reader takes for the same word.
    #[derive(Debug, Clone)]
    enum Variant {
        Upper,
        Lower,
        Alternating,
        Yo(usize),
        Invisible(usize, usize),
        LookAlike(usize),
        Decomposed,
    }

    fn variant() -> impl proptest::strategy::Strategy<Value = Variant> {
        use proptest::prelude::*;
        prop_oneof![
            Just(Variant::Upper),
            Just(Variant::Lower),
            Just(Variant::Alternating),
            any::<usize>().prop_map(Variant::Yo),
            (any::<usize>(), 0..INVISIBLE.len()).prop_map(|(at, c)| Variant::Invisible(at, c)),
            any::<usize>().prop_map(Variant::LookAlike),
            Just(Variant::Decomposed),
        ]
    }

    /// `word` written as `variant` says.
    fn apply(word: &str, variant: &Variant) -> String {
        use unicode_normalization::UnicodeNormalization;
        let chars: Vec<char> = word.chars().collect();
        match *variant {
            Variant::Upper => word.to_uppercase(),
            Variant::Lower => word.to_lowercase(),
            Variant::Alternating => chars
                .iter()
                .enumerate()
                .map(|(i, c)| if i % 2 == 0 { c.to_uppercase().to_string() } else { c.to_lowercase().to_string() })
                .collect(),
            Variant::Yo(seed) => {
                let swap = |c: char| match c {
                    'е' => 'ё',
                    'ё' => 'е',
                    'Е' => 'Ё',
                    other => other,
                };
                chars.iter().enumerate().map(|(i, &c)| if i % 2 == seed % 2 { swap(c) } else { c }).collect()
            }
            Variant::Invisible(at, c) => {
                let at = 1 + at % chars.len().saturating_sub(1).max(1);
                let (left, right) = chars.split_at(at.min(chars.len()));
                format!("{}{}{}", left.iter().collect::<String>(), INVISIBLE[c], right.iter().collect::<String>())
            }
            Variant::LookAlike(seed) => chars
                .iter()
                .enumerate()
                .map(|(i, &c)| match LOOK_ALIKES.iter().find(|(cyrillic, _)| *cyrillic == c) {
                    Some(&(_, latin)) if (seed >> (i % 16)) & 1 == 1 => latin,
                    _ => c,
                })
                .collect(),
            Variant::Decomposed => word.nfd().collect(),
        }
    }

    /// A made-up surname: a stem and a common ending.
    fn surname() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let stem = "[БВГДЗКЛМНПРСТФХ][аеиоуёя][бвгдзклмнпрстх][аеиоу]?[бвгдзклмнпрстх]";
        let ending = prop_oneof![
            Just("ов"),
            Just("ёв"),
            Just("ин"),
            Just("ова"),
            Just("ёва"),
            Just("ина"),
            Just("ский"),
            Just("ская"),
            Just("енко"),
            Just("ук"),
            Just("ер"),
        ];
        (stem, ending).prop_map(|(stem, ending)| format!("{stem}{ending}"))
    }

    proptest::proptest! {
        #[test]
        fn every_variant_of_every_case_form_is_found(
            first in "[АБВГДЕЖЗИКЛМНОПРСТ][аеиоу][лмрст][аия]",
            surname in surname(),
            form in proptest::prelude::any::<proptest::sample::Index>(),
            variant in variant(),
        ) {
            let name = format!("{first} {surname}");
            let forms = Forms::of(&name).surname;
            let form = &forms[form.index(forms.len())];
            let written = apply(form, &variant);
            let text = format!("«Дело», сказал {written}, закрыто");
            let hits = Matcher::new([name.as_str()], &[]).find(&text);
            proptest::prop_assert_eq!(hits.len(), 1, "{} not found in {:?}", name, text);
        }

        #[test]
        fn words_that_only_contain_a_name_and_first_names_are_not_found(
            first in "[АБВГДЕЖЗИКЛМНОПРСТ][аеиоу][лмрст][аия]",
            surname in surname(),
            prefix in "(за|пере|без)?",
            suffix in "(ышник|ница|щина)?",
        ) {
            let name = format!("{first} {surname}");
            let longer = format!("{prefix}{}{suffix}", surname.to_lowercase());
            let is_form = Forms::of(&name).surname.iter().any(|f| key(f) == key(&longer));
            let text = format!("{first} пришла; {longer}");
            let hits = Matcher::new([name.as_str()], &[]).find(&text);
            proptest::prop_assert_eq!(hits.is_empty(), !is_form, "{:?} in {:?}", hits, text);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_names_and_text_are_searched_without_panic(
            names in proptest::collection::vec("\\PC{0,30}", 0..4),
            not_names in proptest::collection::vec("\\PC{0,20}", 0..3),
            text in "\\PC{0,200}",
        ) {
            let matcher = Matcher::new(names.iter().map(String::as_str), &not_names);
            for hit in matcher.find(&text) {
                proptest::prop_assert!(text.get(hit.range.clone()).is_some());
            }
        }
    }
}

//! The forms of a person's name that give the person away: the surname in every Russian case
//! (and the English possessive), which alone is a leak; the other words of the name (first name,
//! patronymic, initials), which are not, but belong to a mention next to the surname.
//!
//! Which word is the surname: every word with an ending typical of surnames in the region
//! (-ов/-ев/-ин/-ын, -ова/-ева/-ина/-ына, -ский/-ская/-цкий/-цкая, -енко, -ук/-юк, -дзе, -швили,
//! -ян, -улы/-кызы); when there is none, the last word ("Лариса Бояр", "Jane Doe"); a one-word name
//! is its own surname. Patronymics (-ович, -евна, …) in a name of three or more words are not.

use crate::template::redact::normal::fold;

/// The words of one name, sorted into those that identify the person and those that do not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forms {
    /// Every form of the surname (folded, not yet keyed): any one of them alone is a leak.
    pub surname: Vec<String>,
    /// The other words of the name, folded: a first name, a patronymic.
    pub other: Vec<String>,
    /// The first letters of every word of the name, folded: initials.
    pub initials: Vec<String>,
}

/// Endings (folded) that mark a word as a surname.
const SURNAME_ENDINGS: [&str; 28] = [
    "ов",
    "ев",
    "ин",
    "ын",
    "ова",
    "ева",
    "ина",
    "ына",
    "ский",
    "цкий",
    "ская",
    "цкая",
    "ской",
    "цкой",
    "енко",
    "ко",
    "ук",
    "юк",
    "дзе",
    "швили",
    "ян",
    "янц",
    "улы",
    "ұлы",
    "кызы",
    "қызы",
    "ых",
    "их",
];

/// Endings (folded) of patronymics.
const PATRONYMIC_ENDINGS: [&str; 6] = ["ович", "евич", "ьич", "овна", "евна", "ична"];

/// Case endings added to the stem of a surname in -ов/-ин (both genders and the plural).
const POSSESSIVE_CASES: [&str; 12] = ["", "а", "у", "ым", "е", "ой", "ою", "ы", "ых", "ыми", "ом", "ым"];

/// Case endings of an adjectival surname (-ский, -ская, -ой, -ый), hard and soft together.
const ADJECTIVE_CASES: [&str; 18] =
    ["ий", "ый", "ой", "ого", "его", "ому", "ему", "им", "ым", "ом", "ем", "ая", "яя", "ую", "юю", "ие", "ые", "их"];

/// More case endings of an adjectival surname.
const ADJECTIVE_MORE: [&str; 3] = ["ых", "ими", "ыми"];

/// Case endings of a surname in -а/-я (Пельша, Зозуля).
const A_CASES: [&str; 10] = ["а", "я", "ы", "и", "е", "у", "ю", "ой", "ей", "ою"];

/// Case endings of a surname in a consonant (Бояр, Ковальчук, Петрович), with the plural.
const CONSONANT_CASES: [&str; 11] = ["", "а", "у", "ом", "ем", "е", "ы", "и", "ов", "ам", "ах"];

/// Case endings of a surname in -ь or -й (Гоголь, Гайдай).
const SOFT_CASES: [&str; 6] = ["я", "ю", "ем", "е", "и", "ей"];

impl Forms {
    /// The forms of `name` ("Гульнар Ахметова", "Jane Doe"); words are split at spaces and hyphens.
    pub fn of(name: &str) -> Forms {
        let words: Vec<String> = name
            .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
            .map(fold)
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
            .filter(|w| !w.is_empty())
            .collect();
        let initials = words.iter().filter_map(|w| w.chars().next()).map(String::from).collect();
        let surnames = surname_positions(&words);
        let mut forms = Forms { surname: Vec::new(), other: Vec::new(), initials };
        for (i, word) in words.iter().enumerate() {
            if surnames.contains(&i) {
                forms.surname.extend(declined(word));
            } else if word.chars().count() > 1 {
                forms.other.push(word.clone());
            }
        }
        forms.surname.sort();
        forms.surname.dedup();
        forms
    }
}

/// Which of a name's words are surnames (see the module's documentation).
fn surname_positions(words: &[String]) -> Vec<usize> {
    let long = |w: &String| w.chars().count() > 1;
    let patronymic =
        |i: usize, w: &String| words.len() >= 3 && i > 0 && PATRONYMIC_ENDINGS.iter().any(|e| w.ends_with(e));
    let marked: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|&(i, w)| long(w) && !patronymic(i, w) && SURNAME_ENDINGS.iter().any(|e| ends_with_ending(w, e)))
        .map(|(i, _)| i)
        .collect();
    if !marked.is_empty() {
        return marked;
    }
    words.iter().rposition(long).into_iter().collect()
}

/// Whether `word` ends with `ending` and has at least two letters before it.
fn ends_with_ending(word: &str, ending: &str) -> bool {
    word.strip_suffix(ending).is_some_and(|stem| stem.chars().count() >= 2)
}

/// Every case form of one surname (folded), itself included.
pub fn declined(word: &str) -> Vec<String> {
    let mut forms = vec![word.to_string()];
    let with = |stem: &str, endings: &[&str]| endings.iter().map(|e| format!("{stem}{e}")).collect::<Vec<_>>();
    if !word.chars().any(is_cyrillic) {
        // Latin letters: the English possessive.
        forms.push(format!("{word}'s"));
        forms.push(format!("{word}'"));
        return forms;
    }
    let cut = |n: usize| -> String {
        let keep = word.chars().count().saturating_sub(n);
        word.chars().take(keep).collect()
    };
    let last = word.chars().last().unwrap_or(' ');
    let possessive = ["ов", "ев", "ин", "ын"];
    if possessive.iter().any(|e| word.ends_with(e)) {
        forms.extend(with(word, &POSSESSIVE_CASES));
    } else if ["ова", "ева", "ина", "ына"].iter().any(|e| word.ends_with(e)) {
        forms.extend(with(&cut(1), &POSSESSIVE_CASES));
    } else if ["ий", "ый", "ой", "ая", "яя"].iter().any(|e| word.ends_with(e)) && word.chars().count() > 4 {
        let stem = cut(2);
        forms.extend(with(&stem, &ADJECTIVE_CASES));
        forms.extend(with(&stem, &ADJECTIVE_MORE));
    } else if "оеиуюэыі".contains(last) || word.ends_with("их") || word.ends_with("ых") {
        // -енко, -ко, -дзе, -швили, -улы, -ых: the same in every case.
    } else if last == 'а' || last == 'я' {
        forms.extend(with(&cut(1), &A_CASES));
    } else if last == 'ь' || last == 'й' {
        forms.extend(with(&cut(1), &SOFT_CASES));
    } else {
        forms.extend(with(word, &CONSONANT_CASES));
    }
    forms.sort();
    forms.dedup();
    forms
}

/// Whether `c` is a Cyrillic letter.
fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{52f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_surname_is_found_by_its_ending_or_is_the_last_word() {
        let forms = Forms::of("Гульнар Ахметова");
        assert!(forms.surname.contains(&"ахметовой".to_string()));
        assert!(forms.surname.contains(&"ахметов".to_string()), "the family's name in any gender");
        assert_eq!(forms.other, ["гульнар"]);
        assert_eq!(forms.initials, ["г", "а"]);
        assert!(Forms::of("Лариса Бояр").surname.contains(&"бояра".to_string()));
        assert_eq!(Forms::of("Jane Doe").surname, ["doe", "doe'", "doe's"]);
        assert_eq!(Forms::of("Иван Петрович Сидоров").other, ["иван", "петрович"]);
    }

    #[test]
    fn surnames_decline_as_russian_grammar_has_it() {
        let has = |name: &str, form: &str| declined(&fold(name)).contains(&form.to_string());
        assert!(has("Семёнов", "семенова") && has("Семёнов", "семеновым") && has("Семёнов", "семеновых"));
        assert!(has("Торегожина", "торегожиной") && has("Торегожина", "торегожину"));
        assert!(has("Яновский", "яновского") && has("Яновская", "яновской") && has("Яновская", "яновскую"));
        assert!(has("Ковальчук", "ковальчуком") && has("Гоголь", "гоголем") && has("Зозуля", "зозулей"));
        assert_eq!(declined("шевченко"), ["шевченко"]);
        assert_eq!(declined("черных"), ["черных"]);
    }
}

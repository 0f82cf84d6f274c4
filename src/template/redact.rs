//! Persons' names: how an audience shows them, and a last check that a redacted document contains
//! none of them — in its text, metadata or links — before it is written.
//!
//! Names come from two places: the `person` column of the sanctions list and the narrative's
//! `#person("…")` markup. Templates never redact by themselves: they look each name up in the
//! table this module builds, and a name missing from it is withheld.

use std::collections::{BTreeMap, HashMap};

use typst::layout::{Frame, FrameItem};
use typst::model::{Destination, Document};
use typst_layout::PagedDocument;

use crate::diagnostic::Diagnostic;
use crate::input::config::Redact;

/// A name as this audience sees it: in full, as initials ("Б.\u{a0}Т."), or the withheld label.
pub fn show(name: &str, redact: Redact, withheld: &str) -> String {
    match redact {
        Redact::None => name.to_string(),
        Redact::Initials => initials(name),
        Redact::Withheld => withheld.to_string(),
    }
}

/// "Бахыт Туменова" → "Б.\u{a0}Т."; hyphenated parts keep their hyphen ("Жан-Поль" → "Ж.-П.").
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .map(|part| {
            part.split('-')
                .filter_map(|piece| piece.chars().next())
                .map(|c| format!("{c}."))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join("\u{a0}")
}

/// The words of names a redacted document must not contain, each with the name it comes from.
/// Long words are cut by one letter, so the Russian case forms of a surname are caught too
/// ("Туменова" → "Туменов" matches "Туменовой").
pub fn forbidden_words<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut words: Vec<(String, String)> = names
        .into_iter()
        .flat_map(|name| {
            name.split(|c: char| c.is_whitespace() || c == '-')
                .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
                .filter(|w| w.chars().count() >= 3)
                .map(move |w| {
                    let n = w.chars().count();
                    let stem = if n >= 6 { w.chars().take(n - 1).collect() } else { w.to_string() };
                    (stem, name.to_string())
                })
        })
        .collect();
    words.sort();
    words.dedup_by(|a, b| a.0 == b.0);
    words
}

/// Which names a compiled document shows anywhere (page text, metadata, link targets), each with
/// the word that gave it away.
pub fn leaks(document: &PagedDocument, words: &[(String, String)]) -> Vec<(String, String)> {
    let mut text = String::new();
    for page in document.pages() {
        collect_text(&page.frame, &mut text);
    }
    let info = document.info();
    for part in info.title.iter().chain(&info.author).chain(&info.keywords).chain(&info.description) {
        text.push_str(part);
        text.push('\n');
    }
    let mut found = words_in(&text, words);
    // One problem per name is enough.
    found.sort_by(|a, b| a.1.cmp(&b.1));
    found.dedup_by(|a, b| a.1 == b.1);
    found
}

/// Which of `words` (each with its name) begin a word of `text`. Every word of the text is looked
/// up by its beginnings in a set, so the check takes time in proportion to the text, not to the
/// text times the names: an annex of thousands of rows and names is checked in milliseconds.
fn words_in(text: &str, words: &[(String, String)]) -> Vec<(String, String)> {
    let by_word: HashMap<&str, &str> = words.iter().map(|(w, n)| (w.as_str(), n.as_str())).collect();
    let longest = words.iter().map(|(w, _)| w.len()).max().unwrap_or(0);
    let mut found = Vec::new();
    let in_word = |c: char| c.is_alphabetic() || c == '\'' || c == '’';
    for word in text.split(|c: char| !in_word(c)).filter(|w| !w.is_empty()) {
        for (end, c) in word.char_indices().skip(2) {
            let end = end + c.len_utf8();
            if end > longest {
                break;
            }
            if let Some((stem, name)) = by_word.get_key_value(&word[..end]) {
                found.push((stem.to_string(), name.to_string()));
            }
        }
    }
    found
}

/// Appends every text run and link target of a frame and its groups.
fn collect_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect_text(&group.frame, out),
            FrameItem::Text(run) => {
                out.push_str(&run.text);
                out.push('\n');
            }
            FrameItem::Link(Destination::Url(url), _) => {
                out.push_str(url);
                out.push('\n');
            }
            _ => {}
        }
    }
}

/// The error for a name found in a document that should not show it, pointing at the narrative
/// lines that mention it without `#person` markup when there are any.
pub fn leak_error(audience: &str, (word, name): &(String, String), sections: &BTreeMap<String, String>) -> Diagnostic {
    let mention = sections.iter().find_map(|(file, text)| {
        text.lines().enumerate().find_map(|(i, line)| {
            let at = unmarked(line, word)?;
            let column = line[..at].chars().count() + 1;
            Some((file.clone(), i + 1, column))
        })
    });
    let (file, line, column) = mention.unwrap_or_default();
    Diagnostic::error(
        file,
        line,
        column,
        format!("audience `{audience}` withholds names, but its document would show `{name}` (`{word}`…); nothing was written"),
    )
    .with_hint("write every person's name as #person(\"Имя Фамилия\") so that it can be withheld")
}

/// The first byte offset of `word` in `line` outside `person("…")` markup.
fn unmarked(line: &str, word: &str) -> Option<usize> {
    line.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = &line[..at];
        let opened = before.rfind("person(\"");
        let closed = before.rfind("\")");
        opened.is_none_or(|o| closed.is_some_and(|c| c > o))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_each_audience_sees_them() {
        assert_eq!(show("Бахыт Туменова", Redact::None, "[…]"), "Бахыт Туменова");
        assert_eq!(show("Бахыт Туменова", Redact::Initials, "[…]"), "Б.\u{a0}Т.");
        assert_eq!(show("Бахыт Туменова", Redact::Withheld, "[…]"), "[…]");
        assert_eq!(initials("Jean-Paul  Sartre"), "J.-P.\u{a0}S.");
    }

    #[test]
    fn an_unmarked_mention_is_found_past_marked_ones() {
        let line = "#person(\"Bakhyt Tumenova\") met Bakhyt";
        assert_eq!(unmarked(line, "Bakhyt"), Some(31));
        assert_eq!(unmarked("#person(\"Bakhyt T\")", "Bakhyt"), None);
    }

    #[test]
    fn forbidden_words_catch_case_forms() {
        let words = forbidden_words(["Бахыт Туменова", "Лариса Бояр"]);
        let stems: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(stems, ["Бахыт", "Бояр", "Ларис", "Туменов"]);
        assert_eq!(words[3].1, "Бахыт Туменова");
        assert!("квартира Туменовой".contains(&words[3].0));
    }

    #[test]
    fn names_are_found_at_the_start_of_any_word_and_only_there() {
        let words = forbidden_words(["Бахыт Туменова", "Sean O'Brien"]);
        let found = |text: &str| words_in(text, &words).into_iter().map(|(_, n)| n).collect::<Vec<_>>();
        assert_eq!(found("у (Туменовой) дома"), ["Бахыт Туменова"]);
        assert_eq!(found("«Бахыт»,"), ["Бахыт Туменова"]);
        assert_eq!(found("O'Brien's case"), ["Sean O'Brien"]);
        assert!(found("Бахытжан и Туменов-младший").len() == 2, "prefixes of longer words count");
        assert!(found("Б. Т., S. O.").is_empty(), "initials are not names");
    }
}

//! Persons' names: how an audience shows them, and the check that a redacting audience shows
//! none of them in any form — neither in what it is made from ([`sources`], before anything is
//! compiled, each find at its file, line and column) nor in what it makes ([`document`]: page
//! text, metadata, outline, links, and the figures file).
//!
//! Names come from two places: the `person` column of the sanctions list and the narrative's
//! `#person("…")` markup. Templates never redact by themselves: they look each name up in the
//! table this module builds, and a name missing from it is withheld. How a text is compared with
//! the names is in [`normal`] (one key per way of writing a word), [`forms`] (which words of a
//! name give the person away, in every case) and [`matcher`] (whole words, in linear time).

pub mod document;
pub mod forms;
pub mod matcher;
pub mod message;
pub mod normal;
pub mod sources;

use typst_layout::PagedDocument;

use crate::diagnostic::Diagnostic;
use crate::input::audience::Audience;
use crate::input::config::Redact;
use crate::report::Report;
use crate::template::redact::matcher::Matcher;
use crate::template::redact::message::Speaker;

/// The leak check of one redacting audience: the listed names ready to be looked for, and the
/// audience to speak to.
pub struct LeakCheck<'a> {
    matcher: Matcher,
    speaker: Speaker<'a>,
}

impl<'a> LeakCheck<'a> {
    /// The check for `audience`; `None` when it shows names in full.
    pub fn new(report: &Report, audience: &'a Audience) -> Option<LeakCheck<'a>> {
        if audience.redact == Redact::None {
            return None;
        }
        let names = report.names.iter().map(String::as_str);
        Some(LeakCheck {
            matcher: Matcher::new(names, &report.config.not_names),
            speaker: Speaker { audience: &audience.name, redact: audience.redact, language: audience.config.language },
        })
    }

    /// Every name in what the audience is made from ([`sources::check`]).
    pub fn sources(&self, report: &Report, audience: &Audience) -> Result<Vec<Diagnostic>, String> {
        sources::check(report, audience, &self.speaker, &self.matcher)
    }

    /// Every name in the finished document and its figures file ([`document::check`]).
    pub fn document(&self, document: &PagedDocument, figures: &str) -> Vec<Diagnostic> {
        document::check(document, figures, &self.speaker, &self.matcher)
    }
}

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
}

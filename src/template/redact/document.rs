//! The leak check of the result: a redacting audience's finished document — the text of its
//! pages as laid out (a word hyphenated at a line end joined again), its metadata, its outline,
//! its link targets and images' descriptions — and its figures file are searched for the listed
//! names before anything is written.

use typst::foundations::NativeElement;
use typst::introspection::Introspector;
use typst::layout::{Abs, Frame, FrameItem, Point};
use typst::model::{Destination, Document, HeadingElem};
use typst_layout::PagedDocument;

use crate::diagnostic::Diagnostic;
use crate::template::redact::matcher::Matcher;
use crate::template::redact::message::{Part, Place, Speaker};

/// Every listed name the finished document or its figures file (`figures`) would show, one
/// problem per name and part.
pub fn check(document: &PagedDocument, figures: &str, speaker: &Speaker, matcher: &Matcher) -> Vec<Diagnostic> {
    let mut links = String::new();
    let mut text = LaidOut::default();
    for page in document.pages() {
        text.frame(&page.frame, Point::zero(), &mut links);
        text.out.push('\n');
    }
    let parts = [
        (Part::Text, both_readings(&text.out)),
        (Part::Metadata, metadata(document)),
        (Part::Outline, outline(document)),
        (Part::Links, links),
        (Part::Figures, figures.to_string()),
    ];
    let mut found = Vec::new();
    for (part, text) in parts {
        let mut hits = matcher.find(&text);
        hits.sort_by(|a, b| a.name.cmp(&b.name));
        hits.dedup_by(|a, b| a.name == b.name);
        found.extend(hits.into_iter().map(|hit| {
            let place = Place::Result(part);
            Diagnostic::error("", 0, 0, speaker.message(place, &hit.name, &text[hit.range]))
                .with_hint(speaker.hint(place, &hit.name))
        }));
    }
    found
}

/// Laid-out text, then the same with a hard hyphen at a line end taken for a break inside a
/// word: it may belong to the word (`Петрова-Водкина`) or not, so both readings are searched.
fn both_readings(text: &str) -> String {
    format!("{text}\n{}", text.replace("-\n", "").replace("\u{2010}\n", ""))
}

/// The document's title, author, keywords and description.
fn metadata(document: &PagedDocument) -> String {
    let info = document.info();
    let parts = info.title.iter().chain(&info.author).chain(&info.keywords).chain(&info.description);
    parts.map(|p| format!("{p}\n")).collect()
}

/// The text of every heading, as the PDF's outline (bookmarks) shows it.
fn outline(document: &PagedDocument) -> String {
    let headings = document.introspector().query(&HeadingElem::ELEM.select());
    headings.iter().filter_map(|h| h.to_packed::<HeadingElem>()).map(|h| format!("{}\n", h.body.plain_text())).collect()
}

/// The text of laid-out pages, in reading order: runs on one line joined as they sit, a line
/// break between lines, and a word cut by hyphenation at a line end made whole again.
#[derive(Default)]
struct LaidOut {
    out: String,
    /// Where the last run ended: its baseline and right edge.
    last: Option<(Abs, Abs)>,
}

impl LaidOut {
    /// Appends the text runs of `frame` (at `origin` on the page), and its links to `links`.
    fn frame(&mut self, frame: &Frame, origin: Point, links: &mut String) {
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                FrameItem::Group(group) => {
                    let shift = Point::new(group.transform.tx, group.transform.ty);
                    self.frame(&group.frame, at + shift, links);
                }
                FrameItem::Text(run) => self.run(&run.text, at, run.width()),
                FrameItem::Link(Destination::Url(url), _) => {
                    links.push_str(url);
                    links.push('\n');
                    // A reader's browser shows `%D0%A2…` decoded: search that form too.
                    if let Some(decoded) = percent_decoded(url) {
                        links.push_str(&decoded);
                        links.push('\n');
                    }
                }
                FrameItem::Image(image, _, _) => {
                    links.extend(image.alt().map(|alt| format!("{alt}\n")));
                }
                _ => {}
            }
        }
    }

    /// Appends one run of text that starts at `at` and is `width` wide.
    fn run(&mut self, text: &str, at: Point, width: Abs) {
        let tolerance = Abs::pt(1.0);
        match self.last {
            // A new line, unless a word that ends in a soft hyphen goes on.
            Some((y, _)) if (y - at.y).abs() > tolerance && !self.out.ends_with('\u{ad}') => self.out.push('\n'),
            Some((y, _)) if (y - at.y).abs() > tolerance => {}
            Some((_, end)) if (at.x - end).abs() > tolerance => self.out.push(' '),
            _ => {}
        }
        self.out.push_str(text);
        self.last = Some((at.y, at.x + width));
    }
}

/// `url` with its `%XX` escapes decoded, when it has any and they decode to UTF-8 text.
fn percent_decoded(url: &str) -> Option<String> {
    if !url.contains('%') {
        return None;
    }
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lays out `lines` as runs one under the other, as a narrow table column would.
    fn laid_out(lines: &[&str]) -> String {
        let mut text = LaidOut::default();
        for (i, line) in lines.iter().enumerate() {
            text.run(line, Point::new(Abs::pt(10.0), Abs::pt(12.0 * i as f64)), Abs::pt(40.0));
        }
        text.out
    }

    #[test]
    fn a_word_hyphenated_at_a_line_end_is_whole_again() {
        assert_eq!(laid_out(&["у Торего\u{ad}", "жиной"]), "у Торего\u{ad}жиной");
        assert_eq!(laid_out(&["Лариса", "Бояр"]), "Лариса\nБояр");
    }

    #[test]
    fn runs_on_one_line_join_as_they_sit() {
        let mut text = LaidOut::default();
        text.run("Ахме", Point::new(Abs::pt(0.0), Abs::pt(5.0)), Abs::pt(20.0));
        text.run("това", Point::new(Abs::pt(20.0), Abs::pt(5.0)), Abs::pt(20.0));
        text.run("Алматы", Point::new(Abs::pt(90.0), Abs::pt(5.0)), Abs::pt(20.0));
        assert_eq!(text.out, "Ахметова Алматы");
    }

    proptest::proptest! {
        #[test]
        fn a_name_broken_at_any_place_is_still_found(
            stem in "[БВГДЗКЛМНПРСТФХ][аеиоуя][бвгдзклмнпрстх][аеиоу]?[бвгдзклмнпрстх]",
            ending in "(ов|ова|ин|ина|ский|ской|енко|ер)",
            cut in proptest::prelude::any::<proptest::sample::Index>(),
            soft in proptest::bool::ANY,
        ) {
            let surname = format!("{stem}{ending}");
            let matcher = Matcher::new([format!("Анна {surname}").as_str()], &[]);
            let word: Vec<char> = surname.chars().collect();
            let cut = 1 + cut.index(word.len() - 1);
            let (left, right): (String, String) = (word[..cut].iter().collect(), word[cut..].iter().collect());
            let hyphen = if soft { "\u{ad}" } else { "-" };
            let text = laid_out(&[&format!("дело {left}{hyphen}"), &format!("{right} закрыто")]);
            proptest::prop_assert!(!matcher.find(&both_readings(&text)).is_empty(), "{:?}", text);
        }
    }
}

//! What the leak check says, in the audience's language: the message names the audience, the
//! listed name and how the text writes it; the hint says what to do where the name was found.

use crate::diagnostic::excerpt;
use crate::input::config::{CONFIG_FILE, Redact};
use crate::locale::Language;
use crate::template::redact::normal::{fold, is_ignorable};

/// Where a name was found, for the hint that fits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// A narrative file.
    Narrative,
    /// A file of the audience's own template.
    Template,
    /// A cell of a data file, in our column `column`.
    Cell(&'a str),
    /// A value of `report.toml` set in the audience's own table.
    OwnSetting,
    /// A value of `report.toml` the audience takes from the report.
    ReportSetting,
    /// The finished document: `part` is what part of it.
    Result(Part),
}

/// A part of a finished document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The text of its pages.
    Text,
    /// Its metadata (title, author, keywords).
    Metadata,
    /// Its outline (bookmarks).
    Outline,
    /// Its link targets and images' alternative texts.
    Links,
    /// The figures file written beside it.
    Figures,
}

/// Who is speaking to whom: the audience, its privacy level and language.
#[derive(Debug, Clone, Copy)]
pub struct Speaker<'a> {
    /// The audience's name.
    pub audience: &'a str,
    /// How it shows names.
    pub redact: Redact,
    /// Its language.
    pub language: Language,
}

impl Speaker<'_> {
    /// "audience `press-en` withholds names, but its document would show `Пётр Семёнов` (written
    /// `Петра Семенова`)".
    pub fn message(&self, place: Place, name: &str, written: &str) -> String {
        let a = self.audience;
        let written = visible(&excerpt(written));
        match self.language {
            Language::En => {
                let rule = match self.redact {
                    Redact::Initials => "shows names only as initials",
                    _ => "withholds names",
                };
                let what = match place {
                    Place::Cell(column) => format!("`{column}`: audience `{a}` {rule}, but this cell would show"),
                    Place::Result(part) => format!("audience `{a}` {rule}, but {} would show", part_en(part)),
                    _ => format!("audience `{a}` {rule}, but its document would show"),
                };
                if fold(&written) == fold(name) {
                    format!("{what} `{name}`")
                } else {
                    format!("{what} `{name}` (written `{written}`)")
                }
            }
            Language::Ru => {
                let rule = match self.redact {
                    Redact::Initials => "показывает имена только инициалами",
                    _ => "скрывает имена",
                };
                let what = match place {
                    Place::Cell(column) => format!("`{column}`: аудитория `{a}` {rule}, но эта ячейка показала бы"),
                    Place::Result(part) => format!("аудитория `{a}` {rule}, но {} показал бы", part_ru(part)),
                    _ => format!("аудитория `{a}` {rule}, но её документ показал бы"),
                };
                if fold(&written) == fold(name) {
                    format!("{what} `{name}`")
                } else {
                    format!("{what} `{name}` (написано `{written}`)")
                }
            }
        }
    }

    /// What to do about a name found at `place`.
    pub fn hint(&self, place: Place, name: &str) -> String {
        let a = self.audience;
        match self.language {
            Language::En => {
                let fix = match place {
                    Place::Narrative => {
                        format!("write the name as #person(\"{name}\"), which each audience shows as it may")
                    }
                    Place::Template => "show names only through `person(…)` or the data's `person` fields".into(),
                    Place::Cell(_) => {
                        "remove the name from this cell: names belong in the `person` column of the sanctions list"
                            .into()
                    }
                    Place::OwnSetting => "remove the name from this value".into(),
                    Place::ReportSetting => {
                        format!("remove the name, or give audience `{a}` its own value under [audiences.{a}]")
                    }
                    Place::Result(_) => {
                        return "the template or a text it makes shows the name: show names only through `person(…)`"
                            .into();
                    }
                };
                format!(
                    "{fix}; if this is not the person (a place, say), list the phrase in {CONFIG_FILE} [privacy] not_names"
                )
            }
            Language::Ru => {
                let fix = match place {
                    Place::Narrative => format!("запишите имя как #person(\"{name}\"): каждая аудитория покажет его так, как ей можно"),
                    Place::Template => "показывайте имена только через `person(…)` или поля `person` данных".into(),
                    Place::Cell(_) => "уберите имя из этой ячейки: имена пишут в столбце `person` списка санкций".into(),
                    Place::OwnSetting => "уберите имя из этого значения".into(),
                    Place::ReportSetting => format!("уберите имя или задайте аудитории `{a}` своё значение в [audiences.{a}]"),
                    Place::Result(_) => return "имя показывает шаблон или текст, который он составляет: показывайте имена только через `person(…)`".into(),
                };
                format!(
                    "{fix}; если это не тот человек (а, например, место), внесите эти слова в {CONFIG_FILE} [privacy] not_names"
                )
            }
        }
    }
}

/// A text with its invisible characters written out (`Се\u{ad}мёнов`), so a reader sees why it
/// matched.
fn visible(text: &str) -> String {
    text.chars().map(|c| if is_ignorable(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// A part of the finished document, in English.
fn part_en(part: Part) -> &'static str {
    match part {
        Part::Text => "the text of its document",
        Part::Metadata => "its document's metadata",
        Part::Outline => "its document's outline",
        Part::Links => "its document's links or image descriptions",
        Part::Figures => "its figures file",
    }
}

/// A part of the finished document, in Russian.
fn part_ru(part: Part) -> &'static str {
    match part {
        Part::Text => "текст её документа",
        Part::Metadata => "раздел метаданных её документа",
        Part::Outline => "оглавление её документа",
        Part::Links => "список ссылок и описаний изображений её документа",
        Part::Figures => "её файл с цифрами",
    }
}

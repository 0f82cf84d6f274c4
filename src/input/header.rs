//! A table's header row: our columns found among the file's own headers (under the names
//! `report.toml` maps), with a problem for each that is missing or repeated; and the headers real
//! exports use for our columns, in English, Russian, German, French, Ukrainian and Kazakh, which
//! `columns` proposes and the problems hint at. A hint names a column only where the header means
//! the same (a synonym, or a slip of one): `pol` is not `police`, `date` is not `date_end`.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{Diagnostic, excerpt, typo_of};
use crate::input::source::Source;

/// Finds each of our columns among the headers (under the file's own name where `source` maps
/// one). A missing required or mapped column is an error naming the file's headers; headers that
/// are neither ours nor mapped are listed once.
fn locate_named(
    file: &str,
    headers: &[String],
    source: &Source,
    required: &[&'static str],
    optional: &[&'static str],
) -> (HashMap<&'static str, usize>, Vec<Diagnostic>) {
    let mut columns = HashMap::new();
    let mut problems = Vec::new();
    let ours = || required.iter().chain(optional).copied();
    for name in ours() {
        // Headers are names, not values: `Detained` and `DETAINED` are our `detained` (a column
        // ignored for its capital letter once dropped a whole column of figures with a warning).
        // Nor for the way its words are joined: `Date End`, `date-end` and `DateEnd` are `date_end`.
        let wanted = normalise(source.header_for(name));
        let mut found = headers.iter().enumerate().filter(|(_, h)| normalise(h) == wanted);
        if let Some((i, _)) = found.next() {
            columns.insert(name, i);
        }
        if let Some((i, header)) = found.next() {
            let header = excerpt(header);
            problems.push(Diagnostic::cell_error(file, 1, i + 1, format!("column `{header}` appears twice")));
        }
    }
    let shown: Vec<String> = headers.iter().map(|h| excerpt(h)).collect();
    let listing = format!("the file's headers are `{}`", shown.join("`, `"));
    for name in ours().filter(|n| !columns.contains_key(n)) {
        if let Some(mapped) = source.columns.get(name) {
            problems.push(
                Diagnostic::error(
                    file,
                    1,
                    1,
                    format!("column `{mapped}` (mapped to `{name}` in report.toml) is missing"),
                )
                .with_hint(listing.clone()),
            );
        } else if required.contains(&name) {
            let found = headers.iter().find(|h| !columns.values().any(|&c| headers[c] == **h) && means(h, &[name]));
            let hint = match found {
                Some(h) => map_hint(&excerpt(h), name),
                None => listing.clone(),
            };
            problems
                .push(Diagnostic::error(file, 1, 1, format!("required column `{name}` is missing")).with_hint(hint));
        }
    }
    let unused: Vec<(usize, &String)> =
        shown.iter().enumerate().filter(|(i, h)| !h.is_empty() && !columns.values().any(|c| c == i)).collect();
    if let Some(&(first, _)) = unused.first() {
        let names = unused.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>().join("`, `");
        let mut note = Diagnostic::cell_warning(file, 1, first + 1, format!("columns not used: `{names}`"));
        let missing: Vec<&str> = ours().filter(|n| !columns.contains_key(n)).collect();
        let close = unused.iter().find_map(|&(i, h)| {
            let header = &headers[i];
            column_named(header, &missing).or_else(|| column_misspelt(header, &missing)).map(|n| (h, n))
        });
        if let Some((header, name)) = close {
            note = note.with_hint(map_hint(header, name));
        }
        problems.push(note);
    }
    (columns, problems)
}

/// Our columns among a file's `headers`, as [`locate_named`] finds them, minding the values
/// `report.toml` fixes: a column with a fixed value need not be in the file, and must not be (an
/// error at its header). Problems are placed at line 1 and the header's field.
pub(crate) fn locate_columns(
    file: &str,
    headers: &[String],
    source: &Source,
    required: &[&'static str],
    optional: &[&'static str],
) -> (HashMap<&'static str, usize>, Vec<Diagnostic>) {
    let fixed = |name: &&str| source.fixed.contains_key(*name);
    let wanted: Vec<&'static str> = required.iter().copied().filter(|n| !fixed(n)).collect();
    let optional: Vec<&'static str> =
        optional.iter().chain(required).copied().filter(|n| !wanted.contains(n)).collect();
    let (mut columns, mut problems) = locate_named(file, headers, source, &wanted, &optional);
    for name in source.fixed.keys() {
        if let Some((name, i)) = columns.iter().find(|(n, _)| **n == name.as_str()).map(|(n, i)| (*n, *i)) {
            columns.remove(name);
            problems.push(
                Diagnostic::cell_error(
                    file,
                    1,
                    i + 1,
                    format!("the file has a column `{name}`, and report.toml gives `{name}` a fixed value"),
                )
                .with_hint(format!("remove `{name}` from [data] `fixed`, or this column from the file")),
            );
        }
    }
    (columns, problems)
}

/// Whether `header` is one of `names` under another name: a synonym, or a slip of one.
fn means(header: &str, names: &[&str]) -> bool {
    column_named(header, names).or_else(|| column_misspelt(header, names)).is_some()
}

/// The hint for a header that is our column `name` under another name.
fn map_hint(header: &str, name: &str) -> String {
    format!(
        "`{header}` is our `{name}`: map it in report.toml [data] (`{name} = \"{header}\"` under `columns`), \
         or run `osce-report columns FILE --write .`"
    )
}

/// A header as a name: lowercase, ё as е, its words split at spaces, `_`, `-`, `.`, `/` and
/// camelCase humps and joined by one space (`StartDate`, `start_date` and `Start date` are all
/// `start date`).
pub fn normalise(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut previous_lower = false;
    for c in header.trim().chars() {
        if c.is_whitespace() || matches!(c, '_' | '-' | '.' | '/' | '*' | ':') {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            out.push(' ');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        for l in c.to_lowercase() {
            out.push(if l == 'ё' { 'е' } else { l });
        }
    }
    out.trim_end().to_string()
}

/// Which of `ours` the header names: our own name or one of its synonyms, as [`normalise`] reads
/// both. Where a header is a synonym of several, the first in `ours` wins.
pub fn column_named<'a>(header: &str, ours: &[&'a str]) -> Option<&'a str> {
    let key = normalise(header);
    ours.iter().copied().find(|o| names_of(o).any(|n| normalise(n) == key))
}

/// Which of `ours` the header is a slip of: one edit from our name or a synonym (two in a word
/// of nine letters or more; `detianed` is `detained`). Never a shorter or longer word (`pol` is
/// not `police`, `police brutality` is not `police`), and never a synonym of another column.
pub fn column_misspelt<'a>(header: &str, ours: &[&'a str]) -> Option<&'a str> {
    // A header that is any column's name or synonym is that column, not a slip of another.
    if SYNONYMS.iter().any(|&(name, _)| column_named(header, &[name]).is_some()) {
        return None;
    }
    let key = normalise(header);
    ours.iter().copied().find(|o| {
        let names: Vec<String> = names_of(o).map(normalise).collect();
        typo_of(&key, names.iter().map(String::as_str)).is_some()
    })
}

/// Our column → the file's header, for every header that is one of `ours` or a known synonym
/// (the first such header of each column).
pub fn propose(headers: &[String], ours: &[&str]) -> BTreeMap<String, String> {
    let mut mapping = BTreeMap::new();
    for header in headers {
        if let Some(name) = column_named(header, ours) {
            mapping.entry(name.to_string()).or_insert_with(|| header.clone());
        }
    }
    mapping
}

/// Our name for a column and the synonyms real exports use for it.
fn names_of(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    SYNONYMS
        .iter()
        .filter(move |(ours, _)| *ours == name)
        .flat_map(|(ours, words)| std::iter::once(*ours).chain(words.iter().copied()))
}

/// Headers real exports use for our columns: English (with datasets' own: ACLED, Mass
/// Mobilization), Russian, German, French, Ukrainian, Kazakh. Compared after [`normalise`], so
/// `event_date`, `Event Date` and `EventDate` are one entry. A header that could mean two columns
/// (`arrests`: detentions or administrative arrests?) is in neither.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "event id",
            "event id cnty",
            "incident id",
            "no",
            "nr",
            "number",
            "№",
            "#",
            "номер",
            "код",
            "nummer",
            "lfd nr",
            "laufende nummer",
            "kennung",
            "numéro",
            "n°",
            "identifiant",
            "нөмір",
        ],
    ),
    (
        "date",
        &[
            "event date",
            "start date",
            "date start",
            "start",
            "begin date",
            "beginning",
            "date of event",
            "дата",
            "дата события",
            "дата акции",
            "дата начала",
            "дата проведения",
            "начало",
            "datum",
            "beginn",
            "startdatum",
            "anfangsdatum",
            "datum beginn",
            "datum von",
            "von",
            "date de début",
            "date début",
            "date debut",
            "début",
            "date de l'événement",
            "дата події",
            "дата акції",
            "дата початку",
            "дата проведення",
            "початок",
            "күні",
            "басталу күні",
            "басталған күні",
            "өткізілген күні",
        ],
    ),
    (
        "date_end",
        &[
            "end date",
            "date end",
            "end",
            "finish date",
            "дата окончания",
            "дата завершения",
            "окончание",
            "enddatum",
            "ende",
            "datum ende",
            "datum bis",
            "bis",
            "date de fin",
            "date fin",
            "дата закінчення",
            "закінчення",
            "аяқталу күні",
            "аяқталған күні",
        ],
    ),
    (
        "city",
        &[
            "town",
            "locality",
            "location",
            "municipality",
            "settlement",
            "город",
            "населенный пункт",
            "stadt",
            "gemeinde",
            "ortschaft",
            "ville",
            "commune",
            "localité",
            "місто",
            "населений пункт",
            "қала",
            "елді мекен",
        ],
    ),
    (
        "place",
        &[
            "venue",
            "address",
            "site",
            "street",
            "место",
            "адрес",
            "место проведения",
            "ort",
            "versammlungsort",
            "veranstaltungsort",
            "adresse",
            "straße",
            "strasse",
            "lieu",
            "місце",
            "адреса",
            "місце проведення",
            "орын",
            "мекенжай",
            "өткізілген орны",
        ],
    ),
    (
        "kind",
        &[
            "sanction",
            "санкция",
            "наказание",
            "вид наказания",
            "sanktion",
            "strafe",
            "покарання",
            "жаза",
            "type",
            "event type",
            "sub event type",
            "category",
            "вид",
            "тип",
            "вид события",
            "вид акции",
            "форма",
            "art",
            "typ",
            "versammlungsart",
            "veranstaltungsart",
            "kategorie",
            "type d'événement",
            "type d'action",
            "вид події",
            "вид акції",
            "түрі",
            "іс шара түрі",
        ],
    ),
    (
        "permit",
        &[
            "permission",
            "authorisation",
            "authorization",
            "permit status",
            "разрешение",
            "согласование",
            "genehmigung",
            "erlaubnis",
            "autorisation",
            "дозвіл",
            "погодження",
            "рұқсат",
            "келісім",
        ],
    ),
    (
        "participants",
        &[
            "protesters",
            "participant count",
            "number of participants",
            "crowd",
            "crowd size",
            "size",
            "attendance",
            "участники",
            "участников",
            "число участников",
            "количество участников",
            "teilnehmer",
            "teilnehmende",
            "teilnehmerzahl",
            "anzahl teilnehmer",
            "teilnehmer innen",
            // A register keeps the number announced and the number seen: ours is the one seen.
            "teilnehmer tatsächlich",
            "teilnehmerzahl tatsächlich",
            "tatsächliche teilnehmer",
            "tatsächliche teilnehmerzahl",
            "manifestants",
            "nombre de participants",
            "учасники",
            "учасників",
            "кількість учасників",
            "қатысушылар",
            "қатысушылар саны",
        ],
    ),
    (
        "police",
        &[
            "police officers",
            "полиция",
            "сотрудники полиции",
            "полицейских",
            "polizei",
            "polizisten",
            "policiers",
            "forces de l'ordre",
            "поліція",
            "поліцейських",
            "полиция қызметкерлері",
        ],
    ),
    (
        "detained",
        &[
            "detentions",
            "detainees",
            "apprehended",
            "задержано",
            "задержаны",
            "задержания",
            "задержанных",
            "festnahmen",
            "festgenommen",
            "festgenommene",
            "ingewahrsamnahmen",
            "interpellations",
            "interpellés",
            "затримано",
            "затримані",
            "затримання",
            "затриманих",
            "ұсталғандар",
            "ұсталды",
        ],
    ),
    (
        "fined",
        &[
            "fines",
            "оштрафовано",
            "оштрафованы",
            "штрафы",
            "bußgelder",
            "amendes",
            "verbalisés",
            "оштрафовані",
            "штрафи",
            "айыппұлдар",
            "айыппұл салынғандар",
        ],
    ),
    (
        "arrested",
        &[
            "jailed",
            "administrative arrests",
            "арестовано",
            "арестованы",
            "аресты",
            "inhaftiert",
            "inhaftierte",
            "emprisonnés",
            "détention administrative",
            "арештовано",
            "арештовані",
            "арешти",
            "қамауға алынғандар",
        ],
    ),
    (
        "warned",
        &[
            "warnings",
            "предупреждено",
            "предупреждения",
            "verwarnt",
            "verwarnungen",
            "avertis",
            "avertissements",
            "попереджено",
            "попередження",
            "ескерту алғандар",
        ],
    ),
    (
        "injured",
        &[
            "wounded",
            "injuries",
            "пострадало",
            "пострадавшие",
            "ранено",
            "verletzt",
            "verletzte",
            "blessés",
            "постраждало",
            "постраждалі",
            "поранені",
            "зардап шеккендер",
            "жараланғандар",
        ],
    ),
    (
        "summary",
        &[
            "notes",
            "description",
            "details",
            "what happened",
            "описание",
            "комментарий",
            "событие",
            "что произошло",
            "beschreibung",
            "zusammenfassung",
            "thema",
            "résumé",
            "опис",
            "що сталося",
            "подія",
            "сипаттама",
        ],
    ),
    (
        "sources",
        &[
            "source",
            "url",
            "urls",
            "link",
            "links",
            "источник",
            "источники",
            "ссылка",
            "ссылки",
            "quelle",
            "quellen",
            "lien",
            "liens",
            "джерело",
            "джерела",
            "посилання",
            "дереккөз",
            "дереккөздер",
            "сілтеме",
        ],
    ),
    (
        "note",
        &[
            "comment",
            "comments",
            "remarks",
            "примечание",
            "комментарий",
            "anmerkung",
            "bemerkung",
            "kommentar",
            "remarque",
            "commentaire",
            "примітка",
            "коментар",
            "ескертпе",
        ],
    ),
    (
        "incident",
        &[
            "event",
            "event id",
            "incident id",
            "событие",
            "id события",
            "инцидент",
            "ereignis",
            "vorfall",
            "événement",
            "подія",
            "інцидент",
            "оқиға",
        ],
    ),
    (
        "person",
        &[
            "name",
            "full name",
            "surname",
            "фио",
            "имя",
            "лицо",
            "betroffene",
            "nom",
            "nom complet",
            "personne",
            "піб",
            "ім'я",
            "особа",
            "аты жөні",
            "тұлға",
        ],
    ),
    (
        "amount",
        &[
            "fine amount",
            "sum",
            "сумма",
            "размер штрафа",
            "штраф",
            "betrag",
            "höhe",
            "bußgeld",
            "montant",
            "montant de l'amende",
            "сума",
            "розмір штрафу",
            "сомасы",
            "айыппұл мөлшері",
        ],
    ),
    (
        "days",
        &[
            "term",
            "duration",
            "срок",
            "суток",
            "сутки",
            "срок ареста",
            "tage",
            "dauer",
            "jours",
            "durée",
            "діб",
            "строк",
            "строк арешту",
            "тәулік",
            "мерзім",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::incident;

    #[test]
    fn headers_are_compared_as_names() {
        for written in ["StartDate", "start_date", "Start Date", "START-DATE", "start.date"] {
            assert_eq!(normalise(written), "start date", "{written}");
        }
        assert_eq!(normalise("eventID"), "event id");
        assert_eq!(normalise("Населённый пункт"), "населенный пункт");
    }

    #[test]
    fn start_and_end_dates_are_found_under_their_usual_names_in_six_languages() {
        let dates = [
            ("start_date", "date"),
            ("StartDate", "date"),
            ("event_date", "date"),
            ("Beginn", "date"),
            ("Datum", "date"),
            ("Дата начала", "date"),
            ("date de début", "date"),
            ("Дата початку", "date"),
            ("Басталу күні", "date"),
            ("end_date", "date_end"),
            ("EndDate", "date_end"),
            ("Ende", "date_end"),
            ("Дата окончания", "date_end"),
            ("Date de fin", "date_end"),
            ("Дата закінчення", "date_end"),
            ("Аяқталу күні", "date_end"),
        ];
        for (header, ours) in dates {
            assert_eq!(column_named(header, &incident::COLUMNS), Some(ours), "{header}");
        }
        let mm: Vec<String> = ["country_name", "start_date", "end_date", "police brutality"].map(String::from).into();
        let mapping = propose(&mm, &incident::COLUMNS);
        assert_eq!((mapping["date"].as_str(), mapping["date_end"].as_str()), ("start_date", "end_date"));
        assert_eq!(mapping.len(), 2, "{mapping:?}");
        // A city's register: the number announced is not ours, the number seen is.
        let register: Vec<String> =
            ["Datum", "Teilnehmer angemeldet", "Teilnehmer tatsächlich"].map(String::from).into();
        let mapping = propose(&register, &incident::COLUMNS);
        assert_eq!(mapping.get("participants").map(String::as_str), Some("Teilnehmer tatsächlich"));
    }

    #[test]
    fn every_column_has_a_synonym_in_each_language() {
        // One header for each of our columns, in the order of `incident::COLUMNS` and
        // `sanction::COLUMNS`, in German, French, Ukrainian and Kazakh.
        let incidents: [[&str; 17]; 4] = [
            [
                "Datum",
                "Art",
                "Nr",
                "Ende",
                "Stadt",
                "Ort",
                "Genehmigung",
                "Teilnehmer",
                "Polizei",
                "Festnahmen",
                "Bußgelder",
                "Inhaftierte",
                "Verwarnungen",
                "Verletzte",
                "Beschreibung",
                "Quellen",
                "Bemerkung",
            ],
            [
                "Date de début",
                "Type d'action",
                "Numéro",
                "Date de fin",
                "Ville",
                "Lieu",
                "Autorisation",
                "Manifestants",
                "Policiers",
                "Interpellations",
                "Amendes",
                "Emprisonnés",
                "Avertissements",
                "Blessés",
                "Résumé",
                "Liens",
                "Remarque",
            ],
            [
                "Дата початку",
                "Вид акції",
                "Номер",
                "Дата закінчення",
                "Місто",
                "Місце",
                "Дозвіл",
                "Учасники",
                "Поліція",
                "Затримано",
                "Оштрафовано",
                "Арештовано",
                "Попереджено",
                "Постраждалі",
                "Опис",
                "Джерела",
                "Примітка",
            ],
            [
                "Басталу күні",
                "Түрі",
                "Нөмір",
                "Аяқталу күні",
                "Қала",
                "Орын",
                "Рұқсат",
                "Қатысушылар",
                "Полиция",
                "Ұсталғандар",
                "Айыппұлдар",
                "Қамауға алынғандар",
                "Ескерту алғандар",
                "Зардап шеккендер",
                "Сипаттама",
                "Дереккөздер",
                "Ескертпе",
            ],
        ];
        for language in incidents {
            for (header, ours) in language.iter().zip(incident::COLUMNS) {
                assert_eq!(column_named(header, &incident::COLUMNS), Some(ours), "{header}");
            }
        }
        let sanctions: [[&str; 7]; 4] = [
            ["Ereignis", "Sanktion", "Datum", "Name", "Betrag", "Tage", "Bemerkung"],
            ["Événement", "Sanction", "Date", "Nom", "Montant", "Jours", "Remarque"],
            ["Подія", "Покарання", "Дата", "ПІБ", "Сума", "Діб", "Примітка"],
            ["Оқиға", "Жаза", "Күні", "Аты-жөні", "Сомасы", "Тәулік", "Ескертпе"],
        ];
        for language in sanctions {
            for (header, ours) in language.iter().zip(crate::input::sanction::COLUMNS) {
                assert_eq!(column_named(header, &crate::input::sanction::COLUMNS), Some(ours), "{header}");
            }
        }
    }

    #[test]
    fn a_hint_names_a_column_only_where_the_meaning_is_the_same() {
        // `pol` (a 0/1 "political" flag) and `police brutality` were hinted as `police`, `date`
        // as `date_end`: following the hint would count flags as officers.
        let missing = ["police", "date_end", "detained"];
        for header in ["pol", "police brutality", "date", "political", "participants_category"] {
            assert_eq!(column_misspelt(header, &missing), None, "{header}");
            assert_eq!(column_named(header, &missing), None, "{header}");
        }
        assert_eq!(column_misspelt("detianed", &missing), Some("detained"));
        assert_eq!(column_misspelt("Festgenomene", &missing), Some("detained"));
    }
}

//! How numbers, figures, dates and words are written in an audience's language.
//!
//! Grouping, plural categories and month names come from ICU4X (CLDR data); what is ours is the
//! wording of figure qualifiers and the label table of each language.

use std::collections::BTreeMap;

use fixed_decimal::Decimal;
use icu_calendar::{Date as IcuDate, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{M, YM, YMD};
use icu_decimal::DecimalFormatter;
use icu_locale_core::{Locale, locale};
use icu_plurals::{PluralCategory, PluralRules};
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::figure::{Figure, Kind};
use crate::vocabulary::{IncidentKind, Permit, SanctionKind, Vocabulary};

/// A language the labels, dates and numbers can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Russian.
    Ru,
    /// English.
    En,
}

impl Language {
    /// The language code Typst and PDF metadata use.
    pub fn code(self) -> &'static str {
        match self {
            Language::Ru => "ru",
            Language::En => "en",
        }
    }

    /// The CLDR locale whose conventions we follow (British English writes "9 November 2012").
    fn locale(self) -> Locale {
        match self {
            Language::Ru => locale!("ru"),
            Language::En => locale!("en-GB"),
        }
    }
}

/// Formatters for one language, built once per build.
pub struct Words {
    language: Language,
    decimal: DecimalFormatter,
    plurals: PluralRules,
    day: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    month: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    short_day: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    short_month: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    month_name: FixedCalendarDateTimeFormatter<Gregorian, M>,
}

/// A noun in its plural forms, chosen by CLDR plural category.
#[derive(Debug, Clone, Copy)]
pub struct Noun {
    /// Form for category "one" (1, 21 in Russian).
    pub one: &'static str,
    /// Form for category "few" (2–4 in Russian).
    pub few: &'static str,
    /// Form for "many" and "other".
    pub many: &'static str,
}

impl Words {
    /// Formatters for `language`, from the data compiled into the binary.
    pub fn new(language: Language) -> Self {
        let loc = language.locale();
        // The compiled CLDR data covers both locales, so construction cannot fail at run time.
        let decimal = DecimalFormatter::try_new((&loc).into(), Default::default())
            .expect("compiled decimal data covers ru and en");
        let plurals = PluralRules::try_new_cardinal((&loc).into()).expect("compiled plural data covers ru and en");
        let day = FixedCalendarDateTimeFormatter::try_new((&loc).into(), YMD::long())
            .expect("compiled date data covers ru and en");
        let month = FixedCalendarDateTimeFormatter::try_new((&loc).into(), YM::long())
            .expect("compiled date data covers ru and en");
        let short_day = FixedCalendarDateTimeFormatter::try_new((&loc).into(), YMD::short())
            .expect("compiled date data covers ru and en");
        let short_month = FixedCalendarDateTimeFormatter::try_new((&loc).into(), YM::short())
            .expect("compiled date data covers ru and en");
        let month_name = FixedCalendarDateTimeFormatter::try_new((&loc).into(), M::medium())
            .expect("compiled date data covers ru and en");
        Self { language, decimal, plurals, day, month, short_day, short_month, month_name }
    }

    /// A whole number with the language's grouping ("80 900" with a no-break space; "80,900").
    pub fn number(&self, n: u64) -> String {
        let text = self.decimal.format(&Decimal::from(n)).to_string();
        // CLDR groups Russian digits with U+00A0; a narrow no-break space is the typographic
        // standard for Russian numbers and cannot break either.
        text.replace('\u{a0}', "\u{202f}")
    }

    /// A figure as a reader should see it: "около 1 000", "more than 5,000", "200–2 000".
    pub fn figure(&self, f: &Figure) -> String {
        let w = self.qualifiers();
        let low = self.number(f.low());
        let high = f.high().map(|h| self.number(h)).unwrap_or_default();
        match (f.kind(), f.is_approx()) {
            (Kind::Unknown, _) => w.unknown.to_string(),
            // "At least 0" because of blank parts says nothing: say what the parts that gave a
            // number add up to (the note on blank parts goes with it). A cell that says "0 or
            // more" itself has no blank parts and is shown as it is.
            (Kind::AtLeast, _) if f.low() == 0 && f.unknown_parts() > 0 => self.figure(&f.known_part()),
            (Kind::Exact, _) => low,
            (Kind::About, _) => format!("{}\u{a0}{low}", w.about),
            (Kind::More | Kind::AtLeast, true) => format!("{}\u{a0}{low} {}", w.about, w.or_more),
            (Kind::More, false) => format!("{}\u{a0}{low}", w.more),
            (Kind::AtLeast, false) => format!("{}\u{a0}{low}", w.at_least),
            (Kind::Less, _) => format!("{}\u{a0}{high}", w.less),
            (Kind::Range, false) => format!("{low}–{high}"),
            (Kind::Range, true) => format!("{}\u{a0}{low}–{high}", w.about),
        }
    }

    /// A note for a sum with blank parts ("no figure for 2 incidents"), if it has any.
    pub fn unknown_note(&self, f: &Figure) -> Option<String> {
        let n = u64::from(f.unknown_parts());
        (n > 0 && f.is_known()).then(|| match self.language {
            Language::Ru => format!(
                "нет данных по {}\u{a0}{}",
                self.number(n),
                self.plural(n, Noun { one: "событию", few: "событиям", many: "событиям" })
            ),
            Language::En => format!(
                "no figure for {}\u{a0}{}",
                self.number(n),
                self.plural(n, Noun { one: "incident", few: "incidents", many: "incidents" })
            ),
        })
    }

    /// The form of `noun` that goes with the number `n` ("1 человек", "2 человека", "5 человек").
    pub fn plural(&self, n: u64, noun: Noun) -> &'static str {
        match self.plurals.category_for(n) {
            PluralCategory::One => noun.one,
            PluralCategory::Few => noun.few,
            _ => noun.many,
        }
    }

    /// `n` with its noun: "15 суток", "1 day".
    pub fn count_of(&self, n: u64, noun: Noun) -> String {
        format!("{}\u{a0}{}", self.number(n), self.plural(n, noun))
    }

    /// A figure followed by its noun: "28 человек", "около 1 500 человек", "не менее 21 человека",
    /// "about 1,500 people". The noun agrees with the number it follows: after a qualifier
    /// ("около", "более", "не менее", "менее") Russian puts it in the genitive. A figure nobody
    /// gave is said as in the tables, without the noun.
    pub fn figure_with(&self, f: &Figure, noun: Noun) -> String {
        // As in `figure`: "at least 0" because of blank parts is said as the known part.
        let f = if f.kind() == Kind::AtLeast && f.low() == 0 && f.unknown_parts() > 0 { f.known_part() } else { *f };
        let (n, qualified) = match f.kind() {
            Kind::Unknown => return self.figure(&f),
            Kind::Exact => (f.low(), false),
            Kind::Range => (f.high().unwrap_or(f.low()), f.is_approx()),
            Kind::Less => (f.high().unwrap_or(0), true),
            Kind::About | Kind::More | Kind::AtLeast => (f.low(), true),
        };
        let word = match (self.language, qualified, self.plurals.category_for(n)) {
            // The genitive: singular after a number ending in 1, plural otherwise.
            (Language::Ru, true, PluralCategory::One) => noun.few,
            (Language::Ru, true, _) => noun.many,
            _ => self.plural(n, noun),
        };
        format!("{}\u{a0}{word}", self.figure(&f))
    }

    /// The noun of a `fig` unit ("people" → человек / people), if the unit is a noun.
    pub fn unit_noun(&self, unit: &str) -> Option<Noun> {
        let ru = |one, few, many| Noun { one, few, many };
        let en = |one, many| Noun { one, few: many, many };
        Some(match (self.language, unit) {
            (Language::Ru, "people") => ru("человек", "человека", "человек"),
            (Language::Ru, "incidents") => ru("событие", "события", "событий"),
            (Language::Ru, "fines") => ru("штраф", "штрафа", "штрафов"),
            (Language::Ru, "arrests") => ru("арест", "ареста", "арестов"),
            (Language::Ru, "officers") => ru("сотрудник", "сотрудника", "сотрудников"),
            (Language::En, "people") => en("person", "people"),
            (Language::En, "incidents") => en("incident", "incidents"),
            (Language::En, "fines") => en("fine", "fines"),
            (Language::En, "arrests") => en("arrest", "arrests"),
            (Language::En, "officers") => en("officer", "officers"),
            (_, "days") => self.day_noun(),
            _ => return None,
        })
    }

    /// A date in words: "9 ноября 2012 г." / "9 November 2012"; a month alone: "сентябрь 2012 г.".
    pub fn date(&self, d: Date) -> String {
        self.format_date(d, &self.day, &self.month)
    }

    /// A date in digits, for tables: "24.03.2012" / "24/03/2012"; a month alone: "09.2012".
    pub fn short_date(&self, d: Date) -> String {
        self.format_date(d, &self.short_day, &self.short_month)
    }

    /// A day with `day`, a month alone with `month`; spaces made unbreakable.
    fn format_date(
        &self,
        d: Date,
        day: &FixedCalendarDateTimeFormatter<Gregorian, YMD>,
        month: &FixedCalendarDateTimeFormatter<Gregorian, YM>,
    ) -> String {
        let text = match d.day {
            Some(n) => IcuDate::try_new_gregorian(d.year, d.month, n).map(|date| day.format(&date).to_string()),
            None => IcuDate::try_new_gregorian(d.year, d.month, 1).map(|date| month.format(&date).to_string()),
        };
        // Dates reaching here were validated, so the fallback only guards against a future change.
        let text = text.unwrap_or_else(|_| d.to_string());
        // Keep the day, month and year together on one line.
        text.replace(' ', "\u{a0}")
    }

    /// A month as a table row label: "февраль 2012" / "February 2012".
    pub fn month_label(&self, d: Date) -> String {
        let text = self.date(d.month_start());
        text.trim_end_matches("г.").trim_end_matches(['\u{a0}', '\u{202f}', ' ']).to_string()
    }

    /// A month's abbreviated name, for chart axes: "февр." / "Feb".
    pub fn month_abbreviation(&self, d: Date) -> String {
        IcuDate::try_new_gregorian(d.year, d.month, 1)
            .map(|date| self.month_name.format(&date).to_string())
            .unwrap_or_else(|_| d.to_string())
    }

    /// The cover line of one volume of a long document: "Часть 2 из 5: события 2 001–4 000
    /// из 9 500 в порядке дат" (`first` and `last` count from 1 in date order).
    pub fn volume_line(&self, number: usize, of: usize, first: usize, last: usize, total: usize) -> String {
        let n = |x: usize| self.number(x as u64);
        match self.language {
            Language::Ru => {
                format!("Часть {number} из {of}: события {}–{} из {} в порядке дат", n(first), n(last), n(total))
            }
            Language::En => {
                format!("Part {number} of {of}: incidents {}–{} of {}, in date order", n(first), n(last), n(total))
            }
        }
    }

    /// A figure in few characters, for a value over a chart's bar: "28", "~20", ">500", "≥1 050"
    /// (a sum with blank parts), "<1 000", "200–2 000"; what the signs mean is `chart-qualifiers`.
    pub fn compact_figure(&self, f: &Figure) -> String {
        let f = if f.kind() == Kind::AtLeast && f.low() == 0 && f.unknown_parts() > 0 { f.known_part() } else { *f };
        let low = self.number(f.low());
        let high = f.high().map(|h| self.number(h)).unwrap_or_default();
        let about = if f.is_approx() { "~" } else { "" };
        match f.kind() {
            Kind::Unknown => "—".to_string(),
            Kind::Exact => low,
            Kind::About => format!("~{low}"),
            Kind::More => format!(">{about}{low}"),
            Kind::AtLeast => format!("≥{about}{low}"),
            Kind::Less => format!("<{high}"),
            Kind::Range => format!("{about}{low}–{high}"),
        }
    }

    /// A quarter on a chart's axis: "I кв." / "Q1" (`d` is any day of it).
    pub fn quarter_abbreviation(&self, d: Date) -> String {
        let q = (d.month - 1) / 3;
        match self.language {
            Language::Ru => format!("{}\u{a0}кв.", ["I", "II", "III", "IV"][usize::from(q)]),
            Language::En => format!("Q{}", q + 1),
        }
    }

    /// How many incidents, with the noun: "8\u{202f}000 событий", "1 incident".
    pub fn incidents(&self, n: u64) -> String {
        let noun = match self.language {
            Language::Ru => Noun { one: "событие", few: "события", many: "событий" },
            Language::En => Noun { one: "incident", few: "incidents", many: "incidents" },
        };
        self.count_of(n, noun)
    }

    /// The span of two dates: "1 января – 31 октября 2012 г.".
    pub fn period(&self, start: Date, end: Date) -> String {
        format!("{} – {}", self.date(start), self.date(end))
    }

    /// An amount of money with its currency: "80 900 тенге", "EUR 410".
    pub fn money(&self, amount: u64, currency: &str) -> String {
        format!("{}\u{a0}{}", self.number(amount), self.currency_name(currency, amount))
    }

    /// A range of money: "30 000–81 000 тенге".
    pub fn money_range(&self, low: u64, high: u64, currency: &str) -> String {
        if low == high {
            return self.money(low, currency);
        }
        format!("{}–{}\u{a0}{}", self.number(low), self.number(high), self.currency_name(currency, high))
    }

    /// How the currency is named after a number.
    fn currency_name(&self, code: &str, amount: u64) -> String {
        let noun = match (self.language, code) {
            (Language::Ru, "KZT") => Noun { one: "тенге", few: "тенге", many: "тенге" },
            (Language::Ru, "EUR") => Noun { one: "евро", few: "евро", many: "евро" },
            (Language::Ru, "RUB") => Noun { one: "рубль", few: "рубля", many: "рублей" },
            (Language::Ru, "USD") => {
                Noun { one: "доллар США", few: "доллара США", many: "долларов США" }
            }
            (Language::En, "KZT") => Noun { one: "tenge", few: "tenge", many: "tenge" },
            (Language::En, "EUR") => Noun { one: "euro", few: "euros", many: "euros" },
            _ => return code.to_string(),
        };
        self.plural(amount, noun).to_string()
    }

    /// A number of days of arrest: "15 суток" / "15 days".
    pub fn days(&self, n: u64) -> String {
        self.count_of(n, self.day_noun())
    }

    /// A range of days: "10–18 суток".
    pub fn days_range(&self, low: u64, high: u64) -> String {
        if low == high {
            return self.days(low);
        }
        format!("{}–{}\u{a0}{}", self.number(low), self.number(high), self.plural(high, self.day_noun()))
    }

    /// The noun for days of arrest ("сутки" is the Russian word for a term in days).
    fn day_noun(&self) -> Noun {
        match self.language {
            Language::Ru => Noun { one: "сутки", few: "суток", many: "суток" },
            Language::En => Noun { one: "day", few: "days", many: "days" },
        }
    }

    /// The words that qualify a figure.
    fn qualifiers(&self) -> Qualifiers {
        match self.language {
            Language::Ru => Qualifiers {
                about: "около",
                more: "более",
                at_least: "не менее",
                less: "менее",
                or_more: "и более",
                unknown: "нет данных",
            },
            Language::En => Qualifiers {
                about: "about",
                more: "more than",
                at_least: "at least",
                less: "fewer than",
                or_more: "or more",
                unknown: "unknown",
            },
        }
    }

    /// Every label a template may show, in this language.
    pub fn labels(&self) -> BTreeMap<&'static str, &'static str> {
        let column = match self.language {
            Language::Ru => 1,
            Language::En => 2,
        };
        LABELS.iter().map(|row| (row[0], row[column])).collect()
    }

    /// One label ("person-withheld" → "[имя скрыто]"), without building the whole table.
    pub fn label(&self, key: &str) -> &'static str {
        self.lookup(LABELS, key)
    }

    /// The label of an incident kind ("rally" → "митинг").
    pub fn kind_label(&self, kind: IncidentKind) -> &'static str {
        self.lookup(KIND_LABELS, kind.word())
    }

    /// The label of a permit status ("denied" → "отказано").
    pub fn permit_label(&self, permit: Permit) -> &'static str {
        self.lookup(PERMIT_LABELS, permit.word())
    }

    /// The label of a sanction kind ("fine" → "штраф").
    pub fn sanction_label(&self, kind: SanctionKind) -> &'static str {
        self.lookup(SANCTION_LABELS, kind.word())
    }

    /// The label of a figure in totals and stated figures ("detained" → "задержано").
    pub fn figure_label(&self, key: &str) -> &'static str {
        self.lookup(FIGURE_LABELS, key)
    }

    /// Looks a key up in a three-column table (key, Russian, English).
    fn lookup(&self, table: &[[&'static str; 3]], key: &str) -> &'static str {
        let column = match self.language {
            Language::Ru => 1,
            Language::En => 2,
        };
        table.iter().find(|row| row[0] == key).map(|row| row[column]).unwrap_or("")
    }
}

/// Words that qualify a figure in one language.
struct Qualifiers {
    about: &'static str,
    more: &'static str,
    at_least: &'static str,
    less: &'static str,
    or_more: &'static str,
    unknown: &'static str,
}

/// Labels for templates: key, Russian, English. Adding a language adds a column.
const LABELS: &[[&str; 3]] = &[
    ["document-symbol", "Документ", "Document"],
    ["date", "Дата", "Date"],
    ["submitted-by", "Представлено", "Submitted by"],
    ["summary-heading", "Сводные данные", "Summary of figures"],
    ["incidents-heading", "Хронология событий", "Chronology of incidents"],
    ["sanctions-heading", "Санкции против участников", "Sanctions against participants"],
    ["recommendations-heading", "Рекомендации", "Recommendations"],
    ["sources-heading", "Источники", "Sources"],
    ["col-date", "Дата", "Date"],
    ["col-place", "Место", "Place"],
    ["col-event", "Событие", "Event"],
    ["col-participants", "Участники", "Participants"],
    ["col-police", "Полиция", "Police"],
    ["col-detained", "Задержано", "Detained"],
    ["col-fined", "Оштрафовано", "Fined"],
    ["col-arrested", "Арестовано", "Arrested"],
    ["col-warned", "Предупреждено", "Warned"],
    ["total", "Всего", "Total"],
    ["fines", "Административные штрафы", "Administrative fines"],
    ["arrests", "Административные аресты", "Administrative arrests"],
    ["count", "Число", "Number"],
    ["range", "Размер / срок", "Amount / term"],
    ["total-amount", "Всего", "Total"],
    [
        "stated-heading",
        "Данные за период по сведениям организации",
        "Figures for the period stated by the organisation",
    ],
    ["stated-col", "По сведениям организации", "Stated"],
    ["computed-col", "По описанным событиям", "From the incidents listed"],
    ["figure-col", "Показатель", "Figure"],
    [
        "stated-exceeds",
        "число по описанным событиям превышает заявленное за период",
        "the figure from the incidents listed exceeds the one stated for the period",
    ],
    ["topic", "Тема", "Topic"],
    ["period", "Период", "Period"],
    ["page", "Страница", "Page"],
    ["unknown-note", "нет данных", "unknown"],
    ["unknown-legend", "— нет данных", "— no figure given"],
    [
        "totals-note",
        "Итоги складываются из событий, по которым есть данные; «не менее» и «и более» означают, что по части событий данных нет, «около» — что часть чисел приблизительна.",
        "Totals add up the incidents that give a figure; “at least” and “or more” mean that some incidents give none, “about” that some figures are estimates.",
    ],
    ["person-withheld", "[имя скрыто]", "[name withheld]"],
    [
        "attached-incidents",
        "События, показанные в этом документе, с теми же данными (CSV)",
        "The incidents this document shows, with the same data (CSV)",
    ],
    [
        "attached-sanctions",
        "Санкции, показанные в этом документе, с именами как в документе (CSV)",
        "The sanctions this document shows, with names as shown in it (CSV)",
    ],
    ["signature", "Подпись", "Signature"],
    ["key-figures-heading", "Основные цифры", "Key figures"],
    ["chart-heading", "События и задержания по месяцам", "Incidents and detentions by month"],
    ["chart-incidents", "события", "incidents"],
    ["chart-detained", "задержано (нижняя оценка)", "detained (lower bound)"],
    ["incidents-count", "событий", "incidents"],
    ["annex-title", "Приложение", "Annex"],
    ["annex-subtitle", "Хронология событий и список санкций", "Chronology of incidents and list of sanctions"],
    ["col-permit", "Разрешение", "Permit"],
    ["col-injured", "Пострадало", "Injured"],
    ["col-sources", "Источники", "Sources"],
    ["col-incident", "Событие", "Incident"],
    ["col-person", "Лицо", "Person"],
    ["col-kind", "Вид", "Kind"],
    ["col-amount", "Сумма", "Amount"],
    ["col-days", "Срок", "Term"],
    ["col-note", "Примечание", "Note"],
    ["unnamed", "не названо", "not named"],
    ["by-month-heading", "По месяцам", "By month"],
    ["by-kind-heading", "По видам событий", "By kind of incident"],
    ["col-month", "Месяц", "Month"],
    ["col-incidents", "Событий", "Incidents"],
    ["col-summary", "Описание", "Description"],
    ["incidents-number", "Число событий", "Number of incidents"],
    [
        "chart-note",
        "Столбцы каждого ряда — в своём масштабе; числа над ними точные.",
        "Each series has its own scale; the numbers above the bars are exact.",
    ],
    ["chart-heading-quarter", "События и задержания по кварталам", "Incidents and detentions by quarter"],
    ["chart-heading-year", "События и задержания по годам", "Incidents and detentions by year"],
    [
        "chart-qualifiers",
        "~ около, > более, ≥ не менее (по части событий данных нет), < менее",
        "~ about, > more than, ≥ at least (some incidents give no figure), < fewer than",
    ],
    ["chart-outside", "вне периода отчёта, не показано на графике", "outside the period, not in the chart"],
    ["by-quarter-heading", "По кварталам", "By quarter"],
    ["by-year-heading", "По годам", "By year"],
    ["by-city-heading", "По городам", "By city"],
    ["col-quarter", "Квартал", "Quarter"],
    ["col-year", "Год", "Year"],
    ["col-city", "Город", "City"],
    ["other-cities", "другие города", "other cities"],
    ["outside-period", "вне отчётного периода", "outside the period"],
    ["leaders-detained-heading", "События с наибольшим числом задержанных", "Incidents with the most people detained"],
    [
        "leaders-sanctioned-heading",
        "События с наибольшим числом оштрафованных и арестованных",
        "Incidents with the most people fined or arrested",
    ],
    ["chronology-in-annex", "Полная хронология приведена в приложении", "The full chronology is given in the annex"],
];

/// Incident kinds: key, Russian, English.
const KIND_LABELS: &[[&str; 3]] = &[
    ["rally", "митинг", "rally"],
    ["picket", "пикет", "picket"],
    ["march", "шествие", "march"],
    ["memorial", "акция памяти", "memorial action"],
    ["raid", "задержания", "detentions"],
    ["court", "судебное дело", "court case"],
    ["surveillance", "слежка", "surveillance"],
    ["other", "иное", "other"],
];

/// Permit statuses: key, Russian, English.
const PERMIT_LABELS: &[[&str; 3]] = &[
    ["denied", "отказано", "denied"],
    ["granted", "разрешено", "granted"],
    ["partly", "разрешено частично", "partly granted"],
    ["not-requested", "не запрашивалось", "not requested"],
    ["unknown", "нет данных", "unknown"],
];

/// Sanction kinds: key, Russian, English.
const SANCTION_LABELS: &[[&str; 3]] = &[
    ["fine", "штраф", "fine"],
    ["arrest", "административный арест", "administrative arrest"],
    ["warning", "предупреждение", "warning"],
    ["criminal", "уголовное преследование", "criminal case"],
    ["other", "иное", "other"],
];

/// Figures in totals and stated figures: key, Russian, English.
const FIGURE_LABELS: &[[&str; 3]] = &[
    ["incidents", "Событий", "Incidents"],
    ["participants", "Участников", "Participants"],
    ["police", "Сотрудников полиции", "Police officers"],
    ["detained", "Задержано", "Detained"],
    ["fined", "Оштрафовано", "Fined"],
    ["arrested", "Арестовано", "Arrested"],
    ["warned", "Предупреждено", "Warned"],
    ["injured", "Пострадало", "Injured"],
    ["pickets", "Одиночных пикетов", "Single pickets"],
    ["fine-amounts", "Размер штрафов", "Fine amounts"],
    ["arrest-days", "Сроки арестов", "Arrest terms"],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_numbers_group_with_a_narrow_no_break_space() {
        let ru = Words::new(Language::Ru);
        assert_eq!(ru.number(80900), "80\u{202f}900");
        assert_eq!(ru.number(1000), "1\u{202f}000");
        assert_eq!(ru.number(28), "28");
        assert_eq!(Words::new(Language::En).number(80900), "80,900");
    }

    #[test]
    fn figures_read_as_the_statement_says_them() {
        let ru = Words::new(Language::Ru);
        let en = Words::new(Language::En);
        assert_eq!(ru.figure(&Figure::about(1000)), "около\u{a0}1\u{202f}000");
        assert_eq!(en.figure(&Figure::about(1000)), "about\u{a0}1,000");
        assert_eq!(ru.figure(&Figure::more_than(5000)), "более\u{a0}5\u{202f}000");
        assert_eq!(en.figure(&Figure::more_than(5000)), "more than\u{a0}5,000");
        assert_eq!(ru.figure(&Figure::range(200, 2000)), "200–2\u{202f}000");
        assert_eq!(ru.figure(&Figure::less_than(1000)), "менее\u{a0}1\u{202f}000");
        assert_eq!(ru.figure(&Figure::unknown()), "нет данных");
        assert_eq!(en.figure(&Figure::unknown()), "unknown");
        let mut open = Figure::exact(28);
        open.add(Figure::unknown());
        open.add(Figure::unknown());
        assert_eq!(ru.figure(&open), "не менее\u{a0}28");
        assert_eq!(ru.unknown_note(&open).unwrap(), "нет данных по 2\u{a0}событиям");
        assert_eq!(en.unknown_note(&open).unwrap(), "no figure for 2\u{a0}incidents");
        // "0 or more", alone or beside blank parts, is shown (it once recursed without end).
        let zero_or_more = Figure::parse("0+").unwrap();
        assert_eq!(en.figure(&zero_or_more), "at least\u{a0}0");
        let mut with_blank = zero_or_more;
        with_blank.add(Figure::unknown());
        assert_eq!(en.figure(&with_blank), "at least\u{a0}0");
    }

    #[test]
    fn russian_dates_use_genitive_months() {
        let ru = Words::new(Language::Ru);
        let en = Words::new(Language::En);
        let day = Date::from_ymd(2012, 11, 9).unwrap();
        assert_eq!(ru.date(day), "9\u{a0}ноября\u{a0}2012\u{202f}г.");
        assert_eq!(en.date(day), "9\u{a0}November\u{a0}2012");
        assert_eq!(ru.month_label(Date::from_ym(2012, 2).unwrap()), "февраль\u{a0}2012");
        assert_eq!(ru.short_date(Date::from_ymd(2012, 3, 24).unwrap()), "24.03.2012");
        assert_eq!(ru.short_date(Date::from_ym(2012, 9).unwrap()), "09.2012");
    }

    #[test]
    fn russian_plurals_follow_cldr() {
        let ru = Words::new(Language::Ru);
        let person = Noun { one: "человек", few: "человека", many: "человек" };
        assert_eq!(ru.count_of(1, person), "1\u{a0}человек");
        assert_eq!(ru.count_of(2, person), "2\u{a0}человека");
        assert_eq!(ru.count_of(5, person), "5\u{a0}человек");
        assert_eq!(ru.days(21), "21\u{a0}сутки");
        assert_eq!(ru.days(15), "15\u{a0}суток");
        assert_eq!(Words::new(Language::En).days(1), "1\u{a0}day");
    }

    #[test]
    fn a_figure_with_its_noun_agrees_with_the_number_and_the_qualifier() {
        let ru = Words::new(Language::Ru);
        let en = Words::new(Language::En);
        let people = ru.unit_noun("people").unwrap();
        assert_eq!(ru.figure_with(&Figure::exact(28), people), "28\u{a0}человек");
        assert_eq!(ru.figure_with(&Figure::exact(22), people), "22\u{a0}человека");
        assert_eq!(ru.figure_with(&Figure::exact(21), people), "21\u{a0}человек");
        assert_eq!(ru.figure_with(&Figure::about(1500), people), "около\u{a0}1\u{202f}500\u{a0}человек");
        assert_eq!(ru.figure_with(&Figure::at_least(21, false), people), "не менее\u{a0}21\u{a0}человека");
        assert_eq!(ru.figure_with(&Figure::exact(15), ru.unit_noun("days").unwrap()), "15\u{a0}суток");
        assert_eq!(ru.figure_with(&Figure::unknown(), people), "нет данных");
        let people = en.unit_noun("people").unwrap();
        assert_eq!(en.figure_with(&Figure::exact(1), people), "1\u{a0}person");
        assert_eq!(en.figure_with(&Figure::about(1500), people), "about\u{a0}1,500\u{a0}people");
        assert_eq!(en.figure_with(&Figure::range(200, 2000), people), "200–2,000\u{a0}people");
    }

    #[test]
    fn money_in_both_currencies() {
        let ru = Words::new(Language::Ru);
        assert_eq!(ru.money(80900, "KZT"), "80\u{202f}900\u{a0}тенге");
        assert_eq!(ru.money_range(30000, 81000, "KZT"), "30\u{202f}000–81\u{202f}000\u{a0}тенге");
        assert_eq!(Words::new(Language::En).money(410, "EUR"), "410\u{a0}euros");
    }
}

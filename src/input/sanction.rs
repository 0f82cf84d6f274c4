//! Sanctions: one row of `sanctions.csv` per person-level fine, arrest, warning or case.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::figure::{DecimalMark, parse_whole, whole_part};
use crate::input::incident::{Problem, choice, choice_text, date_value, optional_date, text_value};
use crate::input::row::Raw;
use crate::input::source::Source;
use crate::input::table::{CellAt, CellKind, Row, Table};
use crate::vocabulary::SanctionKind;

/// Every column a sanctions table may have: the required ones first.
pub const COLUMNS: [&str; 7] = ["incident", "kind", "date", "person", "amount", "days", "note"];

/// Columns a sanctions table must have.
pub const REQUIRED: &[&str] = COLUMNS.split_at(2).0;

/// Columns a sanctions table may have.
pub const OPTIONAL: &[&str] = COLUMNS.split_at(2).1;

/// One sanction against one person.
#[derive(Debug, Clone)]
pub struct Sanction {
    /// The line of its row, for diagnostics.
    pub line: usize,
    /// The id of the incident it followed.
    pub incident: String,
    /// When it was imposed.
    pub date: Option<Date>,
    /// Who, when the source names them.
    pub person: Option<String>,
    /// What kind of sanction it was.
    pub kind: SanctionKind,
    /// A fine's amount in the report currency, when known.
    pub amount: Option<u64>,
    /// An arrest's term in days, when known.
    pub days: Option<u64>,
    /// Anything else.
    pub note: String,
}

/// One sanction as read from its row, its text borrowed from the row.
#[derive(Debug, Clone)]
pub struct SanctionRow<'r> {
    /// The line of its row.
    pub line: usize,
    /// The id of the incident it followed.
    pub incident: &'r str,
    /// The column of the `incident` cell.
    pub incident_column: usize,
    /// When it was imposed.
    pub date: Option<Date>,
    /// Who, when the source names them.
    pub person: Option<&'r str>,
    /// What kind of sanction it was.
    pub kind: SanctionKind,
    /// A fine's amount, when known.
    pub amount: Option<u64>,
    /// An arrest's term in days, when known.
    pub days: Option<u64>,
    /// Anything else.
    pub note: &'r str,
    /// The row as written, to place any of its cells.
    pub raw: Raw<'r>,
}

impl SanctionRow<'_> {
    /// The sanction as an owned value.
    pub fn to_sanction(&self) -> Sanction {
        Sanction {
            line: self.line,
            incident: self.incident.to_string(),
            date: self.date,
            person: self.person.map(str::to_string),
            kind: self.kind,
            amount: self.amount,
            days: self.days,
            note: self.note.to_string(),
        }
    }
}

/// Reads every sanction of a table, a block at a time, handing each good row to `each` as it is
/// read; every bad cell is reported. The cells are read on every core ([`Table::read_rows`]);
/// `each` sees the rows in file order. Fails only if the input cannot be read.
pub fn read(
    input: &mut dyn std::io::Read,
    source: &Source,
    mut each: impl FnMut(&SanctionRow, &mut Vec<Diagnostic>),
) -> std::io::Result<crate::input::table::Read> {
    let columns = std::sync::OnceLock::new();
    let columns_of = |table: &Table| {
        *columns.get_or_init(|| {
            ["incident", "date", "kind", "amount", "days", "person", "note"].map(|name| table.column(name))
        })
    };
    let parse = |table: &Table, row: &Row, problems: &mut Vec<Diagnostic>| {
        if row.broken {
            return None;
        }
        let [incident, date, kind, amount, days, person, note] = columns_of(table);
        let at = |column| CellAt { table, row, column };
        let before = problems.len();
        let incident = at(incident);
        if incident.value().text.is_empty() {
            problems.push(incident.error("every sanction needs the id of its incident"));
        }
        let date = optional_date(at(date), problems);
        let kind = choice::<SanctionKind>(at(kind), None, problems);
        let mark = table.decimal_mark().mark();
        let amount = whole_number(at(amount), Some(mark), problems);
        let days = whole_number(at(days), None, problems);
        table.check_text(row, person, problems);
        table.check_text(row, note, problems);
        kind.filter(|_| problems.len() == before).map(|kind| (date, kind, amount, days))
    };
    let mut fold = |table: &Table,
                    row: &Row,
                    values: &Option<Values>,
                    problems: &mut Vec<Diagnostic>,
                    _: &mut dyn Iterator<Item = &Option<Values>>| {
        let Some((date, kind, amount, days)) = *values else { return };
        let [incident, _, _, _, _, person, note] = columns_of(table);
        let incident = table.value_of(row, incident);
        let person = table.value_of(row, person).text;
        let sanction = SanctionRow {
            line: row.line,
            incident: incident.text,
            incident_column: incident.column,
            date,
            person: (!person.is_empty()).then_some(person),
            kind,
            amount,
            days,
            note: table.value_of(row, note).text,
            raw: row.raw,
        };
        each(&sanction, problems);
    };
    Table::read_rows(&source.file, input, source, (REQUIRED, OPTIONAL), &parse, &mut fold)
}

/// What a sanction row's cells are read as, apart from its text (date, kind, amount, days):
/// what a worker thread hands on.
type Values = (Option<Date>, SanctionKind, Option<u64>, Option<u64>);

/// Whether `text` is a value our column `name` of a sanctions table can hold, read as its cell
/// would be: for the values `report.toml` recodes a file's cells to or fixes, and for `columns`
/// (as [`crate::input::incident::check_value`]).
pub fn check_value(name: &str, text: &str, date_format: Option<&str>, mark: DecimalMark) -> Result<(), Problem> {
    match name {
        "kind" => choice_text::<SanctionKind>(text, None).map(drop),
        "incident" if text.is_empty() => Err(("every sanction needs the id of its incident".into(), None)),
        _ if text.is_empty() => Ok(()),
        "date" => date_value(text, date_format),
        "amount" => parse_whole(whole_part(text, mark.mark()), &[',', '.'])
            .map(drop)
            .map_err(|e| (e.message("an amount"), Some("write a whole amount: 80900, 80 900 or 80,900".into()))),
        "days" => parse_whole(text, &[])
            .map(drop)
            .map_err(|e| (e.message("a number of days"), Some("write a whole number of days".into()))),
        _ => text_value(text),
    }
}

/// Reads and keeps every sanction of a table, reporting every bad cell.
pub fn read_all(bytes: &[u8], source: &Source) -> (Vec<Sanction>, Vec<Diagnostic>) {
    let mut sanctions = Vec::new();
    let read = read(&mut &bytes[..], source, |s, _| sanctions.push(s.to_sanction()));
    // Bytes in memory can always be read.
    (sanctions, read.map(|r| r.problems).unwrap_or_default())
}

/// A blank or whole-number cell; amounts may group thousands with spaces, commas or dots.
fn whole_number(at: CellAt, money: Option<char>, problems: &mut Vec<Diagnostic>) -> Option<u64> {
    let value = at.value();
    if value.text.is_empty() {
        return None;
    }
    let file = at.file();
    if value.kind == CellKind::Fraction {
        let what = if money.is_some() { "a whole amount" } else { "a whole number of days" };
        problems.extend(at.cell().fraction_error(file, what));
        return None;
    }
    // A spreadsheet's money format writes a whole amount with a zero fraction: `80 900,00` where
    // `;` separates fields, `80,900.00` elsewhere.
    let text = money.map_or(value.text, |mark| whole_part(value.text, mark));
    match parse_whole(text, if money.is_some() { &[',', '.'] } else { &[] }) {
        Ok(n) => Some(n),
        Err(e) => {
            let (what, hint) = if money.is_some() {
                ("an amount", "write a whole amount: 80900, 80 900 or 80,900")
            } else {
                ("a number of days", "write a whole number of days")
            };
            problems.push(at.error(e.message(what)).with_hint(hint));
            None
        }
    }
}

/// Reads `80900`, `80 900`, and (for money) `80,900` or `80.900` exactly, as [`parse_whole`]
/// does: every group after a separator has three digits, so a decimal fraction is never mistaken
/// for thousands, and `1 00` or `80,90` is refused rather than read as 100 or 8090. A term in days
/// (`money` false) may group with spaces or apostrophes only: `1,5` may be a decimal.
#[cfg(test)]
fn parse_amount(text: &str, money: bool) -> Option<u64> {
    parse_whole(text, if money { &[',', '.'] } else { &[] }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_people_write_them() {
        assert_eq!(parse_amount("80900", true), Some(80900));
        assert_eq!(parse_amount("80 900", true), Some(80900));
        assert_eq!(parse_amount("80,900", true), Some(80900));
        assert_eq!(parse_amount("1.080.900", true), Some(1_080_900));
        assert_eq!(parse_amount("80,90", true), None);
        assert_eq!(parse_amount("80900.50", true), None);
        assert_eq!(parse_amount("15", false), Some(15));
        assert_eq!(parse_amount("1,500", false), None);
        assert_eq!(parse_amount("x", true), None);
    }

    #[test]
    fn digit_groups_of_amounts_and_terms_are_checked() {
        // `1 00` and `5 10` were read as 100 and 510, and a term of `1 5` days as 15: spaces were
        // dropped before the groups were looked at.
        for bad in ["1 00", "5 10", "80 90", "80 9000", "8090 000", "80,900.000", "80 900,000", "0 900", "80  900"] {
            assert_eq!(parse_amount(bad, true), None, "{bad:?} should not be an amount");
        }
        for bad in ["1 5", "1 00", "1,500", "1.500", "15.0"] {
            assert_eq!(parse_amount(bad, false), None, "{bad:?} should not be a term");
        }
        assert_eq!(parse_amount("80\u{202f}900", true), Some(80900));
        assert_eq!(parse_amount("80’900", true), Some(80900));
        assert_eq!(parse_amount("1\u{a0}500", false), Some(1500));
        // Above 10^12 an amount is a slip; refusing it also keeps every sum of amounts exact.
        assert_eq!(parse_amount("1000000000001", true), None);
        assert_eq!(parse_amount("99999999999999999999999", true), None);
    }

    #[test]
    fn reads_named_and_unnamed_sanctions() {
        let csv =
            "incident,date,person,kind,amount,days,note\na,2012-05-31,Бахыт Туменова,fine,80 900,,\nb,,,arrest,,15,\n";
        let (s, problems) = read_all(csv.as_bytes(), &Source::plain("sanctions.csv"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s[0].person.as_deref(), Some("Бахыт Туменова"));
        assert_eq!(s[0].amount, Some(80900));
        assert_eq!((s[1].person.clone(), s[1].days), (None, Some(15)));
    }

    #[test]
    fn sanctions_are_recoded_as_report_toml_says() {
        let csv = "incident,person,Art,amount\na,X,Geldstrafe,k.A.\nb,Y,geldstrafe ,500\nc,Z,Haft,\n";
        let mut source = Source::plain("sanctions.csv");
        source.columns.insert("kind".into(), "Art".into());
        source.values.insert("kind".into(), [("Geldstrafe".into(), "fine".into())].into());
        source.unknown = vec!["k.A.".into()];
        source.fixed.insert("date".into(), "2012-05-31".into());
        let (s, problems) = read_all(csv.as_bytes(), &source);
        assert_eq!(s.len(), 2, "{problems:?}");
        assert_eq!((s[0].kind, s[0].amount), (SanctionKind::Fine, None), "`k.A.` is not stated");
        assert_eq!((s[1].kind, s[1].amount), (SanctionKind::Fine, Some(500)));
        assert_eq!(s[0].date.map(|d| d.to_string()).as_deref(), Some("2012-05-31"));
        // `Haft` is not recoded: an error at its cell, quoting it.
        assert_eq!((problems[0].line, problems[0].field), (4, Some(3)));
        assert!(problems[0].message.starts_with("`kind`: `Haft` must be one of"), "{}", problems[0].message);
    }

    #[test]
    fn bad_amounts_point_at_their_cell() {
        let csv = "incident,date,person,kind,amount,days,note\na,,,fine,80 9OO,,\n";
        let (_, problems) = read_all(csv.as_bytes(), &Source::plain("sanctions.csv"));
        assert_eq!((problems[0].line, problems[0].field), (2, Some(5)));
        assert!(problems[0].message.contains("80 9OO"));
    }

    thread_local! {
        /// Formatters in both languages, built once per test thread (a long run reads millions).
        static WORDS: [crate::locale::Words; 2] =
            [crate::locale::Words::new(crate::locale::Language::Ru), crate::locale::Words::new(crate::locale::Language::En)];
    }

    proptest::proptest! {
        #[test]
        fn parse_prop_amount_never_panics(text in "[0-9 ,.'’\\u{a0}\\u{202f}a-z\\-]{0,30}|\\PC{0,30}") {
            let _ = parse_amount(&text, true);
            let _ = parse_amount(&text, false);
        }

        #[test]
        fn parse_prop_amount_grouped_reads_back(
            n in 0..=crate::figure::LARGEST,
            sep in proptest::sample::select(&[' ', '\u{a0}', '\u{202f}', '\u{2009}', ',', '.', '\'', '’'][..]),
        ) {
            // Every separator, and the tool's own writing of a number in both languages.
            let plain = n.to_string();
            let mut grouped = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i).is_multiple_of(3) {
                    grouped.push(sep);
                }
                grouped.push(c);
            }
            proptest::prop_assert_eq!(parse_amount(&grouped, true), Some(n), "{:?}", grouped);
            let term = (![',', '.'].contains(&sep)).then_some(n);
            proptest::prop_assert_eq!(parse_amount(&grouped, false), term.or((n < 1000).then_some(n)), "{:?}", grouped);
            let [ru, en] = WORDS.with(|w| w.each_ref().map(|w| w.number(n)));
            proptest::prop_assert_eq!(parse_amount(&ru, true), Some(n));
            proptest::prop_assert_eq!(parse_amount(&en, true), Some(n));
            proptest::prop_assert_eq!(parse_amount(&ru, false), Some(n));
        }

        #[test]
        fn parse_prop_amount_bad_group_is_refused(
            first in 1u64..1000,
            rest in proptest::collection::vec(0u64..1000, 1..4),
            bad in "[0-9]{0,2}|[0-9]{4,6}",
            at in proptest::prelude::any::<proptest::sample::Index>(),
            sep in proptest::sample::select(&[' ', '\u{a0}', '\u{202f}', '\u{2009}', ',', '.', '\'', '’'][..]),
        ) {
            // A well-grouped amount with one group after a separator made shorter or longer.
            let mut groups: Vec<String> = rest.iter().map(|g| format!("{g:03}")).collect();
            let i = at.index(groups.len());
            groups[i] = bad;
            let text = format!("{first}{sep}{}", groups.join(&sep.to_string()));
            proptest::prop_assert_eq!(parse_amount(&text, true), None, "{:?}", text);
            proptest::prop_assert_eq!(parse_amount(&text, false), None, "{:?}", text);
        }

        #[test]
        fn parse_prop_amount_accepted_reads_back_as_written(text in "[0-9]{1,4}([ ,.'’\\u{a0}][0-9]{1,4}){0,3}") {
            // Whatever is accepted reads back the same as the tool writes it in either language.
            if let Some(n) = parse_amount(&text, true) {
                for words in WORDS.with(|w| w.each_ref().map(|w| w.number(n))) {
                    proptest::prop_assert_eq!(parse_amount(&words, true), Some(n), "{:?} written {:?}", text, words);
                }
            }
        }

        #[test]
        fn any_sanctions_file_is_read_or_refused_without_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = read_all(&bytes, &Source::plain("sanctions.csv"));
        }
    }
}

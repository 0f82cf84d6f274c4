//! The data a PDF carries as attached files: the incidents and sanctions it shows, as CSV in our
//! own column names and cell notation (so `osce-report` reads them back), each person's name as
//! the audience shows it, exactly as on the page.

use crate::figure::{Figure, Kind};
use crate::input::audience::Audience;
use crate::input::incident::{COUNT_COLUMNS, Incident};
use crate::input::sanction::Sanction;
use crate::locale::Words;
use crate::template::redact;
use crate::vocabulary::Vocabulary;

/// The columns of the attached incident list, in order.
const INCIDENT_HEADER: [&str; 7] = ["id", "date", "date_end", "city", "place", "kind", "permit"];

/// The incidents, in the order given, as `incidents.csv` (UTF-8, comma-separated, a header row;
/// counts as written in an input cell: `28`, `~1000`, `>5000`, `<1000`, `200-2000`, blank).
pub fn incidents_csv<'a>(incidents: impl IntoIterator<Item = &'a Incident>) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = INCIDENT_HEADER.iter().chain(&COUNT_COLUMNS).chain(&["summary", "sources"]);
    write(&mut out, header.map(|h| h.to_string()));
    for i in incidents {
        let mut row = vec![
            i.id.clone(),
            i.date.to_string(),
            i.date_end.map(|d| d.to_string()).unwrap_or_default(),
            i.city.clone(),
            i.place.clone(),
            i.kind.word().to_string(),
            i.permit.word().to_string(),
        ];
        row.extend(i.counts.iter().map(cell));
        row.push(i.summary.clone());
        row.push(i.sources.join("; "));
        write(&mut out, row);
    }
    out.into_inner().unwrap_or_default()
}

/// The sanctions, in the order given, as `sanctions.csv`; each person's name shown as
/// `audience` shows it (initials, or the withheld label in its language).
pub fn sanctions_csv<'a>(sanctions: impl IntoIterator<Item = &'a Sanction>, audience: &Audience) -> Vec<u8> {
    let withheld = Words::new(audience.config.language).label("person-withheld");
    let mut out = csv::Writer::from_writer(Vec::new());
    write(&mut out, ["incident", "date", "person", "kind", "amount", "days", "note"].map(String::from));
    for s in sanctions {
        write(
            &mut out,
            [
                s.incident.clone(),
                s.date.map(|d| d.to_string()).unwrap_or_default(),
                s.person.as_deref().map(|p| redact::show(p, audience.redact, withheld)).unwrap_or_default(),
                s.kind.word().to_string(),
                s.amount.map(|a| a.to_string()).unwrap_or_default(),
                s.days.map(|d| d.to_string()).unwrap_or_default(),
                s.note.clone(),
            ],
        );
    }
    out.into_inner().unwrap_or_default()
}

/// Writes one record to a writer in memory, which cannot fail.
fn write(out: &mut csv::Writer<Vec<u8>>, record: impl IntoIterator<Item = String>) {
    out.write_record(record).expect("writing CSV into memory cannot fail");
}

/// One incident's count as an input cell says it: `28`, `~1000`, `>5000`, `<1000`,
/// `200-2000` (`~200-2000` when approximate), blank when unknown.
fn cell(f: &Figure) -> String {
    let low = f.low();
    let high = f.high().unwrap_or(low);
    match f.kind() {
        Kind::Unknown => String::new(),
        Kind::Exact => low.to_string(),
        Kind::About => format!("~{low}"),
        // A single cell is never "at least" (that is a sum with blank parts); said as its bound.
        Kind::More | Kind::AtLeast => format!(">{low}"),
        Kind::Less => format!("<{high}"),
        Kind::Range if f.is_approx() => format!("~{low}-{high}"),
        Kind::Range => format!("{low}-{high}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_written_as_its_cell_was() {
        for text in ["28", "~1000", ">5000", "<1000", "200-2000", ""] {
            assert_eq!(cell(&Figure::parse(text).unwrap()), text, "{text:?}");
        }
    }
}

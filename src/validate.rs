//! Checks across tables: duplicate ids, sanctions that point nowhere, dates outside the period,
//! figures that contradict each other, sources that are names rather than links.
//!
//! The checks run while the rows stream past, so a large file is never held as rows: an index of
//! incident ids keeps only what the checks need of each incident.

use hashbrown::HashTable;

use crate::diagnostic::{Diagnostic, Place, excerpt, typo_of};
use crate::input::config::Config;
use crate::input::incident::IncidentRow;
use crate::input::sanction::SanctionRow;
use crate::input::table::Cell;
use crate::locale::Words;
use crate::vocabulary::SanctionKind;

/// What the checks keep of one incident id: 48 bytes and the id's text, so a million incidents
/// stay well under 100 MB.
#[derive(Debug)]
struct Entry {
    /// Where the id's text is in [`IdIndex::text`].
    start: usize,
    /// Its length in bytes.
    len: u32,
    /// The line the id is first used on.
    line: u32,
    /// The incident's `fined` and `arrested` counts at most (`u64::MAX`: no upper bound) and
    /// where those cells are, when its row was read without errors.
    limits: Option<[Limit; 2]>,
    /// Fines and arrests the sanctions list has for it.
    listed: [u32; 2],
}

/// An incident's count at most (`u64::MAX`: no upper bound) and where its cell is: field, line
/// and character column.
#[derive(Debug, Clone, Copy)]
struct Limit {
    high: u64,
    field: u32,
    line: u32,
    column: u32,
}

/// The sanction kinds counted against an incident's counts, with those counts' columns.
const LISTED: [(SanctionKind, &str); 2] = [(SanctionKind::Fine, "fined"), (SanctionKind::Arrest, "arrested")];

/// Every incident id of the report, and the cross-table problems found so far.
#[derive(Debug, Default)]
pub struct IdIndex {
    /// Every id, one after another.
    text: String,
    /// One entry per id, in the order first used.
    entries: Vec<Entry>,
    /// Positions in `entries` and 32 bits of their id's hash, by that hash: growing the table
    /// and most misses need only these 8 bytes, not the entry and its text.
    table: HashTable<(u32, u32)>,
    /// The last id a sanction was looked up by and its entry: sanctions of one incident are
    /// usually listed together.
    last: Option<usize>,
    /// Sanctions whose incident is not listed (errors).
    unknown: Vec<Diagnostic>,
    /// Warnings about an incident's own figures, with its line and an order within the line.
    contradictions: Vec<(usize, usize, Diagnostic)>,
    /// The headers of the `fined` and `arrested` columns as the incidents file writes them.
    headers: [Option<String>; 2],
    /// The incidents' sheet, when they come from a workbook.
    sheet: Option<String>,
}

/// 32 bits of an id's hash: fast, and the same in every run (nothing here depends on order).
fn hash(id: &str) -> u32 {
    use std::hash::BuildHasher;
    (foldhash::fast::FixedState::default().hash_one(id) >> 32) as u32
}

/// The table's hash of an entry, spread from its 32 stored bits.
fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl IdIndex {
    /// The id of an entry.
    fn id(&self, e: &Entry) -> &str {
        &self.text[e.start..e.start + e.len as usize]
    }

    /// The entry of `id`, if the incident list has it.
    fn find(&self, id: &str) -> Option<usize> {
        self.find_hashed(id, hash(id))
    }

    /// The entry of `id`, whose hash is `h`.
    fn find_hashed(&self, id: &str, h: u32) -> Option<usize> {
        let (text, entries) = (&self.text, &self.entries);
        let is = |&(i, eh): &(u32, u32)| {
            let e = &entries[i as usize];
            eh == h && text.get(e.start..e.start + e.len as usize) == Some(id)
        };
        self.table.find(spread(h), is).map(|&(i, _)| i as usize)
    }

    /// Records an incident row's id (also of a row with bad cells, so a sanction pointing at it
    /// is not reported a second time). A repeated id is an error; returns whether the id is new.
    pub fn incident(
        &mut self,
        file: &str,
        id: &Cell,
        incident: Option<&IncidentRow>,
        problems: &mut Vec<Diagnostic>,
    ) -> bool {
        let key: &str = match incident {
            Some(i) => &i.id,
            None if id.column == 0 => return true,
            None => id.text,
        };
        let h = hash(key);
        if let Some(first) = self.find_hashed(key, h) {
            if id.column > 0 {
                let first = self.entries[first].line;
                problems.push(id.error(file, format!("is a duplicate id, first used on line {first}")));
            }
            return false;
        }
        let limits = incident.map(|i| self.limits(i));
        let position = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        self.entries.push(Entry {
            start: self.text.len(),
            len: key.len() as u32,
            line: id.line as u32,
            limits,
            listed: [0, 0],
        });
        self.text.push_str(key);
        self.table.insert_unique(spread(h), (position, h), |&(_, h)| spread(h));
        if let Some(i) = incident {
            self.detained_check(file, i);
        }
        true
    }

    /// Where an incident's `fined` and `arrested` cells are and what they allow at most (the
    /// place is worked out only for a count with an upper bound, which can be contradicted).
    fn limits(&mut self, incident: &IncidentRow) -> [Limit; 2] {
        let fields = LISTED.map(|(_, count)| incident.count_column(count));
        let highs = LISTED.map(|(_, count)| incident.count(count).high().unwrap_or(u64::MAX));
        let places = if highs.iter().any(|&h| h < u64::MAX) {
            incident.raw.line_columns(fields)
        } else {
            [(incident.line, 0); 2]
        };
        for (k, &field) in fields.iter().enumerate() {
            if self.headers[k].is_none() {
                self.headers[k] = incident.raw.header(field).map(str::to_string);
            }
        }
        if self.sheet.is_none() {
            self.sheet = incident.raw.sheet.map(str::to_string);
        }
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        [0, 1].map(|k| Limit {
            high: highs[k],
            field: narrow(fields[k]),
            line: narrow(places[k].0),
            column: narrow(places[k].1),
        })
    }

    /// More fined plus arrested than detained, when all three are exact, is a warning.
    fn detained_check(&mut self, file: &str, incident: &IncidentRow) {
        let exact = |name| incident.count(name).exact_value();
        if let (Some(d), Some(f), Some(a)) = (exact("detained"), exact("fined"), exact("arrested"))
            && f + a > d
        {
            let warning = Diagnostic::warning_at(
                file,
                incident.raw.place(incident.count_column("detained")),
                format!("`{}`: {f} fined and {a} arrested, but only {d} detained", incident.id),
            );
            self.contradictions.push((incident.line, 2, warning));
        }
    }

    /// Counts a sanction against its incident; a sanction whose incident id is not listed is an
    /// error (checked only when `check_ids`: the incident list could be read).
    pub fn sanction(&mut self, file: &str, s: &SanctionRow, check_ids: bool) {
        let found = match self.last {
            Some(i) if self.id(&self.entries[i]) == s.incident => Some(i),
            _ => self.find(s.incident),
        };
        self.last = found.or(self.last);
        match found {
            Some(i) => {
                if let Some(k) = LISTED.iter().position(|(kind, _)| *kind == s.kind) {
                    self.entries[i].listed[k] = self.entries[i].listed[k].saturating_add(1);
                }
            }
            None if check_ids => {
                let mut problem = Diagnostic::error_at(
                    file,
                    s.raw.place(s.incident_column),
                    format!("`incident`: `{}` is not an id in the incident list", excerpt(s.incident)),
                );
                // A suggestion compares with every id: only for the first problems, which are shown.
                let suggest = self.unknown.len() < crate::diagnostic::SHOWN_PROBLEMS;
                let ids = self.entries.iter().map(|e| self.id(e));
                if let Some(close) = suggest.then(|| typo_of(s.incident, ids)).flatten() {
                    problem = problem.with_hint(format!("did you mean `{close}`?"));
                }
                self.unknown.push(problem);
            }
            None => {}
        }
    }

    /// Whether the incident list names `id`.
    pub fn contains(&self, id: &str) -> bool {
        self.find(id).is_some()
    }

    /// Every id, in the order first used (for a suggestion when a narrative names a wrong one).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| self.id(e))
    }

    /// The cross-table problems, in the order a reader fixes them: sanctions pointing nowhere,
    /// then incidents whose figures disagree with the sanctions list or with each other.
    pub fn finish(mut self, incidents_file: &str) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        for entry in &self.entries {
            let Some(limits) = entry.limits else { continue };
            for (k, ((kind, count_name), limit)) in LISTED.iter().zip(limits).enumerate() {
                let (listed, high) = (u64::from(entry.listed[k]), limit.high);
                if listed > high {
                    let id = self.id(entry);
                    let place = Place {
                        line: limit.line as usize,
                        column: limit.column as usize,
                        field: Some(limit.field as usize),
                        header: self.headers[k].clone(),
                        snippet: None,
                        sheet: self.sheet.clone(),
                    };
                    let warning = Diagnostic::warning_at(
                        incidents_file,
                        place,
                        format!(
                            "`{count_name}` of `{id}` is {high} but the sanctions list has {listed} {kind}s for it"
                        ),
                    );
                    self.contradictions.push((entry.line as usize, k, warning));
                }
            }
        }
        self.contradictions.sort_by_key(|(line, order, _)| (*line, *order));
        (self.unknown, self.contradictions.into_iter().map(|(_, _, d)| d).collect())
    }
}

/// An incident dated outside the report's period is a warning.
pub struct Period {
    start: crate::date::Date,
    end: crate::date::Date,
    text: String,
}

impl Period {
    /// The report's period.
    pub fn new(config: &Config) -> Self {
        let words = Words::new(config.language);
        let text = words.period(config.period_start, config.period_end).replace('\u{a0}', " ");
        Self { start: config.period_start, end: config.period_end, text }
    }

    /// The warning for an incident outside the period, if it is.
    pub fn check(&self, file: &str, incident: &IncidentRow) -> Option<Diagnostic> {
        (!incident.date.within(self.start, self.end)).then(|| {
            Diagnostic::warning_at(
                file,
                incident.raw.place(incident.date_column),
                format!("`date`: `{}` is outside the report period ({})", excerpt(incident.date_text), self.text),
            )
        })
    }
}

/// Entries of the `sources` cells that are names (`Interfax`), not links: counted over the file
/// and reported once, at the first of them, so a 400-row export gives one warning, not 400.
#[derive(Debug, Default)]
pub struct SourceNames {
    /// Entries that are names.
    entries: usize,
    /// Rows with at least one.
    rows: usize,
    /// The first names, to quote.
    examples: Vec<String>,
    /// Where the first of them is.
    first: Option<Place>,
}

impl SourceNames {
    /// Counts the names in one incident's `sources` cell.
    pub fn incident(&mut self, incident: &IncidentRow) {
        let names = crate::input::reference::entries(incident.sources)
            .into_iter()
            .filter(|e| crate::input::reference::link_of(e).is_none());
        let before = self.entries;
        for name in names {
            self.entries += 1;
            if self.examples.len() < 3 && !self.examples.iter().any(|e| e == name) {
                self.examples.push(excerpt(name));
            }
        }
        if self.entries > before {
            self.rows += 1;
            self.first.get_or_insert_with(|| incident.raw.place(incident.sources_column));
        }
    }

    /// The one warning for the file, if any entry was a name.
    pub fn finish(self, file: &str) -> Option<Diagnostic> {
        let place = self.first?;
        let (entries, rows) = (self.entries, self.rows);
        let (entries_word, rows_word) =
            (if entries == 1 { "entry" } else { "entries" }, if rows == 1 { "row" } else { "rows" });
        let (is, names) =
            if entries == 1 { ("is a name, not a link", "it is") } else { ("are names, not links", "they are") };
        let message = format!(
            "`sources`: {entries} {entries_word} in {rows} {rows_word} {is} (`{}`); {names} shown as text",
            self.examples.join("`, `")
        );
        Some(
            Diagnostic::warning_at(file, place, message).with_hint(
                "a link is a web address (https://…); a name is kept and shown as written, never made a link",
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::source::Source;
    use crate::input::{incident, sanction};

    /// The cross-table problems of two tables, as a report finds them: every incident's id
    /// recorded as it is read, every sanction counted against its incident, then the check.
    fn problems(incidents: &str, sanctions: &str) -> Vec<Diagnostic> {
        let mut index = IdIndex::default();
        let mut found = Vec::new();
        let source = Source::plain("incidents.csv");
        let read = incident::read(&mut incidents.as_bytes(), &source, |row, problems| {
            index.incident("incidents.csv", &row.id, row.incident.as_ref(), problems);
        })
        .unwrap();
        found.extend(read.problems);
        let source = Source::plain("sanctions.csv");
        let read = sanction::read(&mut sanctions.as_bytes(), &source, |s, _| index.sanction("sanctions.csv", s, true))
            .unwrap();
        found.extend(read.problems);
        let (unknown, contradictions) = index.finish("incidents.csv");
        found.extend(unknown);
        found.extend(contradictions);
        found
    }

    const INCIDENTS: &str = "id,date,kind,detained,fined,arrested\n\
        a,2012-02-25,rally,5,1,1\n\
        b,2012-03-01,picket,1,2,0\n\
        a,2012-03-02,rally,,,\n";

    #[test]
    fn a_repeated_id_is_an_error_at_its_cell_naming_the_first_line() {
        let found = problems(INCIDENTS, "incident,kind\n");
        let duplicate = found.iter().find(|d| d.message.contains("duplicate")).expect("a duplicate");
        assert_eq!((duplicate.line, duplicate.column, duplicate.field), (4, 1, Some(1)));
        assert_eq!(duplicate.message, "`id`: `a` is a duplicate id, first used on line 2");
    }

    #[test]
    fn a_sanction_for_an_unknown_incident_is_an_error_at_its_cell() {
        let found = problems(INCIDENTS, "incident,kind\nb,fine\nbb,fine\n");
        let unknown: Vec<&Diagnostic> = found.iter().filter(|d| d.is_error() && d.file == "sanctions.csv").collect();
        assert_eq!(unknown.len(), 1, "{found:?}");
        assert_eq!((unknown[0].line, unknown[0].column, unknown[0].header.as_deref()), (3, 1, Some("incident")));
        // A short id is not taken for a slip of another (`bb` is not offered `b`); a long one is
        // (tests/integration.rs: `2012-05-31-memorail`).
        assert_eq!(unknown[0].hint.as_deref(), None);
    }

    #[test]
    fn more_listed_sanctions_than_an_incidents_count_is_a_warning_at_that_count() {
        // `b` says 2 fined, the list has 3 fines: a warning at `fined` (field 5) of line 3.
        let found = problems(INCIDENTS, "incident,kind\nb,fine\nb,fine\nb,fine\n");
        let warning = found.iter().find(|d| d.message.contains("sanctions list has 3 fines")).expect("a warning");
        assert!(!warning.is_error());
        assert_eq!((warning.file.as_str(), warning.line, warning.column), ("incidents.csv", 3, 23));
        assert_eq!((warning.field, warning.header.as_deref()), (Some(5), Some("fined")));
    }

    #[test]
    fn more_fined_and_arrested_than_detained_is_a_warning_only_when_all_are_exact() {
        let found = problems(
            "id,date,kind,detained,fined,arrested\nx,2012-01-01,rally,1,1,1\ny,2012-01-01,rally,~1,1,1\n",
            "incident,kind\n",
        );
        let warnings: Vec<&Diagnostic> = found.iter().filter(|d| d.message.contains("only")).collect();
        assert_eq!(warnings.len(), 1, "{found:?}");
        assert_eq!((warnings[0].line, warnings[0].field), (2, Some(4)));
        assert_eq!(warnings[0].message, "`x`: 1 fined and 1 arrested, but only 1 detained");
    }

    #[test]
    fn names_in_sources_are_one_warning_with_their_count_at_the_first() {
        // An ACLED export's `source` holds outlets' names: 1,092 link annotations to nowhere
        // and no warning; now one warning for the file.
        let csv = "id,date,kind,sources\n\
            a,2018-01-28,rally,ITAR-TASS\n\
            b,2018-01-28,rally,https://ovd.info/1\n\
            c,2018-01-28,rally,Local Source; Interfax\n";
        let mut names = SourceNames::default();
        incident::read(&mut csv.as_bytes(), &Source::plain("acled.csv"), |row, _| {
            names.incident(row.incident.as_ref().unwrap());
        })
        .unwrap();
        let warning = names.finish("acled.csv").expect("a warning");
        assert!(!warning.is_error());
        assert_eq!((warning.line, warning.field), (2, Some(4)));
        assert_eq!(
            warning.message,
            "`sources`: 3 entries in 2 rows are names, not links (`ITAR-TASS`, `Local Source`, `Interfax`); they are shown as text"
        );
        assert!(SourceNames::default().finish("x.csv").is_none());
    }
}

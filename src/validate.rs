//! Checks across tables: duplicate ids, sanctions that point nowhere, dates outside the period,
//! figures that contradict each other.
//!
//! The checks run while the rows stream past, so a large file is never held as rows: an index of
//! incident ids keeps only what the checks need of each incident.

use hashbrown::HashTable;

use crate::diagnostic::{Diagnostic, did_you_mean, excerpt};
use crate::input::config::Config;
use crate::input::incident::IncidentRow;
use crate::input::sanction::SanctionRow;
use crate::input::table::Cell;
use crate::locale::Words;

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
    /// their columns, when its row was read without errors.
    limits: Option<[(u64, u32); 2]>,
    /// Fines and arrests the sanctions list has for it.
    listed: [u32; 2],
}

/// The sanction kinds counted against an incident's counts, with those counts' columns.
const LISTED: [(&str, &str); 2] = [("fine", "fined"), ("arrest", "arrested")];

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
        let limits = incident.map(|i| {
            LISTED.map(|(_, count)| (i.count(count).high().unwrap_or(u64::MAX), i.count_column(count) as u32))
        });
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

    /// More fined plus arrested than detained, when all three are exact, is a warning.
    fn detained_check(&mut self, file: &str, incident: &IncidentRow) {
        let exact = |name| incident.count(name).exact_value();
        if let (Some(d), Some(f), Some(a)) = (exact("detained"), exact("fined"), exact("arrested"))
            && f + a > d
        {
            let warning = Diagnostic::cell_warning(
                file,
                incident.line,
                incident.count_column("detained"),
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
                let mut problem = Diagnostic::cell_error(
                    file,
                    s.line,
                    s.incident_column,
                    format!("`incident`: `{}` is not an id in the incident list", excerpt(s.incident)),
                );
                // A suggestion compares with every id: only for the first problems, which are shown.
                let suggest = self.unknown.len() < crate::diagnostic::SHOWN_PROBLEMS;
                let ids = self.entries.iter().map(|e| self.id(e));
                if let Some(close) = suggest.then(|| did_you_mean(s.incident, ids)).flatten() {
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
            for (k, ((kind, count_name), (high, column))) in LISTED.iter().zip(limits).enumerate() {
                let listed = u64::from(entry.listed[k]);
                if listed > high {
                    let (id, line) = (self.id(entry), entry.line as usize);
                    let warning = Diagnostic::cell_warning(
                        incidents_file,
                        line,
                        column as usize,
                        format!(
                            "`{count_name}` of `{id}` is {high} but the sanctions list has {listed} {kind}s for it"
                        ),
                    );
                    self.contradictions.push((line, k, warning));
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
            Diagnostic::cell_warning(
                file,
                incident.line,
                incident.date_column,
                format!("`date`: `{}` is outside the report period ({})", incident.date, self.text),
            )
        })
    }
}

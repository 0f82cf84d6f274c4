//! The figures a report shows, computed from the rows: totals, by kind, by month, by city, fines
//! and arrests, and the comparison with the figures the author states for the period.
//!
//! Each figure keeps the ids of the incidents it came from, so a reader can check it.

use std::collections::{BTreeMap, HashMap};

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::figure::Figure;
use crate::input::config::{Config, StatedFigure};
use crate::input::incident::{COUNT_COLUMNS, Incident};
use crate::input::sanction::Sanction;
use crate::vocabulary::{IncidentKind, SanctionKind, StatedKey, Vocabulary};

/// A figure and the incidents behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// The sum so far.
    pub figure: Figure,
    /// The incidents that gave a number, as positions in the report's incident list (four bytes
    /// each, so provenance stays cheap for a million rows).
    pub rows: Vec<u32>,
}

impl Tally {
    /// Adds the figure of the incident at position `row` (`None`: provenance is not kept).
    pub fn add(&mut self, row: Option<u32>, part: Figure) {
        self.figure.add(part);
        if let (Some(row), true) = (row, part.is_known()) {
            self.rows.push(row);
        }
    }

    /// Adds another tally of other incidents.
    pub fn merge(&mut self, other: &Tally) {
        self.figure.add(other.figure);
        self.rows.extend(&other.rows);
    }
}

/// The counts of a group of incidents, in the order of [`COUNT_COLUMNS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// How many incidents.
    pub incidents: usize,
    /// Those incidents, as positions in the report's incident list.
    pub ids: Vec<u32>,
    /// One tally per count column.
    pub tallies: [Tally; 7],
}

/// `incidents` incidents alike, each with only `detained` known: a test's figures.
#[cfg(test)]
pub(crate) fn detained_only(incidents: usize, detained: Figure) -> Counts {
    let mut counts = Counts::default();
    let mut figures = [Figure::unknown(); 7];
    figures[COUNT_COLUMNS.iter().position(|c| *c == "detained").unwrap_or(0)] = detained;
    for _ in 0..incidents {
        counts.add(None, &figures);
    }
    counts
}

impl Counts {
    /// Adds the counts of the incident at position `row` (`None`: provenance is not kept).
    pub fn add(&mut self, row: Option<u32>, counts: &[Figure; 7]) {
        self.incidents += 1;
        self.ids.extend(row);
        for (tally, figure) in self.tallies.iter_mut().zip(counts) {
            tally.add(row, *figure);
        }
    }

    /// Adds the counts of other incidents.
    pub fn merge(&mut self, other: &Counts) {
        self.incidents += other.incidents;
        self.ids.extend(&other.ids);
        for (tally, part) in self.tallies.iter_mut().zip(&other.tallies) {
            tally.merge(part);
        }
    }

    /// Puts the incidents in list order (after merging groups).
    fn sort(&mut self) {
        self.ids.sort_unstable();
        for tally in &mut self.tallies {
            tally.rows.sort_unstable();
        }
    }

    /// The tally of count column `name`.
    pub fn get(&self, name: &str) -> &Tally {
        let i = COUNT_COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
        &self.tallies[i]
    }
}

/// The sums of one cell of an [`Accumulator`]: how many incidents, and the sum of each count.
#[derive(Debug, Clone, Copy, Default)]
struct CellSums {
    incidents: usize,
    figures: [Figure; 7],
}

impl CellSums {
    /// Adds the counts of an incident.
    fn add(&mut self, counts: &[Figure; 7]) {
        self.incidents += 1;
        for (sum, figure) in self.figures.iter_mut().zip(counts) {
            sum.add(*figure);
        }
    }

    /// The cell's counts, without provenance.
    fn counts(&self) -> Counts {
        Counts {
            incidents: self.incidents,
            ids: Vec::new(),
            tallies: self.figures.map(|figure| Tally { figure, rows: Vec::new() }),
        }
    }
}

/// Fines from the sanctions list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fines {
    /// How many fines are listed.
    pub count: usize,
    /// The lowest known amount.
    pub min: Option<u64>,
    /// The highest known amount.
    pub max: Option<u64>,
    /// The sum of amounts (unknown amounts make it "at least").
    pub total: Figure,
    /// How many fines have no amount.
    pub unknown_amounts: usize,
    /// Incidents the fines followed.
    pub rows: Vec<String>,
}

/// Administrative arrests from the sanctions list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Arrests {
    /// How many arrests are listed.
    pub count: usize,
    /// The shortest known term, in days.
    pub min_days: Option<u64>,
    /// The longest known term, in days.
    pub max_days: Option<u64>,
    /// The sum of terms (unknown terms make it "at least").
    pub total_days: Figure,
    /// How many arrests have no term.
    pub unknown_terms: usize,
    /// Incidents the arrests followed.
    pub rows: Vec<String>,
}

/// A figure the author states beside the one computed from the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Which figure.
    pub key: StatedKey,
    /// As stated in `report.toml`.
    pub stated: Figure,
    /// As computed from the rows.
    pub computed: Figure,
    /// The computed figure certainly goes beyond the stated one.
    pub exceeds: bool,
}

/// Every computed figure of a report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Totals over all incidents.
    pub totals: Counts,
    /// Incidents by kind, in the order of [`IncidentKind::ALL`].
    pub by_kind: Vec<(IncidentKind, Counts)>,
    /// Incidents by month, in calendar order.
    pub by_month: Vec<(Date, Counts)>,
    /// Incidents by city, in name order (empty when all are in one city).
    pub by_city: Vec<(String, Counts)>,
    /// The city of every incident, when all are in one (and `by_city` is empty).
    pub only_city: Option<String>,
    /// Fines.
    pub fines: Fines,
    /// Administrative arrests.
    pub arrests: Arrests,
    /// Stated figures beside computed ones.
    pub stated: Vec<Comparison>,
}

/// Figures being computed, one row at a time, so a large file never has to be held as rows.
///
/// Each incident is added to one cell — its kind, month and city — and the totals and groups are
/// sums of cells, made at the end: one addition per row instead of four.
#[derive(Debug, Default)]
pub struct Accumulator {
    /// Whether each figure keeps the positions of its incidents (and the fines and arrests the
    /// ids of theirs), for `summary --explain`.
    keep_rows: bool,
    /// Incidents added so far.
    added: u32,
    /// The cities met so far, each with its number (hashed: a sorted map took 3 % longer to
    /// read a million rows).
    cities: HashMap<String, u32, foldhash::fast::FixedState>,
    /// The cells, by kind (position in [`IncidentKind::ALL`]), month and city number: each
    /// cell's position in `sums` (and in `provenance`).
    cells: HashMap<(usize, Date, u32), usize, foldhash::fast::FixedState>,
    /// Each cell's sums, without provenance: 232 bytes a cell, all of them together. Every
    /// incident adds to one cell, and at a million incidents, with the sums in a hash map beside
    /// each figure's (empty) provenance, 448 bytes a cell, adding took 8 % of the samples of
    /// `summary` (perf), most of it waiting for memory.
    sums: Vec<CellSums>,
    /// Each cell's counts with their provenance, when kept (`keep_rows`; `sums` is then unused).
    provenance: Vec<Counts>,
    fines: Fines,
    arrests: Arrests,
}

impl Accumulator {
    /// An empty accumulator; `keep_rows` keeps each figure's provenance.
    pub fn new(keep_rows: bool) -> Self {
        Self { keep_rows, ..Self::default() }
    }

    /// Adds an incident (the next one in the report's incident list).
    pub fn incident(&mut self, kind: IncidentKind, date: Date, city: &str, counts: &[Figure; 7]) {
        let row = self.keep_rows.then_some(self.added);
        self.added = self.added.saturating_add(1);
        let kind = kind.index();
        let city = match self.cities.get(city) {
            Some(&n) => n,
            None => {
                let n = self.cities.len() as u32;
                self.cities.insert(city.to_string(), n);
                n
            }
        };
        let cells = self.cells.len();
        let cell = *self.cells.entry((kind, date.month_start(), city)).or_insert_with(|| {
            match self.keep_rows {
                true => self.provenance.push(Counts::default()),
                false => self.sums.push(CellSums::default()),
            }
            cells
        });
        match self.keep_rows {
            true => self.provenance[cell].add(row, counts),
            false => self.sums[cell].add(counts),
        }
    }

    /// Adds a sanction.
    pub fn sanction(&mut self, incident: &str, kind: SanctionKind, amount: Option<u64>, days: Option<u64>) {
        let rows = self.keep_rows.then_some(incident);
        add_sanction(&mut self.fines, &mut self.arrests, rows, kind, amount, days);
    }

    /// The figures, with the stated ones compared.
    pub fn finish(mut self, config: &Config) -> Summary {
        let mut totals = Counts::default();
        let mut by_kind: [Counts; 8] = Default::default();
        let mut by_month: BTreeMap<Date, Counts> = BTreeMap::new();
        let mut by_number: Vec<Counts> = vec![Counts::default(); self.cities.len()];
        for (&(kind, month, city), &at) in &self.cells {
            let cell = match self.provenance.get_mut(at) {
                Some(kept) => std::mem::take(kept),
                None => self.sums[at].counts(),
            };
            totals.merge(&cell);
            by_kind[kind].merge(&cell);
            by_month.entry(month).or_default().merge(&cell);
            by_number[city as usize].merge(&cell);
        }
        let only_city = (self.cities.len() == 1).then(|| self.cities.keys().next().cloned()).flatten();
        let mut by_city: BTreeMap<String, Counts> = BTreeMap::new();
        for (name, number) in self.cities {
            by_city.insert(name, std::mem::take(&mut by_number[number as usize]));
        }
        let groups =
            std::iter::once(&mut totals).chain(&mut by_kind).chain(by_month.values_mut()).chain(by_city.values_mut());
        groups.for_each(Counts::sort);
        fill_months(&mut by_month, config.period_start, config.period_end);
        let mut fines = self.fines;
        fines.rows = unique_in_order(fines.rows);
        let mut arrests = self.arrests;
        arrests.rows = unique_in_order(arrests.rows);
        let mut summary = Summary {
            totals,
            by_kind: IncidentKind::ALL.iter().copied().zip(by_kind).filter(|(_, c)| c.incidents > 0).collect(),
            by_month: by_month.into_iter().collect(),
            by_city: if by_city.len() > 1 { by_city.into_iter().collect() } else { Vec::new() },
            only_city,
            fines,
            arrests,
            stated: Vec::new(),
        };
        summary.stated = config.stated.iter().map(|s| summary.compare(s)).collect();
        summary
    }
}

impl Summary {
    /// Computes every figure from the incidents and sanctions, keeping their provenance.
    pub fn compute(config: &Config, incidents: &[Incident], sanctions: &[Sanction]) -> Summary {
        let mut acc = Accumulator::new(true);
        for i in incidents {
            acc.incident(i.kind, i.date, &i.city, &i.counts);
        }
        for s in sanctions {
            acc.sanction(&s.incident, s.kind, s.amount, s.days);
        }
        acc.finish(config)
    }

    /// The computed counterpart of a stated figure, and whether it goes beyond it.
    fn compare(&self, stated: &StatedFigure) -> Comparison {
        let range = |lo: Option<u64>, hi: Option<u64>| match (lo, hi) {
            (Some(lo), Some(hi)) => Figure::range(lo, hi),
            _ => Figure::unknown(),
        };
        let computed = match stated.key {
            StatedKey::Incidents => Figure::exact(self.totals.incidents as u64),
            StatedKey::Pickets => Figure::exact(self.kind_count(IncidentKind::Picket) as u64),
            StatedKey::FineAmounts => range(self.fines.min, self.fines.max),
            StatedKey::ArrestDays => range(self.arrests.min_days, self.arrests.max_days),
            key => self.totals.get(key.word()).figure,
        };
        let exceeds = match stated.key {
            StatedKey::FineAmounts | StatedKey::ArrestDays => outside(&computed, &stated.value),
            _ => computed.certainly_exceeds(&stated.value),
        };
        Comparison { key: stated.key, stated: stated.value, computed, exceeds }
    }

    /// How many incidents are of `kind`.
    pub fn kind_count(&self, kind: IncidentKind) -> usize {
        self.by_kind.iter().find(|(k, _)| *k == kind).map_or(0, |(_, c)| c.incidents)
    }

    /// A warning for each computed figure that goes beyond the one the author states.
    pub fn stated_warnings(&self, config: &Config) -> Vec<Diagnostic> {
        self.stated
            .iter()
            .zip(&config.stated)
            .filter(|(c, _)| c.exceeds)
            .map(|(c, s)| {
                Diagnostic::warning(
                    crate::input::config::CONFIG_FILE,
                    s.position.0,
                    s.position.1,
                    format!(
                        "`stated.{}`: the incidents listed give {} but the stated figure is {}",
                        c.key.word().replace('-', "_"),
                        plain(&c.computed),
                        plain(&c.stated)
                    ),
                )
                .with_hint("check the rows, or the stated figure for the period")
            })
            .collect()
    }
}

/// Adds a sanction to the fines or the arrests; `incident` is kept as its provenance when given.
fn add_sanction(
    fines: &mut Fines,
    arrests: &mut Arrests,
    incident: Option<&str>,
    kind: SanctionKind,
    amount: Option<u64>,
    days: Option<u64>,
) {
    let (count, min, max, total, unknown, rows, value) = match kind {
        SanctionKind::Fine => {
            let f = fines;
            (&mut f.count, &mut f.min, &mut f.max, &mut f.total, &mut f.unknown_amounts, &mut f.rows, amount)
        }
        SanctionKind::Arrest => {
            let a = arrests;
            (&mut a.count, &mut a.min_days, &mut a.max_days, &mut a.total_days, &mut a.unknown_terms, &mut a.rows, days)
        }
        _ => return,
    };
    *count += 1;
    rows.extend(incident.map(str::to_string));
    match value {
        Some(v) => {
            *min = Some(min.map_or(v, |m| m.min(v)));
            *max = Some(max.map_or(v, |m| m.max(v)));
            total.add(Figure::exact(v));
        }
        None => {
            *unknown += 1;
            total.add(Figure::unknown());
        }
    }
}

/// The figures of one incident: its own counts and the sanctions listed for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentFigures {
    /// Its count cells, in the order of [`COUNT_COLUMNS`].
    pub counts: [Figure; 7],
    /// The fines listed for it.
    pub fines: Fines,
    /// The administrative arrests listed for it.
    pub arrests: Arrests,
}

impl IncidentFigures {
    /// The figures of an incident with these counts, before any sanction is added.
    pub fn new(counts: &[Figure; 7]) -> Self {
        Self { counts: *counts, ..Self::default() }
    }

    /// Adds a sanction listed for this incident.
    pub fn sanction(&mut self, kind: SanctionKind, amount: Option<u64>, days: Option<u64>) {
        add_sanction(&mut self.fines, &mut self.arrests, None, kind, amount, days);
    }
}

/// Above this many incidents, a report keeps the figures of single incidents only for those the
/// narrative names: the figures file of a large report stays small.
pub const PER_INCIDENT_LIMIT: usize = 200;

/// The figures of single incidents, made while the rows stream past: of every incident while
/// the report has at most [`PER_INCIDENT_LIMIT`], and always of those the narrative names.
#[derive(Debug, Default)]
pub struct PerIncident {
    /// The ids the narrative names.
    named: std::collections::HashSet<String>,
    /// Incidents seen so far.
    seen: usize,
    /// The figures kept, by id.
    figures: BTreeMap<String, IncidentFigures>,
}

impl PerIncident {
    /// Keeps the figures of the incidents `named` (and of every one while there are few).
    pub fn new(named: std::collections::HashSet<String>) -> Self {
        Self { named, ..Self::default() }
    }

    /// Adds an incident.
    pub fn incident(&mut self, id: &str, counts: &[Figure; 7]) {
        self.seen += 1;
        if self.seen == PER_INCIDENT_LIMIT + 1 {
            let named = &self.named;
            self.figures.retain(|id, _| named.contains(id));
        }
        if self.seen <= PER_INCIDENT_LIMIT || (!self.named.is_empty() && self.named.contains(id)) {
            self.figures.insert(id.to_string(), IncidentFigures::new(counts));
        }
    }

    /// Adds a sanction to its incident, if that incident's figures are kept.
    pub fn sanction(&mut self, incident: &str, kind: SanctionKind, amount: Option<u64>, days: Option<u64>) {
        if let Some(figures) = self.figures.get_mut(incident) {
            figures.sanction(kind, amount, days);
        }
    }

    /// The figures kept, by id.
    pub fn finish(self) -> BTreeMap<String, IncidentFigures> {
        self.figures
    }
}

/// How the months of a period are grouped for a table or chart: by month, quarter or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bin {
    /// One group a month.
    Month,
    /// One group a calendar quarter (January–March, …).
    Quarter,
    /// One group a calendar year.
    Year,
}

impl Bin {
    /// The finest grouping that gives at most `max` groups from `start` to `end` (years when
    /// even those are more).
    pub fn for_period(start: Date, end: Date, max: usize) -> Bin {
        [Bin::Month, Bin::Quarter].into_iter().find(|bin| bin.groups(start, end) <= max).unwrap_or(Bin::Year)
    }

    /// How many groups cover `start..=end`.
    pub fn groups(self, start: Date, end: Date) -> usize {
        let (a, b) = (self.start(start), self.start(end));
        let months = (i64::from(b.year) - i64::from(a.year)) * 12 + i64::from(b.month) - i64::from(a.month);
        (months.max(0) as usize) / self.months() + 1
    }

    /// The first month of the group `date` falls in.
    pub fn start(self, date: Date) -> Date {
        let month = match self {
            Bin::Month => date.month,
            Bin::Quarter => (date.month - 1) / 3 * 3 + 1,
            Bin::Year => 1,
        };
        Date { year: date.year, month, day: None }
    }

    /// The first month of the group after the one starting at `start`.
    pub fn next(self, start: Date) -> Date {
        let month = u32::from(start.month) - 1 + self.months() as u32;
        Date { year: start.year + (month / 12) as i32, month: (month % 12) as u8 + 1, day: None }
    }

    /// How many months a group spans.
    fn months(self) -> usize {
        match self {
            Bin::Month => 1,
            Bin::Quarter => 3,
            Bin::Year => 12,
        }
    }
}

/// The incidents of a period in groups of months, and those dated outside the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binned {
    /// How the months are grouped.
    pub bin: Bin,
    /// Each group's first month and counts, every group of the period in calendar order (quiet
    /// ones with zero incidents).
    pub groups: Vec<(Date, Counts)>,
    /// The incidents dated before or after the period, in none of the groups.
    pub outside: Counts,
}

/// Cities in order of how many incidents each had, and the rest summed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedCities<'a> {
    /// The cities with the most incidents (ties in name order), at most the number asked for.
    pub top: Vec<(&'a str, &'a Counts)>,
    /// How many other cities, and their incidents' counts together (none when there are none).
    pub others: Option<(usize, Counts)>,
}

impl Summary {
    /// The incidents from `start` to `end` in at most `max` groups of months (see
    /// [`Bin::for_period`]); incidents dated outside go to `outside`.
    pub fn binned(&self, start: Date, end: Date, max: usize) -> Binned {
        let bin = Bin::for_period(start, end, max);
        let mut groups: BTreeMap<Date, Counts> = BTreeMap::new();
        let mut group = bin.start(start);
        while group <= bin.start(end) {
            groups.insert(group, Counts::default());
            group = bin.next(group);
        }
        let mut outside = Counts::default();
        for (month, counts) in &self.by_month {
            let inside = month.within(start, end);
            match groups.get_mut(&bin.start(*month)).filter(|_| inside) {
                Some(group) => group.merge(counts),
                None => outside.merge(counts),
            }
        }
        let mut groups: Vec<(Date, Counts)> = groups.into_iter().collect();
        groups.iter_mut().for_each(|(_, c)| c.sort());
        outside.sort();
        Binned { bin, groups, outside }
    }

    /// The `n` cities with the most incidents, and the others summed up.
    pub fn cities_ranked(&self, n: usize) -> RankedCities<'_> {
        let mut cities: Vec<(&str, &Counts)> = self.by_city.iter().map(|(name, c)| (name.as_str(), c)).collect();
        cities.sort_by(|a, b| b.1.incidents.cmp(&a.1.incidents).then(a.0.cmp(b.0)));
        let rest = cities.split_off(n.min(cities.len()));
        let others = (!rest.is_empty()).then(|| {
            let mut sum = Counts::default();
            rest.iter().for_each(|(_, c)| sum.merge(c));
            sum.sort();
            (rest.len(), sum)
        });
        RankedCities { top: cities, others }
    }
}

/// How many incidents [`Leaders`] keeps in each ranking.
pub const LEADERS: usize = 10;

/// The incidents with the most people detained and with the most people sanctioned (fined plus
/// administratively arrested, as the incident rows give them), kept while the rows stream past:
/// at most [`LEADERS`] of each, however long the list.
#[derive(Debug, Clone, Default)]
pub struct Leaders {
    /// Incidents added so far (the order breaks ties: the earlier row first).
    seen: u64,
    /// By people detained (the figure's lower bound), most first.
    detained: Vec<(u64, u64, Incident)>,
    /// By people fined plus arrested (lower bounds), most first.
    sanctioned: Vec<(u64, u64, Incident)>,
}

impl Leaders {
    /// Adds the next incident, whose counts are `counts`; `incident` makes its owned copy, called
    /// only when it enters a ranking.
    pub fn incident(&mut self, counts: &[Figure; 7], incident: impl Fn() -> Incident) {
        let low = |name: &str| {
            let f = counts[COUNT_COLUMNS.iter().position(|c| *c == name).unwrap_or(0)];
            if f.is_known() { f.low() } else { 0 }
        };
        let seen = self.seen;
        self.seen += 1;
        rank(&mut self.detained, low("detained"), seen, &incident);
        rank(&mut self.sanctioned, low("fined") + low("arrested"), seen, &incident);
    }

    /// The incidents with the most people detained, most first (only those with some).
    pub fn detained(&self) -> impl Iterator<Item = &Incident> {
        self.detained.iter().map(|(_, _, i)| i)
    }

    /// The incidents with the most people fined or arrested, most first (only those with some).
    pub fn sanctioned(&self) -> impl Iterator<Item = &Incident> {
        self.sanctioned.iter().map(|(_, _, i)| i)
    }
}

/// Puts an incident with this `key` into a ranking kept to [`LEADERS`] places, if it belongs.
fn rank(ranking: &mut Vec<(u64, u64, Incident)>, key: u64, seen: u64, incident: &impl Fn() -> Incident) {
    if key == 0 || (ranking.len() == LEADERS && ranking.last().is_some_and(|(k, _, _)| *k >= key)) {
        return;
    }
    let at = ranking.partition_point(|(k, s, _)| (*k, std::cmp::Reverse(*s)) > (key, std::cmp::Reverse(seen)));
    ranking.insert(at, (key, seen, incident()));
    ranking.truncate(LEADERS);
}

/// Adds the months of the period without incidents, so a table or chart by month shows the quiet
/// months too (as zero incidents, with no figures).
fn fill_months(by_month: &mut BTreeMap<Date, Counts>, start: Date, end: Date) {
    if by_month.is_empty() {
        return;
    }
    // Only the period's own months are filled: an incident dated outside it shows its month,
    // but the quiet months between it and the period are no part of the report.
    let mut month = start.month_start();
    while month <= end.month_start() {
        by_month.entry(month).or_default();
        month = Bin::Month.next(month);
    }
}

/// Whether a computed range of values lies partly outside a stated range.
fn outside(computed: &Figure, stated: &Figure) -> bool {
    if !computed.is_known() || !stated.is_known() {
        return false;
    }
    computed.low() < stated.low() || matches!((computed.high(), stated.high()), (Some(c), Some(s)) if c > s)
}

/// A figure for a terminal message ("~100", ">20", "10-18").
fn plain(f: &Figure) -> String {
    use crate::figure::Kind;
    let (lo, hi) = (f.low(), f.high().unwrap_or(0));
    match f.kind() {
        Kind::Exact => lo.to_string(),
        Kind::About => format!("~{lo}"),
        Kind::More => format!(">{lo}"),
        Kind::AtLeast => format!("at least {lo}"),
        Kind::Less => format!("<{hi}"),
        Kind::Range => format!("{lo}-{hi}"),
        Kind::Unknown => "unknown".into(),
    }
}

/// The ids without repeats, each where it first appeared.
fn unique_in_order(ids: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().filter(|id| seen.insert(id.clone())).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::figure::Kind;
    use crate::report::{Keep, Report};

    /// The example report, whose figures were counted by hand from `data/kazakhstan-2012`.
    fn example() -> Report {
        Report::load_with(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/kazakhstan-2012"), Keep::Rows).unwrap()
    }

    #[test]
    fn example_totals_match_the_hand_count() {
        let r = example();
        let t = &r.summary.totals;
        assert_eq!(t.incidents, 14);
        // Participants: ~1000 + ~1500 + ~1500 + <1000; ten incidents give no figure.
        let p = t.get("participants").figure;
        assert_eq!((p.kind(), p.low(), p.is_approx(), p.unknown_parts()), (Kind::AtLeast, 4000, true, 10));
        // Detained: 28 + ~10 + ~20, from three incidents.
        let d = t.get("detained");
        assert_eq!((d.figure.low(), d.figure.is_approx()), (58, true));
        let ids: Vec<&str> = d.rows.iter().map(|&i| r.kept().unwrap().incidents[i as usize].id.as_str()).collect();
        assert_eq!(ids, ["2012-02-25-rally", "2012-03-24-rally", "2012-04-28-rally"]);
        // Fined 2 + 3 + 2 + 4 and arrested 3 + 2 + 2 + 2 + 1, exact parts plus unknown ones.
        assert_eq!((t.get("fined").figure.kind(), t.get("fined").figure.low()), (Kind::AtLeast, 11));
        assert_eq!((t.get("arrested").figure.kind(), t.get("arrested").figure.low()), (Kind::AtLeast, 10));
    }

    #[test]
    fn example_sanctions_match_the_hand_count() {
        let r = example();
        let f = &r.summary.fines;
        // 2 (Jan) + 3 (Feb) + 2 (Mar) + 4 (Apr) + 1 (May, the only known amount).
        assert_eq!((f.count, f.min, f.max, f.unknown_amounts), (12, Some(80900), Some(80900), 11));
        assert_eq!((f.total.kind(), f.total.low()), (Kind::AtLeast, 80900));
        let a = &r.summary.arrests;
        // 3 (Jan) + 2 (Feb) + 2 (Mar, terms unknown) + 3 (Apr); eight known terms of 15 days.
        assert_eq!((a.count, a.min_days, a.max_days, a.unknown_terms), (10, Some(15), Some(15), 2));
        assert_eq!((a.total_days.kind(), a.total_days.low()), (Kind::AtLeast, 120));
    }

    #[test]
    fn example_groups_by_kind_and_month() {
        let r = example();
        let kinds: Vec<(&str, usize)> = r.summary.by_kind.iter().map(|(k, c)| (k.word(), c.incidents)).collect();
        assert_eq!(
            kinds,
            [
                ("rally", 4),
                ("picket", 1),
                ("memorial", 1),
                ("raid", 2),
                ("court", 2),
                ("surveillance", 1),
                ("other", 3)
            ]
        );
        let months: Vec<(String, usize)> =
            r.summary.by_month.iter().map(|(m, c)| (m.to_string(), c.incidents)).collect();
        let expected = [
            ("2012-01", 2),
            ("2012-02", 3),
            ("2012-03", 3),
            ("2012-04", 2),
            ("2012-05", 2),
            // Months of the period without incidents are listed too, with none.
            ("2012-06", 0),
            ("2012-07", 0),
            ("2012-08", 0),
            ("2012-09", 1),
            ("2012-10", 1),
        ];
        assert_eq!(months, expected.map(|(m, n)| (m.to_string(), n)));
        assert!(r.summary.by_city.is_empty(), "all incidents are in Almaty");
    }

    #[test]
    fn stated_figures_stay_beside_the_computed_ones() {
        let r = example();
        let keys: Vec<&str> = r.summary.stated.iter().map(|c| c.key.word()).collect();
        assert_eq!(keys, ["participants", "detained", "fined", "fine-amounts", "arrested", "arrest-days", "pickets"]);
        assert!(r.summary.stated.iter().all(|c| !c.exceeds));
        let detained = &r.summary.stated[1];
        assert_eq!((detained.stated, detained.computed.low()), (Figure::about(100), 58));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn single_incidents_are_kept_while_few_and_then_only_those_named() {
        let named: std::collections::HashSet<String> = ["i250".to_string()].into();
        let mut per = PerIncident::new(named);
        for i in 0..PER_INCIDENT_LIMIT + 100 {
            per.incident(&format!("i{i}"), &[Figure::exact(i as u64); 7]);
        }
        per.sanction("i250", SanctionKind::Fine, Some(80900), None);
        per.sanction("i3", SanctionKind::Fine, Some(1), None);
        let kept = per.finish();
        assert_eq!(kept.keys().collect::<Vec<_>>(), ["i250"]);
        assert_eq!((kept["i250"].fines.count, kept["i250"].fines.min), (1, Some(80900)));
        let mut few = PerIncident::new(Default::default());
        few.incident("a", &[Figure::unknown(); 7]);
        few.sanction("a", SanctionKind::Arrest, None, Some(15));
        assert_eq!(few.finish()["a"].arrests.max_days, Some(15));
    }

    #[test]
    fn example_leaders_match_the_hand_count() {
        let r = example();
        let ids = |list: Vec<&Incident>| list.into_iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        // Detained: 28, ~20, ~10; no other incident gives a figure.
        assert_eq!(ids(r.leaders.detained().collect()), ["2012-02-25-rally", "2012-04-28-rally", "2012-03-24-rally"]);
        // Fined plus arrested: 2+3, 3+2 and 4+1 (ties in list order), then 2+2, then 0+2.
        assert_eq!(
            ids(r.leaders.sanctioned().collect()),
            [
                "2012-01-28-rally",
                "2012-02-25-rally",
                "2012-04-28-rally",
                "2012-03-24-rally",
                "2012-04-28-preemptive-detentions"
            ]
        );
    }

    #[test]
    fn leaders_keep_ten_whatever_the_length_of_the_list() {
        let r = example();
        let mut leaders = Leaders::default();
        let base = r.kept().unwrap().incidents[0].clone();
        let mut counts = [Figure::unknown(); 7];
        for n in 0..1000u64 {
            counts[2] = Figure::exact(n % 250);
            leaders.incident(&counts, || Incident { id: format!("i{n}"), counts, ..base.clone() });
        }
        let kept: Vec<u64> = leaders.detained().map(|i| i.count("detained").low()).collect();
        // 249 four times (n = 249, 499, 749, 999), then 248 four times, then 247 twice.
        assert_eq!(kept, [249, 249, 249, 249, 248, 248, 248, 248, 247, 247]);
        assert_eq!(leaders.detained().next().unwrap().id, "i249");
    }

    #[test]
    fn example_grouped_by_quarter_and_by_city() {
        let r = example();
        let (start, end) = (r.config.period_start, r.config.period_end);
        // January–October 2012 in at most 4 groups: quarters.
        let q = r.summary.binned(start, end, 4);
        assert_eq!(q.bin, Bin::Quarter);
        let groups: Vec<(String, usize)> = q.groups.iter().map(|(d, c)| (d.to_string(), c.incidents)).collect();
        // 2 + 3 + 3 (Jan–Mar), 2 + 2 (Apr–May), 1 (Sep), 1 (Oct).
        let expected = [("2012-01", 8), ("2012-04", 4), ("2012-07", 1), ("2012-10", 1)];
        assert_eq!(groups, expected.map(|(m, n)| (m.to_string(), n)));
        assert_eq!(q.outside.incidents, 0);
        // Detained by quarter: 28 + ~10 in the first, ~20 in the second.
        assert_eq!(q.groups[0].1.get("detained").figure.low(), 38);
        assert_eq!(q.groups[1].1.get("detained").figure.low(), 20);
        // One city: nothing to rank.
        assert!(r.summary.cities_ranked(15).top.is_empty());
    }

    #[test]
    fn cities_beyond_the_first_are_summed_in_one_row() {
        let mut summary = Summary::default();
        let mut city = |name: &str, n: u64| {
            let c = detained_only(n as usize, Figure::exact(n));
            summary.by_city.push((name.to_string(), c));
        };
        city("Aktobe", 1);
        city("Almaty", 5);
        city("Astana", 3);
        city("Taraz", 3);
        let ranked = summary.cities_ranked(2);
        let top: Vec<(&str, usize)> = ranked.top.iter().map(|(n, c)| (*n, c.incidents)).collect();
        // Astana before Taraz: ties go in name order.
        assert_eq!(top, [("Almaty", 5), ("Astana", 3)]);
        let (n, others) = ranked.others.unwrap();
        // Taraz (3 incidents, 3 detained each) and Aktobe (1 with 1): 4 incidents, 10 detained.
        assert_eq!((n, others.incidents, others.get("detained").figure.low()), (2, 4, 10));
    }

    #[test]
    fn an_incident_outside_the_period_is_outside_every_group() {
        let mut r = example();
        r.summary.by_month.push((Date { year: 2013, month: 8, day: None }, r.summary.totals.clone()));
        let b = r.summary.binned(r.config.period_start, r.config.period_end, 24);
        assert_eq!(b.bin, Bin::Month);
        // January–October 2012, nothing of 2013.
        assert_eq!(b.groups.len(), 10);
        assert_eq!(b.outside.incidents, 14);
    }

    #[test]
    fn reordering_rows_changes_no_figure() {
        let r = example();
        let mut incidents = r.kept().unwrap().incidents.clone();
        incidents.reverse();
        let mut sanctions = r.kept().unwrap().sanctions.clone();
        sanctions.reverse();
        let again = Summary::compute(&r.config, &incidents, &sanctions);
        let figures = |s: &Summary| s.totals.tallies.iter().map(|t| t.figure).collect::<Vec<_>>();
        assert_eq!(figures(&again), figures(&r.summary));
        assert_eq!(again.fines.total, r.summary.fines.total);
        assert_eq!(again.stated, r.summary.stated);
    }
}

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
    fn merge(&mut self, other: &Counts) {
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
    /// The cities met so far, each with its number.
    cities: BTreeMap<String, u32>,
    /// Counts by kind (position in [`IncidentKind::ALL`]), month and city number.
    cells: HashMap<(usize, Date, u32), Counts, foldhash::fast::FixedState>,
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
        self.cells.entry((kind, date.month_start(), city)).or_default().add(row, counts);
    }

    /// Adds a sanction.
    pub fn sanction(&mut self, incident: &str, kind: SanctionKind, amount: Option<u64>, days: Option<u64>) {
        let rows = self.keep_rows.then_some(incident);
        add_sanction(&mut self.fines, &mut self.arrests, rows, kind, amount, days);
    }

    /// The figures, with the stated ones compared.
    pub fn finish(self, config: &Config) -> Summary {
        let mut totals = Counts::default();
        let mut by_kind: [Counts; 8] = Default::default();
        let mut by_month: BTreeMap<Date, Counts> = BTreeMap::new();
        let mut by_number: Vec<Counts> = vec![Counts::default(); self.cities.len()];
        for ((kind, month, city), cell) in &self.cells {
            totals.merge(cell);
            by_kind[*kind].merge(cell);
            by_month.entry(*month).or_default().merge(cell);
            by_number[*city as usize].merge(cell);
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

/// Adds the months of the period without incidents, so a chart by month shows the quiet months
/// too (as zero incidents, with no figures).
fn fill_months(by_month: &mut BTreeMap<Date, Counts>, start: Date, end: Date) {
    let (Some(first), Some(last)) = (by_month.keys().next().copied(), by_month.keys().last().copied()) else {
        return;
    };
    let mut month = first.min(start.month_start());
    let last = last.max(end.month_start());
    while month <= last {
        by_month.entry(month).or_default();
        month = if month.month == 12 {
            Date { year: month.year + 1, month: 1, day: None }
        } else {
            Date { month: month.month + 1, ..month }
        };
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

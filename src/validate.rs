//! Checks across tables: duplicate ids, sanctions that point nowhere, dates outside the period,
//! figures that contradict each other, sources that are names rather than links.
//!
//! The checks run while the rows stream past, so a large file is never held as rows: an index of
//! incident ids keeps only what the checks need of each incident.

use std::collections::HashMap;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry as Slot;

use crate::diagnostic::{Diagnostic, KEPT_PROBLEMS, Place, Unlisted, excerpt, typo_of};
use crate::input::config::Config;
use crate::input::incident::IncidentRow;
use crate::input::sanction::SanctionRow;
use crate::input::table::Cell;
use crate::locale::Words;
use crate::vocabulary::SanctionKind;

/// Incidents per [`Block`]: a block is allocated whole and never grows, so a million ids never
/// copy a large array as they arrive. Its slots take 640 KB, which the allocator maps on their
/// own: freed once the data is read, they go back to the system before Typst lays the document
/// out. With blocks of 4 096 they stayed in the process: the press brief of a million incidents
/// peaked at 71-74 MB, and at 55-59 MB now. A block's lines must fit an [`Entry::line`]: rows of
/// more than two lines each make some entries whole (larger), never wrong.
const BLOCK: usize = 1 << 15;

/// Hash tables the ids are spread over: growing one moves about a 64th of the ids, never all at
/// once.
const SHARDS: usize = 64;

/// [`Entry::high`] of a count with no upper bound (or of a row read with errors): the sanctions
/// list can never exceed it.
const UNBOUNDED: u8 = u8::MAX;

/// [`Entry::line`] of an incident kept whole in [`IdIndex::whole`].
const WHOLE: u16 = u16::MAX;

/// What the checks keep of one incident whose numbers are small, the usual case: 10 bytes, plus
/// 4 for where its id ends and 4 for its hash (20 with padding). Its `fined` and `arrested` cells are on its line, in the columns
/// [`IdIndex::fields`]. An incident with larger numbers, or cells elsewhere, is kept whole.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The line its id is first used on, less its block's first line ([`WHOLE`]: kept whole).
    line: u16,
    /// The character column of its `fined` and `arrested` cells (0 for a count with no upper
    /// bound, which no warning places).
    column: [u16; 2],
    /// Its `fined` and `arrested` counts at most ([`UNBOUNDED`]: no upper bound).
    high: [u8; 2],
    /// Fines and arrests the sanctions list has for it.
    listed: [u8; 2],
}

/// What the checks keep of one incident, whatever its numbers: what an [`Entry`] holds when
/// they do not fit it, and what [`IdIndex::finish`] reads of every incident.
#[derive(Debug, Clone, Copy)]
struct Whole {
    /// The line its id is first used on.
    line: usize,
    /// Its `fined` and `arrested` counts at most, and where those cells are.
    limits: [Limit; 2],
    /// Fines and arrests the sanctions list has for it.
    listed: [u32; 2],
}

/// An incident's count at most and where its cell is: field, line and character column.
/// `high` is `u32::MAX` for no upper bound and for any bound from `u32::MAX` up: the listed
/// sanctions are counted in a `u32`, so they exceed neither, and a comparison stays exact.
#[derive(Debug, Clone, Copy)]
struct Limit {
    high: u32,
    field: u32,
    line: u32,
    column: u32,
}

impl Limit {
    /// A count no listed sanctions can exceed, never placed.
    const UNBOUNDED: Limit = Limit { high: u32::MAX, field: 0, line: 0, column: 0 };
}

/// Up to [`BLOCK`] incidents in the order first used: their ids one after another and what the
/// checks keep of each.
#[derive(Debug)]
struct Block {
    /// The line its first incident's id is used on.
    first_line: usize,
    /// The ids, one after another.
    text: String,
    /// One slot per id.
    slots: Vec<Kept>,
}

/// What a [`Block`] keeps of an id besides its text.
#[derive(Debug, Clone, Copy)]
struct Kept {
    /// Where the id ends in the block's text (it starts where the one before it ends).
    end: u32,
    /// The id's [`id_hash`]: a hash table growing reads these, not the ids scattered over memory.
    hash: u32,
    /// What the checks keep of its incident.
    entry: Entry,
}

impl Block {
    /// An empty block whose first incident is on `first_line`, with room for `text` bytes of ids.
    fn new(first_line: usize, text: usize) -> Self {
        Block { first_line, text: String::with_capacity(text), slots: Vec::with_capacity(BLOCK) }
    }

    /// The id of its `i`-th incident.
    fn id(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.slots[i - 1].end as usize };
        &self.text[start..self.slots[i].end as usize]
    }

    /// Adds an incident whose id has hash `hash`.
    fn push(&mut self, id: &str, hash: u32, entry: Entry) {
        self.text.push_str(id);
        // A block's ids are at most 32,768 table cells, far below 4 GiB.
        let end = u32::try_from(self.text.len()).expect("a block's ids take under 4 GiB");
        self.slots.push(Kept { end, hash, entry });
    }
}

/// The sanction kinds counted against an incident's counts, with those counts' columns.
const LISTED: [(SanctionKind, &str); 2] = [(SanctionKind::Fine, "fined"), (SanctionKind::Arrest, "arrested")];

/// Every incident id of the report, and the cross-table problems found so far. It takes about
/// 28 bytes per incident and its id's text (20 in its block, about 8 in the hash tables), and
/// grows without copying more than one block or one hash table at a time.
#[derive(Debug, Default)]
pub struct IdIndex {
    /// The incidents in the order first used, [`BLOCK`] to a block.
    blocks: Vec<Block>,
    /// Entry positions by their id's hash, in [`SHARDS`] tables (none before the first id).
    /// A slot is only the position: a match is decided by comparing the id's text.
    shards: Vec<HashTable<u32>>,
    /// The fields of the `fined` and `arrested` columns, as the first incident read without
    /// errors has them: an [`Entry`]'s cells are in these.
    fields: Option<[u32; 2]>,
    /// The incidents whose numbers do not fit an [`Entry`], by position.
    whole: HashMap<u32, Whole>,
    /// The entry the last sanction was counted against: sanctions of one incident are usually
    /// listed together, and in the incidents' order.
    last: Option<usize>,
    /// Sanctions whose incident is not listed (errors), the first [`KEPT_PROBLEMS`]; the file
    /// and how many more there are.
    unknown: Vec<Diagnostic>,
    unknown_unlisted: (String, Unlisted),
    /// Warnings about an incident's own figures (fined and arrested above detained), with its
    /// line and an order within the line: the first [`KEPT_PROBLEMS`], and how many more.
    contradictions: Vec<(usize, usize, Diagnostic)>,
    contradictions_over: usize,
    /// The headers of the `fined` and `arrested` columns as the incidents file writes them.
    headers: [Option<String>; 2],
    /// The incidents' sheet, when they come from a workbook.
    sheet: Option<String>,
}

/// 32 bits of an id's hash: fast, and the same in every run (nothing here depends on order). A
/// unit test may give every id the same hash, to show that only the text decides a match.
pub(crate) fn id_hash(id: &str) -> u32 {
    use std::hash::BuildHasher;
    #[cfg(test)]
    if tests::SAME_HASH.get() {
        return 0x5eed;
    }
    (foldhash::fast::FixedState::default().hash_one(id) >> 32) as u32
}

/// The hash tables' hash of an id, spread from its 32 bits (which [`Block::hashes`] keeps).
fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The table of a hash, by its top 12 bits: a table places by the low bits (up to 2^20 slots,
/// 58 million ids, they are independent of these) and tags by the top 7 of the spread hash.
fn shard_of(hash: u32) -> usize {
    usize::from(SHARD_OF[(hash >> 20) as usize])
}

/// The table of each value of a hash's top 12 bits. The shares are unequal, each table's about
/// 1.1 % larger than the one before and the last twice the first's, so that the tables double
/// one after another, not all at the same count: the slots per id then stay near their mean of
/// 1.65 (8/7 / ln 2) whatever the count of ids, instead of swinging between 1.14 and 2.29.
static SHARD_OF: std::sync::LazyLock<[u8; 4096]> = std::sync::LazyLock::new(|| {
    // Table `i` takes the values from 2^(i/64) - 1 to 2^((i+1)/64) - 1 of the unit interval.
    std::array::from_fn(|value| {
        let x = (value as f64 + 0.5) / 4096.0;
        ((1.0 + x).log2() * SHARDS as f64) as u8
    })
});

/// The id of the entry at `position`.
fn id_at(blocks: &[Block], position: usize) -> &str {
    blocks[position / BLOCK].id(position % BLOCK)
}

/// Whether the entry at `position` has `id`, whose hash is `hash`: the hashes are compared first,
/// as they are read at one place and the texts at two, but the texts decide.
fn has_id(blocks: &[Block], position: usize, id: &str, hash: u32) -> bool {
    let block = &blocks[position / BLOCK];
    block.slots[position % BLOCK].hash == hash && block.id(position % BLOCK) == id
}

/// A number that fits `u32`, or `u32::MAX`.
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Entry {
    /// Still compact, and no more fines or arrests listed than its `fined` and `arrested` figures
    /// allow: it contradicts nothing ([`IdIndex::finish`]).
    fn within_limits(&self) -> bool {
        self.line != WHOLE && (0..2).all(|k| self.high[k] == UNBOUNDED || self.listed[k] <= self.high[k])
    }

    /// The entry of an incident whose id is on `line`, `offset` lines into its block, with
    /// these limits (none: its row has errors), if its numbers fit.
    fn compact(line: usize, offset: usize, limits: Option<[Limit; 2]>, fields: [u32; 2]) -> Option<Entry> {
        let limits = limits.unwrap_or([Limit::UNBOUNDED; 2]);
        let (mut column, mut high) = ([0; 2], [UNBOUNDED; 2]);
        for (k, limit) in limits.iter().enumerate() {
            if limit.high == u32::MAX {
                continue;
            }
            high[k] = u8::try_from(limit.high).ok().filter(|&h| h != UNBOUNDED)?;
            column[k] = u16::try_from(limit.column).ok()?;
            if limit.field != fields[k] || limit.line as usize != line {
                return None;
            }
        }
        let line = u16::try_from(offset).ok().filter(|&o| o != WHOLE)?;
        Some(Entry { line, column, high, listed: [0; 2] })
    }
}

impl IdIndex {
    /// How many ids it has.
    fn len(&self) -> usize {
        self.blocks.last().map_or(0, |last| (self.blocks.len() - 1) * BLOCK + last.slots.len())
    }

    /// The id of the entry at `position`.
    fn id(&self, position: usize) -> &str {
        id_at(&self.blocks, position)
    }

    /// The entry of `id`, if the incident list has it.
    fn find(&self, id: &str) -> Option<usize> {
        let hash = id_hash(id);
        let shard = self.shards.get(shard_of(hash))?;
        shard.find(spread(hash), |&p| has_id(&self.blocks, p as usize, id, hash)).map(|&p| p as usize)
    }

    /// Has the memory that adding the ids of these [`id_hash`]es will read fetched now, all at
    /// once: the hash tables are larger than the processor's caches, and each id added waited
    /// for its own fetch. With this, the index took 4-6 % of the CPU time of reading a million
    /// incidents instead of 12 % (perf), and the whole read 2-4 % less.
    pub fn warm(&self, hashes: &[u32]) {
        for &hash in hashes {
            if let Some(shard) = self.shards.get(shard_of(hash)) {
                // A probe that matches nothing reads what adding the id will read.
                std::hint::black_box(shard.find(spread(hash), |_| false));
            }
        }
    }

    /// Makes room for `ids` ids in all, so that the hash tables need not grow while a large
    /// file is read: growing them read the hash of every id again, scattered over memory, and
    /// took a twentieth of the time of reading a million incidents. Each table gets its share
    /// ([`SHARD_OF`]). A guess too low only leaves the rest to growing.
    pub fn expect(&mut self, ids: usize) {
        if self.shards.is_empty() {
            self.shards.resize_with(SHARDS, HashTable::new);
        }
        let mut shares = [0usize; SHARDS];
        for &shard in SHARD_OF.iter() {
            shares[usize::from(shard)] += 1;
        }
        let blocks = &self.blocks;
        let rehash = |&p: &u32| spread(blocks[p as usize / BLOCK].slots[p as usize % BLOCK].hash);
        for (shard, share) in self.shards.iter_mut().zip(shares) {
            let room = ids / SHARD_OF.len() * share;
            shard.reserve(room.saturating_sub(shard.len()), rehash);
        }
    }

    /// The entry that has `id`, whose hash is `hash`, already; otherwise `id` is given the next
    /// entry's position, in one probe of its table, and the entry must then be pushed.
    fn claim(&mut self, id: &str, hash: u32) -> Option<usize> {
        if self.shards.is_empty() {
            self.shards.resize_with(SHARDS, HashTable::new);
        }
        // Each entry takes over 14 bytes: 2^32 of them would not fit in memory.
        let next = u32::try_from(self.len()).expect("fewer than 2^32 incidents");
        let blocks = &self.blocks;
        let is = |&p: &u32| has_id(blocks, p as usize, id, hash);
        let rehash = |&p: &u32| spread(blocks[p as usize / BLOCK].slots[p as usize % BLOCK].hash);
        match self.shards[shard_of(hash)].entry(spread(hash), is, rehash) {
            Slot::Occupied(slot) => Some(*slot.get() as usize),
            Slot::Vacant(slot) => {
                slot.insert(next);
                None
            }
        }
    }

    /// Adds the entry of an incident [`IdIndex::claim`] gave the next position.
    fn push(&mut self, id: &str, hash: u32, line: usize, limits: Option<[Limit; 2]>) {
        let position = self.len();
        if position.is_multiple_of(BLOCK) {
            self.start_block(line);
        }
        let blocks = self.blocks.len();
        let first_line = self.blocks[blocks - 1].first_line;
        let fields = self.fields.unwrap_or_default();
        let offset = line.checked_sub(first_line).unwrap_or(usize::MAX);
        let entry = Entry::compact(line, offset, limits, fields).unwrap_or_else(|| {
            let limits = limits.unwrap_or([Limit::UNBOUNDED; 2]);
            self.whole.insert(position as u32, Whole { line, limits, listed: [0; 2] });
            Entry { line: WHOLE, column: [0; 2], high: [UNBOUNDED; 2], listed: [0; 2] }
        });
        self.blocks[blocks - 1].push(id, hash, entry);
    }

    /// Starts a block whose first incident is on `first_line`. The full block gives back the
    /// room its text did not use, and the new one expects about as much text.
    fn start_block(&mut self, first_line: usize) {
        let text = self.blocks.last_mut().map_or(0, |full| {
            full.text.shrink_to_fit();
            full.text.len() + full.text.len() / 8
        });
        self.blocks.push(Block::new(first_line, text));
    }

    /// Everything the checks keep of the entry at `position`.
    fn whole(&self, position: usize) -> Whole {
        let block = &self.blocks[position / BLOCK];
        let entry = block.slots[position % BLOCK].entry;
        if entry.line == WHOLE {
            return self.whole[&(position as u32)];
        }
        let line = block.first_line + usize::from(entry.line);
        let fields = self.fields.unwrap_or_default();
        let limit = |k: usize| match entry.high[k] {
            UNBOUNDED => Limit::UNBOUNDED,
            high => Limit { high: high.into(), field: fields[k], line: narrow(line), column: entry.column[k].into() },
        };
        Whole { line, limits: [limit(0), limit(1)], listed: entry.listed.map(u32::from) }
    }

    /// Counts one more listed sanction of kind `k` (fine, arrest) against the entry at
    /// `position`, keeping the entry whole from its 256th on.
    fn count_listed(&mut self, position: usize, k: usize) {
        let entry = &mut self.blocks[position / BLOCK].slots[position % BLOCK].entry;
        if entry.line != WHOLE && entry.listed[k] < u8::MAX {
            entry.listed[k] += 1;
            return;
        }
        if entry.line != WHOLE {
            let whole = self.whole(position);
            self.blocks[position / BLOCK].slots[position % BLOCK].entry.line = WHOLE;
            self.whole.insert(position as u32, whole);
        }
        let listed = &mut self.whole.get_mut(&(position as u32)).expect("kept whole").listed[k];
        *listed = listed.saturating_add(1);
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
            // A blank id is already an error of its own: it is no id to repeat.
            None if id.column == 0 || id.text.is_empty() => return true,
            None => id.text,
        };
        let hash = incident.map_or_else(|| id_hash(key), |i| i.id_hash);
        if let Some(first) = self.claim(key, hash) {
            if id.column > 0 {
                let first = self.whole(first).line;
                problems.push(id.error(file, format!("is a duplicate id, first used on line {first}")));
            }
            return false;
        }
        let limits = incident.map(|i| self.limits(i));
        self.push(key, hash, id.line, limits);
        if let Some(i) = incident {
            self.detained_check(file, i);
        }
        true
    }

    /// Where an incident's `fined` and `arrested` cells are and what they allow at most (the
    /// place is worked out only for a count with an upper bound, which can be contradicted).
    fn limits(&mut self, incident: &IncidentRow) -> [Limit; 2] {
        let fields = LISTED.map(|(_, count)| incident.count_column(count));
        let high = |count| incident.count(count).high().map_or(u32::MAX, |h| u32::try_from(h).unwrap_or(u32::MAX));
        let highs = LISTED.map(|(_, count)| high(count));
        let places =
            if highs.iter().any(|&h| h < u32::MAX) { incident.sanction_places } else { [(incident.line, 0); 2] };
        for (k, &field) in fields.iter().enumerate() {
            if self.headers[k].is_none() {
                self.headers[k] = incident.raw.header(field).map(str::to_string);
            }
        }
        if self.sheet.is_none() {
            self.sheet = incident.raw.sheet.map(str::to_string);
        }
        self.fields.get_or_insert(fields.map(narrow));
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
            if self.contradictions.len() < KEPT_PROBLEMS {
                self.contradictions.push((incident.line, 2, warning));
            } else {
                self.contradictions_over += 1;
            }
        }
    }

    /// The entry of a sanction's incident. Sanctions are usually listed grouped by incident and
    /// in the incidents' order, so the last sanction's entry and the one after it are tried
    /// before a lookup.
    fn sanctioned(&self, id: &str) -> Option<usize> {
        let guesses = self.last.into_iter().flat_map(|last| [last, last + 1]);
        guesses.filter(|&p| p < self.len()).find(|&p| self.id(p) == id).or_else(|| self.find(id))
    }

    /// Counts a sanction against its incident; a sanction whose incident id is not listed is an
    /// error (checked only when `check_ids`: the incident list could be read).
    pub fn sanction(&mut self, file: &str, s: &SanctionRow, check_ids: bool) {
        let found = self.sanctioned(s.incident);
        self.last = found.or(self.last);
        match found {
            Some(i) => {
                if let Some(k) = LISTED.iter().position(|(kind, _)| *kind == s.kind) {
                    self.count_listed(i, k);
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
                if let Some(close) = suggest.then(|| typo_of(s.incident, self.ids())).flatten() {
                    problem = problem.with_hint(format!("did you mean `{close}`?"));
                }
                let (unlisted_file, unlisted) = &mut self.unknown_unlisted;
                if unlisted_file.is_empty() {
                    unlisted_file.push_str(file);
                }
                unlisted.push(&mut self.unknown, problem);
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
        self.blocks.iter().flat_map(|block| (0..block.slots.len()).map(move |i| block.id(i)))
    }

    /// The cross-table problems, in the order a reader fixes them: sanctions pointing nowhere,
    /// then incidents whose figures disagree with the sanctions list or with each other.
    pub fn finish(mut self, incidents_file: &str) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        // Each kind of warning keeps its first (by line) KEPT_PROBLEMS; so do both together.
        let mut listed = Vec::new();
        let mut unlisted = Unlisted::default();
        unlisted.skip_warnings(self.contradictions_over);
        for position in 0..self.len() {
            // The usual entry is told from its own bytes, without making it whole (a million of
            // those took a fortieth of a large read).
            if self.blocks[position / BLOCK].slots[position % BLOCK].entry.within_limits() {
                continue;
            }
            let entry = self.whole(position);
            for (k, ((kind, count_name), limit)) in LISTED.iter().zip(entry.limits).enumerate() {
                let (count, high) = (entry.listed[k], limit.high);
                if count <= high {
                    continue;
                }
                if listed.len() == KEPT_PROBLEMS {
                    unlisted.skip_warnings(1);
                    continue;
                }
                let id = self.id(position);
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
                    format!("`{count_name}` of `{id}` is {high} but the sanctions list has {count} {kind}s for it"),
                );
                listed.push((entry.line, k, warning));
            }
        }
        self.contradictions.append(&mut listed);
        self.contradictions.sort_by_key(|(line, order, _)| (*line, *order));
        let mut contradictions: Vec<Diagnostic> = self.contradictions.into_iter().map(|(_, _, d)| d).collect();
        unlisted.limit(&mut contradictions, 0);
        contradictions.extend(unlisted.finish(incidents_file, "figures of incidents"));
        let (file, unknown_unlisted) = self.unknown_unlisted;
        self.unknown.extend(unknown_unlisted.finish(&file, "incident ids of sanctions"));
        (self.unknown, contradictions)
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
                format!("`date`: `{}` is outside the report period ({})", excerpt(incident.date_text()), self.text),
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
        if !incident.sources_named {
            return;
        }
        let names = crate::input::reference::entries(incident.sources())
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

    thread_local! {
        /// Whether [`id_hash`] gives every id the same hash, in this test's thread.
        pub(super) static SAME_HASH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// The cross-table problems of two tables, as a report finds them: every incident's id
    /// recorded as it is read, every sanction counted against its incident, then the check.
    fn problems(incidents: &str, sanctions: &str) -> Vec<Diagnostic> {
        let mut index = IdIndex::default();
        let mut found = Vec::new();
        let source = Source::plain("incidents.csv");
        let read = incident::read(&mut incidents.as_bytes(), &source, |row, problems| {
            index.incident("incidents.csv", &row.id, row.incident, problems);
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
    fn past_a_thousand_contradictions_or_unknown_ids_the_rest_are_counted() {
        let mut incidents = String::from("id,date,kind,detained,fined,arrested\n");
        let mut sanctions = String::from("incident,kind\n");
        for i in 0..1200 {
            // Fined 0 with one fine listed; and 3 fined + 0 arrested of 1 detained for every
            // third incident: two kinds of warning, interleaved by line.
            let fined = if i % 3 == 0 { 3 } else { 0 };
            incidents.push_str(&format!("i{i},2012-02-25,rally,1,{fined},0\n"));
            sanctions.push_str(&format!("i{i},fine\n"));
        }
        for i in 0..1100 {
            sanctions.push_str(&format!("nowhere{i},fine\n"));
        }
        let found = problems(&incidents, &sanctions);
        let figures: Vec<&Diagnostic> = found.iter().filter(|d| d.file == "incidents.csv").collect();
        assert_eq!(figures.len(), 1001);
        // One warning an incident: 800 with 1 fine listed for 0 fined, 400 with 3 fined of 1
        // detained; the first thousand by line are kept, whichever kind.
        assert_eq!(figures[1000].message, "200 more warnings about the figures of incidents are not listed");
        let lines: Vec<usize> = figures[..1000].iter().map(|d| d.line).collect();
        assert_eq!(lines, (2..1002).collect::<Vec<_>>());
        assert_eq!(figures.iter().filter(|d| d.message.contains("but only 1 detained")).count(), 334);
        let unknown: Vec<&Diagnostic> = found.iter().filter(|d| d.is_error()).collect();
        assert_eq!(unknown.len(), 1001);
        assert_eq!(unknown[999].line, 1200 + 1000 + 1);
        assert_eq!(unknown[1000].message, "100 more errors in the incident ids of sanctions are not listed");
    }

    #[test]
    fn a_repeated_id_is_an_error_at_its_cell_naming_the_first_line() {
        let found = problems(INCIDENTS, "incident,kind\n");
        let duplicate = found.iter().find(|d| d.message.contains("duplicate")).expect("a duplicate");
        assert_eq!((duplicate.line, duplicate.column, duplicate.field), (4, 1, Some(1)));
        assert_eq!(duplicate.message, "`id`: `a` is a duplicate id, first used on line 2");
    }

    #[test]
    fn blank_ids_are_one_error_each_never_a_duplicate() {
        let found = problems("id,date\n,2012-02-25\n,2012-03-01\n\"\",2012-03-02,extra\n", "incident,kind\n");
        let shown: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            shown,
            [
                "`id` is empty: every incident needs an id",
                "`id` is empty: every incident needs an id",
                "this row has 3 fields but the header has 2",
            ],
        );
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

    /// Problems as text: file, place, message and hint.
    fn shown(found: &[Diagnostic]) -> Vec<String> {
        let show = |d: &Diagnostic| {
            format!("{}:{}:{} {:?} {:?}: {} {:?}", d.file, d.line, d.column, d.field, d.header, d.message, d.hint)
        };
        found.iter().map(show).collect()
    }

    /// Incidents `i0`… with 1 fined and 0 arrested each, and one sanction row per `listed` id.
    fn tables(incidents: usize, listed: &[&str]) -> (String, String) {
        let mut rows = String::from("id,date,kind,detained,fined,arrested\n");
        for i in 0..incidents {
            rows.push_str(&format!("i{i},2012-02-25,rally,5,1,0\n"));
        }
        let mut sanctions = String::from("incident,kind\n");
        for id in listed {
            sanctions.push_str(&format!("{id},fine\n"));
        }
        (rows, sanctions)
    }

    #[test]
    fn sanctions_out_of_order_are_counted_as_in_order() {
        // Grouped and in order, the entry after the last sanction's is the one; out of order it
        // is not, and the lookup must find the same entries.
        let grouped = ["i0", "i0", "i1", "i2", "i2", "i3", "i5", "i5", "i5", "x"];
        let scattered = ["i5", "i2", "i0", "i5", "i3", "i1", "i0", "i5", "i2", "x"];
        let (rows, in_order) = tables(6, &grouped);
        let (_, out_of_order) = tables(6, &scattered);
        let expected = shown(&problems(&rows, &in_order));
        assert_eq!(shown(&problems(&rows, &out_of_order)), expected);
        let warned: Vec<&String> = expected.iter().filter(|p| p.contains("sanctions list has")).collect();
        assert_eq!(warned.len(), 3, "{expected:?}");
        assert!(warned[0].contains("`fined` of `i0` is 1 but the sanctions list has 2 fines"));
        assert!(warned[2].contains("`fined` of `i5` is 1 but the sanctions list has 3 fines"));
        assert!(expected.iter().any(|p| p.contains("`x` is not an id")));
    }

    #[test]
    fn every_id_having_the_same_hash_changes_nothing() {
        let (mut rows, sanctions) = tables(300, &["i7", "i299", "i7", "nope", "i12"]);
        rows.push_str("i42,2012-03-01,rally,1,0,0\n");
        let expected = shown(&problems(&rows, &sanctions));
        SAME_HASH.set(true);
        let colliding = shown(&problems(&rows, &sanctions));
        let mut index = IdIndex::default();
        for id in ["a", "b", "ab"] {
            assert_eq!(index.claim(id, id_hash(id)), None);
            index.push(id, id_hash(id), 2, None);
        }
        let found = (index.contains("ab"), index.contains("ba"), index.claim("b", id_hash("b")));
        SAME_HASH.set(false);
        assert_eq!(found, (true, false, Some(1)));
        assert_eq!(colliding, expected);
        assert!(expected.iter().any(|p| p.contains("`i42` is a duplicate id, first used on line 44")), "{expected:?}");
        assert!(expected.iter().any(|p| p.contains("`i7` is 1 but the sanctions list has 2 fines")));
    }

    #[test]
    fn counts_that_do_not_fit_an_entry_are_kept_whole() {
        // 254 fits an entry, 255 and more do not; a count beyond u32::MAX cannot be exceeded.
        let incidents = "id,date,kind,detained,fined,arrested\n\
            small,2012-02-25,rally,,254,0\n\
            large,2012-02-25,rally,,300,0\n\
            huge,2012-02-25,rally,,5000000000,0\n";
        let mut sanctions = String::from("incident,kind\n");
        for id in ["small", "large", "huge"] {
            let listed = if id == "small" { 255 } else { 301 };
            sanctions.push_str(&format!("{id},fine\n").repeat(listed));
        }
        let found = shown(&problems(incidents, &sanctions));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("incidents.csv:2:25 Some(5)"), "{found:?}");
        assert!(found[0].ends_with("`fined` of `small` is 254 but the sanctions list has 255 fines for it None"));
        assert!(found[1].starts_with("incidents.csv:3:25 Some(5)"), "{found:?}");
        assert!(found[1].contains("`fined` of `large` is 300 but the sanctions list has 301 fines"));
    }

    #[test]
    fn listed_sanctions_beyond_u32_stay_below_a_count_beyond_it() {
        let mut index = IdIndex::default();
        let limit = Limit { high: u32::MAX, field: 5, line: 2, column: 9 };
        index.claim("a", id_hash("a"));
        index.push("a", id_hash("a"), 2, Some([limit, Limit { high: 3, ..limit }]));
        index.count_listed(0, 1);
        let whole = index.whole.get_mut(&0).expect("kept whole: its count does not fit");
        whole.listed = [u32::MAX - 1, 3];
        index.count_listed(0, 0);
        index.count_listed(0, 0);
        index.count_listed(0, 1);
        assert_eq!(index.whole(0).listed, [u32::MAX, 4]);
        let (_, warnings) = index.finish("incidents.csv");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].message, "`arrested` of `a` is 3 but the sanctions list has 4 arrests for it");
    }

    #[test]
    fn an_entry_is_compact_only_when_its_cells_are_where_it_expects() {
        let limit = Limit { high: 2, field: 5, line: 7, column: 30 };
        let fields = [5, 6];
        let arrested = Limit { field: 6, column: 32, ..limit };
        assert!(Entry::compact(7, 3, Some([limit, arrested]), fields).is_some());
        assert!(Entry::compact(7, 3, None, fields).is_some());
        // A cell on a later line, in another column, past a u16 column, or a line too far.
        assert!(Entry::compact(7, 3, Some([Limit { line: 8, ..limit }, arrested]), fields).is_none());
        assert!(Entry::compact(7, 3, Some([Limit { field: 4, ..limit }, arrested]), fields).is_none());
        assert!(Entry::compact(7, 3, Some([Limit { column: 70_000, ..limit }, arrested]), fields).is_none());
        assert!(Entry::compact(7, 70_000, Some([limit, arrested]), fields).is_none());
        // A count with no upper bound is never placed, wherever its cell is.
        assert!(Entry::compact(7, 3, Some([Limit { line: 8, ..Limit::UNBOUNDED }, arrested]), fields).is_some());
    }

    #[test]
    fn ids_over_several_blocks_keep_their_order_and_lines() {
        let n = 2 * BLOCK + 5;
        // Incident `i{k}` is on line k + 2.
        let (second, last) = (format!("i{}", BLOCK + 1), format!("i{}", 2 * BLOCK + 4));
        let listed = ["i0", second.as_str(), second.as_str(), last.as_str()];
        let (mut rows, sanctions) = tables(n, &listed);
        rows.push_str(&format!("i{},2012-03-01,rally,1,0,0\n", BLOCK + 4));
        let found = shown(&problems(&rows, &sanctions));
        assert_eq!(found.len(), 2, "{found:?}");
        let duplicate = format!("`i{}` is a duplicate id, first used on line {}", BLOCK + 4, BLOCK + 6);
        assert!(found[0].contains(&duplicate), "{found:?}");
        assert!(found[1].starts_with(&format!("incidents.csv:{}:", BLOCK + 3)), "{found:?}");
        assert!(found[1].contains(&format!("`fined` of `{second}` is 1 but the sanctions list has 2 fines")));
        let mut index = IdIndex::default();
        for i in 0..n {
            let id = format!("i{i}");
            index.claim(&id, id_hash(&id));
            index.push(&id, id_hash(&id), i + 2, None);
        }
        assert!(index.ids().map(str::to_string).eq((0..n).map(|i| format!("i{i}"))));
        assert!(index.contains(&last) && index.contains("i0") && !index.contains(&format!("i{}", 2 * BLOCK + 5)));
        assert_eq!(index.whole(BLOCK + 1).line, BLOCK + 3);
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
            names.incident(row.incident.unwrap());
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

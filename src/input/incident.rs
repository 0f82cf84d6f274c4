//! Incidents: one row of `incidents.csv` each, read and checked cell by cell.

use crate::date::Date;
use crate::diagnostic::{Diagnostic, excerpt, typo_of};
use crate::figure::DecimalMark;
use crate::figure::Figure;
use crate::input::recode::Origin;
use crate::input::row::Raw;
use crate::input::source::Source;
use crate::input::table::{Cell, CellAt, CellKind, Column, Row, Table, Value};
use crate::vocabulary::{IncidentKind, Permit, Vocabulary};

/// The count columns of an incident, in the order tables show them.
pub const COUNT_COLUMNS: [&str; 7] = ["participants", "police", "detained", "fined", "arrested", "warned", "injured"];

/// Every column an incident table may have: the required one first.
pub const COLUMNS: [&str; 17] = [
    "date",
    "kind",
    "id",
    "date_end",
    "city",
    "place",
    "permit",
    "participants",
    "police",
    "detained",
    "fined",
    "arrested",
    "warned",
    "injured",
    "summary",
    "sources",
    "note",
];

/// Columns an incident table must have.
pub const REQUIRED: &[&str] = COLUMNS.split_at(1).0;

/// Columns an incident table may have (without `id`, an incident is known by its line: `line-12`;
/// without `kind`, it is `other` unless `report.toml` fixes a kind).
pub const OPTIONAL: &[&str] = COLUMNS.split_at(1).1;

/// The hint under a count that cannot be read.
const COUNT_HINT: &str = "write 28, ~1000, >5000, <1000, 200-2000, or leave blank if unknown";

/// One incident (event).
#[derive(Debug, Clone)]
pub struct Incident {
    /// The line of its row, for diagnostics.
    pub line: usize,
    /// Its unique id.
    pub id: String,
    /// When it happened (or began).
    pub date: Date,
    /// When it ended, if it lasted.
    pub date_end: Option<Date>,
    /// The city.
    pub city: String,
    /// The place in the city.
    pub place: String,
    /// What kind of event it was.
    pub kind: IncidentKind,
    /// What became of its permit.
    pub permit: Permit,
    /// The counts, in the order of [`COUNT_COLUMNS`].
    pub counts: [Figure; 7],
    /// One line saying what happened.
    pub summary: String,
    /// Its sources, as [`crate::input::reference::entries`] splits the cell: links or names.
    pub sources: Vec<String>,
}

impl Incident {
    /// The figure in count column `name` (one of [`COUNT_COLUMNS`]).
    pub fn count(&self, name: &str) -> Figure {
        count_index(name).map_or_else(Figure::unknown, |i| self.counts[i])
    }
}

/// The position of a count column in [`COUNT_COLUMNS`].
fn count_index(name: &str) -> Option<usize> {
    COUNT_COLUMNS.iter().position(|c| *c == name)
}

/// One incident as read from its row, its text borrowed from the row. A large file is folded
/// into figures row by row, so rows are turned into owned [`Incident`]s only when kept.
#[derive(Debug, Clone)]
pub struct IncidentRow<'r> {
    /// The line of its row.
    pub line: usize,
    /// Its id (`line-N` when the file has no `id` column).
    pub id: std::borrow::Cow<'r, str>,
    /// The [`crate::validate::id_hash`] of `id` (worked out by the thread that read the row).
    pub id_hash: u32,
    /// When it happened (or began).
    pub date: Date,
    /// When it ended, if it lasted.
    pub date_end: Option<Date>,
    /// The city.
    pub city: &'r str,
    /// What kind of event it was.
    pub kind: IncidentKind,
    /// What became of its permit.
    pub permit: Permit,
    /// The counts, in the order of [`COUNT_COLUMNS`] (lent by the reader: a row is handed from
    /// thread to thread, and seven figures are 224 bytes).
    pub counts: &'r [Figure; 7],
    /// The file's column of `date`.
    pub date_column: usize,
    /// The file's columns of the counts (1-based; 0: the file has no such column).
    pub count_columns: &'r [usize; 7],
    /// The file's column of `sources`.
    pub sources_column: usize,
    /// Some entry of `sources` is a name, not a link (see [`crate::validate::SourceNames`]).
    pub sources_named: bool,
    /// The line and character column of the `fined` and `arrested` cells, as
    /// [`Raw::line_columns`] gives them, when either count has an upper bound (which the
    /// sanctions list may contradict); else the row's line and column 0.
    pub sanction_places: [(usize, usize); 2],
    /// The row as written, to place any of its cells.
    pub raw: Raw<'r>,
    /// Its row, to read the cells asked for only sometimes ([`IncidentRow::place`],
    /// [`IncidentRow::summary`], [`IncidentRow::sources`], [`IncidentRow::date_text`]): a
    /// large file's rows are folded into figures, which need none of them.
    cells: (&'r Table, &'r Row<'r>, &'r Columns),
}

impl<'r> IncidentRow<'r> {
    /// The text of its cell in `column`.
    fn text(&self, column: impl Fn(&Columns) -> Column) -> &'r str {
        let (table, row, columns) = self.cells;
        table.value_of(row, column(columns)).text
    }

    /// The place in the city.
    pub fn place(&self) -> &'r str {
        self.text(|c| c.place)
    }

    /// One line saying what happened.
    pub fn summary(&self) -> &'r str {
        self.text(|c| c.summary)
    }

    /// The `sources` cell: links or names separated by `;`.
    pub fn sources(&self) -> &'r str {
        self.text(|c| c.sources)
    }

    /// The `date` cell as written (before `report.toml` recoded it, if it did).
    pub fn date_text(&self) -> &'r str {
        let (table, row, columns) = self.cells;
        table.value_of(row, columns.date).written()
    }

    /// The incident as an owned value.
    pub fn to_incident(&self) -> Incident {
        Incident {
            line: self.line,
            id: self.id.to_string(),
            date: self.date,
            date_end: self.date_end,
            city: self.city.to_string(),
            place: self.place().to_string(),
            kind: self.kind,
            permit: self.permit,
            counts: *self.counts,
            summary: self.summary().to_string(),
            sources: crate::input::reference::entries(self.sources()).into_iter().map(str::to_string).collect(),
        }
    }

    /// The figure in count column `name` (one of [`COUNT_COLUMNS`]).
    pub fn count(&self, name: &str) -> Figure {
        count_index(name).map_or_else(Figure::unknown, |i| self.counts[i])
    }

    /// The file's column of count `name`, for diagnostics.
    pub fn count_column(&self, name: &str) -> usize {
        count_index(name).map_or(0, |i| self.count_columns[i])
    }
}

/// One data row of an incident table: its `id` cell (column 0 when the file has no `id`
/// column), and the incident when every cell of the row is good.
pub struct RowRead<'r> {
    /// The `id` cell.
    pub id: Cell<'r>,
    /// The incident, when the row has no bad cell.
    pub incident: Option<&'r IncidentRow<'r>>,
    /// At the first row of a block read on a worker thread: the [`crate::validate::id_hash`]
    /// of each good incident after it in the block (empty at other rows), for the id index to
    /// look ahead.
    pub ahead: &'r [u32],
}

/// Reads every incident of a table, a block at a time, handing each row to `each` as it is read
/// (which may add problems); every bad cell is reported. The cells are read on every core
/// ([`Table::read_rows`]); `each` sees the rows in file order. Fails only if the input cannot be
/// read.
pub fn read(
    input: &mut dyn std::io::Read,
    source: &Source,
    mut each: impl FnMut(&RowRead, &mut Vec<Diagnostic>),
) -> std::io::Result<crate::input::table::Read> {
    let columns = std::sync::OnceLock::new();
    let parse = |table: &Table, row: &Row, problems: &mut Vec<Diagnostic>| {
        let columns = columns.get_or_init(|| Columns::new(table));
        if row.broken {
            return None;
        }
        let before = problems.len();
        let id = table.cell_of(row, columns.id);
        // Not `Option::filter`, which moves the values once more.
        let values = read_row(table, columns, row, id, problems);
        if problems.len() == before { values } else { None }
    };
    let mut ahead = Vec::new();
    let mut fold = |table: &Table,
                    row: &Row,
                    values: &Option<Values>,
                    problems: &mut Vec<Diagnostic>,
                    rest: &mut dyn Iterator<Item = &Option<Values>>| {
        let columns = columns.get_or_init(|| Columns::new(table));
        let id = table.cell_of(row, columns.id);
        ahead.clear();
        ahead.extend(rest.flatten().map(|v| v.id_hash));
        // A broken row's id is still recorded, so that its sanctions are not each reported as
        // pointing at an unknown incident: the row's one problem is its shape.
        // Lent, not moved (nor wrapped in an `Option`, which copies it): an incident is a few
        // hundred bytes.
        match values {
            Some(values) => {
                let incident = values.row(table, columns, row, id);
                each(&RowRead { id, incident: Some(&incident), ahead: &ahead }, problems);
            }
            None => each(&RowRead { id, incident: None, ahead: &ahead }, problems),
        }
    };
    Table::read_rows(&source.file, input, source, (REQUIRED, OPTIONAL), &parse, &mut fold)
}

/// What an incident row's cells are read as, apart from its text: what a worker thread hands
/// on, the text being taken from the row again in file order.
#[derive(Debug, Clone, Copy)]
pub struct Values {
    date: Date,
    date_end: Option<Date>,
    kind: IncidentKind,
    permit: Permit,
    counts: [Figure; 7],
    sources_named: bool,
    /// [`IncidentRow::sanction_places`], their lines counted from the row's.
    sanction_places: [(usize, usize); 2],
    /// The [`crate::validate::id_hash`] of its `id` cell (0 in a file without an `id` column).
    id_hash: u32,
}

impl Values {
    /// The incident of `row`, with these values and its text (`id` its `id` cell).
    fn row<'r>(&'r self, table: &'r Table, columns: &'r Columns, row: &'r Row<'r>, id: Cell<'r>) -> IncidentRow<'r> {
        let id = id_text(&id, row.line);
        // The worker hashed the id cell; a `line-N` id is hashed here, by its line in the file.
        let id_hash = match &id {
            std::borrow::Cow::Borrowed(_) => self.id_hash,
            std::borrow::Cow::Owned(id) => crate::validate::id_hash(id),
        };
        IncidentRow {
            line: row.line,
            id,
            id_hash,
            date: self.date,
            date_end: self.date_end,
            city: table.value_of(row, columns.city).text,
            kind: self.kind,
            permit: self.permit,
            counts: &self.counts,
            date_column: columns.date.field(),
            count_columns: &columns.count_fields,
            sources_column: columns.sources.field(),
            sources_named: self.sources_named,
            sanction_places: self.sanction_places.map(|(line, column)| (line + row.line, column)),
            raw: row.raw,
            cells: (table, row, columns),
        }
    }
}

/// Our columns' positions in a table, found once per table rather than once per cell.
#[derive(Debug)]
struct Columns {
    id: Column,
    date: Column,
    date_end: Column,
    city: Column,
    place: Column,
    kind: Column,
    permit: Column,
    counts: [Column; 7],
    /// The file's columns of the counts ([`IncidentRow::count_columns`]).
    count_fields: [usize; 7],
    summary: Column,
    sources: Column,
}

impl Columns {
    fn new(table: &Table) -> Self {
        let counts = COUNT_COLUMNS.map(|name| table.column(name));
        Self {
            id: table.column("id"),
            date: table.column("date"),
            date_end: table.column("date_end"),
            city: table.column("city"),
            place: table.column("place"),
            kind: table.column("kind"),
            permit: table.column("permit"),
            counts,
            count_fields: counts.map(|c| c.field()),
            summary: table.column("summary"),
            sources: table.column("sources"),
        }
    }
}

/// Reads one row, on a worker thread: what its cells are read as, apart from its text (the fold
/// takes that from the row again, [`Values::row`]); records a problem for every bad cell.
fn read_row<'r>(
    table: &'r Table,
    columns: &Columns,
    row: &Row<'r>,
    id: Cell<'r>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Values> {
    let file = table.file.as_str();
    if id.text.is_empty() && id.column > 0 {
        problems.push(id.error(file, "every incident needs an id"));
    }
    let at = |column: Column| CellAt { table, row, column };
    let date = date(at(columns.date), problems);
    let date_end = optional_date(at(columns.date_end), problems);
    if let (Some(start), Some(end)) = (date, date_end)
        && end < start
    {
        problems.push(at(columns.date_end).error("ends before the incident's `date`"));
    }
    // A blank kind (or no `kind` column) is `other`, as a blank permit is `unknown`.
    let kind = choice(at(columns.kind), Some(IncidentKind::Other), problems);
    let permit = choice(at(columns.permit), Some(Permit::Unknown), problems);
    let mut counts = [Figure::unknown(); 7];
    let mut count_columns = [0; 7];
    for ((slot, column), &col) in counts.iter_mut().zip(&mut count_columns).zip(&columns.counts) {
        // The cell is read lightly; the whole cell is made only for a problem.
        let value = at(col).value();
        *column = value.column;
        if value.text.is_empty() {
            continue;
        }
        if value.kind == CellKind::Fraction || value.origin == Origin::NotACode {
            let cell = at(col).cell();
            problems.push(match cell.fraction_error(file, "a count") {
                Some(problem) => problem,
                None => cell
                    .error(file, "is none of the codes report.toml recodes for this column")
                    .with_hint(format!("add it to report.toml [data.incidents.values.{}]", cell.name)),
            });
            continue;
        }
        // A value report.toml gives is written as report.toml writes numbers.
        let mark = if value.origin == Origin::Written { table.decimal_mark() } else { DecimalMark::Point };
        match Figure::parse_with(value.text, mark) {
            Ok(f) => *slot = f,
            Err(e) => {
                let cell = at(col).cell();
                // A word or mark without a digit (`k.A.`, `#`) is most likely the export's own
                // "not stated": report.toml says so once, instead of editing every cell.
                let hint = if cell.origin == Origin::Written && !cell.text.bytes().any(|b| b.is_ascii_digit()) {
                    format!(
                        "{COUNT_HINT}; if `{}` is the export's own \"not stated\", add `unknown = [\"{}\"]` to its [data] table in report.toml",
                        excerpt(cell.text),
                        excerpt(cell.text)
                    )
                } else {
                    COUNT_HINT.to_string()
                };
                problems.push(cell.error(file, e).with_hint(hint));
            }
        }
    }
    // Only looked at here, for characters no document can show.
    for column in [columns.city, columns.place, columns.summary] {
        table.check_text(row, column, problems);
    }
    let sources = table.text_of(row, columns.sources, problems);
    let places = sanction_places(row, &counts, &count_columns);
    // A `line-N` id is hashed in file order ([`Values::row`]): its line here is the chunk's.
    let id_hash = if id.column > 0 { crate::validate::id_hash(id.text) } else { 0 };
    Some(Values {
        date: date?,
        date_end,
        kind: kind?,
        permit: permit?,
        counts,
        sources_named: names_a_source(sources),
        sanction_places: places.map(|(line, column)| (line - row.line, column)),
        id_hash,
    })
}

/// An incident's id: its `id` cell, or `line-N` (its line) in a file without an `id` column.
fn id_text<'r>(id: &Cell<'r>, line: usize) -> std::borrow::Cow<'r, str> {
    if id.column == 0 { std::borrow::Cow::Owned(format!("line-{line}")) } else { id.text.into() }
}

/// Whether some entry of a `sources` cell is a name, not a link. A cell of one word (a link, as
/// a rule) is one entry, and needs no splitting.
fn names_a_source(sources: &str) -> bool {
    use crate::input::reference::{entries, link_of};
    let cell = sources.trim();
    if !cell.bytes().any(|b| matches!(b, b';' | b'\n' | b'\r' | b' ' | b',' | b'\t')) {
        return !cell.is_empty() && link_of(cell).is_none();
    }
    entries(cell).into_iter().any(|e| link_of(e).is_none())
}

/// Where an incident's `fined` and `arrested` cells are ([`IncidentRow::sanction_places`]):
/// worked out on the worker thread that reads the row, for every count with an upper bound.
fn sanction_places(row: &Row, counts: &[Figure; 7], columns: &[usize; 7]) -> [(usize, usize); 2] {
    let [fined, arrested] = ["fined", "arrested"].map(|name| count_index(name).unwrap_or(0));
    if counts[fined].high().is_some() || counts[arrested].high().is_some() {
        let fields = [columns[fined], columns[arrested]];
        row.raw.line_columns_of(fields, fields.map(|f| f.checked_sub(1).and_then(|i| row.fields.get(i))))
    } else {
        [(row.line, 0); 2]
    }
}

/// A required date cell.
pub fn date(at: CellAt, problems: &mut Vec<Diagnostic>) -> Option<Date> {
    let value = at.value();
    if value.text.is_empty() {
        problems.push(at.error("a date is needed"));
        return None;
    }
    date_in(at, value, problems)
}

/// An optional date cell, in the table's `date_format` when it has one.
pub fn optional_date(at: CellAt, problems: &mut Vec<Diagnostic>) -> Option<Date> {
    let value = at.value();
    if value.text.is_empty() {
        return None;
    }
    date_in(at, value, problems)
}

/// The date in the cell `at`, whose value, not blank, is `value`.
fn date_in(at: CellAt, value: Value, problems: &mut Vec<Diagnostic>) -> Option<Date> {
    if matches!(value.kind, CellKind::Whole | CellKind::Fraction) {
        // A workbook stores a date as a day count: a number here is a date cell whose format
        // was changed to a number or to text, and Excel's day count is not read as a guess.
        let problem = at.error("is a number, not a date");
        problems.push(problem.with_hint("format the cell as a date in the workbook, or type the date"));
        return None;
    }
    // A workbook's date cell is already written `2012-01-05`, whatever the file's own format.
    let format = if value.kind == CellKind::Date { None } else { at.table.date_format.as_deref() };
    // The usual date, `2012-02-25` (trimmed already), read at once: what `Date::parse` reads
    // first, without building its result.
    if format.is_none()
        && let Some(day) = crate::date::iso_day(value.text.as_bytes())
    {
        return Some(day);
    }
    Date::parse_as(value.text, format)
        .map_err(|e| {
            let problem = at.error(e.message);
            problems.push(match e.hint {
                Some(hint) => problem.with_hint(hint),
                None => problem,
            });
        })
        .ok()
}

/// A cell that must be one of a fixed list of words (`blank` stands in for an empty cell).
/// A word of the file's own vocabulary (`Riots`) is not a typo: the hint says how report.toml
/// recodes it.
pub fn choice<V: Vocabulary>(at: CellAt, blank: Option<V>, problems: &mut Vec<Diagnostic>) -> Option<V> {
    choice_text(at.value().text, blank)
        .map_err(|(message, hint)| {
            let cell = at.cell();
            let hint = hint.unwrap_or_else(|| {
                let example = V::ALL.last().map_or("", |v| v.word());
                format!(
                    "if it is the export's own word, recode it in report.toml: [data.incidents.values.{}] \"{}\" = \"{example}\" (one of ours)",
                    cell.name,
                    excerpt(cell.written())
                )
            });
            problems.push(cell.error(at.file(), message).with_hint(hint));
        })
        .ok()
}

/// A problem with a value: the message (after the value) and a hint.
pub type Problem = (String, Option<String>);

/// The word `text` stands for: one of ours in any case, or a synonym real exports use; `blank`
/// for an empty text.
pub fn choice_text<V: Vocabulary>(text: &str, blank: Option<V>) -> Result<V, Problem> {
    if let Some(found) = V::from_word(text) {
        return Ok(found);
    }
    let text = text.to_lowercase();
    if text.is_empty()
        && let Some(b) = blank
    {
        return Ok(b);
    }
    if let Some(found) = V::from_word(&text) {
        return Ok(found);
    }
    if let Some(found) = SYNONYMS.iter().find(|(word, _)| *word == text).and_then(|(_, ours)| V::from_word(ours)) {
        return Ok(found);
    }
    let allowed = V::words();
    let hint = typo_of(&text, allowed.iter().copied()).map(|close| format!("did you mean `{close}`?"));
    Err((format!("must be one of `{}`", allowed.join("`, `")), hint))
}

/// Whether `text` is a value our column `name` of an incident table can hold, read as its cell
/// would be (`date_format` for dates, `mark` before a fraction of a count): for the values
/// `report.toml` recodes a file's cells to or fixes (written as report.toml writes numbers,
/// [`DecimalMark::Point`]), and for `columns` to find the values a file's cells cannot be read as.
pub fn check_value(name: &str, text: &str, date_format: Option<&str>, mark: DecimalMark) -> Result<(), Problem> {
    match name {
        "kind" => choice_text(text, Some(IncidentKind::Other)).map(drop),
        "permit" => choice_text(text, Some(Permit::Unknown)).map(drop),
        "date" if text.is_empty() => Err(("a date is needed".into(), None)),
        "id" if text.is_empty() => Err(("every incident needs an id".into(), None)),
        "date" | "date_end" => date_value(text, date_format),
        _ if text.is_empty() => Ok(()),
        name if count_index(name).is_some() => {
            Figure::parse_with(text, mark).map(drop).map_err(|e| (e.message, Some(COUNT_HINT.into())))
        }
        _ => text_value(text),
    }
}

/// A non-blank date `text`, in `date_format` when given.
pub fn date_value(text: &str, date_format: Option<&str>) -> Result<(), Problem> {
    Date::parse_as(text, date_format).map(drop).map_err(|e| (e.message, None))
}

/// A text a document can show: no control character other than a tab or a line break.
pub fn text_value(text: &str) -> Result<(), Problem> {
    match text.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        Some(c) => {
            Err((format!("holds the control character {}, which no document can show", c.escape_unicode()), None))
        }
        None => Ok(()),
    }
}

/// The [`SYNONYMS`] entries that stand for one of `V`'s words.
pub fn synonyms<V: Vocabulary>() -> impl Iterator<Item = (&'static str, V)> {
    SYNONYMS.iter().filter_map(|(word, ours)| Some((*word, V::from_word(ours)?)))
}

/// Words real exports use for our kinds, permits and sanctions (Russian, and English datasets'
/// event types), each with the word it stands for.
const SYNONYMS: &[(&str, &str)] = &[
    ("митинг", "rally"),
    ("протест", "rally"),
    ("акция протеста", "rally"),
    ("protest", "rally"),
    ("protests", "rally"),
    ("peaceful protest", "rally"),
    ("protest with intervention", "rally"),
    ("demonstration", "rally"),
    ("пикет", "picket"),
    ("одиночный пикет", "picket"),
    ("шествие", "march"),
    ("акция памяти", "memorial"),
    ("задержания", "raid"),
    ("суд", "court"),
    ("судебное дело", "court"),
    ("слежка", "surveillance"),
    ("иное", "other"),
    ("другое", "other"),
    ("отказано", "denied"),
    ("отказ", "denied"),
    ("разрешено", "granted"),
    ("согласовано", "granted"),
    ("частично", "partly"),
    ("не подавалась", "not-requested"),
    ("нет данных", "unknown"),
    ("штраф", "fine"),
    ("арест", "arrest"),
    ("административный арест", "arrest"),
    ("предупреждение", "warning"),
    ("уголовное дело", "criminal"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every incident read without errors, and the problems of the rest.
    fn read_all(bytes: &[u8], source: &Source) -> (Vec<Incident>, Vec<Diagnostic>) {
        let mut rows = Vec::new();
        let read = read(&mut &bytes[..], source, |row, _| rows.extend(row.incident.map(IncidentRow::to_incident)));
        (rows, read.map(|r| r.problems).unwrap_or_default())
    }

    const HEADER: &str = "id,date,date_end,city,place,kind,permit,participants,police,detained,fined,arrested,warned,injured,summary,sources\n";

    #[test]
    fn reads_a_row_with_every_kind_of_cell() {
        let csv = format!(
            "{HEADER}r1,25.02.2012,,Алматы,у памятника Абаю,rally,denied,~1500,~400,28,3,2,,,митинг,http://a; http://b\n"
        );
        let (incidents, problems) = read_all(csv.as_bytes(), &Source::plain("incidents.csv"));
        assert!(problems.is_empty(), "{problems:?}");
        let i = &incidents[0];
        assert_eq!((i.id.as_str(), i.kind, i.permit), ("r1", IncidentKind::Rally, Permit::Denied));
        assert_eq!(i.count("participants"), Figure::about(1500));
        assert_eq!(i.count("detained"), Figure::exact(28));
        assert!(!i.count("warned").is_known());
        assert_eq!(i.sources, ["http://a", "http://b"]);
    }

    #[test]
    fn a_row_of_quotes_alone_is_an_error_or_blank() {
        // Cases the property test below once shrank to (its seed file is gone).
        let (incidents, problems) = read_all(format!("{HEADER}\"\n").as_bytes(), &Source::plain("incidents.csv"));
        assert!(incidents.is_empty());
        assert_eq!((problems.len(), problems[0].line), (1, 2), "{problems:?}");
        assert!(problems[0].message.contains("never closed"), "{problems:?}");
        let (incidents, problems) = read_all(format!("{HEADER}\"\"\n").as_bytes(), &Source::plain("incidents.csv"));
        assert!(incidents.is_empty() && problems.is_empty(), "a row of one empty quoted cell is blank: {problems:?}");
    }

    #[test]
    fn every_bad_cell_is_reported() {
        let csv = format!("{HEADER}r1,2012-02-30,,,,rally,,12a,,,,,,,,\nr1,2012-03-01,,,,ralley,,,,,,,,,,\n");
        let (incidents, problems) = read_all(csv.as_bytes(), &Source::plain("incidents.csv"));
        assert!(incidents.is_empty());
        let at: Vec<(usize, usize)> = problems.iter().map(|p| (p.line, p.field.unwrap_or(0))).collect();
        assert_eq!(at, [(2, 2), (2, 8), (3, 6)]);
        assert_eq!(problems[1].message, "`participants`: `12a` is not a count: `a` cannot be part of one");
        assert_eq!(problems[2].hint.as_deref(), Some("did you mean `rally`?"));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_read_or_refused_without_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let _ = read_all(&bytes, &Source::plain("incidents.csv"));
        }

        #[test]
        fn any_row_after_a_good_header_is_read_or_refused_without_panic(row in "[^\\n]{0,200}") {
            let csv = format!("{HEADER}{row}\n");
            let (incidents, problems) = read_all(csv.as_bytes(), &Source::plain("incidents.csv"));
            // A row is either read or explained, unless it is blank: nothing but separators,
            // spaces and empty quoted cells (`""`).
            let blank = row.chars().all(|c| c == ',' || c == '"' || c.is_whitespace());
            proptest::prop_assert!(!incidents.is_empty() || !problems.is_empty() || blank);
        }
    }
}

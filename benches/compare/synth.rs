//! Synthetic report folders: N incidents and about N sanctions with the mix a real list has
//! (exact and approximate counts, blanks, several cities and kinds, Russian and English text),
//! plus the two plain-Typst documents osce-report is compared with.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// A small deterministic generator (xorshift), so every run reads the same files.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// A count cell: exact most of the time, else approximate, bounded, a range, or blank.
    fn count(&mut self, scale: u64) -> String {
        let n = self.below(scale) + 1;
        match self.below(20) {
            0..=11 => n.to_string(),
            12 => format!("~{n}"),
            13 => format!(">{n}"),
            14 => format!("<{n}"),
            15 => format!("{n}-{}", n + self.below(scale) + 1),
            _ => String::new(),
        }
    }
}

const KINDS: [&str; 8] = ["rally", "picket", "march", "memorial", "raid", "court", "surveillance", "other"];
const PERMITS: [&str; 5] = ["denied", "granted", "partly", "not-requested", "unknown"];
const CITIES: [&str; 10] =
    ["Алматы", "Астана", "Шымкент", "Караганда", "Актобе", "Жанаозен", "Уральск", "Taraz", "Pavlodar", "Semey"];
const PLACES: [&str; 6] =
    ["площадь Республики", "памятник Абаю", "у здания акимата", "Central Square", "court building", ""];
const SUMMARIES: [&str; 6] = [
    "Митинг в поддержку политзаключённых; задержания после акции",
    "Одиночный пикет у здания акимата, участник доставлен в отдел полиции",
    "\"Марш несогласных\", разогнан полицией, несколько человек задержаны",
    "Peaceful assembly dispersed by police; organisers fined the next day",
    "Memorial gathering for the victims of Zhanaozen, held without a permit",
    "Суд над участниками акции, штрафы и административные аресты",
];
const FIRST: [&str; 8] = ["Бахыт", "Айгуль", "Ермек", "Жанболат", "Dmitry", "Galym", "Светлана", "Нурлан"];
const LAST: [&str; 8] = ["Туменова", "Нарымбаев", "Мамай", "Атабек", "Kozlov", "Ageleuov", "Ахметова", "Сапаров"];

/// What a synthetic report holds, for checking the figures each approach prints.
pub struct Made {
    pub incidents: usize,
    pub sanctions: usize,
    pub bytes: u64,
}

/// Writes a report folder of `n` incidents into `dir`: `report.toml` with a summary-only audience
/// (`totals`, Russian, the `totals` template below), the built-in press brief and the annex
/// (English), the CSV files, and the plain-Typst documents `plain.typ` (same totals from the raw
/// CSV in Typst script) and `direct.typ` (the annex's incident table written out directly).
pub fn write_report(dir: &Path, n: usize, seed: u64) -> Made {
    fs::create_dir_all(dir.join("templates/totals")).expect("folder created");
    fs::create_dir_all(dir.join("out")).expect("folder created");
    fs::write(dir.join("report.toml"), REPORT_TOML).expect("report.toml written");
    fs::write(dir.join("templates/totals/main.typ"), TOTALS_TEMPLATE).expect("template written");
    fs::write(dir.join("plain.typ"), PLAIN_TYPST).expect("plain.typ written");
    fs::write(dir.join("lean.typ"), LEAN_TYPST).expect("lean.typ written");
    fs::write(dir.join("duckdb_sums.py"), DUCKDB_SUMS).expect("duckdb_sums.py written");
    fs::write(dir.join("duckdb.typ"), DUCKDB_TYPST).expect("duckdb.typ written");
    let mut random = Random::new(seed);
    let mut incidents = String::with_capacity(n * 160);
    let mut sanctions = String::with_capacity(n * 70);
    let mut direct = String::from(DIRECT_HEAD);
    let mut direct_sanctions = String::from(DIRECT_SANCTIONS_HEAD);
    incidents.push_str("id,date,city,place,kind,permit,participants,police,detained,fined,arrested,summary,sources\n");
    sanctions.push_str("incident,date,person,kind,amount,days,note\n");
    let mut sanction_count = 0;
    for i in 0..n {
        let (month, day) = (random.below(12) + 1, random.below(28) + 1);
        let date = format!("2012-{month:02}-{day:02}");
        let (kind, permit, city, place) =
            (random.pick(&KINDS), random.pick(&PERMITS), random.pick(&CITIES), random.pick(&PLACES));
        let (participants, police) = (random.count(5000), random.count(500));
        // Every incident has one or two sanctions listed, and its counts agree with them.
        let listed: Vec<&str> =
            (0..1 + random.below(2)).map(|_| ["fine", "fine", "arrest", "warning"][random.below(4) as usize]).collect();
        let fines = listed.iter().filter(|k| **k == "fine").count() as u64;
        let arrests = listed.iter().filter(|k| **k == "arrest").count() as u64;
        let fined = fines + random.below(3);
        let arrested = arrests + random.below(2);
        let detained = fined + arrested + random.below(20);
        let detained_cell = if random.below(10) == 0 { format!("~{detained}") } else { detained.to_string() };
        let summary = random.pick(&SUMMARIES);
        let id = format!("i{i}");
        let _ = writeln!(
            incidents,
            "{id},{date},{city},{place},{kind},{permit},{participants},{police},{detained_cell},{fined},{arrested},\"{}\",https://example.org/{i}",
            summary.replace('"', "\"\"")
        );
        if i < DIRECT_ROWS_MAX {
            let _ = writeln!(
                direct,
                "  [{day:02}.{month:02}.2012], [{city}#linebreak()#text(size: 7.5pt)[{}]], [{kind}#linebreak()#text(size: 7.5pt, style: \"italic\")[{permit}]], text(size: 8pt)[{}], [{}], [{}], [{}], [{}], [{}], [—], [—], text(size: 6.5pt, font: \"DejaVu Sans Mono\")[#link(\"https://example.org/{i}\")[https:\\u{{200B}}/\\u{{200B}}/\\u{{200B}}example.\\u{{200B}}org/\\u{{200B}}{i}]], table.hline(stroke: 0.3pt),",
                typst_text(place),
                typst_text(summary),
                typst_text(&participants),
                typst_text(&police),
                typst_text(&detained_cell),
                fined,
                arrested,
            );
        }
        for kind in listed {
            let person = format!("{} {}", random.pick(&FIRST), random.pick(&LAST));
            let (amount, days) = match kind {
                "fine" => ((random.below(80) + 10) * 1000, String::new()),
                "arrest" => (0, (random.below(14) + 1).to_string()),
                _ => (0, String::new()),
            };
            let amount = if amount > 0 { amount.to_string() } else { String::new() };
            let _ = writeln!(sanctions, "{id},{date},{person},{kind},{amount},{days},");
            if i < DIRECT_ROWS_MAX {
                let initials: String =
                    person.split(' ').filter_map(|p| p.chars().next()).map(|c| format!("{c}. ")).collect();
                let _ = writeln!(
                    direct_sanctions,
                    "  [{day:02}.{month:02}.2012 #text(size: 7.5pt)[{kind}]], [{day:02}.{month:02}.2012], [{}], [{kind}], [{}], [{}], [], table.hline(stroke: 0.3pt),",
                    initials.trim(),
                    if amount.is_empty() { "—".to_string() } else { format!("{amount} KZT") },
                    if days.is_empty() { "—".to_string() } else { format!("{days} days") },
                );
            }
            sanction_count += 1;
        }
    }
    direct.push_str(")\n");
    direct.push_str(&direct_sanctions);
    direct.push_str(")\n");
    let bytes = (incidents.len() + sanctions.len()) as u64;
    fs::write(dir.join("incidents.csv"), incidents).expect("incidents.csv written");
    fs::write(dir.join("sanctions.csv"), sanctions).expect("sanctions.csv written");
    if n <= DIRECT_ROWS_MAX {
        fs::write(dir.join("direct.typ"), direct).expect("direct.typ written");
    }
    Made { incidents: n, sanctions: sanction_count, bytes }
}

/// The direct table is written only for sizes the annex is measured at.
const DIRECT_ROWS_MAX: usize = 20_000;

/// Text as Typst markup content: every markup character escaped.
fn typst_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\#[]*_`$<>@~/\"=-+".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

const REPORT_TOML: &str = r#"title = "Synthetic report for benchmarks"
language = "ru"
date = 2012-12-31
country = "Республика Казахстан"
default_audience = "totals"

[period]
start = 2012-01-01
end = 2012-12-31

[venue]
meeting = "Human Dimension Implementation Meeting"

[author]
organisation = "Benchmark"
date = 2012-12-31

[currency]
code = "KZT"

[data]
incidents = "incidents.csv"
sanctions = "sanctions.csv"

[audiences.totals]
template = "totals"
redact = "withheld"

[audiences.press]
template = "press-brief"
language = "en"
redact = "withheld"

[audiences.annex]
template = "annex"
language = "en"
redact = "initials"
"#;

/// The summary-only template: the same figures as `plain.typ`, read from the data osce-report
/// computed.
const TOTALS_TEMPLATE: &str = r#"#import "@osce/report:0.1.0": report
#set page(paper: "a4")
#set text(lang: "ru", size: 10pt)
#let t = report.totals
= #report.title
#table(columns: 2,
  [Инциденты], [#t.incidents-text],
  [Участники], [#t.participants.text],
  [Задержаны], [#t.detained.text],
  [Оштрафованы], [#t.fined.text],
  [Арестованы], [#t.arrested.text],
  [Штрафы], [#report.fines.count, #report.fines.total-text],
  [Аресты], [#report.arrests.count, #report.arrests.total-days-text],
)
#table(columns: 2, ..report.by-kind.map(k => ([#k.label], [#k.count-text])).flatten())
#table(columns: 3, ..report.by-month.map(m => ([#m.label], [#m.incidents-text], [#m.detained.text])).flatten())
"#;

/// The plain-Typst approach: the raw CSV read with `csv()` and the same totals added up in
/// Typst script (exact, approximate, bounded and ranged counts; blanks as unknown).
pub const PLAIN_TYPST: &str = r#"#set page(paper: "a4")
#set text(lang: "ru", size: 10pt)
#let incidents = csv("incidents.csv", row-type: dictionary)
#let sanctions = csv("sanctions.csv", row-type: dictionary)
// A figure is (low, high, open, approx, unknown): `open` for "more than", `unknown` counts blanks.
#let parse(s) = {
  if s == "" { return (0, 0, false, false, 1) }
  let c = s.first()
  if c == "~" { let n = int(s.slice(1)); return (n, n, false, true, 0) }
  if c == ">" { let n = int(s.slice(1)); return (n + 1, n + 1, true, false, 0) }
  if c == "<" { return (0, int(s.slice(1)) - 1, false, true, 0) }
  if s.contains("-") { let (a, b) = s.split("-"); return (int(a), int(b), false, true, 0) }
  let n = int(s)
  (n, n, false, false, 0)
}
#let add(a, b) = (a.at(0) + b.at(0), a.at(1) + b.at(1), a.at(2) or b.at(2), a.at(3) or b.at(3), a.at(4) + b.at(4))
#let show-figure(f) = {
  let (low, high, open, approx, unknown) = f
  let prefix = if open { "более " } else if approx { "около " } else { "" }
  let n = if low == high or open { str(low) } else { str(low) + "–" + str(high) }
  prefix + n + if unknown > 0 { " и более" } else { "" }
}
#let zero = (0, 0, false, false, 0)
#let (participants, detained, fined, arrested) = (zero, zero, zero, zero)
#let by-kind = (:)
#let by-month = (:)
#for row in incidents {
  participants = add(participants, parse(row.participants))
  let d = parse(row.detained)
  detained = add(detained, d)
  fined = add(fined, parse(row.fined))
  arrested = add(arrested, parse(row.arrested))
  by-kind.insert(row.kind, by-kind.at(row.kind, default: 0) + 1)
  let month = row.date.slice(0, 7)
  let (n, f) = by-month.at(month, default: (0, zero))
  by-month.insert(month, (n + 1, add(f, d)))
}
#let (fines, fines-total, arrests, arrest-days) = (0, 0, 0, 0)
#for s in sanctions {
  if s.kind == "fine" { fines += 1; fines-total += int(s.amount) }
  else if s.kind == "arrest" { arrests += 1; arrest-days += int(s.days) }
}
= Synthetic report for benchmarks
#table(columns: 2,
  [Инциденты], [#incidents.len()],
  [Участники], [#show-figure(participants)],
  [Задержаны], [#show-figure(detained)],
  [Оштрафованы], [#show-figure(fined)],
  [Арестованы], [#show-figure(arrested)],
  [Штрафы], [#fines, #fines-total тенге],
  [Аресты], [#arrests, #arrest-days суток],
)
#table(columns: 2, ..by-kind.pairs().sorted().map(((k, n)) => ([#k], [#n])).flatten())
#table(columns: 3, ..by-month.pairs().sorted().map(((m, (n, d))) => ([#m], [#n], [#show-figure(d)])).flatten())
"#;

/// The lean plain-Typst template a Typst user would write for the same headline figures: read the
/// CSV with `csv()`, strip the `~ > <` marks, take the lower end of a range, treat a blank as 0,
/// sum four columns. It does not keep approximate or blank counts apart, so its totals are the
/// low ends of ours.
pub const LEAN_TYPST: &str = r#"#let rows = csv("incidents.csv", row-type: dictionary)
#let num(s) = {
  let t = s.trim("~").trim(">").trim("<")
  if t == "" { 0 } else { int(t.split("-").first()) }
}
#let sum(column) = rows.map(r => num(r.at(column))).sum()
= Synthetic report for benchmarks
#table(columns: 2,
  [Incidents], [#rows.len()],
  [Participants], [#sum("participants")],
  [Detained], [#sum("detained")],
  [Fined], [#sum("fined")],
  [Arrested], [#sum("arrested")],
)
"#;

/// The DuckDB pipeline, first half: `python3 duckdb_sums.py` reads the CSV with DuckDB's
/// `read_csv`, sums the same four columns as `lean.typ` in SQL, writes `sums.json`, and prints
/// its own peak memory (`ru_maxrss`, kB) as `peak_kb=`.
pub const DUCKDB_SUMS: &str = r#"import json, resource, sys, duckdb
folder = sys.argv[1]
def low(column):
    return f"coalesce(sum(try_cast(split_part(regexp_replace({column}, '[~<>]', '', 'g'), '-', 1) as bigint)), 0)"
row = duckdb.connect().execute(
    f"select count(*), {low('participants')}, {low('detained')}, {low('fined')}, {low('arrested')} "
    f"from read_csv('{folder}/incidents.csv', all_varchar = true)"
).fetchone()
keys = ["incidents", "participants", "detained", "fined", "arrested"]
with open(f"{folder}/sums.json", "w") as out:
    json.dump(dict(zip(keys, row)), out)
print(f"peak_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
"#;

/// The DuckDB pipeline, second half: the sums shown by Typst.
pub const DUCKDB_TYPST: &str = r#"#let s = json("sums.json")
= Synthetic report for benchmarks
#table(columns: 2,
  [Incidents], [#s.incidents],
  [Participants], [#s.participants],
  [Detained], [#s.detained],
  [Fined], [#s.fined],
  [Arrested], [#s.arrested],
)
"#;

/// The start of `direct.typ`: the annex's page and its incident table (same columns, widths and
/// cell contents), the rows written out as markup.
const DIRECT_HEAD: &str = r#"#set page(paper: "a4", flipped: true, margin: (x: 1.5cm, top: 1.5cm, bottom: 1.7cm))
#set text(lang: "en", font: "Libertinus Serif", size: 8.5pt, hyphenate: true)
#set par(justify: false, leading: 0.45em)
#set table.cell(breakable: false)
#let h(body) = text(weight: "bold", size: 7.5pt, hyphenate: false, body)
= Incidents
#table(
  columns: (1.55fr, 2.2fr, 2.1fr, 7.6fr, ..(1.3fr,) * 7, 3.4fr),
  stroke: none,
  inset: (x: 3pt, y: 3.5pt),
  align: (x, y) => if x >= 4 and x <= 10 { right } else { left },
  table.header(h[Date], h[Place], h[Kind / Permit], h[Event], h[Participants], h[Police], h[Detained], h[Fined], h[Arrested], h[Warned], h[Injured], h[Sources]),
"#;

/// The start of the sanctions table of `direct.typ`.
const DIRECT_SANCTIONS_HEAD: &str = r#"= Sanctions
#table(
  columns: (3.4fr, 1.6fr, 2.8fr, 3.4fr, 3.4fr, 1.5fr, 6fr),
  stroke: none,
  align: (x, y) => if x == 4 or x == 5 { right } else { left },
  inset: (x: 4pt, y: 3.5pt),
  table.header(h[Incident], h[Date], h[Person], h[Kind], h[Amount], h[Days], h[Note]),
"#;

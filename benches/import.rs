//! Reading a large incident export: time and peak memory of loading it and computing every figure.
//!
//! `cargo bench --bench import` (rows: `IMPORT_ROWS`, default 1 000 000). It writes a synthetic
//! export (random kinds, cities and qualified counts) to a temporary report folder, then loads
//! it exactly as `osce-report summary` does, and prints rows per second and the process's peak
//! resident memory (Linux `VmHWM`).

use std::fmt::Write as _;
use std::time::Instant;

use osce_report::report::Report;

/// A small deterministic generator (xorshift), so every run reads the same file.
struct Random(u64);

impl Random {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }

    fn count(&mut self) -> String {
        let n = self.next(5000) + 1;
        match self.next(10) {
            0..=4 => n.to_string(),
            5 => format!("~{n}"),
            6 => format!(">{n}"),
            7 => format!("<{n}"),
            8 => format!("{n}-{}", n + self.next(500) + 1),
            _ => String::new(),
        }
    }
}

fn main() {
    let rows: usize = std::env::var("IMPORT_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let report = include_str!("../tests/fixtures/cp1251-ru/report.toml").replace("2018", "2012");
    std::fs::write(dir.path().join("report.toml"), report).expect("report.toml written");
    let kinds = ["rally", "picket", "march", "memorial", "raid", "court", "surveillance", "other"];
    let cities = ["Алматы", "Астана", "Шымкент", "Караганда", "Актобе"];
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut csv = String::from("id,date,city,place,kind,participants,police,detained,fined,arrested,summary,sources\n");
    for i in 0..rows {
        let (month, day) = (random.next(12) + 1, random.next(28) + 1);
        let (p, po) = (random.count(), random.count());
        // Fined and arrested stay below detained, as in consistent data.
        let detained = random.next(200) + 10;
        let (fined, arrested) = (random.next(detained / 2), random.next(detained / 2));
        let kind = kinds[random.next(8) as usize];
        let city = cities[random.next(5) as usize];
        let _ = writeln!(
            csv,
            "i{i},2012-{month:02}-{day:02},{city},центральная площадь,{kind},{p},{po},{detained},{fined},{arrested},Митинг в поддержку политзаключённых; задержания после акции,http://example.org/{i}"
        );
    }
    std::fs::write(dir.path().join("incidents.csv"), &csv).expect("incidents.csv written");
    let megabytes = csv.len() as f64 / 1e6;
    drop(csv);

    let started = Instant::now();
    let report = Report::load(dir.path()).unwrap_or_else(|_| panic!("the synthetic report loads"));
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(report.summary.totals.incidents, rows);
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    println!("rows           {rows}");
    println!("file           {megabytes:.0} MB");
    println!("load + figures {seconds:.2} s");
    println!("rows/second    {:.0}", rows as f64 / seconds);
    println!("peak memory    {peak} (whole bench process, including the generated file while it was written)");
}

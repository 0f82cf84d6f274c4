//! End-to-end tests: run the real binary on copies of the example report, read the PDFs it
//! writes and check what a reader would check.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod recode;

/// The example report shipped in `data/`.
const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kazakhstan-2012");

/// A copy of the example report in a temporary folder, to run the binary on and break.
struct Fixture {
    _temp: tempfile::TempDir,
    dir: PathBuf,
}

impl Fixture {
    /// A fresh copy of the example (without any `out/` it may have).
    fn example() -> Self {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("report");
        copy_dir(Path::new(EXAMPLE), &dir);
        let _ = fs::remove_dir_all(dir.join("out"));
        Fixture { _temp: temp, dir }
    }

    /// A fresh copy of the report folder `tests/fixtures/NAME`.
    fn case(name: &str) -> Self {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("report");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), &dir);
        Fixture { _temp: temp, dir }
    }

    /// Runs `osce-report ARGS` with the report folder as the working directory.
    fn run(&self, args: &[&str]) -> Run {
        let output =
            Command::new(env!("CARGO_BIN_EXE_osce-report")).args(args).current_dir(&self.dir).output().unwrap();
        Run(output)
    }

    /// Runs `osce-report build` on the report folder.
    fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Replaces the text of a file in the report folder, failing the test if `from` is absent.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.dir.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// The path of a file in the report folder.
    fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }
}

/// What a run printed and how it exited.
struct Run(Output);

impl Run {
    fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// Asserts the exit code, showing stderr when it differs.
    fn expect(self, code: i32) -> Self {
        assert_eq!(self.code(), code, "stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The text a reader sees in a PDF, with every kind of space made a plain space and runs of
/// whitespace collapsed, so assertions need not care how a line was broken.
fn pdf_text(path: &Path) -> String {
    let bytes = fs::read(path).unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let spaced: String = text.chars().map(|c| if c.is_whitespace() || c == '\u{202f}' { ' ' } else { c }).collect();
    // Undo hyphenation at line ends (pdf-extract gives "организа \u{ad} ций" and "юго- западной").
    spaced
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" \u{ad} ", "")
        .replace("\u{ad} ", "")
        .replace("- ", "-")
}

/// Asserts that a problem was printed: its message, and its location under it (`┌─ file:line:column`).
fn assert_shows(stderr: &str, location: &str, message: &str) {
    assert!(stderr.contains(message), "no {message:?} in:\n{stderr}");
    // Under the message: the source line when it is short enough to show, else just the place.
    let shown = stderr.contains(&format!("┌─ {location}")) || stderr.contains(&format!("= in {location}"));
    assert!(shown, "no location {location:?} in:\n{stderr}");
}

/// The 1-based character column where field `field` of a CSV line starts.
fn cell_column(line: &str, field: usize) -> usize {
    line.split(',').take(field - 1).map(|cell| cell.chars().count() + 1).sum::<usize>() + 1
}

/// Asserts that `text` contains each of `needles`.
fn assert_contains_all(text: &str, needles: &[&str]) {
    let missing: Vec<&&str> = needles.iter().filter(|n| !text.contains(**n)).collect();
    assert!(missing.is_empty(), "missing {missing:?} in:\n{text}");
}

#[test]
fn the_example_builds_into_a_pdf_with_the_statements_figures_names_and_dates() {
    let f = Fixture::example();
    let run = f.build().expect(0);
    assert_eq!(run.stdout(), "out/osce.pdf\n");
    let pdf = f.path("out/osce.pdf");
    let text = pdf_text(&pdf);
    assert_contains_all(
        &text,
        &[
            // Title, venue, signature.
            "Ситуация со свободой мирных собраний и митингов в Казахстане",
            "Сессия 2, 9 ноября 2012 г.",
            "Союз правозащитных организаций",
            "Исполнительный секретарь",
            "Г. Архангельский",
            "8 ноября 2012 г.",
            // Figures of single incidents, with their qualifiers.
            "около 1 500",
            "около 400",
            "менее 1 000",
            // Hand-checked totals: detained 28 + ~10 + ~20, with 11 incidents giving no figure.
            "около 58 и более",
            // Fined per incident 2 + 3 + 2 + 4 = 11, arrested 3 + 2 + 2 + 2 + 1 = 10.
            "не менее 11",
            "не менее 10",
            // The one known fine, in both currencies (80 900 / 197.5 = 409.6).
            "80 900 тенге",
            "410 евро",
            // Arrest terms.
            "15 суток",
            // Stated figures for the period, beside the computed ones.
            "более 5 000",
            "около 100",
            "30 000–81 000 тенге",
            "10–18 суток",
            // Names from the sanctions list and the narrative.
            "Бахыт Туменова",
            "Торегожина",
            "Лариса Бояр",
            "Канат Ибрагимов",
            // Recommendations and sources.
            "Правительству Республики Казахстан",
            "rus.azattyq.org",
        ],
    );
}

#[test]
fn two_builds_of_the_same_inputs_are_byte_identical() {
    let f = Fixture::example();
    f.run(&["build", ".", "-o", "first.pdf"]).expect(0);
    f.run(&["build", ".", "-o", "second.pdf"]).expect(0);
    assert!(fs::read(f.path("first.pdf")).unwrap() == fs::read(f.path("second.pdf")).unwrap());
}

#[test]
fn a_corrupted_count_is_reported_at_its_cell_and_the_previous_pdf_stays_intact() {
    let f = Fixture::example();
    f.build().expect(0);
    let before = fs::read(f.path("out/osce.pdf")).unwrap();
    // Line 3 is the second incident; its `detained` cell is the 10th column.
    let text = fs::read_to_string(f.path("incidents.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<&str> = lines[2].split(',').collect();
    cells[9] = "12a";
    lines[2] = cells.join(",");
    fs::write(f.path("incidents.csv"), lines.join("\n") + "\n").unwrap();

    let run = f.build().expect(1);
    let location = format!("incidents.csv:3:{}", cell_column(&lines[2], 10));
    assert_shows(&run.stderr(), &location, "error: `detained`: `12a` is not a count: `a` cannot be part of one");
    assert!(run.stdout().is_empty());
    assert!(fs::read(f.path("out/osce.pdf")).unwrap() == before, "the previous PDF changed");
    let leftovers: Vec<_> = fs::read_dir(f.path("out")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    assert!(leftovers.contains(&"osce.pdf".into()) && leftovers.contains(&"osce.figures.json".into()));
}

#[test]
fn every_bad_cell_is_reported_in_one_run() {
    let f = Fixture::example();
    f.edit("incidents.csv", "2012-02-25,,Алматы", "2012-02-31,,Алматы");
    f.edit("incidents.csv", ",~400,28,", ",~400,28 человек,");
    f.edit("sanctions.csv", ",80 900,", ",80 9OO,");
    let stderr = f.build().expect(1).stderr();
    // The date is the second field of line 4, after the 32-character id and its comma.
    assert_shows(&stderr, "incidents.csv:4:34", "error: `date`: `2012-02-31` is not a day of the calendar");
    assert_shows(
        &stderr,
        "incidents.csv:5:",
        "error: `detained`: `28 человек` is not a count: `ч` cannot be part of one",
    );
    assert_shows(&stderr, "sanctions.csv:23:", "error: `amount`: `80 9OO` is not an amount: `O` cannot be part of one");
    assert!(stderr.contains("build failed: 3 errors"), "{stderr}");
}

#[test]
fn a_sanction_for_an_unknown_incident_is_an_error_at_its_line() {
    let f = Fixture::example();
    f.edit("sanctions.csv", "2012-05-31-memorial,2012-05-31,Бахыт", "2012-05-31-memorail,2012-05-31,Бахыт");
    let stderr = f.build().expect(1).stderr();
    assert_shows(
        &stderr,
        "sanctions.csv:23:1",
        "error: `incident`: `2012-05-31-memorail` is not an id in the incident list",
    );
    assert!(stderr.contains("did you mean `2012-05-31-memorial`?"), "{stderr}");
    // Only a slip of an id is offered, never an id that merely starts alike (`2012` was offered
    // `2012-01-28-rally`; a narrative's `2026-03-08-rally` was offered `202`).
    f.edit("sanctions.csv", "2012-05-31-memorail,2012-05-31,Бахыт", "2012,2012-05-31,Бахыт");
    let stderr = f.build().expect(1).stderr();
    assert_shows(&stderr, "sanctions.csv:23:1", "error: `incident`: `2012` is not an id in the incident list");
    assert!(!stderr.contains("did you mean"), "{stderr}");
}

#[test]
fn a_misspelt_key_in_report_toml_is_named_with_a_suggestion() {
    let f = Fixture::example();
    f.edit("report.toml", "signatory =", "signatary =");
    let stderr = f.build().expect(1).stderr();
    assert_shows(&stderr, "report.toml:20:1", "error: unknown field `signatary`");
    assert!(stderr.contains("did you mean `signatory`?"), "{stderr}");
}

#[test]
fn warnings_do_not_stop_the_build() {
    let f = Fixture::example();
    // A stated figure below what the rows document, and an incident outside the period.
    f.edit("report.toml", "fined = \"16\"", "fined = \"5\"");
    f.edit("incidents.csv", "2012-10-15,,Алматы", "2012-11-15,,Алматы");
    let run = f.build().expect(0);
    let stderr = run.stderr();
    assert!(
        stderr.contains("warning: `stated.fined`: the incidents listed give at least 11 but the stated figure is 5"),
        "{stderr}"
    );
    assert_shows(&stderr, "incidents.csv:15:25", "warning: `date`: `2012-11-15` is outside the report period");
}

#[test]
fn output_goes_where_asked_and_a_missing_folder_is_an_io_error() {
    let f = Fixture::example();
    fs::create_dir(f.path("sub")).unwrap();
    f.run(&["build", ".", "--output", "sub/statement.pdf"]).expect(0);
    assert!(fs::read(f.path("sub/statement.pdf")).unwrap().starts_with(b"%PDF-"));
    let run = f.run(&["build", "no-such-folder"]).expect(2);
    assert!(run.stderr().contains("no-such-folder"), "{}", run.stderr());
}

#[test]
fn a_narrative_file_cannot_read_outside_the_report_folder() {
    let f = Fixture::example();
    fs::write(f.dir.parent().unwrap().join("secret.txt"), "secret").unwrap();
    fs::write(f.path("sections/99-leak.typ"), "#read(\"../secret.txt\")\n").unwrap();
    let stderr = f.build().expect(1).stderr();
    assert_shows(&stderr, "sections/99-leak.typ:1:7", "error: file not found");
    assert!(!f.path("out/osce.pdf").exists());
}

#[test]
fn an_error_in_a_custom_template_points_at_its_line() {
    let f = Fixture::example();
    fs::create_dir_all(f.path("templates/osce-submission")).unwrap();
    fs::write(
        f.path("templates/osce-submission/main.typ"),
        "#import \"@osce/report:0.1.0\": report\n= #report.title\n#report.no-such-key\n",
    )
    .unwrap();
    let stderr = f.build().expect(1).stderr();
    assert_shows(
        &stderr,
        "templates/osce-submission/main.typ:3:",
        "error: dictionary does not contain key \"no-such-key\"",
    );
}

/// Surnames in the example's sanctions list and narrative, in Russian and in the English narrative.
const SURNAMES: [&str; 12] = [
    "Туменов",
    "Торегожин",
    "Бояр",
    "Ибрагимов",
    "Козлов",
    "Атабек",
    "Tumenova",
    "Toregozhina",
    "Boyar",
    "Ibragimov",
    "Kozlov",
    "Atabek",
];

#[test]
fn all_audiences_build_in_one_run_each_in_its_language_and_privacy() {
    let f = Fixture::example();
    let run = f.run(&["build", ".", "--all-audiences"]).expect(0);
    assert_eq!(run.stdout(), "out/annex.pdf\nout/osce.pdf\nout/press-en.pdf\n");

    let press = pdf_text(&f.path("out/press-en.pdf"));
    let cyrillic: String = press.chars().filter(|c| ('\u{400}'..='\u{4ff}').contains(c)).collect();
    assert!(cyrillic.is_empty(), "Cyrillic in the English brief: {cyrillic:?}");
    for surname in SURNAMES {
        assert!(!press.contains(surname), "the press brief shows {surname}");
    }
    assert_contains_all(
        &press,
        &["[name withheld]", "about 4,000 or more", "about 58 or more", "80,900 tenge", "more than 5,000"],
    );

    let osce = pdf_text(&f.path("out/osce.pdf"));
    assert_contains_all(&osce, &["Бахыт Туменова", "Бахытжан Торегожина", "Лариса Бояр", "Канат Ибрагимов"]);

    let annex = pdf_text(&f.path("out/annex.pdf"));
    assert_contains_all(&annex, &["Б. Т.", "Л. Б.", "К. И.", "80 900 тенге (410 евро)", "31.05.2012 акция памяти"]);
    for surname in &SURNAMES[..4] {
        assert!(!annex.contains(surname), "the annex shows {surname}");
    }
}

#[test]
fn all_audiences_give_the_same_bytes_as_single_builds() {
    let f = Fixture::example();
    f.run(&["build", ".", "--all-audiences"]).expect(0);
    let together = fs::read(f.path("out/press-en.pdf")).unwrap();
    f.run(&["build", ".", "--audience", "press-en", "-o", "single.pdf"]).expect(0);
    assert!(together == fs::read(f.path("single.pdf")).unwrap());
}

#[test]
fn one_failing_audience_does_not_stop_the_others() {
    let f = Fixture::example();
    f.edit("sections/en/01-summary.typ", "= Almaty 2012", "#nonsense(\n= Almaty 2012");
    let run = f.run(&["build", ".", "--all-audiences"]).expect(1);
    assert!(run.stderr().contains("┌─ sections/en/01-summary.typ:"), "{}", run.stderr());
    assert!(run.stderr().contains("audience `press-en`: build failed"), "{}", run.stderr());
    assert!(f.path("out/osce.pdf").exists() && f.path("out/annex.pdf").exists());
    assert!(!f.path("out/press-en.pdf").exists());
}

#[test]
fn a_named_audience_builds_alone_and_an_unknown_one_is_a_usage_error() {
    let f = Fixture::example();
    assert_eq!(f.run(&["build", ".", "--audience", "annex"]).expect(0).stdout(), "out/annex.pdf\n");
    assert!(!f.path("out/osce.pdf").exists());
    let run = f.run(&["build", ".", "--audience", "press"]).expect(2);
    assert!(
        run.stderr().contains("there is no audience `press` in report.toml (audiences: `annex`, `osce`, `press-en`)")
    );
}

#[test]
fn a_name_left_unmarked_never_reaches_a_redacted_pdf() {
    let f = Fixture::example();
    f.edit("sections/en/01-summary.typ", "the same NGO head found", "Bakhyt Tumenova found");
    let run = f.run(&["build", ".", "--audience", "press-en"]).expect(1);
    assert_shows(
        &run.stderr(),
        "sections/en/01-summary.typ:11:",
        "audience `press-en` withholds names, but its document would show `Bakhyt Tumenova`",
    );
    assert!(!f.path("out/press-en.pdf").exists());
}

#[test]
fn config_prints_the_merged_settings_of_an_audience() {
    let f = Fixture::example();
    let out = f.run(&["config", ".", "--audience", "press-en"]).expect(0).stdout();
    let settings: toml::Table = toml::from_str(&out).unwrap();
    assert_eq!(settings["template"].as_str(), Some("press-brief"));
    assert_eq!(settings["language"].as_str(), Some("en"));
    assert_eq!(settings["redact"].as_str(), Some("withheld"));
    assert_eq!(settings["venue"]["session"].as_str(), Some("Session 2"));
    // Not overridden: the same period as the report.
    assert_eq!(settings["period"]["end"].as_datetime().unwrap().to_string(), "2012-10-31");
    let osce = f.run(&["config"]).expect(0).stdout();
    assert!(osce.contains("title = \"Ситуация со свободой мирных собраний и митингов в Казахстане\""));
}

#[test]
fn an_ejected_template_is_used_and_its_errors_point_into_it() {
    let f = Fixture::example();
    let listed = f.run(&["template", "list"]).expect(0).stdout();
    for name in ["osce-submission", "press-brief", "annex"] {
        assert!(listed.contains(name), "{listed}");
    }
    f.run(&["template", "eject", "osce-submission", "."]).expect(0);
    let run = f.run(&["template", "eject", "osce-submission", "."]).expect(2);
    assert!(run.stderr().contains("pass --force to overwrite"), "{}", run.stderr());
    f.run(&["template", "eject", "osce-submission", ".", "--force"]).expect(0);

    f.edit("templates/osce-submission/main.typ", "#set par(justify: true)", "#set par(justify: true)\nEDITED-COPY\n");
    f.build().expect(0);
    assert!(pdf_text(&f.path("out/osce.pdf")).contains("EDITED-COPY"));

    f.edit("templates/osce-submission/main.typ", "EDITED-COPY", "#let broken = (");
    let stderr = f.build().expect(1).stderr();
    let line = fs::read_to_string(f.path("templates/osce-submission/main.typ"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("#let broken"))
        .unwrap()
        + 1;
    assert!(stderr.contains(&format!("┌─ templates/osce-submission/main.typ:{line}:")), "{stderr}");
}

#[test]
fn the_custom_template_in_the_docs_builds() {
    let f = Fixture::example();
    let docs = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/templates.md")).unwrap();
    let after = docs.split("### A small custom template").nth(1).unwrap();
    let code = after.split("```typst\n").nth(1).unwrap().split("```").next().unwrap();
    fs::create_dir_all(f.path("templates/fact-sheet")).unwrap();
    fs::write(f.path("templates/fact-sheet/main.typ"), code).unwrap();
    let toml = fs::read_to_string(f.path("report.toml")).unwrap();
    fs::write(
        f.path("report.toml"),
        format!("{toml}\n[audiences.facts]\ntemplate = \"fact-sheet\"\nredact = \"initials\"\n"),
    )
    .unwrap();
    f.run(&["build", ".", "--audience", "facts"]).expect(0);
    let text = pdf_text(&f.path("out/facts.pdf"));
    assert_contains_all(
        &text,
        &["около 58 и более", "Б. Т.: штраф 80 900 тенге", "Л. Б.: административный арест 15 суток"],
    );
}

#[test]
fn check_writes_nothing_and_speaks_json() {
    let f = Fixture::example();
    let run = f.run(&["check", ".", "--format", "json"]).expect(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert!(!f.path("out").exists(), "check wrote files");

    let text = fs::read_to_string(f.path("incidents.csv")).unwrap();
    let line3 = text.lines().nth(2).unwrap().to_string();
    let mut cells: Vec<&str> = line3.split(',').collect();
    cells[9] = "12a";
    fs::write(f.path("incidents.csv"), text.replacen(&line3, &cells.join(","), 1)).unwrap();
    let run = f.run(&["check", ".", "--format", "json"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "incidents.csv");
    assert_eq!(d["line"], 3);
    assert_eq!(d["column"], cell_column(&line3, 10));
    assert_eq!(d["message"], "`detained`: `12a` is not a count: `a` cannot be part of one");
    assert!(d["hint"].as_str().unwrap().contains("leave blank if unknown"));
}

/// Appends `n` copies of the example's first incident to its incidents file, each with an id
/// of its own and dated `date`; returns the rows the file had.
fn add_copies(f: &Fixture, n: usize, date: &str) -> Vec<csv::StringRecord> {
    let path = f.path("incidents.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, date_column) = (column("id"), column("date"));
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer.write_record(&headers).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    for i in 0..n {
        let mut row: Vec<String> = rows[0].iter().map(String::from).collect();
        row[id] = format!("copy-{i}");
        row[date_column] = date.into();
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
    rows
}

#[test]
fn a_large_report_shows_its_counts_grouped_in_every_template() {
    // 1 214 incidents: written as numbers are in each language (the press brief showed "1214").
    let f = Fixture::example();
    add_copies(&f, 1200, "2012-03-01");
    f.run(&["build", ".", "--all-audiences"]).expect(0);
    let press = pdf_text(&f.path("out/press-en.pdf"));
    assert!(press.contains("1,214"), "{press}");
    let statement = pdf_text(&f.path("out/osce.pdf"));
    assert!(statement.contains("1 214"), "{statement}");
}

#[test]
fn past_a_thousand_warnings_of_a_kind_the_rest_are_counted_in_one() {
    // 1 200 incidents dated outside the report's period: the first 1 000 warnings at their
    // cells, then one that counts the other 200; the exit code stays that of warnings.
    let f = Fixture::example();
    let rows = add_copies(&f, 1200, "2015-06-01");
    let run = f.run(&["check", ".", "--format", "json"]).expect(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let outside: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("outside the report period"))
        .collect();
    assert_eq!(outside.len(), 1001);
    // Problems are listed by line; the count, which has no line, comes first.
    let (counted, kept) = outside.split_first().unwrap();
    assert_eq!(counted["severity"], "warning");
    assert_eq!(counted["message"], "200 more warnings about the incidents outside the report period are not listed");
    let lines: Vec<u64> = kept.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    let first = rows.len() as u64 + 2;
    assert_eq!(lines, (first..first + 1000).collect::<Vec<_>>(), "the first thousand, at their lines");
}

#[test]
fn check_finds_errors_in_every_audiences_template() {
    let f = Fixture::example();
    f.edit("sections/en/01-summary.typ", "= Almaty 2012", "#unknown-function()\n= Almaty 2012");
    let run = f.run(&["check"]).expect(1);
    assert_shows(&run.stderr(), "sections/en/01-summary.typ:3:2", "error: unknown variable: unknown-function");
    assert!(run.stdout().contains("1 error, 0 warnings"), "{}", run.stdout());
}

#[test]
fn summary_since_reports_exactly_the_figures_an_edit_changed() {
    let f = Fixture::example();
    f.build().expect(0);
    let figures: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(f.path("out/osce.figures.json")).unwrap()).unwrap();
    assert_eq!(figures["audience"], "osce");
    // One cell: detained on 25 February goes from 28 to 30.
    f.edit("incidents.csv", ",~400,28,3,2,", ",~400,30,3,2,");
    let out = f.run(&["summary", ".", "--since", "out/osce.figures.json"]).expect(0).stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "changed  Задержано: около 58 и более (нет данных по 11 событиям) → около 60 и более (нет данных по 11 событиям)  [totals.detained]",
            "changed  февраль 2012: Задержано: не менее 28 (нет данных по 2 событиям) → не менее 30 (нет данных по 2 событиям)  [by-month.2012-02.detained]",
            "changed  2012-02-25-rally: Задержано: 28 → 30  [incident.2012-02-25-rally.detained]",
        ]
    );
    let json = f.run(&["summary", ".", "--since", "out/osce.figures.json", "--format", "json"]).expect(0).stdout();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["changes"].as_array().unwrap().len(), 3);
    assert_eq!(json["stale"].as_array().unwrap().len(), 0, "the example types no figure of the rows by hand");
    assert_eq!(json["changes"][0]["after"]["key"], "totals.detained");

    f.build().expect(0);
    let out = f.run(&["summary", ".", "--since", "out/osce.figures.json"]).expect(0).stdout();
    assert_eq!(out, "no figure changed since out/osce.figures.json\n");
}

/// The narrative sentence on the rally of 25 February, in the text a reader sees.
const DETAINED_RU: &str = "Всего по этой акции задержаны";

#[test]
fn one_cell_edit_reaches_the_narrative_of_the_statement_and_the_press_brief() {
    let f = Fixture::example();
    f.run(&["build", "--all-audiences"]).expect(0);
    let ru = pdf_text(&f.path("out/osce.pdf"));
    assert!(ru.contains(&format!("{DETAINED_RU} 28 человек;")), "{ru}");
    assert!(pdf_text(&f.path("out/press-en.pdf")).contains("That day 28 people were detained."));
    // One cell: detained on 25 February goes from 28 to 30; nothing else is touched.
    f.edit("incidents.csv", ",~400,28,3,2,", ",~400,30,3,2,");
    f.run(&["build", "--all-audiences"]).expect(0);
    let ru = pdf_text(&f.path("out/osce.pdf"));
    assert!(ru.contains(&format!("{DETAINED_RU} 30 человек;")), "{ru}");
    assert!(!ru.contains("28 человек"), "{ru}");
    let en = pdf_text(&f.path("out/press-en.pdf"));
    assert!(en.contains("That day 30 people were detained."), "{en}");
    // Terms and the fine come from the sanctions list, written as before.
    assert_contains_all(&ru, &["двоих арестовали на 15 суток.", "на 80 900 тенге, то есть"]);
    assert_contains_all(&en, &["were jailed for 15 days before the rally", "was fined 80,900 tenge,"]);
}

#[test]
fn a_number_typed_in_the_narrative_that_equals_an_old_figure_is_listed_with_its_place() {
    let f = Fixture::example();
    f.build().expect(0);
    f.edit(
        "sections/03-sanctions.typ",
        "= Задержания и наказания\n",
        "= Задержания и наказания\n\nНа митинге 25~февраля задержаны 28~человек.\n",
    );
    f.edit("incidents.csv", ",~400,28,3,2,", ",~400,30,3,2,");
    let out = f.run(&["summary", ".", "--since", "out/osce.figures.json"]).expect(0).stdout();
    let stale: Vec<&str> = out.lines().filter(|l| l.starts_with("sections/")).collect();
    assert_eq!(
        stale,
        [
            "sections/03-sanctions.typ:5:33: `28`: февраль 2012: Задержано was не менее 28 (нет данных по 2 событиям), now не менее 30 (нет данных по 2 событиям)  [by-month.2012-02.detained] — write #fig(\"detained\", month: \"2012-02\")",
            "sections/03-sanctions.typ:5:33: `28`: 2012-02-25-rally: Задержано was 28, now 30  [incident.2012-02-25-rally.detained] — write #fig(\"detained\", incident: \"2012-02-25-rally\")",
        ],
        "{out}"
    );
    // `check` says the same against the last build's figures, as warnings.
    let run = f.run(&["check"]).expect(0);
    assert_shows(
        &run.stderr(),
        "sections/03-sanctions.typ:5:33",
        "warning: `28` may be stale: `incident.2012-02-25-rally.detained` was 28 at the last build and is now 30",
    );
}

#[test]
fn an_unknown_incident_key_or_month_in_the_narrative_is_an_error_at_its_place_with_a_suggestion() {
    let f = Fixture::example();
    f.edit(
        "sections/02-rallies.typ",
        "incident: \"2012-02-25-rally\", unit: \"people\"",
        "incident: \"2012-02-25-raly\", unit: \"people\"",
    );
    f.edit(
        "sections/en/01-summary.typ",
        "= Almaty 2012",
        "#fig(\"detaned\", month: \"2012-02\") #fig(\"detained\", month: \"2012-13\")\n= Almaty 2012",
    );
    let run = f.run(&["build", "--all-audiences"]).expect(1);
    let err = run.stderr();
    assert_shows(&err, "sections/02-rallies.typ:7:", "error: `2012-02-25-raly` is not an id in the incident list");
    assert!(err.contains("hint: did you mean `2012-02-25-rally`?"), "{err}");
    assert_shows(&err, "sections/en/01-summary.typ:3:6", "error: there is no figure `detaned`");
    assert!(err.contains("hint: did you mean `detained`?"), "{err}");
    assert_shows(&err, "sections/en/01-summary.typ:3:59", "error: `2012-13` is not a month of the report");
    assert!(!f.path("out/osce.pdf").exists(), "no PDF is written");
    let run = f.run(&["check"]).expect(1);
    assert!(run.stdout().contains("3 errors"), "{}", run.stdout());
}

#[test]
fn a_fig_with_a_computed_argument_it_cannot_find_stops_the_build_at_the_call() {
    let f = Fixture::example();
    // July has no incident and no `fig` names it with a string, so its figures were not prepared.
    f.edit(
        "sections/en/01-summary.typ",
        "= Almaty 2012",
        "#let m = \"2012-0\" + \"7\"\n#fig(\"detained\", month: m)\n= Almaty 2012",
    );
    let run = f.run(&["build", "--audience", "press-en"]).expect(1);
    assert_shows(&run.stderr(), "sections/en/01-summary.typ:4:2", "`fig`: no figures for `month:2012-07`");
}

#[test]
fn summary_explains_where_each_figure_came_from() {
    let f = Fixture::example();
    let out = f.run(&["summary", ".", "--explain"]).expect(0).stdout();
    let at = out.find("Задержано").unwrap();
    let detained: Vec<&str> = out[at..].lines().take(2).collect();
    assert!(detained[0].ends_with("около 58 и более (нет данных по 11 событиям)"), "{detained:?}");
    assert!(
        detained[1].trim()
            == "from incidents.csv: 2012-02-25-rally (line 5), 2012-03-24-rally (line 7), 2012-04-28-rally (line 10)",
        "{detained:?}"
    );
}

/// Lines a running child prints, read on a thread so the test can wait with a timeout.
fn lines_of(stream: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits up to `seconds` for a line containing `needle`.
fn wait_for(rx: &std::sync::mpsc::Receiver<String>, needle: &str, seconds: u64) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

#[test]
fn watch_rebuilds_on_an_edit_keeps_the_last_good_pdf_and_recovers() {
    let f = Fixture::example();
    let mut child = Command::new(env!("CARGO_BIN_EXE_osce-report"))
        .args(["watch", "."])
        .current_dir(&f.dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = lines_of(child.stdout.take().unwrap());
    let err = lines_of(child.stderr.take().unwrap());
    let pdf = f.path("out/osce.pdf");
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert!(wait_for(&out, "out/osce.pdf", 30), "no first build");
        let first = fs::read(&pdf).unwrap();
        // The watcher's own batching needs the first build to settle before the edit.
        std::thread::sleep(std::time::Duration::from_millis(300));

        f.edit("incidents.csv", ",~400,28,3,2,", ",~400,30,3,2,");
        assert!(wait_for(&out, "out/osce.pdf", 10), "no rebuild after an edit");
        let second = fs::read(&pdf).unwrap();
        assert!(second != first, "the PDF did not change");
        assert!(pdf_text(&pdf).contains("около 60 и более"));

        f.edit("incidents.csv", ",~400,30,3,2,", ",~400,3x0,3,2,");
        assert!(wait_for(&err, "`detained`: `3x0` is not a count", 10), "no error after a broken edit");
        assert!(wait_for(&err, "the previous PDF is kept", 10));
        assert!(fs::read(&pdf).unwrap() == second, "a failed rebuild touched the PDF");

        f.edit("incidents.csv", ",~400,3x0,3,2,", ",~400,31,3,2,");
        assert!(wait_for(&out, "out/osce.pdf", 10), "no recovery after the fix");
        assert!(pdf_text(&pdf).contains("около 61 и более"));
    }));
    let _ = child.kill();
    let _ = child.wait();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn init_makes_a_report_that_builds_at_once_in_either_language() {
    let temp = tempfile::tempdir().unwrap();
    for (language, expected) in [("en", "Jane Doe"), ("ru", "Анна Иванова")] {
        let dir = temp.path().join(language);
        let run = Command::new(env!("CARGO_BIN_EXE_osce-report"))
            .args(["init", dir.to_str().unwrap(), "--language", language])
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let build = Command::new(env!("CARGO_BIN_EXE_osce-report")).args(["build"]).current_dir(&dir).output().unwrap();
        assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
        assert!(build.stderr.is_empty(), "warnings: {}", String::from_utf8_lossy(&build.stderr));
        // The narrative states the detained through `fig`, with its plural word.
        let detained = if language == "ru" { "задержала 12 человек." } else { "detained 12 people." };
        assert_contains_all(&pdf_text(&dir.join("out/osce.pdf")), &[expected, detained]);
        let again =
            Command::new(env!("CARGO_BIN_EXE_osce-report")).args(["init", dir.to_str().unwrap()]).output().unwrap();
        assert_eq!(again.status.code(), Some(2), "init must not overwrite a report");
    }
}

#[test]
fn previews_and_archival_pdf() {
    let f = Fixture::example();
    let run = f.run(&["build", ".", "--format", "png", "--pages", "1-2"]).expect(0);
    assert_eq!(run.stdout(), "out/osce-1.png\nout/osce-2.png\n");
    assert!(fs::read(f.path("out/osce-1.png")).unwrap().starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(!f.path("out/osce-3.png").exists());

    let run = f.run(&["build", ".", "--audience", "press-en", "--format", "svg", "--pages", "2"]).expect(0);
    assert_eq!(run.stdout(), "out/press-en-2.svg\n");
    assert!(fs::read_to_string(f.path("out/press-en-2.svg")).unwrap().starts_with("<svg"));

    f.run(&["build", ".", "--pdf-standard", "a-2b", "-o", "archival.pdf"]).expect(0);
    let xmp = decompressed_streams(&f.path("archival.pdf"));
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>") && xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
}

/// The text of every stream of a PDF, decompressed where it was compressed.
fn decompressed_streams(path: &Path) -> String {
    let document = lopdf::Document::load(path).unwrap();
    let mut out = String::new();
    for object in document.objects.values() {
        if let Ok(stream) = object.as_stream() {
            let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}

#[test]
fn completions_and_man_page_come_from_the_command_definitions() {
    let f = Fixture::example();
    let bash = f.run(&["completions", "bash"]).expect(0).stdout();
    assert!(bash.contains("--all-audiences") && bash.contains("--pdf-standard"));
    let man = f.run(&["completions", "man"]).expect(0).stdout();
    assert!(man.contains(".TH osce-report 1"));
    let help = f.run(&["build", "--help"]).expect(0).stdout();
    assert!(help.contains("Examples:") && help.contains("--all-audiences"));
}

#[test]
fn templates_cannot_reach_outside_the_report_folder() {
    let f = Fixture::example();
    let outside = f.dir.parent().unwrap().join("secret.txt");
    fs::write(&outside, "secret").unwrap();
    std::os::unix::fs::symlink(&outside, f.path("sections/link.txt")).unwrap();
    for (source, message) in [
        ("#read(\"link.txt\")", "error: failed to load file (access denied)"),
        ("#read(\"/../secret.txt\")", "would escape the project root"),
        ("#read(\"/etc/passwd\")", "file not found"),
        (
            "#import \"@preview/cetz:0.3.0\": canvas",
            "package @preview/cetz:0.3.0 is not in the report folder's packages/preview/cetz/0.3.0/",
        ),
    ] {
        fs::write(f.path("sections/99-escape.typ"), format!("{source}\n")).unwrap();
        let stderr = f.build().expect(1).stderr();
        assert_shows(&stderr, "sections/99-escape.typ:1:", message);
    }
    // A package copied into the report folder is used, without any network.
    fs::create_dir_all(f.path("packages/preview/hello/0.1.0")).unwrap();
    fs::write(
        f.path("packages/preview/hello/0.1.0/typst.toml"),
        "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nentrypoint = \"lib.typ\"\n",
    )
    .unwrap();
    fs::write(f.path("packages/preview/hello/0.1.0/lib.typ"), "#let hello = [LOCALPACKAGEWORKS]\n").unwrap();
    fs::write(f.path("sections/99-escape.typ"), "#import \"@preview/hello:0.1.0\": hello\n#hello\n").unwrap();
    f.build().expect(0);
    assert!(pdf_text(&f.path("out/osce.pdf")).contains("LOCALPACKAGEWORKS"));
}

#[test]
fn an_output_folder_that_is_missing_or_not_writable_is_an_io_error() {
    let f = Fixture::example();
    let run = f.run(&["build", ".", "-o", "missing/statement.pdf"]).expect(2);
    assert!(run.stderr().contains("error: the folder `missing` for --output does not exist"), "{}", run.stderr());
    // /proc refuses new files even to root, which a permission bit would not.
    let run = f.run(&["build", ".", "-o", "/proc/statement.pdf"]).expect(2);
    assert!(run.stderr().contains("error: cannot write `/proc/statement.pdf`"), "{}", run.stderr());
}

#[test]
fn an_interrupted_build_leaves_the_previous_pdf_and_no_temporary_file() {
    let f = Fixture::example();
    f.build().expect(0);
    let before = fs::read(f.path("out/osce.pdf")).unwrap();
    f.edit("incidents.csv", ",~400,28,3,2,", ",~400,30,3,2,");
    for signal in ["-INT", "-TERM"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_osce-report"))
            .arg("build")
            .current_dir(&f.dir)
            .env("OSCE_REPORT_PAUSE_BEFORE_RENAME_MS", "20000")
            .spawn()
            .unwrap();
        // Wait until the new PDF is written to its temporary file, then interrupt.
        let temporary = || {
            fs::read_dir(f.path("out")).unwrap().flatten().any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !temporary() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(temporary(), "the build never reached its write");
        Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{signal}");
        assert!(!temporary(), "a temporary file was left behind after {signal}");
        assert!(fs::read(f.path("out/osce.pdf")).unwrap() == before, "the previous PDF changed after {signal}");
    }
}

#[test]
fn the_date_comes_from_the_report_or_source_date_epoch_never_the_clock() {
    let f = Fixture::example();
    let build = |name: &str, tz: &str, epoch: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_osce-report"));
        command.args(["build", ".", "-o", name]).current_dir(&f.dir).env("TZ", tz);
        match epoch {
            Some(e) => command.env("SOURCE_DATE_EPOCH", e),
            None => command.env_remove("SOURCE_DATE_EPOCH"),
        };
        let out = command.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        fs::read(f.path(name)).unwrap()
    };
    let almaty = build("a.pdf", "Asia/Almaty", None);
    let honolulu = build("b.pdf", "Pacific/Honolulu", Some("0"));
    assert!(almaty == honolulu, "the time zone or SOURCE_DATE_EPOCH changed a report that has a date");
    // Without `date` in report.toml, SOURCE_DATE_EPOCH gives it: 1352332800 is 8 November 2012.
    f.edit("report.toml", "date = 2012-11-08\ndocument_symbol", "document_symbol");
    assert!(build("c.pdf", "Asia/Almaty", Some("1352332800")) == almaty);
    let run = f.build().expect(1);
    assert!(run.stderr().contains("`date` is missing"), "{}", run.stderr());
}

/// Everything a PDF holds as text: what a reader sees, every string object (titles, outline,
/// annotations, link targets; UTF-16 decoded) and every stream, decompressed.
fn everything_in_pdf(path: &Path) -> String {
    let document = lopdf::Document::load(path).unwrap();
    let mut out = pdf_text(path);
    for object in document.objects.values() {
        collect_strings(object, &mut out);
    }
    out.push_str(&decompressed_streams(path));
    out
}

/// Appends the strings in a PDF object and the objects inside it.
fn collect_strings(object: &lopdf::Object, out: &mut String) {
    match object {
        lopdf::Object::String(bytes, _) => {
            if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
                let units: Vec<u16> =
                    utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
                out.push_str(&String::from_utf16_lossy(&units));
            } else {
                out.push_str(&String::from_utf8_lossy(bytes));
            }
            out.push('\n');
        }
        lopdf::Object::Array(items) => items.iter().for_each(|o| collect_strings(o, out)),
        lopdf::Object::Dictionary(d) => d.iter().for_each(|(_, o)| collect_strings(o, out)),
        lopdf::Object::Stream(s) => s.dict.iter().for_each(|(_, o)| collect_strings(o, out)),
        _ => {}
    }
}

#[test]
fn a_redacting_audience_leaks_no_name_anywhere_in_its_pdf() {
    let f = Fixture::example();
    f.run(&["build", ".", "--all-audiences"]).expect(0);
    // Every name in the data and the narrative, and its stem (which catches Russian case forms).
    let mut names: Vec<String> = fs::read_to_string(f.path("sanctions.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    for entry in fs::read_dir(f.path("sections")).unwrap().chain(fs::read_dir(f.path("sections/en")).unwrap()) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "typ") {
            let text = fs::read_to_string(path).unwrap();
            names.extend(text.split("#person(\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()));
        }
    }
    assert!(names.len() >= 12, "{names:?}");
    let stems: Vec<String> = names
        .iter()
        .flat_map(|n| n.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .map(|w| w.chars().take(w.chars().count().saturating_sub(1).max(4)).collect())
        .collect();
    for (pdf, withheld_entirely) in [("out/press-en.pdf", true), ("out/annex.pdf", false)] {
        let everything = everything_in_pdf(&f.path(pdf));
        for stem in &stems {
            // The annex shows initials, so only whole stems count there.
            if withheld_entirely || stem.chars().count() > 2 {
                assert!(!everything.contains(stem.as_str()), "{pdf} contains {stem:?}");
            }
        }
    }
    // The same check finds the names where they are meant to be.
    let osce = everything_in_pdf(&f.path("out/osce.pdf"));
    assert!(osce.contains("Туменов") && osce.contains("Торегожин"));
}

/// One broken input: files replacing the example's, and the exit code a user must get.
struct BadInput {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    code: i32,
}

/// The bad-input corpus: what spreadsheets, editors and accidents produce.
fn bad_inputs() -> Vec<BadInput> {
    let header = "id,date,date_end,city,place,kind,permit,participants,police,detained,fined,arrested,warned,injured,summary,sources\n";
    let sanctions_header = "incident,date,person,kind,amount,days,note\n";
    let example = fs::read(Path::new(EXAMPLE).join("incidents.csv")).unwrap();
    // Deterministic junk: a linear congruential sequence of bytes.
    let junk: Vec<u8> = (0u32..512).map(|i| (i.wrapping_mul(1_103_515_245).wrapping_add(12_345) >> 16) as u8).collect();
    let big_cell = format!("{header}big,2012-03-01,,Алматы,,rally,,,,,,,,,{},\n", "x".repeat(10 * 1024 * 1024));
    let cp1251_row: Vec<u8> =
        [header.as_bytes(), b"r1,2012-03-01,,\xc0\xeb\xec\xe0\xf2\xfb,,rally,,,,,,,,,,\n"].concat();
    // Each case that replaces the incident list also empties the sanctions list, so that the
    // diagnostics are about the broken file alone.
    let alone = |file: &'static str, bytes: Vec<u8>| {
        vec![(file, bytes), ("sanctions.csv", sanctions_header.as_bytes().to_vec())]
    };
    let utf8_declared = fs::read_to_string(Path::new(EXAMPLE).join("report.toml"))
        .unwrap()
        .replace("incidents = \"incidents.csv\"", "incidents = { file = \"incidents.csv\", encoding = \"utf-8\" }")
        .into_bytes();
    vec![
        BadInput { name: "empty_file", files: alone("incidents.csv", vec![]), code: 1 },
        // A valid, empty report: its narrative names no incident (one that did would be an error).
        BadInput {
            name: "header_only",
            files: vec![
                ("incidents.csv", header.into()),
                ("sanctions.csv", sanctions_header.into()),
                ("sections/02-rallies.typ", "= Митинги\n".into()),
                ("sections/03-sanctions.typ", "= Санкции\n".into()),
                ("sections/en/01-summary.typ", "= Summary\n".into()),
            ],
            code: 0,
        },
        BadInput {
            name: "byte_order_mark",
            files: vec![("incidents.csv", [b"\xef\xbb\xbf".as_slice(), &example].concat())],
            code: 0,
        },
        BadInput { name: "binary_junk", files: alone("incidents.csv", junk), code: 1 },
        BadInput {
            name: "nul_bytes",
            files: alone("incidents.csv", format!("{header}r1,2012-03-01,,Ал\0маты,,rally,,1\02,,,,,,,,\n").into()),
            code: 1,
        },
        // Declared UTF-8 but written in Windows-1251 (with `auto`, the same file is read correctly).
        BadInput {
            name: "invalid_utf8",
            files: [alone("incidents.csv", cp1251_row), vec![("report.toml", utf8_declared)]].concat(),
            code: 1,
        },
        BadInput { name: "ten_megabyte_cell", files: alone("incidents.csv", big_cell.into()), code: 1 },
        BadInput {
            name: "rows_of_different_lengths",
            files: alone(
                "incidents.csv",
                format!("{header}r1,2012-03-01,,Алматы\nr2,2012-03-02,,Алматы,,rally,,,,,,,,,,,,extra\n").into(),
            ),
            code: 1,
        },
        BadInput {
            name: "duplicate_headers",
            files: alone("incidents.csv", "id,date,kind,date\nr1,2012-03-01,rally,2012-03-02\n".into()),
            code: 1,
        },
        BadInput { name: "toml_type_error", files: vec![("report.toml", b"title = 5\n".to_vec())], code: 1 },
        BadInput {
            name: "missing_data_file",
            files: vec![(
                "report.toml",
                fs::read_to_string(Path::new(EXAMPLE).join("report.toml"))
                    .unwrap()
                    .replace("incidents = \"incidents.csv\"", "incidents = \"events.csv\"")
                    .into(),
            )],
            code: 1,
        },
    ]
}

#[test]
fn every_bad_input_gets_its_exact_diagnostic_and_exit_code() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(r"/tmp/\.tmp\w+/report", "[REPORT]");
    let _guard = settings.bind_to_scope();
    for case in bad_inputs() {
        let f = Fixture::example();
        for (file, bytes) in &case.files {
            fs::write(f.path(file), bytes).unwrap();
        }
        let run = f.run(&["build"]);
        assert_eq!(run.code(), case.code, "{}: {}", case.name, run.stderr());
        insta::assert_snapshot!(case.name, format!("exit {}\n{}", run.code(), run.stderr()));
    }
}

#[test]
fn an_unreadable_data_file_is_an_io_error() {
    let f = Fixture::example();
    // Running as root ignores permission bits, so make the file a folder: reading it fails everywhere.
    fs::remove_file(f.path("incidents.csv")).unwrap();
    fs::create_dir(f.path("incidents.csv")).unwrap();
    let run = f.build().expect(2);
    assert!(run.stderr().starts_with("error: cannot read `./incidents.csv`"), "{}", run.stderr());
}

/// A copy of a fixture export with its minimal report.toml, mapped by `columns --write`.
fn mapped_fixture(name: &str) -> Fixture {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("report");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), &dir);
    let f = Fixture { _temp: temp, dir };
    let run = f.run(&["columns", "export.csv", "--write", "."]).expect(0);
    assert!(run.stdout().contains("wrote [data.incidents]"), "{}", run.stdout());
    f
}

/// The figures of a build, key → text.
fn figures(f: &Fixture) -> std::collections::HashMap<String, String> {
    let json: serde_json::Value =
        serde_json::from_str(&f.run(&["summary", ".", "--format", "json"]).expect(0).stdout()).unwrap();
    json["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["key"].as_str().unwrap().to_string(), l["text"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn a_windows_1251_export_with_russian_headers_and_semicolons() {
    let f = mapped_fixture("cp1251-ru");
    let toml = fs::read_to_string(f.path("report.toml")).unwrap();
    assert!(toml.contains("encoding = \"windows-1251\"") && toml.contains("delimiter = \";\""), "{toml}");
    assert!(toml.contains("title = \"Свобода собраний в 2018 году\""), "the rest of report.toml must stay");
    f.build().expect(0);
    let figures = figures(&f);
    // Participants: ~1000 + 1.500 (dot-grouped, as ';' files write it) + 1 + 200–300.
    assert_eq!(figures["totals.participants"], "около 2 701–2 801");
    // Detained: 15 + 1; two rows give none ("нет данных" and blank).
    assert_eq!(figures["totals.detained"], "не менее 16 (нет данных по 2 событиям)");
    assert_eq!(figures["totals.fined"], "не менее 6 (нет данных по 1 событию)");
    assert_eq!(figures["by-city.Москва.incidents"], "2");
    assert_eq!(figures["by-kind.march"], "1");
    assert!(pdf_text(&f.path("out/osce.pdf")).contains("Пушкинская площадь"));

    // An unreadable count is reported with its place and value, in the file's own terms.
    let bytes = fs::read(f.path("export.csv")).unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1251.decode(&bytes);
    let replaced = text.replace(";около 1000;", ";много;");
    let (broken, _, _) = encoding_rs::WINDOWS_1251.encode(&replaced);
    fs::write(f.path("export.csv"), &*broken).unwrap();
    let stderr = f.build().expect(1).stderr();
    assert_shows(&stderr, "export.csv:2:", "error: `participants`: `много` is not a count");
}

#[test]
fn an_excel_us_export_with_month_first_dates_and_comma_thousands() {
    let f = mapped_fixture("excel-us");
    assert!(fs::read_to_string(f.path("report.toml")).unwrap().contains("date_format = \"%m/%d/%Y\""));
    f.build().expect(0);
    let figures = figures(&f);
    // "1,000" + 150.0 + >500.
    assert_eq!(figures["totals.participants"], "more than 1,650");
    assert_eq!(figures["totals.detained"], "15");
    assert_eq!(figures["by-month.2018-06.incidents"], "2");
    assert_eq!(figures["by-kind.rally"], "3", "Protest and Demonstration are rallies");

    f.edit("export.csv", "7/4/2018", "13/4/2018");
    let stderr = f.build().expect(1).stderr();
    assert_shows(&stderr, "export.csv:4:", "error: `date`: `13/4/2018` does not match the date format `%m/%d/%Y`");
}

#[test]
fn an_acled_like_export_with_text_dates_and_multi_line_notes() {
    let f = mapped_fixture("acled-like");
    f.build().expect(0);
    let figures = figures(&f);
    // around 100 + (blank) + 20-30.
    assert_eq!(figures["totals.participants"], "about 120 or more (no figure for 1 incident)");
    assert_eq!(figures["by-month.2018-07.incidents"], "2");
    assert_eq!(figures["by-city.Almaty.incidents"], "2");
    let text = pdf_text(&f.path("out/osce.pdf"));
    assert!(text.contains("dispersed the \"unsanctioned\" rally"), "{text}");

    // The second incident starts on line 4: the first one's notes hold a line break.
    f.edit("export.csv", "1 July 2018", "1 Jly 2018");
    let stderr = f.build().expect(1).stderr();
    assert_shows(&stderr, "export.csv:4:", "error: `date`: `1 Jly 2018` is not a date");
}

#[test]
fn a_template_that_shows_only_figures_never_reads_the_lists() {
    use osce_report::export::Export;
    use osce_report::export::render::{RenderError, render};
    use osce_report::report::Report;

    let fixture = Fixture::example();
    fs::create_dir_all(fixture.path("templates/figures")).unwrap();
    fs::write(
        fixture.path("templates/figures/main.typ"),
        "#import \"@osce/report:0.1.0\": report\n= #report.title\nParticipants: #report.totals.participants.text\n",
    )
    .unwrap();
    fixture.edit("report.toml", "[currency]", "[audiences.figures]\ntemplate = \"figures\"\n\n[currency]");
    let report = std::sync::Arc::new(Report::load(&fixture.dir).unwrap());
    // The incident list changes after its figures were computed: a template that lists the
    // incidents must refuse to mix the two, one that shows only figures never reads the list.
    let csv = fs::read_to_string(fixture.path("incidents.csv")).unwrap();
    fs::write(fixture.path("incidents.csv"), csv.replacen("~1000", "~2000", 1)).unwrap();
    let figures = &report.audiences.by_name["figures"];
    let rendered = render(&report, figures, &Export::default()).unwrap_or_else(|_| panic!("a figures-only build"));
    assert!(rendered.files[0].1.starts_with(b"%PDF"));
    match render(&report, &report.audiences.by_name["annex"], &Export::default()) {
        Err(RenderError::Template(problems)) => {
            let all: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
            assert!(
                all.iter().any(|m| m.contains("incidents.csv") && m.contains("changed during the build")),
                "{all:?}"
            );
        }
        Err(RenderError::Io(e)) => panic!("{e}"),
        Err(RenderError::Usage(e)) => panic!("{e}"),
        Ok(_) => panic!("the annex was built from a list that no longer gives its figures"),
    }
}

/// A copy of one of the cases in `tests/fixtures/cases/` (inputs that failed when the tool was
/// tried from outside) in a temporary folder.
fn case(name: &str) -> Fixture {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(name);
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases").join(name), &dir);
    Fixture { _temp: temp, dir }
}

/// The first error `check --format json` prints for `dir`.
fn first_json_diagnostic(f: &Fixture, dir: &str) -> serde_json::Value {
    let run = f.run(&["check", dir, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("check prints JSON");
    let diagnostics = json["diagnostics"].as_array().cloned().unwrap_or_default();
    diagnostics.into_iter().find(|d| d["severity"] == "error").unwrap_or_default()
}

#[test]
fn a_cell_is_placed_exactly_in_semicolon_tab_cr_only_and_legacy_encoded_files() {
    // Each case once gave column 1 (or line 1) and no source line: the column was worked out again
    // by splitting the raw file on commas, as UTF-8.
    let cases = [
        ("positions-semicolon-amount", ".", "sanctions.csv", 23, 54, 5, "amount", "80\u{a0}9OO,00"),
        ("positions-cr-line-ends", ".", "incidents.csv", 7, 71, 10, "detained", "~1O"),
        ("positions-cp1252", ".", "events.csv", 3, 36, 6, "apprehended", "12a"),
        ("positions-semicolon-tab", ".", "ev.csv", 2, 57, 5, "participants", "12a"),
        ("positions-semicolon-tab", "tab", "ev.csv", 2, 28, 5, "participants", "12a"),
    ];
    for (name, dir, file, line, column, field, header, value) in cases {
        let f = case(name);
        if name == "positions-semicolon-amount" {
            // The case's own `80 900,00` (a money format's zero fraction) is read as 80 900; a
            // letter O in it shows the place.
            f.edit("sanctions.csv", "80\u{a0}900,00", "80\u{a0}9OO,00");
        }
        let d = first_json_diagnostic(&f, dir);
        let place = (&d["file"], &d["line"], &d["column"], &d["field"], &d["header"]);
        let expected = (
            &serde_json::json!(file),
            &serde_json::json!(line),
            &serde_json::json!(column),
            &serde_json::json!(field),
            &serde_json::json!(header),
        );
        assert_eq!(place, expected, "{name}/{dir}: {d}");
        let run = f.run(&["check", dir]).expect(1);
        let stderr = run.stderr();
        assert_shows(&stderr, &format!("{file}:{line}:{column}"), value);
        // The decoded source line is shown, with the caret under the cell and its column named.
        let caret =
            format!("{} column {}, `{header}`", "^".repeat(value.chars().count()), (b'A' + field as u8 - 1) as char);
        assert!(stderr.contains(&caret), "{name}/{dir}: no {caret:?} in:\n{stderr}");
    }
}

#[test]
fn a_bad_cell_deep_in_a_large_semicolon_windows_1251_crlf_export_is_placed_exactly() {
    // The class of the cases above at size: a decoded (not UTF-8) file read in one piece, CRLF
    // line ends, `;` delimiters, commas inside earlier cells.
    let f = Fixture::example();
    let mut text = String::from("Код;Дата;Город;Вид;Описание;Задержано\r\n");
    for i in 1..=20_000 {
        let detained = if i == 18_000 { "4O".to_string() } else { (i % 7).to_string() };
        text.push_str(&format!("r{i};2012-03-01;Алматы;митинг;«мирная акция, задержания»;{detained}\r\n"));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    fs::write(f.path("export.csv"), &bytes).unwrap();
    let toml = fs::read_to_string(f.path("report.toml")).unwrap().replace("incidents = \"incidents.csv\"", "");
    let mapping = "[data.incidents]\nfile = \"export.csv\"\nencoding = \"windows-1251\"\n[data.incidents.columns]\nid = \"Код\"\ndate = \"Дата\"\ncity = \"Город\"\nkind = \"Вид\"\nsummary = \"Описание\"\ndetained = \"Задержано\"\n";
    fs::write(f.path("report.toml"), format!("{toml}\n{mapping}")).unwrap();
    let d = first_json_diagnostic(&f, ".");
    // Line 18 001: the header is line 1. Column: "r18000;2012-03-01;Алматы;митинг;«мирная акция, задержания»;" is 59 characters.
    assert_eq!(
        (&d["line"], &d["column"], &d["field"], &d["header"]),
        (&serde_json::json!(18_001), &serde_json::json!(60), &serde_json::json!(6), &serde_json::json!("Задержано")),
        "{d}"
    );
    let stderr = f.run(&["check"]).expect(1).stderr();
    assert!(stderr.contains("18001 │ r18000;2012-03-01;Алматы;митинг;«мирная акция, задержания»;4O"), "{stderr}");
}

#[test]
fn a_narrative_file_not_in_utf8_stops_the_build_naming_it() {
    // It was once left out of the PDF without a word: check said 0 errors.
    let f = case("narrative-not-utf8");
    let run = f.build().expect(1);
    assert_shows(&run.stderr(), "sections/04-courts.typ:3:3", "the file is not UTF-8 text");
    assert!(run.stderr().contains("save it with the encoding UTF-8"), "{}", run.stderr());
    assert!(!f.path("out/osce.pdf").exists(), "a PDF was written without the section");
    let d = first_json_diagnostic(&f, ".");
    assert_eq!((&d["file"], &d["line"]), (&serde_json::json!("sections/04-courts.typ"), &serde_json::json!(3)));
}

#[test]
fn report_toml_not_in_utf8_is_invalid_input_at_its_first_bad_byte() {
    // It was once an I/O failure (exit 2) with no place, no hint and no JSON from check.
    let f = case("report-toml-not-utf8");
    let run = f.build().expect(1);
    assert_shows(&run.stderr(), "report.toml:1:10", "the file is not UTF-8 text");
    assert!(run.stderr().contains("save it with the encoding UTF-8"), "{}", run.stderr());
    let d = first_json_diagnostic(&f, ".");
    assert_eq!(
        (&d["file"], &d["line"], &d["column"]),
        (&serde_json::json!("report.toml"), &serde_json::json!(1), &serde_json::json!(10))
    );
    f.run(&["config"]).expect(1);
}

#[test]
fn summary_with_a_bad_cell_ends_with_its_own_words() {
    // It once ended with "build failed … no PDF written", though summary writes no PDF.
    let f = case("summary-error-wording");
    let stderr = f.run(&["summary"]).expect(1).stderr();
    assert!(stderr.contains("error: no figures: 1 error"), "{stderr}");
    assert!(!stderr.contains("PDF"), "{stderr}");
}

#[test]
fn check_speaks_json_about_failures_without_a_place_too() {
    let f = Fixture::example();
    let run = f.run(&["check", "no-such-folder", "--format", "json"]).expect(2);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON on a failure");
    assert!(json["diagnostics"][0]["message"].as_str().unwrap().contains("cannot read"), "{json}");
}

#[test]
fn arguments_that_cannot_apply_are_a_usage_error_before_anything_is_read() {
    // A PDF standard for page images was once found only after compiling, as a template error.
    let f = Fixture::example();
    let run = f.run(&["build", "--format", "png", "--pdf-standard", "a-2b"]).expect(2);
    assert!(run.stderr().contains("`--pdf-standard` applies to PDF output only"), "{}", run.stderr());
    let run = f.run(&["build", "--pdf-standard", "a-2b", "--pdf-standard", "a-3b"]).expect(2);
    assert!(run.stderr().contains("`--pdf-standard`"), "{}", run.stderr());
    assert!(!f.path("out").exists(), "nothing is read or written on a usage error");
}

#[test]
fn watch_with_its_output_inside_the_report_folder_does_not_rebuild_without_end() {
    // Each write into the watched folder once fired a new build, forever.
    let f = Fixture::example();
    let mut child = Command::new(env!("CARGO_BIN_EXE_osce-report"))
        .args(["watch", ".", "-o", "statement.pdf"])
        .current_dir(&f.dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = lines_of(child.stdout.take().unwrap());
    let first = wait_for(&out, "statement.pdf", 30);
    // A build takes well under a second here; an endless loop would print many more.
    let again = wait_for(&out, "statement.pdf", 3);
    let again_later = again && wait_for(&out, "statement.pdf", 3);
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "no first build");
    assert!(!again_later, "watch kept rebuilding its own output");
}

#[test]
fn digit_groups_that_cannot_be_read_exactly_are_errors_at_their_cells() {
    // `1 00`, `5 10` and `200 300` were read as 100, 510 and 200 300: a total of 200 910 with exit 0.
    let f = case("count-space-groups");
    let run = f.run(&["check", "without_d", "--format", "json"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let places: Vec<(u64, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| (d["line"].as_u64().unwrap(), d["field"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, [(2, 4), (3, 4), (4, 4)], "{json}");
    let stderr = f.run(&["check"]).expect(1).stderr();
    assert_contains_all(
        &stderr,
        &[
            "`1 00` is not a count: digits after a space must come in groups of three (1 000)",
            "`5 10` is not a count",
            "`200 300` is not a count: it may be one number (200 300) or two",
            "`1,00` is not a count",
        ],
    );
}

#[test]
fn a_template_file_not_in_utf8_is_an_error_at_its_first_bad_byte() {
    // Typst said only "file is not valid utf-8", with no file, line or hint.
    let f = Fixture::example();
    f.run(&["template", "eject", "osce-submission", "."]).expect(0);
    let path = f.path("templates/osce-submission/main.typ");
    let text = fs::read_to_string(&path).unwrap();
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    fs::write(&path, &bytes).unwrap();
    let run = f.build().expect(1);
    let first_bad_line = text.lines().position(|l| !l.is_ascii()).unwrap() + 1;
    let stderr = run.stderr();
    assert!(stderr.contains(&format!("templates/osce-submission/main.typ:{first_bad_line}:")), "{stderr}");
    assert!(stderr.contains("save it with the encoding UTF-8"), "{stderr}");
}

/// Asserts that a refused build wrote neither the audience's PDF nor its figures file.
fn assert_nothing_written(f: &Fixture, audience: &str) {
    assert!(!f.path(&format!("out/{audience}.pdf")).exists(), "{audience}.pdf was written");
    assert!(!f.path(&format!("out/{audience}.figures.json")).exists(), "{audience}.figures.json was written");
}

#[test]
fn redact_yo_a_name_written_with_e_for_yo_is_refused_at_its_place() {
    // The list has `Пётр Семёнов`, the narrative `Петра Семенова`: е for ё let the name through.
    let f = Fixture::case("redact-yo");
    let run = f.run(&["build", ".", "--audience", "public"]).expect(1);
    assert_shows(
        &run.stderr(),
        "sections/02-rallies.typ:5:454",
        "аудитория `public` скрывает имена, но её документ показал бы `Пётр Семёнов` (написано `Петра Семенова`)",
    );
    assert!(run.stderr().contains("#person(\"Пётр Семёнов\")"), "{}", run.stderr());
    assert_nothing_written(&f, "public");
}

#[test]
fn redact_capitals_a_surname_in_capitals_with_an_initial_is_refused_at_its_place() {
    // A court paper quoted as `гр. АХМЕТОВА Г.` passed a check that compared names as written.
    let f = Fixture::case("redact-capitals");
    let run = f.run(&["build", ".", "--audience", "public"]).expect(1);
    assert_shows(&run.stderr(), "sections/03-sanctions.typ:9:44", "`Гульнар Ахметова` (написано `АХМЕТОВА Г.`)");
    assert_nothing_written(&f, "public");
}

#[test]
fn redact_name_in_data_cell_is_refused_at_its_cell() {
    // A listed name in an incident's `summary` was refused with no file, line or column.
    let f = Fixture::case("redact-name-in-data-cell");
    let line = fs::read_to_string(f.path("incidents.csv")).unwrap().lines().nth(9).unwrap().to_string();
    let location = format!("incidents.csv:10:{}", cell_column(&line, 15));
    let run = f.run(&["build", ".", "--audience", "annex"]).expect(1);
    assert_shows(
        &run.stderr(),
        &location,
        "`summary`: аудитория `annex` показывает имена только инициалами, но эта ячейка показала бы `Ерлан Тулегенов`",
    );
    assert_nothing_written(&f, "annex");
    let check = f.run(&["check", ".", "--format", "json"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&check.stdout()).unwrap();
    let found = json["diagnostics"].as_array().unwrap().iter().any(|d| {
        d["file"] == "incidents.csv" && d["line"] == 10 && d["message"].as_str().unwrap().contains("Ерлан Тулегенов")
    });
    assert!(found, "{}", check.stdout());
}

#[test]
fn redact_false_positive_init_a_place_sharing_the_surname_is_found_in_english_and_can_be_declared() {
    // The old starter named its person `Jane Example` and its town `Example City`: the whole word
    // is the surname, so it is refused — everywhere at once, with English hints — until declared.
    let f = Fixture::case("redact-false-positive-init");
    let run = f.run(&["build", ".", "--audience", "press"]).expect(1);
    let stderr = run.stderr();
    // (Its one city is not shown by the press brief, which lists no incidents.)
    for location in ["report.toml:8:24", "report.toml:24:10", "sections/01-summary.typ:8:58"] {
        assert_shows(&stderr, location, "audience `press` withholds names, but");
    }
    assert!(stderr.contains("[privacy] not_names") && !stderr.contains("Имя"), "{stderr}");
    assert_nothing_written(&f, "press");
    let toml = fs::read_to_string(f.path("report.toml")).unwrap();
    let declared = toml.replacen(
        "[period]",
        "[privacy]\nnot_names = [\"Example City\", \"Republic of Example\", \"Example Human Rights Centre\", \"example.org\"]\n\n[period]",
        1,
    );
    fs::write(f.path("report.toml"), declared).unwrap();
    f.run(&["build", ".", "--audience", "press"]).expect(0);
    let press = pdf_text(&f.path("out/press.pdf"));
    assert!(!press.contains("Jane"), "the withheld name is shown: {press}");
}

#[test]
fn the_init_starter_builds_for_every_redaction_level() {
    let temp = tempfile::tempdir().unwrap();
    for language in ["en", "ru"] {
        let dir = temp.path().join(language);
        let init = Command::new(env!("CARGO_BIN_EXE_osce-report"))
            .args(["init", dir.to_str().unwrap(), "--language", language])
            .output()
            .unwrap();
        assert!(init.status.success());
        let mut toml = fs::read_to_string(dir.join("report.toml")).unwrap();
        for (name, template, redact) in
            [("a", "annex", "initials"), ("p", "press-brief", "withheld"), ("s", "osce-submission", "withheld")]
        {
            toml.push_str(&format!("\n[audiences.{name}]\ntemplate = \"{template}\"\nredact = \"{redact}\"\n"));
        }
        fs::write(dir.join("report.toml"), toml).unwrap();
        let build = Command::new(env!("CARGO_BIN_EXE_osce-report"))
            .args(["build", "--all-audiences"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(build.status.success(), "{language}: {}", String::from_utf8_lossy(&build.stderr));
    }
}

#[test]
fn a_name_only_the_finished_document_shows_is_caught_there_even_hyphenated() {
    // Text made by code is not seen at the source; the laid-out page is checked, with words
    // hyphenated at a line end joined again.
    let f = Fixture::example();
    f.edit(
        "sections/en/01-summary.typ",
        "\n",
        "\n#block(width: 1.2cm, text(hyphenate: true)[#(\"Tume\" + \"nova\")])\n",
    );
    let run = f.run(&["build", ".", "--audience", "press-en"]).expect(1);
    let stderr = run.stderr();
    // Typst hyphenates it as `Tumen-ova`, a soft hyphen at the line end.
    assert!(stderr.contains("but the text of its document would show `Bakhyt Tumenova` (written `Tu"), "{stderr}");
    assert!(stderr.contains("\\u{ad}"), "the word was not hyphenated: {stderr}");
    assert_nothing_written(&f, "press-en");
}

#[test]
fn a_name_in_a_report_toml_value_is_refused_at_its_place_with_a_hint_for_the_audience() {
    let f = Fixture::example();
    f.edit("report.toml", "title = \"The Situation", "title = \"Tumenova and the Situation");
    let run = f.run(&["build", ".", "--audience", "press-en"]).expect(1);
    assert_shows(
        &run.stderr(),
        "report.toml:",
        "audience `press-en` withholds names, but its document would show `Bakhyt Tumenova` (written `Tumenova`)",
    );
    assert!(run.stderr().contains("remove the name from this value"), "{}", run.stderr());
    assert_nothing_written(&f, "press-en");
}

#[test]
fn a_redacting_audience_is_told_where_each_name_is_in_its_language() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    let _guard = settings.bind_to_scope();
    for (case, audience) in [("redact-capitals", "public"), ("redact-false-positive-init", "press")] {
        let run = Fixture::case(case).run(&["build", ".", "--audience", audience]);
        insta::assert_snapshot!(case, format!("exit {}\n{}", run.code(), run.stderr()));
    }
}

#[test]
fn a_whole_amount_with_a_zero_fraction_in_a_semicolon_file_is_read_exactly() {
    // `80 900,00` is how Russian Excel's money format exports 80 900: it was refused.
    let f = case("positions-semicolon-amount");
    f.run(&["check"]).expect(0);
    let summary = f.run(&["summary", "--format", "json"]).expect(0).stdout();
    assert!(summary.contains("80\u{202f}900") || summary.contains("80 900"), "{summary}");
}

#[test]
fn a_header_in_other_capitals_is_still_our_column() {
    // `Detained` for `detained` once dropped the whole column with a warning: exit 0, "no figure".
    let f = Fixture::example();
    let before = f.run(&["summary", "--format", "json"]).expect(0).stdout();
    let text = fs::read_to_string(f.path("incidents.csv")).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    fs::write(
        f.path("incidents.csv"),
        format!("{}\n{rest}", header.replace("detained", "Detained").replace("fined", "FINED")),
    )
    .unwrap();
    assert_eq!(f.run(&["summary", "--format", "json"]).expect(0).stdout(), before);
}

#[test]
fn a_control_character_in_a_text_cell_is_an_error_at_its_cell() {
    // Escape sequences and NULs pasted into a summary reached the PDF as garbage with exit 0.
    let f = Fixture::example();
    let text = fs::read_to_string(f.path("incidents.csv")).unwrap();
    fs::write(f.path("incidents.csv"), text.replacen("Митинг вопреки отказу", "Митинг\u{1b}[31m вопреки отказу", 1))
        .unwrap();
    let run = f.build().expect(1);
    assert!(run.stderr().contains("holds the control character \\u{1b}"), "{}", run.stderr());
    assert!(run.stderr().contains("column O, `summary`"), "{}", run.stderr());
}

#[test]
fn page_options_that_cannot_be_met_are_usage_errors_not_crashes() {
    // `--ppi 100000` aborted the process on a 3.8 TB allocation; `--pages 99` wrote nothing, silently.
    let f = Fixture::example();
    for args in [
        &["build", "--format", "png", "--ppi", "100000"][..],
        &["build", "--format", "png", "--ppi", "0"],
        &["build", "--format", "png", "--pages", "3-1"],
        &["build", "--format", "png", "--pages", "99"],
        &["build", "--pages", "1"],
    ] {
        let run = f.run(args);
        assert_eq!(run.code(), 2, "{args:?}: {}", run.stderr());
        assert!(!run.stderr().contains("panicked"), "{args:?}: {}", run.stderr());
    }
    assert!(!f.path("out/osce-99.png").exists());
}

#[test]
fn summary_in_json_gives_the_problems_as_json_too() {
    let f = case("summary-error-wording");
    let run = f.run(&["summary", "--format", "json"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON on stdout");
    assert_eq!(json["diagnostics"][0]["header"], "participants");
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // `completions bash | head` once panicked on the broken pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_osce-report"))
        .args(["completions", "bash"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

#[test]
fn utf16_without_a_byte_order_mark_is_read_as_utf16() {
    // It was refused as "not a text table".
    let f = case("positions-semicolon-tab");
    let text = fs::read_to_string(f.path("tab/ev.csv")).unwrap();
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(f.path("tab/ev.csv"), bytes).unwrap();
    let d = first_json_diagnostic(&f, "tab");
    assert_eq!(
        (&d["line"], &d["column"], &d["header"]),
        (&serde_json::json!(2), &serde_json::json!(28), &serde_json::json!("participants"))
    );
}

#[test]
fn every_pdf_says_how_many_incidents_gave_no_figure_beside_its_totals() {
    // The totals read "около 58 и более" with no word of the 11 incidents without a figure.
    let f = Fixture::example();
    f.run(&["build", "--all-audiences"]).expect(0);
    // The statement puts the note under each total of its table; the annex lists them under it.
    assert!(pdf_text(&f.path("out/osce.pdf")).contains("(нет данных по 11 событиям)"));
    assert!(pdf_text(&f.path("out/annex.pdf")).contains("Задержано: нет данных по 11 событиям"));
    assert!(pdf_text(&f.path("out/press-en.pdf")).contains("no figure for 11 incidents"));
}

#[test]
fn a_misspelt_template_or_setting_of_an_audience_is_placed_at_its_key() {
    // An unknown template was an error at report.toml line 0, column 0; a bad `redact` pointed at
    // the audience's table.
    let f = Fixture::example();
    f.edit("report.toml", "template = \"press-brief\"", "template = \"press-brif\"");
    let run = f.run(&["build", "--audience", "press-en"]).expect(1);
    let line =
        fs::read_to_string(f.path("report.toml")).unwrap().lines().position(|l| l.contains("press-brif")).unwrap() + 1;
    assert_shows(&run.stderr(), &format!("report.toml:{line}:12"), "there is no template `press-brif`");
    assert!(run.stderr().contains("did you mean `press-brief`?"), "{}", run.stderr());
}

#[test]
fn a_row_of_the_wrong_shape_is_one_error_not_one_per_sanction_of_its_incident() {
    // A short row dropped the incident, and each of its five sanctions was then "not an id in the
    // incident list" with a misleading "did you mean".
    let f = Fixture::example();
    let text = fs::read_to_string(f.path("incidents.csv")).unwrap();
    let line = text.lines().find(|l| l.starts_with("2012-02-25-rally,")).unwrap();
    let short: String = line.split(',').take(9).collect::<Vec<_>>().join(",");
    fs::write(f.path("incidents.csv"), text.replacen(line, &short, 1)).unwrap();
    let stderr = f.build().expect(1).stderr();
    assert!(stderr.contains("this row has 9 fields but the header has 16"), "{stderr}");
    assert!(!stderr.contains("is not an id in the incident list"), "{stderr}");
    assert!(stderr.contains("build failed: 1 error"), "{stderr}");
}

#[test]
fn an_invisible_character_in_a_value_is_shown_in_the_message() {
    // `2012-02-25\u{200b}` was quoted as `2012-02-25`, which looks right.
    let f = Fixture::example();
    f.edit("incidents.csv", "2012-02-25-rally,2012-02-25,", "2012-02-25-rally,2012-02-25\u{200b},");
    let stderr = f.build().expect(1).stderr();
    assert!(stderr.contains("2012-02-25\\u{200b}"), "{stderr}");
}

#[test]
fn a_name_run_into_a_footnote_number_a_digit_or_the_word_before_it_is_refused() {
    // `fined#footnote[Tumenova B.]` is laid out as `1Tumenova`, and `ДелоТуменовой` runs text into
    // the name: both reached the redacted PDF, as did a link target with the name percent-encoded.
    for line in [
        "She was fined#footnote[Tumenova B., interview, 2012.] last year.",
        "Case 2Tumenova here.",
        "CaseTumenova here.",
        "#link(\"https://example.org/%D0%A2%D1%83%D0%BC%D0%B5%D0%BD%D0%BE%D0%B2%D0%B0\")[here]",
    ] {
        let f = Fixture::example();
        let path = f.path("sections/en/01-summary.typ");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{text}\n{line}\n")).unwrap();
        let run = f.run(&["build", "--audience", "press-en"]);
        assert_eq!(run.code(), 1, "{line}: {}", run.stderr());
        assert!(!f.path("out/press-en.pdf").exists(), "{line}");
    }
}

#[test]
fn a_guessed_windows_code_page_for_a_file_with_mac_line_ends_is_said() {
    // Excel for Mac writes CR line ends in Mac Cyrillic; guessed as Windows-1251, every capital
    // letter came out wrong with exit 0 and not a word.
    let f = Fixture::example();
    let text = fs::read_to_string(f.path("incidents.csv")).unwrap().replace("\r\n", "\n").replace('\n', "\r");
    let (bytes, _, _) = encoding_rs::X_MAC_CYRILLIC.encode(&text);
    fs::write(f.path("incidents.csv"), &bytes).unwrap();
    let stderr = f.run(&["check"]).expect(0).stderr();
    assert!(stderr.contains("its line ends are those of Excel for Mac"), "{stderr}");
    assert!(stderr.contains("encoding = \"x-mac-cyrillic\""), "{stderr}");
}

#[test]
fn a_narrative_file_not_in_utf8_stops_only_the_audiences_that_include_it() {
    // A Windows-1251 file in sections/en/ once stopped the Russian statement too, which never
    // includes it.
    let f = Fixture::example();
    let path = f.path("sections/en/01-summary.typ");
    let text = fs::read_to_string(&path).unwrap().replace("The city", "Городская");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    fs::write(&path, &bytes).unwrap();
    f.run(&["build", "--audience", "osce"]).expect(0);
    let stderr = f.run(&["build", "--audience", "press-en"]).expect(1).stderr();
    assert!(stderr.contains("sections/en/01-summary.typ:"), "{stderr}");
    assert!(!f.path("out/press-en.pdf").exists());
    f.run(&["check"]).expect(1);
}

/// The example's incidents.csv written again with `delimiter` and line end `newline`, the
/// `detained` cell of the 25 February rally set to `detained`, quoting as a spreadsheet does.
fn incidents_as(f: &Fixture, delimiter: char, newline: &str, detained: &str) -> String {
    let text = fs::read_to_string(f.path("incidents.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let mut record: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        if record[0] == "2012-02-25-rally" {
            record[9] = detained.to_string();
        }
        let cells: Vec<String> = record
            .iter()
            .map(|c| {
                if c.contains([delimiter, '"', '\n', ',']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push(cells.join(&delimiter.to_string()));
    }
    out.join(newline) + newline
}

/// Turns a file's text into its bytes in some encoding.
type Encoder = dyn Fn(&str) -> Vec<u8>;

#[test]
fn a_cell_is_placed_exactly_in_other_delimiters_and_encodings_than_the_cases() {
    // The same kind as the positions-* cases, in forms they do not show: KOI8-R with `;` and CRLF,
    // UTF-16BE with tabs, `|` in UTF-8, Windows-1251 with CR-only line ends.
    let forms: [(char, &str, &Encoder); 4] = [
        (';', "\r\n", &|t| encoding_rs::KOI8_R.encode(t).0.into_owned()),
        ('\t', "\r\n", &|t| [0xfe, 0xff].into_iter().chain(t.encode_utf16().flat_map(u16::to_be_bytes)).collect()),
        ('|', "\n", &|t| t.as_bytes().to_vec()),
        (';', "\r", &|t| encoding_rs::WINDOWS_1251.encode(t).0.into_owned()),
    ];
    for (delimiter, newline, encode) in forms {
        let f = Fixture::example();
        let text = incidents_as(&f, delimiter, newline, "1x2");
        fs::write(f.path("incidents.csv"), encode(&text)).unwrap();
        let d = first_json_diagnostic(&f, ".");
        let place = (&d["line"], &d["column"], &d["field"], &d["header"]);
        let expected =
            (&serde_json::json!(5), &serde_json::json!(75), &serde_json::json!(10), &serde_json::json!("detained"));
        assert_eq!(place, expected, "{delimiter:?} {newline:?}: {d}");
    }
}

#[test]
fn digit_groups_other_than_the_cases_are_read_exactly_or_refused() {
    // Of the kind of count-space-groups: short, long and ambiguous groups are errors at the cell;
    // a well-grouped number is read.
    for (cell, refused) in [("2 50", true), ("10 0000", true), ("1 000 00", true), ("300 400", true), ("12 345", false)]
    {
        let f = Fixture::example();
        f.edit("incidents.csv", ",~400,28,3,2,", &format!(",~400,\"{cell}\",3,2,"));
        let run = f.run(&["check", "--format", "json"]);
        assert_eq!(run.code(), if refused { 1 } else { 0 }, "{cell}: {}", run.stdout());
    }
}

#[test]
fn other_encodings_of_report_toml_and_the_narrative_are_refused_with_their_file() {
    // Of the kind of report-toml-not-utf8 and narrative-not-utf8: KOI8-R and UTF-16.
    let f = Fixture::example();
    let toml = fs::read_to_string(f.path("report.toml")).unwrap();
    fs::write(f.path("report.toml"), encoding_rs::KOI8_R.encode(&toml).0).unwrap();
    assert_eq!(first_json_diagnostic(&f, ".")["file"], "report.toml");
    let f = Fixture::example();
    let path = f.path("sections/01-context.typ");
    let text = fs::read_to_string(&path).unwrap();
    let utf16: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    fs::write(&path, utf16).unwrap();
    let stderr = f.build().expect(1).stderr();
    assert!(stderr.contains("sections/01-context.typ") && stderr.contains("UTF-16LE text, not UTF-8"), "{stderr}");
}

/// The diagnostics `check --format json` prints for `dir`, with the exit code.
fn json_diagnostics(f: &Fixture, dir: &str) -> (i32, Vec<serde_json::Value>) {
    let run = f.run(&["check", dir, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("check prints JSON");
    (run.code(), json["diagnostics"].as_array().cloned().unwrap_or_default())
}

/// The incidents `summary --explain` counts in `month` (`January 2022`): their count and the
/// line naming them (`from incidents.csv: 1.0 (line 5), …`).
fn incidents_in_month(f: &Fixture, month: &str) -> (String, String) {
    let out = f.run(&["summary", "--explain"]).expect(0).stdout();
    let mut lines = out.lines().skip_while(|l| !l.starts_with(&format!("{month}: Incidents")));
    let count = lines.next().and_then(|l| l.split_whitespace().last()).unwrap_or_default().to_string();
    (count, lines.next().unwrap_or_default().trim().to_string())
}

#[test]
fn start_and_end_date_headers_are_proposed_as_date_and_date_end() {
    // Mass Mobilization's `start_date` was "(not used)" while `end_date` was `date_end`, and the
    // preview said "required column `date` is missing".
    let f = case("export-start-date-header");
    let out = f.run(&["columns", "mm.csv"]).expect(0).stdout();
    assert!(out.contains("start_date                   → date\n"), "{out}");
    assert!(out.contains("end_date                     → date_end\n"), "{out}");
    assert!(out.contains("police brutality               (not used)"), "{out}");
    assert!(!out.contains("`date` is missing"), "{out}");
    // Unmapped, `check` names the header that is our `date` in its hint.
    f.run(&["init", "."]).expect(0);
    fs::write(f.path("incidents.csv"), fs::read(f.path("mm.csv")).unwrap()).unwrap();
    let (code, diagnostics) = json_diagnostics(&f, ".");
    assert_eq!(code, 1);
    let missing = diagnostics.iter().find(|d| d["message"] == "required column `date` is missing").unwrap();
    assert!(missing["hint"].as_str().unwrap().starts_with("`start_date` is our `date`"), "{missing}");
}

#[test]
fn datetimes_with_midnight_are_their_date_and_a_date_format_does_not_refuse_the_other_forms() {
    // 432 of 435 rows of a city's 2022 register were "not a date" (`2022-01-16 00:00:00`); with
    // `date_format = "%Y-%m-%d %H:%M:%S"` the rows written 22.01.2022 failed instead.
    let f = case("export-datetime-midnight");
    f.run(&["check"]).expect(0);
    let january = "from incidents.csv: 1.0 (line 2), 2.0 (line 3), 3.0 (line 4)";
    assert_eq!(incidents_in_month(&f, "January 2022"), ("3".into(), january.into()));
    // The same day with a `T`, a time without seconds, a time of day that is not midnight.
    let f = case("export-datetime-midnight");
    let more = "4.0,2022-02-01T00:00:00,rally,\n5.0,03.02.2022 0:00,rally,\n6.0,2022-02-04 14:30:00,rally,\n";
    f.edit("incidents.csv", "id,date,kind,participants\n", &format!("id,date,kind,participants\n{more}"));
    let january = "from incidents.csv: 1.0 (line 5), 2.0 (line 6), 3.0 (line 7)";
    assert_eq!(incidents_in_month(&f, "January 2022"), ("3".into(), january.into()));
    let february = "from incidents.csv: 4.0 (line 2), 5.0 (line 3), 6.0 (line 4)";
    assert_eq!(incidents_in_month(&f, "February 2022"), ("3".into(), february.into()));
    // A set date_format reads its own form, and the unambiguous others still read.
    fs::write(
        f.path("report.toml"),
        fs::read_to_string(f.path("report.toml")).unwrap()
            + "\n[data.incidents]\nfile = \"incidents.csv\"\ndate_format = \"%Y-%m-%d %H:%M:%S\"\n",
    )
    .unwrap();
    f.run(&["check"]).expect(0);
    // A month-first slash date without a date_format: refused, with the format that reads it.
    let f = case("export-datetime-midnight");
    f.edit("incidents.csv", "22.01.2022", "01/22/2022");
    let (code, diagnostics) = json_diagnostics(&f, ".");
    assert_eq!(code, 1);
    let d = &diagnostics[0];
    assert_eq!((d["line"].as_u64(), d["header"].as_str()), (Some(4), Some("date")), "{d}");
    assert!(d["hint"].as_str().unwrap().contains("date_format = \"%m/%d/%Y\""), "{d}");
}

#[test]
fn month_and_year_forms_are_months_and_a_day_without_a_year_is_refused_with_a_hint() {
    // `02/2024` was "ambiguous: day-first or month-first?" though it has no day; `Feb-24` (a
    // spreadsheet's month display) was refused without a hint.
    let f = case("export-month-year");
    let (code, diagnostics) = json_diagnostics(&f, ".");
    assert_eq!(code, 1);
    let errors: Vec<&serde_json::Value> = diagnostics.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{diagnostics:?}");
    assert_eq!(errors[0]["line"], 4, "`25-Feb` shows no year: {}", errors[0]);
    assert!(errors[0]["message"].as_str().unwrap().contains("has no year"), "{}", errors[0]);
    assert!(errors[0]["hint"].as_str().unwrap().contains("2024-02-25"), "{}", errors[0]);
    f.edit("incidents.csv", "c,25-Feb,rally\n", "c,февр. 2024,rally\ne,2024-02,rally\n");
    let all = "from incidents.csv: a (line 2), b (line 3), c (line 4), e (line 5), d (line 6)";
    assert_eq!(incidents_in_month(&f, "February 2024"), ("5".into(), all.into()));
}

/// The targets of a PDF's link annotations (`/URI`).
fn link_targets(path: &Path) -> Vec<String> {
    let document = lopdf::Document::load(path).unwrap();
    let mut targets = Vec::new();
    for object in document.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        let Ok(action) = dict.get(b"A").and_then(|a| match a {
            lopdf::Object::Reference(r) => document.get_dictionary(*r),
            other => other.as_dict(),
        }) else {
            continue;
        };
        if let Ok(lopdf::Object::String(uri, _)) = action.get(b"URI") {
            targets.push(String::from_utf8_lossy(uri).into_owned());
        }
    }
    targets
}

#[test]
fn sources_that_are_names_stay_text_never_links() {
    // ACLED's `source` holds outlets' names: the annex made each a link annotation to
    // `(ITAR-TASS)`, `(Local Source)`, … (1,092 in a 400-row sample) and `check` said nothing.
    let f = case("export-sources-not-urls");
    f.edit("acled.csv", ",ITAR-TASS,", ",ITAR-TASS; https://example.org/news/1,");
    let out = f.run(&["columns", "acled.csv"]).expect(0).stdout();
    assert!(out.contains("note: `source` holds names, not links (`ITAR-TASS`, `Local Source`, `Interfax`)"), "{out}");
    let (code, diagnostics) = json_diagnostics(&f, ".");
    assert_eq!(code, 0, "{diagnostics:?}");
    let names: Vec<&serde_json::Value> =
        diagnostics.iter().filter(|d| d["message"].as_str().unwrap().contains("are names, not links")).collect();
    assert_eq!(names.len(), 1, "one warning for the file: {diagnostics:?}");
    assert_eq!((&names[0]["line"], &names[0]["header"]), (&serde_json::json!(2), &serde_json::json!("source")));
    assert!(names[0]["message"].as_str().unwrap().contains("3 entries in 2 rows"), "{}", names[0]);
    f.run(&["build", ".", "--audience", "annex", "-o", "annex.pdf"]).expect(0);
    let pdf = f.path("annex.pdf");
    // The one link (perhaps one annotation for each line it wraps over), and nothing else.
    let targets = link_targets(&pdf);
    assert!(!targets.is_empty() && targets.iter().all(|t| t == "https://example.org/news/1"), "{targets:?}");
    let text = pdf_text(&pdf);
    assert_contains_all(&text, &["ITAR-TASS", "Local Source", "Interfax"]);
}

#[test]
fn no_hint_proposes_a_column_of_another_meaning() {
    // `pol` (a 0/1 "political" flag) was hinted as our `police`, `police brutality` too, and an
    // unused `date` as `date_end`: following them counts flags as police officers.
    for dir in [".", "only_pol", "only_police_brutality"] {
        let f = case("export-misleading-hint");
        let (code, diagnostics) = json_diagnostics(&f, dir);
        assert_eq!(code, 0, "{dir}: {diagnostics:?}");
        let unused =
            diagnostics.iter().find(|d| d["message"].as_str().unwrap().starts_with("columns not used")).unwrap();
        assert_eq!(unused["hint"], serde_json::Value::Null, "{dir}: {unused}");
        let stderr = f.run(&["check", dir]).expect(0).stderr();
        assert!(!stderr.contains("our `police`") && !stderr.contains("date_end"), "{dir}: {stderr}");
    }
    let f = case("export-misleading-hint");
    let out = f.run(&["columns", "events.csv"]).expect(0).stdout();
    assert!(out.contains("pol                            (not used)"), "{out}");
    // A slip of one of our columns' names is still hinted, as the column it means.
    f.edit("events.csv", ",pol,", ",detianed,");
    let (_, diagnostics) = json_diagnostics(&f, ".");
    let unused = diagnostics.iter().find(|d| d["message"].as_str().unwrap().starts_with("columns not used")).unwrap();
    assert!(unused["hint"].as_str().unwrap().starts_with("`detianed` is our `detained`"), "{unused}");
}
mod workbook;
/// The files a PDF carries as attachments, by name, decompressed.
fn attachments(path: &Path) -> std::collections::BTreeMap<String, String> {
    let document = lopdf::Document::load(path).unwrap();
    let mut files = std::collections::BTreeMap::new();
    for object in document.objects.values() {
        let Ok(spec) = object.as_dict() else { continue };
        if spec.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"Filespec".as_slice()) {
            continue;
        }
        let name = spec.get(b"UF").or_else(|_| spec.get(b"F")).unwrap();
        let mut name_text = String::new();
        collect_strings(name, &mut name_text);
        let reference = spec.get(b"EF").unwrap().as_dict().unwrap().get(b"F").unwrap().as_reference().unwrap();
        let stream = document.get_object(reference).unwrap().as_stream().unwrap();
        let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        files.insert(name_text.trim().to_string(), String::from_utf8(bytes).unwrap());
    }
    files
}

#[test]
fn the_annex_carries_its_incidents_and_sanctions_as_csv_with_names_as_it_shows_them() {
    let f = Fixture::example();
    // The press brief carries its data too when report.toml says so; its names are withheld.
    f.edit("report.toml", "redact = \"withheld\"\n", "redact = \"withheld\"\nembed_data = true\n");
    f.run(&["build", ".", "--all-audiences"]).expect(0);
    let annex = attachments(&f.path("out/annex.pdf"));
    assert_eq!(annex.keys().collect::<Vec<_>>(), ["incidents.csv", "sanctions.csv"]);
    let incidents: Vec<&str> = annex["incidents.csv"].lines().collect();
    assert_eq!(incidents.len(), 1 + 14, "a header and the example's 14 incidents");
    assert!(incidents[0].starts_with("id,date,date_end,city,place,kind,permit,participants,police,detained,"));
    // In date order (the month-only `2012-01` first); a rally's cells as written in
    // incidents.csv: `~1000` participants, 2 fined, 3 arrested.
    assert!(incidents[1].starts_with("2012-h1-pickets,2012-01,2012-06,"), "{}", incidents[1]);
    assert!(incidents[2].starts_with("2012-01-28-rally,2012-01-28,,Алматы,памятник Абаю,rally,denied,~1000,,,2,3,,,"));
    let sanctions: Vec<&str> = annex["sanctions.csv"].lines().collect();
    assert_eq!(sanctions.len(), 1 + 22);
    assert!(sanctions.contains(
        &"2012-05-31-memorial,2012-05-31,Б.\u{a0}Т.,fine,80900,,руководитель ОФ «Аман Саулык»; административный суд"
    ));
    for surname in &SURNAMES[..4] {
        assert!(!annex["sanctions.csv"].contains(surname), "the annex's data names {surname}");
    }
    let press = attachments(&f.path("out/press-en.pdf"));
    assert!(press["sanctions.csv"].contains("2012-04-28-preemptive-detentions,2012-04-28,[name withheld],arrest,,15,"));
    assert!(!press["sanctions.csv"].contains("Бояр") && !press["sanctions.csv"].contains("Л."));
    assert!(attachments(&f.path("out/osce.pdf")).is_empty(), "off unless asked for");

    // An archival annex is PDF/A-3b, which allows the attachments (PDF/A-2b does not).
    let run = f.run(&["build", ".", "--audience", "annex", "--pdf-standard", "a-2b", "-o", "archival.pdf"]).expect(0);
    assert!(run.stderr().contains("made PDF/A-3b"), "{}", run.stderr());
    let xmp = decompressed_streams(&f.path("archival.pdf"));
    assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>"));
    assert_eq!(attachments(&f.path("archival.pdf")).len(), 2);
}

#[test]
fn a_long_annex_comes_in_volumes_and_no_file_of_a_longer_build_is_left() {
    let f = Fixture::example();
    f.edit("report.toml", "template = \"annex\"\n", "template = \"annex\"\nincidents_per_volume = 5\n");
    fs::create_dir_all(f.path("out")).unwrap();
    for stale in ["out/annex.pdf", "out/annex-part-7.pdf"] {
        fs::write(f.path(stale), b"from an earlier build").unwrap();
    }
    let run = f.run(&["build", ".", "--audience", "annex"]).expect(0);
    assert_eq!(run.stdout(), "out/annex-part-1.pdf\nout/annex-part-2.pdf\nout/annex-part-3.pdf\n");
    assert!(!f.path("out/annex.pdf").exists() && !f.path("out/annex-part-7.pdf").exists());
    // 14 incidents in volumes of 5, 5 and 4, each saying which part it is on its cover.
    let second = pdf_text(&f.path("out/annex-part-2.pdf"));
    assert!(second.contains("Часть 2 из 3: события 6–10 из 14 в порядке дат"), "{second}");
    let rows =
        |part: u32| attachments(&f.path(&format!("out/annex-part-{part}.pdf")))["incidents.csv"].lines().count() - 1;
    assert_eq!((rows(1), rows(2), rows(3)), (5, 5, 4));
    // The totals close the last volume only.
    assert!(
        !second.contains("Всего (событий") && pdf_text(&f.path("out/annex-part-3.pdf")).contains("Всего (событий: 14)")
    );

    f.edit("report.toml", "incidents_per_volume = 5", "incidents_per_volume = 7");
    let run = f.run(&["build", ".", "--audience", "annex"]).expect(0);
    assert_eq!(run.stdout(), "out/annex-part-1.pdf\nout/annex-part-2.pdf\n");
    assert!(!f.path("out/annex-part-3.pdf").exists(), "a volume of the longer build is left looking current");
    f.edit("report.toml", "incidents_per_volume = 7", "incidents_per_volume = 2000");
    f.run(&["build", ".", "--audience", "annex"]).expect(0);
    let left: Vec<String> =
        fs::read_dir(f.path("out")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(left.iter().all(|name| !name.contains("-part-")), "{left:?}");
}

#[test]
fn a_volume_that_fails_leaves_every_volume_of_the_last_good_build() {
    let f = Fixture::example();
    fs::create_dir_all(f.path("templates/volumes")).unwrap();
    let template = "#import \"@osce/report:0.1.0\": report, incidents\n#let v = report.volume\n\
                    = #v.text\n#for i in incidents() [#i.id ]\n";
    fs::write(f.path("templates/volumes/main.typ"), template).unwrap();
    f.edit(
        "report.toml",
        "[currency]",
        "[audiences.volumes]\ntemplate = \"volumes\"\nincidents_per_volume = 5\n\n[currency]",
    );
    f.run(&["build", ".", "--audience", "volumes"]).expect(0);
    let before: Vec<Vec<u8>> =
        (1..=3).map(|n| fs::read(f.path(&format!("out/volumes-part-{n}.pdf"))).unwrap()).collect();
    // Volume 2 of the next build fails after volume 1 was made: nothing of it is written.
    f.edit("incidents.csv", ",~400,28,3,2,", ",~400,30,3,2,");
    fs::write(
        f.path("templates/volumes/main.typ"),
        template.replace("= #v.text", "#if v.number == 2 { panic(\"two\") }\n= #v.text"),
    )
    .unwrap();
    let run = f.run(&["build", ".", "--audience", "volumes"]).expect(1);
    assert!(run.stderr().contains("two"), "{}", run.stderr());
    let after: Vec<Vec<u8>> =
        (1..=3).map(|n| fs::read(f.path(&format!("out/volumes-part-{n}.pdf"))).unwrap()).collect();
    assert!(before == after, "a volume of the last good build changed");
    let names: Vec<String> =
        fs::read_dir(f.path("out")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_document_too_long_to_lay_out_is_a_clear_error_in_build_and_check() {
    // More incidents than one document may list, in a template without volumes: a message
    // naming the setting, never a process killed for lack of memory.
    let f = Fixture::example();
    let mut csv = fs::read_to_string(f.path("incidents.csv")).unwrap();
    for n in 0..5000 {
        csv.push_str(&format!("extra-{n},2012-06-01,,Алматы,,picket,,1,,,,,,,,\n"));
    }
    fs::write(f.path("incidents.csv"), csv).unwrap();
    fs::create_dir_all(f.path("templates/list")).unwrap();
    fs::write(f.path("templates/list/main.typ"), "#import \"@osce/report:0.1.0\": incidents\n#incidents().len()\n")
        .unwrap();
    f.edit("report.toml", "[currency]", "[audiences.list]\ntemplate = \"list\"\n\n[currency]");
    let run = f.run(&["build", ".", "--audience", "list"]).expect(1);
    assert!(run.stderr().contains("one document cannot list 5014 incidents"), "{}", run.stderr());
    assert!(run.stderr().contains("set `incidents_per_volume`"), "{}", run.stderr());
    let run = f.run(&["check", "."]).expect(1);
    assert!(run.stderr().contains("audience `list`: one document cannot list 5014 incidents"), "{}", run.stderr());
}

// ---------------------------------------------------------------------------------------------
// The statement stays a statement; honest totals; charts that read at any period.
// ---------------------------------------------------------------------------------------------

/// How many pages a PDF has.
fn page_count(path: &Path) -> usize {
    lopdf::Document::load(path).unwrap().get_pages().len()
}

/// Adds an audience of each built-in template in each language to a report folder.
fn add_every_template_and_language(f: &Fixture) {
    let mut toml = fs::read_to_string(f.path("report.toml")).unwrap();
    for template in ["osce-submission", "press-brief", "annex"] {
        for language in ["en", "ru"] {
            toml.push_str(&format!(
                "\n[audiences.{template}-{language}]\ntemplate = \"{template}\"\nlanguage = \"{language}\"\n"
            ));
        }
    }
    fs::write(f.path("report.toml"), toml).unwrap();
}

#[test]
fn every_total_with_blank_parts_says_beside_it_how_many_incidents_gave_no_figure() {
    // pdf-unknown-count: "more than 510" detained while one of three incidents gave no figure;
    // the PDF said "more than 510" and nothing else. Each total now carries summary's note,
    // in every built-in template and both languages.
    let f = case("pdf-unknown-count");
    add_every_template_and_language(&f);
    f.run(&["build", "--all-audiences"]).expect(0);
    // A note sits under its total in a narrow table cell, so the text extractor may interleave
    // the lines of two cells: the totals and a note for each (participants, detained) are counted.
    for template in ["osce-submission", "press-brief", "annex"] {
        for (language, totals, note) in [
            ("en", ["510", "16,000"], ["no figure for", "1 incident"]),
            ("ru", ["510", "16 000"], ["нет данных по", "1 событию"]),
        ] {
            let text = pdf_text(&f.path(&format!("out/{template}-{language}.pdf")));
            assert_contains_all(&text, &totals);
            for part in note {
                assert!(
                    text.matches(part).count() >= 2,
                    "{template}-{language}: `{part}` is not beside both totals:\n{text}"
                );
            }
        }
    }
    // The same words as `summary`.
    let summary = f.run(&["summary"]).expect(0).stdout();
    assert!(summary.contains("more than 510 (no figure for 1 incident)"), "{summary}");
}

#[test]
fn a_two_year_chart_marks_its_years_and_stops_at_the_period() {
    // chart-long-period: ticks Jan…Dec Jan…Dec Jan…Aug with no year, and one 2019 row (outside
    // the period) stretched the axis by eight empty months.
    let f = case("chart-long-period");
    f.run(&["build", "--audience", "press"]).expect(0);
    let text = pdf_text(&f.path("out/press.pdf"));
    assert_contains_all(&text, &["2017", "2018", "Outside the period, not in the chart: 1 incident"]);
    assert!(!text.contains("2019"), "a month of 2019 is on the axis:\n{text}");
    // Every second month is labelled (24 bars leave no room for "Sept" under each), so January
    // appears once for each year, and August (a 2019 month too) never.
    assert_eq!(text.matches("Jan ").count(), 2, "{text}");
    assert!(!text.contains("Aug"), "{text}");
}

/// A report folder of `n` incidents over 2017–2018 in two cities, each with `detained` equal
/// to its number (so the largest numbers are the last rows), for the long-statement tests.
fn long_report(n: usize) -> Fixture {
    let f = case("chart-long-period");
    let mut csv = String::from("id,date,city,kind,participants,detained,fined,arrested,summary\n");
    for i in 1..=n {
        let (year, month, day) = (2017 + (i % 2), 1 + i % 12, 1 + i % 28);
        let city = if i % 3 == 0 { "Kazan" } else { "Moscow" };
        csv.push_str(&format!("{i},{year}-{month:02}-{day:02},{city},rally,{},{i},1,,Rally number {i}\n", 10 * i));
    }
    fs::write(f.path("incidents.csv"), csv).unwrap();
    f
}

#[test]
fn a_statement_of_thousands_of_incidents_gives_figures_and_the_leading_incidents_not_the_list() {
    // From a real 8,338-event export the formal statement was 423 pages: every incident listed.
    let f = long_report(8000);
    f.run(&["build", "--audience", "osce"]).expect(0);
    let pdf = f.path("out/osce.pdf");
    assert!(page_count(&pdf) <= 20, "{} pages", page_count(&pdf));
    let text = pdf_text(&pdf);
    // By month (24 months of 2017–2018), by kind, by city; the ten incidents with the most
    // people detained, most first; and the annex for the rest.
    assert_contains_all(
        &text,
        &["By month", "January 2017", "December 2018", "By kind of incident", "By city", "Kazan", "Moscow"],
    );
    assert_contains_all(&text, &["Incidents with the most people detained", "Rally number 8000", "Rally number 7991"]);
    assert!(!text.contains("Rally number 7990"), "an eleventh incident is listed");
    assert!(text.contains("The full chronology is given in the annex (8,000 incidents)."), "{text}");
    // The tables' totals: all 8,000 incidents.
    assert!(text.contains("Total 8,000"), "{text}");
}

#[test]
fn the_chronology_limit_is_a_setting_and_the_example_lists_every_incident() {
    // The example's 14 incidents are listed (the default limit is above them); a limit of 10
    // turns its list into figures.
    let f = Fixture::example();
    f.build().expect(0);
    assert!(pdf_text(&f.path("out/osce.pdf")).contains("Хронология событий"));
    f.edit("report.toml", "[venue]", "[statement]\nchronology_limit = 10\n\n[venue]");
    f.build().expect(0);
    let text = pdf_text(&f.path("out/osce.pdf"));
    assert!(!text.contains("Хронология событий"), "{text}");
    assert_contains_all(
        &text,
        &["По месяцам", "февраль 2012", "Полная хронология приведена в приложении (14 событий)."],
    );
    // The incidents with the most people detained: 28, about 20, about 10.
    let at = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"));
    assert!(at("25.02.2012") < at("28.04.2012") && at("28.04.2012") < at("24.03.2012"));
}

#[test]
fn cells_after_doubled_quotes_are_placed_exactly_whatever_the_delimiter_encoding_or_line_end() {
    // Rows with quotes doubled inside a quoted cell are split by osce-report's own reader, not
    // csv-core's, since 2026-12-07; a cell after one must still be placed at its own column, and
    // a control character found although its chunk is looked at whole. Five forms of one file:
    // `,` `;` tab, Windows-1251 with CRLF, CR-only line ends.
    let example = Fixture::example();
    let text = fs::read_to_string(example.path("incidents.csv")).unwrap();
    let mut rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let edit = |row: &mut csv::StringRecord, field: usize, value: &str| {
        let mut cells: Vec<String> = row.iter().map(str::to_string).collect();
        cells[field] = value.to_string();
        *row = csv::StringRecord::from(cells);
    };
    // Line 3: a place with quotes and a delimiter inside, then a bad count (field 10, `detained`).
    edit(&mut rows[2], 4, "памятник \"Абаю\", у акимата");
    edit(&mut rows[2], 9, "12a");
    // Line 5: a summary with quotes, then a bell character in `sources` (field 16).
    edit(&mut rows[4], 14, "Митинг «НЕсогласных»: \"разогнан\" полицией");
    edit(&mut rows[4], 15, "Интерфакс\u{7}");
    let forms: [(&str, u8, csv::Terminator, bool); 5] = [
        ("comma", b',', csv::Terminator::Any(b'\n'), false),
        ("semicolon", b';', csv::Terminator::Any(b'\n'), false),
        ("tab", b'\t', csv::Terminator::Any(b'\n'), false),
        ("windows-1251, CRLF", b';', csv::Terminator::CRLF, true),
        ("CR only", b',', csv::Terminator::Any(b'\r'), false),
    ];
    for (form, delimiter, terminator, legacy) in forms {
        let f = Fixture::example();
        let mut writer = csv::WriterBuilder::new().delimiter(delimiter).terminator(terminator).from_writer(Vec::new());
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        let utf8 = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let bytes = if legacy { encoding_rs::WINDOWS_1251.encode(&utf8).0.into_owned() } else { utf8.into_bytes() };
        fs::write(f.path("incidents.csv"), bytes).unwrap();
        let (code, diagnostics) = json_diagnostics(&f, ".");
        assert_eq!(code, 1, "{form}");
        let places: Vec<_> = diagnostics
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| {
                (d["file"].clone(), d["line"].clone(), d["column"].clone(), d["field"].clone(), d["header"].clone())
            })
            .collect();
        let place = |line: u64, column: u64, field: u64, header: &str| {
            use serde_json::json;
            (json!("incidents.csv"), json!(line), json!(column), json!(field), json!(header))
        };
        // `2012-02-24-warnings,2012-02-24,,Алматы,"памятник ""Абаю"", у акимата",other,,,,` is
        // 79 characters; line 5's `sources` cell starts at its 130th.
        assert_eq!(places, [place(3, 80, 10, "detained"), place(5, 130, 16, "sources")], "{form}");
    }
}

#[test]
fn a_cell_under_a_blank_header_is_warned_of_once_and_a_blank_column_is_not() {
    // A header cell left blank (`…,summary,` for `…,summary,sources`) dropped the whole sources
    // column with 0 errors and 0 warnings.
    let f = Fixture::example();
    let text = fs::read_to_string(f.path("incidents.csv")).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    assert!(header.ends_with(",sources"), "{header}");
    // Rows with a `sources` value, to the end of a file of several chunks: still one warning.
    let with_source = rows.lines().find(|l| l.contains(",http")).unwrap().to_string();
    let id = with_source.split(',').next().unwrap().to_string();
    let more: String = (0..3000).map(|i| with_source.replacen(&id, &format!("{id}-{i}"), 1) + "\n").collect();
    fs::write(f.path("incidents.csv"), format!("{}\n{rows}{more}", header.trim_end_matches("sources"))).unwrap();
    let (code, diagnostics) = json_diagnostics(&f, ".");
    assert_eq!(code, 0, "{:?}", diagnostics.first());
    let unnamed: Vec<_> =
        diagnostics.iter().filter(|d| d["message"] == "this column has no header: it is not read").collect();
    assert_eq!(unnamed.len(), 1, "{diagnostics:?}");
    let first = rows.lines().position(|l| l.contains(",http")).unwrap() + 2;
    let line = text.lines().nth(first - 1).unwrap();
    assert_eq!((unnamed[0]["file"].as_str(), unnamed[0]["line"].as_u64()), (Some("incidents.csv"), Some(first as u64)));
    // The last cell (a link, no comma in it): the line's characters before it, plus one.
    let column = line.chars().count() - line.rsplit(',').next().unwrap().chars().count() + 1;
    assert_eq!(unnamed[0]["column"].as_u64(), Some(column as u64));
    assert_eq!(unnamed[0]["severity"], "warning");

    // A blank column under a blank header, as spreadsheets export it, is nothing to warn of.
    let g = Fixture::example();
    let blank: String = text.lines().map(|l| format!("{l},\n")).collect();
    fs::write(g.path("incidents.csv"), blank).unwrap();
    let (code, diagnostics) = json_diagnostics(&g, ".");
    assert_eq!((code, diagnostics.len()), (0, 0), "{diagnostics:?}");
}

//! Workbooks read directly: the example as an `.xlsx` gives the figures and the PDF text of its
//! CSV files, and every kind of cell a spreadsheet holds is read as typed or refused at its cell.
//!
//! The workbooks in `tests/fixtures/workbook-example/` and `tests/fixtures/workbooks/` were made
//! once with openpyxl and odfpy (see `tests/fixtures/workbooks/README.md`); the tests need
//! neither.

use super::*;

/// The example's figures as `summary --format json` prints them.
fn summary_json(f: &Fixture) -> serde_json::Value {
    let run = f.run(&["summary", ".", "--format", "json"]).expect(0);
    serde_json::from_str(&run.stdout()).unwrap()
}

/// A report folder whose incidents are sheet `sheet` (or the first) of
/// `tests/fixtures/workbooks/BOOK`, without sanctions or narrative.
fn incidents_from(book: &str, sheet: Option<&str>) -> Fixture {
    let f = Fixture::case("workbooks");
    let sheet = sheet.map_or(String::new(), |s| format!(", sheet = \"{s}\""));
    let toml = format!(
        "title = \"Проверка\"\nlanguage = \"ru\"\ndate = 2012-11-08\ncountry = \"Казахстан\"\n\
         [period]\nstart = 2012-01-01\nend = 2012-12-31\n\
         [venue]\nmeeting = \"Совещание\"\nsession = \"Сессия 2\"\ntopic = \"Собрания\"\n\
         [author]\norganisation = \"Союз\"\nsignatory = \"Г. А.\"\nposition = \"Секретарь\"\n\
         [currency]\ncode = \"KZT\"\n[data]\nincidents = {{ file = \"{book}\"{sheet} }}\n\
         [audiences.osce]\ntemplate = \"osce-submission\"\n"
    );
    fs::write(f.path("report.toml"), toml).unwrap();
    f
}

/// The text of figure `key` in a `summary --format json`, its spaces plain; empty when absent.
fn figure(json: &serde_json::Value, key: &str) -> String {
    let figures = json["figures"].as_array().unwrap();
    let found = figures.iter().find(|f| f["key"] == key).and_then(|f| f["text"].as_str()).unwrap_or("");
    found.chars().map(|c| if c.is_whitespace() || c == '\u{202f}' { ' ' } else { c }).collect()
}

#[test]
fn the_example_as_a_workbook_gives_the_figures_and_the_pdf_text_of_its_csv_files() {
    let csv = Fixture::example();
    let book = Fixture::case("workbook-example");
    assert_eq!(summary_json(&book), summary_json(&csv));
    csv.run(&["build", ".", "--all-audiences"]).expect(0);
    let run = book.run(&["build", ".", "--all-audiences"]).expect(0);
    assert_eq!(run.stdout(), "out/annex.pdf\nout/osce.pdf\nout/press-en.pdf\n");
    // The annex lists every incident and sanction: read again from the workbook's two sheets.
    for pdf in ["out/annex.pdf", "out/osce.pdf", "out/press-en.pdf"] {
        assert_eq!(pdf_text(&book.path(pdf)), pdf_text(&csv.path(pdf)), "{pdf}");
    }
    // The incidents' sheet has a title above its header: found, and said once.
    let stderr = run.stderr();
    assert_eq!(stderr.matches("the header is row 3").count(), 1, "{stderr}");
    assert!(stderr.contains("in kazakhstan-2012.xlsx, sheet «Инциденты», row 3"), "{stderr}");
}

#[test]
fn a_bad_cell_in_a_workbook_is_named_by_file_sheet_and_cell_in_text_and_json() {
    let f = Fixture::case("workbook-example");
    let run = f.run(&["check", ".", "--format", "json"]).expect(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let title = &json["diagnostics"][0];
    assert_eq!(
        (&title["severity"], &title["sheet"], &title["line"]),
        (&"warning".into(), &"Инциденты".into(), &3.into())
    );
    // A count typed as text in the workbook: `~1000` in J... here the sanctions' `days` column.
    let f = incidents_from("faults.xlsx", None);
    let run = f.run(&["check", ".", "--format", "json"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let errors: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| (d["cell"].as_str().unwrap_or("").to_string(), d["message"].as_str().unwrap().to_string()))
        .collect();
    let expected = [
        ("F2", "`detained`: the cell holds the error `#N/A`"),
        ("E3", "`participants`: `0.3` is a number with a fraction, not a count"),
        ("B4", "`date`: holds a time of day without a date"),
        ("F5", "`detained`: the formula `=E2+1` has no saved value"),
        ("E6", "`participants`: `TRUE` is not a count"),
        ("H6", "`summary`: the cell holds the error `#VALUE!`"),
        ("B7", "`date`: `41088` is a number, not a date"),
    ];
    for (cell, message) in expected {
        assert!(
            errors.iter().any(|(c, m)| c == cell && m.starts_with(message)),
            "no {cell} {message:?} in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    let first = &json["diagnostics"][0];
    assert_eq!(
        (&first["file"], &first["sheet"], &first["line"], &first["column"]),
        (&"faults.xlsx".into(), &"Инциденты".into(), &2.into(), &6.into())
    );
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert!(stderr.contains("= in faults.xlsx, sheet «Инциденты», F2 (`detained`)"), "{stderr}");
}

#[test]
fn typed_cells_are_read_as_numbers_and_dates_whatever_their_display_format() {
    // cells.xlsx: 1000.0 shown as a percentage and 28 as money are counts; a date cell shown as
    // text, a date typed as text (`25.02.2012`), a datetime at midnight and one at 14:30 are
    // dates; a cell of spaces is blank.
    for book in ["cells.xlsx", "cells-1904.xlsx"] {
        let f = incidents_from(book, Some("Инциденты"));
        let json = summary_json(&f);
        let read = |key: &str| figure(&json, key);
        assert_eq!(read("incidents"), "4", "{book}: {json:#}");
        assert_eq!(
            [read("incident.r1.participants"), read("incident.r1.detained"), read("incident.r1.fined")],
            ["1 000", "28", "2"],
            "{book}"
        );
        assert_eq!(read("incident.r2.participants"), "около 1 500", "{book}");
        assert_eq!(read("incident.r3.detained"), "", "{book}: a cell of spaces is blank");
        for month in ["2012-01", "2012-02", "2012-03", "2012-04"] {
            assert_eq!(read(&format!("by-month.{month}.incidents")), "1", "{book} {month}");
        }
    }
}

#[test]
fn a_title_and_a_header_merged_over_two_rows_are_found_and_formulas_give_their_saved_values() {
    let f = incidents_from("merged.xlsx", None);
    let run = f.run(&["check", "."]).expect(0);
    assert!(run.stderr().contains("the header is row 3"), "{}", run.stderr());
    let json = summary_json(&f);
    // E5 7 and E6 `=SUM(F6,3)` saved as 4; G5 `=E5-F5` saved as 5; F, `женщин`, is not ours.
    let read = |key: &str| figure(&json, key);
    assert_eq!(
        [read("incident.m1.detained"), read("incident.m2.detained"), read("incident.m1.fined")],
        ["7", "4", "5"]
    );
    assert_eq!(read("incidents"), "2");
    // Said where the header is, the warning goes.
    f.edit("report.toml", "file = \"merged.xlsx\"", "file = \"merged.xlsx\", header_row = 3");
    assert!(!f.run(&["check", "."]).expect(0).stderr().contains("header"));
}

#[test]
fn a_libreoffice_workbook_is_read_like_an_excel_one() {
    let f = incidents_from("book.ods", None);
    let json = summary_json(&f);
    let read = |key: &str| figure(&json, key);
    assert_eq!(read("incidents"), "3", "{json:#}");
    // A number, a formula's saved value, an approximate count typed as text.
    assert_eq!([read("incident.o1.detained"), read("incident.o2.detained")], ["28", "30"]);
    assert_eq!(read("incident.o2.participants"), "около 1 500");
    // Date cells, and a date typed as text.
    for month in ["2012-01", "2012-02", "2012-03"] {
        assert_eq!(read(&format!("by-month.{month}.incidents")), "1", "{month}");
    }
}

#[test]
fn a_sheet_that_is_not_there_is_named_with_the_sheets_that_are() {
    let f = incidents_from("cells.xlsx", Some("Инцидент"));
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert!(stderr.contains("the workbook has no sheet «Инцидент»"), "{stderr}");
    assert!(stderr.contains("did you mean «Инциденты»?"), "{stderr}");
    // `sheet` on a CSV file is a mistake in report.toml, not something to ignore.
    let f = Fixture::example();
    f.edit("report.toml", "incidents = \"incidents.csv\"", "incidents = { file = \"incidents.csv\", sheet = \"A\" }");
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert!(stderr.contains("`incidents.csv` is not a workbook"), "{stderr}");
}

#[test]
fn a_damaged_workbook_is_refused_with_its_name() {
    let f = Fixture::case("workbook-example");
    fs::write(f.path("kazakhstan-2012.xlsx"), "id,date\n").unwrap();
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert!(stderr.contains("cannot read this workbook"), "{stderr}");
    assert!(stderr.contains("kazakhstan-2012.xlsx"), "{stderr}");
}

#[test]
fn columns_lists_a_workbooks_sheets_and_reads_the_one_asked_for() {
    let f = Fixture::case("workbook-example");
    let run = f.run(&["columns", "kazakhstan-2012.xlsx", "--sheet", "Санкции"]).expect(0);
    let out = run.stdout();
    assert_contains_all(&out, &["sheets     «Инциденты», «Санкции»", "sheet      Санкции", "table      sanctions"]);
    assert!(out.contains("row 2:") && out.contains("arrest"), "{out}");
}

#[test]
fn a_header_in_russian_below_a_title_is_found_and_mapped_by_columns_write() {
    // A monitoring sheet with a title, an empty row and a header of Russian names only: `columns`
    // took the title for the header (`header row 1`), mapped nothing and wrote `header_row = 1`.
    let f = incidents_from("russian-title.xlsx", None);
    let out = f.run(&["columns", "russian-title.xlsx"]).expect(0).stdout();
    assert_contains_all(
        &out,
        &["header     row 3", "Дата                         → date", "Задержано                    → detained"],
    );
    f.run(&["columns", "russian-title.xlsx", "--write", "."]).expect(0);
    let toml = fs::read_to_string(f.path("report.toml")).unwrap();
    assert!(toml.contains("header_row = 3") && toml.contains("date = \"Дата\""), "{toml}");
    f.run(&["check", "."]).expect(0);
    let json = summary_json(&f);
    // 12 + н/д + 30 detained; 2 + 0 + 1 fined.
    assert_eq!(figure(&json, "incidents"), "3");
    assert_eq!(figure(&json, "totals.detained"), "не менее 42 (нет данных по 1 событию)");
    assert_eq!(figure(&json, "totals.fined"), "3");
}

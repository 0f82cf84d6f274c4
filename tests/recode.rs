//! Exports read without editing them: a file's values recoded to ours in `report.toml`, a fixed
//! value for a column the file lacks, its own "not stated" markers, and `columns --write` merging
//! into settings made by hand. The figures expected here were counted by hand from the files.

use std::fs;

use super::{Fixture, assert_shows, case, figures};

/// Appends `text` to the report's `report.toml`.
fn append(f: &Fixture, text: &str) {
    let path = f.path("report.toml");
    let mut toml = fs::read_to_string(&path).unwrap();
    toml.push_str(text);
    fs::write(path, toml).unwrap();
}

/// The 1-based line of the first line of `report.toml` that contains `needle`.
fn settings_line(f: &Fixture, needle: &str) -> usize {
    let toml = fs::read_to_string(f.path("report.toml")).unwrap();
    toml.lines().position(|l| l.contains(needle)).expect("the line is there") + 1
}

#[test]
fn an_export_without_a_kind_column_is_read_as_it_is_and_a_fixed_kind_applies_to_every_row() {
    // export-no-kind-column: "required column `kind` is missing" made the export unusable.
    let f = case("export-no-kind-column");
    f.run(&["check", "."]).expect(0);
    let fig = figures(&f);
    // 600 + 1000 + 9000 participants, 0 + 0 + 800 detained, in three incidents of no stated kind.
    assert_eq!(fig["totals.participants"], "10,600");
    assert_eq!(fig["totals.detained"], "800");
    assert_eq!(fig["by-kind.other"], "3");
    let stdout = f.run(&["columns", "events.csv"]).expect(0).stdout();
    assert!(stdout.contains("no column is `kind`: every incident will count as `other`"), "{stdout}");

    append(&f, "\n[data.incidents.fixed]\nkind = \"rally\"\n");
    let fig = figures(&f);
    assert_eq!(fig["by-kind.rally"], "3");
    assert!(!fig.contains_key("by-kind.other"), "{fig:?}");

    // A fixed value is checked like a cell, at its place in report.toml.
    f.edit("report.toml", "kind = \"rally\"", "kind = \"rallye\"");
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    let line = settings_line(&f, "kind = \"rallye\"");
    assert_shows(&stderr, &format!("report.toml:{line}:8"), "`data.incidents.fixed.kind`: `rallye` must be one of");
    assert!(stderr.contains("did you mean `rally`?"), "{stderr}");
}

#[test]
fn a_fixed_value_for_a_column_the_file_has_is_an_error_at_its_header() {
    let f = case("export-no-kind-column");
    append(&f, "\n[data.incidents.fixed]\nplace = \"Main square\"\n");
    f.edit(
        "events.csv",
        "event_id,date,locality,protesters,apprehended,pol",
        "event_id,date,locality,protesters,apprehended,place",
    );
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert_shows(
        &stderr,
        "events.csv:1:",
        "the file has a column `place`, and report.toml gives `place` a fixed value",
    );
}

#[test]
fn dataset_event_types_are_recoded_to_our_kinds_through_report_toml() {
    // export-event-type-values: every `Riots` row was refused and report.toml could not map it.
    let f = case("export-event-type-values");
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert_shows(&stderr, "acled.csv:3:", "`kind`: `Riots` must be one of");
    // A dataset's word is no typo: the hint says how report.toml recodes it.
    assert!(
        stderr.contains("hint: if it is the export's own word, recode it in report.toml: [data.incidents.values.kind] \"Riots\" = \"other\""),
        "{stderr}"
    );

    // `columns --write` lists the values it cannot read and proposes a recoding to fill in.
    let stdout = f.run(&["columns", "acled.csv", "--write", "."]).expect(0).stdout();
    assert!(stdout.contains("`Riots`") && stdout.contains("2 rows, first line 3"), "{stdout}");
    let toml = fs::read_to_string(f.path("report.toml")).unwrap();
    assert!(toml.contains("[data.incidents.values.kind]\n# \"Riots\" = \"\"  # 2 rows, first line 3\n"), "{toml}");
    // Still an error until the user says what a riot is.
    f.run(&["check", "."]).expect(1);

    f.edit("report.toml", "# \"Riots\" = \"\"", "\"Riots\" = \"other\"");
    f.run(&["check", "."]).expect(0);
    let fig = figures(&f);
    // Rows 2 and 5 are Protests (ours: rally), rows 3 and 4 Riots, recoded to other.
    assert_eq!(fig["by-kind.rally"], "2");
    assert_eq!(fig["by-kind.other"], "2");
    assert_eq!(fig["incidents"], "4");

    // A target that is not one of our kinds is an error at its place in report.toml.
    f.edit("report.toml", "\"Riots\" = \"other\"", "\"Riots\" = \"riot\"");
    let line = settings_line(&f, "\"Riots\" = \"riot\"");
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert_shows(
        &stderr,
        &format!("report.toml:{line}:11"),
        "`data.incidents.values.kind`: `riot` (for `Riots`) must be one of",
    );

    // A key that matches no cell (a typo) is a warning at its place.
    f.edit("report.toml", "\"Riots\" = \"riot\"", "\"Riots\" = \"other\"\n\"Riot\" = \"other\"");
    let line = settings_line(&f, "\"Riot\" = ");
    let stderr = f.run(&["check", "."]).expect(0).stderr();
    assert_shows(&stderr, &format!("report.toml:{line}:10"), "`values.kind`: `Riot` matches no cell of `acled.csv`");
}

#[test]
fn sub_event_types_a_guess_where_a_word_is_ours_and_comments_where_none_is() {
    let f = case("export-event-type-values");
    let dir = "sub_event_type";
    let stdout = f.run(&["columns", "sub_event_type/acled.csv", "--write", dir]).expect(0).stdout();
    assert!(stdout.contains("added values.kind.\"Violent demonstration\" = \"rally\" (guessed: check it)"), "{stdout}");
    let path = f.path("sub_event_type/report.toml");
    let toml = fs::read_to_string(&path).unwrap();
    assert!(toml.contains("# \"Mob violence\" = \"\"  # 1 row, first line 4"), "{toml}");
    assert!(toml.contains("# \"Excessive force against protesters\" = \"\"  # 1 row, first line 5"), "{toml}");
    let filled = toml.replace("# \"Mob violence\" = \"\"", "\"Mob violence\" = \"other\"").replace(
        "# \"Excessive force against protesters\" = \"\"",
        "\"Excessive force against protesters\" = \"raid\"",
    );
    fs::write(&path, filled).unwrap();
    let run = f.run(&["summary", dir, "--format", "json"]).expect(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let figure =
        |key: &str| json["figures"].as_array().unwrap().iter().find(|l| l["key"] == key).map(|l| l["text"].clone());
    // Peaceful protest (ours) and Violent demonstration (guessed) are rallies; one other, one raid.
    assert_eq!(figure("by-kind.rally"), Some("2".into()));
    assert_eq!(figure("by-kind.other"), Some("1".into()));
    assert_eq!(figure("by-kind.raid"), Some("1".into()));
}

#[test]
fn a_codebook_of_participant_bands_and_the_files_own_not_stated_markers() {
    let f = case("export-no-kind-column");
    fs::write(
        f.path("events.csv"),
        "event_id,date,locality,protesters,apprehended,pol\n27,3/3/2017,Tomsk,2,k.A.,\n54,3/26/2017,Tyumen,3,#,1\n55,3/26/2017,Moscow,2,800,1\n",
    )
    .unwrap();
    // `columns` sees codes, not counts.
    let stdout = f.run(&["columns", "events.csv"]).expect(0).stdout();
    assert!(stdout.contains("every `participants` value is one of 2, 3"), "{stdout}");
    f.edit("report.toml", "date_format = \"%m/%d/%Y\"\n", "date_format = \"%m/%d/%Y\"\nunknown = [\"k.A.\", \"#\"]\n");
    append(
        &f,
        "\n[data.incidents.values.participants]\n\"1\" = \"<100\"\n\"2\" = \"100-999\"\n\"3\" = \"1000-9999\"\n",
    );
    let run = f.run(&["check", "."]).expect(0);
    // "1" matches no cell: a warning, not an error.
    assert!(run.stderr().contains("`values.participants`: `1` matches no cell of `events.csv`"), "{}", run.stderr());
    let fig = figures(&f);
    // 100-999 + 1000-9999 + 100-999; detained: two rows not stated, one 800.
    assert_eq!(fig["totals.participants"], "1,200–11,997");
    assert_eq!(fig["totals.detained"], "at least 800 (no figure for 2 incidents)");

    // A code the codebook lacks is an error at its cell, never read as 9 people.
    f.edit("events.csv", "Moscow,2,", "Moscow,9,");
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert_shows(&stderr, "events.csv:4:", "`participants`: `9` is none of the codes report.toml recodes");
    // A recoded value's message quotes the cell as written and what it became.
    f.edit("events.csv", "Moscow,9,", "Moscow,2,");
    f.edit("events.csv", "27,3/3/2017", "k.A.,3/3/2017");
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert_shows(
        &stderr,
        "events.csv:2:1",
        "`id`: `k.A.` (\"not stated\" in report.toml `unknown`): every incident needs an id",
    );
}

#[test]
fn columns_write_keeps_the_mappings_settings_and_comments_made_by_hand() {
    // export-columns-write-merge: a re-run dropped `kind = "repertoire"` added by hand.
    let f = case("export-columns-write-merge");
    f.edit("report.toml", "id = \"event_id\"\n", "id = \"event_id\"\nkind = \"repertoire\"   # our own column\n");
    append(&f, "\n[data.incidents.values.kind]\n\"Rally\" = \"rally\"\n");
    let stdout = f.run(&["columns", "events.csv", "--write", "."]).expect(0).stdout();
    assert!(stdout.contains("kept columns.kind = \"repertoire\" (made by hand)"), "{stdout}");
    assert!(stdout.contains("kept values as written (kind: 1)"), "{stdout}");
    let toml = fs::read_to_string(f.path("report.toml")).unwrap();
    assert!(toml.contains("kind = \"repertoire\"   # our own column"), "{toml}");
    assert!(toml.contains("\"Rally\" = \"rally\""), "{toml}");
    assert!(toml.contains("date_format = \"%m/%d/%Y\""), "{toml}");
    assert!(toml.contains("# report.toml — what the statement is"), "comments elsewhere stay");
    // A second run changes nothing.
    f.run(&["columns", "events.csv", "--write", "."]).expect(0);
    assert_eq!(fs::read_to_string(f.path("report.toml")).unwrap(), toml);

    let fig = figures(&f);
    // One rally and one picket; 600 + 1000 participants.
    assert_eq!(fig["by-kind.rally"], "1");
    assert_eq!(fig["by-kind.picket"], "1");
    assert_eq!(fig["totals.participants"], "1,600");
}

#[test]
fn a_not_stated_mark_of_the_export_gets_a_hint_to_declare_it_once() {
    // A city register writes `k.A.` and `#` for "not stated": the hint only said "write 28, ~1000,
    // …", that is, edit every cell.
    let f = case("export-no-kind-column");
    fs::write(
        f.path("events.csv"),
        "event_id,date,locality,protesters,apprehended\n1,3/3/2017,Tomsk,k.A.,0\n2,3/4/2017,Tomsk,40,#\n",
    )
    .unwrap();
    let stderr = f.run(&["check", "."]).expect(1).stderr();
    assert_shows(&stderr, "events.csv:2:", "`participants`: `k.A.` is not a count");
    assert!(stderr.contains("add `unknown = [\"k.A.\"]` to its [data] table in report.toml"), "{stderr}");
    assert!(stderr.contains("add `unknown = [\"#\"]`"), "{stderr}");
    // Declared once, both are "not stated": 40 participants of one incident, 0 detained of one.
    f.edit("report.toml", "date_format = \"%m/%d/%Y\"", "date_format = \"%m/%d/%Y\"\nunknown = [\"k.A.\", \"#\"]");
    f.run(&["check", "."]).expect(0);
    let fig = figures(&f);
    assert_eq!(fig["totals.participants"], "at least 40 (no figure for 1 incident)");
}

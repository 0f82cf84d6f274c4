//! `columns --write`: the proposed settings merged into a report's `[data.TABLE]`, keeping every
//! setting and comment made by hand (toml_edit keeps the rest of the file as it is), and saying
//! what was added, kept or changed — nothing is dropped.

use toml_edit::{DocumentMut, Item, Table, TableLike};

use crate::input::source::{Source, match_key};

/// What the merge did, one line each, for the user.
pub type Changes = Vec<String>;

/// A recoding `--write` proposes: the file's value, our value when it clearly means one, how
/// many rows hold it and the first line.
pub struct Proposal<'a> {
    /// The value as the file writes it.
    pub value: &'a str,
    /// Our value it clearly means, if any (else the line is written as a comment to fill in).
    pub ours: Option<&'a str>,
    /// How many rows hold it.
    pub rows: usize,
    /// The first line that holds it.
    pub line: usize,
}

/// Merges `proposal` into `doc`'s `[data.KEY]`: adds what is missing and keeps what is there,
/// saying where a kept setting differs from the proposal; only `file` is changed. `headers` are
/// the file's, to point out a hand-made mapping to a header the file lacks. Fails when `data` or
/// `data.KEY` is neither a file name nor a table.
pub fn merge(doc: &mut DocumentMut, key: &str, proposal: &Source, headers: &[String]) -> Result<Changes, String> {
    let mut changes = Changes::new();
    let table = data_table(doc, key, &mut changes)?;
    let mut setting = |name: &str, proposed: &str, change: bool| match table.get(name).and_then(Item::as_str) {
        None => {
            table.insert(name, toml_edit::value(proposed));
            changes.push(format!("added {name} = {}", quoted(proposed)));
        }
        // `auto` finds what the proposal names.
        Some(old) if old == proposed || (old == "auto" && !change) => {}
        Some(old) if change => {
            let old = old.to_string();
            table.insert(name, toml_edit::value(proposed));
            changes.push(format!("changed {name} from {} to {}", quoted(&old), quoted(proposed)));
        }
        Some(old) => changes.push(format!("kept {name} = {} (the file reads as {})", quoted(old), quoted(proposed))),
    };
    setting("file", &proposal.file, true);
    if proposal.is_workbook() {
        // A workbook has sheets and cells, not an encoding and a delimiter.
        if let Some(sheet) = &proposal.sheet {
            setting("sheet", sheet, false);
        }
    } else {
        setting("encoding", &proposal.encoding, false);
        setting("delimiter", &proposal.delimiter, false);
    }
    if let Some(format) = &proposal.date_format {
        setting("date_format", format, false);
    }
    if let Some(row) = proposal.header_row.filter(|_| proposal.is_workbook())
        && table.get("header_row").is_none()
    {
        table.insert("header_row", toml_edit::value(row as i64));
        changes.push(format!("added header_row = {row}"));
    }
    let columns =
        sub_item(table, "columns", false).as_table_like_mut().ok_or(format!("`data.{key}.columns` is not a table"))?;
    let mapped: Vec<String> = columns.iter().filter_map(|(_, v)| v.as_str().map(str::to_lowercase)).collect();
    for (ours, theirs) in &proposal.columns {
        match columns.get(ours).and_then(Item::as_str) {
            Some(kept) if kept == theirs => {}
            Some(kept) => changes.push(format!(
                "kept columns.{ours} = {} (made by hand; proposed {})",
                quoted(kept),
                quoted(theirs)
            )),
            None if mapped.contains(&theirs.to_lowercase()) => {}
            None => {
                columns.insert(ours, toml_edit::value(theirs.as_str()));
                changes.push(format!("added columns.{ours} = {}", quoted(theirs)));
            }
        }
    }
    for (ours, theirs) in columns.iter().filter_map(|(k, v)| Some((k, v.as_str()?))) {
        let header = headers.iter().any(|h| h.to_lowercase() == theirs.to_lowercase());
        if !header {
            changes.push(format!("kept columns.{ours} = {}, but the file has no such header", quoted(theirs)));
        } else if !proposal.columns.contains_key(ours) {
            changes.push(format!("kept columns.{ours} = {} (made by hand)", quoted(theirs)));
        }
    }
    for name in ["values", "fixed", "unknown"] {
        if let Some(kept) = table.get(name).filter(|item| !item.is_none()) {
            changes.push(format!("kept {name} as written ({})", kept_summary(kept)));
        }
    }
    Ok(changes)
}

/// Adds to `[data.KEY.values.COLUMN]` the recodings proposed for the values `columns` cannot
/// read: one it can guess as a setting (with a comment saying so), the others as comments to
/// fill in. Values a key already matches are left alone.
pub fn propose_values(
    doc: &mut DocumentMut,
    key: &str,
    column: &str,
    proposals: &[Proposal],
    changes: &mut Changes,
) -> Result<(), String> {
    let text = doc.to_string();
    let table = data_table(doc, key, changes)?;
    let values =
        sub_item(table, "values", true).as_table_like_mut().ok_or(format!("`data.{key}.values` is not a table"))?;
    let item = sub_item(values, column, false);
    let map = item.as_table_like_mut().ok_or(format!("`data.{key}.values.{column}` is not a table"))?;
    let known: Vec<String> = map.iter().map(|(k, _)| match_key(k)).collect();
    let mut comments = String::new();
    for p in proposals.iter().filter(|p| !known.contains(&match_key(p.value))) {
        let rows = if p.rows == 1 { "1 row".to_string() } else { format!("{} rows", p.rows) };
        // Quoted always, as the docs write them: `"Riots" = "other"`.
        let key_repr = quoted(p.value);
        match p.ours {
            Some(ours) => {
                let mut value = toml_edit::value(ours);
                if let Some(v) = value.as_value_mut() {
                    v.decor_mut().set_suffix(format!("  # guessed: check it; {rows}, first line {}", p.line));
                }
                map.insert(p.value, value);
                changes.push(format!("added values.{column}.{key_repr} = {} (guessed: check it)", quoted(ours)));
            }
            None => {
                if !text.contains(&format!("# {key_repr} = ")) {
                    comments.push_str(&format!("\n# {key_repr} = \"\"  # {rows}, first line {}", p.line));
                }
                changes
                    .push(format!("proposed values.{column}.{key_repr} in a comment: say which of our values it is"));
            }
        }
    }
    comment_under_header(item, &comments);
    Ok(())
}

/// Adds `comments` (lines, each starting with a line break) under the header of the table
/// `item`, when it has one of its own (`[data.incidents.values.kind]`); an inline or dotted table
/// cannot hold them.
pub fn comment_under_header(item: &mut Item, comments: &str) {
    if comments.is_empty() {
        return;
    }
    if let Some(table) = item.as_table_mut()
        && !table.is_dotted()
    {
        let decor = table.decor_mut();
        let suffix = decor.suffix().and_then(|s| s.as_str()).unwrap_or("").to_string();
        decor.set_suffix(format!("{suffix}{comments}"));
    }
}

/// For a file without a `kind` column: a `[data.incidents.fixed]` table (made if missing) with a
/// comment saying how to give every incident one kind.
pub fn propose_fixed_kind(doc: &mut DocumentMut, changes: &mut Changes) {
    let Ok(table) = data_table(doc, "incidents", changes) else { return };
    if table.contains_key("fixed") {
        return;
    }
    let item = sub_item(table, "fixed", false);
    comment_under_header(
        item,
        "\n# kind = \"rally\"  # the file has no `kind` column: its incidents are `other` unless one kind is fixed here",
    );
    changes.push(
        "added [data.incidents.fixed] with a comment: the file has no `kind` column, so its incidents are `other`"
            .into(),
    );
}

/// `[data.KEY]` as a table: made when missing, and from a file name (`incidents = "x.csv"`) or an
/// inline table, saying so.
pub fn data_table<'d>(doc: &'d mut DocumentMut, key: &str, changes: &mut Changes) -> Result<&'d mut Table, String> {
    if !doc.contains_key("data") {
        let mut data = Table::new();
        data.set_implicit(true);
        doc.insert("data", Item::Table(data));
    }
    let data = doc["data"].as_table_mut().ok_or("`data` in report.toml is not a table of its own ([data])")?;
    let item = data.entry(key).or_insert_with(|| {
        changes.push(format!("added [data.{key}]"));
        Item::Table(Table::new())
    });
    if let Some(file) = item.as_str() {
        changes.push(format!("replaced {key} = {} with the table [data.{key}]", quoted(file)));
        let mut table = Table::new();
        table.insert("file", toml_edit::value(file));
        *item = Item::Table(table);
    }
    if item.is_inline_table() {
        let inline = std::mem::take(item);
        *item = match inline.into_table() {
            Ok(table) => Item::Table(table),
            Err(inline) => inline,
        };
    }
    item.as_table_mut().ok_or(format!("`data.{key}` in report.toml is neither a file name nor a table"))
}

/// The sub-table `name` of `table`, made when missing (`implicit`: without a header of its own
/// while it holds only tables).
pub fn sub_item<'t>(table: &'t mut dyn TableLike, name: &str, implicit: bool) -> &'t mut Item {
    table.entry(name).or_insert_with(|| {
        let mut made = Table::new();
        made.set_implicit(implicit);
        Item::Table(made)
    })
}

/// What a kept `values`, `fixed` or `unknown` setting holds, in a few words.
fn kept_summary(item: &Item) -> String {
    if let Some(array) = item.as_array() {
        return format!("{} markers", array.len());
    }
    let Some(table) = item.as_table_like() else { return "as written".into() };
    let parts: Vec<String> = table
        .iter()
        .map(|(k, v)| match v.as_table_like() {
            Some(t) => format!("{k}: {}", t.len()),
            None => k.to_string(),
        })
        .collect();
    parts.join(", ")
}

/// A string as TOML writes it.
fn quoted(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal() -> Source {
        let mut source = Source::plain("events.csv");
        source.encoding = "utf-8".into();
        source.delimiter = ",".into();
        source.columns = [("city", "locality"), ("kind", "event_type")].map(|(a, b)| (a.into(), b.into())).into();
        source
    }

    #[test]
    fn hand_made_settings_and_comments_are_kept() {
        let text = "title = \"T\"\n\n[data.incidents]\nfile = \"events.csv\"\nencoding = \"windows-1251\" # mine\n\n[data.incidents.columns]\nkind = \"repertoire\"  # by hand\n\n[data.incidents.values.kind]\n\"Riots\" = \"other\"\n";
        let mut doc: DocumentMut = text.parse().unwrap();
        let headers: Vec<String> = ["locality", "repertoire", "event_type"].map(String::from).into();
        let changes = merge(&mut doc, "incidents", &proposal(), &headers).unwrap();
        let written = doc.to_string();
        assert!(written.contains("kind = \"repertoire\"  # by hand"), "{written}");
        assert!(written.contains("encoding = \"windows-1251\" # mine"), "{written}");
        assert!(written.contains("city = \"locality\""), "{written}");
        assert!(written.contains("\"Riots\" = \"other\""), "{written}");
        assert_eq!(
            changes,
            [
                "kept encoding = \"windows-1251\" (the file reads as \"utf-8\")",
                "added delimiter = \",\"",
                "added columns.city = \"locality\"",
                "kept columns.kind = \"repertoire\" (made by hand; proposed \"event_type\")",
                "kept values as written (kind: 1)",
            ]
        );
        let again: DocumentMut = written.parse().unwrap();
        assert_eq!(again["data"]["incidents"]["columns"]["kind"].as_str(), Some("repertoire"));
    }

    #[test]
    fn a_file_name_becomes_a_table_and_proposals_become_settings_or_comments() {
        let mut doc: DocumentMut = "[data]\nincidents = \"old.csv\"\n".parse().unwrap();
        let changes = merge(&mut doc, "incidents", &proposal(), &[]).unwrap();
        assert_eq!(changes[0], "replaced incidents = \"old.csv\" with the table [data.incidents]");
        assert_eq!(changes[1], "changed file from \"old.csv\" to \"events.csv\"");
        let mut changes = Changes::new();
        let proposals = [
            Proposal { value: "Riots", ours: None, rows: 6, line: 14 },
            Proposal { value: "Violent demonstration", ours: Some("rally"), rows: 1, line: 3 },
        ];
        propose_values(&mut doc, "incidents", "kind", &proposals, &mut changes).unwrap();
        let written = doc.to_string();
        assert!(
            written.contains("[data.incidents.values.kind]\n# \"Riots\" = \"\"  # 6 rows, first line 14\n"),
            "{written}"
        );
        assert!(
            written.contains("\"Violent demonstration\" = \"rally\"  # guessed: check it; 1 row, first line 3"),
            "{written}"
        );
        // Proposed again, the comment is not repeated.
        let mut doc: DocumentMut = written.parse().unwrap();
        propose_values(&mut doc, "incidents", "kind", &proposals, &mut changes).unwrap();
        assert_eq!(doc.to_string().matches("# \"Riots\"").count(), 1);
        let parsed: toml::Table = toml::from_str(&doc.to_string()).unwrap();
        assert_eq!(parsed["data"]["incidents"]["values"]["kind"].as_table().unwrap().len(), 1);
    }
}

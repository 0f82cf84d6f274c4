//! The text a reader of the document can see, taken from the files it is written in, each piece
//! with the place it comes from: the words of a narrative file (not its comments, code or the
//! names inside `#person("…")`), and the text values of `report.toml` that an audience shows.
//! The leak check of a redacting audience reads these before anything is compiled.

use typst::syntax::ast::{Escape, Shorthand, Str};
use typst::syntax::{SyntaxKind, SyntaxNode};

/// Text gathered from one file, and where each part of it is written there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shown {
    /// The text, parts joined as a reader sees them.
    pub text: String,
    /// Where parts start: (byte in `text`, byte in the file, whether the bytes between correspond
    /// one to one), in order.
    pieces: Vec<(usize, usize, bool)>,
}

impl Shown {
    /// Appends `text` as it is written at byte `at` of the file.
    fn push(&mut self, text: &str, at: usize) {
        self.pieces.push((self.text.len(), at, true));
        self.text.push_str(text);
    }

    /// Appends `text` that stands for what is written at byte `at` (an escape, a string literal).
    fn push_for(&mut self, text: &str, at: usize) {
        self.pieces.push((self.text.len(), at, false));
        self.text.push_str(text);
    }

    /// Separates what comes next from what came before, as a space would.
    fn gap(&mut self) {
        if !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// The byte of the file where byte `at` of the text comes from.
    pub fn source_offset(&self, at: usize) -> usize {
        let index = self.pieces.partition_point(|&(start, _, _)| start <= at);
        match index.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(&(start, source, true)) => source + (at - start),
            Some(&(_, source, false)) => source,
            None => 0,
        }
    }
}

/// What a reader sees of a narrative file (Typst markup): its text, spaces, escapes and
/// shorthands (`-?` is a soft hyphen) and the strings in its code, but not its comments nor the
/// names it marks with `#person("…")`, which the template shows as the audience may see them.
pub fn narrative(source: &str) -> Shown {
    let mut shown = Shown::default();
    walk(&typst::syntax::parse(source), 0, &mut shown);
    shown
}

/// Adds what a reader sees of `node`, which starts at byte `at`.
fn walk(node: &SyntaxNode, at: usize, out: &mut Shown) {
    match node.kind() {
        SyntaxKind::LineComment | SyntaxKind::BlockComment | SyntaxKind::Parbreak | SyntaxKind::Linebreak => {
            out.gap();
        }
        SyntaxKind::FuncCall if is_person(node) => out.gap(),
        SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::SmartQuote | SyntaxKind::Link => {
            out.push(node.leaf_text(), at);
        }
        SyntaxKind::Escape => {
            let c = node.cast::<Escape>().map_or(' ', Escape::get);
            out.push_for(c.encode_utf8(&mut [0; 4]), at);
        }
        SyntaxKind::Shorthand => {
            let c = node.cast::<Shorthand>().map_or(' ', Shorthand::get);
            out.push_for(c.encode_utf8(&mut [0; 4]), at);
        }
        SyntaxKind::Str => {
            out.gap();
            let value = node.cast::<Str>().map(Str::get).unwrap_or_default();
            let one_to_one = node.leaf_text().len() == value.len() + 2;
            if one_to_one {
                out.push(&value, at + 1)
            } else {
                out.push_for(&value, at)
            }
            out.gap();
        }
        _ => {
            let mut offset = at;
            for child in node.children() {
                walk(child, offset, out);
                offset += child.len();
            }
        }
    }
}

/// Whether a function call is `person(…)` (or `….person(…)`), which shows a name as redacted.
fn is_person(call: &SyntaxNode) -> bool {
    let Some(callee) = call.children().next() else { return false };
    let name = match callee.kind() {
        SyntaxKind::Ident => callee.leaf_text().as_str(),
        SyntaxKind::FieldAccess => callee.children().last().map_or("", |n| n.leaf_text().as_str()),
        _ => "",
    };
    name == "person"
}

/// Keys of `report.toml` (at the top or in an audience's table) whose values are never shown:
/// file names, column mappings, settings.
const UNSHOWN: [&str; 8] =
    ["data", "privacy", "default_audience", "sections", "language", "template", "redact", "audiences"];

/// The text values of `report.toml` that `audience` shows: those of its own table and those of
/// the report its table does not override, each as written in the file (see [`Shown`]) and
/// whether it is the audience's own. When its template is known to show only some top-level
/// keys (`shows`), values under other keys are left out.
pub fn config(text: &str, audience: &str, shows: Option<&[String]>) -> Vec<(bool, Shown)> {
    let shown = |key: &str| !UNSHOWN.contains(&key) && shows.is_none_or(|keys| keys.iter().any(|k| k == key));
    let Ok(doc) = toml_edit::ImDocument::parse(text) else { return Vec::new() };
    let root = doc.as_table();
    let overlay = root.get("audiences").and_then(|a| a.as_table_like()).and_then(|a| a.get(audience));
    let mut found = Vec::new();
    for (key, item) in root.iter().filter(|(k, _)| shown(k)) {
        walk_item(text, item, &mut vec![key.to_string()], &mut |path, shown| {
            if !overlay.is_some_and(|o| overrides(o, path)) {
                found.push((false, shown));
            }
        });
    }
    if let Some(table) = overlay.and_then(toml_edit::Item::as_table_like) {
        for (key, item) in table.iter().filter(|(k, _)| shown(k)) {
            walk_item(text, item, &mut vec![key.to_string()], &mut |_, shown| found.push((true, shown)));
        }
    }
    found
}

/// Whether an audience's table replaces the value at `path` (tables merge key by key, anything
/// else is replaced whole).
fn overrides(overlay: &toml_edit::Item, path: &[String]) -> bool {
    let mut item = overlay;
    for key in path {
        let Some(table) = item.as_table_like() else { return true };
        match table.get(key) {
            Some(inner) => item = inner,
            None => return false,
        }
    }
    true
}

/// Hands every string value under `item` to `each`, with its key path.
fn walk_item(text: &str, item: &toml_edit::Item, path: &mut Vec<String>, each: &mut dyn FnMut(&[String], Shown)) {
    match item {
        toml_edit::Item::Value(value) => walk_value(text, value, path, each),
        toml_edit::Item::Table(table) => {
            for (key, inner) in table.iter() {
                path.push(key.to_string());
                walk_item(text, inner, path, each);
                path.pop();
            }
        }
        toml_edit::Item::ArrayOfTables(tables) => {
            for table in tables.iter() {
                for (key, inner) in table.iter() {
                    path.push(key.to_string());
                    walk_item(text, inner, path, each);
                    path.pop();
                }
            }
        }
        toml_edit::Item::None => {}
    }
}

/// Hands every string value in `value` to `each`, with its key path.
fn walk_value(text: &str, value: &toml_edit::Value, path: &mut Vec<String>, each: &mut dyn FnMut(&[String], Shown)) {
    match value {
        toml_edit::Value::String(s) => each(path, toml_string(text, s.value(), s.span())),
        toml_edit::Value::Array(array) => array.iter().for_each(|v| walk_value(text, v, path, each)),
        toml_edit::Value::InlineTable(table) => {
            for (key, inner) in table.iter() {
                path.push(key.to_string());
                walk_value(text, inner, path, each);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A TOML string value, placed at its characters when the literal holds them as they are, else
/// at its opening quote.
fn toml_string(text: &str, value: &str, span: Option<std::ops::Range<usize>>) -> Shown {
    let mut shown = Shown::default();
    let span = span.unwrap_or(0..0);
    let raw = text.get(span.clone()).unwrap_or_default();
    let quotes = if raw.starts_with("\"\"\"") || raw.starts_with("'''") { 3 } else { 1 };
    let inner = raw.get(quotes..raw.len().saturating_sub(quotes)).unwrap_or_default();
    if inner == value {
        shown.push(value, span.start + quotes);
    } else {
        shown.push_for(value, span.start);
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrative_shows_its_text_but_not_comments_or_marked_names() {
        let source = "// Ахметова\n#import \"x\": person\nБыл #person(\"Гульнар Ахметова\") и Ахме-?това, *Семенов*.";
        let shown = narrative(source);
        assert!(!shown.text.contains("Гульнар"), "{:?}", shown.text);
        let at = shown.text.find("Ахме").unwrap();
        assert_eq!(&source[shown.source_offset(at)..][..8], "Ахме");
        assert!(shown.text.contains("Ахме\u{ad}това"), "{:?}", shown.text);
        let semenov = shown.text.find("Семенов").unwrap();
        assert_eq!(&source[shown.source_offset(semenov)..][..14], "Семенов");
    }

    #[test]
    fn an_audience_shows_its_own_values_and_those_it_does_not_override() {
        let text = "title = \"Дело Ахметовой\"\nlanguage = \"ru\"\n[author]\nsignatory = \"A. B\"\nplace = \"C\"\n[data]\nincidents = \"x.csv\"\n[audiences.press]\ntitle = \"T\"\nauthor.signatory = \"D\"\nredact = \"withheld\"\n";
        let texts: Vec<(bool, String)> = config(text, "press", None).into_iter().map(|(o, s)| (o, s.text)).collect();
        assert_eq!(texts, [(false, "C".into()), (true, "T".into()), (true, "D".into())]);
        let texts: Vec<String> = config(text, "other", None).into_iter().map(|(_, s)| s.text).collect();
        assert_eq!(texts, ["Дело Ахметовой", "A. B", "C"]);
        let only_author = ["author".to_string()];
        let texts: Vec<String> = config(text, "other", Some(&only_author)).into_iter().map(|(_, s)| s.text).collect();
        assert_eq!(texts, ["A. B", "C"]);
    }

    #[test]
    fn a_toml_value_is_placed_at_its_characters() {
        let text = "title = \"Дело Ахметовой\"\n";
        let shown = &config(text, "x", None)[0].1;
        assert_eq!(&text[shown.source_offset(9)..], "Ахметовой\"\n");
    }
}

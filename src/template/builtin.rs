//! The built-in templates, embedded in the binary from `templates/`.

use std::path::Path;

/// A built-in template: its name and files (path inside the template folder, text).
pub struct Template {
    /// The name audiences refer to it by.
    pub name: &'static str,
    /// What it is for, for `template list`.
    pub description: &'static str,
    /// Its files; `main.typ` is the entry point.
    pub files: &'static [(&'static str, &'static str)],
}

/// Every built-in template.
pub const BUILT_IN: &[Template] = &[
    Template {
        name: "osce-submission",
        description: "the formal written statement for an OSCE human-dimension meeting",
        files: &[("main.typ", include_str!("../../templates/osce-submission/main.typ"))],
    },
    Template {
        name: "press-brief",
        description: "one or two pages for the press: key figures, short narrative, chart by month",
        files: &[("main.typ", include_str!("../../templates/press-brief/main.typ"))],
    },
    Template {
        name: "annex",
        description: "landscape annex: full chronology with sources, full list of sanctions",
        files: &[("main.typ", include_str!("../../templates/annex/main.typ"))],
    },
];

/// The files of built-in template `name` (none if there is no such template).
pub fn files(name: &str) -> &'static [(&'static str, &'static str)] {
    BUILT_IN.iter().find(|t| t.name == name).map_or(&[], |t| t.files)
}

/// What a template can show of a report, as far as its text tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shows {
    /// The top-level keys of `report.toml` whose values it shows; `None`: any of them.
    pub settings: Option<Vec<String>>,
    /// Whether it shows the narrative (`report.sections`).
    pub narrative: bool,
    /// Whether it lists the incidents (their ids, places, summaries, sources).
    pub incidents: bool,
    /// Whether it lists the sanctions (their notes).
    pub sanctions: bool,
}

impl Shows {
    /// Everything: what a template that is not built in may show.
    pub fn everything() -> Shows {
        Shows { settings: None, narrative: true, incidents: true, sanctions: true }
    }
}

/// What built-in template `name` shows (see [`shows_in`]); everything when there is no such
/// template.
pub fn shows(name: &str) -> Shows {
    match BUILT_IN.iter().find(|t| t.name == name) {
        Some(template) => shows_in(template.files.iter().map(|(_, text)| *text)),
        None => Shows::everything(),
    }
}

/// What a template made of the Typst files `texts` shows, found in its code so it cannot drift
/// from it: the settings it reads from the `report` dictionary (`report.recommendations` →
/// `recommendations`) and the lists it imports from the data package. A template that hands
/// `report` on whole (to a function of its own, say) may show any setting.
pub fn shows_in<'a>(texts: impl IntoIterator<Item = &'a str>) -> Shows {
    let mut uses = Uses::default();
    for text in texts {
        uses.walk(&typst::syntax::parse(text), false);
    }
    let mut keys: Vec<String> = uses.fields.iter().map(|key| key.replace('-', "_")).collect();
    keys.sort();
    keys.dedup();
    let narrative = uses.whole || keys.iter().any(|k| k == "sections");
    let settings = (!uses.whole).then_some(keys);
    let imports = |list: &str| uses.imports.iter().any(|i| i == list);
    Shows { settings, narrative, incidents: imports("incidents"), sanctions: imports("sanctions") }
}

/// What a template's code does with the data package.
#[derive(Default)]
struct Uses {
    /// The fields of `report` it reads.
    fields: Vec<String>,
    /// Whether it uses `report` otherwise than by reading a field.
    whole: bool,
    /// The names it imports.
    imports: Vec<String>,
}

impl Uses {
    /// Looks at `node` and below; `imported` when inside an import.
    fn walk(&mut self, node: &typst::syntax::SyntaxNode, imported: bool) {
        use typst::syntax::SyntaxKind;
        match node.kind() {
            SyntaxKind::FuncCall if node.children().next().is_some_and(|c| field_of_report(c) == Some("at")) => {
                // `report.at("by-month")` reads one field; with a key computed, any of them.
                let args = node.children().nth(1);
                let key = args.and_then(|a| a.children().find_map(|c| c.cast::<typst::syntax::ast::Str>()));
                match key {
                    Some(key) => self.fields.push(key.get().to_string()),
                    None => self.whole = true,
                }
                args.into_iter().for_each(|a| self.walk(a, imported));
            }
            SyntaxKind::FieldAccess if node.children().next().is_some_and(is_report) => {
                let field = field_of_report(node).unwrap_or_default();
                // Its dictionary methods reach every field.
                self.whole |= ["at", "keys", "values", "pairs"].contains(&field);
                self.fields.push(field.to_string());
            }
            SyntaxKind::Ident if imported => self.imports.push(node.leaf_text().to_string()),
            SyntaxKind::Ident if is_report(node) => self.whole = true,
            _ => {
                let imported = imported || node.kind() == SyntaxKind::ModuleImport;
                node.children().for_each(|child| self.walk(child, imported));
            }
        }
    }
}

/// The field `report.FIELD` reads, when `node` is such a field access.
fn field_of_report(node: &typst::syntax::SyntaxNode) -> Option<&str> {
    if node.kind() != typst::syntax::SyntaxKind::FieldAccess {
        return None;
    }
    let mut children = node.children();
    children.next().filter(|target| is_report(target))?;
    children.last().map(|n| n.leaf_text().as_str())
}

/// Whether `node` is the identifier `report`.
fn is_report(node: &typst::syntax::SyntaxNode) -> bool {
    node.kind() == typst::syntax::SyntaxKind::Ident && node.leaf_text() == "report"
}

/// Whether `name` is a built-in template.
pub fn is_built_in(name: &str) -> bool {
    BUILT_IN.iter().any(|t| t.name == name)
}

/// Whether the report folder has its own template `template`.
pub fn has_own_template(root: &Path, template: &str) -> bool {
    root.join("templates").join(template).join("main.typ").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_shows_the_settings_and_lists_it_reads() {
        let annex = shows("annex");
        let settings = annex.settings.unwrap();
        assert!(settings.contains(&"title".to_string()) && settings.contains(&"author".to_string()));
        assert!(!settings.contains(&"recommendations".to_string()), "the annex has no recommendations");
        assert!(annex.incidents && annex.sanctions && !annex.narrative);
        let submission = shows("osce-submission");
        let settings = submission.settings.unwrap();
        assert!(["recommendations", "sources", "venue", "stated"].iter().all(|k| settings.contains(&k.to_string())));
        assert!(submission.incidents && !submission.sanctions && submission.narrative);
        let press = shows("press-brief");
        assert!(!press.incidents && !press.sanctions);
        assert_eq!(shows("mine"), Shows::everything());
        let whole = shows_in(["#import \"@osce/report:0.1.0\": report\n#let f(r) = r.title\n#f(report)"]);
        assert_eq!(whole.settings, None, "a template that hands `report` on may show anything");
        let one = shows_in(["#report.at(\"document-symbol\", default: \"\")"]);
        assert_eq!(one.settings, Some(vec!["document_symbol".to_string()]));
        assert_eq!(shows_in(["#let k = \"title\"\n#report.at(k)"]).settings, None);
    }
}

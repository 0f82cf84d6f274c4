//! The built-in templates, embedded in the binary from `templates/`.

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

/// The top-level keys of `report.toml` whose values built-in template `name` shows: those it
/// reads from the `report` dictionary (`report.recommendations` → `recommendations`), found in
/// its text so the list cannot drift from it. `None` when there is no such template.
pub fn shown_settings(name: &str) -> Option<Vec<String>> {
    let template = BUILT_IN.iter().find(|t| t.name == name)?;
    let mut keys: Vec<String> = template
        .files
        .iter()
        .flat_map(|(_, text)| text.split("report.").skip(1))
        .map(|rest| rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').collect::<String>())
        .filter(|key| !key.is_empty())
        .map(|key| key.replace('-', "_"))
        .collect();
    keys.sort();
    keys.dedup();
    Some(keys)
}

/// Whether `name` is a built-in template.
pub fn is_built_in(name: &str) -> bool {
    BUILT_IN.iter().any(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_shows_the_settings_it_reads() {
        let annex = shown_settings("annex").unwrap();
        assert!(annex.contains(&"title".to_string()) && annex.contains(&"author".to_string()));
        assert!(!annex.contains(&"recommendations".to_string()), "the annex has no recommendations");
        let submission = shown_settings("osce-submission").unwrap();
        assert!(["recommendations", "sources", "venue", "stated"].iter().all(|k| submission.contains(&k.to_string())));
        assert_eq!(shown_settings("mine"), None);
    }
}

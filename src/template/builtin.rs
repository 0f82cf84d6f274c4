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

/// What a template can show of a report, as far as its text tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shows {
    /// The top-level keys of `report.toml` whose values it shows; `None`: any of them.
    pub settings: Option<Vec<String>>,
    /// Whether it lists the incidents (their ids, places, summaries, sources).
    pub incidents: bool,
    /// Whether it lists the sanctions (their notes).
    pub sanctions: bool,
}

impl Shows {
    /// Everything: what a template that is not built in may show.
    pub fn everything() -> Shows {
        Shows { settings: None, incidents: true, sanctions: true }
    }
}

/// What built-in template `name` shows, found in its text so it cannot drift from it: the
/// settings it reads from the `report` dictionary (`report.recommendations` →
/// `recommendations`) and the lists it imports from the data package. Everything when there is
/// no such template.
pub fn shows(name: &str) -> Shows {
    let Some(template) = BUILT_IN.iter().find(|t| t.name == name) else { return Shows::everything() };
    let texts = || template.files.iter().map(|(_, text)| *text);
    let mut keys: Vec<String> = texts()
        .flat_map(|text| text.split("report.").skip(1))
        .map(|rest| rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').collect::<String>())
        .filter(|key| !key.is_empty())
        .map(|key| key.replace('-', "_"))
        .collect();
    keys.sort();
    keys.dedup();
    let imports = |list: &str| {
        texts().flat_map(str::lines).any(|l| l.starts_with("#import \"@osce/report") && l.contains(list))
    };
    Shows { settings: Some(keys), incidents: imports("incidents"), sanctions: imports("sanctions") }
}

/// Whether `name` is a built-in template.
pub fn is_built_in(name: &str) -> bool {
    BUILT_IN.iter().any(|t| t.name == name)
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
        assert!(annex.incidents && annex.sanctions);
        let submission = shows("osce-submission");
        let settings = submission.settings.unwrap();
        assert!(["recommendations", "sources", "venue", "stated"].iter().all(|k| settings.contains(&k.to_string())));
        assert!(submission.incidents && !submission.sanctions);
        let press = shows("press-brief");
        assert!(!press.incidents && !press.sanctions);
        assert_eq!(shows("mine"), Shows::everything());
    }
}

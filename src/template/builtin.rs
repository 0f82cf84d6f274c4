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

/// Whether `name` is a built-in template.
pub fn is_built_in(name: &str) -> bool {
    BUILT_IN.iter().any(|t| t.name == name)
}

//! Audiences: one report folder, several versions of the document (the formal submission, a
//! press brief, an annex), each an overlay on the report's settings with its own template,
//! language and privacy level.
//!
//! An overlay may change how the report is presented (title, language, venue, signature,
//! recommendations, narrative…) but never the data or the figures, so the versions cannot
//! disagree about a number.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::diagnostic::{line_column, toml_value_place};
use crate::input::config::{CONFIG_FILE, Config, Overlays, Redact};

/// The template used when an audience names none.
pub const DEFAULT_TEMPLATE: &str = "osce-submission";

/// The audience built when `report.toml` defines none.
pub const DEFAULT_AUDIENCE: &str = "osce";

/// Keys of the report an audience may override.
const OVERLAY_KEYS: [&str; 12] = [
    "title",
    "language",
    "date",
    "document_symbol",
    "country",
    "venue",
    "author",
    "stated",
    "recommendations",
    "sources",
    "sections",
    "statement",
];

/// Keys that belong to the audience itself.
const OWN_KEYS: [&str; 4] = ["template", "redact", "incidents_per_volume", "embed_data"];

/// The built-in template that lists every incident, which is split into volumes and carries its
/// data unless the audience says otherwise.
pub const ANNEX_TEMPLATE: &str = "annex";

/// Incidents per volume of an annex when its audience does not say (`incidents_per_volume`).
pub const DEFAULT_INCIDENTS_PER_VOLUME: usize = 2000;

/// The most incidents one document (or one volume) may list: beyond it, laying the tables out
/// would take more than about 2 GB of memory.
pub const MAX_INCIDENTS_PER_DOCUMENT: usize = 5000;

/// One version of the report for one readership.
#[derive(Debug, Clone)]
pub struct Audience {
    /// Its name, also the output file's stem (`press-en` → `out/press-en.pdf`).
    pub name: String,
    /// The template it is set with.
    pub template: String,
    /// How persons' names are shown.
    pub redact: Redact,
    /// At most this many incidents per PDF: a longer list is split into volumes
    /// (`incidents_per_volume`; 2 000 for the annex, otherwise one document).
    pub incidents_per_volume: Option<usize>,
    /// Whether the PDF carries the incidents and sanctions it shows as attached CSV files
    /// (`embed_data`; on for the annex, otherwise off).
    pub embed_data: bool,
    /// The report's settings with this audience's overlay applied.
    pub config: Config,
    /// The same, as TOML, for `osce-report config`.
    pub settings: toml::Table,
}

/// Every audience of a report, by name, and the one built when none is named.
#[derive(Debug, Clone)]
pub struct Audiences {
    /// Every audience, by name.
    pub by_name: BTreeMap<String, Audience>,
    /// The audience built by default.
    pub default: String,
}

impl Audiences {
    /// The audience named `name`, or the default one; `Err` with the known names when there is
    /// no such audience.
    pub fn get(&self, name: Option<&str>) -> Result<&Audience, String> {
        let name = name.unwrap_or(&self.default);
        self.by_name.get(name).ok_or_else(|| self.by_name.keys().map(String::as_str).collect::<Vec<_>>().join("`, `"))
    }

    /// Every audience, in name order.
    pub fn all(&self) -> impl Iterator<Item = &Audience> {
        self.by_name.values()
    }
}

/// Reads `report.toml` from its text: the report's own settings and every audience. Returns
/// every problem found when it cannot.
pub fn read(text: &str) -> Result<(Config, Audiences), Vec<Diagnostic>> {
    let shown = |problems: Vec<Diagnostic>| problems.into_iter().map(|p| p.in_text(text)).collect::<Vec<_>>();
    let (config, overlays, named_default) = Config::parse(text).map_err(shown)?;
    let (by_name, mut problems) = build_all(text, &overlays, &config);
    if !problems.is_empty() {
        return Err(shown(problems));
    }
    let mut audiences = Audiences { by_name, default: String::new() };
    match default_audience(named_default.as_ref(), &audiences.by_name) {
        Ok(name) => audiences.default = name,
        Err((span, message)) => {
            let (line, column) = line_column(text, span.start);
            problems.push(Diagnostic::error(CONFIG_FILE, line, column, message));
        }
    }
    if problems.is_empty() { Ok((config, audiences)) } else { Err(shown(problems)) }
}

/// Builds every audience from its overlay on the report's settings; without any, the one
/// default audience `osce`.
fn build_all(text: &str, overlays: &Overlays, base: &Config) -> (BTreeMap<String, Audience>, Vec<Diagnostic>) {
    let mut doc: toml::Table = toml::from_str(text).unwrap_or_default();
    doc.remove("audiences");
    doc.remove("default_audience");
    if overlays.is_empty() {
        let implicit = Audience {
            name: DEFAULT_AUDIENCE.into(),
            template: DEFAULT_TEMPLATE.into(),
            redact: Redact::None,
            incidents_per_volume: None,
            embed_data: false,
            config: base.clone(),
            settings: with_own_keys(doc, DEFAULT_TEMPLATE, Redact::None),
        };
        return (BTreeMap::from([(DEFAULT_AUDIENCE.to_string(), implicit)]), Vec::new());
    }
    let mut audiences = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, overlay) in overlays {
        let (line, column) = line_column(text, overlay.span().start);
        match build(name, overlay.get_ref(), &doc) {
            Ok(audience) => {
                audiences.insert(name.clone(), audience);
            }
            Err(found) => problems.extend(found.into_iter().map(|(message, hint)| {
                let key = key_named(overlay.get_ref(), &message);
                let at = key.and_then(|k| toml_value_place(text, &["audiences", name, k]));
                let (line, column) = at.unwrap_or((line, column));
                let d = Diagnostic::error(CONFIG_FILE, line, column, format!("audience `{name}`: {message}"));
                match hint {
                    Some(h) => d.with_hint(h),
                    None => d,
                }
            })),
        }
    }
    (audiences, problems)
}

/// The key of `overlay` a problem's message is about: the first name in backticks that is one of
/// its keys (`stated` for `stated.note`), or whose value it quotes (`language` for `de`).
fn key_named<'a>(overlay: &'a toml::Table, message: &str) -> Option<&'a str> {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let by_name = quoted.iter().find_map(|q| overlay.get_key_value(q.split('.').next()?).map(|(k, _)| k.as_str()));
    let by_value =
        || quoted.iter().find_map(|q| overlay.iter().find(|(_, v)| v.as_str() == Some(q)).map(|(k, _)| k.as_str()));
    by_name.or_else(by_value)
}

/// A message and an optional hint, placed later at the audience's table.
type Problem = (String, Option<String>);

/// One audience: its own keys, then the report's settings with the overlay merged in.
fn build(name: &str, overlay: &toml::Table, doc: &toml::Table) -> Result<Audience, Vec<Problem>> {
    let mut problems = Vec::new();
    let template = match overlay.get("template") {
        None => DEFAULT_TEMPLATE.to_string(),
        Some(toml::Value::String(t)) if !t.trim().is_empty() => t.clone(),
        Some(other) => {
            problems.push((format!("`template` must be a template's name, not `{other}`"), None));
            String::new()
        }
    };
    let redact = match overlay.get("redact").map(toml::Value::as_str) {
        None | Some(Some("none")) => Redact::None,
        Some(Some("initials")) => Redact::Initials,
        Some(Some("withheld")) => Redact::Withheld,
        Some(_) => {
            problems.push(("`redact` must be `none`, `initials` or `withheld`".into(), None));
            Redact::None
        }
    };
    let annex = template == ANNEX_TEMPLATE;
    let incidents_per_volume = match overlay.get("incidents_per_volume") {
        None => annex.then_some(DEFAULT_INCIDENTS_PER_VOLUME),
        Some(toml::Value::Integer(n)) if (1..=MAX_INCIDENTS_PER_DOCUMENT as i64).contains(n) => Some(*n as usize),
        Some(other) => {
            problems.push((
                format!(
                    "`incidents_per_volume` must be a whole number from 1 to {MAX_INCIDENTS_PER_DOCUMENT}, not `{other}`"
                ),
                Some("a volume of 2 000 incidents takes about 700 MB of memory to lay out".into()),
            ));
            None
        }
    };
    let embed_data = match overlay.get("embed_data") {
        None => annex,
        Some(toml::Value::Boolean(b)) => *b,
        Some(other) => {
            problems.push((format!("`embed_data` must be `true` or `false`, not `{other}`"), None));
            false
        }
    };
    for key in overlay.keys().filter(|k| !OWN_KEYS.contains(&k.as_str()) && !OVERLAY_KEYS.contains(&k.as_str())) {
        let known = OWN_KEYS.iter().chain(&OVERLAY_KEYS).copied();
        let hint = match did_you_mean(key, known) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("an audience may set `{}`, `{}`", OWN_KEYS.join("`, `"), OVERLAY_KEYS.join("`, `")),
        };
        problems.push((format!("unknown key `{key}`"), Some(hint)));
    }
    if let Some(stated) = overlay.get("stated").and_then(toml::Value::as_table)
        && stated.keys().any(|k| k != "note")
    {
        problems.push((
            "an audience may change only `stated.note`: the figures are the same for every audience".into(),
            None,
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut merged = doc.clone();
    for (key, value) in overlay.iter().filter(|(k, _)| OVERLAY_KEYS.contains(&k.as_str())) {
        merge(&mut merged, key, value.clone());
    }
    let merged_text = toml::to_string(&merged).map_err(|e| vec![(e.to_string(), None)])?;
    let (config, _, _) = Config::parse(&merged_text)
        .map_err(|found| found.into_iter().map(|d| (d.message, d.hint)).collect::<Vec<_>>())?;
    Ok(Audience {
        name: name.to_string(),
        template: template.clone(),
        redact,
        incidents_per_volume,
        embed_data,
        config,
        settings: with_volume_keys(with_own_keys(merged, &template, redact), incidents_per_volume, embed_data),
    })
}

/// Sets `key` to `value`, merging tables key by key and replacing everything else.
fn merge(into: &mut toml::Table, key: &str, value: toml::Value) {
    match (into.get_mut(key), value) {
        (Some(toml::Value::Table(existing)), toml::Value::Table(overlay)) => {
            for (k, v) in overlay {
                merge(existing, &k, v);
            }
        }
        (_, value) => {
            into.insert(key.to_string(), value);
        }
    }
}

/// The merged settings with the audience's template and privacy level first.
fn with_own_keys(settings: toml::Table, template: &str, redact: Redact) -> toml::Table {
    let redact = match redact {
        Redact::None => "none",
        Redact::Initials => "initials",
        Redact::Withheld => "withheld",
    };
    let mut out = toml::Table::new();
    out.insert("template".into(), template.into());
    out.insert("redact".into(), redact.into());
    out.extend(settings);
    out
}

/// The settings with how the audience's PDFs are split and whether they carry their data, after
/// its template and privacy level (only when they split or carry it, as for the annex).
fn with_volume_keys(mut settings: toml::Table, per_volume: Option<usize>, embed_data: bool) -> toml::Table {
    let mut out = toml::Table::new();
    out.extend(settings.remove("template").map(|v| ("template".to_string(), v)));
    out.extend(settings.remove("redact").map(|v| ("redact".to_string(), v)));
    if let Some(n) = per_volume {
        out.insert("incidents_per_volume".into(), (n as i64).into());
    }
    if embed_data {
        out.insert("embed_data".into(), true.into());
    }
    out.extend(settings);
    out
}

/// The audience `build` makes when none is named: `default_audience`, the only one, or `osce`.
fn default_audience(
    named: Option<&Spanned<String>>,
    audiences: &BTreeMap<String, Audience>,
) -> Result<String, (Range<usize>, String)> {
    let known = || audiences.keys().map(String::as_str).collect::<Vec<_>>().join("`, `");
    match named {
        Some(name) if audiences.contains_key(name.get_ref()) => Ok(name.get_ref().clone()),
        Some(name) => Err((
            name.span(),
            format!("`default_audience`: there is no audience `{}` (audiences: `{}`)", name.get_ref(), known()),
        )),
        None if audiences.len() == 1 => Ok(audiences.keys().next().cloned().unwrap_or_default()),
        None if audiences.contains_key(DEFAULT_AUDIENCE) => Ok(DEFAULT_AUDIENCE.to_string()),
        None => {
            Err((0..0, format!("several audiences and none is `osce`: set `default_audience` to one of `{}`", known())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The report the overlays apply to.
    const BASE: &str = crate::input::config::tests::MINIMAL;

    #[test]
    fn an_overlay_changes_presentation_and_keeps_the_rest() {
        let text = format!(
            "{BASE}[audiences.osce]\n[audiences.press-en]\ntemplate = \"press-brief\"\nlanguage = \"en\"\nredact = \"withheld\"\ntitle = \"Title\"\nvenue.session = \"Session 2\"\n"
        );
        let (_, audiences) = read(&text).unwrap();
        assert_eq!(audiences.default, "osce");
        let press = &audiences.by_name["press-en"];
        assert_eq!((press.template.as_str(), press.redact), ("press-brief", Redact::Withheld));
        assert_eq!(press.config.title, "Title");
        assert_eq!(press.config.venue.session.as_deref(), Some("Session 2"));
        assert_eq!(press.config.venue.meeting, "M", "untouched keys of a table stay");
        assert_eq!(audiences.by_name["osce"].config.title, "T");
        assert_eq!(press.settings["template"].as_str(), Some("press-brief"));
        assert_eq!(press.settings["venue"]["session"].as_str(), Some("Session 2"));
    }

    #[test]
    fn an_audience_cannot_change_the_figures_or_misspell_a_key() {
        let text = format!(
            "{BASE}[audiences.osce]\ntitel = \"x\"\n[audiences.b]\nstated.detained = \"5\"\nredact = \"names\"\n"
        );
        let errors = read(&text).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "audience `b`: `redact` must be `none`, `initials` or `withheld`",
                "audience `b`: an audience may change only `stated.note`: the figures are the same for every audience",
                "audience `osce`: unknown key `titel`",
            ]
        );
        assert_eq!(errors[2].hint.as_deref(), Some("did you mean `title`?"));
        // Each at its key, not at the audience's table (which once took `redact = "withold"`).
        assert_eq!((errors[0].line, errors[0].column), (16, 10), "`redact`");
        assert_eq!(errors[1].line, 15, "`stated.detained`");
        assert_eq!(errors[2].line, 13, "`titel`");
    }

    #[test]
    fn a_bad_value_in_an_overlay_is_reported_at_its_key() {
        let text = format!("{BASE}[audiences.osce]\nlanguage = \"de\"\n");
        let errors = read(&text).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (13, 12));
        assert!(errors[0].message.starts_with("audience `osce`: unknown variant `de`"), "{}", errors[0].message);
    }

    #[test]
    fn several_audiences_need_a_default() {
        let text = format!("{BASE}[audiences.a]\n[audiences.b]\n");
        let errors = read(&text).unwrap_err();
        assert!(errors[0].message.contains("set `default_audience`"));
        let text = format!("default_audience = \"b\"\n{BASE}[audiences.a]\n[audiences.b]\n");
        assert_eq!(read(&text).unwrap().1.default, "b");
    }
}

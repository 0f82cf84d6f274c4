//! Compiling an audience's document in-process and exporting it (PDF, or page images).

use std::sync::Arc;
use std::time::{Duration, Instant};

use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::diagnostic::{Diagnostic, Place, Severity, Snippet, toml_value_place};
use crate::export::lists::Lists;
use crate::export::volumes::{self, Volume};
use crate::export::{Export, Format, Standard};
use crate::input::audience::Audience;
use crate::input::narrative::read_typst_files;
use crate::locale::Words;
use crate::report::Report;
use crate::template::builtin;
use crate::template::builtin::has_own_template;
use crate::template::data;
use crate::template::ledger::Ledger;
use crate::template::redact;
use crate::world::ReportWorld;

/// A finished document.
pub struct Rendered {
    /// The files to write: the PDF (no page number), or one image per selected page.
    pub files: Vec<(Option<usize>, Vec<u8>)>,
    /// The figures file to write beside them (`NAME.figures.json`), checked like the document.
    pub figures: String,
    /// Warnings from the template.
    pub warnings: Vec<Diagnostic>,
    /// How long each step took: `data` (ours: the figures formatted for the template),
    /// `sources` (ours: names in what a redacting audience is made from), `compile` (Typst,
    /// with the lists if the template reads them), `check` (ours: names in the finished document
    /// and its figures), `export` (Typst: PDF or images).
    pub timings: Vec<(&'static str, Duration)>,
}

/// Why a document could not be made.
#[derive(Debug)]
pub enum RenderError {
    /// The template or a narrative file has errors (exit 1).
    Template(Vec<Diagnostic>),
    /// The report folder could not be resolved (exit 2).
    Io(std::io::Error),
    /// What was asked cannot be made of this document, such as pages it does not have (exit 2).
    Usage(String),
}

/// Compiles `audience`'s template with the report's data and exports it as `export` says: the
/// whole document, or its first volume when it is split (see [`prepare`] for every volume).
pub fn render(report: &Arc<Report>, audience: &Audience, export: &Export) -> Result<Rendered, RenderError> {
    let prepared = prepare(report, audience)?;
    let first = prepared.volumes()[0];
    prepared.render(&mut None, export, first)
}

/// An audience's document checked and ready to compile, whole or volume by volume.
pub struct Prepared<'a> {
    report: &'a Arc<Report>,
    audience: &'a Audience,
    /// Whether the template is the report's own.
    own: bool,
    /// The names a redacting audience must not show.
    leak_check: Option<redact::LeakCheck<'a>>,
    /// The lists, read once for all volumes.
    lists: Lists,
    /// The volumes it is laid out in (one `None` for a whole document).
    volumes: Vec<Option<Volume>>,
    /// How long the checks before compiling took.
    sources: Duration,
}

/// Checks what `audience`'s document is made of before anything is compiled: its narrative
/// files readable, its template found, no listed name in what a redacting audience shows; and
/// plans its volumes.
pub fn prepare<'a>(report: &'a Arc<Report>, audience: &'a Audience) -> Result<Prepared<'a>, RenderError> {
    let sections = report.narrative.sections(&report.dir, &audience.config);
    let unreadable = report.narrative.unreadable_in(&sections);
    if !unreadable.is_empty() {
        return Err(RenderError::Template(unreadable));
    }
    let own = has_own_template(&report.dir, &audience.template);
    if own {
        // Typst itself would say only "file is not valid utf-8", without a place.
        let folder = format!("templates/{}", audience.template);
        let undecodable = read_typst_files(&report.dir, &folder, usize::MAX).unreadable;
        if !undecodable.is_empty() {
            return Err(RenderError::Template(undecodable.into_values().collect()));
        }
    }
    if !own && !builtin::is_built_in(&audience.template) {
        return Err(RenderError::Template(vec![no_such_template(report, audience)]));
    }
    let started = Instant::now();
    let leak_check = redact::LeakCheck::new(report, audience);
    if let Some(check) = &leak_check {
        let found =
            check.sources(report, audience).map_err(|e| RenderError::Template(vec![Diagnostic::error("", 0, 0, e)]))?;
        if !found.is_empty() {
            return Err(RenderError::Template(found));
        }
    }
    Ok(Prepared {
        report,
        audience,
        own,
        leak_check,
        lists: Lists::new(report, audience),
        volumes: volumes::plan(report.summary.totals.incidents, audience.incidents_per_volume),
        sources: started.elapsed(),
    })
}

/// The error for an audience whose template is neither built in nor in the report folder.
fn no_such_template(report: &Report, audience: &Audience) -> Diagnostic {
    let built_in = builtin::BUILT_IN.iter().map(|t| t.name).collect::<Vec<_>>().join("`, `");
    let key = ["audiences", audience.name.as_str(), "template"];
    let (line, column) = toml_value_place(&report.config_text, &key).unwrap_or((0, 0));
    let known = builtin::BUILT_IN.iter().map(|t| t.name);
    let close = crate::diagnostic::did_you_mean(&audience.template, known).map(|t| format!("did you mean `{t}`? or "));
    Diagnostic::error(
        crate::input::config::CONFIG_FILE,
        line,
        column,
        format!("audience `{}`: there is no template `{}`", audience.name, audience.template),
    )
    .in_text(&report.config_text)
    .with_hint(format!(
        "{}use a built-in template (`{built_in}`) or create templates/{}/main.typ",
        close.unwrap_or_default(),
        audience.template
    ))
}

impl Prepared<'_> {
    /// The volumes the document is laid out in: one `None` when it is not split.
    pub fn volumes(&self) -> &[Option<Volume>] {
        &self.volumes
    }

    /// Compiles the document, or one `volume` of it, in `world` when it was made for this
    /// audience's template (kept from an earlier build or volume, so unchanged sources are not
    /// parsed again), else in a new world left there; and exports it as `export` says. Nothing
    /// laid out is kept once it returns.
    pub fn render(
        &self,
        world: &mut Option<ReportWorld>,
        export: &Export,
        volume: Option<Volume>,
    ) -> Result<Rendered, RenderError> {
        let (report, audience) = (self.report, self.audience);
        let mut clock = Clock::new();
        clock.laps.push(("sources", self.sources));
        let mut data = data::template_data(report, audience);
        data["audience"]["embed-data"] = serde_json::json!(audience.embed_data);
        data["volume"] = volume_json(audience, volume);
        let data = serde_json::to_vec(&data).expect("template data is plain JSON");
        let own = self.own;
        if world.as_ref().is_none_or(|w| w.template() != (audience.template.as_str(), own)) {
            *world = Some(ReportWorld::new(&report.dir, &audience.template, own).map_err(RenderError::Io)?);
        }
        let world = world.as_mut().expect("a world was just made");
        world.prepare(data, &self.lists.for_volume(volume).files(), audience.config.date);
        let world = &*world;
        clock.lap("data");
        let result = typst::compile::<PagedDocument>(world);
        clock.lap("compile");
        let mut warnings: Vec<Diagnostic> = result.warnings.iter().map(|d| convert(world, d)).collect();
        let document = result.output.map_err(|errors| {
            RenderError::Template(errors.iter().map(|d| convert(world, d)).chain(warnings.clone()).collect())
        })?;
        let figures = Ledger::new(report, audience).to_json();
        if let Some(check) = &self.leak_check {
            let found = check.document(&document, &figures);
            if !found.is_empty() {
                return Err(RenderError::Template(found));
            }
        }
        clock.lap("check");
        let files = match export.format {
            Format::Pdf => {
                let (options, upgraded) = pdf_options(report, audience, export).map_err(RenderError::Template)?;
                warnings.extend(upgraded);
                let pdf = typst_pdf::pdf(&document, &options)
                    .map_err(|errors| RenderError::Template(errors.iter().map(|d| convert(world, d)).collect()))?;
                vec![(None, pdf)]
            }
            Format::Png | Format::Svg => {
                let images = export.images(&document).map_err(RenderError::Usage)?;
                images.into_iter().map(|(page, bytes)| (Some(page), bytes)).collect()
            }
        };
        clock.lap("export");
        warnings.dedup();
        Ok(Rendered { files, figures, warnings, timings: clock.laps })
    }
}

/// What a template is told of the volume it lays out: `none` for a whole document, else its
/// number, how many there are, its first and last incident (from 1, in date order), and the
/// cover line in the audience's language.
fn volume_json(audience: &Audience, volume: Option<Volume>) -> serde_json::Value {
    let Some(v) = volume else { return serde_json::Value::Null };
    let text = Words::new(audience.config.language).volume_line(v.number, v.of, v.first + 1, v.end, v.total);
    serde_json::json!({
        "number": v.number, "of": v.of, "first": v.first + 1, "last": v.end, "total": v.total, "text": text,
    })
}

/// Times the steps of a build, one after another.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Self {
        Self { last: Instant::now(), laps: Vec::new() }
    }

    /// Ends step `name` now.
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}

/// PDF settings that make the same inputs give the same bytes: a stable identifier and the
/// report's own date instead of the clock. A document that carries its data is made PDF/A-3b
/// where PDF/A-2b is asked for (PDF/A-2 forbids attached files), with a warning saying so.
fn pdf_options(
    report: &Report,
    audience: &Audience,
    export: &Export,
) -> Result<(PdfOptions, Option<Diagnostic>), Vec<Diagnostic>> {
    let d = audience.config.date;
    let timestamp = Datetime::from_ymd(d.year, d.month, d.day.unwrap_or(1)).map(Timestamp::new_utc);
    let mut export = export.clone();
    let upgraded = audience.embed_data && export.standards.contains(&Standard::A2b);
    let warning = upgraded.then(|| {
        export.standards.retain(|s| *s != Standard::A2b);
        export.standards.push(Standard::A3b);
        Diagnostic::warning(
            "",
            0,
            0,
            format!(
                "audience `{}` carries its data as attached files, which PDF/A-2b forbids: made PDF/A-3b",
                audience.name
            ),
        )
        .with_hint("PDF/A-3b is PDF/A-2b with attachments allowed; set `embed_data = false` for a PDF/A-2b file")
    });
    let standards = export.pdf_standards().map_err(|e| vec![Diagnostic::error("", 0, 0, e)])?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("osce-report/{}/{}", report.config.title, audience.name)),
        creator: Smart::Custom(Some(format!("osce-report {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        page_ranges: export.page_ranges(),
        standards,
        ..PdfOptions::default()
    };
    Ok((options, warning))
}

/// A Typst hint as it applies to osce-report, whose command line has no `--root`.
fn our_hint(hint: &str) -> String {
    if hint.contains("--root") {
        "templates and narrative files can read only files inside the report folder".to_string()
    } else {
        hint.to_string()
    }
}

/// A Typst diagnostic as ours: file relative to the report folder, 1-based line and column.
fn convert(world: &ReportWorld, d: &SourceDiagnostic) -> Diagnostic {
    let severity = match d.severity {
        TypstSeverity::Error => Severity::Error,
        TypstSeverity::Warning => Severity::Warning,
    };
    let hint = (!d.hints.is_empty()).then(|| d.hints.iter().map(|h| our_hint(&h.v)).collect::<Vec<_>>().join("; "));
    let span = world.blame(d);
    let Some(id) = span.id() else {
        let mut problem = Diagnostic::error("", 0, 0, d.message.to_string());
        problem.severity = severity;
        problem.hint = hint;
        return problem;
    };
    let source = typst::World::source(world, id).ok();
    let place = source.as_ref().zip(world.range(span)).and_then(|(source, range)| {
        let (line, column) = source.lines().byte_to_line_column(range.start)?;
        let snippet = Snippet::of(source.text(), range);
        Some(Place {
            line: line + 1,
            column: column + 1,
            field: None,
            header: None,
            snippet: Some(snippet),
            sheet: None,
        })
    });
    let mut problem = Diagnostic::error_at(world.name(id), place.unwrap_or_default(), d.message.to_string());
    problem.severity = severity;
    problem.hint = hint;
    problem
}

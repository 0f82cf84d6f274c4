//! Compiling an audience's document in-process and exporting it (PDF, or page images).

use std::sync::Arc;
use std::time::{Duration, Instant};

use typst::WorldExt;
use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::diagnostic::{Diagnostic, Place, Severity, Snippet, toml_value_place};
use crate::export::{Export, Format};
use crate::input::audience::Audience;
use crate::input::narrative::read_typst_files;
use crate::report::Report;
use crate::template::builtin;
use crate::template::builtin::has_own_template;
use crate::template::data;
use crate::template::ledger::Ledger;
use crate::template::redact;
use crate::world::{LazyFile, ReportWorld};

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

/// Compiles `audience`'s template with the report's data and exports it as `export` says.
pub fn render(report: &Arc<Report>, audience: &Audience, export: &Export) -> Result<Rendered, RenderError> {
    render_in(&mut None, report, audience, export)
}

/// [`render`] in `world` when it was made for this audience's template (kept from an earlier
/// build, so unchanged sources are not parsed again), else in a new world left there.
pub fn render_in(
    world: &mut Option<ReportWorld>,
    report: &Arc<Report>,
    audience: &Audience,
    export: &Export,
) -> Result<Rendered, RenderError> {
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
        let built_in = builtin::BUILT_IN.iter().map(|t| t.name).collect::<Vec<_>>().join("`, `");
        let key = ["audiences", audience.name.as_str(), "template"];
        let (line, column) = toml_value_place(&report.config_text, &key).unwrap_or((0, 0));
        let known = builtin::BUILT_IN.iter().map(|t| t.name);
        let close =
            crate::diagnostic::did_you_mean(&audience.template, known).map(|t| format!("did you mean `{t}`? or "));
        return Err(RenderError::Template(vec![
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
            )),
        ]));
    }
    let mut clock = Clock::new();
    let leak_check = redact::LeakCheck::new(report, audience);
    if let Some(check) = &leak_check {
        let found =
            check.sources(report, audience).map_err(|e| RenderError::Template(vec![Diagnostic::error("", 0, 0, e)]))?;
        if !found.is_empty() {
            return Err(RenderError::Template(found));
        }
    }
    clock.lap("sources");
    let data = serde_json::to_vec(&data::template_data(report, audience)).expect("template data is plain JSON");
    // The lists are read again only if the template calls for them.
    let lists = Arc::new(Lists { report: Arc::clone(report), audience: audience.clone() });
    let incidents: LazyFile = {
        let lists = Arc::clone(&lists);
        Arc::new(move || lists.incidents())
    };
    let sanctions: LazyFile = {
        let lists = Arc::clone(&lists);
        Arc::new(move || lists.sanctions())
    };
    if world.as_ref().is_none_or(|w| w.template() != (audience.template.as_str(), own)) {
        *world = Some(ReportWorld::new(&report.dir, &audience.template, own).map_err(RenderError::Io)?);
    }
    let world = world.as_mut().expect("a world was just made");
    world.prepare(data, &[("incidents.json", incidents), ("sanctions.json", sanctions)], audience.config.date);
    let world = &*world;
    clock.lap("data");
    let result = typst::compile::<PagedDocument>(world);
    clock.lap("compile");
    let mut warnings: Vec<Diagnostic> = result.warnings.iter().map(|d| convert(world, d)).collect();
    let document = result.output.map_err(|errors| {
        RenderError::Template(errors.iter().map(|d| convert(world, d)).chain(warnings.clone()).collect())
    })?;
    let figures = Ledger::new(report, audience).to_json();
    if let Some(check) = &leak_check {
        let found = check.document(&document, &figures);
        if !found.is_empty() {
            return Err(RenderError::Template(found));
        }
    }
    clock.lap("check");
    let files = match export.format {
        Format::Pdf => {
            let options = pdf_options(report, audience, export).map_err(RenderError::Template)?;
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

/// What the data package's lists are made from, when a template reads them.
struct Lists {
    report: Arc<Report>,
    audience: Audience,
}

impl Lists {
    /// `incidents.json`.
    fn incidents(&self) -> FileResult<Bytes> {
        let incidents = self.report.incidents().map_err(file_error)?;
        Ok(Bytes::new(data::incidents_json(&incidents, &self.audience)))
    }

    /// `sanctions.json`.
    fn sanctions(&self) -> FileResult<Bytes> {
        let sanctions = self.report.sanctions().map_err(file_error)?;
        Ok(Bytes::new(data::sanctions_json(&self.report, &sanctions, &self.audience)))
    }
}

/// A message as Typst's file error.
fn file_error(message: String) -> FileError {
    FileError::Other(Some(message.into()))
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
/// report's own date instead of the clock.
fn pdf_options(report: &Report, audience: &Audience, export: &Export) -> Result<PdfOptions, Vec<Diagnostic>> {
    let d = audience.config.date;
    let timestamp = Datetime::from_ymd(d.year, d.month, d.day.unwrap_or(1)).map(Timestamp::new_utc);
    let standards = export.pdf_standards().map_err(|e| vec![Diagnostic::error("", 0, 0, e)])?;
    Ok(PdfOptions {
        ident: Smart::Custom(format!("osce-report/{}/{}", report.config.title, audience.name)),
        creator: Smart::Custom(Some(format!("osce-report {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        page_ranges: export.page_ranges(),
        standards,
        ..PdfOptions::default()
    })
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

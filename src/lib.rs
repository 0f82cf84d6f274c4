//! osce-report: a report folder (CSV tables and `report.toml`) in, a PDF written statement for
//! OSCE human-dimension meetings out, with every figure computed here and typeset by Typst.
//!
//! The modules follow the pipeline, and a stage never imports a later one
//! (`docs/architecture.md` draws it):
//!
//! 1. values every stage shares: [`diagnostic`] (a problem and where it is), [`error`] (failures
//!    without a place, exit codes), [`date`], [`vocabulary`] (the schema's words: incident kinds,
//!    permits, sanction kinds, stated figures), [`figure`] (an approximate count), [`locale`]
//!    (numbers, dates and words in the audience's language), [`text`] (helpers for cells' text);
//! 2. [`input`]: files, encodings, tables, `report.toml`, audiences, incident and sanction rows,
//!    the narrative;
//! 3. [`validate`]: the rows checked against each other and the report period;
//! 4. [`figures`]: the summary figures, summed from the rows; [`cite`]: the narrative's `fig(…)`
//!    calls checked against them;
//! 5. [`report`]: the one pass that reads, checks and sums a report folder;
//! 6. [`template`]: what a template receives (already formatted), names as the audience shows them;
//! 7. [`world`]: the Typst world that serves the template, the narrative and the data;
//! 8. [`export`]: compiling and exporting a document, and writing files atomically;
//! 9. [`cli`] and [`cmd`]: the arguments, and one file per subcommand.

pub(crate) mod text;
pub(crate) mod diagnostic;
pub(crate) mod error;
pub(crate) mod date;
pub(crate) mod vocabulary;
pub(crate) mod figure;
pub(crate) mod locale;
pub(crate) mod input;
pub(crate) mod validate;
pub(crate) mod figures;
pub(crate) mod cite;
pub mod report;
pub(crate) mod template;
pub(crate) mod world;
pub mod export;
pub mod cli;
pub mod cmd;

pub use cmd::run;

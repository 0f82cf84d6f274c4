//! Reading a report folder's input: where a table comes from, how it is written, and what is
//! wrong with text that cannot be decoded ([`source`]); a file's values recoded to ours
//! ([`recode`]); rows and cells with their places ([`row`], [`header`], [`table`], read on every core:
//! [`chunk`], and workbook
//! sheets by sheet and cell: [`workbook`]); `report.toml` ([`config`]) and its audiences
//! ([`audience`]); the rows of the two tables ([`incident`], [`sanction`]) and an incident's
//! `sources` ([`reference`]); the narrative ([`narrative`]), its `fig(…)` calls
//! ([`fig_call`]) and the numbers typed by hand in it ([`literal`]); and the text a reader of the
//! document sees, with where it is written ([`shown`]).

pub mod source;
pub mod recode;
pub mod row;
pub mod header;
pub mod chunk;
pub mod table;
pub mod workbook;
pub mod config;
pub mod audience;
pub mod incident;
pub mod sanction;
pub mod reference;
pub mod narrative;
pub mod fig_call;
pub mod literal;
pub mod shown;

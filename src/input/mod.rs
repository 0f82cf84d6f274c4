//! Reading a report folder's input: where a table comes from and how it is written ([`source`]),
//! its rows and cells with their places ([`table`]), `report.toml` ([`config`]) and its
//! audiences ([`audience`]), the rows of the two tables ([`incident`], [`sanction`]), and the text
//! a reader of the document sees, with where it is written ([`shown`]).

pub mod audience;
pub mod config;
pub mod incident;
pub mod narrative;
pub mod sanction;
pub mod shown;
pub mod source;
pub mod table;

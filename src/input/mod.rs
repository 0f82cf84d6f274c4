//! Reading a report folder's input: where a table comes from and how it is written ([`source`]),
//! its rows and cells with their places ([`table`]), `report.toml` ([`config`]) and its
//! audiences ([`audience`]), and the rows of the two tables ([`incident`], [`sanction`]); in the
//! narrative, its `fig(…)` calls ([`fig_call`]) and the numbers typed by hand ([`literal`]).

pub mod audience;
pub mod config;
pub mod fig_call;
pub mod incident;
pub mod literal;
pub mod narrative;
pub mod sanction;
pub mod source;
pub mod table;

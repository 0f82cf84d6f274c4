//! Reading a report folder's input: where a table comes from and how it is written, and what
//! is wrong with text that cannot be decoded ([`source`]); rows and cells with their places
//! ([`table`], [`row`], [`header`]); `report.toml` ([`config`]) and its audiences ([`audience`]);
//! the rows of the two tables ([`incident`], [`sanction`]); and the narrative ([`narrative`]).

pub mod audience;
pub mod config;
pub mod header;
pub mod incident;
pub mod narrative;
pub mod row;
pub mod sanction;
pub mod source;
pub mod table;
pub mod vocabulary;

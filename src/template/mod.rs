//! What templates work with: the built-in templates ([`builtin`]), the data they receive already
//! formatted for the audience ([`data`]), persons' names as the audience shows them ([`redact`]),
//! and the flat list of figures a build saves beside its PDF ([`ledger`]).

pub mod builtin;
pub mod data;
pub mod ledger;
pub mod redact;

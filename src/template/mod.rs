//! What templates work with: the built-in templates ([`builtin`]), the data they receive already
//! formatted for the audience ([`data`]), the figures the narrative names with `fig`
//! ([`cited`]), persons' names as the audience shows them ([`redact`]), and the flat list of
//! figures a build saves beside its PDF ([`ledger`]).

pub mod builtin;
pub mod cited;
pub mod data;
pub mod ledger;
pub mod redact;

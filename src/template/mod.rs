//! What templates work with: the built-in templates ([`builtin`]), persons' names as the
//! audience shows them ([`redact`]), sums of money in the audience's words ([`money`]), the
//! figures the narrative names with `fig` ([`cited`]), the layout of the chart by month
//! ([`chart`]), the data templates receive already formatted for the audience ([`data`]), the
//! data a PDF carries as attached CSV files ([`attached`]), and the flat list of figures a build
//! saves beside its
//! PDF ([`ledger`]).

pub mod builtin;
pub mod redact;
pub mod money;
pub mod cited;
pub mod chart;
pub mod data;
pub mod attached;
pub mod ledger;

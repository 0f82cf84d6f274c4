//! A table's header row: our columns found among the file's own headers (under the names
//! `report.toml` maps), with a problem for each that is missing or repeated.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, did_you_mean, excerpt};
use crate::input::source::Source;

/// Finds each of our columns among the headers (under the file's own name where `source` maps
/// one). A missing required or mapped column is an error naming the file's headers; headers that
/// are neither ours nor mapped are listed once.
pub(crate) fn locate_columns(
    file: &str,
    headers: &[String],
    source: &Source,
    required: &[&'static str],
    optional: &[&'static str],
) -> (HashMap<&'static str, usize>, Vec<Diagnostic>) {
    let mut columns = HashMap::new();
    let mut problems = Vec::new();
    let ours = || required.iter().chain(optional).copied();
    for name in ours() {
        // Headers are names, not values: `Detained` and `DETAINED` are our `detained` (a column
        // ignored for its capital letter once dropped a whole column of figures with a warning).
        let wanted = source.header_for(name).to_lowercase();
        let mut found = headers.iter().enumerate().filter(|(_, h)| h.to_lowercase() == wanted);
        if let Some((i, _)) = found.next() {
            columns.insert(name, i);
        }
        if let Some((i, header)) = found.next() {
            let header = excerpt(header);
            problems.push(Diagnostic::cell_error(file, 1, i + 1, format!("column `{header}` appears twice")));
        }
    }
    let shown: Vec<String> = headers.iter().map(|h| excerpt(h)).collect();
    let listing = format!("the file's headers are `{}`", shown.join("`, `"));
    for name in ours().filter(|n| !columns.contains_key(n)) {
        let wanted = source.header_for(name);
        if let Some(mapped) = source.columns.get(name) {
            problems.push(
                Diagnostic::error(
                    file,
                    1,
                    1,
                    format!("column `{mapped}` (mapped to `{name}` in report.toml) is missing"),
                )
                .with_hint(listing.clone()),
            );
        } else if required.contains(&name) {
            let hint = match did_you_mean(wanted, shown.iter().map(String::as_str)) {
                Some(h) => {
                    format!("did you mean `{h}`? rename that header to `{name}`, or map it in report.toml [data]")
                }
                None => listing.clone(),
            };
            problems
                .push(Diagnostic::error(file, 1, 1, format!("required column `{name}` is missing")).with_hint(hint));
        }
    }
    let unused: Vec<(usize, &String)> =
        shown.iter().enumerate().filter(|(i, h)| !h.is_empty() && !columns.values().any(|c| c == i)).collect();
    if let Some(&(first, _)) = unused.first() {
        let names = unused.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>().join("`, `");
        let mut note = Diagnostic::cell_warning(file, 1, first + 1, format!("columns not used: `{names}`"));
        let missing = ours().filter(|n| !columns.contains_key(n));
        let close = unused.iter().find_map(|(_, h)| did_you_mean(h, missing.clone()).map(|n| (h, n)));
        if let Some((header, name)) = close {
            note = note.with_hint(format!("is `{header}` our `{name}`? rename it, or map it in report.toml [data]"));
        }
        problems.push(note);
    }
    (columns, problems)
}

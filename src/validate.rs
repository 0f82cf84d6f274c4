//! Checks across tables: sanctions that point nowhere, dates outside the period, figures that
//! contradict each other.

use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::incident::{Incident, Incidents};
use crate::locale::Words;
use crate::sanction::Sanction;

/// Every cross-table problem, errors and warnings.
pub fn cross_check(
    config: &Config,
    incidents: &Incidents,
    sanctions: &[Sanction],
    incidents_file: &str,
    sanctions_file: &str,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if incidents.readable {
        unknown_incidents(sanctions, &incidents.ids, sanctions_file, &mut problems);
    }
    outside_period(config, &incidents.rows, incidents_file, &mut problems);
    contradictions(&incidents.rows, sanctions, incidents_file, &mut problems);
    problems
}

/// A sanction whose incident id is not in the incident list is an error.
fn unknown_incidents(sanctions: &[Sanction], ids: &HashSet<String>, file: &str, problems: &mut Vec<Diagnostic>) {
    for s in sanctions.iter().filter(|s| !ids.contains(&s.incident)) {
        let mut problem = Diagnostic::cell_error(
            file,
            s.line,
            s.incident_column,
            format!("`incident`: `{}` is not an id in the incident list", crate::diagnostic::excerpt(&s.incident)),
        );
        if let Some(close) = crate::diagnostic::did_you_mean(&s.incident, ids.iter().map(String::as_str)) {
            problem = problem.with_hint(format!("did you mean `{close}`?"));
        }
        problems.push(problem);
    }
}

/// An incident dated outside the report's period is a warning.
fn outside_period(config: &Config, incidents: &[Incident], file: &str, problems: &mut Vec<Diagnostic>) {
    let words = Words::new(config.language);
    let period = words.period(config.period_start, config.period_end).replace('\u{a0}', " ");
    for i in incidents.iter().filter(|i| !i.date.within(config.period_start, config.period_end)) {
        problems.push(Diagnostic::cell_warning(
            file,
            i.line,
            i.date_column,
            format!("`date`: `{}` is outside the report period ({period})", i.date),
        ));
    }
}

/// More sanctions listed than the incident's count says, or more fined plus arrested than
/// detained when all three are exact, are warnings.
fn contradictions(incidents: &[Incident], sanctions: &[Sanction], file: &str, problems: &mut Vec<Diagnostic>) {
    // Counted once, so a long incident list is not scanned once per sanction.
    let mut listed_by: HashMap<(&str, &str), u64> = HashMap::new();
    for s in sanctions {
        *listed_by.entry((s.incident.as_str(), s.kind)).or_default() += 1;
    }
    for incident in incidents {
        for (kind, count_name) in [("fine", "fined"), ("arrest", "arrested")] {
            let listed = listed_by.get(&(incident.id.as_str(), kind)).copied().unwrap_or(0);
            let count = incident.count(count_name);
            if let Some(high) = count.high().filter(|h| listed > *h) {
                problems.push(Diagnostic::cell_warning(
                    file,
                    incident.line,
                    incident.count_column(count_name),
                    format!(
                        "`{count_name}` of `{}` is {high} but the sanctions list has {listed} {kind}s for it",
                        incident.id
                    ),
                ));
            }
        }
        let exact = |name| incident.count(name).exact_value();
        if let (Some(d), Some(f), Some(a)) = (exact("detained"), exact("fined"), exact("arrested"))
            && f + a > d
        {
            problems.push(Diagnostic::cell_warning(
                file,
                incident.line,
                incident.count_column("detained"),
                format!("`{}`: {f} fined and {a} arrested, but only {d} detained", incident.id),
            ));
        }
    }
}

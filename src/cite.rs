//! Figures the narrative states with `fig(…)`: what a call may name (a figure, for the whole
//! report, one incident, a month, a kind or a city, in a unit), and the check of every call
//! against the data, so a wrong id, key or month is an error at its place in the narrative with
//! the closest right one suggested.
//!
//! The text of each figure is made for the audience in [`crate::template::cited`]; here are only
//! the names and the numbers.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, did_you_mean, excerpt};
use crate::figure::Figure;
use crate::figures::{Arrests, Counts, Fines, IncidentFigures, Summary};
use crate::input::fig_call::{Arg, FigCall};
use crate::input::incident::COUNT_COLUMNS;
use crate::vocabulary::{IncidentKind, Vocabulary};

/// What a `fig` call's figure is taken from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The whole report.
    Total,
    /// One incident, by id.
    Incident(String),
    /// One month, `2012-02`.
    Month(String),
    /// One kind of incident, `rally`.
    Kind(String),
    /// One city.
    City(String),
}

/// The named arguments that choose a scope other than the whole report.
pub const SCOPES: [&str; 4] = ["incident", "month", "kind", "city"];

/// The named argument that adds a word after the number.
pub const UNIT: &str = "unit";

/// Sanction figures: for the whole report or one incident.
pub const SANCTION_KEYS: [&str; 6] = ["fines", "fine-range", "fine-total", "arrests", "arrest-range", "arrest-total"];

/// Words a count can be followed by.
pub const COUNT_UNITS: [&str; 6] = ["people", "incidents", "days", "fines", "arrests", "officers"];

/// How an amount of money can be written: in the report's currency, the second one, or both.
pub const MONEY_UNITS: [&str; 3] = ["currency", "second", "both"];

/// How a term of arrest can be written.
pub const DAY_UNITS: [&str; 1] = ["days"];

impl Scope {
    /// The key of this scope in the data module's `figs`: `total`, `incident:ID`, `month:2012-02`, …
    pub fn key(&self) -> String {
        match self {
            Scope::Total => "total".into(),
            Scope::Incident(v) => format!("incident:{v}"),
            Scope::Month(v) => format!("month:{v}"),
            Scope::Kind(v) => format!("kind:{v}"),
            Scope::City(v) => format!("city:{v}"),
        }
    }

    /// The scope a named argument and its value choose.
    fn named(name: &str, value: &str) -> Option<Scope> {
        let value = value.to_string();
        Some(match name {
            "incident" => Scope::Incident(value),
            "month" => Scope::Month(value),
            "kind" => Scope::Kind(value),
            "city" => Scope::City(value),
            _ => return None,
        })
    }
}

/// What sort of figure a key names, which decides its scopes and units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A count column summed over the scope (`detained`).
    Count,
    /// How many incidents the scope has.
    Incidents,
    /// How many fines or arrests are listed.
    Sanctions,
    /// Amounts of fines (`fine-range`, `fine-total`).
    Money,
    /// Terms of arrest in days (`arrest-range`, `arrest-total`).
    Days,
}

impl KeyKind {
    /// The sort of figure `key` names, if it names one.
    pub fn of(key: &str) -> Option<KeyKind> {
        Some(match key {
            "incidents" => KeyKind::Incidents,
            "fines" | "arrests" => KeyKind::Sanctions,
            "fine-range" | "fine-total" => KeyKind::Money,
            "arrest-range" | "arrest-total" => KeyKind::Days,
            k if COUNT_COLUMNS.contains(&k) => KeyKind::Count,
            _ => return None,
        })
    }

    /// The units this figure can be written with.
    pub fn units(self) -> &'static [&'static str] {
        match self {
            KeyKind::Count | KeyKind::Incidents | KeyKind::Sanctions => &COUNT_UNITS,
            KeyKind::Money => &MONEY_UNITS,
            KeyKind::Days => &DAY_UNITS,
        }
    }

    /// Whether the figure exists for `scope`: sanctions are listed per incident, not by month,
    /// kind or city; an incident is one incident.
    fn allows(self, scope: &Scope) -> bool {
        match self {
            KeyKind::Count => true,
            KeyKind::Incidents => !matches!(scope, Scope::Incident(_)),
            KeyKind::Sanctions | KeyKind::Money | KeyKind::Days => matches!(scope, Scope::Total | Scope::Incident(_)),
        }
    }
}

/// Every figure key, for suggestions and the docs.
pub fn keys() -> impl Iterator<Item = &'static str> {
    COUNT_COLUMNS.into_iter().chain(["incidents"]).chain(SANCTION_KEYS)
}

/// The figures of one scope, as the keys read them.
#[derive(Debug, Clone)]
pub struct ScopeFigures<'a> {
    /// The count columns, in the order of [`COUNT_COLUMNS`].
    pub counts: [Figure; 7],
    /// How many incidents (none for one incident).
    pub incidents: Option<usize>,
    /// The fines (whole report or one incident).
    pub fines: Option<&'a Fines>,
    /// The arrests (whole report or one incident).
    pub arrests: Option<&'a Arrests>,
}

impl<'a> ScopeFigures<'a> {
    /// The figures of `scope`, if the data has it: an incident the report kept figures for, a
    /// month of the period, a known kind, a city of the incidents.
    pub fn of(summary: &'a Summary, incidents: &'a BTreeMap<String, IncidentFigures>, scope: &Scope) -> Option<Self> {
        let group = |c: &Counts| ScopeFigures {
            counts: std::array::from_fn(|i| c.tallies[i].figure),
            incidents: Some(c.incidents),
            fines: None,
            arrests: None,
        };
        let empty = Counts::default();
        match scope {
            Scope::Total => Some(ScopeFigures {
                fines: Some(&summary.fines),
                arrests: Some(&summary.arrests),
                ..group(&summary.totals)
            }),
            Scope::Incident(id) => incidents.get(id).map(|i| ScopeFigures {
                counts: i.counts,
                incidents: None,
                fines: Some(&i.fines),
                arrests: Some(&i.arrests),
            }),
            Scope::Month(m) => summary.by_month.iter().find(|(d, _)| d.to_string() == *m).map(|(_, c)| group(c)),
            Scope::Kind(k) => IncidentKind::from_word(k).map(|wanted| {
                group(summary.by_kind.iter().find(|(kind, _)| *kind == wanted).map_or(&empty, |(_, c)| c))
            }),
            Scope::City(name) if summary.only_city.as_deref() == Some(name) => Some(group(&summary.totals)),
            Scope::City(name) => summary.by_city.iter().find(|(city, _)| city == name).map(|(_, c)| group(c)),
        }
    }

    /// The number `key` names, when it is a count: a count column, incidents, fines or arrests.
    pub fn count(&self, key: &str) -> Option<Figure> {
        match key {
            "incidents" => self.incidents.map(|n| Figure::exact(n as u64)),
            "fines" => self.fines.map(|f| Figure::exact(f.count as u64)),
            "arrests" => self.arrests.map(|a| Figure::exact(a.count as u64)),
            _ => COUNT_COLUMNS.iter().position(|c| *c == key).map(|i| self.counts[i]),
        }
    }
}

/// What the data offers a `fig` call, for checking it.
pub struct Offered<'a> {
    /// The report's figures.
    pub summary: &'a Summary,
    /// The incidents whose own figures were kept (every one the narrative names, if it exists).
    pub incidents: &'a BTreeMap<String, IncidentFigures>,
    /// Whether the incident list has this id (its row may have had errors, reported apart).
    pub is_id: &'a dyn Fn(&str) -> bool,
    /// The closest incident id to a wrong one.
    pub closest_id: &'a dyn Fn(&str) -> Option<String>,
    /// Whether the report has a second currency.
    pub second_currency: bool,
}

/// Every problem of the narrative's `fig` calls: an unknown key, id, month, kind, city or unit,
/// two scopes at once, or a figure its scope does not have. Arguments computed in Typst are left
/// for Typst to check.
pub fn check(calls: &[FigCall], offered: &Offered) -> Vec<Diagnostic> {
    calls.iter().filter_map(|call| check_call(call, offered).err()).collect()
}

/// The scopes the narrative's `fig` calls name with literal arguments, valid or not, and always
/// the whole report (small, and what a template may ask for).
pub fn scopes(calls: &[FigCall]) -> BTreeSet<Scope> {
    calls.iter().filter_map(|c| scope(c).ok().flatten()).chain([Scope::Total]).collect()
}

/// The scope a call names: `Ok(None)` when it is computed in Typst.
fn scope(call: &FigCall) -> Result<Option<Scope>, Diagnostic> {
    let mut named = call.args.iter().filter(|a| a.name.as_deref().is_some_and(|n| SCOPES.contains(&n)));
    let first = named.next();
    if let Some(second) = named.next() {
        return Err(error(call, second, "`fig` takes one of `incident`, `month`, `kind` and `city`, not two")
            .with_hint("for a figure of the whole report, name none"));
    }
    Ok(match first {
        None => Some(Scope::Total),
        Some(arg) => arg.value.as_deref().and_then(|v| Scope::named(arg.name.as_deref().unwrap_or(""), v)),
    })
}

/// The first problem of one call.
fn check_call(call: &FigCall, offered: &Offered) -> Result<(), Diagnostic> {
    let unknown = call.args.iter().find(|a| a.name.as_deref().is_some_and(|n| n != UNIT && !SCOPES.contains(&n)));
    if let Some(arg) = unknown {
        let name = arg.name.as_deref().unwrap_or_default();
        let known = SCOPES.into_iter().chain([UNIT]);
        return Err(suggest(error(call, arg, format!("`fig` has no argument `{name}`")), name, known));
    }
    let Some(key_arg) = call.key() else {
        return Err(error(call, &at_call(call), "`fig` needs the name of a figure first, e.g. `fig(\"detained\")`"));
    };
    let scope = scope(call)?;
    let Some(key) = key_arg.value.as_deref() else { return Ok(()) };
    let Some(kind) = KeyKind::of(key) else {
        return Err(suggest(error(call, key_arg, format!("there is no figure `{}`", excerpt(key))), key, keys()));
    };
    if let Some(scope) = &scope {
        check_scope(call, scope, offered)?;
        if !kind.allows(scope) {
            let at = call.args.iter().find(|a| a.name.as_deref().is_some_and(|n| SCOPES.contains(&n)));
            let what = if kind == KeyKind::Incidents {
                "for a group of incidents"
            } else {
                "for the whole report or one incident"
            };
            return Err(error(call, at.unwrap_or(key_arg), format!("`{key}` is given only {what}")));
        }
    }
    check_unit(call, kind, offered.second_currency)
}

/// The problem of a scope the data does not have.
fn check_scope(call: &FigCall, scope: &Scope, offered: &Offered) -> Result<(), Diagnostic> {
    if ScopeFigures::of(offered.summary, offered.incidents, scope).is_some() {
        return Ok(());
    }
    let arg = call.args.iter().find(|a| a.name.as_deref().is_some_and(|n| SCOPES.contains(&n)));
    let arg = arg.cloned().unwrap_or_else(|| at_call(call));
    let value = arg.value.clone().unwrap_or_default();
    let months: Vec<String> = offered.summary.by_month.iter().map(|(d, _)| d.to_string()).collect();
    let cities: Vec<&str> =
        offered.summary.by_city.iter().map(|(c, _)| c.as_str()).chain(offered.summary.only_city.as_deref()).collect();
    let shown = excerpt(&value);
    let problem = match scope {
        Scope::Incident(id) if (offered.is_id)(id) => return Ok(()),
        Scope::Incident(id) => {
            let problem = error(call, &arg, format!("`{shown}` is not an id in the incident list"));
            return Err(match (offered.closest_id)(id) {
                Some(close) => problem.with_hint(format!("did you mean `{close}`?")),
                None => problem,
            });
        }
        Scope::Month(m) => suggest(
            error(call, &arg, format!("`{shown}` is not a month of the report (months are written `YYYY-MM`)")),
            m,
            months.iter().map(String::as_str),
        ),
        Scope::Kind(k) => {
            suggest(error(call, &arg, format!("`{shown}` is not a kind of incident")), k, IncidentKind::words())
        }
        Scope::City(c) => suggest(error(call, &arg, format!("no incident is in the city `{shown}`")), c, cities),
        Scope::Total => return Ok(()),
    };
    Err(problem)
}

/// The problem of a unit the figure cannot take.
fn check_unit(call: &FigCall, kind: KeyKind, second_currency: bool) -> Result<(), Diagnostic> {
    let Some(arg) = call.named(UNIT) else { return Ok(()) };
    let Some(unit) = arg.value.as_deref() else { return Ok(()) };
    if !kind.units().contains(&unit) {
        let message = format!("`{}` is not a unit of this figure", excerpt(unit));
        let problem = suggest(error(call, arg, message), unit, kind.units().iter().copied());
        return Err(match problem.hint {
            Some(_) => problem,
            None => problem.with_hint(format!("units of this figure: `{}`", kind.units().join("`, `"))),
        });
    }
    if matches!(unit, "second" | "both") && !second_currency {
        return Err(error(call, arg, format!("`{unit}`: the report has no second currency"))
            .with_hint("set `second` and `rate` in report.toml `[currency]`"));
    }
    Ok(())
}

/// An error at an argument of a call.
fn error(call: &FigCall, arg: &Arg, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(&call.file, arg.line, arg.column, message)
}

/// The call's own place, as an argument.
fn at_call(call: &FigCall) -> Arg {
    Arg { name: None, value: None, line: call.line, column: call.column }
}

/// `problem` with "did you mean" the closest of `candidates` to `word`, if one is close.
fn suggest<'a>(problem: Diagnostic, word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    match did_you_mean(word, candidates) {
        Some(close) => problem.with_hint(format!("did you mean `{close}`?")),
        None => problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::input::fig_call::fig_calls;

    fn problems(text: &str) -> Vec<Diagnostic> {
        let mut summary = Summary::default();
        summary.by_month.push((Date::from_ym(2012, 2).unwrap(), Counts::default()));
        summary.only_city = Some("Алматы".into());
        let mut incidents = BTreeMap::new();
        incidents.insert("2012-02-25-rally".to_string(), IncidentFigures::new(&[Figure::exact(28); 7]));
        let closest = |id: &str| did_you_mean(id, ["2012-02-25-rally"]).map(str::to_string);
        let is_id = |id: &str| id == "2012-02-25-rally";
        let offered = Offered {
            summary: &summary,
            incidents: &incidents,
            is_id: &is_id,
            closest_id: &closest,
            second_currency: false,
        };
        check(&fig_calls("s.typ", text), &offered)
    }

    #[test]
    fn good_calls_pass() {
        let text = "#fig(\"detained\", incident: \"2012-02-25-rally\", unit: \"people\") #fig(\"incidents\", month: \"2012-02\") #fig(\"fine-range\", unit: \"currency\") #fig(\"detained\", city: \"Алматы\") #fig(\"police\", kind: \"march\")";
        assert_eq!(problems(text), []);
    }

    #[test]
    fn a_wrong_id_key_month_or_unit_is_named_with_a_suggestion() {
        let p = problems(
            "#fig(\"detained\", incident: \"2012-02-25-raly\")\n#fig(\"detaned\")\n#fig(\"detained\", month: \"2012-03\")\n#fig(\"detained\", unit: \"peple\")",
        );
        let seen: Vec<_> = p.iter().map(|d| (d.line, d.column, d.message.as_str(), d.hint.as_deref())).collect();
        assert_eq!(
            seen,
            [
                (
                    1,
                    28,
                    "`2012-02-25-raly` is not an id in the incident list",
                    Some("did you mean `2012-02-25-rally`?")
                ),
                (2, 6, "there is no figure `detaned`", Some("did you mean `detained`?")),
                (
                    3,
                    25,
                    "`2012-03` is not a month of the report (months are written `YYYY-MM`)",
                    Some("did you mean `2012-02`?")
                ),
                (4, 24, "`peple` is not a unit of this figure", Some("did you mean `people`?")),
            ]
        );
    }

    #[test]
    fn two_scopes_or_a_figure_its_scope_lacks_are_errors() {
        let p = problems(
            "#fig(\"detained\", month: \"2012-02\", kind: \"rally\") #fig(\"fines\", month: \"2012-02\") #fig(\"fine-total\", unit: \"second\")",
        );
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[1].message.contains("`fines` is given only for the whole report or one incident"));
        assert!(p[2].message.contains("no second currency"));
    }
}

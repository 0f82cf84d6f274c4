//! Sums of money as an audience reads them: in the report's currency and, where `report.toml`
//! gives a rate, converted to a second one ("30 000–81 000 тенге (152–410 евро)").

use crate::locale::Words;
use crate::report::Report;

/// An amount converted at `rate` units per unit of the second currency, to the nearest unit.
pub(crate) fn convert(amount: u64, rate: f64) -> u64 {
    (amount as f64 / rate).round() as u64
}

/// A range of amounts: "30 000–81 000 тенге (152–410 евро)".
pub(crate) fn money_range_text(w: &Words, report: &Report, low: u64, high: u64) -> String {
    let cur = &report.config.currency;
    let main = w.money_range(low, high, &cur.code);
    match &cur.second {
        Some((code, rate)) => format!("{main} ({})", w.money_range(convert(low, *rate), convert(high, *rate), code)),
        None => main,
    }
}

/// The currency's word after `amount` ("тенге", "euros").
pub(crate) fn currency_word(w: &Words, code: &str, amount: u64) -> String {
    let text = w.money(amount, code);
    text.rsplit_once('\u{a0}').map_or(text.clone(), |(_, word)| word.to_string())
}

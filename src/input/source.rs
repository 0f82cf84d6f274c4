//! Where a table comes from and how it is written: file, text encoding, delimiter, date format and
//! the file's own column names — as `report.toml` `[data.incidents]` describes them — and turning
//! the file's bytes into text accordingly.

use std::borrow::Cow;
use std::collections::BTreeMap;

use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Place, Snippet, typo_of};

/// How one data file is read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The file, relative to the report folder.
    pub file: String,
    /// `auto` (a byte-order mark, else UTF-8 if valid, else a guess) or a label such as
    /// `utf-8`, `windows-1251`, `windows-1252`, `koi8-r`.
    #[serde(default = "auto")]
    pub encoding: String,
    /// `auto` (the most frequent of `,` `;` tab `|` in the header line) or one of them.
    #[serde(default = "auto")]
    pub delimiter: String,
    /// A strftime-style format for day cells (`%m/%d/%Y`); without it ISO, day-first dotted and
    /// month-name dates are read.
    #[serde(default)]
    pub date_format: Option<String>,
    /// Our column name → the file's header.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// For a workbook: the sheet's name (default: the first sheet).
    #[serde(default)]
    pub sheet: Option<String>,
    /// For a workbook: the 1-based row of the header (default: found among the first rows).
    #[serde(default)]
    pub header_row: Option<usize>,
    /// Our column name → the file's values → ours (`values.kind."Riots" = "other"`): a cell is
    /// recoded when it equals a key ignoring case (cells are trimmed).
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// Our column name → the value every row has, for a column the file lacks (`fixed.kind`).
    #[serde(default)]
    pub fixed: BTreeMap<String, String>,
    /// The file's own "not stated" markers (`k.A.`, `#`): a cell equal to one, ignoring case, is
    /// read as blank, in any column.
    #[serde(default)]
    pub unknown: Vec<String>,
    /// Where each `values` key (our column, the file's value) is written in `report.toml`, as
    /// 1-based line and column, for the warning about a key that matches no cell.
    #[serde(skip)]
    pub value_places: BTreeMap<(String, String), (usize, usize)>,
}

fn auto() -> String {
    "auto".into()
}

impl Source {
    /// A file in our own format: UTF-8 (or anything `auto` recognises), detected delimiter, our
    /// column names.
    pub fn plain(file: &str) -> Self {
        Self {
            file: file.into(),
            encoding: auto(),
            delimiter: auto(),
            date_format: None,
            columns: BTreeMap::new(),
            sheet: None,
            header_row: None,
            values: BTreeMap::new(),
            fixed: BTreeMap::new(),
            unknown: Vec::new(),
            value_places: BTreeMap::new(),
        }
    }

    /// Reads `report.toml`'s value: a file name, or a table. Returns the problem as a message.
    pub fn from_toml(value: &toml::Value, known_columns: &[&str]) -> Result<Self, (String, Option<String>)> {
        let source = match value {
            toml::Value::String(file) => Self::plain(file),
            toml::Value::Table(_) => value.clone().try_into::<Source>().map_err(|e| {
                let message = e.message().trim().to_string();
                let hint = crate::diagnostic::unknown_key_hint(&message);
                (message, hint)
            })?,
            other => return Err((format!("must be a file name or a table, not `{other}`"), None)),
        };
        source.check(known_columns)?;
        Ok(source)
    }

    /// Checks what serde cannot: a known encoding and delimiter, our names in `columns`, a date
    /// format chrono can use.
    fn check(&self, known_columns: &[&str]) -> Result<(), (String, Option<String>)> {
        self.check_workbook_keys()?;
        if self.encoding != "auto" && Encoding::for_label(self.encoding.as_bytes()).is_none() {
            return Err((
                format!("`encoding`: `{}` is not a text encoding", self.encoding),
                Some(
                    "use `auto`, `utf-8`, `windows-1251`, `windows-1252`, `koi8-r`, `x-mac-cyrillic`, `macintosh`, …"
                        .into(),
                ),
            ));
        }
        if self.delimiter != "auto" && delimiter_byte(&self.delimiter).is_none() {
            return Err((
                format!("`delimiter`: `{}` is not a delimiter", self.delimiter),
                Some("use `auto`, \",\", \";\", \"\\t\" or \"|\"".into()),
            ));
        }
        if let Some(ours) = self.columns.keys().find(|k| !known_columns.contains(&k.as_str())) {
            let named = crate::input::header::column_named(ours, known_columns);
            let hint = named
                .or_else(|| typo_of(ours, known_columns.iter().copied()))
                .map(|c| format!("did you mean `{c}`?"))
                .or_else(|| Some(format!("the columns are `{}`", known_columns.join("`, `"))));
            return Err((format!("`columns`: `{ours}` is not one of our column names"), hint));
        }
        self.check_recoding(known_columns)?;
        if let Some(format) = &self.date_format
            && chrono::NaiveDate::parse_from_str("", format)
                .is_err_and(|e| e.kind() == chrono::format::ParseErrorKind::BadFormat)
        {
            return Err((format!("`date_format`: `{format}` is not a date format"), Some("e.g. \"%m/%d/%Y\"".into())));
        }
        Ok(())
    }

    /// Whether the file is a workbook (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods`), read by sheet
    /// and cell rather than as text.
    pub fn is_workbook(&self) -> bool {
        crate::input::workbook::is_workbook(&self.file)
    }

    /// `sheet` and `header_row` are for workbooks only, and a header row is counted from 1.
    fn check_workbook_keys(&self) -> Result<(), (String, Option<String>)> {
        let key = if self.sheet.is_some() { Some("sheet") } else { self.header_row.map(|_| "header_row") };
        if let (Some(key), false) = (key, self.is_workbook()) {
            return Err((
                format!("`{key}`: `{}` is not a workbook, so it has no sheets or header row to choose", self.file),
                Some("`sheet` and `header_row` are for .xlsx, .xlsm, .xls, .xlsb and .ods files".into()),
            ));
        }
        if self.header_row == Some(0) {
            return Err(("`header_row`: rows are counted from 1".into(), None));
        }
        Ok(())
    }

    /// Checks `values`, `fixed` and `unknown` as far as they do not depend on a column's kind of
    /// value: our column names, no fixed value for a column the file is mapped to or whose values
    /// are recoded, no fixed `id`, no two keys that match the same cells.
    fn check_recoding(&self, known_columns: &[&str]) -> Result<(), (String, Option<String>)> {
        let known = |table: &str, ours: &str| -> Result<(), (String, Option<String>)> {
            if known_columns.contains(&ours) {
                return Ok(());
            }
            let hint = typo_of(ours, known_columns.iter().copied())
                .map(|c| format!("did you mean `{c}`?"))
                .or_else(|| Some(format!("the columns are `{}`", known_columns.join("`, `"))));
            Err((format!("`{table}`: `{ours}` is not one of our column names"), hint))
        };
        for (ours, map) in &self.values {
            known("values", ours)?;
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for key in map.keys() {
                if let Some(first) = seen.insert(match_key(key), key) {
                    return Err((
                        format!("`values`: `{first}` and `{key}` under `{ours}` match the same cells"),
                        Some("cells are matched ignoring case and the spaces around them: keep one".into()),
                    ));
                }
            }
        }
        for ours in self.fixed.keys() {
            known("fixed", ours)?;
            if ours == "id" {
                return Err((
                    "`fixed`: `id` cannot be fixed: every incident would have the same id".into(),
                    Some("leave the id out: without an `id` column incidents are named by line".into()),
                ));
            }
            if let Some(header) = self.columns.get(ours) {
                return Err((
                    format!("`fixed`: `{ours}` is also mapped to the file's `{header}` in `columns`"),
                    Some("a fixed value is for a column the file lacks: remove one of the two".into()),
                ));
            }
            if self.values.contains_key(ours) {
                return Err((
                    format!("`fixed`: `{ours}` has a fixed value, so its `values` recode nothing"),
                    Some("remove one of the two".into()),
                ));
            }
        }
        if let Some(blank) = self.unknown.iter().find(|m| m.trim().is_empty()) {
            return Err((format!("`unknown`: `{blank}` is blank; blank cells are already \"not stated\""), None));
        }
        Ok(())
    }

    /// The file's header for our column `name`.
    pub fn header_for<'a>(&'a self, name: &'a str) -> &'a str {
        self.columns.get(name).map_or(name, String::as_str)
    }
}

/// The form of a `values` key or `unknown` marker that cells are matched against: trimmed and
/// lowercase, so `Riots`, `riots` and ` RIOTS ` are one key.
pub fn match_key(value: &str) -> String {
    value.trim().to_lowercase()
}

/// The delimiter a setting names.
pub fn delimiter_byte(setting: &str) -> Option<u8> {
    match setting {
        "," => Some(b','),
        ";" => Some(b';'),
        "\t" | "\\t" | "tab" => Some(b'\t'),
        "|" => Some(b'|'),
        _ => None,
    }
}

/// The delimiter of a CSV text: the candidate most frequent in its first line (outside quotes).
pub fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(slot) = counts.iter_mut().find(|(d, _)| *d == b) {
            slot.1 += 1;
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).filter(|(_, n)| *n > 0).map_or(b',', |(d, _)| *d)
}

/// Text decoded from a file's bytes, and the encoding it was in.
pub struct Decoded<'a> {
    /// The text (borrowed when the file was already UTF-8).
    pub text: Cow<'a, str>,
    /// The encoding's name, e.g. `UTF-8` or `windows-1251`.
    pub encoding: &'static str,
}

/// Whether a file whose first block is `first` can be read as UTF-8 a block at a time (each
/// row's bytes checked as it is parsed), rather than decoded whole: it has a UTF-8 byte-order
/// mark, or `utf-8` is named, or with `auto` its first block is UTF-8 (perhaps cut short).
pub fn streams_as_utf8(first: &[u8], setting: &str) -> bool {
    if let Some((encoding, _)) = Encoding::for_bom(first) {
        return encoding == encoding_rs::UTF_8;
    }
    if setting != "auto" {
        return Encoding::for_label(setting.as_bytes()) == Some(encoding_rs::UTF_8);
    }
    if utf16_without_bom(first).is_some() {
        return false;
    }
    match std::str::from_utf8(first) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// UTF-16 written without a byte-order mark, told by its zero bytes: text in Latin or Cyrillic
/// letters has a zero (or a 0x04) in every other byte, which no 8-bit encoding has. ASCII NULs
/// would also pass as UTF-8 and be refused as binary.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |offset: usize| sample.iter().skip(offset).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    match (even * 10 >= pairs * 3, odd * 10 >= pairs * 3) {
        (false, true) => Some(encoding_rs::UTF_16LE),
        (true, false) => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// Decodes a file: a byte-order mark wins; with `auto`, valid UTF-8 is UTF-8 and anything else is
/// guessed (chardetng, Firefox's detector); a named encoding is used as named.
pub fn decode<'a>(bytes: &'a [u8], setting: &str) -> Result<Decoded<'a>, std::str::Utf8Error> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok(Decoded { text, encoding: encoding.name() });
    }
    let named = (setting != "auto").then(|| Encoding::for_label(setting.as_bytes())).flatten();
    let encoding = match named.or_else(|| utf16_without_bom(bytes)) {
        Some(e) => e,
        None => match std::str::from_utf8(bytes) {
            Ok(text) => return Ok(Decoded { text: Cow::Borrowed(text), encoding: "UTF-8" }),
            Err(_) => {
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(bytes, true);
                detector.guess(None, false)
            }
        },
    };
    if encoding == encoding_rs::UTF_8 {
        return std::str::from_utf8(bytes).map(|text| Decoded { text: Cow::Borrowed(text), encoding: "UTF-8" });
    }
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(Decoded { text, encoding: encoding.name() })
}

/// How many line ends `range` of `text` holds: `\n`, `\r\n` or a `\r` alone (old Mac files).
pub fn line_breaks(text: &[u8], range: std::ops::Range<usize>) -> usize {
    let newlines = memchr::memchr_iter(b'\n', &text[range.clone()]).count();
    // A `\r` counts only alone: most files have none, or only before `\n`.
    let lone = memchr::memchr_iter(b'\r', &text[range.clone()])
        .filter(|&i| text.get(range.start + i + 1) != Some(&b'\n'))
        .count();
    newlines + lone
}

/// The place of the first byte that is not UTF-8, `bad`, on `line` of `text`: its character
/// column, and the line shown with the bad bytes replaced (U+FFFD) and underlined.
pub fn not_utf8_place(text: &[u8], bad: usize, line: usize) -> Place {
    let bad = bad.min(text.len());
    let line_start = text[..bad].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1);
    let line_end = text[bad..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(text.len(), |i| bad + i);
    let prefix = String::from_utf8_lossy(&text[line_start..bad]);
    let shown = String::from_utf8_lossy(&text[line_start..line_end]).into_owned();
    let width = shown[prefix.len()..].chars().next().map_or(0, char::len_utf8);
    let span = prefix.len()..prefix.len() + width;
    Place {
        line,
        column: prefix.chars().count() + 1,
        field: None,
        header: None,
        snippet: Some(Snippet { text: shown, span }),
        sheet: None,
    }
}

/// The error for a data table that is not UTF-8 (or not in the encoding report.toml names), at
/// its first bad byte: `place`, from [`not_utf8_place`].
pub fn table_not_utf8(file: &str, place: Place) -> Diagnostic {
    Diagnostic::error_at(file, place, "the file is not UTF-8 text")
        .with_hint("save it from the spreadsheet as \"CSV UTF-8\", or name its `encoding` in report.toml [data]")
}

/// The error for a text file that is not UTF-8, at the line and character column of its first
/// bad byte (`valid` bytes are good), with a hint to save it as UTF-8.
pub fn not_utf8(file: &str, bytes: &[u8], valid: usize) -> Diagnostic {
    let utf16 = Encoding::for_bom(bytes).map(|(e, _)| e).or_else(|| utf16_without_bom(bytes));
    if let Some(encoding) = utf16.filter(|e| *e != encoding_rs::UTF_8) {
        return Diagnostic::error(file, 0, 0, format!("the file is {} text, not UTF-8", encoding.name()))
            .with_hint("open it in a text editor and save it with the encoding UTF-8");
    }
    let line = line_breaks(bytes, 0..valid.min(bytes.len())) + 1;
    Diagnostic::error_at(
        file,
        not_utf8_place(bytes, valid, line),
        "the file is not UTF-8 text (it may be saved as Windows-1251 or another legacy encoding)",
    )
    .with_hint("open it in a text editor and save it with the encoding UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1251_is_recognised_and_decoded() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Дата;Город;Задержано\n12.06.2018;Москва;около 100\n");
        let decoded = decode(&bytes, "auto").unwrap();
        assert_eq!(decoded.encoding, "windows-1251");
        assert!(decoded.text.starts_with("Дата;Город"));
        assert_eq!(sniff_delimiter(&decoded.text), b';');
    }

    #[test]
    fn utf8_is_borrowed_and_a_bom_wins() {
        let decoded = decode("id,date".as_bytes(), "auto").unwrap();
        assert!(matches!(decoded.text, Cow::Borrowed(_)));
        let decoded = decode(b"\xef\xbb\xbfid,date", "windows-1251").unwrap();
        assert_eq!((decoded.text.as_ref(), decoded.encoding), ("id,date", "UTF-8"));
    }

    #[test]
    fn settings_are_checked() {
        let columns = ["id", "date"];
        let value: toml::Value = toml::from_str("file = \"a.csv\"\nencoding = \"cp-9999\"").unwrap();
        assert!(Source::from_toml(&value, &columns).unwrap_err().0.contains("`cp-9999` is not a text encoding"));
        let value: toml::Value = toml::from_str("file = \"a.csv\"\n[columns]\ndetaned = \"Задержано\"").unwrap();
        let (message, hint) = Source::from_toml(&value, &["id", "date", "detained"]).unwrap_err();
        assert_eq!(
            (message.as_str(), hint.as_deref()),
            ("`columns`: `detaned` is not one of our column names", Some("did you mean `detained`?"))
        );
        // A short word is not taken for a longer name: the names are listed instead.
        let value: toml::Value = toml::from_str("file = \"a.csv\"\n[columns]\ndat = \"Дата\"").unwrap();
        assert_eq!(Source::from_toml(&value, &columns).unwrap_err().1.as_deref(), Some("the columns are `id`, `date`"));
        let value: toml::Value = toml::from_str("file = \"a.csv\"\nencodng = \"utf-8\"").unwrap();
        assert_eq!(Source::from_toml(&value, &columns).unwrap_err().1.as_deref(), Some("did you mean `encoding`?"));
        assert_eq!(Source::from_toml(&toml::Value::String("x.csv".into()), &columns).unwrap(), Source::plain("x.csv"));
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("a,\"b;c;d\",e\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("single"), b',');
    }
}

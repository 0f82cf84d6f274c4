//! An incident's `sources` cell: the references it lists, each a link (`https://…`) or a name
//! (`Interfax`, `Local Source`) that is shown as text, never made a link.

/// The entries of a `sources` cell, trimmed, in order: split at `;` and line breaks, and a run
/// of links separated by spaces or commas (`https://a.org/1, https://b.org/2`) split into each
/// link. Other text stays one entry (`ITAR-TASS, Interfax` is one name list, shown as written).
pub fn entries(cell: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in cell.split([';', '\n', '\r']).map(str::trim).filter(|p| !p.is_empty()) {
        let words: Vec<&str> = piece.split([' ', ',', '\t']).filter(|w| !w.is_empty()).collect();
        if words.len() > 1 && words.iter().all(|w| is_link(w)) {
            out.extend(words);
        } else {
            out.push(piece);
        }
    }
    out
}

/// Whether `entry` is a web address a reader's PDF viewer can open: `http://` or `https://`
/// (any case) and a host, without spaces.
pub fn is_link(entry: &str) -> bool {
    // Compared without a lowercase copy: this runs for every incident's sources.
    let scheme = |s: &str| entry.as_bytes().get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s.as_bytes()));
    let rest = if scheme("https://") {
        &entry[8..]
    } else if scheme("http://") {
        &entry[7..]
    } else {
        return false;
    };
    // The host is what comes before the first `/`, `?` or `#`.
    let has_host = rest.bytes().next().is_some_and(|b| !matches!(b, b'/' | b'?' | b'#'));
    // White space is an ASCII byte, or a character whose first byte is one of these four.
    // Every byte looked at without stopping early, which the compiler vectorises; a byte up to
    // b' ' (control characters too) only asks for the closer look.
    let maybe_space =
        entry.bytes().fold(false, |seen, b| seen | (b <= b' ') | (b == 0xc2) | (b.wrapping_sub(0xe1) < 3));
    has_host && !(maybe_space && entry.chars().any(char::is_whitespace))
}

/// The link an entry points to: the entry itself when it is a link, else the one link written
/// in it (`Interfax, https://interfax.ru/1`); `None` for a name.
pub fn link_of(entry: &str) -> Option<&str> {
    if is_link(entry) {
        return Some(entry);
    }
    let mut links = entry.split([' ', ',', '(', ')', '<', '>']).filter(|w| is_link(w));
    match (links.next(), links.next()) {
        (Some(link), None) => Some(link),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_entries_and_links_are_split() {
        assert_eq!(entries("Local Source; Interfax"), ["Local Source", "Interfax"]);
        assert_eq!(entries("ITAR-TASS"), ["ITAR-TASS"]);
        assert_eq!(entries("http://a.org/1; http://b.org/2"), ["http://a.org/1", "http://b.org/2"]);
        assert_eq!(
            entries("https://a.org/1, https://b.org/2\nhttps://c.org"),
            ["https://a.org/1", "https://b.org/2", "https://c.org"]
        );
        assert_eq!(entries("Kommersant, Novaya Gazeta;;"), ["Kommersant, Novaya Gazeta"]);
        assert!(entries(" ; ").is_empty());
    }

    #[test]
    fn a_link_with_any_white_space_in_it_is_no_link() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let (entry, upper) = (format!("https://a.org/{c}x"), format!("HTTP://a.org/x{c}"));
            assert_eq!(is_link(&entry), !c.is_whitespace(), "{entry:?}");
            assert_eq!(is_link(&upper), !c.is_whitespace(), "{upper:?}");
        }
    }

    #[test]
    fn only_web_addresses_are_links() {
        for link in ["https://ovd.info/news/1", "http://a.kz", "HTTPS://A.ORG/x?y=1"] {
            assert!(is_link(link), "{link}");
        }
        for name in [
            "Interfax",
            "Local Source",
            "ITAR-TASS",
            "www.example.org",
            "ovd.info/x",
            "https://",
            "https:// x",
            "mailto:a@b.c",
        ] {
            assert!(!is_link(name), "{name}");
            assert_eq!(link_of(name), None, "{name}");
        }
        assert_eq!(link_of("Interfax, https://interfax.ru/1"), Some("https://interfax.ru/1"));
        assert_eq!(link_of("https://a.org and https://b.org"), None);
    }
}

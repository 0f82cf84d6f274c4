//! Text helpers every stage shares.

/// `text` without the white space around it, exactly as [`str::trim`] gives it. Most cells begin
/// and end with a character that is not white space: only those two are looked at then, where
/// [`str::trim`] makes a call that took a tenth of the time of reading a count.
#[inline]
pub fn trim(text: &str) -> &str {
    let plain = |c: Option<char>| c.is_none_or(|c| !c.is_whitespace());
    if plain(text.chars().next()) && plain(text.chars().next_back()) { text } else { text.trim() }
}

/// How many characters the UTF-8 `bytes` hold: the bytes that do not continue a character
/// (`0b10xxxxxx`), counted eight at a time.
#[inline]
pub fn chars_in(bytes: &[u8]) -> usize {
    let highs = u64::from_le_bytes([0x80; 8]);
    // A byte's top bit set and the next one down clear: bit 6 moved up to bit 7 of its byte.
    let continuing = |v: u64| (v & !(v << 1) & highs).count_ones() as usize;
    let words = bytes.chunks_exact(8);
    let rest = words.remainder().iter().filter(|&&b| b & 0xc0 == 0x80).count();
    let continued: usize = words.map(|w| continuing(u64::from_le_bytes(w.try_into().unwrap_or_default()))).sum();
    bytes.len() - continued - rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_agrees_with_str_trim_for_every_character_at_either_end() {
        // Every scalar value, alone and beside a letter of 1 to 4 bytes on either side.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            for text in [
                c.to_string(),
                format!("{c}a"),
                format!("a{c}"),
                format!("{c}ж"),
                format!("ж{c}"),
                format!("{c}€"),
                format!("€{c}"),
                format!("{c}𝄞"),
                format!("𝄞{c}"),
                format!(" {c} "),
            ] {
                assert_eq!(trim(&text), text.trim(), "{text:?}");
                assert_eq!(chars_in(text.as_bytes()), text.chars().count(), "{text:?}");
            }
        }
        assert_eq!(trim(""), "");
    }
}

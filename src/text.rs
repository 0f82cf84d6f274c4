//! Text helpers every stage shares.

/// `text` without the white space around it, exactly as [`str::trim`] gives it. Most cells begin
/// and end with a character that is not white space: only those two are looked at then, where
/// [`str::trim`] makes a call that took a tenth of the time of reading a count.
#[inline(always)]
pub fn trim(text: &str) -> &str {
    // First from the bytes alone: a printable ASCII character, or one of two bytes led by
    // 0xc3–0xdf (U+00C0–U+07FF: Latin, Greek, Cyrillic, …, none of them white space), is not
    // white space. White space outside ASCII starts with 0xc2, 0xe1, 0xe2 or 0xe3.
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return text };
    let printable = |b: u8| (0x21..0x80).contains(&b);
    let two_byte_lead = |b: u8| (0xc3..=0xdf).contains(&b);
    let first_plain = printable(first) || two_byte_lead(first);
    let last_plain = printable(last) || (last >= 0x80 && bytes.len() >= 2 && two_byte_lead(bytes[bytes.len() - 2]));
    if first_plain && last_plain {
        return text;
    }
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

/// Whether any of `bytes` is below 0x20, 0x7f or 0xc2: the bytes a control character starts
/// with in UTF-8 (a cell holding none needs no closer look). Long cells are looked at 32 bytes
/// at a time (the compiler vectorises the loop); their last bytes, and short cells, eight at a
/// time, as one 64-bit word, the last word overlapping the one before it.
#[inline]
pub fn may_hold_control(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    // A zero byte in `x`: the exact test, as a borrow starts only at a byte that is zero.
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    // Likewise a byte below 0x20: subtracting 0x20 borrows from it, and its top bit is clear.
    let suspect = |w: u64| {
        (w.wrapping_sub(ONES * 0x20) & !w & HIGHS != 0) | zero_in(w ^ (ONES * 0x7f)) | zero_in(w ^ (ONES * 0xc2))
    };
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([b'a'; 8]));
    let n = bytes.len();
    if n < 8 {
        let mut padded = [b'a'; 8];
        padded[..n].copy_from_slice(bytes);
        return suspect(u64::from_le_bytes(padded));
    }
    let bulk = if n >= 32 { n & !31 } else { 0 };
    let seen = bytes[..bulk].iter().fold(false, |seen, &b| seen | (b < 0x20) | (b == 0x7f) | (b == 0xc2));
    let words = bytes[bulk..].chunks_exact(8).fold(false, |seen, w| seen | suspect(word(w)));
    seen | words | suspect(word(&bytes[n - 8..]))
}

/// Whether `text` holds a control character other than a tab or a line break (what no
/// document can show): a byte below 0x20 but `\t`, `\n` and `\r`, 0x7f, or U+0080–U+009F
/// (0xc2 then 0x80–0x9f). The single bytes are looked at without stopping early, which the
/// compiler vectorises, and each 0xc2 is found with memchr: a whole chunk of a file costs
/// less than its cells one by one.
pub fn holds_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    let control = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0x7f);
    bytes.iter().fold(false, |seen, &b| seen | control(b))
        || memchr::memchr_iter(0xc2, bytes).any(|i| bytes.get(i + 1).is_some_and(|&next| next < 0xa0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_is_trimmed_counted_and_judged_as_the_standard_library_does() {
        let controlled = |text: &str| text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
        // Every scalar value, alone and beside a letter of 1 to 4 bytes on either side, between
        // quotes and after a long Cyrillic word.
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
                format!("«{c}»"),
                format!("{}{c}x", "я".repeat(20)),
            ] {
                assert_eq!(trim(&text), text.trim(), "{text:?}");
                assert_eq!(chars_in(text.as_bytes()), text.chars().count(), "{text:?}");
                assert_eq!(holds_control(&text), controlled(&text), "{text:?}");
            }
        }
        assert_eq!(trim(""), "");
        assert!(!holds_control(""));
    }

    proptest::proptest! {
        #[test]
        fn control_bytes_are_found_wherever_they_are(
            bytes in proptest::collection::vec(proptest::sample::select(vec![b'a', 0xd0, 0xb0, 0x20, 0x1f, 0x00, 0x7f, 0xc2, 0x80, 0xff, 0x21, 0x7e, 0xc1, 0xc3]), 0..80)
        ) {
            let exact = bytes.iter().any(|&b| b < 0x20 || b == 0x7f || b == 0xc2);
            proptest::prop_assert_eq!(may_hold_control(&bytes), exact, "{:?}", bytes);
        }
    }

    #[test]
    fn every_byte_value_is_judged_in_every_place() {
        for len in 0..70 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let exact = b < 0x20 || b == 0x7f || b == 0xc2;
                    assert_eq!(may_hold_control(&bytes), exact, "{b:#x} at {at} of {len}");
                }
            }
        }
    }
}

//! A long document in volumes: which incidents each volume lists and what its file is called.
//!
//! An audience with `incidents_per_volume` (the annex: 2 000) whose report has more incidents
//! than that is laid out in volumes of balanced size, each its own PDF, one at a time, so the
//! memory a build needs is that of one volume. Volume 2 of `out/annex.pdf` is
//! `out/annex-part-2.pdf`.

use std::path::{Path, PathBuf};

/// One volume of a document split into several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volume {
    /// Its number, from 1.
    pub number: usize,
    /// How many volumes there are.
    pub of: usize,
    /// The position of its first incident in date order, from 0.
    pub first: usize,
    /// The position after its last incident.
    pub end: usize,
    /// How many incidents all volumes list together.
    pub total: usize,
}

/// The volumes a document of `total` incidents is laid out in, at most `per_volume` each: one
/// `None` (the whole document) when it fits in one, else volumes whose sizes differ by at most
/// one incident.
pub fn plan(total: usize, per_volume: Option<usize>) -> Vec<Option<Volume>> {
    let Some(per_volume) = per_volume.filter(|&n| n > 0 && total > n) else { return vec![None] };
    let of = total.div_ceil(per_volume);
    let (size, longer) = (total / of, total % of);
    let mut first = 0;
    (1..=of)
        .map(|number| {
            let end = first + size + usize::from(number <= longer);
            let volume = Volume { number, of, first, end, total };
            first = end;
            Some(volume)
        })
        .collect()
}

/// The file of volume `number` of the document that would be written to `base`:
/// `out/annex.pdf` → `out/annex-part-2.pdf`.
pub fn path(base: &Path, number: usize) -> PathBuf {
    let stem = base.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = match base.extension() {
        Some(ext) => format!("{stem}-part-{number}.{}", ext.to_string_lossy()),
        None => format!("{stem}-part-{number}"),
    };
    base.with_file_name(name)
}

/// The volume number of `file` if it is a volume file of the document written to `base`
/// (`annex-part-7.pdf` of `annex.pdf` → 7).
pub fn number_of(base: &Path, file: &Path) -> Option<usize> {
    let name = file.file_name()?.to_str()?;
    let stem = base.file_stem()?.to_str()?;
    let rest = name.strip_prefix(stem)?.strip_prefix("-part-")?;
    let digits = match base.extension().and_then(|e| e.to_str()) {
        Some(ext) => rest.strip_suffix(ext)?.strip_suffix('.')?,
        None => rest,
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volumes_are_balanced_and_cover_every_incident_once() {
        assert_eq!(plan(2000, Some(2000)), [None]);
        assert_eq!(plan(10, None), [None]);
        let volumes: Vec<Volume> = plan(4001, Some(2000)).into_iter().flatten().collect();
        let ranges: Vec<(usize, usize, usize)> = volumes.iter().map(|v| (v.number, v.first, v.end)).collect();
        assert_eq!(ranges, [(1, 0, 1334), (2, 1334, 2668), (3, 2668, 4001)]);
        assert!(volumes.iter().all(|v| v.of == 3 && v.total == 4001));
    }

    #[test]
    fn volume_files_are_named_after_the_document() {
        let base = Path::new("out/annex.pdf");
        assert_eq!(path(base, 2), PathBuf::from("out/annex-part-2.pdf"));
        assert_eq!(number_of(base, Path::new("out/annex-part-17.pdf")), Some(17));
        assert_eq!(number_of(base, Path::new("out/annex-part-.pdf")), None);
        assert_eq!(number_of(base, Path::new("out/annex-part-2.png")), None);
        assert_eq!(number_of(base, Path::new("out/annex.pdf")), None);
        assert_eq!(number_of(base, Path::new("out/press-part-2.pdf")), None);
    }
}

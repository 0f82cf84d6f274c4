//! What a build writes: the PDF (optionally to an archival standard), or page previews as PNG or
//! SVG, for all pages or a selection; a long document in volumes ([`volumes`]), with the lists
//! it shows made once for all of them ([`lists`]).

pub mod volumes;
pub mod lists;
pub mod output;
pub mod render;

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use typst::layout::PageRanges;
use typst_layout::PagedDocument;
use typst_pdf::{PdfStandard, PdfStandards};

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// One PDF document.
    #[default]
    Pdf,
    /// One PNG image per page.
    Png,
    /// One SVG image per page.
    Svg,
}

/// PDF standards a build can be asked to conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Standard {
    /// PDF/A-2b, for archiving.
    #[value(name = "a-2b")]
    A2b,
    /// PDF/A-3b, for archiving with attachments.
    #[value(name = "a-3b")]
    A3b,
    /// PDF/UA-1, for accessibility (the template must satisfy it).
    #[value(name = "ua-1")]
    Ua1,
}

/// Selected pages: 1-based inclusive ranges, either end open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pages(pub Vec<(Option<usize>, Option<usize>)>);

/// How to export a compiled document.
#[derive(Debug, Clone)]
pub struct Export {
    /// PDF, PNG or SVG.
    pub format: Format,
    /// Which pages (all when `None`).
    pub pages: Option<Pages>,
    /// Pixels per inch of PNG previews.
    pub ppi: f32,
    /// PDF standards to conform to.
    pub standards: Vec<Standard>,
}

/// Pixels per inch of PNG previews when none is asked for (the command line's default too).
pub const DEFAULT_PPI: f32 = 144.0;

impl Default for Export {
    /// A whole PDF, to no standard; PNG previews at [`DEFAULT_PPI`].
    fn default() -> Self {
        Export { format: Format::Pdf, pages: None, ppi: DEFAULT_PPI, standards: Vec::new() }
    }
}

impl Export {
    /// The page ranges Typst takes.
    pub fn page_ranges(&self) -> Option<PageRanges> {
        let ranges = self.pages.as_ref()?;
        let nz = |n: Option<usize>| n.and_then(NonZeroUsize::new);
        Some(PageRanges::new(ranges.0.iter().map(|&(a, b)| nz(a)..=nz(b)).collect()))
    }

    /// The PDF standards Typst takes.
    pub fn pdf_standards(&self) -> Result<PdfStandards, String> {
        let list: Vec<PdfStandard> = self
            .standards
            .iter()
            .map(|s| match s {
                Standard::A2b => PdfStandard::A_2b,
                Standard::A3b => PdfStandard::A_3b,
                Standard::Ua1 => PdfStandard::Ua_1,
            })
            .collect();
        PdfStandards::new(&list).map_err(|e| e.message().to_string())
    }

    /// The images of the selected pages, each with its 1-based page number; fails when no page is
    /// selected or a page cannot be encoded as PNG.
    pub fn images(&self, document: &PagedDocument) -> Result<Vec<(usize, Vec<u8>)>, String> {
        let ranges = self.page_ranges();
        let count = document.pages().len();
        if !(0..count).any(|i| ranges.as_ref().is_none_or(|r| r.includes_page_index(i))) {
            return Err(format!("`--pages` selects none of the document's {count} pages"));
        }
        let ranges = self.page_ranges();
        let selected = document
            .pages()
            .iter()
            .enumerate()
            .filter(|(i, _)| ranges.as_ref().is_none_or(|r| r.includes_page_index(*i)));
        selected
            .map(|(i, page)| {
                let bytes = match self.format {
                    Format::Svg => typst_svg::svg(page, &typst_svg::SvgOptions::default()).into_bytes(),
                    _ => {
                        let options = typst_render::RenderOptions {
                            pixel_per_pt: typst::utils::Scalar::new(f64::from(self.ppi) / 72.0),
                            ..Default::default()
                        };
                        typst_render::render(page, &options)
                            .encode_png()
                            .map_err(|e| format!("cannot encode page {} as PNG at {} ppi: {e}", i + 1, self.ppi))?
                    }
                };
                Ok((i + 1, bytes))
            })
            .collect()
    }

    /// The file a page goes to: `out/NAME.pdf`, or for images `out/NAME-3.png` (a `{p}` in a
    /// given path is replaced by the page number).
    pub fn path_for(&self, base: &Path, page: Option<usize>, several: bool) -> PathBuf {
        let extension = match self.format {
            Format::Pdf => "pdf",
            Format::Png => "png",
            Format::Svg => "svg",
        };
        let text = base.to_string_lossy();
        let Some(page) = page else { return base.to_path_buf() };
        if text.contains("{p}") {
            return PathBuf::from(text.replace("{p}", &page.to_string()));
        }
        let stem = base.with_extension("");
        if several || base.extension().is_none_or(|e| e == "pdf") {
            PathBuf::from(format!("{}-{page}.{extension}", stem.display()))
        } else {
            base.to_path_buf()
        }
    }
}

/// Reads `--pages`: `1-2,5,7-` (1-based, inclusive).
pub fn parse_pages(text: &str) -> Result<Pages, String> {
    let number = |s: &str| -> Result<Option<usize>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<usize>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(format!("`{s}` is not a page number (pages count from 1)")),
        }
    };
    text.split(',')
        .map(|part| match part.split_once('-') {
            Some((a, b)) => match (number(a)?, number(b)?) {
                (Some(a), Some(b)) if a > b => {
                    Err(format!("`{}` runs backwards: write the first page first", part.trim()))
                }
                range => Ok(range),
            },
            None => number(part).and_then(|n| n.map(|n| (Some(n), Some(n))).ok_or_else(|| "a page is missing".into())),
        })
        .collect::<Result<Vec<_>, String>>()
        .map(Pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_as_people_write_them() {
        assert_eq!(parse_pages("1-2,5,7-").unwrap().0, [(Some(1), Some(2)), (Some(5), Some(5)), (Some(7), None)]);
        assert!(parse_pages("0").is_err());
        assert!(parse_pages("a-b").is_err());
    }

    #[test]
    fn image_paths_number_the_pages() {
        let png = Export { format: Format::Png, ..Export::default() };
        assert_eq!(png.path_for(Path::new("out/osce.pdf"), Some(2), true), PathBuf::from("out/osce-2.png"));
        assert_eq!(png.path_for(Path::new("p{p}.png"), Some(3), true), PathBuf::from("p3.png"));
        assert_eq!(png.path_for(Path::new("one.png"), Some(1), false), PathBuf::from("one.png"));
    }
}

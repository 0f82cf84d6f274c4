//! The plain-Typst approach, as `typst compile FILE` does it: the folder as root, embedded fonts,
//! every file read from disk, the document exported as PDF. Same typst 0.15 engine as ours.

use std::path::Path;
use std::sync::LazyLock;

use typst::diag::FileResult;
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::files::{FileLoader, FileStore, FsRoot};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

static FONTS: LazyLock<FontStore> = LazyLock::new(|| {
    let mut fonts = FontStore::new();
    fonts.extend(typst_kit::fonts::embedded());
    fonts
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));

struct Folder(FsRoot);

impl FileLoader for Folder {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        self.0.load(id.vpath())
    }
}

struct PlainWorld {
    main: FileId,
    files: FileStore<Folder>,
}

impl World for PlainWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }
    fn book(&self) -> &LazyHash<FontBook> {
        FONTS.book()
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        self.files.source(id)
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }
    fn font(&self, index: usize) -> Option<Font> {
        FONTS.font(index)
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(2012, 12, 31)
    }
}

/// Compiles `dir/file` to a PDF at `out`; panics with Typst's errors if the document has any.
pub fn compile(dir: &Path, file: &str, out: &Path) {
    let main = RootedPath::new(VirtualRoot::Project, VirtualPath::new(file).expect("a plain path")).intern();
    let root = dir.canonicalize().expect("the folder exists");
    let world = PlainWorld { main, files: FileStore::new(Folder(FsRoot::new(root))) };
    let document = typst::compile::<PagedDocument>(&world).output.unwrap_or_else(|errors| {
        panic!("{file}: {:?}", errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>())
    });
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).expect("PDF export");
    std::fs::write(out, pdf).expect("PDF written");
}

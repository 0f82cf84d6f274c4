//! The Typst world a report is compiled in: embedded fonts only, the report folder as the only
//! readable root (no escape through `..` or symlinks), built-in templates and the data module
//! served from memory, and a fixed date.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult, PackageError, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::package::PackageSpec;
use typst::syntax::{DiagSpan, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::files::{FileLoader, FileStore, FsRoot};
use typst_kit::fonts::FontStore;

use crate::date::Date;
use crate::template::builtin;

/// Where a report keeps the Typst packages its templates import: `packages/NAMESPACE/NAME/VERSION/`.
pub const PACKAGES_FOLDER: &str = "packages";

/// The package spec of the data module templates import.
pub const DATA_PACKAGE: &str = "@osce/report:0.1.0";

/// The fonts every build uses: those embedded in the binary, loaded once per process.
static FONTS: LazyLock<Arc<FontStore>> = LazyLock::new(|| {
    let mut fonts = FontStore::new();
    fonts.extend(typst_kit::fonts::embedded());
    Arc::new(fonts)
});

/// The standard library, built once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// A file of the data package made only when a template reads it.
pub type LazyFile = Arc<dyn Fn() -> FileResult<Bytes> + Send + Sync>;

/// Serves files: memory first (built-in templates, the data module), then the report folder.
struct Loader {
    /// The report folder.
    root: FsRoot,
    /// The report folder with symlinks resolved, to check that no file leads out of it.
    canonical_root: PathBuf,
    /// Files served from memory.
    memory: HashMap<FileId, Bytes>,
    /// Files made from the report when first read.
    lazy: HashMap<FileId, LazyFile>,
}

impl FileLoader for Loader {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.memory.get(&id) {
            return Ok(bytes.clone());
        }
        if let Some(make) = self.lazy.get(&id) {
            return make();
        }
        match id.root() {
            VirtualRoot::Project => self.load_inside(&self.root, id),
            VirtualRoot::Package(spec) => {
                let folder = format!("{PACKAGES_FOLDER}/{}/{}/{}", spec.namespace, spec.name, spec.version);
                let package = FsRoot::new(self.root.path().join(&folder));
                if !package.path().is_dir() {
                    return Err(FileError::Package(PackageError::Other(Some(
                        format!(
                            "package {spec} is not in the report folder's {folder}/ \
                             (osce-report never downloads packages: copy the package there)"
                        )
                        .into(),
                    ))));
                }
                self.load_inside(&package, id)
            }
        }
    }
}

impl Loader {
    /// Loads a file of `root` (the report folder or a package in it), refusing anything whose
    /// real path, symlinks resolved, lies outside the report folder.
    fn load_inside(&self, root: &FsRoot, id: FileId) -> FileResult<Bytes> {
        let path = root.resolve(id.vpath())?;
        let real = path.canonicalize().map_err(|e| FileError::from_io(e, &path))?;
        if !real.starts_with(&self.canonical_root) {
            return Err(FileError::AccessDenied);
        }
        root.load(id.vpath())
    }
}

/// A world for compiling one audience's document. It may be kept and compiled again after
/// [`ReportWorld::prepare`]: unchanged sources are then not parsed again.
pub struct ReportWorld {
    /// The template's entry file.
    main: FileId,
    /// Loaded files and sources.
    files: FileStore<Loader>,
    /// The report's date, which `datetime.today()` gives.
    today: Datetime,
}

impl ReportWorld {
    /// A world rooted at the report folder `root`, compiling template `template`: the report's
    /// `own`, or else the built-in one. Fails only if the folder cannot be resolved.
    pub fn new(root: &Path, template: &str, own: bool) -> std::io::Result<Self> {
        let canonical_root = root.canonicalize()?;
        let mut memory = HashMap::new();
        if !own {
            for (path, text) in builtin::files(template) {
                memory.insert(project_file(&format!("templates/{template}/{path}")), Bytes::new(text.as_bytes()));
            }
        }
        memory.insert(package("typst.toml"), Bytes::new(DATA_MANIFEST.as_bytes()));
        memory.insert(package("lib.typ"), Bytes::new(DATA_MODULE.as_bytes()));
        let loader = Loader { root: FsRoot::new(canonical_root.clone()), canonical_root, memory, lazy: HashMap::new() };
        Ok(Self {
            main: project_file(&format!("templates/{template}/main.typ")),
            files: FileStore::new(loader),
            today: Datetime::from_ymd(1970, 1, 1).expect("a valid date"),
        })
    }

    /// Readies the world for a compilation with `data` (the JSON of the data interface), the
    /// data package's `lazy` files, each made when a template first reads it, and `today`.
    /// Every file is looked at again; sources that did not change are kept as parsed.
    pub fn prepare(&mut self, data: Vec<u8>, lazy: &[(&str, LazyFile)], today: Date) {
        self.files.reset();
        let loader = self.files.loader_mut();
        loader.memory.insert(package("data.json"), Bytes::new(data));
        loader.lazy = lazy.iter().map(|(path, make)| (package(path), make.clone())).collect();
        self.today = Datetime::from_ymd(today.year, today.month, today.day.unwrap_or(1))
            .unwrap_or(Datetime::from_ymd(1970, 1, 1).expect("a valid date"));
    }

    /// The template this world compiles, and whether it is the report's own.
    pub fn template(&self) -> (&str, bool) {
        let path = self.main.vpath().get_without_slash();
        let name = path.strip_prefix("templates/").and_then(|p| p.strip_suffix("/main.typ")).unwrap_or("");
        (name, !self.files.loader().memory.contains_key(&self.main))
    }

    /// Where a problem should be shown: a problem inside the data package (`fig` asked for a
    /// figure it cannot find) is the caller's, so it is shown at the call in the narrative or
    /// template; any other at its own place.
    pub fn blame(&self, d: &SourceDiagnostic) -> DiagSpan {
        let data_package = package("lib.typ");
        let in_data_package = |span: DiagSpan| span.id().is_some_and(|id| id.root() == data_package.root());
        if !in_data_package(d.span) {
            return d.span;
        }
        let trace = d.trace.iter().map(|t| -> DiagSpan { t.span.into() });
        trace.into_iter().find(|&s| s.id().is_some() && !in_data_package(s)).unwrap_or(d.span)
    }

    /// A file's name for diagnostics: relative to the report folder, or inside the data package.
    pub fn name(&self, id: FileId) -> String {
        match id.root() {
            VirtualRoot::Project => id.vpath().get_without_slash().to_string(),
            VirtualRoot::Package(spec) => format!("{spec}{}", id.vpath().get_with_slash()),
        }
    }
}

impl World for ReportWorld {
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
        Some(self.today)
    }
}

/// The id of a file in the data package.
fn package(path: &str) -> FileId {
    let spec: PackageSpec = DATA_PACKAGE.parse().expect("the data package spec is valid");
    RootedPath::new(VirtualRoot::Package(spec), vpath(path)).intern()
}

/// The id of a file in the report folder.
fn project_file(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, vpath(path)).intern()
}

/// A virtual path from one of our own constant paths.
fn vpath(path: &str) -> VirtualPath {
    VirtualPath::new(path).expect("our own paths are valid virtual paths")
}

/// The manifest of the data package.
const DATA_MANIFEST: &str = r#"[package]
name = "report"
version = "0.1.0"
entrypoint = "lib.typ"
"#;

/// The data module: the report's data and the helpers templates and narrative files use.
const DATA_MODULE: &str = include_str!("../templates/data-module.typ");

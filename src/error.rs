//! Failures that are not about a place in an input file (a file that cannot be read or written,
//! an audience that does not exist, arguments that do not fit together), and exit codes.
//!
//! Problems *in* the input are [`crate::diagnostic::Diagnostic`]s; both are printed by the same
//! renderer ([`Error::to_diagnostic`]).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// How a command ended.
/// Ordered from best to worst, so the status of several builds is the worst of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Done (0).
    Ok,
    /// The input has problems the user must fix (1).
    Invalid,
    /// Wrong usage or an I/O failure (2).
    Failure,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Ok => 0,
            ExitStatus::Invalid => 1,
            ExitStatus::Failure => 2,
        }
    }
}

/// A failure without a place in an input file; every one exits 2.
#[derive(Debug)]
pub enum Error {
    /// A file or folder could not be read.
    Read(PathBuf, io::Error),
    /// A file could not be written.
    Write(PathBuf, io::Error),
    /// The report has no audience of this name; `known` lists those it has.
    UnknownAudience {
        /// The name asked for.
        name: String,
        /// The report's audiences, as "`a`, `b`".
        known: String,
    },
    /// Arguments that cannot be used, or do not fit together (the message says why).
    Usage(String),
    /// Anything else that stops a command before or after the input is read (the message says
    /// what, naming the file in backticks).
    Other(String),
}

impl Error {
    /// A file that cannot be read.
    pub fn read(path: &Path, error: io::Error) -> Self {
        Error::Read(path.to_path_buf(), error)
    }

    /// A file that cannot be written.
    pub fn write(path: &Path, error: io::Error) -> Self {
        Error::Write(path.to_path_buf(), error)
    }

    /// The exit status this failure gives.
    pub fn status(&self) -> ExitStatus {
        ExitStatus::Failure
    }

    /// The failure as a problem without a place, for the one renderer of problems (text or JSON).
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error("", 0, 0, self.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read(path, e) => write!(f, "cannot read `{}`: {e}", path.display()),
            Error::Write(path, e) => write!(f, "cannot write `{}`: {e}", path.display()),
            Error::UnknownAudience { name, known } => {
                write!(f, "there is no audience `{name}` in report.toml (audiences: `{known}`)")
            }
            Error::Usage(message) | Error::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

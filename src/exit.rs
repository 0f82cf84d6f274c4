//! Exit codes.

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

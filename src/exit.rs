//! Exit codes.

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

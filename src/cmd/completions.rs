//! `completions`: shell completions and the man page, generated from the clap definitions.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::cmd::console::Console;
use crate::error::{Error, ExitStatus};

/// Prints completions for `shell`, or the man page for `man`.
pub fn run(shell: &str, console: &mut Console) -> ExitStatus {
    let mut command = Cli::command();
    if shell == "man" {
        return match clap_mangen::Man::new(command).render(console.out) {
            Ok(()) => ExitStatus::Ok,
            Err(e) => console.failure(&Error::Other(format!("cannot print the man page: {e}"))),
        };
    }
    match shell.parse::<Shell>() {
        Ok(shell) => {
            // Made in memory first: clap_complete panics when its output is closed early
            // (`osce-report completions bash | head`); a closed pipe is simply the end here.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "osce-report", &mut script);
            let _ = console.out.write_all(&script);
            ExitStatus::Ok
        }
        Err(_) => console
            .failure(&Error::Other(format!("unknown shell `{shell}` (bash, zsh, fish, elvish, powershell, or man)"))),
    }
}

//! `completions`: shell completions and the man page, generated from the clap definitions.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::build::io_failure;
use crate::cli::Cli;
use crate::console::Console;
use crate::exit::ExitStatus;

/// Prints completions for `shell`, or the man page for `man`.
pub fn run(shell: &str, console: &mut Console) -> ExitStatus {
    let mut command = Cli::command();
    if shell == "man" {
        return match clap_mangen::Man::new(command).render(console.out) {
            Ok(()) => ExitStatus::Ok,
            Err(e) => io_failure(console, &format!("cannot print the man page: {e}")),
        };
    }
    match shell.parse::<Shell>() {
        Ok(shell) => {
            clap_complete::generate(shell, &mut command, "osce-report", console.out);
            ExitStatus::Ok
        }
        Err(_) => {
            io_failure(console, &format!("unknown shell `{shell}` (bash, zsh, fish, elvish, powershell, or man)"))
        }
    }
}

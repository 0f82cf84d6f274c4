//! The `osce-report` command: parse the arguments, run, exit with the status.

use std::process::ExitCode;

use clap::Parser;
use osce_report::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let status = osce_report::run(&cli, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    ExitCode::from(status.code())
}

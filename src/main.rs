//! The `osce-report` command: parse the arguments, run, exit with the status.

use std::process::ExitCode;

use clap::Parser;
use osce_report::cli::{Cli, ColorWhen};
use osce_report::cmd::console::{self, Console};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let color = cli.color.and_then(|c| match c {
        ColorWhen::Auto => None,
        ColorWhen::Always => Some(true),
        ColorWhen::Never => Some(false),
    });
    let verbosity = cli.verbosity();
    osce_report::export::output::clean_up_on_signal();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = console::stderr(color);
    let mut console = Console { out: &mut stdout, err: &mut stderr, verbosity };
    let status = osce_report::run(&cli, &mut console);
    ExitCode::from(status.code())
}

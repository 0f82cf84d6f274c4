//! `config`: print an audience's merged settings as TOML.

use std::fs;
use std::path::Path;

use crate::build::{io_failure, select};
use crate::cli::ConfigArgs;
use crate::config::{CONFIG_FILE, Config};
use crate::console::Console;
use crate::exit::ExitStatus;

/// Runs `config`: reads only `report.toml`, so it works while the data still has errors.
pub fn run(args: &ConfigArgs, console: &mut Console) -> ExitStatus {
    let path = args.report.dir.join(CONFIG_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return io_failure(console, &format!("cannot read `{}`: {e}", path.display())),
    };
    let config = match Config::parse(&text) {
        Ok(c) => c,
        Err(problems) => {
            console.problems(Path::new(&args.report.dir), &problems);
            return ExitStatus::Invalid;
        }
    };
    let audience = match select(&config, args.report.audience.as_deref(), console) {
        Ok(a) => a,
        Err(status) => return status,
    };
    match toml::to_string_pretty(&audience.settings) {
        Ok(text) => {
            let _ = write!(console.out, "# audience `{}` of {}\n{text}", audience.name, path.display());
            ExitStatus::Ok
        }
        Err(e) => io_failure(console, &format!("cannot print the settings: {e}")),
    }
}

//! `config`: print an audience's merged settings as TOML.

use std::fs;
use std::io::Write;

use crate::build::{io_failure, select};
use crate::cli::ConfigArgs;
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::emit;
use crate::exit::ExitStatus;

/// Runs `config`: reads only `report.toml`, so it works while the data still has errors.
pub fn run(args: &ConfigArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let path = args.report.dir.join(CONFIG_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return io_failure(stderr, &format!("cannot read `{}`: {e}", path.display())),
    };
    let config = match Config::parse(&text) {
        Ok(c) => c,
        Err(problems) => {
            let _ = emit(stderr, &problems);
            return ExitStatus::Invalid;
        }
    };
    let audience = match select(&config, args.report.audience.as_deref(), stderr) {
        Ok(a) => a,
        Err(status) => return status,
    };
    let _ = writeln!(stdout, "# audience `{}` of {}", audience.name, path.display());
    match toml::to_string_pretty(&audience.settings) {
        Ok(text) => {
            let _ = write!(stdout, "{text}");
            ExitStatus::Ok
        }
        Err(e) => io_failure(stderr, &format!("cannot print the settings: {e}")),
    }
}

//! `config`: print an audience's merged settings as TOML.

use std::fs;

use crate::cli::ConfigArgs;
use crate::cmd::console::Console;
use crate::cmd::select;
use crate::error::{Error, ExitStatus};
use crate::input::audience;
use crate::input::config::{CONFIG_FILE, settings_text};

/// Runs `config`: reads only `report.toml`, so it works while the data still has errors.
pub fn run(args: &ConfigArgs, console: &mut Console) -> ExitStatus {
    let path = args.report.dir.join(CONFIG_FILE);
    let text = match fs::read(&path) {
        Ok(bytes) => match settings_text(bytes) {
            Ok(text) => text,
            Err(problems) => {
                console.problems(&problems);
                return ExitStatus::Invalid;
            }
        },
        Err(e) => return console.failure(&Error::read(&path, e)),
    };
    let audiences = match audience::read(&text) {
        Ok((_, audiences)) => audiences,
        Err(problems) => {
            console.problems(&problems);
            return ExitStatus::Invalid;
        }
    };
    let audience = match select(&audiences, args.report.audience.as_deref(), console) {
        Ok(a) => a,
        Err(status) => return status,
    };
    match toml::to_string_pretty(&audience.settings) {
        Ok(text) => {
            let _ = write!(console.out, "# audience `{}` of {}\n{text}", audience.name, path.display());
            ExitStatus::Ok
        }
        Err(e) => console.failure(&Error::Other(format!("cannot print the settings: {e}"))),
    }
}

//! `init`: a small report folder that builds at once (one incident, one sanction, one audience,
//! one narrative file), each file commented, in Russian or English.

use std::fs;

use crate::cli::{InitArgs, InitLanguage};
use crate::cmd::console::Console;
use crate::error::{Error, ExitStatus};
use crate::input::config::CONFIG_FILE;

/// The files of a new English report.
const EN: &[(&str, &str)] = &[
    ("report.toml", include_str!("init/en/report.toml")),
    ("incidents.csv", include_str!("init/en/incidents.csv")),
    ("sanctions.csv", include_str!("init/en/sanctions.csv")),
    ("sections/01-summary.typ", include_str!("init/en/sections/01-summary.typ")),
];

/// The files of a new Russian report.
const RU: &[(&str, &str)] = &[
    ("report.toml", include_str!("init/ru/report.toml")),
    ("incidents.csv", include_str!("init/ru/incidents.csv")),
    ("sanctions.csv", include_str!("init/ru/sanctions.csv")),
    ("sections/01-summary.typ", include_str!("init/ru/sections/01-summary.typ")),
];

/// Runs `init`, refusing to touch a folder that already holds a report.
pub fn run(args: &InitArgs, console: &mut Console) -> ExitStatus {
    if args.dir.join(CONFIG_FILE).exists() {
        return console.failure(&Error::Other(format!("`{}` already holds a {CONFIG_FILE}", args.dir.display())));
    }
    let files = match args.language {
        InitLanguage::En => EN,
        InitLanguage::Ru => RU,
    };
    for (name, text) in files {
        let path = args.dir.join(name);
        let written = path.parent().map_or(Ok(()), fs::create_dir_all).and_then(|()| fs::write(&path, text));
        if let Err(e) = written {
            return console.failure(&Error::write(&path, e));
        }
        console.result(&path.display().to_string());
    }
    console.progress(&format!("next: osce-report build {}", args.dir.display()));
    ExitStatus::Ok
}

//! The narrative: the Typst files under `sections/`, read once, and the persons they mark with
//! `#person("…")`. A file that cannot be read as UTF-8 text is a problem at its first bad byte,
//! never left out of the document without a word.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::input::config::Config;
use crate::input::source::not_utf8;

/// Every narrative file of a report folder.
#[derive(Debug, Clone, Default)]
pub struct Narrative {
    /// Every `.typ` file under `sections/` and its subfolders one level down: relative path → text.
    pub files: BTreeMap<String, String>,
    /// Those that could not be read as UTF-8 text, each with its problem: an error for every
    /// audience that includes the file, and for no other.
    pub unreadable: BTreeMap<String, Diagnostic>,
}

impl Narrative {
    /// Reads every `.typ` file in `sections/` and its subfolders one level down. A file that is
    /// not UTF-8 text (a problem at its first bad byte) or cannot be read at all is kept among
    /// [`Narrative::unreadable`], for the audiences that include it.
    pub fn read(dir: &Path) -> Narrative {
        read_typst_files(dir, "sections", 1)
    }

    /// The problems of the narrative files among `sections` that could not be read.
    pub fn unreadable_in(&self, sections: &[String]) -> Vec<Diagnostic> {
        sections.iter().filter_map(|s| self.unreadable.get(s.trim_start_matches('/'))).cloned().collect()
    }

    /// The narrative files an audience includes, relative to the report folder, in order: those
    /// its settings list, else `sections/LANG/*.typ` when that folder exists, else `sections/*.typ`.
    pub fn sections(&self, dir: &Path, config: &Config) -> Vec<String> {
        if let Some(listed) = &config.sections {
            return listed.clone();
        }
        let by_language = format!("sections/{}", config.language.code());
        let folder = if dir.join(&by_language).is_dir() { by_language } else { "sections".to_string() };
        let all = self.files.keys().chain(self.unreadable.keys());
        let mut found: Vec<String> = all.filter(|p| in_folder(p, &folder)).cloned().collect();
        found.sort();
        found
    }
}

/// Every `.typ` file in `folder` of the report folder `dir` and in its subfolders down to
/// `depth` levels, by path relative to `dir`: the narrative, or a report's own template. A file
/// that is not UTF-8 text, or cannot be read at all, is kept with its problem instead.
pub fn read_typst_files(dir: &Path, folder: &str, depth: usize) -> Narrative {
    let mut found = Narrative::default();
    let mut folders = vec![(folder.to_string(), 0)];
    while let Some((folder, level)) = folders.pop() {
        for entry in fs::read_dir(dir.join(&folder)).into_iter().flatten().flatten() {
            let Ok(name) = entry.file_name().into_string() else { continue };
            let path = format!("{folder}/{name}");
            if entry.path().is_dir() {
                if level < depth {
                    folders.push((path, level + 1));
                }
                continue;
            }
            if !name.ends_with(".typ") {
                continue;
            }
            let problem = match fs::read(entry.path()) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        found.files.insert(path, text);
                        continue;
                    }
                    Err(e) => not_utf8(&path, e.as_bytes(), e.utf8_error().valid_up_to()),
                },
                Err(e) => Diagnostic::error(&path, 0, 0, format!("cannot read this file: {e}")),
            };
            found.unreadable.insert(path, problem);
        }
    }
    found
}

/// Whether `path` is a file directly inside `folder`.
fn in_folder(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder).and_then(|rest| rest.strip_prefix('/')).is_some_and(|name| !name.contains('/'))
}

/// Every `#person("…")` name in a narrative file, with its 1-based line and column.
pub fn marked_names(text: &str) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        let mut consumed = 0;
        while let Some(at) = rest.find("person(\"") {
            let start = at + "person(\"".len();
            let Some(len) = rest[start..].find('"') else { break };
            let name = rest[start..start + len].trim();
            if !name.is_empty() {
                // Point at the `#` of `#person(` when there is one.
                let hash = usize::from(rest[..at].ends_with('#'));
                let column = line[..consumed + at - hash].chars().count() + 1;
                found.push((name.to_string(), i + 1, column));
            }
            consumed += start + len;
            rest = &rest[start + len..];
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_marked_names_with_their_position() {
        let text = "#import \"x\": person\nАктивистки #person(\"Бахытжан Торегожина\") и #person(\"Лариса Бояр\").";
        let found = marked_names(text);
        assert_eq!(found, [("Бахытжан Торегожина".into(), 2, 12), ("Лариса Бояр".into(), 2, 45)]);
    }

    #[test]
    fn a_file_not_in_utf8_is_an_error_at_its_first_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sections")).unwrap();
        // "Текст\nВторая строка" in Windows-1251.
        fs::write(dir.path().join("sections/01.typ"), b"= Title\n\xd2\xe5\xea\xf1\xf2\n").unwrap();
        fs::write(dir.path().join("sections/02.typ"), "= Ok\n").unwrap();
        let narrative = Narrative::read(dir.path());
        assert_eq!(narrative.files.keys().collect::<Vec<_>>(), ["sections/02.typ"]);
        let problems = narrative.unreadable_in(&["sections/01.typ".into(), "sections/02.typ".into()]);
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].file.as_str(), problems[0].line, problems[0].column), ("sections/01.typ", 2, 1));
        assert!(problems[0].is_error());
        assert!(narrative.unreadable_in(&["sections/02.typ".into()]).is_empty(), "only for who includes it");
    }
}

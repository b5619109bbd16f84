//! Files saved for a person (exports): always a new file, never one written over. A webview
//! cannot save a download by itself here (WebKitGTK drops `<a download>`), so the window asks
//! for this instead, with no more power than a browser's download: a new `.csv` or `.json` file
//! with a plain name, in the downloads folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{ClientError, Result};

/// The extensions a saved export may have.
const EXTENSIONS: [&str; 2] = ["csv", "json"];

/// How many numbered names (`name-2.csv` ...) are tried before giving up.
const MAX_NUMBERED: usize = 999;

/// The downloads folder, or home when there is none.
pub fn downloads_folder() -> Result<PathBuf> {
    dirs::download_dir()
        .filter(|d| d.is_dir())
        .or_else(dirs::home_dir)
        .ok_or_else(|| ClientError::Config("no downloads or home folder".into()))
}

/// Writes `text` to `path`, which must not exist yet.
pub fn write_new(path: &Path, text: &str) -> Result<()> {
    let cannot = |e: std::io::Error| {
        ClientError::invalid(format!(
            "cannot write the export to {}: {e}",
            path.display()
        ))
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(cannot)?;
    file.write_all(text.as_bytes()).map_err(cannot)
}

/// Saves `text` as `file_name` in `folder`, numbered (`bulk-results-2.csv`) when that name is
/// taken. The name is plain: letters, digits, `.`, `-`, `_`, ending in `.csv` or `.json`.
pub fn save_new(folder: &Path, file_name: &str, text: &str) -> Result<PathBuf> {
    let (stem, ext) = plain_name(file_name)?;
    for n in 1..=MAX_NUMBERED {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = folder.join(name);
        if path.exists() {
            continue;
        }
        return write_new(&path, text).map(|()| path);
    }
    Err(ClientError::invalid(format!(
        "cannot save {file_name} in {}: {MAX_NUMBERED} files of that name are there",
        folder.display()
    )))
}

/// Splits a plain file name into stem and extension, or says what is wrong with it.
fn plain_name(file_name: &str) -> Result<(&str, &str)> {
    let refused = || {
        ClientError::invalid(format!(
            "file name '{file_name}' must be letters, digits, '.', '-' or '_' ending in .csv or .json"
        ))
    };
    let (stem, ext) = file_name.rsplit_once('.').ok_or_else(refused)?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let ok = EXTENSIONS.contains(&ext)
        && stem.len() <= 100
        && stem.starts_with(|c: char| c.is_ascii_alphanumeric())
        && stem.chars().all(plain);
    if ok {
        Ok((stem, ext))
    } else {
        Err(refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_name_is_numbered_and_nothing_is_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let first = save_new(dir.path(), "bulk-results.csv", "a\n").unwrap();
        let second = save_new(dir.path(), "bulk-results.csv", "b\n").unwrap();
        assert_eq!(first, dir.path().join("bulk-results.csv"));
        assert_eq!(second, dir.path().join("bulk-results-2.csv"));
        assert_eq!(std::fs::read_to_string(first).unwrap(), "a\n");
        assert_eq!(std::fs::read_to_string(second).unwrap(), "b\n");
    }

    #[test]
    fn only_plain_csv_and_json_names_are_saved() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            "../x.csv",
            "/etc/x.csv",
            "x.sh",
            "x",
            ".hidden.csv",
            "a b.csv",
            "x.csv/y.json",
        ] {
            let e = save_new(dir.path(), bad, "x").unwrap_err();
            assert!(e.to_string().contains(bad), "{bad}: {e}");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(save_new(dir.path(), "journal_2026-12-08.json", "{}").is_ok());
    }
}

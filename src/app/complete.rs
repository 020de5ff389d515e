//! Path completion for a file field: the entries of the typed path's
//! directory whose names start with what follows its last `/` (a directory
//! ends in `/`), sorted. `~/` stands for the home directory.

use std::path::{Path, PathBuf};

/// Limit on the names read from one directory.
const AT_MOST: usize = 500;

pub fn paths(typed: &str) -> Result<Vec<String>, String> {
    let (dir, start) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let read_from: PathBuf = match dir {
        "" => PathBuf::from("."),
        d if d.starts_with("~/") => home().join(&d[2..]),
        d => PathBuf::from(d),
    };
    let entries = std::fs::read_dir(&read_from)
        .map_err(|e| format!("cannot read the folder {}: {e}", shown(&read_from)))?;
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .take(AT_MOST)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            if !name.starts_with(start) || (name.starts_with('.') && !start.starts_with('.')) {
                return None;
            }
            let slash = if e.path().is_dir() { "/" } else { "" };
            Some(format!("{dir}{name}{slash}"))
        })
        .collect();
    found.sort();
    Ok(found)
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from)
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

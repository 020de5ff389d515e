//! The rules module stays pure: no UI, storage, filesystem, environment,
//! clock or randomness. Time and the acting user come in through `Ctx`.

use std::path::{Path, PathBuf};

const FORBIDDEN: [&str; 11] = [
    "ratatui",
    "crossterm",
    "sled",
    "postgres",
    "std::fs",
    "std::env",
    "SystemTime",
    "Utc::now",
    "Local::now",
    "rand::",
    "std::io",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn domain_mentions_no_io_clock_or_randomness() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() >= 10, "found only {files:?}");
    assert!(
        files.iter().any(|f| f.ends_with("rules/reserve.rs")),
        "subfolders are read"
    );
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for word in FORBIDDEN.iter().filter(|w| line.contains(*w)) {
                found.push(format!("{}:{}: {word}", file.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "src/domain must stay pure:\n{}",
        found.join("\n")
    );
}

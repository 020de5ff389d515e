//! The tests that read saps's own source (which module names what): every
//! `.rs` file under a folder of the crate, subfolders included.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `rel` (a folder of the crate, e.g. `"src"`), in
/// no particular order.
pub fn rust_files(rel: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel), &mut out);
    out
}

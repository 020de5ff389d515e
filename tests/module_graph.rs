//! The import graph has no circle through `cli.rs`: the command line's
//! module imports the subcommands, and none of them imports it back (they
//! take `Fatal` and `Settings` from their own modules).

mod source_tree;
use std::path::Path;

#[test]
fn only_main_imports_the_command_line_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = source_tree::rust_files("src");
    let mut importers = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        let named = text.contains("crate::cli") || text.contains("saps::cli") || text.contains("super::cli");
        let rel = f.strip_prefix(&src).expect("under src").display().to_string();
        if named && rel != "main.rs" && rel != "cli.rs" {
            importers.push(rel);
        }
    }
    assert!(files.len() > 50, "found the sources");
    assert_eq!(importers, Vec::<String>::new(), "modules importing cli.rs");
}

/// The screens sit on top: only the desk's loop (`src/app/`) and the
/// screens themselves import `ui`; the exports, the store, the session and
/// the rest never do (what they share with it, such as the words for an
/// event, lives below both: `src/describe.rs`).
#[test]
fn nothing_below_the_desk_imports_the_screens() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut importers = Vec::new();
    for f in source_tree::rust_files("src") {
        let rel = f.strip_prefix(&src).expect("under src");
        if rel.starts_with("ui") || rel.starts_with("app") || rel == Path::new("main.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("readable");
        if text.contains("crate::ui") || text.contains("saps::ui") {
            importers.push(rel.display().to_string());
        }
    }
    assert_eq!(
        importers,
        Vec::<String>::new(),
        "modules below the desk importing ui"
    );
}

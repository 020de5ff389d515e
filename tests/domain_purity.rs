//! The rules module stays pure: no UI, storage, filesystem, environment,
//! clock or randomness. Time and the acting user come in through `Ctx`.

mod source_tree;

const FORBIDDEN: [&str; 14] = [
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
    "now_v7",
    "new_v4",
    "new_v7",
];

#[test]
fn domain_mentions_no_io_clock_or_randomness() {
    let files = source_tree::rust_files("src/domain");
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

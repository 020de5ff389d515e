//! The export after a scenario against `tests/scenarios/NAME.export.json`.
//! The export is stable: every line's clock comes from `--now` or `"at"`,
//! and the run's directory (in deliverable paths) is written `$DIR`.
//! `SAPS_BLESS=1 cargo test --test exec_contract` rewrites the files.

use super::scenario::scenario_dir;
use serde_json::Value;

pub fn compare(name: &str, label: &str, export: &str, dir: &str) {
    let value: Value = serde_json::from_str(export)
        .unwrap_or_else(|e| panic!("{name}: the export is not JSON ({e}): {export}"));
    let got = serde_json::to_string_pretty(&value).unwrap() + "\n";
    let got = got.replace(&super::json_inner(dir), "$DIR");
    let path = scenario_dir().join(format!("{name}.export.json"));
    let shown = format!("tests/scenarios/{name}.export.json");
    if std::env::var_os("SAPS_BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{shown}: {e}; write it with SAPS_BLESS=1 cargo test --test exec_contract")
    });
    if let Some(diff) = first_difference(&want, &got) {
        panic!("{shown} differs from the export after tests/scenarios/{name}.jsonl on {label}: {diff}");
    }
}

/// The first line where `want` and `got` differ, with both lines.
fn first_difference(want: &str, got: &str) -> Option<String> {
    let (mut w, mut g) = (want.lines(), got.lines());
    for n in 1.. {
        match (w.next(), g.next()) {
            (None, None) => return None,
            (a, b) if a == b => continue,
            (a, b) => {
                return Some(format!(
                    "line {n}: expected {}, got {}",
                    a.map_or("the end".into(), |l| format!("{:?}", l.trim())),
                    b.map_or("the end".into(), |l| format!("{:?}", l.trim()))
                ));
            }
        }
    }
    unreachable!()
}

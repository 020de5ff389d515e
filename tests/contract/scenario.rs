//! Reading a scenario file: each non-blank line is a `saps exec` input line
//! that starts with its expectation, `{"expect": "ok"|"<code>", ` and
//! optionally `"expect_names": "<words>", ` (the message must contain
//! them). The expectation keys must come first: they are cut from the text
//! (not re-serialised), so a deliberately broken line stays broken.
//!
//! `$DIR` in a line stands for the run's own directory; every string
//! `"$DIR/NAME"` is a file the runner writes there before the run (a
//! deliverable the report names).

use std::path::{Path, PathBuf};

/// What one line must answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    /// The 1-based line number in the scenario file (and in the fed input).
    pub line: u64,
    /// `"ok"` or a rejection code.
    pub code: String,
    /// Words the rejection's message must contain.
    pub names: Option<String>,
}

pub struct Scenario {
    pub name: String,
    pub path: PathBuf,
    /// The input to feed, line for line with the file (blank lines kept, so
    /// the numbers agree), `$DIR` not yet replaced.
    pub input: String,
    pub expects: Vec<Expect>,
    /// Names of the files `"$DIR/NAME"` refers to.
    pub files: Vec<String>,
    /// The latest `"at"` of any line (dates and RFC 3339 times compare as
    /// text when they are written alike, as in these files).
    pub last_clock: Option<String>,
}

pub fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
}

/// Every scenario file's name (without `.jsonl`), sorted.
pub fn all_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(scenario_dir())
        .expect("tests/scenarios exists")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".jsonl")?.to_string())
        })
        .collect();
    names.sort();
    names
}

pub fn load(name: &str) -> Scenario {
    let path = scenario_dir().join(format!("{name}.jsonl"));
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let shown = format!("tests/scenarios/{name}.jsonl");
    let mut input = String::new();
    let mut expects = Vec::new();
    let mut files = Vec::new();
    let mut last_clock = None;
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        if line.trim().is_empty() {
            input.push('\n');
            continue;
        }
        let (expect, fed) =
            split_expectation(line, n).unwrap_or_else(|why| panic!("{shown}:{n}: {why}: {line}"));
        for file in dir_files(&fed) {
            if !files.contains(&file) {
                files.push(file);
            }
        }
        let at = serde_json::from_str::<serde_json::Value>(&fed)
            .ok()
            .and_then(|v| Some(v.get("at")?.as_str()?.to_string()));
        last_clock = last_clock.max(at);
        input.push_str(&fed);
        input.push('\n');
        expects.push(expect);
    }
    Scenario {
        name: name.to_string(),
        path,
        input,
        expects,
        files,
        last_clock,
    }
}

/// Cuts `"expect": ...` (and `"expect_names": ...`) off the front of `line`.
pub fn split_expectation(line: &str, n: u64) -> Result<(Expect, String), String> {
    let mut c = Cursor(line.trim_start());
    c.eat("{").ok_or("a scenario line is a JSON object")?;
    c.eat_key("expect")
        .ok_or("a scenario line starts with its \"expect\" key")?;
    let code = c.string().ok_or("\"expect\" takes a plain string")?;
    let mut names = None;
    let mut rest = c.after_pair();
    if let Some(mut more) = rest.and_then(|r| {
        let mut m = Cursor(r);
        m.eat_key("expect_names").map(|_| m)
    }) {
        names = Some(more.string().ok_or("\"expect_names\" takes a plain string")?);
        rest = more.after_pair();
    }
    let rest = rest.ok_or("the expectation keys end with a comma or the closing brace")?;
    let expect = Expect {
        line: n,
        code: code.to_string(),
        names: names.map(str::to_string),
    };
    Ok((expect, format!("{{{rest}")))
}

struct Cursor<'a>(&'a str);

impl<'a> Cursor<'a> {
    fn eat(&mut self, token: &str) -> Option<()> {
        self.0 = self.0.trim_start().strip_prefix(token)?;
        Some(())
    }

    fn eat_key(&mut self, key: &str) -> Option<()> {
        self.eat(&format!("\"{key}\""))?;
        self.eat(":")
    }

    /// A JSON string without escapes.
    fn string(&mut self) -> Option<&'a str> {
        self.eat("\"")?;
        let end = self.0.find('"')?;
        let s = &self.0[..end];
        if s.contains('\\') {
            return None;
        }
        self.0 = &self.0[end + 1..];
        Some(s)
    }

    /// After a key's value: the text behind its comma, or `}` when the
    /// pair was the object's last.
    fn after_pair(&mut self) -> Option<&'a str> {
        let t = self.0.trim_start();
        if let Some(rest) = t.strip_prefix(',') {
            Some(rest.trim_start())
        } else if t.starts_with('}') {
            Some(t)
        } else {
            None
        }
    }
}

/// The names in every `"$DIR/NAME"` string of a line.
fn dir_files(line: &str) -> Vec<String> {
    line.split("\"$DIR/")
        .skip(1)
        .filter_map(|tail| tail.split('"').next())
        .filter(|name| !name.is_empty() && !name.contains('/') && !name.contains('\\'))
        .map(str::to_string)
        .collect()
}

//! A list's position, filter and selection. Rows are keys (voucher ids,
//! offering codes, ...) with the text the filter searches; a pane renders
//! only the rows that fit, so long lists cost what is visible.

use super::pager::Paged;
use std::collections::BTreeSet;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: String,
    /// What `/` searches, lower-cased once here rather than per keystroke.
    pub text: String,
}

impl Row {
    pub fn new(key: impl Into<String>, text: impl Into<String>) -> Row {
        Row {
            key: key.into(),
            text: text.into().to_lowercase(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListState {
    all: Vec<Row>,
    /// Indexes into `all` of the rows that pass the filter.
    shown: Vec<usize>,
    pub cursor: usize,
    pub filter: String,
    /// Typing into the filter (after `/`).
    pub filtering: bool,
    pub selected: BTreeSet<String>,
    /// The rows no longer match the state; rebuilt when the tab is shown.
    pub stale: bool,
    /// A list too long to hold: read a page at a time (see `ui::paging`).
    /// While a filter is typed, the rows are the matches it found.
    pub paged: Option<Paged>,
    /// The filter whose matches a paged list holds in its rows, and
    /// whether they are all there are (a longer filter then only narrows).
    pub matched: Option<(String, bool)>,
}

impl ListState {
    /// Replaces the rows, keeping the cursor on the same key when it is still there.
    pub fn set_rows(&mut self, rows: Vec<Row>) {
        let key = self.current().map(str::to_string);
        self.all = rows;
        self.stale = false;
        self.selected.retain(|k| self.all.iter().any(|r| &r.key == k));
        self.apply_filter();
        if let Some(k) = key
            && let Some(i) = self.shown.iter().position(|&i| self.all[i].key == k)
        {
            self.cursor = i;
        }
        self.clamp();
    }
    /// Keeps only the rows whose key passes `keep`.
    pub fn retain_keys(&mut self, keep: impl Fn(&str) -> bool) {
        let rows: Vec<Row> = self.all.iter().filter(|r| keep(&r.key)).cloned().collect();
        self.set_rows(rows);
    }

    pub fn set_filter(&mut self, filter: String) {
        let before = self.filter.trim().to_lowercase();
        self.filter = filter;
        let needle = self.filter.trim().to_lowercase();
        if !before.is_empty() && needle.contains(&before) {
            // Typing on narrows the filter: only the rows shown can still match.
            let all = &self.all;
            self.shown.retain(|&i| all[i].text.contains(&needle));
            self.clamp();
        } else {
            self.apply_filter();
        }
        self.cursor = 0;
    }

    fn apply_filter(&mut self) {
        let needle = self.filter.trim().to_lowercase();
        self.shown = (0..self.all.len())
            .filter(|&i| needle.is_empty() || self.all[i].text.contains(&needle))
            .collect();
        self.clamp();
    }

    fn clamp(&mut self) {
        self.cursor = self.cursor.min(self.len().saturating_sub(1));
    }

    /// The paged list, when no filter replaces it.
    pub fn pages(&self) -> Option<&Paged> {
        self.paged.as_ref().filter(|_| self.filter.trim().is_empty())
    }

    pub fn len(&self) -> usize {
        match self.pages() {
            Some(p) => p.total,
            None => self.shown.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn total(&self) -> usize {
        match &self.paged {
            Some(p) => p.total,
            None => self.all.len(),
        }
    }

    pub fn key(&self, i: usize) -> Option<&str> {
        match self.pages() {
            Some(p) => p.key(i),
            None => self.shown.get(i).map(|&j| self.all[j].key.as_str()),
        }
    }

    pub fn current(&self) -> Option<&str> {
        self.key(self.cursor)
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last.max(0)) as usize;
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len().saturating_sub(1);
    }

    pub fn select_at(&mut self, i: usize) {
        if i < self.len() {
            self.cursor = i;
        }
    }

    /// Space: selects or deselects the row under the cursor.
    pub fn toggle_selected(&mut self) {
        if let Some(k) = self.current().map(str::to_string)
            && !self.selected.remove(&k)
        {
            self.selected.insert(k);
        }
    }

    /// The rows visible in `height` lines: whole pages, so the view is a pure
    /// function of the cursor and needs no scroll state.
    pub fn window(&self, height: usize) -> Range<usize> {
        if height == 0 {
            return 0..0;
        }
        let start = (self.cursor / height) * height;
        start..(start + height).min(self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Vec<Row> {
        (0..n)
            .map(|i| Row::new(format!("K{i}"), format!("row {i}")))
            .collect()
    }

    #[test]
    fn cursor_follows_its_key_when_rows_change() {
        let mut l = ListState::default();
        l.set_rows(rows(10));
        l.move_by(5);
        assert_eq!(l.current(), Some("K5"));
        let mut fewer = rows(10);
        fewer.remove(0);
        l.set_rows(fewer);
        assert_eq!(l.current(), Some("K5"));
    }

    #[test]
    fn filter_and_window() {
        let mut l = ListState::default();
        l.set_rows(rows(100));
        l.set_filter("row 1".into());
        assert_eq!(l.len(), 11); // 1, 10..19
        l.end();
        assert_eq!(l.window(4), 8..11);
        l.set_filter(String::new());
        l.move_by(1000);
        assert_eq!(l.current(), Some("K99"));
        assert_eq!(l.window(0), 0..0);
    }

    #[test]
    fn narrowing_then_widening_the_filter_matches_a_fresh_filter() {
        let fresh = |f: &str| {
            let mut l = ListState::default();
            l.set_rows(rows(200));
            l.set_filter(f.into());
            (0..l.len())
                .map(|i| l.key(i).unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let mut l = ListState::default();
        l.set_rows(rows(200));
        for f in [
            "r", "row", "row 1", "row 15", "row 150", "row 15", "row 1", "ow 1", "", "ROW 19",
        ] {
            l.set_filter(f.into());
            let got: Vec<String> = (0..l.len()).map(|i| l.key(i).unwrap().to_string()).collect();
            assert_eq!(got, fresh(f), "filter {f:?}");
        }
    }
}

//! Shared by the screen tests: a `Desk` (a temporary sled database, the real
//! store and domain behind `app::dispatch`, a fixed clock) driven by keys,
//! and a text rendering of `view` on ratatui's `TestBackend`.

#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use saps::app::{self, DeskOptions, Engine};
use saps::demo;
use saps::domain::records::Voucher;
use saps::domain::{Catalog, State, Status};
use saps::store::Store;
use saps::ui::forms::Form;
use saps::ui::model::Overlay;
use saps::ui::{Model, Msg, view};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub const AVA: &str = "ava@northwind.example";
pub const PAT: &str = "pat@northwind.example";
pub const CODY: &str = "cody@northwind.example";
pub const DANA: &str = "dana@northwind.example";

/// What the status bar shows for the database, instead of a temp path.
pub const DB_LABEL: &str = "demo.db";

/// Noon UTC on `y-m-d`.
pub fn noon(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
}

pub struct Desk {
    pub m: Model,
    /// `None` only after `close`.
    pub engine: Option<Engine>,
    pub db: PathBuf,
    /// Kept last so the directory outlives the store.
    pub dir: TempDir,
}

/// How a desk starts.
#[derive(Debug, Clone, Default)]
pub struct Start {
    pub seed: bool,
    pub actor: Option<String>,
    pub tour: bool,
}

impl Start {
    /// The demo, acting as `actor`.
    pub fn demo_as(actor: &str) -> Start {
        Start {
            seed: true,
            actor: Some(actor.to_string()),
            tour: false,
        }
    }
}

impl Desk {
    /// The demo database as the global admin, at 80x24.
    pub fn demo() -> Desk {
        Desk::start(Start::demo_as(AVA))
    }

    pub fn demo_as(actor: &str) -> Desk {
        Desk::start(Start::demo_as(actor))
    }

    /// An empty database: the first-run form.
    pub fn empty() -> Desk {
        Desk::start(Start::default())
    }

    pub fn start(s: Start) -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("desk.db");
        let store = std::sync::Arc::new(Store::open(&db).expect("store opens"));
        let catalog = Catalog::builtin();
        if s.seed {
            demo::seed(store.clone(), &catalog).expect("demo seeds");
        }
        let opts = DeskOptions {
            db: db.clone(),
            actor: s.actor,
            now: Some(demo::now()),
            catalog,
            tour: s.tour,
        };
        let (mut m, engine) = app::prepare_on(store, opts).expect("desk prepares");
        m.db_label = DB_LABEL.to_string();
        let mut desk = Desk {
            m,
            engine: Some(engine),
            db,
            dir,
        };
        desk.send(Msg::Resize(80, 24));
        desk
    }

    pub fn send(&mut self, msg: Msg) {
        let engine = self.engine.as_mut().expect("desk is open");
        app::dispatch(&mut self.m, engine, msg);
    }

    pub fn press_with(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.send(Msg::Key(KeyEvent::new(code, mods)));
    }

    pub fn press(&mut self, code: KeyCode) {
        self.press_with(code, KeyModifiers::NONE);
    }

    /// One character key (a capital letter carries Shift, as a terminal sends it).
    pub fn key(&mut self, c: char) {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        self.press_with(KeyCode::Char(c), mods);
    }

    /// Types `text`, one key per character.
    pub fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(c);
        }
    }

    pub fn ctrl(&mut self, c: char) {
        self.press_with(KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.send(Msg::Resize(w, h));
    }

    pub fn click(&mut self, x: u16, y: u16) {
        self.send(Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        }));
    }

    /// Sets the model's size to `w`x`h` and renders it as text, one line a
    /// row, trailing blanks trimmed.
    pub fn screen(&mut self, w: u16, h: u16) -> String {
        self.resize(w, h);
        render(&self.m, w, h)
    }

    /// Renders at the model's current size.
    pub fn show(&self) -> String {
        render(&self.m, self.m.size.0, self.m.size.1)
    }

    /// The voucher as the desk reads it (from its store).
    pub fn voucher(&self, id: &str) -> Option<Voucher> {
        let engine = self.engine.as_ref().expect("desk is open");
        engine.backend().voucher(id).expect("the store reads")
    }

    /// The voucher's status in the model, on the desk's clock.
    pub fn status_of(&self, id: &str) -> Option<Status> {
        self.voucher(id).map(|v| v.status(self.m.today()))
    }

    /// What the store holds right now (through the desk's own handle).
    pub fn stored(&self) -> State {
        self.engine
            .as_ref()
            .expect("desk is open")
            .backend()
            .load()
            .expect("store loads")
    }

    /// Moves the clock (the demo's is fixed); statuses are recomputed.
    pub fn set_now(&mut self, now: DateTime<Utc>) {
        self.m.now = now;
        self.send(Msg::Refresh);
    }

    /// Acts as someone else from now on.
    pub fn act_as(&mut self, email: &str) {
        self.m.actor = Some(email.to_string());
        self.send(Msg::Refresh);
    }

    /// Drops the store (the model holds none); `reopen` reads the database
    /// from disk again.
    pub fn close(&mut self) {
        self.engine = None;
    }

    /// Opens the database afresh (retrying while sled releases its lock).
    pub fn reopen(&mut self) -> State {
        self.close();
        open_retrying(&self.db).load().expect("store loads")
    }

    // --- forms -----------------------------------------------------------

    pub fn form(&self) -> Option<&Form> {
        match self.m.top() {
            Some(Overlay::Form(f)) => Some(f),
            _ => None,
        }
    }

    pub fn form_title(&self) -> Option<&'static str> {
        self.form().map(|f| f.spec.title)
    }

    /// The name of the field with the focus.
    pub fn focused(&self) -> Option<&'static str> {
        self.form().and_then(|f| f.focused()).map(|f| f.spec.name)
    }

    pub fn field(&self, name: &str) -> String {
        self.form().expect("a form is open").value(name).to_string()
    }

    pub fn field_error(&self, name: &str) -> Option<String> {
        self.form()
            .expect("a form is open")
            .fields
            .iter()
            .find(|f| f.spec.name == name)
            .and_then(|f| f.error.clone())
    }

    /// Tabs to the field `name` (by keys), failing if it is not in the form.
    pub fn goto_field(&mut self, name: &str) {
        let n = self.form().expect("a form is open").fields.len();
        for _ in 0..=n {
            if self.focused() == Some(name) {
                return;
            }
            self.press(KeyCode::Tab);
        }
        panic!("no field {name} in form {:?}", self.form_title().unwrap_or("?"));
    }

    /// Step 5: the reserve form of DEMO-0001 filled in with a start that
    /// has passed (on the demo clock), not yet submitted.
    pub fn reserve_form_starting_in_the_past(&mut self) {
        self.key('5');
        self.filter("DEMO-0001");
        self.key('r');
        self.fill("location_id", "SEA-1");
        self.fill("country", "US");
        self.fill("start", "2026-06-01");
        self.fill("end", "2026-06-05");
        self.fill("consultants", "cody@northwind.example");
        self.set_toggle("accept_terms", "yes");
    }

    /// Goes to field `name`, clears it (Ctrl-U) and types `value`.
    pub fn fill(&mut self, name: &str, value: &str) {
        self.goto_field(name);
        self.ctrl('u');
        self.keys(value);
        assert_eq!(self.field(name), value, "field {name} after typing");
    }

    /// Goes to the yes/no field `name` and toggles it with Space until it says `want`.
    pub fn set_toggle(&mut self, name: &str, want: &str) {
        self.goto_field(name);
        for _ in 0..4 {
            if self.field(name) == want {
                return;
            }
            self.key(' ');
        }
        panic!("field {name} never became {want:?}");
    }

    /// `/` then `text` then Enter: keeps the filter on the current list.
    pub fn filter(&mut self, text: &str) {
        self.key('/');
        self.keys(text);
        self.press(KeyCode::Enter);
    }

    /// The flash message of the status bar, if any.
    pub fn flash(&self) -> String {
        self.m.flash.as_ref().map(|(t, _)| t.clone()).unwrap_or_default()
    }
}

/// The voucher under the cursor of the current tab.
pub fn current(d: &Desk) -> Option<String> {
    d.m.current_key().map(str::to_string)
}

/// Filters the current tab's list down to `id` and checks the cursor is on it.
pub fn pick(d: &mut Desk, id: &str) {
    d.filter(id);
    assert_eq!(
        current(d).as_deref(),
        Some(id),
        "{id} under the cursor on {:?}",
        d.m.tab
    );
}

/// Opens the store at `path`, retrying for a few seconds while a dropped
/// handle's background flusher still holds sled's lock.
pub fn open_retrying(path: &Path) -> Store {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Store::open(path) {
            Ok(s) => return s,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("store does not reopen: {e}"),
        }
    }
}

/// `view(m)` drawn on a `w`x`h` test terminal, as text.
pub fn render(m: &Model, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| view(m, f)).expect("draws");
    buffer_text(terminal.backend().buffer())
}

/// The buffer's symbols, one line a row, trailing blanks trimmed; the cell
/// after a double-width symbol is skipped.
pub fn buffer_text(b: &Buffer) -> String {
    let w = b.area.width as usize;
    let mut out = String::new();
    if w == 0 {
        return out;
    }
    for row in b.content.chunks(w) {
        let mut line = String::new();
        let mut skip = 0usize;
        for cell in row {
            let sym = cell.symbol();
            if skip == 0 {
                line.push_str(sym);
            }
            let width = sym.chars().next().map_or(1, char_width);
            skip = skip.max(width).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Columns a character takes: 2 for the wide East Asian and emoji ranges,
/// 1 otherwise (enough for what the desk draws).
fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// The text with every run of whitespace turned into one space, for
/// looking for words across wrapped lines.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first line of the screen (the tab bar).
pub fn first_line(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

/// The line second from the bottom (the pane's actions).
pub fn actions_line(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    lines
        .len()
        .checked_sub(2)
        .map(|i| lines[i].to_string())
        .unwrap_or_default()
}

/// A small deterministic pseudo-random generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// In `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

//! Everything the desk shows, in one value. `view` only reads it; `update`
//! changes it and asks for effects (reading what it shows, running a
//! command) that the app carries out through the domain and the store, each
//! coming back as a message.

use super::forms::Form;
use super::query::{Data, Query, Read};
use super::stats::Stats;
use super::tab::Tab;
use super::tour::Tour;
use super::widgets::list::ListState;
use crate::domain::records::Voucher;
use crate::domain::records::{Customer, Role, User};
use crate::domain::state::Ledger;
use crate::domain::{Catalog, Command, Recorded, Rejection, State};
use chrono::{DateTime, NaiveDate, Utc};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use std::collections::BTreeMap;

/// Input to `update`.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The real clock moved (ignored when the clock is fixed).
    Tick(DateTime<Utc>),
    /// The outcome of the last `Effect::Run`.
    Done(Result<Committed, Failure>),
    /// What an `Effect::Load` read, or why it could not.
    Loaded(Result<Data, String>),
    /// What an `Effect::Preview` says the command would record.
    Previewed(Box<Command>, Result<Vec<Recorded>, Failure>),
    /// Everything shown is read again (the database changed underneath).
    Refresh,
    /// What the listener heard of other processes' commits (a desk on a
    /// shared database).
    Live(Heard),
    /// The outcome of an `Effect::CatchUp`: the events others committed
    /// and the organisation after them, or why they could not be read.
    CaughtUp(Result<Committed, String>),
    /// The outcome of an `Effect::Backup`: what was written, or why not.
    BackedUp(Result<String, String>),
    /// The outcome of an `Effect::Field`: what was written or imported, or
    /// why not (a rejection names its field).
    Field(Result<super::field::FieldDone, Failure>),
    /// The outcome of an `Effect::Sheet`: what was written or imported, or why not.
    Sheet(Result<super::sheets::SheetDone, String>),
    /// The outcome of an `Effect::ExportList`: where it wrote, or why not.
    ListWritten(Result<String, String>),
    /// The outcome of an `Effect::MoveClock`: the demo clock's new time.
    ClockMoved(Result<DateTime<Utc>, String>),
    /// The paths that start with what was typed in a file field
    /// (`Effect::Complete`), or why none could be read.
    Completed(String, Result<Vec<String>, String>),
}

/// What the listener of a shared database heard.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// Some process committed; the newest last seq (several in a burst
    /// come as one).
    Changed(u64),
    /// The listening connection was lost (why); it is being retried.
    Lost(String),
    /// Listening again after a loss (what came meanwhile is read).
    Back,
}

/// Whether the desk hears of others' commits (the status bar says).
#[derive(Debug, Clone, PartialEq)]
pub enum Live {
    /// A database no other process writes (sled): nothing to hear.
    Off,
    On,
    /// The listening connection was lost (why); retried.
    Lost(String),
}

/// A command committed: what it recorded, and the working set it was
/// decided on as committed (the organisation the desk holds comes from it).
#[derive(Debug, Clone)]
pub struct Committed {
    pub recorded: Vec<Recorded>,
    pub state: Box<State>,
}

/// Why a command did not go through.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Rejected(Rejection),
    /// The store could not save; the message says what to do.
    Storage(String),
}

/// What `update` asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Decide, apply and durably commit, then send back `Msg::Done`.
    Run(Box<Command>),
    /// Decide without committing (a confirmation's text): `Msg::Previewed`.
    Preview(Box<Command>),
    /// Read what the desk shows: `Msg::Loaded`.
    Load(Query),
    /// Write a backup of the open database to this file (`Msg::BackedUp`).
    Backup(std::path::PathBuf),
    /// Write or read a packet or a bundle (`Msg::Field`).
    Field(super::field::FieldJob),
    /// Write a workbook or a calendar, or import a sheet (`Msg::Sheet`).
    Sheet(super::sheets::SheetJob),
    /// Write these vouchers (the list in view, in its order) to `file`, as
    /// CSV or JSON by its extension (`Msg::ListWritten`).
    ExportList {
        ids: Vec<String>,
        file: std::path::PathBuf,
    },
    /// Move a demo database's clock to this time and record it there
    /// (`Msg::ClockMoved`).
    MoveClock(DateTime<Utc>),
    /// List the paths starting with this text (`Msg::Completed`).
    Complete(String),
    /// Read what other processes committed since the session's last seq
    /// (`Msg::CaughtUp`).
    CatchUp,
}

/// A confirmation before an irreversible command.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    /// What will happen, one sentence a line.
    pub lines: Vec<String>,
    /// What a yes does: run the command, or another effect (an import).
    pub then: Effect,
}

/// Things stacked over the panes; Esc closes the top one.
#[derive(Debug, Clone)]
pub enum Overlay {
    Form(Box<Form>),
    Confirm(Box<Confirm>),
    /// Help, scrolled down this many lines.
    Help(u16),
    /// Choose the acting user; the cursor is an index into the users.
    Picker(usize),
    Error(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Nothing changed in this session yet.
    Nothing,
    /// The last change is durable, since this instant.
    At(DateTime<Utc>),
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct Model {
    /// The organisation: what the desk holds. Customers and vouchers are
    /// loaded as they are shown (`Effect::Load`).
    pub state: State,
    /// The latest events, oldest first, read when the audit pane is first
    /// shown (`None` before).
    pub audit: Option<Vec<Recorded>>,
    pub catalog: Catalog,
    /// The acting user's email (lower case), once chosen.
    pub actor: Option<String>,
    pub now: DateTime<Utc>,
    /// `--now` or the demo clock: ticks are ignored.
    pub clock_fixed: bool,
    /// A demo database: its clock is recorded in it and moves by a key.
    pub demo_clock: bool,
    /// How the status bar names the database.
    pub db_label: String,
    /// Where the database really is (backups go beside it).
    pub db_path: std::path::PathBuf,
    pub tab: Tab,
    pub lists: BTreeMap<Tab, ListState>,
    pub stack: Vec<Overlay>,
    pub saved: Saved,
    /// The last thing that happened, for the status bar; `true` for an error.
    pub flash: Option<(String, bool)>,
    pub size: (u16, u16),
    pub color: bool,
    pub tour: Option<Tour>,
    /// The dashboard's figures, counted when the state changes.
    pub stats: Stats,
    /// Whether `stats` are read for the state and day shown.
    pub figures_read: bool,
    /// The first customers and their ledgers (step 4), once read.
    pub customers: Option<Vec<(Customer, Ledger)>>,
    /// Every customer's licensing id and name (up to `CUSTOMER_NAMES`),
    /// read when a form picks a customer, and whether that is all of them.
    pub customer_names: Option<(Vec<(String, String)>, bool)>,
    /// The vouchers the lists show, as read (not stored, or unreadable).
    pub shown: BTreeMap<String, Read>,
    /// Customers' names by licensing id, as read (`None`: not stored).
    pub names: BTreeMap<String, Option<String>>,
    /// What was asked of the store since the last input, so a read that
    /// failed is not asked again at once.
    pub asked: Vec<Query>,
    /// A voucher to put the cursor on once its list is read (the tour's).
    pub focus: Option<String>,
    /// A field database: the consultant it belongs to (the desk acts as it
    /// and shows only the Deliver & report step).
    pub field_owner: Option<String>,
    pub quit: bool,
    /// Voucher lists longer than this are read a page at a time.
    pub page_above: usize,
    /// Whether others' commits are heard (a shared database).
    pub live: Live,
    /// The latest events other processes committed, as caught up (what a
    /// form checks its voucher against on submit), at most `FOREIGN_KEPT`.
    pub foreign: Vec<Recorded>,
}

/// Others' events the desk keeps for its forms' checks.
pub const FOREIGN_KEPT: usize = 500;

/// The longest voucher list the desk builds whole (see `ui::paging`).
pub const PAGE_ABOVE: usize = 2_000;

/// A customer picker lists at most this many customers (by licensing id);
/// beyond them the licensing id is typed (the domain decides).
pub const CUSTOMER_NAMES: usize = 50_000;

/// The desk keeps this many recent events for its audit pane; the whole log
/// is in `saps export`.
pub const AUDIT_WINDOW: usize = 1_000;

impl Model {
    /// A desk showing `state`; what it shows besides is loaded by the
    /// first messages (`Msg::Refresh`).
    pub fn new(state: State, catalog: Catalog, now: DateTime<Utc>, db_label: String) -> Model {
        Model {
            state,
            audit: None,
            catalog,
            actor: None,
            now,
            clock_fixed: false,
            demo_clock: false,
            db_path: std::path::PathBuf::from(&db_label),
            db_label,
            tab: Tab::Dashboard,
            lists: Tab::ALL.iter().map(|t| (*t, ListState::default())).collect(),
            stack: Vec::new(),
            saved: Saved::Nothing,
            flash: None,
            size: (80, 24),
            color: true,
            tour: None,
            stats: Stats::default(),
            figures_read: false,
            customers: None,
            customer_names: None,
            shown: BTreeMap::new(),
            names: BTreeMap::new(),
            asked: Vec::new(),
            focus: None,
            field_owner: None,
            quit: false,
            page_above: PAGE_ABOVE,
            live: Live::Off,
            foreign: Vec::new(),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    pub fn user(&self) -> Option<&User> {
        self.actor.as_deref().and_then(|a| self.state.user(a))
    }

    pub fn role(&self) -> Option<Role> {
        self.user().map(|u| u.role)
    }

    pub fn list(&self, tab: Tab) -> &ListState {
        static EMPTY: std::sync::OnceLock<ListState> = std::sync::OnceLock::new();
        self.lists
            .get(&tab)
            .unwrap_or_else(|| EMPTY.get_or_init(ListState::default))
    }

    pub fn list_mut(&mut self, tab: Tab) -> &mut ListState {
        self.lists.entry(tab).or_default()
    }

    /// The row key under the cursor of the current tab's list.
    pub fn current_key(&self) -> Option<&str> {
        self.list(self.tab).current()
    }

    /// The state changed: every list goes stale and what was read is read
    /// again as it is shown (the dashboard's figures, vouchers, customers).
    pub fn refresh(&mut self) {
        self.figures_read = false;
        self.customers = None;
        self.customer_names = None;
        self.shown.clear();
        self.names.clear();
        self.rows_changed();
    }

    /// One voucher as read (what a pane shows of a row).
    pub fn voucher(&self, id: &str) -> Option<&Voucher> {
        self.shown.get(id)?.as_ref().ok()?.as_deref()
    }

    /// The name of the customer `licensing_id`, once read.
    pub fn customer_name(&self, licensing_id: &str) -> Option<&str> {
        self.names.get(licensing_id)?.as_deref()
    }

    /// Why the voucher `id` could not be read, when it could not.
    pub fn unreadable(&self, id: &str) -> Option<&str> {
        self.shown.get(id)?.as_ref().err().map(String::as_str)
    }

    /// Only what the lists show changed (the acting user, say): every list
    /// goes stale, the dashboard's figures stay.
    pub fn rows_changed(&mut self) {
        for list in self.lists.values_mut() {
            list.stale = true;
        }
    }

    /// The recorded event with sequence number `seq`.
    pub fn event(&self, seq: u64) -> Option<&Recorded> {
        // The audit holds a window of consecutive events, the newest last.
        let audit = self.audit.as_ref()?;
        let first = audit.first()?.seq;
        let r = audit.get(usize::try_from(seq.checked_sub(first)?).ok()?)?;
        (r.seq == seq).then_some(r)
    }

    /// The tabs this desk shows: all of them, or on a field database only
    /// Deliver & report.
    pub fn tabs(&self) -> &'static [Tab] {
        if self.field_owner.is_some() {
            &[Tab::Deliver]
        } else {
            &Tab::ALL
        }
    }

    pub fn top(&self) -> Option<&Overlay> {
        self.stack.last()
    }
}

//! Keys are data: one table says which key does what where, and the help
//! screen is built from the same table.

use super::tab::Tab;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere, even in a form.
    Always,
    /// On the panes, when no overlay is open.
    Panes,
    /// In a form.
    Form,
    /// In a confirmation.
    Confirm,
    /// In the guided tour.
    Tour,
    /// Typing a list's filter (after `/`); other characters are typed in.
    Filter,
    /// In help, or a message waiting to be read.
    Help,
    /// Choosing the acting user.
    Picker,
    /// In a form, over the list of choices under a field.
    Choices,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Always => "Anywhere",
            Scope::Panes => "Panes and lists",
            Scope::Form => "Forms",
            Scope::Confirm => "Confirmations",
            Scope::Tour => "Guided tour",
            Scope::Filter => "Typing a filter (other keys are typed in)",
            Scope::Help => "Help and messages",
            Scope::Picker => "Choosing who is working",
            Scope::Choices => "A list of choices under a field (typing filters it)",
        }
    }

    /// Every scope, in the order help lists them.
    pub const ALL: [Scope; 9] = [
        Scope::Always,
        Scope::Panes,
        Scope::Form,
        Scope::Choices,
        Scope::Confirm,
        Scope::Tour,
        Scope::Filter,
        Scope::Help,
        Scope::Picker,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    GoTab(Tab),
    NextTab,
    PrevTab,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Open,
    Close,
    Filter,
    Select,
    NextField,
    PrevField,
    Submit,
    Toggle,
    ToggleBack,
    Yes,
    TourNext,
    TourPrev,
    /// Keep the filter typed and go back to the list.
    Keep,
    /// Erase the last character typed.
    Erase,
    /// Erase everything typed.
    EraseAll,
    /// Take the row under the cursor (the picker's user).
    Choose,
    /// A demo database: its clock this many days later.
    Clock(u64),
    /// Choose who is working (the user picker), without a restart.
    SwitchUser,
    /// Complete the path typed in a file field.
    CompletePath,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
}

const fn bind(scope: Scope, keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding {
        scope,
        keys,
        action,
        help,
    }
}

use KeyCode::*;
use Scope::*;

pub const BINDINGS: &[Binding] = &[
    bind(Always, &[ctrl('c')], Action::Quit, "quit at once"),
    bind(Always, &[key(F(1))], Action::Help, "help"),
    bind(Panes, &[ch('q')], Action::Quit, "quit"),
    bind(Panes, &[ch('?')], Action::Help, "help (built from this table)"),
    bind(Panes, &[ch('0')], Action::GoTab(Tab::Dashboard), "dashboard"),
    bind(
        Panes,
        &[ch('1')],
        Action::GoTab(Tab::Eligibility),
        "step 1 Eligibility",
    ),
    bind(Panes, &[ch('2')], Action::GoTab(Tab::Enroll), "step 2 Enroll"),
    bind(Panes, &[ch('3')], Action::GoTab(Tab::Profile), "step 3 Profile"),
    bind(
        Panes,
        &[ch('4')],
        Action::GoTab(Tab::Intake),
        "step 4 Vouchers in",
    ),
    bind(Panes, &[ch('5')], Action::GoTab(Tab::Reserve), "step 5 Reserve"),
    bind(
        Panes,
        &[ch('6')],
        Action::GoTab(Tab::Deliver),
        "step 6 Deliver & report",
    ),
    bind(Panes, &[ch('7')], Action::GoTab(Tab::Redeem), "step 7 Redeem"),
    bind(Panes, &[ch('8')], Action::GoTab(Tab::Payment), "step 8 Payment"),
    bind(Panes, &[ch('9')], Action::GoTab(Tab::Audit), "audit log"),
    bind(Panes, &[key(Tab), key(Right)], Action::NextTab, "next tab"),
    bind(Panes, &[key(BackTab), key(Left)], Action::PrevTab, "previous tab"),
    bind(Panes, &[key(Up), ch('k')], Action::Up, "up"),
    bind(Panes, &[key(Down), ch('j')], Action::Down, "down"),
    bind(Panes, &[key(PageUp)], Action::PageUp, "page up"),
    bind(Panes, &[key(PageDown)], Action::PageDown, "page down"),
    bind(Panes, &[key(Home), ch('g')], Action::Home, "first row"),
    bind(Panes, &[key(End), ch('G')], Action::End, "last row"),
    bind(Panes, &[key(Enter)], Action::Open, "open the row's main action"),
    bind(
        Panes,
        &[ch('/')],
        Action::Filter,
        "filter the list (Enter keeps, Esc clears)",
    ),
    bind(
        Panes,
        &[ch(' ')],
        Action::Select,
        "select or deselect a row (Redeem)",
    ),
    bind(Panes, &[key(Esc)], Action::Close, "clear the filter"),
    bind(Panes, &[ch('@')], Action::SwitchUser, "choose who is working"),
    bind(
        Panes,
        &[ch('+')],
        Action::Clock(1),
        "demo database: the clock a day later",
    ),
    bind(
        Panes,
        &[ch('>')],
        Action::Clock(7),
        "demo database: the clock a week later",
    ),
    bind(
        Form,
        &[key(Tab), key(Down)],
        Action::NextField,
        "next field (saves a draft field)",
    ),
    bind(
        Form,
        &[key(BackTab), key(Up)],
        Action::PrevField,
        "previous field",
    ),
    bind(Choices, &[key(Up)], Action::Up, "previous choice"),
    bind(Choices, &[key(Down)], Action::Down, "next choice"),
    bind(
        Choices,
        &[key(Enter)],
        Action::Choose,
        "take the choice (a list of several: add it); Enter again submits",
    ),
    bind(Form, &[key(Enter)], Action::Submit, "submit"),
    bind(
        Form,
        &[ctrl('t')],
        Action::CompletePath,
        "complete the file path typed",
    ),
    bind(Form, &[ch(' ')], Action::Toggle, "toggle yes/no, next choice"),
    bind(Form, &[key(Right)], Action::Toggle, "next choice"),
    bind(Form, &[key(Left)], Action::ToggleBack, "previous choice"),
    bind(Form, &[key(Esc)], Action::Close, "close (a draft is saved first)"),
    bind(Confirm, &[ch('y'), key(Enter)], Action::Yes, "yes, do it"),
    bind(Confirm, &[ch('n'), key(Esc)], Action::Close, "no, go back"),
    bind(Tour, &[ch('n')], Action::TourNext, "next step of the tour"),
    bind(Tour, &[ch('p')], Action::TourPrev, "previous step of the tour"),
    bind(Tour, &[key(Esc)], Action::Close, "end the tour"),
    bind(
        Filter,
        &[key(Enter)],
        Action::Keep,
        "keep the filter, back to the list",
    ),
    bind(Filter, &[key(Esc)], Action::Close, "clear the filter"),
    bind(
        Filter,
        &[key(Backspace)],
        Action::Erase,
        "erase the last character",
    ),
    bind(Filter, &[ctrl('u')], Action::EraseAll, "erase the whole filter"),
    bind(Help, &[key(Up), ch('k')], Action::Up, "scroll up"),
    bind(Help, &[key(Down), ch('j')], Action::Down, "scroll down"),
    bind(Help, &[key(PageUp)], Action::PageUp, "scroll a page up"),
    bind(Help, &[key(PageDown)], Action::PageDown, "scroll a page down"),
    bind(Help, &[key(Home)], Action::Home, "back to the top"),
    bind(
        Help,
        &[key(Esc), key(Enter), ch('q'), ch('?')],
        Action::Close,
        "close (F1 too)",
    ),
    bind(Picker, &[key(Up), ch('k')], Action::Up, "previous user"),
    bind(Picker, &[key(Down), ch('j')], Action::Down, "next user"),
    bind(Picker, &[key(Enter)], Action::Choose, "act as this user"),
    bind(
        Picker,
        &[key(Esc)],
        Action::Close,
        "keep the user acting now (once there is one)",
    ),
    bind(Picker, &[ch('q')], Action::Quit, "quit"),
];

fn matches(k: &Key, e: &KeyEvent) -> bool {
    // Shift is part of the character itself ('G', '?'), so only Control and Alt count.
    let mods = e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    k.code == e.code && k.mods == mods
}

/// The action bound to `e` in `scope` (bindings that apply `Always` first).
pub fn lookup(scope: Scope, e: &KeyEvent) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|b| b.scope == Always || b.scope == scope)
        .find(|b| b.keys.iter().any(|k| matches(k, e)))
        .map(|b| b.action)
}

/// How a key is written in help: "Ctrl-C", "PgDn", "j".
pub fn label(k: &Key) -> String {
    let base = match k.code {
        Char(' ') => "Space".to_string(),
        Char(c) => c.to_string(),
        Enter => "Enter".into(),
        Esc => "Esc".into(),
        Tab => "Tab".into(),
        BackTab => "Shift-Tab".into(),
        Up => "↑".into(),
        Down => "↓".into(),
        Left => "←".into(),
        Right => "→".into(),
        PageUp => "PgUp".into(),
        PageDown => "PgDn".into(),
        Home => "Home".into(),
        Backspace => "Backspace".into(),
        End => "End".into(),
        F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if k.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

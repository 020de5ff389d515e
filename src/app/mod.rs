//! The desk's loop: read an event, update the model, carry out effects,
//! redraw only when something changed. The terminal is restored on every way
//! out, panics included (ratatui's hook, over color-eyre's report).

mod complete;
pub mod engine;
mod field_jobs;
pub mod figures;
pub mod list_export;
pub mod live;
pub mod loader;
pub mod pages;
mod sheet_jobs;

use crate::domain::Catalog;
use crate::fatal::Fatal;
use crate::field;
use crate::store::Backend;
use crate::ui::model::Overlay;
use crate::ui::tab::Tab;
use crate::ui::tour::Tour;
use crate::ui::{Model, Msg, view};
use chrono::{DateTime, Utc};
pub use engine::{Engine, dispatch};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, MouseEventKind};
use ratatui::crossterm::execute;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub struct DeskOptions {
    pub db: PathBuf,
    pub actor: Option<String>,
    /// A fixed clock (`--now`, the demo's); `None` follows the real clock.
    pub now: Option<DateTime<Utc>>,
    pub catalog: Catalog,
    pub tour: bool,
}

/// Opens the database and builds the model, before the terminal is taken,
/// so a locked or damaged database is reported as a plain sentence.
pub fn prepare(opts: DeskOptions) -> Result<(Model, Engine), Fatal> {
    prepare_on(crate::store::open(&opts.db)?, opts)
}

/// `prepare` on a store already open.
pub fn prepare_on(store: Arc<dyn Backend>, opts: DeskOptions) -> Result<(Model, Engine), Fatal> {
    // What the desk holds: the organisation. Customers and vouchers are
    // read page by page as they are shown.
    let state = store.working_state()?;
    // A consultant's field database: its reports are checked against the
    // catalog entries its packets brought.
    let owner = field::field_owner(&state).map(|u| u.email.clone());
    let catalog = match owner {
        Some(_) => field::field_catalog(&opts.db, &opts.catalog),
        None => opts.catalog,
    };
    // A demo database keeps its demo clock, unless `--now` says otherwise.
    let demo = store.demo_clock()?;
    let fixed = opts.now.or(demo);
    let label = store.label();
    let session = crate::session::Session::open(store, catalog.clone())?;
    // A team member's own login acts as that member only: no picker.
    let member = session.member().map(str::to_ascii_lowercase);
    let now = fixed.unwrap_or_else(Utc::now);
    let mut m = Model::new(state, catalog, now, label);
    m.clock_fixed = fixed.is_some();
    m.demo_clock = demo.is_some();
    m.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if let Some(owner) = owner {
        field_desk(&mut m, owner, opts.actor);
        return Ok(first_reads(m, Engine::new(session)));
    }
    if opts.tour {
        m.tour = Some(Tour::default());
    }
    let asked = opts.actor.map(|a| a.trim().to_ascii_lowercase());
    if let Some(me) = member.filter(|_| m.state.org.partner.is_some()) {
        member_desk(&mut m, me, asked);
        return Ok(first_reads(m, Engine::new(session)));
    }
    match asked {
        // The first run greets the user (`ui::steps::welcome`); `s` or
        // Enter opens the partner's set-up form.
        _ if m.state.org.partner.is_none() => {}
        Some(a) if m.state.user(&a).is_some() => m.actor = Some(a),
        Some(a) => {
            m.flash = Some((
                format!("{a} is not a user of this partner; choose who is working"),
                true,
            ));
            m.stack.push(Overlay::Picker(0));
        }
        None => m.stack.push(Overlay::Picker(0)),
    }
    Ok(first_reads(m, Engine::new(session)))
}

/// The model with what its first frame shows read (the dashboard's
/// figures, the rows of the tab in view).
fn first_reads(mut m: Model, mut engine: Engine) -> (Model, Engine) {
    let flash = m.flash.take();
    dispatch(&mut m, &mut engine, Msg::Refresh);
    // A read that failed says so; otherwise what start-up had to say stays.
    if m.flash.is_none() {
        m.flash = flash;
    }
    (m, engine)
}

/// A team member's desk acts as the member its login names; `--as` naming
/// anyone else is said and ignored (the database would refuse it).
fn member_desk(m: &mut Model, me: String, asked: Option<String>) {
    if m.state.user(&me).is_none() {
        m.flash = Some((
            format!(
                "you are connected as {me}, who is not a user of this partner; the partner's admin adds that user first"
            ),
            true,
        ));
        return;
    }
    if let Some(other) = asked.filter(|a| *a != me) {
        m.flash = Some((
            format!("you are connected as {me}, so the desk acts as {me}, not as {other}"),
            true,
        ));
    }
    m.actor = Some(me);
}

/// A field database opens as its consultant (whoever `--as` names), on the
/// Deliver & report step, the only one it shows; no picker, no tour.
fn field_desk(m: &mut Model, owner: String, asked: Option<String>) {
    if let Some(a) = asked
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| *a != owner)
    {
        let text = format!("this is {owner}'s field copy: acting as {owner}, not {a}");
        m.flash = Some((text, true));
    }
    m.actor = Some(owner.clone());
    m.field_owner = Some(owner);
    m.tab = Tab::Deliver;
}

/// Runs the desk until the user quits.
pub fn run(opts: DeskOptions) -> Result<(), Fatal> {
    run_on(crate::store::open(&opts.db)?, opts)
}

/// `run` on a store already open.
pub fn run_on(store: Arc<dyn Backend>, opts: DeskOptions) -> Result<(), Fatal> {
    if !std::io::stdout().is_terminal() {
        return Err(Fatal(
            "the desk needs a terminal; for scripts use `saps exec` and `saps export` (see `saps --help`)"
                .into(),
        ));
    }
    let (mut model, mut engine) = prepare_on(store, opts)?;
    let listener = start_listening(&mut model, &engine);
    let mut terminal =
        ratatui::try_init().map_err(|e| Fatal(format!("cannot take over the terminal: {e}")))?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, &mut model, &mut engine, listener.as_ref());
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result.map_err(|e| Fatal(format!("the terminal failed: {e}")))
}

/// A desk on a shared database hears others' commits ([`live`]).
pub fn start_listening(m: &mut Model, engine: &Engine) -> Option<live::Listener> {
    let listener = live::Listener::start(engine.backend().clone())?;
    m.live = crate::ui::model::Live::On;
    Some(listener)
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    m: &mut Model,
    engine: &mut Engine,
    listener: Option<&live::Listener>,
) -> std::io::Result<()> {
    let size = terminal.size()?;
    dispatch(m, engine, Msg::Resize(size.width, size.height));
    let mut dirty = true;
    // With a listener, keys are waited for briefly so what it hears shows
    // within a fraction of a second; the clock still ticks once a second.
    let wait = match listener {
        Some(_) => Duration::from_millis(100),
        None => Duration::from_secs(1),
    };
    let mut ticked = std::time::Instant::now();
    while !m.quit {
        if dirty {
            terminal.draw(|f| view(m, f))?;
            dirty = false;
        }
        for msg in listener.map(live::Listener::pending).unwrap_or_default() {
            dispatch(m, engine, msg);
            dirty = true;
        }
        if !event::poll(wait)? {
            if !m.clock_fixed && ticked.elapsed() >= Duration::from_secs(1) {
                ticked = std::time::Instant::now();
                let minute = m.now.format("%H:%M").to_string();
                dispatch(m, engine, Msg::Tick(Utc::now()));
                dirty |= m.now.format("%H:%M").to_string() != minute;
            }
            continue;
        }
        let msg = match event::read()? {
            Event::Key(k) => Msg::Key(k),
            Event::Resize(w, h) => Msg::Resize(w, h),
            Event::Mouse(e) if !matches!(e.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) => {
                Msg::Mouse(e)
            }
            _ => continue,
        };
        dispatch(m, engine, msg);
        dirty = true;
    }
    Ok(())
}

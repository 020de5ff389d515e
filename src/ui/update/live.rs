//! A desk on a shared database: what the listener heard (`Msg::Live`)
//! becomes one catch-up (`Effect::CatchUp`), and what comes back
//! (`Msg::CaughtUp`) refreshes what is shown. Forms are left as typed; a
//! form whose voucher (or customer) another user changed since it was
//! opened says so on its first submit ([`changed_underneath`]).

use crate::describe::describe;
use crate::domain::event::Touch;
use crate::domain::state::voucher_key;
use crate::domain::{Command, Recorded};
use crate::ui::model::{AUDIT_WINDOW, Committed, Effect, FOREIGN_KEPT, Heard, Live, Model, Overlay};
use crate::ui::query::Query;

pub fn heard(m: &mut Model, heard: Heard) -> Vec<Effect> {
    match heard {
        // This desk's own commits are heard too: nothing new.
        Heard::Changed(seq) if seq <= m.state.last_seq => Vec::new(),
        Heard::Changed(_) => vec![Effect::CatchUp],
        Heard::Lost(why) => {
            let text = format!("Live updates stopped ({why}); reconnecting");
            m.flash = Some((text, true));
            m.live = Live::Lost(why);
            Vec::new()
        }
        Heard::Back => {
            m.live = Live::On;
            m.flash = Some(("Live updates are back".into(), false));
            // What was committed while nobody listened.
            vec![Effect::CatchUp]
        }
    }
}

pub fn caught_up(m: &mut Model, result: Result<Committed, String>) -> Vec<Effect> {
    let Committed { recorded, state } = match result {
        Ok(c) => c,
        Err(text) => {
            m.flash = Some((text, true));
            return Vec::new();
        }
    };
    if recorded.is_empty() {
        return Vec::new();
    }
    m.state.org = state.org;
    m.state.last_seq = state.last_seq;
    m.state.redeemed_offerings = state.redeemed_offerings;
    if let Some(audit) = m.audit.as_mut() {
        let follows = audit.last().map(|r| r.seq + 1) == recorded.first().map(|r| r.seq);
        if follows {
            audit.extend(recorded.iter().cloned());
            let over = audit.len().saturating_sub(AUDIT_WINDOW);
            audit.drain(..over);
        } else {
            // Not one window: read it again.
            m.audit = None;
        }
    }
    m.flash = Some((summary(&recorded), false));
    m.foreign.extend(recorded);
    let over = m.foreign.len().saturating_sub(FOREIGN_KEPT);
    m.foreign.drain(..over);
    m.refresh();
    // The vouchers the open forms are about, read again for their checks.
    let ids: Vec<String> = m
        .stack
        .iter()
        .filter_map(|o| match o {
            Overlay::Form(f) => Some(f.value("voucher_id").trim().to_string()),
            _ => None,
        })
        .filter(|id| !id.is_empty())
        .collect();
    match ids.is_empty() {
        true => Vec::new(),
        false => vec![Effect::Load(Query::Vouchers(ids))],
    }
}

/// "2 changes by bob@…: voucher DEMO-0042 reserved …".
fn summary(recorded: &[Recorded]) -> String {
    let mut actors: Vec<&str> = recorded.iter().map(|r| r.actor.as_str()).collect();
    actors.sort_unstable();
    actors.dedup();
    let n = recorded.len();
    let changes = if n == 1 {
        "1 change".to_string()
    } else {
        format!("{n} changes")
    };
    let last = recorded.last().map(|r| describe(&r.event)).unwrap_or_default();
    format!("{changes} by {}: {last}", actors.join(", "))
}

/// Every form on the stack knows the seq it was opened at.
pub fn stamp_forms(m: &mut Model) {
    let seq = m.state.last_seq;
    for o in &mut m.stack {
        if let Overlay::Form(f) = o
            && f.since.is_none()
        {
            f.since = Some(seq);
        }
    }
}

/// Whether another user changed what `cmd` (the top form's) is about since
/// the form was opened: the sentence to show instead of submitting, once
/// (the form's seq moves on, so a second submit goes through the rules).
pub fn changed_underneath(m: &mut Model, cmd: &Command) -> Option<String> {
    let Some(Overlay::Form(form)) = m.stack.last() else {
        return None;
    };
    let since = form.since.unwrap_or(u64::MAX);
    let names = cmd.names();
    let about = |t: &Touch| match t {
        Touch::Voucher(id) => names.vouchers.contains(&voucher_key(id)).then(|| id.clone()),
        Touch::Customer(id) => names.customers.contains(id).then(|| id.clone()),
        _ => None,
    };
    let hits: Vec<(&Recorded, String)> = m
        .foreign
        .iter()
        .filter(|r| r.seq > since)
        .filter_map(|r| r.event.touches().iter().find_map(about).map(|id| (r, id)))
        .collect();
    let (last, id) = hits.last()?;
    let mut actors: Vec<&str> = hits.iter().map(|(r, _)| r.actor.as_str()).collect();
    actors.sort_unstable();
    actors.dedup();
    let now = match m.voucher(id) {
        Some(v) => format!("its stage is now {}", title(v.status(m.today()).as_str())),
        None => describe(&last.event),
    };
    let text = format!(
        "{id} was changed by {} while you were editing: {now}. Review and press Enter again to submit",
        actors.join(" and ")
    );
    let seq = last.seq;
    if let Some(Overlay::Form(form)) = m.stack.last_mut() {
        form.since = Some(seq);
    }
    Some(text)
}

fn title(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

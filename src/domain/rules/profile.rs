//! Step 3: the business profile customers see.

use crate::domain::Ctx;
use crate::domain::event::{Event, ProfilePatch};
use crate::domain::program::{MAX_DESCRIPTION_CHARS, MAX_LOCATIONS_PER_COUNTRY, PROFILE_PUBLISH_HOURS};
use crate::domain::rejection::{Code, Decision, Rejection, shorten};
use crate::domain::state::State;
use chrono::Duration;
use std::collections::BTreeMap;

pub fn update_profile(state: &State, patch: &ProfilePatch) -> Decision<Vec<Event>> {
    let mut patch = patch.clone();
    let trim_list = |l: &mut Option<Vec<String>>| {
        if let Some(items) = l {
            *items = dedup(
                items
                    .iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
        }
    };
    trim_list(&mut patch.industries);
    trim_list(&mut patch.products);
    trim_list(&mut patch.services);
    trim_list(&mut patch.locations);
    if let Some(ids) = &patch.locations {
        check_locations(state, ids)?;
    }
    if let Some(d) = &patch.description {
        let n = d.chars().count();
        if n > MAX_DESCRIPTION_CHARS {
            return Err(Rejection::field(
                Code::TooLong,
                "description",
                format!("{n} characters; at most {MAX_DESCRIPTION_CHARS}"),
            ));
        }
    }
    if let Some(w) = &mut patch.website {
        *w = w.trim().to_string();
        check_url("website", w, None)?;
    }
    if let Some(l) = &mut patch.linkedin {
        *l = l.trim().to_string();
        check_url("linkedin", l, Some("linkedin.com"))?;
    }
    Ok(vec![Event::ProfileUpdated { patch }])
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Every location exists, and no country has more than five.
fn check_locations(state: &State, ids: &[String]) -> Decision<()> {
    let mut per_country: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids {
        let loc = state.org.locations.get(id).ok_or_else(|| {
            Rejection::field(
                Code::NotFound,
                "locations",
                format!("no location {}; add it first (add_location)", shorten(id)),
            )
        })?;
        *per_country.entry(&loc.country).or_default() += 1;
    }
    match per_country.iter().find(|(_, n)| **n > MAX_LOCATIONS_PER_COUNTRY) {
        Some((country, n)) => Err(Rejection::field(
            Code::TooManyLocations,
            "locations",
            format!("{n} locations in {country}; at most {MAX_LOCATIONS_PER_COUNTRY} per country"),
        )),
        None => Ok(()),
    }
}

/// Empty clears the field; otherwise an http(s) address, on `host` if given.
fn check_url(field: &'static str, url: &str, host: Option<&str>) -> Decision<()> {
    if url.is_empty() {
        return Ok(());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let domain = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or("").to_ascii_lowercase());
    let ok = match (&domain, host) {
        (Some(d), _) if d.is_empty() || !d.contains('.') || url.contains(char::is_whitespace) => false,
        (Some(d), Some(h)) => d == h || d.ends_with(&format!(".{h}")),
        (Some(_), None) => true,
        (None, _) => false,
    };
    if ok {
        return Ok(());
    }
    let want = match host {
        Some(h) => format!("an https:// address on {h}"),
        None => "an http:// or https:// address".to_string(),
    };
    Err(Rejection::field(
        Code::InvalidInput,
        field,
        format!("{:?} is not {want}", shorten(url)),
    ))
}

pub fn publish_profile(ctx: &Ctx) -> Decision<Vec<Event>> {
    let visible_by = ctx
        .now
        .checked_add_signed(Duration::hours(PROFILE_PUBLISH_HOURS))
        .unwrap_or(ctx.now);
    Ok(vec![Event::ProfilePublished { visible_by }])
}

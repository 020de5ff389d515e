//! `saps export --format ics`: every open deadline (see
//! `domain::deadlines`) as an all-day calendar event with an alarm a week
//! before. Each event's UID is made of what the deadline is (its kind, its
//! subject, the partner's MPN id), never of its date, so a calendar that
//! imports the file again updates the events instead of adding copies.

use crate::domain::Catalog;
use crate::domain::dates::add_days;
use crate::domain::deadlines::{self, Deadline, Kind};
use crate::domain::records::{Org, Voucher};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Property, Trigger};
use std::collections::HashMap;

/// The calendar being built: the organisation's deadlines at once, the
/// vouchers' as they come.
pub struct Deadlines<'a> {
    calendar: Calendar,
    names: HashMap<String, String>,
    org: &'a Org,
    catalog: &'a Catalog,
    now: DateTime<Utc>,
}

impl<'a> Deadlines<'a> {
    pub fn new(org: &'a Org, catalog: &'a Catalog, now: DateTime<Utc>) -> Deadlines<'a> {
        let mut calendar = Calendar::empty();
        calendar
            .append_property(Property::new("VERSION", "2.0"))
            .append_property(Property::new("PRODID", "-//saps//SAPS deadlines//EN"))
            .append_property(Property::new("CALSCALE", "GREGORIAN"));
        let partner = org.partner.as_ref().map_or("saps", |p| p.name.as_str());
        calendar.name(&format!("{partner}: SAPS deadlines"));
        let mut d = Deadlines {
            calendar,
            names: HashMap::new(),
            org,
            catalog,
            now,
        };
        for due in deadlines::of_org(org, now.date_naive()) {
            let (summary, description) = d.org_text(&due);
            d.push(&due, &summary, &description);
        }
        d
    }

    /// Remembers a customer's name for the vouchers' events.
    pub fn customer(&mut self, licensing_id: &str, name: &str) {
        self.names.insert(licensing_id.to_owned(), name.to_owned());
    }

    pub fn voucher(&mut self, v: &Voucher) {
        let Some(due) = deadlines::of_voucher(v, self.now.date_naive()) else {
            return;
        };
        let customer = self
            .names
            .get(&v.customer)
            .map_or(v.customer.as_str(), String::as_str);
        let what = match due.kind {
            Kind::PaymentWindow => "last day to request payment",
            _ => "last day to redeem",
        };
        let summary = format!("{}: {what} ({customer})", v.voucher_id);
        let mut description = format!(
            "Voucher {} of {customer} (licensing ID {}): {}, {} days, created {}.",
            v.voucher_id,
            v.customer,
            self.offering(&v.offering),
            v.days,
            v.created_on
        );
        if let Some(r) = &v.reservation {
            let engagement = self
                .catalog
                .engagement(&r.engagement)
                .map_or(r.engagement.as_str(), |e| &e.name);
            description.push_str(&format!(
                " {engagement}, {} to {} in {}.",
                r.start, r.end, r.country
            ));
        }
        description.push_str(match due.kind {
            Kind::PaymentWindow => " File the payment request in SAVB by this day.",
            _ => " Redeem it by this day, or it expires.",
        });
        self.push(&due, &summary, &description);
    }

    /// The calendar as text (CRLF line endings, long lines folded).
    pub fn finish(self) -> String {
        self.calendar.to_string()
    }

    fn push(&mut self, due: &Deadline, summary: &str, description: &str) {
        let uid = self.uid(due);
        let event = Event::new()
            .uid(&uid)
            .timestamp(self.now)
            .summary(summary)
            .description(description)
            .starts(due.day)
            .ends(next_day(due.day))
            .alarm(week_before(summary, &uid, self.now))
            .done();
        self.calendar.push(event);
    }

    /// `<kind>-<subject>@<mpn id>.saps`, in characters any calendar keeps.
    fn uid(&self, due: &Deadline) -> String {
        let safe = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect()
        };
        let mpn = self
            .org
            .partner
            .as_ref()
            .map_or("partner".to_owned(), |p| safe(&p.mpn_id));
        format!("{}-{}@{mpn}.saps", due.kind.as_str(), safe(&due.subject))
    }

    fn org_text(&self, due: &Deadline) -> (String, String) {
        let s = &due.subject;
        match due.kind {
            Kind::RenewalOpens => (
                format!("{s} enrollment: renewal opens"),
                format!(
                    "The {} enrollment can be renewed from this day (90 days before it ends).",
                    self.offering(s)
                ),
            ),
            Kind::EnrollmentEnds => (
                format!("{s} enrollment: last day"),
                format!(
                    "The {} enrollment ends after this day; renew it before.",
                    self.offering(s)
                ),
            ),
            Kind::CompetencyEnds => (
                format!("{s} competency: last day"),
                format!(
                    "The {s} competency ends after this day; engagements that need it cannot be reserved then."
                ),
            ),
            _ => (
                "MPN membership: last day".to_owned(),
                format!("The MPN membership (MPN ID {s}) ends after this day; renew it to keep enrolling."),
            ),
        }
    }

    /// `DDPS (Desktop Deployment Planning Services)`, or the code alone.
    fn offering(&self, code: &str) -> String {
        match self.catalog.offering(code) {
            Some(o) => format!("{code} ({})", o.name),
            None => code.to_owned(),
        }
    }
}

/// A reminder a week before the day. Its UID and stamp are set here: left
/// out, the crate would write a random UID and the real clock, and two
/// exports of the same deadlines would differ.
fn week_before(summary: &str, event_uid: &str, now: DateTime<Utc>) -> Alarm {
    Alarm::display(summary, Trigger::before_start(Duration::days(7)))
        .uid(&format!("alarm-{event_uid}"))
        .timestamp(now)
        .done()
}

fn next_day(d: NaiveDate) -> NaiveDate {
    add_days(d, 1)
}

//! Events: what an accepted command changed. The audit trail is the list of
//! recorded events; replaying it from an empty state rebuilds every record.

use super::catalog::Level;
use super::records::{Outcome, Profile, ReportFields, Reservation, Role};
use super::serde_time::{date, ts};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An event with its place in the log, its id, its time and who caused it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub seq: u64,
    /// The event's UUIDv7 (see [`super::ids`]). Not in the event's serde
    /// form: the stores keep it beside the event's bytes (the codec's and
    /// the exec contract's forms stay as they were), and a decoded event
    /// has the nil id until its store gives it one.
    #[serde(skip)]
    pub id: uuid::Uuid,
    /// The id came from outside (a line's `"id"`, a field bundle's), so it
    /// may be asked about again: the stores can find the event by it. Fresh
    /// ids and the ones derived from them are never asked about, so a store
    /// need not file them for looking up.
    #[serde(skip)]
    pub id_given: bool,
    #[serde(with = "ts")]
    pub at: DateTime<Utc>,
    pub actor: String,
    pub event: Event,
}

/// Which profile fields an update set; `None` leaves a field as it was.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfilePatch {
    pub description: Option<String>,
    pub website: Option<String>,
    pub linkedin: Option<String>,
    pub industries: Option<Vec<String>>,
    pub products: Option<Vec<String>>,
    pub services: Option<Vec<String>>,
    pub target_size: Option<String>,
    pub locations: Option<Vec<String>>,
}

impl ProfilePatch {
    /// The profile with this patch laid over it.
    pub fn over(&self, p: &Profile) -> Profile {
        let pick = |new: &Option<String>, old: &String| new.clone().unwrap_or_else(|| old.clone());
        let pick_v =
            |new: &Option<Vec<String>>, old: &Vec<String>| new.clone().unwrap_or_else(|| old.clone());
        Profile {
            description: pick(&self.description, &p.description),
            website: pick(&self.website, &p.website),
            linkedin: pick(&self.linkedin, &p.linkedin),
            industries: pick_v(&self.industries, &p.industries),
            products: pick_v(&self.products, &p.products),
            services: pick_v(&self.services, &p.services),
            target_size: pick(&self.target_size, &p.target_size),
            locations: pick_v(&self.locations, &p.locations),
        }
    }
}

impl ReportFields {
    /// These fields with every field that `patch` sets replaced. The stored
    /// copy goes with its path: a patch that sets `deliverable_path` also
    /// sets `deliverable` (to `None` when the new path named no file).
    pub fn merged(&self, patch: &ReportFields) -> ReportFields {
        fn m<T: Clone>(new: &Option<T>, old: &Option<T>) -> Option<T> {
            new.clone().or_else(|| old.clone())
        }
        ReportFields {
            delivered_start: m(&patch.delivered_start, &self.delivered_start),
            delivered_end: m(&patch.delivered_end, &self.delivered_end),
            onsite_days: m(&patch.onsite_days, &self.onsite_days),
            offsite_days: m(&patch.offsite_days, &self.offsite_days),
            walk_on_hours: m(&patch.walk_on_hours, &self.walk_on_hours),
            deliverable_kind: m(&patch.deliverable_kind, &self.deliverable_kind),
            deliverable_path: m(&patch.deliverable_path, &self.deliverable_path),
            summary: m(&patch.summary, &self.summary),
            next_steps: m(&patch.next_steps, &self.next_steps),
            customer_contact: m(&patch.customer_contact, &self.customer_contact),
            customer_accepted: m(&patch.customer_accepted, &self.customer_accepted),
            deliverable: if patch.deliverable_path.is_some() {
                patch.deliverable.clone()
            } else {
                m(&patch.deliverable, &self.deliverable)
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    PartnerInitialized {
        name: String,
        mpn_id: String,
        #[serde(with = "date")]
        mpn_expires: NaiveDate,
    },
    UserAdded {
        email: String,
        name: String,
        role: Role,
    },
    LocationAdded {
        location_id: String,
        country: String,
    },
    CompetencyRecorded {
        competency: String,
        level: Level,
        #[serde(with = "date")]
        expires: NaiveDate,
    },
    ExamRecorded {
        consultant: String,
        exam: String,
        competency: String,
        #[serde(with = "date")]
        passed_on: NaiveDate,
    },
    Enrolled {
        offering: String,
        #[serde(with = "date")]
        enrolled_on: NaiveDate,
        #[serde(with = "date")]
        expires_on: NaiveDate,
    },
    ProfileUpdated {
        patch: ProfilePatch,
    },
    ProfilePublished {
        #[serde(with = "ts")]
        visible_by: DateTime<Utc>,
    },
    CustomerAdded {
        licensing_id: String,
        name: String,
        planning_days: u32,
        #[serde(with = "date")]
        agreement_expires: NaiveDate,
    },
    VoucherReceived {
        voucher_id: String,
        customer: String,
        offering: String,
        days: u32,
        #[serde(with = "date")]
        created_on: NaiveDate,
        admin_email: String,
    },
    VoucherValidated {
        voucher_id: String,
    },
    VoucherReserved {
        voucher_id: String,
        reservation: Reservation,
    },
    VoucherRescheduled {
        voucher_id: String,
        #[serde(with = "date")]
        start: NaiveDate,
        #[serde(with = "date")]
        end: NaiveDate,
    },
    ReservationCancelled {
        voucher_id: String,
        reason: String,
    },
    ReportDraftSaved {
        voucher_id: String,
        patch: ReportFields,
    },
    ReportSubmitted {
        voucher_id: String,
    },
    VoucherRedeemed {
        voucher_id: String,
        #[serde(with = "date")]
        invoice_deadline: NaiveDate,
    },
    SavbRegistered {
        offering: String,
    },
    PaymentRequested {
        voucher_id: String,
        invoice_number: String,
        location_id: String,
        country: String,
        amount: u64,
        currency: String,
    },
    PaymentRecorded {
        voucher_id: String,
        outcome: Outcome,
        reference: String,
        reason: Option<String>,
    },
    // New variants go last: bincode numbers variants by position, so
    // stored events keep their bytes.
    MpnRenewed {
        #[serde(with = "date")]
        mpn_expires: NaiveDate,
    },
}

/// A record an event changes: what the store must write back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Touch {
    Org,
    Customer(String),
    Voucher(String),
    Invoice(String),
}

impl Event {
    /// The voucher this event is about, if any (each voucher event names
    /// one), without copying it.
    pub fn voucher_id(&self) -> Option<&str> {
        use Event::*;
        match self {
            PaymentRequested { voucher_id, .. }
            | VoucherReceived { voucher_id, .. }
            | VoucherValidated { voucher_id }
            | VoucherReserved { voucher_id, .. }
            | VoucherRescheduled { voucher_id, .. }
            | ReservationCancelled { voucher_id, .. }
            | ReportDraftSaved { voucher_id, .. }
            | ReportSubmitted { voucher_id }
            | VoucherRedeemed { voucher_id, .. }
            | PaymentRecorded { voucher_id, .. } => Some(voucher_id),
            PartnerInitialized { .. }
            | UserAdded { .. }
            | LocationAdded { .. }
            | CompetencyRecorded { .. }
            | ExamRecorded { .. }
            | Enrolled { .. }
            | ProfileUpdated { .. }
            | ProfilePublished { .. }
            | SavbRegistered { .. }
            | MpnRenewed { .. }
            | CustomerAdded { .. } => None,
        }
    }

    pub fn touches(&self) -> Vec<Touch> {
        use Event::*;
        match self {
            PartnerInitialized { .. }
            | UserAdded { .. }
            | LocationAdded { .. }
            | CompetencyRecorded { .. }
            | ExamRecorded { .. }
            | Enrolled { .. }
            | ProfileUpdated { .. }
            | ProfilePublished { .. }
            | SavbRegistered { .. }
            | MpnRenewed { .. } => vec![Touch::Org],
            CustomerAdded { licensing_id, .. } => vec![Touch::Customer(licensing_id.clone())],
            PaymentRequested {
                voucher_id,
                invoice_number,
                ..
            } => vec![
                Touch::Voucher(voucher_id.clone()),
                Touch::Invoice(super::state::invoice_key(invoice_number)),
            ],
            VoucherReceived { voucher_id, .. }
            | VoucherValidated { voucher_id }
            | VoucherReserved { voucher_id, .. }
            | VoucherRescheduled { voucher_id, .. }
            | ReservationCancelled { voucher_id, .. }
            | ReportDraftSaved { voucher_id, .. }
            | ReportSubmitted { voucher_id }
            | VoucherRedeemed { voucher_id, .. }
            | PaymentRecorded { voucher_id, .. } => vec![Touch::Voucher(voucher_id.clone())],
        }
    }
}

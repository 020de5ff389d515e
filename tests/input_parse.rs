//! `input::parse_line`: a JSON object to a `Command`, types only.

use chrono::NaiveDate;
use saps::domain::catalog::Level;
use saps::domain::command::{
    AddCompetency, AddCustomer, AddLocation, AddUser, CancelReservation, Enroll, InitPartner, ReceiveVoucher,
    RecordExam, RecordPayment, Redeem, RegisterSavb, RequestPayment, Reschedule, Reserve, SaveReportDraft,
    SubmitReport, ValidateVoucher,
};
use saps::domain::event::ProfilePatch;
use saps::domain::records::{Outcome, ReportFields, Role};
use saps::domain::{Code, Command, Rejection};
use saps::input::{parse_line, specs};
use serde_json::{Map, Value, json};

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn parse(v: Value) -> Result<Command, Rejection> {
    parse_line(&obj(v))
}

fn ok(v: Value) -> Command {
    parse(v.clone()).unwrap_or_else(|r| panic!("{v} refused: {r}"))
}

/// Asserts an `invalid_input` refusal whose message starts with `field: `.
fn refused(v: Value, field: &str) -> String {
    let r = parse(v.clone()).expect_err(&format!("{v} was accepted"));
    assert_eq!(r.code, Code::InvalidInput, "{v}: {r}");
    assert!(
        r.message.starts_with(&format!("{field}: ")),
        "{v}: message {:?} does not name {field}",
        r.message
    );
    r.message
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn init_partner() {
    let c = ok(
        json!({"cmd": "init_partner", "name": "Contoso", "mpn_id": "123", "mpn_expires": "2030-01-31",
        "admin_name": "Alice", "admin_email": "alice@contoso.example"}),
    );
    assert_eq!(
        c,
        Command::InitPartner(InitPartner {
            name: "Contoso".into(),
            mpn_id: "123".into(),
            mpn_expires: d("2030-01-31"),
            admin_name: "Alice".into(),
            admin_email: "alice@contoso.example".into(),
        })
    );
}

#[test]
fn add_user_location_competency_exam() {
    let c = ok(json!({"cmd": "add_user", "email": "bob@x.example", "name": "Bob", "role": "consultant"}));
    assert_eq!(
        c,
        Command::AddUser(AddUser {
            email: "bob@x.example".into(),
            name: "Bob".into(),
            role: Role::Consultant
        })
    );
    let c = ok(json!({"cmd": "add_location", "location_id": "SEA-1", "country": "US"}));
    assert_eq!(
        c,
        Command::AddLocation(AddLocation {
            location_id: "SEA-1".into(),
            country: "US".into()
        })
    );
    let c = ok(
        json!({"cmd": "add_competency", "competency": "Windows and Devices", "level": "Gold", "expires": "2027-01-01"}),
    );
    assert_eq!(
        c,
        Command::AddCompetency(AddCompetency {
            competency: "Windows and Devices".into(),
            level: Level::Gold,
            expires: d("2027-01-01")
        })
    );
    let c = ok(
        json!({"cmd": "record_exam", "consultant": "bob@x.example", "exam": "MD-100",
        "competency": "Windows and Devices", "passed_on": "2026-01-15"}),
    );
    assert_eq!(
        c,
        Command::RecordExam(RecordExam {
            consultant: "bob@x.example".into(),
            exam: "MD-100".into(),
            competency: "Windows and Devices".into(),
            passed_on: d("2026-01-15"),
        })
    );
}

#[test]
fn enroll_keeps_false_booleans_for_the_domain() {
    let c = ok(
        json!({"cmd": "enroll", "offering": "DDPS", "accept_agreement": true, "policies_reviewed": false}),
    );
    assert_eq!(
        c,
        Command::Enroll(Enroll {
            offering: "DDPS".into(),
            accept_agreement: true,
            policies_reviewed: false
        })
    );
}

#[test]
fn update_and_publish_profile() {
    let c = ok(
        json!({"cmd": "update_profile", "description": "We plan", "website": "https://x.example",
        "linkedin": "https://linkedin.example/x", "industries": ["Retail"], "products": ["Windows"],
        "services": ["Planning"], "target_size": "enterprise", "locations": ["SEA-1"]}),
    );
    let patch = ProfilePatch {
        description: Some("We plan".into()),
        website: Some("https://x.example".into()),
        linkedin: Some("https://linkedin.example/x".into()),
        industries: Some(strings(&["Retail"])),
        products: Some(strings(&["Windows"])),
        services: Some(strings(&["Planning"])),
        target_size: Some("enterprise".into()),
        locations: Some(strings(&["SEA-1"])),
    };
    assert_eq!(c, Command::UpdateProfile(patch));
    let c = ok(json!({"cmd": "update_profile", "website": null}));
    assert_eq!(c, Command::UpdateProfile(ProfilePatch::default()));
    assert_eq!(ok(json!({"cmd": "publish_profile"})), Command::PublishProfile);
}

#[test]
fn customers_and_vouchers() {
    let c = ok(
        json!({"cmd": "add_customer", "licensing_id": "L-1", "name": "Fabrikam", "planning_days": 20,
        "agreement_expires": "2030-01-01"}),
    );
    assert_eq!(
        c,
        Command::AddCustomer(AddCustomer {
            licensing_id: "L-1".into(),
            name: "Fabrikam".into(),
            planning_days: 20,
            agreement_expires: d("2030-01-01"),
        })
    );
    // Program rules (days in 1/3/5/10/15, id format) are the domain's job.
    let c = ok(
        json!({"cmd": "receive_voucher", "voucher_id": "x", "customer": "L-1", "offering": "DDPS",
        "days": 7, "created_on": "2026-03-02", "admin_email": "pm@fabrikam.example"}),
    );
    assert_eq!(
        c,
        Command::ReceiveVoucher(ReceiveVoucher {
            voucher_id: "x".into(),
            customer: "L-1".into(),
            offering: "DDPS".into(),
            days: 7,
            created_on: d("2026-03-02"),
            admin_email: "pm@fabrikam.example".into(),
        })
    );
    let c = ok(json!({"cmd": "validate_voucher", "voucher_id": "V-000001", "admin_email": "pm@f.example"}));
    assert_eq!(
        c,
        Command::ValidateVoucher(ValidateVoucher {
            voucher_id: "V-000001".into(),
            admin_email: "pm@f.example".into()
        })
    );
}

#[test]
fn reserve_reschedule_cancel() {
    let c = ok(
        json!({"cmd": "reserve_voucher", "voucher_id": "V-000001", "admin_email": "pm@f.example",
        "engagement": "windows-office-deployment", "location_id": "SEA-1", "country": "US",
        "start": "2026-03-09", "end": "2026-03-13", "consultants": ["bob@x.example"], "accept_terms": true,
        "distinct_scope": "EU division"}),
    );
    let reserve = Reserve {
        voucher_id: "V-000001".into(),
        admin_email: "pm@f.example".into(),
        engagement: "windows-office-deployment".into(),
        location_id: "SEA-1".into(),
        country: "US".into(),
        start: d("2026-03-09"),
        end: d("2026-03-13"),
        consultants: strings(&["bob@x.example"]),
        accept_terms: true,
        distinct_scope: Some("EU division".into()),
    };
    assert_eq!(c, Command::ReserveVoucher(reserve));
    let c = ok(
        json!({"cmd": "reschedule", "voucher_id": "V-000001", "start": "2026-03-10", "end": "2026-03-14"}),
    );
    assert_eq!(
        c,
        Command::Reschedule(Reschedule {
            voucher_id: "V-000001".into(),
            start: d("2026-03-10"),
            end: d("2026-03-14")
        })
    );
    let c = ok(json!({"cmd": "cancel_reservation", "voucher_id": "V-000001", "reason": "customer asked"}));
    assert_eq!(
        c,
        Command::CancelReservation(CancelReservation {
            voucher_id: "V-000001".into(),
            reason: "customer asked".into()
        })
    );
}

#[test]
fn report_draft_and_submit() {
    let c = ok(
        json!({"cmd": "save_report_draft", "voucher_id": "V-000001", "delivered_start": "2026-03-09",
        "delivered_end": "2026-03-13", "onsite_days": 4, "offsite_days": 1, "walk_on_hours": 2.5,
        "deliverable_kind": "Deployment Plan", "deliverable_path": "plan.pdf", "summary": "done",
        "next_steps": "pilot", "customer_contact": "pm@f.example", "customer_accepted": true}),
    );
    let fields = ReportFields {
        delivered_start: Some(d("2026-03-09")),
        delivered_end: Some(d("2026-03-13")),
        onsite_days: Some(4),
        offsite_days: Some(1),
        walk_on_hours: Some(2.5),
        deliverable_kind: Some("Deployment Plan".into()),
        deliverable_path: Some("plan.pdf".into()),
        summary: Some("done".into()),
        next_steps: Some("pilot".into()),
        customer_contact: Some("pm@f.example".into()),
        customer_accepted: Some(true),
        deliverable: None,
    };
    assert_eq!(
        c,
        Command::SaveReportDraft(SaveReportDraft {
            voucher_id: "V-000001".into(),
            fields
        })
    );
    // A draft may hold anything well typed, even beyond the program's limits.
    let c = ok(
        json!({"cmd": "save_report_draft", "voucher_id": "V-000001", "offsite_days": 9, "walk_on_hours": 10}),
    );
    let fields = ReportFields {
        offsite_days: Some(9),
        walk_on_hours: Some(10.0),
        ..ReportFields::default()
    };
    assert_eq!(
        c,
        Command::SaveReportDraft(SaveReportDraft {
            voucher_id: "V-000001".into(),
            fields
        })
    );
    assert_eq!(
        ok(json!({"cmd": "submit_report", "voucher_id": "V-000001"})),
        Command::SubmitReport(SubmitReport {
            voucher_id: "V-000001".into()
        })
    );
}

#[test]
fn redeem_savb_and_payment() {
    let c = ok(json!({"cmd": "redeem", "voucher_ids": ["V-000001", "V-000002"]}));
    assert_eq!(
        c,
        Command::Redeem(Redeem {
            voucher_ids: strings(&["V-000001", "V-000002"])
        })
    );
    assert_eq!(
        ok(json!({"cmd": "register_savb", "offering": "DDPS"})),
        Command::RegisterSavb(RegisterSavb {
            offering: "DDPS".into()
        })
    );
    let c = ok(json!({"cmd": "request_payment", "voucher_id": "V-000001", "invoice_number": "INV-1"}));
    assert_eq!(
        c,
        Command::RequestPayment(RequestPayment {
            voucher_id: "V-000001".into(),
            invoice_number: "INV-1".into(),
            location_id: None
        })
    );
    let c = ok(
        json!({"cmd": "request_payment", "voucher_id": "V-000001", "invoice_number": "INV-1", "location_id": "SEA-1"}),
    );
    assert_eq!(
        c,
        Command::RequestPayment(RequestPayment {
            voucher_id: "V-000001".into(),
            invoice_number: "INV-1".into(),
            location_id: Some("SEA-1".into()),
        })
    );
    let c = ok(
        json!({"cmd": "record_payment", "voucher_id": "V-000001", "outcome": "denied", "reference": "MS-1",
        "reason": "wrong country"}),
    );
    assert_eq!(
        c,
        Command::RecordPayment(RecordPayment {
            voucher_id: "V-000001".into(),
            outcome: Outcome::Denied,
            reference: "MS-1".into(),
            reason: Some("wrong country".into()),
        })
    );
}

#[test]
fn every_command_is_covered_by_a_spec() {
    let names: Vec<&str> = specs().map(|s| s.name()).collect();
    assert_eq!(names.len(), 21);
    for name in names {
        let r = parse(json!({"cmd": name}));
        if let Err(r) = r {
            assert_eq!(r.code, Code::InvalidInput, "{name}: {r}");
            assert!(r.message.ends_with(": is required"), "{name}: {r}");
        }
    }
}

#[test]
fn cmd_missing_wrong_type_or_unknown() {
    refused(json!({"name": "x"}), "cmd");
    refused(json!({"cmd": 5}), "cmd");
    refused(json!({"cmd": null}), "cmd");
    let m = refused(json!({"cmd": "fly"}), "cmd");
    assert_eq!(m, "cmd: unknown command 'fly'");
}

#[test]
fn missing_and_null_required_fields() {
    let m = refused(json!({"cmd": "submit_report"}), "voucher_id");
    assert_eq!(m, "voucher_id: is required");
    refused(json!({"cmd": "submit_report", "voucher_id": null}), "voucher_id");
    refused(
        json!({"cmd": "enroll", "offering": "DDPS", "policies_reviewed": true}),
        "accept_agreement",
    );
    refused(json!({"cmd": "redeem"}), "voucher_ids");
}

#[test]
fn null_optional_fields_count_as_absent() {
    let c = ok(
        json!({"cmd": "request_payment", "voucher_id": "V-000001", "invoice_number": "I", "location_id": null}),
    );
    assert!(matches!(
        c,
        Command::RequestPayment(RequestPayment {
            location_id: None,
            ..
        })
    ));
}

#[test]
fn wrong_types() {
    let base = json!({"cmd": "receive_voucher", "voucher_id": "V-000001", "customer": "L-1", "offering": "DDPS",
        "days": 5, "created_on": "2026-03-02", "admin_email": "pm@f.example"});
    let with = |k: &str, v: Value| {
        let mut m = obj(base.clone());
        m.insert(k.into(), v);
        Value::Object(m)
    };
    let m = refused(with("days", json!(5.5)), "days");
    assert!(m.starts_with("days: expected a whole number"), "{m}");
    refused(with("days", json!(5.0)), "days");
    refused(with("days", json!("5")), "days");
    refused(with("days", json!(u64::MAX)), "days");
    refused(with("voucher_id", json!(123456)), "voucher_id");
    refused(with("created_on", json!(20260302)), "created_on");
    refused(json!({"cmd": "redeem", "voucher_ids": "V-000001"}), "voucher_ids");
    refused(
        json!({"cmd": "redeem", "voucher_ids": ["V-000001", 2]}),
        "voucher_ids",
    );
    refused(
        json!({"cmd": "enroll", "offering": "DDPS", "accept_agreement": "true", "policies_reviewed": true}),
        "accept_agreement",
    );
    refused(
        json!({"cmd": "save_report_draft", "voucher_id": "V", "walk_on_hours": "2"}),
        "walk_on_hours",
    );
    refused(
        json!({"cmd": "save_report_draft", "voucher_id": "V", "customer_accepted": 1}),
        "customer_accepted",
    );
}

#[test]
fn impossible_and_badly_shaped_dates() {
    let m = refused(
        json!({"cmd": "reschedule", "voucher_id": "V-000001", "start": "2026-02-30", "end": "2026-03-02"}),
        "start",
    );
    assert_eq!(m, "start: expected a date YYYY-MM-DD, got \"2026-02-30\"");
    refused(
        json!({"cmd": "reschedule", "voucher_id": "V-000001", "start": "2026-03-01", "end": "3/2/2026"}),
        "end",
    );
    refused(
        json!({"cmd": "save_report_draft", "voucher_id": "V", "delivered_end": "2026-13-01"}),
        "delivered_end",
    );
}

#[test]
fn negative_or_huge_day_counts_in_a_draft() {
    let m = refused(
        json!({"cmd": "save_report_draft", "voucher_id": "V", "onsite_days": -1}),
        "onsite_days",
    );
    assert!(m.contains("-1"), "{m}");
    refused(
        json!({"cmd": "save_report_draft", "voucher_id": "V", "offsite_days": 5_000_000_000u64}),
        "offsite_days",
    );
    refused(
        json!({"cmd": "save_report_draft", "voucher_id": "V", "offsite_days": 1.5}),
        "offsite_days",
    );
}

#[test]
fn unknown_keys_are_refused_comments_ignored() {
    let r = parse(json!({"cmd": "submit_report", "voucher_id": "V-000001", "voucher": "x"})).unwrap_err();
    assert_eq!(r.code, Code::InvalidInput);
    assert_eq!(r.message, "voucher: not a field of submit_report");
    let c = ok(
        json!({"cmd": "submit_report", "voucher_id": "V-000001", "_comment": "step 6", "_n": 3,
        "as": "bob@x.example", "at": "2026-03-14"}),
    );
    assert_eq!(
        c,
        Command::SubmitReport(SubmitReport {
            voucher_id: "V-000001".into()
        })
    );
    // A field of another command is still unknown here.
    let r = parse(json!({"cmd": "publish_profile", "website": "x"})).unwrap_err();
    assert_eq!(r.message, "website: not a field of publish_profile");
}

#[test]
fn role_level_and_outcome_must_be_known() {
    let m = refused(
        json!({"cmd": "add_user", "email": "e@x.example", "name": "E", "role": "boss"}),
        "role",
    );
    assert!(
        m.contains("global_admin") && m.contains("consultant") && m.contains("\"boss\""),
        "{m}"
    );
    let m = refused(
        json!({"cmd": "add_competency", "competency": "C", "level": "bronze", "expires": "2027-01-01"}),
        "level",
    );
    assert!(m.contains("silver") && m.contains("gold"), "{m}");
    let m = refused(
        json!({"cmd": "record_payment", "voucher_id": "V", "outcome": "maybe", "reference": "R"}),
        "outcome",
    );
    assert!(m.contains("paid") && m.contains("denied"), "{m}");
    let c = ok(json!({"cmd": "add_user", "email": "e@x.example", "name": "E", "role": " Partner_Admin "}));
    assert!(matches!(
        c,
        Command::AddUser(AddUser {
            role: Role::PartnerAdmin,
            ..
        })
    ));
}

#[test]
fn long_values_are_shortened_in_messages() {
    let long = "9".repeat(10_000);
    let m = refused(
        json!({"cmd": "reschedule", "voucher_id": "V", "start": long, "end": "2026-01-01"}),
        "start",
    );
    assert!(m.len() < 120, "{m}");
}

//! Issue 11's rules: what used to slip through the domain (unknown
//! competencies, report dates outside the reservation, a report without a
//! stored deliverable, bad emails and look-alikes, long echoes).

mod common;

use common::*;
use saps::domain::catalog::Level;
use saps::domain::command::{InitPartner, ReceiveVoucher, Redeem, RegisterSavb};
use saps::domain::{Code, Command};

const V: &str = "DDPS-0001";

#[test]
fn unknown_competencies_are_refused_with_the_nearest_name() {
    let mut w = World::setup_ready();
    let r = w
        .err(ADMIN, competency_cmd("Messagin", Level::Silver, day(400)))
        .is(Code::InvalidInput, "competency");
    assert!(r.message.contains("did you mean Messaging?"), "{}", r.message);
    let r = w
        .err(
            ADMIN,
            competency_cmd("Underwater Basket Weaving", Level::Gold, day(400)),
        )
        .is(Code::InvalidInput, "competency");
    assert!(
        r.message.contains("known: ") && r.message.contains("Datacenter"),
        "{}",
        r.message
    );
    // Exams name competencies too.
    let r = w
        .err(ADMIN, exam_cmd(CONSULTANT, "Windows and Devises"))
        .is(Code::InvalidInput, "competency");
    assert!(
        r.message.contains("did you mean Windows and Devices?"),
        "{}",
        r.message
    );
    // Any case is still the catalog's name.
    w.ok(ADMIN, competency_cmd("messaging", Level::Silver, day(400)));
    assert!(
        w.state
            .org
            .competencies
            .values()
            .any(|c| c.competency == "Messaging")
    );
}

#[test]
fn report_dates_outside_the_reservation_are_refused_at_submit() {
    let mut w = World::setup_ready();
    w.received(V, 5);
    w.ok(PA, validate_cmd(V));
    w.ok(PA, Command::ReserveVoucher(reserve(V, day(2), day(6))));
    w.set_day(10);
    // Started a day early: the draft keeps it, submit refuses it.
    w.ok(CONSULTANT, draft_cmd(V, full_report(5, day(1), day(5))));
    let r = w
        .err(CONSULTANT, submit_cmd(V))
        .is(Code::InvalidInput, "delivered_start");
    for want in ["first day delivered", "2024-03-03 to 2024-03-07", "reschedule"] {
        assert!(r.message.contains(want), "{want:?} not in {}", r.message);
    }
    // Ended after the reservation.
    w.ok(CONSULTANT, draft_cmd(V, full_report(5, day(2), day(8))));
    let r = w
        .err(CONSULTANT, submit_cmd(V))
        .is(Code::InvalidInput, "delivered_end");
    assert!(r.message.contains("after the reservation"), "{}", r.message);
    // Rescheduled to what was delivered, it submits.
    w.set_day(1);
    w.ok(PA, reschedule_cmd(V, day(2), day(8)));
    w.set_day(10);
    w.ok(CONSULTANT, submit_cmd(V));
}

/// Every refusal below echoes a 10,000-character value; each message keeps
/// at most about 40 characters of it.
#[test]
fn long_values_are_cut_in_every_echo() {
    let mut w = World::setup_ready();
    let long = "X".repeat(10_000);
    let long_mail = format!("{}@contoso.test", "x".repeat(10_000));
    w.received(V, 5);
    let mut cmds = vec![
        (PA, receive_cmd(&long, CUSTOMER, 5, day(0))),
        (PA, receive_cmd("DDPS-0002", &long, 5, day(0))),
        (PA, receive_of(&long)),
        (PA, validate_as(V, &long_mail)),
        (PA, validate_as(V, &long)),
        (PA, location_cmd("SEA", &long)),
        (PA, reserve_with(V, |r| r.engagement = long.clone())),
        (PA, reserve_with(V, |r| r.location_id = long.clone())),
        (PA, reserve_with(V, |r| r.consultants = vec![long_mail.clone()])),
        (PA, competency_cmd(&long, Level::Gold, day(400))),
        (PA, exam_cmd(&long_mail, COMPETENCY)),
        (PA, request_from(V, &long, &long)),
        (
            PA,
            Command::Redeem(Redeem {
                voucher_ids: vec![long.clone()],
            }),
        ),
        (
            ADMIN,
            Command::RegisterSavb(RegisterSavb {
                offering: long.clone(),
            }),
        ),
        (
            ADMIN,
            add_user_cmd(&long, saps::domain::records::Role::Consultant),
        ),
        (&long_mail, location_cmd("SEA", "US")),
    ];
    let check = |w: &mut World, actor: &str, cmd: Command| {
        let name = cmd.name();
        let r = match w.run(actor, cmd) {
            Ok(_) => panic!("{name} accepted"),
            Err(r) => r,
        };
        let head: String = r.message.chars().take(300).collect();
        let run = |c: &str| r.message.contains(&c.repeat(41));
        assert!(
            !run("X") && !run("x"),
            "{name}: more than 40 characters echoed: {head}"
        );
        assert!(
            r.message.len() < 600,
            "{name}: {} characters: {head}",
            r.message.len()
        );
        assert!(
            head.contains("XXX...") || head.contains("xxx..."),
            "{name}: {head}"
        );
    };
    for (actor, cmd) in cmds.drain(..) {
        check(&mut w, actor, cmd);
    }
    // Existing records named by a long value.
    w.ok(PA, location_cmd(&long, "US"));
    w.ok(PA, customer_cmd(&long, 10, day(400)));
    check(&mut w, PA, location_cmd(&long, "US"));
    check(&mut w, PA, customer_cmd(&long, 10, day(400)));
    check(&mut w, PA, receive_cmd("DDPS-0003", &long, 15, day(0)));
}

#[test]
fn emails_are_checked_for_shape_and_look_alikes() {
    use saps::domain::records::Role;
    let mut w = World::setup_ready();
    let long = format!("{}@contoso.test", "a".repeat(10_000));
    for bad in [
        "nul\0l@contoso.test",
        "zero\u{200B}width@contoso.test",
        "rtl\u{202E}@contoso.test",
        "bell\u{7}@contoso.test",
        "two@at@contoso.test",
        &long,
    ] {
        w.err(ADMIN, add_user_cmd(bad, Role::Consultant))
            .is(Code::InvalidInput, "email");
        let mut receive = receive_cmd("DDPS-0009", CUSTOMER, 1, day(0));
        if let Command::ReceiveVoucher(ReceiveVoucher { admin_email, .. }) = &mut receive {
            *admin_email = bad.into();
        }
        w.err(PA, receive).is(Code::InvalidInput, "admin_email");
    }
    // A Cyrillic "а" (U+0430) for the Latin "a" of ana@contoso.test.
    let r = w
        .err(ADMIN, add_user_cmd("\u{430}na@contoso.test", Role::GlobalAdmin))
        .is(Code::InvalidInput, "email");
    assert!(
        r.message
            .contains("looks like the existing user ana@contoso.test"),
        "{}",
        r.message
    );
    // Greek omicrons in the domain.
    w.err(
        ADMIN,
        add_user_cmd("ana@c\u{3BF}nt\u{3BF}so.test", Role::Consultant),
    )
    .is(Code::InvalidInput, "looks like");
    // A new address in other scripts that passes for nobody is fine.
    w.ok(
        ADMIN,
        add_user_cmd("\u{434}\u{436}@contoso.test", Role::Consultant),
    );
    // init_partner checks its admin's address the same way.
    let mut fresh = World::new();
    let mut init = init_cmd(day(700));
    if let Command::InitPartner(InitPartner { admin_email, .. }) = &mut init {
        *admin_email = "gina\u{200B}@contoso.test".into();
    }
    fresh.err(ADMIN, init).is(Code::InvalidInput, "admin_email");
}

#[test]
fn a_report_without_a_stored_deliverable_is_not_submitted() {
    let mut w = World::setup_ready();
    w.reserved(V, 5);
    let t = w.today();
    // The draft keeps the path that named no file...
    let fields = saps::domain::records::ReportFields {
        deliverable: None,
        deliverable_path: Some("plan-typo.pdf".into()),
        ..full_report(5, t, t)
    };
    w.ok(CONSULTANT, draft_cmd(V, fields));
    assert_eq!(
        w.state.vouchers[V]
            .report
            .as_ref()
            .unwrap()
            .fields
            .deliverable_path
            .as_deref(),
        Some("plan-typo.pdf")
    );
    // ...and submit refuses it, naming the file.
    let r = w
        .err(CONSULTANT, submit_cmd(V))
        .is(Code::ReportIncomplete, "deliverable_path");
    assert!(
        r.message
            .contains("no copy of the deliverable is stored: the file plan-typo.pdf was not found"),
        "{}",
        r.message
    );
    // A later draft with the stored copy submits.
    w.ok(CONSULTANT, draft_cmd(V, full_report(5, t, t)));
    w.ok(CONSULTANT, submit_cmd(V));
}

#[test]
fn an_mpn_id_that_is_not_digits_is_refused_naming_the_field() {
    for bad in ["MPN-12345", "12 345", "１２３", "abc"] {
        let mut fresh = World::new();
        let mut init = init_cmd(day(700));
        if let Command::InitPartner(InitPartner { mpn_id, .. }) = &mut init {
            *mpn_id = bad.into();
        }
        let r = fresh.err(ADMIN, init).is(Code::InvalidInput, "mpn_id");
        assert!(r.message.contains("digits only"), "{bad}: {}", r.message);
        assert!(fresh.state.org.partner.is_none(), "{bad}: nothing recorded");
    }
    // Digits, with blanks around them, are the id.
    let mut fresh = World::new();
    let mut init = init_cmd(day(700));
    if let Command::InitPartner(InitPartner { mpn_id, .. }) = &mut init {
        *mpn_id = " 4400123 ".into();
    }
    fresh.ok(ADMIN, init);
    assert_eq!(fresh.state.org.partner.as_ref().unwrap().mpn_id, "4400123");
}

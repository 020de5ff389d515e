//! Identity from the connection and a log no member can rewrite: the
//! database's owner may record any actor; a member (a login role named as
//! its email, granted `saps_member_<db>`) records only itself, and neither
//! a member nor the owner can UPDATE, DELETE or TRUNCATE the log.

mod pg_common;

use saps::demo;
use saps::domain::records::Stage;
use saps::domain::{Catalog, Event, Names, Recorded, apply};
use saps::store::StoreError;
use saps::store::postgres::{Identity, PgStore};
use std::sync::Arc;

fn code(e: &postgres::Error) -> String {
    e.code().map(|c| c.code().to_owned()).unwrap_or_default()
}

/// `voucher`'s validation, as `actor`, committed through `store`.
fn validate(store: &PgStore, voucher: &str, actor: &str) -> Result<(), StoreError> {
    let names = Names {
        vouchers: vec![voucher.to_owned()],
        ..Names::default()
    };
    let mut ws = store.working_set(&names).unwrap();
    let r = Recorded {
        seq: ws.last_seq + 1,
        id: uuid::Uuid::now_v7(),
        id_given: false,
        at: demo::now(),
        actor: actor.to_owned(),
        event: Event::VoucherValidated {
            voucher_id: voucher.to_owned(),
        },
    };
    apply(&mut ws, &r);
    store.commit(&ws, &[r])
}

#[test]
fn a_member_records_only_itself_and_nobody_rewrites_the_log() {
    let Some(db) = pg_common::fresh() else { return };
    let owner = Arc::new(PgStore::open(&db.url()).unwrap());
    // The demo's lines act as several users: the owner may record any.
    let state = demo::seed(owner.clone(), &Catalog::builtin()).unwrap();
    assert!(matches!(owner.identity().unwrap(), Identity::Owner { .. }));
    let voucher = state
        .vouchers
        .values()
        .find(|v| v.stage == Stage::Assigned)
        .map(|v| v.voucher_id.clone())
        .unwrap_or_else(|| state.vouchers.keys().next().unwrap().clone());
    validate(&owner, &voucher, "someone.else@contoso.test").unwrap();

    let email = format!("ana.{}@contoso.test", db.name);
    let url = db.member(&email);
    let member = PgStore::open(&url).unwrap();
    assert_eq!(
        member.identity().unwrap(),
        Identity::Member { email: email.clone() }
    );
    assert_eq!(member.member_role(), format!("saps_member_{}", db.name));
    let before = member.events().unwrap();
    assert_eq!(
        member.load().unwrap(),
        owner.load().unwrap(),
        "a member reads everything"
    );

    // As someone else: the database refuses, and nothing is written.
    match validate(&member, &voucher, demo::ADMIN) {
        Err(StoreError::Refused { detail }) => {
            assert!(
                detail.contains(&email) && detail.contains(demo::ADMIN),
                "{detail}"
            )
        }
        other => panic!("a member acting as another must be refused, got {other:?}"),
    }
    assert_eq!(member.events().unwrap(), before);
    // As itself: fine.
    validate(&member, &voucher, &email).unwrap();
    assert_eq!(member.events().unwrap().last().unwrap().actor, email);

    // The log is insert-only: a member lacks the privilege ...
    let mut raw = pg_common::TestDb::client_at(&url);
    for sql in [
        "UPDATE saps.events SET actor = actor",
        "DELETE FROM saps.events",
        "TRUNCATE saps.events",
    ] {
        let e = raw.batch_execute(sql).unwrap_err();
        assert_eq!(code(&e), "42501", "{sql}: {e}");
    }
    // ... nor may it write the log or a record by hand: only through the
    // commit function, which checks the actors (above).
    for sql in [
        "INSERT INTO saps.events (seq, at, actor, id, body) \
         SELECT max(seq) + 1, now(), 'ava@northwind.example', gen_random_uuid(), '\\x00' FROM saps.events",
        "UPDATE saps.vouchers SET value = value",
        "DELETE FROM saps.customers",
        "INSERT INTO saps.org (key, value) VALUES ('\\x00', '\\x00')",
    ] {
        let e = raw.batch_execute(sql).unwrap_err();
        assert_eq!(code(&e), "42501", "{sql}: {e}");
    }
    // The function refuses another actor whatever the member's search path.
    raw.batch_execute("SET search_path = public, pg_catalog").unwrap();
    let e = raw
        .batch_execute(
            "SELECT saps.commit_events(0, NULL, '{}', 0, ARRAY[now()], ARRAY['ava@northwind.example'], \
             ARRAY[gen_random_uuid()], ARRAY['\\x00'::bytea], '{2}', '{org}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', 'x')",
        )
        .unwrap_err();
    assert_eq!(code(&e), "SP002", "{e}");
    // ... and the owner's own attempts are refused by the trigger.
    let mut raw = db.owner_client();
    for sql in [
        "UPDATE saps.events SET actor = actor",
        "DELETE FROM saps.events WHERE seq = 1",
        "TRUNCATE saps.events",
    ] {
        let e = raw.batch_execute(sql).unwrap_err();
        assert_eq!(code(&e), "SP003", "{sql}: {e}");
    }
    assert_eq!(owner.events().unwrap().len(), before.len() + 1);
}

#[test]
fn a_member_cannot_create_or_upgrade_the_schema() {
    let Some(db) = pg_common::fresh() else { return };
    // The group role exists only once the owner made the schema: make it,
    // then take the schema away again to see a member meet an empty one.
    PgStore::open(&db.url()).unwrap();
    let email = format!("bo.{}@contoso.test", db.name);
    let url = db.member(&email);
    db.owner_sql("DROP SCHEMA saps CASCADE");
    let err = PgStore::open(&url).unwrap_err();
    assert!(err.to_string().contains("owner"), "{err}");
    // The owner creates it again; the member's role still belongs.
    PgStore::open(&db.url()).unwrap();
    let member = PgStore::open(&url).unwrap();
    assert_eq!(member.identity().unwrap(), Identity::Member { email });
}

#[test]
fn a_role_that_is_not_a_member_sees_nothing() {
    let Some(db) = pg_common::fresh() else { return };
    PgStore::open(&db.url()).unwrap();
    let outsider = format!("eve.{}@contoso.test", db.name);
    db.owner_sql(&format!(
        "CREATE ROLE \"{outsider}\" LOGIN PASSWORD '{}'",
        pg_common::MEMBER_PASSWORD
    ));
    let url = db.url_as(&outsider, pg_common::MEMBER_PASSWORD);
    let refused = match PgStore::open(&url) {
        Err(e) => e.to_string(),
        Ok(store) => store.events().map(|_| ()).unwrap_err().to_string(),
    };
    assert!(
        refused.contains("permission denied") || refused.contains("owner"),
        "{refused}"
    );
    db.owner_sql(&format!("DROP ROLE \"{outsider}\""));
}

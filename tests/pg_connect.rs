//! Connecting to PostgreSQL: both URL schemes, TLS (`sslmode=require`
//! encrypts, `verify-full` checks the certificate against its root), a
//! wrong password named without it, a cut connection replaced.

mod pg_common;

use saps::store::StoreError;
use saps::store::postgres::PgStore;

#[test]
fn both_schemes_connect_and_sslmode_require_is_tls() {
    let Some(db) = pg_common::fresh() else { return };
    let url = db.url();
    let other = url.replacen("postgres://", "postgresql://", 1);
    assert!(saps::store::postgres::is_url(&url) && saps::store::postgres::is_url(&other));
    PgStore::open(&url).unwrap();
    PgStore::open(&other).unwrap();
    let mut owner = db.owner_client();
    let ssl: String = owner.query_one("SHOW ssl", &[]).unwrap().get(0);
    if ssl != "on" {
        panic!("the test server has no TLS (ssl = {ssl}); sslmode=require cannot be tested");
    }
    let store = PgStore::open(&format!("{url}?sslmode=require&application_name=saps_tls_test")).unwrap();
    store.working_state().unwrap();
    let tls: bool = owner
        .query_one(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = 'saps_tls_test' AND a.datname = current_database()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(tls, "sslmode=require must connect over TLS");
    let plain = PgStore::open(&format!("{url}?sslmode=disable&application_name=saps_plain_test")).unwrap();
    plain.working_state().unwrap();
    let tls: bool = owner
        .query_one(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = 'saps_plain_test' AND a.datname = current_database()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!tls, "sslmode=disable must not");
}

#[test]
fn a_wrong_password_or_server_is_a_sentence_without_the_password() {
    let Some(db) = pg_common::fresh() else { return };
    let url = db.url();
    let (head, tail) = url.split_once('@').unwrap();
    let (user, _) = head.rsplit_once(':').unwrap();
    let wrong = format!("{user}:not-the-password@{tail}");
    let err = PgStore::open(&wrong).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Server { .. }), "{err:?}");
    assert!(!text.contains("not-the-password"), "{text}");
    assert!(text.contains(&db.name), "names the database: {text}");
}

#[test]
fn sslmode_verify_full_checks_the_certificate_against_its_root() {
    let Some(db) = pg_common::fresh() else { return };
    let Some(root) = db.root_cert() else {
        panic!("the test server's root certificate is unknown: set SAPS_TEST_PG_ROOTCERT");
    };
    let url = db.url();
    let store = PgStore::open(&format!(
        "{url}?sslmode=verify-full&sslrootcert={}&application_name=saps_verified",
        root.display()
    ))
    .unwrap();
    store.working_state().unwrap();
    let tls: bool = db
        .owner_client()
        .query_one(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = 'saps_verified' AND a.datname = current_database()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(tls);
    // Another authority's certificate: refused, and said so.
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
        ])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .arg("-keyout")
        .arg(dir.path().join("other.key"))
        .arg("-out")
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let err = PgStore::open(&format!(
        "{url}?sslmode=verify-full&sslrootcert={}",
        other.display()
    ))
    .unwrap_err();
    assert!(matches!(err, StoreError::Server { .. }), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");
}

#[test]
fn a_lost_connection_is_replaced_on_the_next_read() {
    let Some(db) = pg_common::fresh() else { return };
    let url = format!("{}?application_name=saps_cut_test", db.url());
    let store = PgStore::open(&url).unwrap();
    let before = store.working_state().unwrap();
    let cut: i64 = db
        .owner_client()
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = 'saps_cut_test' AND datname = current_database()",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(cut, 1, "the store's connection was cut");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(
        store.working_state().unwrap(),
        before,
        "read again on a new connection"
    );
    assert!(store.events().unwrap().is_empty());
}

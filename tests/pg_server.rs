//! The PostgreSQL the tests run against: a real server, a fresh database
//! per test, owned by a role that is no superuser.

mod pg_common;
mod source_tree;

#[test]
fn each_test_gets_its_own_empty_database_owned_by_a_plain_role() {
    let Some(a) = pg_common::fresh() else { return };
    let Some(b) = pg_common::fresh() else { return };
    assert_ne!(a.name, b.name);
    let mut client = a.owner_client();
    let row = client
        .query_one(
            "SELECT current_database()::text, r.rolsuper, r.rolcreaterole, \
             pg_get_userbyid(d.datdba)::text = current_user::text \
             FROM pg_roles r, pg_database d \
             WHERE r.rolname = current_user AND d.datname = current_database()",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), a.name);
    assert!(!row.get::<_, bool>(1), "the tests' role must not be a superuser");
    assert!(row.get::<_, bool>(2), "the tests' role creates member roles");
    assert!(
        row.get::<_, bool>(3),
        "the test database is owned by the tests' role"
    );
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "a fresh database holds no table");
}

/// No file of `src/` outside `src/store/postgres/` names a PostgreSQL (or
/// its TLS) type: the rest of saps sees only the `Backend` seam.
#[test]
fn only_the_postgres_store_names_postgres_types() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = source_tree::rust_files("src");
    let mut found = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        if rel.starts_with("store/postgres") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            // The postgres module's own functions (`postgres::is_url`,
            // `PgStore::open`) may be called from the rest of src/store/ to
            // choose the backend; the driver's types may not leave it.
            let driver = [
                "use postgres",
                "postgres::Client",
                "postgres::Config",
                "postgres::Error",
                "postgres::Row",
                "postgres::Transaction",
                "postgres::types",
                "postgres::IsolationLevel",
                "postgres::NoTls",
                "tokio_postgres",
                "rustls",
            ];
            let outside_store = !rel.starts_with("store");
            if driver.iter().any(|w| code.contains(w)) || (outside_store && code.contains("postgres::")) {
                found.push(format!("{}:{}: {}", rel.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.len() < files.len(), "the scan saw the files");
    assert!(
        found.is_empty(),
        "PostgreSQL types outside src/store/postgres:\n{}",
        found.join("\n")
    );
}

//! A real PostgreSQL server for the tests, a fresh database for each test.
//!
//! The server is the one `SAPS_TEST_PG` names (a URL of a role that owns its
//! database and may create roles and databases; `.ci/run` starts one), or,
//! when that is unset and Debian's PostgreSQL is installed
//! (`/usr/lib/postgresql/*/bin/initdb`), a throwaway cluster this test
//! process starts on a free loopback port (as the `postgres` user when the
//! tests run as root: PostgreSQL refuses root) and that stops within a
//! second of the process ending. Without either, [`fresh`] says once, on
//! the terminal, that the PostgreSQL tests were skipped and how to install
//! it, and returns `None`; with `CI` set it fails instead.
//! `SAPS_TEST_PG_ROOTCERT` names the server certificate's root, for the
//! `sslmode=verify-full` test.

#![allow(dead_code)]

mod cluster;

use postgres::{Client, NoTls};
use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where the tests' server is, once per test process.
struct Server {
    host: String,
    port: u16,
    /// A role that owns `base` and may create roles and databases.
    user: String,
    password: String,
    base: String,
    /// The certificate the server's chains to, when it has TLS.
    root_cert: Option<std::path::PathBuf>,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// The password every member role made by [`TestDb::member`] gets.
pub const MEMBER_PASSWORD: &str = "member-secret";

/// One test's own database, owned by the tests' role; dropped (with the
/// member roles made for it) when the test ends.
pub struct TestDb {
    /// The database's name.
    pub name: String,
    server: &'static Server,
    members: std::sync::Mutex<Vec<String>>,
}

/// A fresh, empty database, or `None` when there is no PostgreSQL to test
/// against (said once; a failure when `CI` is set).
pub fn fresh() -> Option<TestDb> {
    let server = match SERVER.get_or_init(connect_server) {
        Ok(s) => s,
        Err(why) => {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but the PostgreSQL tests cannot run: {why}");
            }
            skipped_once(why);
            return None;
        }
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "saps_t{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = server.client(&server.base);
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    Some(TestDb {
        name,
        server,
        members: std::sync::Mutex::new(Vec::new()),
    })
}

impl TestDb {
    /// The URL of this database as its owner (`postgres://`).
    pub fn url(&self) -> String {
        let s = self.server;
        url(&s.user, &s.password, &s.host, s.port, &self.name)
    }

    /// The URL of this database as the login role `email`, made now: a
    /// member of the group role the saps schema creates (so the schema must
    /// exist: open the database as its owner first).
    pub fn member(&self, email: &str) -> String {
        let group = format!("saps_member_{}", self.name);
        self.owner_sql(&format!(
            "CREATE ROLE \"{email}\" LOGIN PASSWORD '{MEMBER_PASSWORD}'; GRANT \"{group}\" TO \"{email}\";"
        ));
        self.members.lock().unwrap().push(email.to_owned());
        self.url_as(email, MEMBER_PASSWORD)
    }

    /// The root certificate of the server's TLS certificate (for
    /// `sslmode=verify-full`), when known (`SAPS_TEST_PG_ROOTCERT`).
    pub fn root_cert(&self) -> Option<std::path::PathBuf> {
        self.server.root_cert.clone()
    }

    /// The URL of this database as the login role `user`.
    pub fn url_as(&self, user: &str, password: &str) -> String {
        let s = self.server;
        url(user, password, &s.host, s.port, &self.name)
    }

    /// A raw connection to this database as its owner.
    pub fn owner_client(&self) -> Client {
        self.server.client(&self.name)
    }

    /// A raw connection to this database as `url` says.
    pub fn client_at(url: &str) -> Client {
        Client::connect(url, NoTls).unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"))
    }

    /// Runs `sql` on this database as its owner.
    pub fn owner_sql(&self, sql: &str) {
        self.owner_client()
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Ok(mut admin) = Client::connect(&self.server.conn_str(&self.server.base), NoTls) else {
            return;
        };
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\"", self.name));
        let members = self.members.lock().map(|m| m.clone()).unwrap_or_default();
        for role in members.iter().chain([&format!("saps_member_{}", self.name)]) {
            let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS \"{role}\""));
        }
    }
}

impl Server {
    fn conn_str(&self, db: &str) -> String {
        format!(
            "host={} port={} user={} password='{}' dbname={db}",
            self.host,
            self.port,
            self.user,
            self.password.replace('\\', "\\\\").replace('\'', "\\'")
        )
    }

    fn client(&self, db: &str) -> Client {
        Client::connect(&self.conn_str(db), NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to the test server's {db}: {e}"))
    }
}

/// A `postgres://` URL, its user and password percent-encoded.
pub fn url(user: &str, password: &str, host: &str, port: u16, db: &str) -> String {
    format!(
        "postgres://{}:{}@{host}:{port}/{db}",
        encode(user),
        encode(password)
    )
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn connect_server() -> Result<Server, String> {
    if let Ok(url) = std::env::var("SAPS_TEST_PG") {
        return from_url(&url).map_err(|e| panic!("{e}"));
    }
    match cluster::start() {
        Ok(server) => Ok(server),
        Err(cluster::NoCluster::NotInstalled) => Err(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and SAPS_TEST_PG is not set"
                .to_owned(),
        ),
        Err(cluster::NoCluster::Failed(why)) => {
            panic!("PostgreSQL is installed but the test cluster failed: {why}")
        }
    }
}

fn from_url(url: &str) -> Result<Server, String> {
    let config: postgres::Config = url.parse().map_err(|e| format!("SAPS_TEST_PG={url}: {e}"))?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_owned(),
    };
    let server = Server {
        host,
        port: config.get_ports().first().copied().unwrap_or(5432),
        user: config.get_user().unwrap_or("postgres").to_owned(),
        password: config
            .get_password()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .unwrap_or_default(),
        base: config.get_dbname().unwrap_or("postgres").to_owned(),
        root_cert: std::env::var_os("SAPS_TEST_PG_ROOTCERT").map(Into::into),
    };
    Client::connect(&server.conn_str(&server.base), NoTls)
        .map_err(|e| format!("SAPS_TEST_PG={url} does not answer: {e}"))?;
    Ok(server)
}

/// The skip notice, straight to the terminal (the test harness captures
/// `eprintln!`, not writes to the stream itself), once per process.
fn skipped_once(why: &str) {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\nNOTE: the PostgreSQL tests were SKIPPED: {why}.\n      Install PostgreSQL (`sudo apt-get install postgresql`) and the tests start a \
             throwaway cluster themselves,\n      or set SAPS_TEST_PG=postgres://user:password@host:port/db (a role with CREATEDB and CREATEROLE).\n"
        );
    });
}

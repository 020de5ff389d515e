//! The PostgreSQL store: the only module that names a PostgreSQL type.
//!
//! [`PgStore`] has the sled [`Store`](super::Store)'s methods and
//! signatures. The schema `saps` ([`schema`]) holds the event log `events`
//! and one key/value table per sled tree (`org`, `customers`, `vouchers`,
//! `invoices`, `index`) with the very keys and value bytes of
//! [`keys`](super::keys), [`index`](super::index) and
//! [`codec`](super::codec), so that the commit reuses the sled store's pure
//! preparation ([`writes::prepare`](super::writes)) and every page read is
//! an ordered range scan of `bytea` keys (PostgreSQL orders `bytea` as sled
//! orders bytes). Deliverable files live in the table `files` ([`files`]).
//!
//! Reads run in one REPEATABLE READ, READ ONLY transaction each (one
//! snapshot); the commit and why it never applies stale state: `commit.rs`.

mod backend;
mod backup;
mod commit;
mod commit_call;
mod commit_fn;
mod commit_sql;
pub mod files;
mod identity;
mod listen;
mod log;
mod pages;
mod reads;
mod restore;
mod restore_fill;
pub mod schema;
mod tls;
mod tx;
mod url;

pub use identity::Identity;
pub use listen::Changes;
pub use restore::BATCH as RESTORE_BATCH;
pub use schema::{PG_SCHEMA_VERSION, PgPlan, PgStep};
pub use url::is_url;

/// A connection string without its password (or options), for messages.
pub fn redacted(url: &str) -> String {
    url::redacted(url)
}

use super::StoreError;
use postgres::error::SqlState;
use std::sync::Mutex;
use tx::{Conn, Tx};

/// An open saps database on a PostgreSQL server: one connection, used by
/// one call at a time.
pub struct PgStore {
    config: postgres::Config,
    /// The root certificates the server's must chain to
    /// (`sslmode=verify-full`); `None`: not checked.
    roots: Option<std::path::PathBuf>,
    /// The server and database, for messages (never the password).
    at: String,
    /// The database's name (the group role's name carries it).
    dbname: String,
    /// Commits (and the turns they take) and, when it is free, reads.
    conn: Mutex<Conn>,
    /// Reads while a commit holds `conn` (another thread sending it: see
    /// [`PgStore::run_commit`]); connected when first needed.
    spare: Mutex<Option<Conn>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database `url` names and, on the first use of an
    /// empty database, creates the schema (migrating an older one; a newer
    /// one is [`StoreError::TooNew`]).
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        PgStore::open_with(url, &schema::plan())
    }

    /// [`PgStore::open`] with another schema plan (the migration tests).
    pub fn open_with(url: &str, plan: &PgPlan) -> Result<PgStore, StoreError> {
        let url::Parsed { config, at, roots } = url::parse(url)?;
        let dbname = config.get_dbname().map(str::to_owned).unwrap_or_else(|| {
            config
                .get_user()
                .map(str::to_owned)
                .unwrap_or_else(|| "postgres".to_owned())
        });
        let client = connect(&config, &at, roots.as_deref())?;
        let store = PgStore {
            config,
            roots,
            at,
            dbname,
            conn: Mutex::new(Conn::new(client)),
            spare: Mutex::new(None),
        };
        store.with_conn(|c, at| schema::ensure(c, at, &store.dbname, plan))?;
        Ok(store)
    }

    /// The server and database, as messages name them (no password).
    pub fn at(&self) -> &str {
        &self.at
    }

    /// The group role the schema created for this database's members.
    pub fn member_role(&self) -> String {
        schema::member_role(&self.dbname)
    }

    /// Runs `f` on the connection, reconnecting first when the server
    /// closed it (a restart, a network cut).
    fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut Conn, &str) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.on(&mut conn, f)
    }

    /// Runs `f` in one REPEATABLE READ, READ ONLY transaction: every read
    /// it makes sees one snapshot of the database. A read that finds the
    /// connection gone (a server restart, a cut) runs once more on a new
    /// one: reading twice changes nothing.
    fn read<T>(&self, mut f: impl FnMut(&mut Tx) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let once = |conn: &mut Conn, at: &str| {
            let tx = conn
                .client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .map_err(|e| error(at, e))?;
            let mut tx = Tx::new(tx, &mut conn.cache, at);
            let out = f(&mut tx)?;
            tx.commit()?;
            Ok(out)
        };
        self.read_twice(once)
    }

    /// Runs `f` on the connection commits use if no commit holds it now,
    /// else on the spare one (reads only: a turn is never taken there).
    fn with_free_conn<T>(
        &self,
        f: impl FnOnce(&mut Conn, &str) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match self.conn.try_lock() {
            Ok(mut conn) => self.on(&mut conn, f),
            Err(std::sync::TryLockError::Poisoned(p)) => self.on(&mut p.into_inner(), f),
            Err(std::sync::TryLockError::WouldBlock) => {
                let mut spare = self.spare.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let conn = match spare.as_mut() {
                    Some(conn) => conn,
                    None => spare.insert(self.connect()?),
                };
                self.on(conn, f)
            }
        }
    }

    /// Runs `f` on `conn`, reconnecting first when the server closed it.
    fn on<T>(
        &self,
        conn: &mut Conn,
        f: impl FnOnce(&mut Conn, &str) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if conn.client.is_closed() {
            *conn = self.connect()?;
        }
        f(conn, &self.at)
    }

    /// A new connection to the store's database (no statements prepared,
    /// no turn held).
    fn connect(&self) -> Result<Conn, StoreError> {
        connect(&self.config, &self.at, self.roots.as_deref()).map(Conn::new)
    }

    /// Runs the read `once` on a free connection, and once more on a new
    /// one when the server closed it meanwhile: reading twice changes
    /// nothing.
    fn read_twice<T>(
        &self,
        mut once: impl FnMut(&mut Conn, &str) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.with_free_conn(|conn, at| match once(conn, at) {
            Err(_) if conn.client.is_closed() => {
                *conn = self.connect()?;
                once(conn, at)
            }
            other => other,
        })
    }

    /// Runs `f` with each statement in its own snapshot, no transaction
    /// (no BEGIN and COMMIT round trips): for reads that a command is
    /// decided on after the state's `last_seq` was read, where every
    /// snapshot is as new as that one or newer, and a newer one makes the
    /// commit fail (see `commit.rs`). Once more on a new connection when
    /// the server closed this one.
    fn read_each<T>(&self, mut f: impl FnMut(&mut Tx) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let once = |conn: &mut Conn, at: &str| f(&mut Tx::each(&mut conn.client, &mut conn.cache, at));
        self.read_twice(once)
    }
}

fn connect(
    config: &postgres::Config,
    at: &str,
    roots: Option<&std::path::Path>,
) -> Result<postgres::Client, StoreError> {
    let tls = tls::connector(roots).map_err(|detail| StoreError::Server {
        at: at.to_owned(),
        detail,
    })?;
    let mut client = config.connect(tls).map_err(|e| error(at, e))?;
    // Plans made once per prepared statement (see `commit_fn.rs`): a read of
    // a few keys by `unnest($1)` was planned anew at each call, since its
    // custom plan is estimated cheaper than the generic one.
    client
        .batch_execute("SET plan_cache_mode = force_generic_plan")
        .map_err(|e| error(at, e))?;
    Ok(client)
}

/// What a PostgreSQL error means for saps. A commit that lost a race (its
/// first event's seq taken, a gap before it, a serialization failure) is a
/// [`StoreError::Conflict`] (the commit names the seq it lost); a role's lack of
/// privilege or the log's triggers refusing it is [`StoreError::Refused`].
pub(super) fn error(at: &str, e: postgres::Error) -> StoreError {
    let Some(db) = e.as_db_error() else {
        let detail = if e.is_closed() {
            "the connection to the server was lost (a change being saved then may or may not be in the database; the next read shows it)".to_owned()
        } else {
            match std::error::Error::source(&e) {
                Some(cause) => format!("{e}: {cause}"),
                None => e.to_string(),
            }
        };
        return StoreError::Server {
            at: at.to_owned(),
            detail,
        };
    };
    let code = db.code();
    if code.code() == schema::ERR_GAP {
        return StoreError::Conflict {
            detail: db.message().to_owned(),
        };
    }
    let lost_race = *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
        || (*code == SqlState::UNIQUE_VIOLATION
            && matches!(db.constraint(), Some("events_pkey" | "events_id_key")));
    if lost_race {
        // The commit names the event it lost.
        return StoreError::Conflict {
            detail: String::new(),
        };
    }
    if *code == SqlState::INSUFFICIENT_PRIVILEGE
        || code.code() == schema::ERR_ACTOR
        || code.code() == schema::ERR_INSERT_ONLY
    {
        return StoreError::Refused {
            detail: db.message().to_owned(),
        };
    }
    StoreError::Server {
        at: at.to_owned(),
        detail: db.message().to_owned(),
    }
}

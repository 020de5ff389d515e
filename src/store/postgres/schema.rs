//! The schema `saps`, its versions and migrations.
//!
//! `saps.schema_version` has a row per version reached. On open: an empty
//! database (no `saps.schema_version`) gets the whole schema; a newer one is
//! refused ([`StoreError::TooNew`]); an older one is upgraded by the
//! [`PgStep`]s in order. The steps and their version rows run in one
//! transaction (PostgreSQL's DDL is transactional: a failed step leaves the
//! database as it was) under an advisory lock, so two saps opening the same
//! new database at once create it once.
//!
//! Schema 1: the event log `events` (insert-only, gap-free, each event's
//! actor checked against the connecting role), the record tables, `files`,
//! and the group role `saps_member_<database>` with what members may do.
//! Only the database's owner creates or upgrades the schema (roles are the
//! cluster's, so the role name carries the database's).
//!
//! Schema 2: each event's streams and the commit's function
//! (`commit_sql.rs`). Schema 3: events keep their own ids (the one every
//! store, backup and bundle gives them), in their bytes too. Schema 4: a
//! cheaper commit function (`commit_fn.rs`). Schema 5: members write the log and
//! the records only through that function, which checks the actors.

use super::error;
use super::tx::Conn;
use crate::store::StoreError;

/// The schema this program writes and understands.
pub const PG_SCHEMA_VERSION: u32 = 5;

/// SQLSTATEs the schema raises: an event not following the last one (the
/// insert trigger of schemas 1 to 4), an actor other than the connecting
/// member (that trigger, then the commit function), an UPDATE, DELETE or
/// TRUNCATE of the log (its triggers).
pub const ERR_GAP: &str = "SP001";
pub const ERR_ACTOR: &str = "SP002";
pub const ERR_INSERT_ONLY: &str = "SP003";

/// The longest database name: PostgreSQL cuts role names at 63 bytes.
pub const MAX_DB_NAME: usize = 63 - "saps_member_".len();

/// What a step's SQL is written for.
#[derive(Debug, Clone)]
pub struct SchemaNames {
    /// The database, as an identifier (quoted).
    pub database: String,
    /// The group role of its members, as an identifier (quoted).
    pub members: String,
}

/// One upgrade, from schema `from` to `from + 1`.
#[derive(Debug, Clone, Copy)]
pub struct PgStep {
    pub from: u32,
    /// What the step changes, for messages and the version row.
    pub what: &'static str,
    pub sql: fn(&SchemaNames) -> String,
}

/// The schema a program wants and the steps that lead there.
#[derive(Debug, Clone, Copy)]
pub struct PgPlan<'a> {
    pub target: u32,
    pub steps: &'a [PgStep],
}

pub const STEPS: &[PgStep] = &[
    PgStep {
        from: 0,
        what: "create the saps schema: the event log, the records, the files and the members' role",
        sql: schema_1,
    },
    PgStep {
        from: 1,
        what: "each event's streams and the commit's function (commits contend only on what they share)",
        sql: super::commit_sql::schema_2,
    },
    PgStep {
        from: 2,
        what: "events keep their own ids, in their bytes too",
        sql: schema_3,
    },
    PgStep {
        from: 3,
        what: "a cheaper commit function (each event's streams in one text, generic plans)",
        sql: super::commit_fn::schema_4,
    },
    PgStep {
        from: 4,
        what: "members write only through the commit function, which checks the actors (no insert trigger)",
        sql: super::commit_fn::schema_5,
    },
];

/// Schema 3: an event's `id` is its own (the one every store, backup and
/// bundle gives it), and new events' bytes carry it too, which a saps of
/// schema 2 cannot read: so the version moves. The older rows keep the
/// ids they were given.
fn schema_3(_: &SchemaNames) -> String {
    "COMMENT ON COLUMN saps.events.id IS 'the event''s own UUIDv7: a retried command, a bundle or a restore is recognised by it';".to_owned()
}

pub fn plan() -> PgPlan<'static> {
    PgPlan {
        target: PG_SCHEMA_VERSION,
        steps: STEPS,
    }
}

/// The group role of the database `db`'s members.
pub fn member_role(db: &str) -> String {
    format!("saps_member_{db}")
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Checks the schema version and creates or migrates the schema.
pub(super) fn ensure(conn: &mut Conn, at: &str, db: &str, plan: &PgPlan) -> Result<(), StoreError> {
    let server = |detail: String| StoreError::Server {
        at: at.to_owned(),
        detail,
    };
    if found(&mut conn.client, at)? == plan.target {
        return Ok(());
    }
    if db.len() > MAX_DB_NAME {
        return Err(server(format!(
            "the database's name has {} bytes; saps needs at most {MAX_DB_NAME} (its members' role is saps_member_<name>)",
            db.len()
        )));
    }
    let mut tx = conn.client.transaction().map_err(|e| error(at, e))?;
    tx.execute("SELECT pg_advisory_xact_lock(hashtext('saps schema'))", &[])
        .map_err(|e| error(at, e))?;
    let version = found(&mut tx, at)?;
    if version > plan.target {
        return Err(StoreError::TooNew {
            found: version,
            supported: plan.target,
        });
    }
    if version == plan.target {
        return tx.commit().map_err(|e| error(at, e));
    }
    let owner: bool = tx
        .query_one(
            "SELECT pg_get_userbyid(datdba) = current_user FROM pg_database WHERE datname = current_database()",
            &[],
        )
        .map_err(|e| error(at, e))?
        .get(0);
    if !owner {
        let what = if version == 0 {
            "has no saps schema yet"
        } else {
            "needs a newer saps schema"
        };
        return Err(server(format!(
            "the database {what}; its owner (the role that owns the database) runs saps against it once first"
        )));
    }
    let names = SchemaNames {
        database: ident(db),
        members: ident(&member_role(db)),
    };
    let steps: Option<Vec<&PgStep>> = (version..plan.target)
        .map(|v| plan.steps.iter().find(|s| s.from == v))
        .collect();
    let steps = steps.ok_or_else(|| {
        server(format!(
            "the database has saps schema {version} and this saps cannot migrate it to {}",
            plan.target
        ))
    })?;
    for step in steps {
        tx.batch_execute(&(step.sql)(&names)).map_err(|e| {
            server(format!(
                "creating the saps schema {} ({}) failed: {}",
                step.from + 1,
                step.what,
                error(at, e)
            ))
        })?;
        let next = i32::try_from(step.from + 1).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO saps.schema_version (version, what) VALUES ($1, $2)",
            &[&next, &step.what],
        )
        .map_err(|e| error(at, e))?;
    }
    tx.commit().map_err(|e| error(at, e))
}

/// The schema version the database has (0: none yet).
fn found(c: &mut impl postgres::GenericClient, at: &str) -> Result<u32, StoreError> {
    let exists: bool = c
        .query_one("SELECT to_regclass('saps.schema_version') IS NOT NULL", &[])
        .map_err(|e| error(at, e))?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let v: Option<i32> = c
        .query_one("SELECT max(version) FROM saps.schema_version", &[])
        .map_err(|e| error(at, e))?
        .get(0);
    Ok(v.map_or(0, |v| u32::try_from(v).unwrap_or(0)))
}

/// Schema 1, whole.
fn schema_1(n: &SchemaNames) -> String {
    let SchemaNames { database, members } = n;
    let members_literal = literal(members.trim_matches('"'));
    format!(
        r#"
CREATE SCHEMA saps;
REVOKE ALL ON SCHEMA saps FROM PUBLIC;
CREATE TABLE saps.schema_version (
    version integer PRIMARY KEY,
    what text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- The audit log. seq is gap-free (the trigger below), so a commit that
-- inserts seq = its state's last_seq + 1 fails when another took it first.
CREATE TABLE saps.events (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    at timestamptz NOT NULL,
    actor text NOT NULL,
    id uuid NOT NULL UNIQUE,
    body bytea NOT NULL
);

CREATE TABLE saps.org (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE saps.customers (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE saps.vouchers (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE saps.invoices (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE saps."index" (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE saps.files (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{{64}}$'),
    size bigint NOT NULL CHECK (size >= 0),
    bytes bytea NOT NULL
);

CREATE FUNCTION saps.events_append() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    last bigint;
BEGIN
    SELECT coalesce(max(seq), 0) INTO last FROM saps.events;
    IF NEW.seq <> last + 1 THEN
        RAISE EXCEPTION 'event % does not follow the last event, %', NEW.seq, last
            USING ERRCODE = '{ERR_GAP}';
    END IF;
    IF current_user <> (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database())
       AND lower(NEW.actor) <> lower(current_user::text) THEN
        RAISE EXCEPTION '% may record only its own actions, not those of %', current_user, NEW.actor
            USING ERRCODE = '{ERR_ACTOR}';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER events_append BEFORE INSERT ON saps.events
    FOR EACH ROW EXECUTE FUNCTION saps.events_append();

CREATE FUNCTION saps.events_insert_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION 'the audit log is insert-only: % of saps.events is refused', TG_OP
        USING ERRCODE = '{ERR_INSERT_ONLY}';
END
$fn$;
CREATE TRIGGER events_insert_only BEFORE UPDATE OR DELETE ON saps.events
    FOR EACH ROW EXECUTE FUNCTION saps.events_insert_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON saps.events
    FOR EACH STATEMENT EXECUTE FUNCTION saps.events_insert_only();

-- The members' group role: what a member's login needs, and no more.
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {members_literal}) THEN
        CREATE ROLE {members} NOLOGIN;
    END IF;
END
$do$;
GRANT CONNECT ON DATABASE {database} TO {members};
GRANT USAGE ON SCHEMA saps TO {members};
GRANT SELECT ON saps.schema_version TO {members};
GRANT SELECT, INSERT ON saps.events TO {members};
REVOKE UPDATE, DELETE, TRUNCATE ON saps.events FROM {members};
GRANT SELECT, INSERT, UPDATE, DELETE ON saps.org, saps.customers, saps.vouchers, saps.invoices, saps."index" TO {members};
GRANT SELECT, INSERT ON saps.files TO {members};
"#
    )
}

//! Schema 4: a cheaper `saps.commit_events` (what `commit.rs` calls; the
//! same steps as schema 2's, `commit_sql.rs`, in fewer and simpler
//! statements). Eight writers on a two-core machine spent most of the
//! server's time in this function, and every commit runs it under the
//! log's head lock, so its cost is the whole team's throughput
//! (BENCHMARKS.md, "PostgreSQL"):
//!
//! - each event's streams come as one text, an array's literal, instead of
//!   a list of (event, stream) pairs grouped on the server (a sort, an
//!   aggregate and a join for every insert);
//! - the conflict check and the streams touched in between are one scan of
//!   the events since the batch's basis;
//! - the counters' clean-up runs only when a delta is negative;
//! - the log's trigger checks an insert in one statement, not three;
//! - saps's connections plan generically (`SET plan_cache_mode =
//!   force_generic_plan` at connect, `mod.rs`): a plan is made once per
//!   connection instead of once per call (PostgreSQL plans a statement
//!   with parameters anew on each of its first calls and keeps doing so
//!   when the generic plan is not estimated cheaper); every range on `seq`
//!   here has both its ends, so a generic plan's estimate is a small range
//!   and it reads the primary key, whatever the log's size. (Not a `SET`
//!   clause on the functions: that costs a setting saved and restored at
//!   every call, and any other connection, a member's `psql`, only plans
//!   anew.)

use super::commit_sql::{HEAD, TURN, table_writes};
use super::schema::SchemaNames;

/// Schema 4, from schema 3.
pub fn schema_4(_: &SchemaNames) -> String {
    let function = commit_function(None);
    format!(
        r#"
DROP FUNCTION saps.commit_events(bigint, text[], integer[], integer, timestamptz[], text[], uuid[],
    bytea[], integer[], text[], integer[], integer[], bytea[], bytea[], integer[], integer[], bytea[],
    bigint[], text);

-- The log's trigger (schema 2's checks) in one statement.
CREATE OR REPLACE FUNCTION saps.events_append() RETURNS trigger LANGUAGE plpgsql
AS $fn$
DECLARE
    v_first bigint;
    v_last bigint;
    v_n bigint;
    v_before bigint;
    v_other text;
    v_owner boolean;
BEGIN
    SELECT r.first, r.last, r.n, r.other,
           (SELECT coalesce(max(e.seq), 0) FROM saps.events e WHERE e.seq < r.first),
           CASE WHEN r.other IS NOT NULL THEN current_user = (SELECT pg_get_userbyid(d.datdba)
               FROM pg_database d WHERE d.datname = current_database()) END
        INTO v_first, v_last, v_n, v_other, v_before, v_owner
        FROM (SELECT min(x.seq) AS first, max(x.seq) AS last, count(*) AS n,
                     min(x.actor) FILTER (WHERE lower(x.actor) <> lower(current_user::text)) AS other
              FROM new_rows x) r;
    IF v_n = 0 THEN
        RETURN NULL;
    END IF;
    IF v_first <> v_before + 1 OR v_last - v_first + 1 <> v_n THEN
        RAISE EXCEPTION 'event % does not follow the last event, %', v_first, v_before
            USING ERRCODE = '{gap}';
    END IF;
    IF v_other IS NOT NULL AND NOT v_owner THEN
        RAISE EXCEPTION '% may record only its own actions, not those of %', current_user, v_other
            USING ERRCODE = '{actor}';
    END IF;
    RETURN NULL;
END
$fn$;

{function}"#,
        gap = super::schema::ERR_GAP,
        actor = super::schema::ERR_ACTOR,
    )
}

/// The arguments of `saps.commit_events` (schema 4 on), for its grants.
const ARGS: &str = "bigint, text[], integer[], integer, timestamptz[], text[], uuid[], bytea[], \
    integer[], text[], integer[], bytea[], bytea[], integer[], integer[], bytea[], bigint[], text";

/// Schema 5, from schema 4: members append to the log and write records
/// only through `saps.commit_events`, which runs as its owner and refuses
/// an event whose actor is not the connecting role (but the database's
/// owner's); the log's insert trigger goes. That trigger, a plpgsql
/// function over a transition table of the inserted rows, took a fifth of
/// eight writers' throughput: it ran inside every commit, under the log's
/// head lock.
pub fn schema_5(n: &SchemaNames) -> String {
    let SchemaNames { members, .. } = n;
    let guard = format!(
        r#"
    -- The actors: the connecting role's own, or anyone's for the owner.
    SELECT min(a.a) FILTER (WHERE lower(a.a) <> lower(session_user::text)) INTO v_other
        FROM unnest(p_actors) AS a(a);
    IF v_other IS NOT NULL AND session_user <> (SELECT pg_get_userbyid(d.datdba)
            FROM pg_catalog.pg_database d WHERE d.datname = current_database()) THEN
        RAISE EXCEPTION '% may record only its own actions, not those of %', session_user, v_other
            USING ERRCODE = '{actor}';
    END IF;"#,
        actor = super::schema::ERR_ACTOR,
    );
    let function = commit_function(Some(&guard));
    format!(
        r#"
DROP TRIGGER events_append ON saps.events;
DROP FUNCTION saps.events_append();
REVOKE INSERT ON saps.events FROM {members};
REVOKE INSERT, UPDATE, DELETE ON saps.org, saps.customers, saps.vouchers, saps.invoices, saps."index" FROM {members};
{function}
REVOKE ALL ON FUNCTION saps.commit_events({ARGS}) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION saps.commit_events({ARGS}) TO {members};
"#
    )
}

/// The CREATE of `saps.commit_events`: schema 4's (`guard` none), or schema
/// 5's, which runs as its owner and checks the events' actors itself
/// (`schema_5`).
fn commit_function(guard: Option<&str>) -> String {
    let writes = table_writes();
    let (create, attributes, declare) = match guard {
        None => ("CREATE FUNCTION", "", ""),
        Some(_) => (
            "CREATE OR REPLACE FUNCTION",
            " SECURITY DEFINER SET search_path = pg_catalog, pg_temp",
            "\n    v_other text;",
        ),
    };
    format!(
        r#"-- One commit (see schema 2's for what each step is for). p_streams: each
-- event's streams as an array's text.
{create} saps.commit_events(
    p_expected bigint, p_deps text[], p_turns integer[], p_most_between integer,
    p_ats timestamptz[], p_actors text[], p_ids uuid[], p_bodies bytea[], p_tail_at integer[],
    p_streams text[],
    p_w_table integer[], p_w_key bytea[], p_w_value bytea[], p_w_set integer[], p_w_gone integer[],
    p_c_key bytea[], p_c_delta bigint[],
    p_channel text
) RETURNS TABLE (o_first bigint, o_conflict bigint, o_between text[])
LANGUAGE plpgsql VOLATILE{attributes}
AS $fn$
DECLARE
    v_head bigint;
    v_hit bigint;{declare}
BEGIN{guard}
    PERFORM 1 FROM (SELECT pg_advisory_xact_lock_shared({turn}, t.k) FROM unnest(p_turns) AS t(k)
                    UNION ALL SELECT pg_advisory_xact_lock({head})) AS l;
    SELECT coalesce(max(e.seq), 0) INTO v_head FROM saps.events e;
    o_first := NULL;
    o_conflict := NULL;
    o_between := '{{}}';
    IF v_head < p_expected THEN
        o_conflict := v_head;
        o_between := NULL;
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_head > p_expected AND v_head - p_expected <= p_most_between THEN
        SELECT min(e.seq) FILTER (WHERE p_deps IS NULL OR e.streams && p_deps),
               coalesce(array_agg(DISTINCT s.s), '{{}}')
            INTO v_hit, o_between
            FROM saps.events e CROSS JOIN LATERAL unnest(e.streams) AS s(s)
            WHERE e.seq > p_expected AND e.seq <= v_head;
    ELSIF v_head > p_expected THEN
        SELECT min(e.seq) INTO v_hit FROM saps.events e
            WHERE e.seq > p_expected AND e.seq <= v_head AND (p_deps IS NULL OR e.streams && p_deps);
        o_between := NULL;
    END IF;
    IF v_hit IS NOT NULL THEN
        o_conflict := v_hit;
        o_between := NULL;
        RETURN NEXT;
        RETURN;
    END IF;
    INSERT INTO saps.events (seq, at, actor, id, body, streams)
        SELECT v_head + e.i, e.at, e.actor, e.id,
               CASE WHEN v_head = p_expected THEN e.body
                    ELSE substring(e.body FROM 1 FOR 1) || saps.seq_bytes(v_head + e.i)
                         || substring(e.body FROM e.tail_at) END,
               e.streams::text[]
        FROM unnest(p_ats, p_actors, p_ids, p_bodies, p_tail_at, p_streams)
             WITH ORDINALITY AS e(at, actor, id, body, tail_at, streams, i);
{writes}
    IF cardinality(p_c_key) > 0 THEN
        INSERT INTO saps."index" AS x (key, value)
            SELECT c.k, int8send(c.d) FROM unnest(p_c_key, p_c_delta) AS c(k, d)
            ON CONFLICT (key) DO UPDATE SET value = int8send(saps.counter(x.value) + saps.counter(EXCLUDED.value));
        IF 0 > ANY(p_c_delta) THEN
            DELETE FROM saps."index" x WHERE x.key = ANY(p_c_key) AND saps.counter(x.value) <= 0;
        END IF;
    END IF;
    PERFORM pg_notify(p_channel, (v_head + cardinality(p_bodies))::text);
    o_first := v_head + 1;
    RETURN NEXT;
END
$fn$;
"#,
        guard = guard.unwrap_or_default(),
        head = HEAD,
        turn = TURN,
    )
}

/// The literal of a text array holding `streams` (each quoted), or `{org}`
/// for none: an event that touched nothing named touched everything, as a
/// restored event does.
pub fn streams_literal(streams: &[String]) -> String {
    if streams.is_empty() {
        return format!("{{{}}}", crate::store::streams::ORG);
    }
    let mut out = String::from("{");
    for (i, s) in streams.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in s.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::streams_literal;

    #[test]
    fn a_stream_literal_quotes_what_an_array_literal_would_split_on() {
        assert_eq!(streams_literal(&[]), "{org}");
        let streams = ["c:A,B".to_owned(), "i:\"x\"\\{y}".to_owned()];
        assert_eq!(streams_literal(&streams), r#"{"c:A,B","i:\"x\"\\{y}"}"#);
    }
}

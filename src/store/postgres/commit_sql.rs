//! Schema 2: what the commit needs on the server (`commit.rs`): each
//! event's streams, the lock on the log's head and one function,
//! `saps.commit_events`, that checks, numbers and writes a commit in one
//! call (one round trip).

use super::schema::SchemaNames;
use super::tx::Table;

/// The transaction-level advisory lock on the log's head ("SAPS"): held
/// from a commit's check to its end, so commits are numbered in the order
/// they commit.
pub const HEAD: i64 = 0x5341_5053;

/// The first key of the advisory locks that are a stream's *turn* (the
/// second is [`turn_key`] of the stream's name): held exclusively, on its
/// session, by a writer that lost on that stream, until its next commit;
/// every commit takes those of its streams shared (see `commit.rs`).
pub const TURN: i32 = 0x5341_5054;

/// The tables in the order `commit_events`'s `p_w_table` numbers them.
pub const TABLES: [Table; 5] = [
    Table::Org,
    Table::Customers,
    Table::Vouchers,
    Table::Invoices,
    Table::Index,
];

/// The commit function's writes of the record tables: for each table of
/// [`TABLES`], its removed keys deleted and its set keys upserted (the
/// same in schema 2's function and in schema 4's).
pub fn table_writes() -> String {
    let mut writes = String::new();
    for (n, t) in TABLES.iter().enumerate() {
        let t = t.name();
        writes += &format!(
            "
    IF p_w_gone @> ARRAY[{n}] THEN
        DELETE FROM {t} x USING unnest(p_w_table, p_w_key, p_w_value) AS w(tb, k, v)
            WHERE w.tb = {n} AND w.v IS NULL AND x.key = w.k;
    END IF;
    IF p_w_set @> ARRAY[{n}] THEN
        INSERT INTO {t} (key, value)
            SELECT w.k, w.v FROM unnest(p_w_table, p_w_key, p_w_value) AS w(tb, k, v)
            WHERE w.tb = {n} AND w.v IS NOT NULL
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
    END IF;"
        );
    }
    writes
}

/// Schema 2, from schema 1.
pub fn schema_2(_: &SchemaNames) -> String {
    let writes = table_writes();
    format!(
        r#"
-- The streams each event touched (see src/store/streams.rs); an event
-- written without them (a restore) touched everything.
ALTER TABLE saps.events ADD COLUMN streams text[] NOT NULL DEFAULT '{{org}}';

-- The log's trigger checks each insert once, not each row: its events
-- follow the last one without a gap; a member records only its own.
DROP TRIGGER events_append ON saps.events;
CREATE OR REPLACE FUNCTION saps.events_append() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    v_first bigint;
    v_last bigint;
    v_n bigint;
    v_before bigint;
    v_other text;
BEGIN
    SELECT min(r.seq), max(r.seq), count(*), min(r.actor) FILTER (WHERE lower(r.actor) <> lower(current_user::text))
        INTO v_first, v_last, v_n, v_other FROM new_rows r;
    IF v_n = 0 THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(max(e.seq), 0) INTO v_before FROM saps.events e WHERE e.seq < v_first;
    IF v_first <> v_before + 1 OR v_last - v_first + 1 <> v_n THEN
        RAISE EXCEPTION 'event % does not follow the last event, %', v_first, v_before
            USING ERRCODE = '{gap}';
    END IF;
    IF v_other IS NOT NULL
       AND current_user <> (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()) THEN
        RAISE EXCEPTION '% may record only its own actions, not those of %', current_user, v_other
            USING ERRCODE = '{actor}';
    END IF;
    RETURN NULL;
END
$fn$;
CREATE TRIGGER events_append AFTER INSERT ON saps.events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION saps.events_append();

-- bincode's varint of a seq (how an event's stored body starts, after
-- its format byte): one byte to 250, then a marker and 2, 4 or 8 bytes,
-- little-endian. One expression, so that it is inlined where it is used.
CREATE FUNCTION saps.seq_bytes(s bigint) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE
        WHEN s <= 250 THEN set_byte('\x00'::bytea, 0, s::integer)
        WHEN s <= 65535 THEN set_byte(set_byte('\xfb0000'::bytea, 1, (s & 255)::integer), 2, (s >> 8)::integer)
        WHEN s <= 4294967295 THEN set_byte(set_byte(set_byte(set_byte('\xfc00000000'::bytea,
            1, (s & 255)::integer), 2, ((s >> 8) & 255)::integer),
            3, ((s >> 16) & 255)::integer), 4, ((s >> 24) & 255)::integer)
        ELSE set_byte(set_byte(set_byte(set_byte(set_byte(set_byte(set_byte(set_byte('\xfd0000000000000000'::bytea,
            1, (s & 255)::integer), 2, ((s >> 8) & 255)::integer),
            3, ((s >> 16) & 255)::integer), 4, ((s >> 24) & 255)::integer),
            5, ((s >> 32) & 255)::integer), 6, ((s >> 40) & 255)::integer),
            7, ((s >> 48) & 255)::integer), 8, ((s >> 56) & 255)::integer)
    END
$fn$;
-- A counter's value (8 bytes, big-endian).
CREATE FUNCTION saps.counter(v bytea) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $fn$
    SELECT ('x' || encode(v, 'hex'))::bit(64)::bigint
$fn$;

-- One commit. Under the head lock: refused (o_conflict, the first event
-- since p_expected that touched a stream of p_deps, NULL deps: any event;
-- or the head, when the log ends before p_expected)
-- or numbered from the head, its events and records written, its counters
-- added to, saps_events notified. o_between: the streams other commits
-- touched since p_expected (NULL: more than p_most_between events).
-- Each statement here sees every commit before the lock was taken (a
-- VOLATILE function takes a new snapshot per statement).
CREATE FUNCTION saps.commit_events(
    p_expected bigint, p_deps text[], p_turns integer[], p_most_between integer,
    p_ats timestamptz[], p_actors text[], p_ids uuid[], p_bodies bytea[], p_tail_at integer[],
    p_streams text[], p_stream_event integer[],
    p_w_table integer[], p_w_key bytea[], p_w_value bytea[], p_w_set integer[], p_w_gone integer[],
    p_c_key bytea[], p_c_delta bigint[],
    p_channel text
) RETURNS TABLE (o_first bigint, o_conflict bigint, o_between text[])
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    v_head bigint;
    v_hit bigint;
    v_n integer := coalesce(cardinality(p_bodies), 0);
BEGIN
    -- The turns of the streams it depends on, shared (see commit.rs), then
    -- the head, in that order.
    PERFORM 1 FROM (SELECT pg_advisory_xact_lock_shared({turn}, t.k) FROM unnest(p_turns) AS t(k)
                    UNION ALL SELECT pg_advisory_xact_lock({head})) AS l;
    SELECT coalesce(max(e.seq), 0) INTO v_head FROM saps.events e;
    o_between := '{{}}';
    IF v_head < p_expected THEN
        -- Decided on events the log does not hold.
        o_first := NULL;
        o_conflict := v_head;
        o_between := NULL;
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_head > p_expected THEN
        SELECT min(e.seq) INTO v_hit FROM saps.events e
            WHERE e.seq > p_expected AND (p_deps IS NULL OR e.streams && p_deps);
        IF v_hit IS NOT NULL THEN
            o_first := NULL;
            o_conflict := v_hit;
            o_between := NULL;
            RETURN NEXT;
            RETURN;
        END IF;
        IF v_head - p_expected <= p_most_between THEN
            o_between := ARRAY(SELECT DISTINCT s.s FROM saps.events e, unnest(e.streams) AS s(s)
                WHERE e.seq > p_expected ORDER BY 1);
        ELSE
            o_between := NULL;
        END IF;
    END IF;
    INSERT INTO saps.events (seq, at, actor, id, body, streams)
        SELECT v_head + e.i, e.at, e.actor, e.id,
               CASE WHEN v_head = p_expected THEN e.body
                    ELSE substring(e.body FROM 1 FOR 1) || saps.seq_bytes(v_head + e.i)
                         || substring(e.body FROM e.tail_at) END,
               coalesce(s.streams, '{{org}}')
        FROM unnest(p_ats, p_actors, p_ids, p_bodies, p_tail_at) WITH ORDINALITY AS e(at, actor, id, body, tail_at, i)
        LEFT JOIN (SELECT x.ev, array_agg(x.st ORDER BY x.st) AS streams
                   FROM unnest(p_stream_event, p_streams) AS x(ev, st) GROUP BY x.ev) s ON s.ev = e.i
        ORDER BY e.i;
{writes}
    IF cardinality(p_c_key) > 0 THEN
        INSERT INTO saps."index" AS x (key, value)
            SELECT c.k, int8send(c.d) FROM unnest(p_c_key, p_c_delta) AS c(k, d)
            ON CONFLICT (key) DO UPDATE SET value = int8send(saps.counter(x.value) + saps.counter(EXCLUDED.value));
        DELETE FROM saps."index" x WHERE x.key = ANY(p_c_key) AND saps.counter(x.value) <= 0;
    END IF;
    PERFORM pg_notify(p_channel, (v_head + v_n)::text);
    o_first := v_head + 1;
    o_conflict := NULL;
    RETURN NEXT;
END
$fn$;
"#,
        head = HEAD,
        turn = TURN,
        gap = super::schema::ERR_GAP,
        actor = super::schema::ERR_ACTOR,
    )
}

/// The second key of a stream's turn: FNV-1a of its name (the same on
/// every machine; two streams sharing one only wait for each other more).
pub fn turn_key(stream: &str) -> i32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in stream.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    i32::from_ne_bytes(h.to_ne_bytes())
}

/// The turn keys of `deps`, sorted, each once, `org` left out (every
/// command reads it; its turn would stop every commit).
pub fn turn_keys<'a>(deps: impl IntoIterator<Item = &'a str>) -> Vec<i32> {
    let mut keys: Vec<i32> = deps
        .into_iter()
        .filter(|d| *d != crate::store::streams::ORG)
        .map(turn_key)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

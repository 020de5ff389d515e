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

/// The tables in the order `commit_events`'s `p_w_table` numbers them.
pub const TABLES: [Table; 5] = [
    Table::Org,
    Table::Customers,
    Table::Vouchers,
    Table::Invoices,
    Table::Index,
];

/// Schema 2, from schema 1.
pub fn schema_2(_: &SchemaNames) -> String {
    let mut writes = String::new();
    for (n, t) in TABLES.iter().enumerate() {
        let t = t.name();
        writes += &format!(
            "
    DELETE FROM {t} x USING unnest(p_w_table, p_w_key, p_w_value) AS w(tb, k, v)
        WHERE w.tb = {n} AND w.v IS NULL AND x.key = w.k;
    INSERT INTO {t} (key, value)
        SELECT w.k, w.v FROM unnest(p_w_table, p_w_key, p_w_value) AS w(tb, k, v)
        WHERE w.tb = {n} AND w.v IS NOT NULL
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;"
        );
    }
    format!(
        r#"
-- The streams each event touched (see src/store/streams.rs); an event
-- written without them (a restore) touched everything.
ALTER TABLE saps.events ADD COLUMN streams text[] NOT NULL DEFAULT '{{org}}';

-- bincode's varint of a seq (how an event's stored body starts, after
-- its format byte): one byte to 250, then a marker and 2, 4 or 8 bytes,
-- little-endian.
CREATE FUNCTION saps.little_endian(v bigint, n integer) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $fn$
    SELECT string_agg(set_byte('\x00'::bytea, 0, ((v >> (8 * g.i)) & 255)::integer), ''::bytea ORDER BY g.i)
    FROM generate_series(0, n - 1) AS g(i)
$fn$;
CREATE FUNCTION saps.seq_bytes(s bigint) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $fn$
    SELECT CASE
        WHEN s <= 250 THEN saps.little_endian(s, 1)
        WHEN s <= 65535 THEN '\xfb'::bytea || saps.little_endian(s, 2)
        WHEN s <= 4294967295 THEN '\xfc'::bytea || saps.little_endian(s, 4)
        ELSE '\xfd'::bytea || saps.little_endian(s, 8)
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
    p_expected bigint, p_deps text[], p_most_between integer,
    p_version bytea, p_ats timestamptz[], p_actors text[], p_ids uuid[], p_tails bytea[],
    p_streams text[], p_ends integer[],
    p_w_table integer[], p_w_key bytea[], p_w_value bytea[],
    p_c_key bytea[], p_c_delta bigint[],
    p_channel text
) RETURNS TABLE (o_first bigint, o_conflict bigint, o_between text[])
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    v_head bigint;
    v_hit bigint;
    v_n integer := coalesce(cardinality(p_tails), 0);
BEGIN
    PERFORM pg_advisory_xact_lock({head});
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
        SELECT v_head + g.i, p_ats[g.i], p_actors[g.i], p_ids[g.i],
               p_version || saps.seq_bytes(v_head + g.i) || p_tails[g.i],
               p_streams[coalesce(p_ends[g.i - 1], 0) + 1 : p_ends[g.i]]
        FROM generate_series(1, v_n) AS g(i) ORDER BY g.i;
{writes}
    INSERT INTO saps."index" AS x (key, value)
        SELECT c.k, int8send(c.d) FROM unnest(p_c_key, p_c_delta) AS c(k, d)
        ON CONFLICT (key) DO UPDATE SET value = int8send(saps.counter(x.value) + saps.counter(EXCLUDED.value));
    DELETE FROM saps."index" x WHERE x.key = ANY(p_c_key) AND saps.counter(x.value) <= 0;
    PERFORM pg_notify(p_channel, (v_head + v_n)::text);
    o_first := v_head + 1;
    o_conflict := NULL;
    RETURN NEXT;
END
$fn$;
"#,
        head = HEAD,
    )
}

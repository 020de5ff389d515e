//! One transaction on the connection, with the connection's prepared
//! statements (each query text is prepared once per connection, then only
//! executed), and the key/value reads every table of records shares.

use super::error;
use crate::store::{Entries, StoreError};
use postgres::types::ToSql;
use postgres::{Row, Statement};
use std::collections::HashMap;

/// The connection and the statements prepared on it.
pub(super) struct Conn {
    pub client: postgres::Client,
    pub cache: HashMap<String, Statement>,
    /// This connection holds the turn of some streams (see `commit.rs`).
    pub turn: bool,
}

impl Conn {
    pub fn new(client: postgres::Client) -> Conn {
        Conn {
            client,
            cache: HashMap::new(),
            turn: false,
        }
    }
}

/// The tables that hold what a sled tree holds: `key bytea`, `value bytea`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Table {
    Org,
    Customers,
    Vouchers,
    Invoices,
    Index,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Org => "saps.org",
            Table::Customers => "saps.customers",
            Table::Vouchers => "saps.vouchers",
            Table::Invoices => "saps.invoices",
            Table::Index => "saps.\"index\"",
        }
    }
}

pub(super) type Params<'p> = [&'p (dyn ToSql + Sync)];

pub(super) struct Tx<'a> {
    tx: On<'a>,
    cache: &'a mut HashMap<String, Statement>,
    pub at: &'a str,
}

/// A transaction, or the connection itself: each statement its own
/// snapshot (no BEGIN and COMMIT round trips).
enum On<'a> {
    Tx(postgres::Transaction<'a>),
    Each(&'a mut postgres::Client),
}

impl<'a> Tx<'a> {
    pub fn new(
        tx: postgres::Transaction<'a>,
        cache: &'a mut HashMap<String, Statement>,
        at: &'a str,
    ) -> Tx<'a> {
        Tx {
            tx: On::Tx(tx),
            cache,
            at,
        }
    }

    /// Statements run one by one, each in its own snapshot.
    pub fn each(
        client: &'a mut postgres::Client,
        cache: &'a mut HashMap<String, Statement>,
        at: &'a str,
    ) -> Tx<'a> {
        Tx {
            tx: On::Each(client),
            cache,
            at,
        }
    }

    pub fn commit(self) -> Result<(), StoreError> {
        let at = self.at;
        match self.tx {
            On::Tx(tx) => tx.commit().map_err(|e| error(at, e)),
            On::Each(_) => Ok(()),
        }
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.clone());
        }
        let s = match &mut self.tx {
            On::Tx(tx) => tx.prepare(sql)?,
            On::Each(c) => c.prepare(sql)?,
        };
        self.cache.insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    /// The rows of `sql`, a PostgreSQL error as it is (the commit tells a
    /// lost race from other failures).
    pub fn query_pg(&mut self, sql: &str, params: &Params) -> Result<Vec<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        match &mut self.tx {
            On::Tx(tx) => tx.query(&s, params),
            On::Each(c) => c.query(&s, params),
        }
    }

    pub fn query(&mut self, sql: &str, params: &Params) -> Result<Vec<Row>, StoreError> {
        let at = self.at;
        self.query_pg(sql, params).map_err(|e| error(at, e))
    }

    pub fn execute(&mut self, sql: &str, params: &Params) -> Result<u64, StoreError> {
        let at = self.at;
        let s = self.statement(sql).map_err(|e| error(at, e))?;
        match &mut self.tx {
            On::Tx(tx) => tx.execute(&s, params),
            On::Each(c) => c.execute(&s, params),
        }
        .map_err(|e| error(at, e))
    }

    /// The value under `key`, or `None`.
    pub fn get(&mut self, t: Table, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let sql = format!("SELECT value FROM {} WHERE key = $1", t.name());
        let rows = self.query(&sql, &[&key])?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    /// The values under `keys` that exist, with their keys, in key order.
    pub fn get_many(&mut self, t: Table, keys: &[Vec<u8>]) -> Result<Entries, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        // One index probe per key (a plain `key = ANY` of a thousand keys is
        // planned as a scan of the whole table; `LIMIT` keeps the subquery a
        // loop of probes).
        let sql = format!(
            "SELECT r.key, r.value FROM (SELECT DISTINCT u.key FROM unnest($1::bytea[]) AS u(key)) AS k \
             CROSS JOIN LATERAL (SELECT x.key, x.value FROM {} x WHERE x.key = k.key LIMIT 1) r ORDER BY r.key",
            t.name()
        );
        Ok(pairs(self.query(&sql, &[&keys])?))
    }

    /// Keys and values of `t` from `start` (inclusive, or exclusive when
    /// `after`) to `end` (exclusive; `None`: to the last key), at most
    /// `limit`, in key order or (`rev`) from the last one down.
    pub fn range(
        &mut self,
        t: Table,
        start: (&[u8], bool),
        end: Option<&[u8]>,
        limit: Option<usize>,
        rev: bool,
    ) -> Result<Entries, StoreError> {
        let (lower, after) = start;
        let op = if after { ">" } else { ">=" };
        let order = if rev { "DESC" } else { "ASC" };
        let limit = limit.map_or(i64::MAX, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let rows = match end {
            Some(end) => {
                let sql = format!(
                    "SELECT key, value FROM {} WHERE key {op} $1 AND key < $2 ORDER BY key {order} LIMIT $3",
                    t.name()
                );
                self.query(&sql, &[&lower, &end, &limit])?
            }
            None => {
                let sql = format!(
                    "SELECT key, value FROM {} WHERE key {op} $1 ORDER BY key {order} LIMIT $2",
                    t.name()
                );
                self.query(&sql, &[&lower, &limit])?
            }
        };
        Ok(pairs(rows))
    }

    /// The keys and values of `t` starting with `prefix`, in key order.
    pub fn prefix(&mut self, t: Table, prefix: &[u8], limit: Option<usize>) -> Result<Entries, StoreError> {
        let end = successor(prefix);
        self.range(t, (prefix, false), end.as_deref(), limit, false)
    }
}

fn pairs(rows: Vec<Row>) -> Entries {
    rows.into_iter().map(|r| (r.get(0), r.get(1))).collect()
}

/// The first key after every key starting with `prefix`; `None` when
/// there is none (an empty prefix, or one of 0xFF bytes only).
pub(super) fn successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::successor;

    #[test]
    fn the_successor_of_a_prefix_bounds_every_key_it_starts() {
        assert_eq!(successor(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(successor(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(successor(&[0xFF, 0xFF]), None);
        assert_eq!(successor(b""), None);
    }
}

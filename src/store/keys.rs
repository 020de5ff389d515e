//! The store's layout in one place: tree names and how keys are spelled.
//!
//! | tree        | key                          | value                      |
//! |-------------|------------------------------|----------------------------|
//! | `meta`      | `schema_version`             | u32, big-endian            |
//! | `meta`      | `demo_clock`                 | RFC 3339 time (UTF-8)      |
//! | `events`    | first seq, u64 big-endian    | a block of encoded `Recorded`s (`blocks.rs`) |
//! | `org`       | `org`                        | encoded `Org`              |
//! | `customers` | licensing id (UTF-8)         | encoded `Customer`         |
//! | `vouchers`  | voucher id (UTF-8)           | encoded `Voucher`          |
//! | `invoices`  | invoice key (UTF-8)          | voucher id (UTF-8, raw)    |
//! | `index`     | see `index.rs`               | derived, see `index.rs`    |
//! | `ids`       | an event's id (16 bytes)     | its seq, u64 big-endian    |

/// The layout this program writes and understands.
pub const SCHEMA_VERSION: u32 = 4;

pub const META: &str = "meta";
pub const EVENTS: &str = "events";
pub const ORG: &str = "org";
pub const CUSTOMERS: &str = "customers";
pub const VOUCHERS: &str = "vouchers";
pub const INVOICES: &str = "invoices";
/// Derived from the records (see `index.rs`), written with them.
pub const INDEX: &str = "index";
/// Each event's id to its seq, written with the event (schema 4). Derived
/// from the log: a backup leaves it out, a restore builds it again.
pub const IDS: &str = "ids";

/// The trees that hold records (every tree but `meta`).
pub const RECORD_TREES: [&str; 5] = [EVENTS, ORG, CUSTOMERS, VOUCHERS, INVOICES];

/// The tree sled always has; saps never writes to it.
pub const SLED_DEFAULT_TREE: &[u8] = b"__sled__default";

pub const SCHEMA_VERSION_KEY: &[u8] = b"schema_version";
/// A demo database's clock (`saps demo`): a setting, not a record.
pub const DEMO_CLOCK_KEY: &[u8] = b"demo_clock";

/// The demo clock as stored, when it reads as a time.
pub fn parse_demo_clock(value: &[u8]) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = std::str::from_utf8(value).ok()?;
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}
pub const ORG_KEY: &[u8] = b"org";

/// Big-endian, so sled's byte order is seq order: the key of the block
/// whose first event is `seq`.
pub fn event(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

pub fn event_seq(key: &[u8]) -> Option<u64> {
    <[u8; 8]>::try_from(key).ok().map(u64::from_be_bytes)
}

pub fn customer(licensing_id: &str) -> &[u8] {
    licensing_id.as_bytes()
}

pub fn voucher(voucher_id: &str) -> &[u8] {
    voucher_id.as_bytes()
}

pub fn invoice(invoice_key: &str) -> &[u8] {
    invoice_key.as_bytes()
}

pub fn schema_version(v: u32) -> [u8; 4] {
    v.to_be_bytes()
}

pub fn parse_schema_version(value: &[u8]) -> Option<u32> {
    <[u8; 4]>::try_from(value).ok().map(u32::from_be_bytes)
}

/// A text key as stored, or `None` when the bytes are not UTF-8.
pub fn text(key: &[u8]) -> Option<String> {
    std::str::from_utf8(key).ok().map(str::to_owned)
}

/// A key for messages, whatever its bytes.
pub fn shown(key: &[u8]) -> String {
    String::from_utf8_lossy(key).into_owned()
}

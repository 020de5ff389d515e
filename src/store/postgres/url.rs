//! Connection strings: `postgres://` or `postgresql://` URLs (or libpq's
//! `key=value` form), what messages call them (never the password), and
//! libpq's certificate checks that the driver does not parse itself:
//! `sslmode=verify-full` (and `verify-ca`, checked as strictly) with
//! `sslrootcert=PATH` (default `~/.postgresql/root.crt`, as libpq's).

use crate::store::StoreError;
use std::path::PathBuf;

/// Whether `db` names a PostgreSQL database (`postgres://` or
/// `postgresql://`) rather than a sled directory.
pub fn is_url(db: &str) -> bool {
    let lower = db.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

pub(super) struct Parsed {
    pub config: postgres::Config,
    /// What messages call the database.
    pub at: String,
    /// The root certificates to check the server's against, when asked.
    pub roots: Option<PathBuf>,
}

pub(super) fn parse(url: &str) -> Result<Parsed, StoreError> {
    let at = redacted(url);
    let refuse = |detail: String| StoreError::Server {
        at: at.clone(),
        detail,
    };
    let (mut text, mut verify, mut rootcert) = (url.to_owned(), false, None);
    if is_url(url)
        && let Some((base, query)) = url.split_once('?')
    {
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("sslmode", "verify-ca" | "verify-full")) => {
                    verify = true;
                    kept.push("sslmode=require".to_owned());
                }
                Some(("sslrootcert", path)) => rootcert = Some(decode(path)),
                _ => kept.push(pair.to_owned()),
            }
        }
        text = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
    }
    let roots = if verify {
        let path = match rootcert {
            Some(p) => PathBuf::from(p),
            None => std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".postgresql").join("root.crt"))
                .ok_or_else(|| {
                    refuse(
                        "sslmode=verify-full needs sslrootcert=PATH (the server's root certificate)"
                            .to_owned(),
                    )
                })?,
        };
        if !path.is_file() {
            return Err(refuse(format!(
                "sslmode=verify-full needs the server's root certificate, and {} is not a file (give sslrootcert=PATH)",
                path.display()
            )));
        }
        Some(path)
    } else {
        None
    };
    let mut config: postgres::Config = text
        .parse()
        .map_err(|e| refuse(format!("not a PostgreSQL connection string: {e}")))?;
    if config.get_application_name().is_none() {
        config.application_name("saps");
    }
    Ok(Parsed { config, at, roots })
}

/// A URL query value with its `%XX` escapes decoded.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `url` without its password (or query), for messages.
pub(super) fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "the PostgreSQL database".to_owned();
    };
    let rest = rest.split('?').next().unwrap_or_default();
    let rest = match rest.rsplit_once('@') {
        // The user as a person reads it: `alice%40example.com` is alice@example.com.
        Some((user, host)) => format!("{}@{host}", decode(user.split(':').next().unwrap_or_default())),
        None => rest.to_owned(),
    };
    format!("{scheme}://{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_members_login_is_shown_as_its_email() {
        assert_eq!(
            redacted("postgres://pat%40northwind.example:pat-secret@db.example/saps"),
            "postgres://pat@northwind.example@db.example/saps"
        );
    }

    #[test]
    fn urls_of_both_schemes_are_postgres_and_passwords_never_shown() {
        assert!(is_url("postgres://a@h/db"));
        assert!(is_url("postgresql://a@h/db"));
        assert!(is_url("PostgreSQL://a@h/db"));
        assert!(!is_url("/home/a/saps.db"));
        assert!(!is_url("postgres.db"));
        assert_eq!(
            redacted("postgres://ann:secret@h:5432/db?sslmode=require"),
            "postgres://ann@h:5432/db"
        );
        assert_eq!(redacted("postgresql://h/db"), "postgresql://h/db");
        assert!(!redacted("postgres://ann:p%40ss@h/db").contains("ss"));
    }

    #[test]
    fn verify_full_needs_a_root_certificate_that_is_there() {
        match parse("postgres://a:pw@h/db?sslmode=verify-full&sslrootcert=/no/such/root.crt") {
            Err(StoreError::Server { at, detail }) => {
                assert!(detail.contains("/no/such/root.crt"), "{detail}");
                assert!(!at.contains("pw"), "{at}");
            }
            other => panic!("expected a refusal, got {:?}", other.map(|p| p.at)),
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("my root.crt");
        std::fs::write(&root, "x").unwrap();
        let url = format!(
            "postgresql://a:pw@h/db?sslmode=verify-ca&application_name=x&sslrootcert={}",
            root.display().to_string().replace(' ', "%20")
        );
        let parsed = parse(&url).map_err(|e| e.to_string()).unwrap();
        assert_eq!(parsed.roots.as_deref(), Some(root.as_path()));
        assert_eq!(parsed.config.get_application_name(), Some("x"));
        assert!(
            parse("postgresql://a:pw@h/db?sslmode=require")
                .unwrap()
                .roots
                .is_none()
        );
        assert!(parse("postgres://a:pw@h/db?sslmode=disable").is_ok());
        assert!(parse("postgres://a:pw@h/db").is_ok());
    }
}

//! Who the connection is: the database's owner (trusted like the owner of a
//! sled file: it may record events as anyone) or a member (a login role
//! named as the saps user's email, granted `saps_member_<database>`, that
//! may record events only as itself; the database enforces it).

use super::PgStore;
use super::schema::member_role;
use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// The role owning the database.
    Owner { role: String },
    /// A member: its role's name is its email.
    Member { email: String },
    /// Neither (a superuser, say): the commit function lets it record only
    /// its own role's actions.
    Other { role: String },
}

impl PgStore {
    /// Whether this connection is the database's owner or a member.
    pub fn identity(&self) -> Result<Identity, StoreError> {
        let group = member_role(&self.dbname);
        self.with_conn(|conn, at| {
            let row = conn
                .client
                .query_one(
                    "SELECT session_user::text, \
                            pg_get_userbyid(d.datdba) = session_user, \
                            CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) \
                              THEN pg_has_role(session_user, $1::text, 'MEMBER') ELSE false END \
                     FROM pg_database d WHERE d.datname = current_database()",
                    &[&group],
                )
                .map_err(|e| super::error(at, e))?;
            let role: String = row.get(0);
            Ok(match (row.get(1), row.get(2)) {
                (true, _) => Identity::Owner { role },
                (false, true) => Identity::Member { email: role },
                (false, false) => Identity::Other { role },
            })
        })
    }
}

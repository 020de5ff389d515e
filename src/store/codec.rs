//! Stored value encoding (stub).

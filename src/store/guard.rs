//! The store boundary never lets a panic through: sled 0.34 can panic on
//! damaged files, and such a panic becomes [`StoreError::Damaged`].
//!
//! While a guarded call runs, the panic hook stays quiet on that thread, so
//! the user sees only the store's sentence, not a panic report. The quiet
//! hook wraps whatever hook was installed before the first guarded call
//! (color-eyre's in `main`), and passes every other panic on to it.

use super::StoreError;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<u32> = const { Cell::new(0) };
}

static INSTALL: Once = Once::new();

fn install_quiet_hook() {
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it becomes `Damaged { what, .. }`.
pub(super) fn guarded<T>(
    what: impl FnOnce() -> String,
    f: impl FnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    install_quiet_hook();
    QUIET.with(|q| q.set(q.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get().saturating_sub(1)));
    result.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        Err(StoreError::Damaged {
            what: what(),
            detail: format!("the storage engine failed: {message}"),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_damage() {
        let r: Result<(), StoreError> = guarded(|| "the sled files".into(), || panic!("bad page"));
        match r {
            Err(StoreError::Damaged { what, detail }) => {
                assert_eq!(what, "the sled files");
                assert!(detail.contains("bad page"), "{detail}");
            }
            other => panic!("expected Damaged, got {other:?}"),
        }
        assert_eq!(guarded(String::new, || Ok(7)).unwrap(), 7);
        assert_eq!(QUIET.with(Cell::get), 0);
    }
}

//! What both stores' [`Backend`](super::Backend) impls forward the same
//! way, written once.

/// The [`Backend`] methods each store answers with its own method of the
/// same name and signature: written once for both impls.
macro_rules! same_named {
    ($store:ident) => {
        fn working_state(&self) -> Result<$crate::domain::State, $crate::store::StoreError> {
            $store::working_state(self)
        }

        fn hydrate(
            &self,
            state: &mut $crate::domain::State,
            names: &$crate::domain::Names,
        ) -> Result<(), $crate::store::StoreError> {
            $store::hydrate(self, state, names)
        }

        fn commit(
            &self,
            state: &$crate::domain::State,
            recorded: &[$crate::domain::Recorded],
        ) -> Result<(), $crate::store::StoreError> {
            $store::commit(self, state, recorded)
        }

        fn events_after(
            &self,
            after: u64,
            n: usize,
        ) -> Result<Vec<$crate::domain::Recorded>, $crate::store::StoreError> {
            $store::events_after(self, after, n)
        }

        fn seq_of(&self, id: uuid::Uuid) -> Result<Option<u64>, $crate::store::StoreError> {
            $store::seq_of(self, id)
        }

        fn voucher(
            &self,
            id: &str,
        ) -> Result<Option<$crate::domain::records::Voucher>, $crate::store::StoreError> {
            $store::voucher(self, id)
        }

        fn customer(
            &self,
            id: &str,
        ) -> Result<Option<$crate::domain::records::Customer>, $crate::store::StoreError> {
            $store::customer(self, id)
        }

        fn customers_page(
            &self,
            n: usize,
        ) -> Result<
            Vec<(
                $crate::domain::records::Customer,
                $crate::domain::state::Ledger,
            )>,
            $crate::store::StoreError,
        > {
            $store::customers_page(self, n)
        }

        fn reserved_by(
            &self,
            consultant: &str,
        ) -> Result<Vec<$crate::domain::records::Voucher>, $crate::store::StoreError> {
            $store::reserved_by(self, consultant)
        }

        fn entries_after(
            &self,
            spans: &[$crate::store::pages::Span],
            after: Option<&[u8]>,
            n: usize,
        ) -> Result<Vec<$crate::store::pages::Entry>, $crate::store::StoreError> {
            $store::entries_after(self, spans, after, n)
        }

        fn entries_before(
            &self,
            spans: &[$crate::store::pages::Span],
            before: Option<&[u8]>,
            n: usize,
        ) -> Result<Vec<$crate::store::pages::Entry>, $crate::store::StoreError> {
            $store::entries_before(self, spans, before, n)
        }

        fn vouchers_with_prefix(
            &self,
            prefix: &str,
            most: usize,
        ) -> Result<Vec<$crate::domain::records::Voucher>, $crate::store::StoreError> {
            $store::vouchers_with_prefix(self, prefix, most)
        }

        fn counters(
            &self,
            from: chrono::NaiveDate,
        ) -> Result<Vec<($crate::store::index::Counter, u64)>, $crate::store::StoreError> {
            $store::counters(self, from)
        }

        fn recent_events(
            &self,
            n: usize,
        ) -> Result<Vec<$crate::domain::Recorded>, $crate::store::StoreError> {
            $store::recent_events(self, n)
        }

        fn load(&self) -> Result<$crate::domain::State, $crate::store::StoreError> {
            $store::load(self)
        }
    };
}
pub(crate) use same_named;

//! The desk's reads (`Effect::Load`): each query is read from the store and
//! comes back as data the model holds (`Msg::Loaded`), or as a sentence
//! saying what could not be read.

use super::{figures, pages};
use crate::domain::state::Status;
use crate::store::Backend;
use crate::ui::query::{Data, Listed, Query, Read};
use crate::ui::steps::voucher_row;
use crate::ui::widgets::list::Row;
use chrono::NaiveDate;

/// Ids a filter looks at, at most, per key typed.
const FILTER_LOOKS_AT: usize = 300;

pub fn load(store: &dyn Backend, query: Query) -> Result<Data, String> {
    match query {
        Query::Figures(today) => figures::counted(store, today)
            .map(Data::Figures)
            .map_err(|e| format!("cannot read the dashboard's figures: {e}")),
        Query::List { tab, listed, today } => whole(store, listed, today)
            .map(|rows| Data::Rows { tab, rows })
            .map_err(|e| format!("cannot read the list: {e}")),
        Query::Engagements {
            tab,
            consultant,
            listed,
            today,
        } => engagements(store, &consultant, listed, today)
            .map(|rows| Data::Rows { tab, rows })
            .map_err(|e| format!("cannot read {consultant}'s engagements: {e}")),
        Query::Page {
            tab,
            mut paged,
            want,
            selected,
        } => {
            let fresh = paged.rows.is_empty();
            pages::load(store, &mut paged, want).map_err(|e| format!("cannot read the list: {e}"))?;
            let selected = match fresh {
                true => Some(still_listed(store, &paged.parts, selected)?),
                false => None,
            };
            Ok(Data::Page { tab, paged, selected })
        }
        Query::Prefix {
            tab,
            prefix,
            listed,
            today,
        } => {
            let found = store
                .vouchers_with_prefix(&prefix, FILTER_LOOKS_AT)
                .map_err(|e| format!("cannot filter: {e}"))?;
            let all = found.len() < FILTER_LOOKS_AT;
            let rows = found
                .into_iter()
                .filter(|v| listed.stages.contains(&v.stage))
                .filter(|v| !listed.current || v.status(today) != Status::Expired)
                .map(|v| {
                    let status = v.status(today);
                    voucher_row(v.voucher_id, status)
                })
                .collect();
            Ok(Data::Matches {
                tab,
                prefix,
                rows,
                all,
            })
        }
        Query::Vouchers(ids) => {
            // One damaged voucher does not hide the others.
            let found = ids
                .into_iter()
                .map(|id| {
                    let read = shown(store, &id);
                    (id, read)
                })
                .collect();
            Ok(Data::Vouchers(found))
        }
        Query::Customer(id) => match store.customer(&id) {
            Ok(c) => Ok(Data::Customer(id, c.map(|c| c.name))),
            Err(e) => Err(format!("cannot read customer {id}: {e}")),
        },
        Query::Audit(n) => store
            .recent_events(n)
            .map(Data::Audit)
            .map_err(|e| format!("cannot read the audit log: {e}")),
        Query::Customers(n) => store
            .customers_page(n)
            .map(Data::Customers)
            .map_err(|e| format!("cannot read the customers: {e}")),
        Query::CustomerNames(most) => {
            let mut page = store
                .customers_page(most.saturating_add(1))
                .map_err(|e| format!("cannot read the customers' names: {e}"))?;
            let all = page.len() <= most;
            page.truncate(most);
            let names = page.into_iter().map(|(c, _)| (c.licensing_id, c.name)).collect();
            Ok(Data::CustomerNames(names, all))
        }
    }
}

/// The voucher `id` as stored.
fn shown(store: &dyn Backend, id: &str) -> Read {
    match store.voucher(id) {
        Ok(v) => Ok(v.map(Box::new)),
        Err(e) => Err(format!("cannot read voucher {id}: {e}")),
    }
}

/// The vouchers `listed` names, from the store's index: stage by stage, the
/// nearest deadline first, the expired ones last (left out with `current`).
/// A row's filter text is the voucher id and its status.
fn whole(
    store: &dyn Backend,
    listed: Listed,
    today: NaiveDate,
) -> Result<Vec<Row>, crate::store::StoreError> {
    let (mut rows, mut expired) = (Vec::new(), Vec::new());
    for stage in listed.stages {
        let from = (listed.current && !stage.is_redeemed()).then(|| today.succ_opt().unwrap_or(today));
        for f in store.filed(*stage, from, None, usize::MAX)? {
            if !f.stage.is_redeemed() && today >= f.day {
                expired.push(voucher_row(f.voucher_id, Status::Expired));
            } else {
                rows.push(voucher_row(f.voucher_id, Status::from(f.stage)));
            }
        }
    }
    rows.append(&mut expired);
    Ok(rows)
}

/// The engagements naming `consultant`, read from the index of reservations
/// by consultant, in the order the whole list has.
fn engagements(
    store: &dyn Backend,
    consultant: &str,
    listed: Listed,
    today: NaiveDate,
) -> Result<Vec<Row>, crate::store::StoreError> {
    let mut mine: Vec<_> = store
        .reserved_by(consultant)?
        .into_iter()
        .filter(|v| listed.stages.contains(&v.stage) && v.status(today) != Status::Expired)
        .collect();
    mine.sort_by_key(crate::store::index::status_key);
    Ok(mine
        .into_iter()
        .map(|v| {
            let status = v.status(today);
            voucher_row(v.voucher_id, status)
        })
        .collect())
}

/// Of the `selected` vouchers, those still on the list made of `parts`.
fn still_listed(
    store: &dyn Backend,
    parts: &[crate::ui::widgets::pager::Part],
    selected: Vec<String>,
) -> Result<Vec<String>, String> {
    let mut kept = Vec::new();
    for id in selected {
        let v = store
            .voucher(&id)
            .map_err(|e| format!("cannot read voucher {id}: {e}"))?;
        if let Some(v) = v
            && parts
                .iter()
                .any(|p| p.holds(v.stage, crate::store::index::status_day(&v)))
        {
            kept.push(id);
        }
    }
    Ok(kept)
}

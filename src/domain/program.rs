//! The program's fixed numbers (program facts from shared/domain.md).

/// A voucher is valid for this many days from its creation date.
pub const VOUCHER_VALID_DAYS: i64 = 180;
/// The service levels a voucher may have, in days.
pub const SERVICE_LEVELS: [u32; 5] = [1, 3, 5, 10, 15];
/// The longest engagement, in days.
pub const MAX_ENGAGEMENT_DAYS: u32 = 15;
/// An enrollment lasts this many months.
pub const ENROLLMENT_MONTHS: u32 = 12;
/// Renewal opens this many days before an enrollment expires.
pub const RENEWAL_WINDOW_DAYS: i64 = 90;
/// A payment request must be filed within this many days of redemption.
pub const INVOICE_WINDOW_DAYS: i64 = 60;
/// At most this many days of an engagement may be delivered off site.
pub const MAX_OFFSITE_DAYS: u32 = 3;
/// At most this many hours of walk-on topics.
pub const MAX_WALK_ON_HOURS: f64 = 4.0;
/// The business profile's description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2500;
/// Business profile locations per country.
pub const MAX_LOCATIONS_PER_COUNTRY: usize = 5;
/// Published profile changes reach customers within this many hours.
pub const PROFILE_PUBLISH_HOURS: i64 = 24;
/// Voucher ids, after trimming and upper-casing: this many characters.
pub const VOUCHER_ID_LEN: std::ops::RangeInclusive<usize> = 6..=32;

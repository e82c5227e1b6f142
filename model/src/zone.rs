//! IANA timezones for chrono, from the compact TZif database that `jiff` bundles.
//!
//! `chrono-tz` compiles every zone's transitions into Rust statics full of pointers: on a phone
//! that was about 1.6 MB of the 8 MB library, most of it relocation tables (ADR 0001). The
//! bundled TZif data is a fraction of that and is read only for the zones an event uses.
//!
//! A [`Zone`] is a small `Copy` handle into a process-wide table of the zones parsed so far, so
//! it can implement chrono's [`TimeZone`] and be used exactly like `chrono_tz::Tz`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{OnceLock, PoisonError, RwLock};

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Timelike, Utc,
};
use chrono::{Datelike, MappedLocalTime};
use jiff::tz::AmbiguousOffset;

/// An IANA timezone, such as `Europe/Berlin`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(u32);

/// A name that is not an IANA timezone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownZone(pub String);

impl fmt::Display for UnknownZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not an IANA timezone", self.0)
    }
}

impl std::error::Error for UnknownZone {}

struct Entry {
    name: &'static str,
    zone: jiff::tz::TimeZone,
}

#[derive(Default)]
struct Table {
    entries: Vec<Entry>,
    by_name: HashMap<&'static str, u32>,
}

impl Table {
    fn add(&mut self, name: &str, zone: jiff::tz::TimeZone) -> Zone {
        if let Some(index) = self.by_name.get(name) {
            return Zone(*index);
        }
        // Interned for the life of the process: a handful of zones, each leaked once, so that
        // `name()` can hand out `&'static str` like chrono-tz does.
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        let index = self.entries.len() as u32;
        self.entries.push(Entry { name, zone });
        self.by_name.insert(name, index);
        Zone(index)
    }
}

fn table() -> &'static RwLock<Table> {
    static TABLE: OnceLock<RwLock<Table>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table::default();
        // Index 0 is UTC, so that `Zone::UTC` is a constant.
        table.add("UTC", jiff::tz::TimeZone::UTC);
        RwLock::new(table)
    })
}

impl Zone {
    pub const UTC: Zone = Zone(0);

    /// The zone with this exact IANA name (links such as `US/Eastern` included). A name that
    /// differs only in letter case is refused, as chrono-tz did: stored names stay canonical.
    pub fn named(name: &str) -> Option<Zone> {
        if let Some(index) = table()
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .by_name
            .get(name)
        {
            return Some(Zone(*index));
        }
        let zone = jiff::tz::TimeZone::get(name).ok()?;
        if let Some(canonical) = zone.iana_name()
            && canonical != name
            && canonical.eq_ignore_ascii_case(name)
        {
            return None;
        }
        Some(
            table()
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .add(name, zone),
        )
    }

    pub fn name(self) -> &'static str {
        self.with(|entry| entry.name)
    }

    fn with<T>(self, f: impl FnOnce(&Entry) -> T) -> T {
        let table = table().read().unwrap_or_else(PoisonError::into_inner);
        // Handles are only made by `add`, so the index exists; UTC stands in all the same.
        match table.entries.get(self.0 as usize) {
            Some(entry) => f(entry),
            None => f(&table.entries[0]),
        }
    }

    /// The offset, whether it is daylight-saving time, and the abbreviation (`CEST`) at an
    /// instant.
    pub fn info_at(self, instant: DateTime<Utc>) -> ZoneInfo {
        let timestamp = to_timestamp(instant.timestamp());
        self.with(|entry| {
            let info = entry.zone.to_offset_info(timestamp);
            ZoneInfo {
                offset: fixed(info.offset().seconds()),
                daylight: info.dst().is_dst(),
                abbreviation: info.abbreviation().to_string(),
            }
        })
    }

    fn offset_seconds_at(self, unix_seconds: i64) -> i32 {
        let timestamp = to_timestamp(unix_seconds);
        self.with(|entry| entry.zone.to_offset(timestamp).seconds())
    }
}

/// What [`Zone::info_at`] tells about an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneInfo {
    pub offset: FixedOffset,
    pub daylight: bool,
    pub abbreviation: String,
}

/// Instants beyond jiff's range (years -9999 to 9999) take the offset at its edge.
fn to_timestamp(unix_seconds: i64) -> jiff::Timestamp {
    let clamped = unix_seconds.clamp(
        jiff::Timestamp::MIN.as_second(),
        jiff::Timestamp::MAX.as_second(),
    );
    jiff::Timestamp::from_second(clamped).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn fixed(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or_else(|| Utc.fix())
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Zone {
    type Err = UnknownZone;

    fn from_str(name: &str) -> Result<Zone, UnknownZone> {
        Zone::named(name).ok_or_else(|| UnknownZone(name.to_string()))
    }
}

/// The offset of a [`Zone`] at one instant; remembers its zone, as chrono requires.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ZoneOffset {
    zone: Zone,
    offset: FixedOffset,
}

impl ZoneOffset {
    pub fn zone(&self) -> Zone {
        self.zone
    }
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.offset
    }
}

impl fmt::Debug for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.offset)
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.offset)
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        let Some(civil) = to_civil(local) else {
            // Outside jiff's years: no daylight saving there, the edge's offset holds.
            let seconds = self.offset_seconds_at(local.and_utc().timestamp());
            return LocalResult::Single(self.offset(seconds));
        };
        let ambiguous = self.with(|entry| entry.zone.to_ambiguous_timestamp(civil));
        match ambiguous.offset() {
            AmbiguousOffset::Unambiguous { offset } => {
                LocalResult::Single(self.offset(offset.seconds()))
            }
            AmbiguousOffset::Gap { .. } => LocalResult::None,
            // The offset before the change names the earlier instant.
            AmbiguousOffset::Fold { before, after } => {
                LocalResult::Ambiguous(self.offset(before.seconds()), self.offset(after.seconds()))
            }
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.offset(self.offset_seconds_at(utc.and_utc().timestamp()))
    }
}

impl Zone {
    fn offset(self, seconds: i32) -> ZoneOffset {
        ZoneOffset {
            zone: self,
            offset: fixed(seconds),
        }
    }
}

fn to_civil(local: &NaiveDateTime) -> Option<jiff::civil::DateTime> {
    let year = i16::try_from(local.year()).ok()?;
    jiff::civil::DateTime::new(
        year,
        local.month() as i8,
        local.day() as i8,
        local.hour() as i8,
        local.minute() as i8,
        local.second() as i8,
        // chrono encodes a leap second as nanoseconds past 1e9; jiff has none.
        local.nanosecond().min(999_999_999) as i32,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> Zone {
        Zone::named("Europe/Berlin").unwrap()
    }

    fn wall(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn names_are_exact_and_interned() {
        assert_eq!(berlin(), berlin());
        assert_eq!(berlin().name(), "Europe/Berlin");
        assert_eq!("Asia/Tokyo".parse::<Zone>().unwrap().name(), "Asia/Tokyo");
        assert_eq!(Zone::named("UTC"), Some(Zone::UTC));
        assert!(Zone::named("europe/berlin").is_none());
        assert!(Zone::named("Europe/Delmenhorst").is_none());
        assert!(Zone::named("").is_none());
        assert!(Zone::named("../../etc/passwd").is_none());
        // A link is a zone of its own name.
        assert_eq!(Zone::named("US/Eastern").unwrap().name(), "US/Eastern");
    }

    #[test]
    fn offsets_follow_daylight_saving() {
        let zone = berlin();
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 7, 15, 12, 0, 0).unwrap();
        assert_eq!(
            winter.with_timezone(&zone).offset().fix().local_minus_utc(),
            3600
        );
        assert_eq!(
            summer.with_timezone(&zone).offset().fix().local_minus_utc(),
            7200
        );
        let info = zone.info_at(summer);
        assert!(info.daylight);
        assert_eq!(info.abbreviation, "CEST");
        assert_eq!(zone.info_at(winter).abbreviation, "CET");
        assert_eq!(
            summer.with_timezone(&zone).naive_local(),
            wall("2026-07-15 14:00")
        );
    }

    #[test]
    fn local_times_in_gaps_and_folds() {
        let zone = berlin();
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST.
        assert_eq!(
            zone.from_local_datetime(&wall("2026-03-29 02:30")),
            LocalResult::None
        );
        let before = zone.from_local_datetime(&wall("2026-03-29 01:30")).unwrap();
        assert_eq!(
            before.with_timezone(&Utc).to_rfc3339(),
            "2026-03-29T00:30:00+00:00"
        );
        // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        match zone.from_local_datetime(&wall("2026-10-25 02:30")) {
            LocalResult::Ambiguous(earlier, later) => {
                assert_eq!(
                    earlier.with_timezone(&Utc).to_rfc3339(),
                    "2026-10-25T00:30:00+00:00"
                );
                assert_eq!(
                    later.with_timezone(&Utc).to_rfc3339(),
                    "2026-10-25T01:30:00+00:00"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn instants_far_outside_the_database_do_not_panic() {
        let zone = berlin();
        assert_eq!(
            zone.info_at(DateTime::<Utc>::MAX_UTC)
                .offset
                .local_minus_utc(),
            3600
        );
        assert_eq!(zone.info_at(DateTime::<Utc>::MIN_UTC).abbreviation, "LMT");
        // chrono itself answers None where the offset would leave its range.
        let _ = zone.from_local_datetime(&NaiveDateTime::MIN);
        let _ = zone.from_local_datetime(&NaiveDateTime::MAX);
    }
}

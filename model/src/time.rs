//! Local days and wall-clock times, derived from UTC instants in the event's timezone.
//!
//! A conference day may run past midnight: with a day-change hour of 4, a talk at 01:30 local
//! time belongs to the previous day's programme. The shift is applied to the local wall clock,
//! not to the instant, so days stay correct across daylight-saving changes.

use crate::zone::Zone;
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::error::{Error, Result};

/// The event's clock: timezone plus day-change hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventClock {
    pub tz: Zone,
    pub day_change_hour: u8,
}

impl EventClock {
    pub fn new(timezone: &str, day_change_hour: u8) -> Result<EventClock> {
        let tz = parse_timezone(timezone)?;
        if day_change_hour > 23 {
            return Err(Error::invalid(
                "event",
                "day_change_hour",
                format!("{day_change_hour} is not an hour of the day (0-23)"),
            ));
        }
        Ok(EventClock {
            tz,
            day_change_hour,
        })
    }

    /// Local wall-clock time of an instant.
    pub fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant.with_timezone(&self.tz).naive_local()
    }

    /// The conference day an instant belongs to.
    pub fn conference_day(&self, instant: DateTime<Utc>) -> NaiveDate {
        self.conference_day_of_local(self.local(instant))
    }

    /// The conference day of a local wall-clock time.
    pub fn conference_day_of_local(&self, local: NaiveDateTime) -> NaiveDate {
        (local - Duration::hours(i64::from(self.day_change_hour))).date()
    }

    /// The instants a conference day spans: from its day-change hour to the next day's.
    pub fn day_bounds(&self, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = self.day_start(day);
        let end = day
            .succ_opt()
            .map(|next| self.day_start(next))
            .unwrap_or(start + Duration::hours(24));
        (start, end)
    }

    fn day_start(&self, day: NaiveDate) -> DateTime<Utc> {
        let wall = day.and_time(NaiveTime::MIN) + Duration::hours(i64::from(self.day_change_hour));
        self.instant_of_local(wall)
    }

    /// The instant of a local wall-clock time. In a gap (spring forward) the time after the gap
    /// is used; in an overlap (fall back) the earlier instant.
    pub fn instant_of_local(&self, wall: NaiveDateTime) -> DateTime<Utc> {
        match self.tz.from_local_datetime(&wall) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
            LocalResult::None => {
                // Walk forward in quarter hours until we leave the gap (gaps are at most 2 h).
                let mut probe = wall;
                for _ in 0..12 {
                    probe += Duration::minutes(15);
                    if let Some(t) = self.tz.from_local_datetime(&probe).earliest() {
                        return t.with_timezone(&Utc);
                    }
                }
                Utc.from_utc_datetime(&wall)
            }
        }
    }

    /// `HH:MM` local time of an instant.
    pub fn hhmm(&self, instant: DateTime<Utc>) -> String {
        self.local(instant).format("%H:%M").to_string()
    }
}

pub fn parse_timezone(name: &str) -> Result<Zone> {
    name.parse::<Zone>().map_err(|_| {
        Error::invalid(
            "event",
            "timezone",
            format!("'{name}' is not an IANA timezone (for example Europe/Berlin)"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap()
    }

    #[test]
    fn after_midnight_belongs_to_previous_day() {
        let clock = EventClock::new("Europe/Berlin", 4).unwrap();
        // 01:30 CET on 28 Dec is before the day change at 04:00: still the 27th's programme.
        let late = utc("2019-12-28T00:30:00Z");
        assert_eq!(
            clock.conference_day(late),
            NaiveDate::from_ymd_opt(2019, 12, 27).unwrap()
        );
        let morning = utc("2019-12-28T10:00:00Z");
        assert_eq!(
            clock.conference_day(morning),
            NaiveDate::from_ymd_opt(2019, 12, 28).unwrap()
        );
    }

    #[test]
    fn day_bounds_across_fall_back() {
        // 25 Oct 2026: clocks go back from 03:00 CEST to 02:00 CET; that day has 25 hours.
        let clock = EventClock::new("Europe/Berlin", 5).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 10, 24).unwrap();
        let (start, end) = clock.day_bounds(day);
        assert_eq!(start, utc("2026-10-24T03:00:00Z")); // 05:00 CEST
        assert_eq!(end, utc("2026-10-25T04:00:00Z")); // 05:00 CET
        assert_eq!((end - start).num_hours(), 25);
    }

    #[test]
    fn unknown_timezone_is_named() {
        let err = EventClock::new("Europe/Berln", 0).unwrap_err().to_string();
        assert!(err.contains("Europe/Berln"), "{err}");
        assert!(err.contains("timezone"), "{err}");
    }

    #[test]
    fn gap_resolves_after_the_gap() {
        let clock = EventClock::new("Europe/Berlin", 0).unwrap();
        let wall = NaiveDate::from_ymd_opt(2027, 3, 28)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(clock.instant_of_local(wall), utc("2027-03-28T01:00:00Z"));
    }
}

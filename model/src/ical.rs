//! Writing iCalendar (RFC 5545): content lines escaped and folded at 75 octets, times in the
//! event's zone, and a VTIMEZONE generated from the tz database.
//!
//! One writer for the device's calendar export and the server's calendar feeds, so both write
//! the same UIDs, escaping and time zones.
//!
//! Times are written in the event's timezone, except a time in the repeated hour of an autumn
//! DST change that means its second occurrence: RFC 5545 reads such a local time as the first
//! one, so it is written in UTC instead.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Utc};

use crate::zone::Zone;

/// Who wrote the calendar.
pub const PRODID: &str = "-//Marktplatz//Marktplatz Event Companion//DE";
/// RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
const MAX_LINE_OCTETS: usize = 75;
/// Offset changes are never closer together than this, so sampling at this step finds them all.
const SCAN_STEP_HOURS: i64 = 6;

/// Stable per event and session, whatever else changes.
pub fn uid(event_id: &str, session_id: &str) -> String {
    format!("{session_id}@{event_id}.marktplatz")
}

/// Accumulates content lines, folded and CRLF-terminated.
#[derive(Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// A writer with room for about `octets` of output.
    pub fn with_capacity(octets: usize) -> Writer {
        Writer {
            out: String::with_capacity(octets),
        }
    }

    /// Writes `NAME;PARAM=VALUE:value` (the value already escaped for its type).
    pub fn line(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = String::from(name);
        for (key, param) in params {
            line.push(';');
            line.push_str(key);
            line.push('=');
            line.push_str(&param_value(param));
        }
        line.push(':');
        line.push_str(value);
        fold_into(&mut self.out, &line);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Appends `line` folded at 75 octets (never inside a UTF-8 sequence), each piece ending in
/// CRLF and each continuation starting with a space.
pub fn fold_into(out: &mut String, line: &str) {
    let mut budget = MAX_LINE_OCTETS;
    let mut used = 0;
    for ch in line.chars() {
        let width = ch.len_utf8();
        if used + width > budget {
            out.push_str("\r\n ");
            // The leading space counts towards the continuation line's 75 octets.
            budget = MAX_LINE_OCTETS - 1;
            used = 0;
        }
        out.push(ch);
        used += width;
    }
    out.push_str("\r\n");
}

/// Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma, newlines; other
/// control characters, which TEXT may not contain, are dropped.
pub fn text(value: &str) -> String {
    let normalised = value.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalised.len());
    for ch in normalised.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted when it contains a character that would end it.
fn param_value(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

pub fn utc_stamp(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local_stamp(wall: NaiveDateTime) -> String {
    wall.format("%Y%m%dT%H%M%S").to_string()
}

/// `DTSTART;TZID=Europe/Berlin:20261024T090000`, or UTC when the local time would not name
/// this instant unambiguously.
pub fn write_time(out: &mut Writer, name: &str, tz: Zone, instant: DateTime<Utc>) {
    let wall = instant.with_timezone(&tz).naive_local();
    let names_this_instant = match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => t.with_timezone(&Utc) == instant,
        // RFC 5545 3.3.5: a repeated local time means its first occurrence.
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc) == instant,
        LocalResult::None => false,
    };
    if names_this_instant {
        out.line(name, &[("TZID", tz.name())], &local_stamp(wall));
    } else {
        out.line(name, &[], &utc_stamp(instant));
    }
}

/// A change of UTC offset in the zone.
#[derive(Debug, Clone, PartialEq)]
struct Transition {
    at: DateTime<Utc>,
    offset_from: i32,
    offset_to: i32,
    daylight: bool,
    name: Option<String>,
}

/// The offset, whether it is daylight time, and the abbreviation at an instant.
fn offset_at(tz: Zone, instant: DateTime<Utc>) -> (i32, bool, Option<String>) {
    let info = tz.info_at(instant);
    let name = (!info.abbreviation.is_empty()).then_some(info.abbreviation);
    (info.offset.local_minus_utc(), info.daylight, name)
}

/// Every offset change of `tz` in `[from, to]`, found by sampling and bisecting to the second.
fn transitions(tz: Zone, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Transition> {
    let step = Duration::hours(SCAN_STEP_HOURS);
    let mut found = Vec::new();
    let mut before = from;
    let mut before_state = offset_at(tz, before);
    while before < to {
        let after = before + step;
        let after_state = offset_at(tz, after);
        if after_state != before_state {
            // Bisect on whole seconds: `lo` has the old state, `hi` the new one.
            let (mut lo, mut hi) = (before.timestamp(), after.timestamp());
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                let probe = DateTime::from_timestamp(mid, 0).unwrap_or(before);
                if offset_at(tz, probe) == before_state {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let hi = DateTime::from_timestamp(hi, 0).unwrap_or(after);
            found.push(Transition {
                at: hi,
                offset_from: before_state.0,
                offset_to: after_state.0,
                daylight: after_state.1,
                name: after_state.2.clone(),
            });
        }
        before = after;
        before_state = after_state;
    }
    found
}

/// VTIMEZONE covering `[first, last]`: the observance in force at `first` (from the transition
/// that began it, up to a year and a half earlier) and every transition up to `last`.
pub fn write_vtimezone(out: &mut Writer, tz: Zone, first: DateTime<Utc>, last: DateTime<Utc>) {
    let lookback = first - Duration::days(550);
    let all = transitions(tz, lookback, last);
    let in_force = all.iter().rposition(|t| t.at <= first);
    let mut observances: Vec<Transition> = match in_force {
        Some(index) => all[index..].to_vec(),
        None => {
            // No change for a long time: one observance from 1970 with the current offset.
            let (offset, daylight, name) = offset_at(tz, first);
            let mut list = vec![Transition {
                at: DateTime::<Utc>::UNIX_EPOCH,
                offset_from: offset,
                offset_to: offset,
                daylight,
                name,
            }];
            list.extend(all);
            list
        }
    };
    observances.retain(|t| t.at <= last);
    out.line("BEGIN", &[], "VTIMEZONE");
    out.line("TZID", &[], tz.name());
    for t in &observances {
        let component = if t.daylight { "DAYLIGHT" } else { "STANDARD" };
        out.line("BEGIN", &[], component);
        // DTSTART is the local time of the change as read on the clock before it.
        let wall = t.at.naive_utc() + Duration::seconds(i64::from(t.offset_from));
        out.line("DTSTART", &[], &local_stamp(wall));
        out.line("TZOFFSETFROM", &[], &utc_offset(t.offset_from));
        out.line("TZOFFSETTO", &[], &utc_offset(t.offset_to));
        if let Some(name) = &t.name {
            out.line("TZNAME", &[], &text(name));
        }
        out.line("END", &[], component);
    }
    out.line("END", &[], "VTIMEZONE");
}

/// `+0100`, `-0330`, `+053328` (RFC 5545 3.3.14).
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let long = format!("DESCRIPTION:{}", "äöü€x".repeat(40));
        fold_into(&mut out, &long);
        assert!(out.ends_with("\r\n"));
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn short_line_is_not_folded() {
        let mut out = String::new();
        fold_into(&mut out, &"X".repeat(75));
        assert_eq!(out, format!("{}\r\n", "X".repeat(75)));
        let mut out = String::new();
        fold_into(&mut out, &"X".repeat(76));
        assert_eq!(out, format!("{}\r\n X\r\n", "X".repeat(75)));
    }

    #[test]
    fn escapes_text() {
        assert_eq!(text("a,b;c\\d\r\ne\nf\u{7}g"), "a\\,b\\;c\\\\d\\ne\\nfg");
    }

    #[test]
    fn berlin_transitions_in_2026() {
        let found = transitions(
            Zone::named("Europe/Berlin").unwrap(),
            utc("2026-01-01T00:00:00Z"),
            utc("2027-01-01T00:00:00Z"),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].at, utc("2026-03-29T01:00:00Z"));
        assert_eq!((found[0].offset_from, found[0].offset_to), (3600, 7200));
        assert!(found[0].daylight);
        assert_eq!(found[0].name.as_deref(), Some("CEST"));
        assert_eq!(found[1].at, utc("2026-10-25T01:00:00Z"));
        assert!(!found[1].daylight);
        assert_eq!(found[1].name.as_deref(), Some("CET"));
    }

    #[test]
    fn vtimezone_starts_with_the_observance_in_force() {
        let mut out = Writer::default();
        write_vtimezone(
            &mut out,
            Zone::named("Europe/Berlin").unwrap(),
            utc("2026-10-24T07:00:00Z"),
            utc("2026-10-25T10:00:00Z"),
        );
        let text = out.finish();
        // Summer time began 29 March 02:00 (CET) and ended 25 October 03:00 (CEST).
        assert!(
            text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT"),
            "{text}"
        );
        assert!(
            text.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD"),
            "{text}"
        );
        assert_eq!(text.matches("BEGIN:DAYLIGHT").count(), 1);
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
    }

    #[test]
    fn zone_without_dst_gets_one_observance() {
        let mut out = Writer::default();
        write_vtimezone(
            &mut out,
            Zone::named("Asia/Tokyo").unwrap(),
            utc("2026-10-24T07:00:00Z"),
            utc("2026-10-25T10:00:00Z"),
        );
        let text = out.finish();
        assert!(
            text.contains("BEGIN:STANDARD\r\nDTSTART:19700101T090000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900"),
            "{text}"
        );
    }

    #[test]
    fn second_occurrence_of_a_repeated_hour_is_written_in_utc() {
        let tz = Zone::named("Europe/Berlin").unwrap();
        let mut out = Writer::default();
        // 02:30 CEST (first occurrence) and 02:30 CET (second) on 25 Oct 2026.
        write_time(&mut out, "DTSTART", tz, utc("2026-10-25T00:30:00Z"));
        write_time(&mut out, "DTEND", tz, utc("2026-10-25T01:30:00Z"));
        assert_eq!(
            out.finish(),
            "DTSTART;TZID=Europe/Berlin:20261025T023000\r\nDTEND:20261025T013000Z\r\n"
        );
    }

    #[test]
    fn offsets_format() {
        assert_eq!(utc_offset(3600), "+0100");
        assert_eq!(utc_offset(-12600), "-0330");
        assert_eq!(utc_offset(3208), "+005328");
    }
}

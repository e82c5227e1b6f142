//! Dates, times and durations as schedule files write them, read in one place for every
//! importer: ISO 8601 (frab and c3voc files), German and English spreadsheet spellings (CSV) and
//! iCalendar's basic format. Years outside 1000..=9999 are never read (chrono's arithmetic
//! overflows near its limits); [`plausible`] narrows an event to 1900..=2200.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// Schedules are for events people attend: a year outside 1900..=2200 is a typo.
pub(crate) fn plausible(instant: DateTime<Utc>) -> bool {
    (1900..=2200).contains(&instant.year())
}

/// Dates with years outside 1000..=9999 are not read at all (chrono's arithmetic overflows near
/// its limits).
pub(crate) fn sane_year<T: Datelike>(value: T) -> Option<T> {
    (1000..=9999).contains(&value.year()).then_some(value)
}

// ISO 8601: frab schedule.xml and c3voc schedule.json.

/// A date-time with offset (`2019-12-27T11:00:00+01:00`, also without seconds).
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .ok()
        .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z").ok())
        .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%:z").ok())
        .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z").ok())
        .and_then(sane_year)
}

/// A local date-time without offset.
pub(crate) fn parse_naive_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

/// `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(sane_year)
}

/// `H:MM`, `HH:MM` or `HH:MM:SS` as a time of day.
pub(crate) fn parse_clock(text: &str) -> Option<NaiveTime> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let number = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    NaiveTime::from_hms_opt(number(0)?, number(1)?, number(2).unwrap_or(0))
}

/// `00:30`, `0:30`, `13:00`, `00:05:00` (frab's HH:MM and FOSDEM's HH:MM:SS).
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let hours: i64 = parts[0].parse().ok()?;
    let minutes: i64 = parts[1].parse().ok()?;
    let seconds: i64 = parts
        .get(2)
        .map(|s| s.parse())
        .transpose()
        .ok()?
        .unwrap_or(0);
    if minutes >= 60 || seconds >= 60 || parts[1].len() != 2 {
        return None;
    }
    Some(Duration::hours(hours) + Duration::minutes(minutes) + Duration::seconds(seconds))
}

// Spreadsheets (CSV): German and English spellings.

/// The longest duration a cell may give, in minutes (about a week).
const MAX_DURATION_MINUTES: i64 = 10_000;

/// `45`, `45 min`, `45 Minuten`, `0:45`, `1:30 h`, `1,5 h`.
pub(crate) fn parse_minutes(text: &str) -> Option<i64> {
    let folded = marktplatz_model::text::fold(text);
    let t = folded.trim();
    let number_part =
        t.trim_end_matches(|c: char| c.is_alphabetic() || c == '.' || c.is_whitespace());
    let hours_unit = t.ends_with('h') || t.contains("std");
    if let Some((h, m)) = number_part.split_once(':') {
        let h: i64 = h.trim().parse().ok()?;
        let m: i64 = m.trim().parse().ok()?;
        // Checked: a cell like "10:-1000000000648756902" (found by the fuzzer) once made a
        // duration chrono refuses with a panic.
        let minutes = h.checked_mul(60)?.checked_add(m)?;
        return (h >= 0 && (0..60).contains(&m) && minutes <= MAX_DURATION_MINUTES)
            .then_some(minutes);
    }
    let value: f64 = number_part.trim().replace(',', ".").parse().ok()?;
    if !(0.0..=MAX_DURATION_MINUTES as f64).contains(&value) {
        return None;
    }
    let minutes = if hours_unit { value * 60.0 } else { value };
    Some(minutes.round() as i64)
}

/// `14:30`, `14.30`, `14:30 Uhr`, `9 Uhr`, `14:30:00`, `2:30 PM`.
pub(crate) fn parse_german_time(text: &str) -> Option<NaiveTime> {
    let lower = text.trim().to_ascii_lowercase();
    let (lower, pm, am) = match (lower.strip_suffix("pm"), lower.strip_suffix("am")) {
        (Some(rest), _) => (rest.trim().to_string(), true, false),
        (_, Some(rest)) => (rest.trim().to_string(), false, true),
        _ => (lower, false, false),
    };
    let t = lower.trim_end_matches("uhr").trim_end_matches('h').trim();
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
    {
        return None;
    }
    let parts: Vec<&str> = t.split([':', '.']).collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 2) {
        return None;
    }
    if parts.len() >= 2 && parts[1].len() != 2 {
        return None;
    }
    let mut hour: u32 = parts[0].parse().ok()?;
    let minute: u32 = parts
        .get(1)
        .map(|m| m.parse())
        .transpose()
        .ok()?
        .unwrap_or(0);
    let second: u32 = parts
        .get(2)
        .map(|s| s.parse())
        .transpose()
        .ok()?
        .unwrap_or(0);
    if pm && hour < 12 {
        hour += 12;
    }
    if am && hour == 12 {
        hour = 0;
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

const MONTHS: &[(&str, u32)] = &[
    ("januar", 1),
    ("jan", 1),
    ("january", 1),
    ("janner", 1),
    ("februar", 2),
    ("feb", 2),
    ("february", 2),
    ("marz", 3),
    ("mar", 3),
    ("mrz", 3),
    ("march", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("may", 5),
    ("juni", 6),
    ("jun", 6),
    ("june", 6),
    ("juli", 7),
    ("jul", 7),
    ("july", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("oktober", 10),
    ("okt", 10),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("dezember", 12),
    ("dez", 12),
    ("december", 12),
    ("dec", 12),
];

/// `01.02.2027`, `1.2.2027`, `01.02.27`, `2027-02-01`, `Mo, 01.02.2027`, `1. Februar 2027`.
pub(crate) fn parse_german_date(text: &str) -> Option<NaiveDate> {
    parse_german_date_any_year(text).filter(|d| (1900..=2200).contains(&d.year()))
}

fn parse_german_date_any_year(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // A leading weekday: "Mo, 01.02.2027", "Montag, 1. Februar 2027"
    let text = match text.split_once(',') {
        Some((weekday, rest)) if weekday.chars().all(char::is_alphabetic) => rest.trim(),
        _ => text,
    };
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date);
    }
    let parts: Vec<&str> = text.split('.').map(str::trim).collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let day: u32 = parts[0].parse().ok()?;
        let month: u32 = parts[1].parse().ok()?;
        let mut year: i32 = parts[2].parse().ok()?;
        if parts[2].len() == 2 {
            year += 2000;
        } else if parts[2].len() != 4 {
            return None;
        }
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    // "1. Februar 2027"
    let words: Vec<String> = marktplatz_model::text::fold(text)
        .split([' ', '.'])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if words.len() == 3 {
        let day: u32 = words[0].parse().ok()?;
        let month = MONTHS.iter().find(|(name, _)| *name == words[1])?.1;
        let year: i32 = words[2].parse().ok()?;
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    None
}

// iCalendar (RFC 5545) basic format.

/// A UTC offset as iCalendar writes it: `+0100`, `-0500`, `+013000`.
pub(crate) fn parse_ical_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[0..2].parse().ok()?;
    let minutes: i32 = digits[2..4].parse().ok()?;
    let seconds: i32 = digits
        .get(4..6)
        .map(|s| s.parse().ok())
        .unwrap_or(Some(0))?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60 + seconds))
}

/// Years outside 1000..=9999 are refused: they are typos, and date arithmetic near chrono's
/// limits would overflow.
pub(crate) fn parse_ical_date_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim().trim_end_matches(['Z', 'z']);
    NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S")
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M").ok())
        .and_then(sane_year)
}

/// RFC 5545 DURATION: `PT1H30M`, `P1D`, `-PT5M`, `P2W`.
pub(crate) fn parse_ical_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let text = text.strip_prefix(['P', 'p'])?;
    let mut total = Duration::zero();
    let mut number = String::new();
    let mut any = false;
    for c in text.chars() {
        match c.to_ascii_uppercase() {
            'T' => {}
            d if d.is_ascii_digit() => number.push(d),
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                any = true;
                let part = match unit {
                    'W' => Duration::try_weeks(n),
                    'D' => Duration::try_days(n),
                    'H' => Duration::try_hours(n),
                    'M' => Duration::try_minutes(n),
                    'S' => Duration::try_seconds(n),
                    _ => return None,
                }?;
                total = total.checked_add(&part)?;
            }
        }
    }
    if !any || !number.is_empty() {
        return None;
    }
    Some(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times() {
        assert_eq!(parse_clock("9:00"), NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(parse_clock("09:00:00"), NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(parse_clock("25:00"), None);
        assert_eq!(parse_clock("12:61"), None);
    }

    #[test]
    fn durations_in_every_spelling() {
        assert_eq!(parse_duration("00:30"), Some(Duration::minutes(30)));
        assert_eq!(parse_duration("0:30"), Some(Duration::minutes(30)));
        assert_eq!(parse_duration("0:00"), Some(Duration::zero()));
        assert_eq!(parse_duration("13:00"), Some(Duration::hours(13)));
        assert_eq!(parse_duration("00:05:00"), Some(Duration::minutes(5)));
        assert_eq!(parse_duration("1:5"), None);
        assert_eq!(parse_duration("0:75"), None);
        assert_eq!(parse_duration("abc"), None);
        assert_eq!(parse_duration("-1:00"), None);
    }

    #[test]
    fn german_dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_german_date("01.02.2027"), d(2027, 2, 1));
        assert_eq!(parse_german_date("1.2.2027"), d(2027, 2, 1));
        assert_eq!(parse_german_date("01.02.27"), d(2027, 2, 1));
        assert_eq!(parse_german_date("2027-02-01"), d(2027, 2, 1));
        assert_eq!(parse_german_date("Mo, 01.02.2027"), d(2027, 2, 1));
        assert_eq!(parse_german_date("1. Februar 2027"), d(2027, 2, 1));
        assert_eq!(parse_german_date("3. März 2027"), d(2027, 3, 3));
        assert_eq!(parse_german_date("31.02.2027"), None);
        assert_eq!(parse_german_date("02/01/2027"), None);
    }

    #[test]
    fn german_times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_german_time("14:30"), t(14, 30));
        assert_eq!(parse_german_time("14.30"), t(14, 30));
        assert_eq!(parse_german_time("14:30 Uhr"), t(14, 30));
        assert_eq!(parse_german_time("9 Uhr"), t(9, 0));
        assert_eq!(parse_german_time("09:00:00"), t(9, 0));
        assert_eq!(parse_german_time("2:30 PM"), t(14, 30));
        assert_eq!(parse_german_time("24:00"), None);
        assert_eq!(parse_german_time("14:3"), None);
        assert_eq!(parse_german_time("abc"), None);
    }

    #[test]
    fn ical_durations() {
        assert_eq!(parse_ical_duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(parse_ical_duration("P1D"), Some(Duration::days(1)));
        assert_eq!(parse_ical_duration("P1W"), Some(Duration::weeks(1)));
        assert_eq!(parse_ical_duration("-PT5M"), Some(Duration::minutes(-5)));
        assert_eq!(parse_ical_duration("PT"), None);
        assert_eq!(parse_ical_duration("1H"), None);
    }
}

//! Timezone names as files write them: IANA names, Windows names (Outlook, Exchange), Mozilla's
//! prefixed names, and guessing a zone from the UTC offsets a file's dates carry.

use chrono::{DateTime, FixedOffset, Offset, TimeZone, Utc};
use marktplatz_model::zone::Zone;

/// The zone assumed when a file names none and no `--timezone` was given.
pub(crate) fn default_zone() -> Zone {
    // Bundled with the library, so always found; UTC only if the database were broken.
    Zone::named("Europe/Berlin").unwrap_or(Zone::UTC)
}

/// Windows zone names (CLDR windowsZones, territory 001) for the zones most likely to be seen.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("UTC", "Etc/UTC"),
    ("Coordinated Universal Time", "Etc/UTC"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("India Standard Time", "Asia/Calcutta"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("Arabian Standard Time", "Asia/Dubai"),
];

/// Resolves a timezone name to an IANA zone, or None.
pub(crate) fn resolve(name: &str) -> Option<Zone> {
    let name = name.trim().trim_matches('"');
    if name.is_empty() {
        return None;
    }
    if let Ok(tz) = name.parse::<Zone>() {
        return Some(tz);
    }
    if matches!(
        name.to_ascii_uppercase().as_str(),
        "Z" | "UTC" | "GMT" | "ETC/UTC"
    ) {
        return Some(Zone::UTC);
    }
    if let Some((_, iana)) = WINDOWS_ZONES
        .iter()
        .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
    {
        return iana.parse().ok();
    }
    // "/mozilla.org/20050126_1/Europe/Berlin", "/softwarestudio.org/Olson_20011030_5/Europe/Paris",
    // "(UTC+01:00) Europe/Berlin": try the trailing path segments.
    let segments: Vec<&str> = name.split(['/', ' ']).filter(|s| !s.is_empty()).collect();
    for take in [3, 2] {
        if segments.len() > take {
            let tail = segments[segments.len() - take..].join("/");
            if let Ok(tz) = tail.parse::<Zone>() {
                return Some(tz);
            }
        }
    }
    None
}

/// The offset of `zone` at `instant`.
pub(crate) fn offset_at(zone: Zone, instant: DateTime<Utc>) -> FixedOffset {
    zone.offset_from_utc_datetime(&instant.naive_utc()).fix()
}

/// How many of the dated instants (with the offset the file wrote) agree with `zone`.
pub(crate) fn agreement(zone: Zone, dated: &[(DateTime<Utc>, FixedOffset)]) -> usize {
    dated
        .iter()
        .filter(|(instant, offset)| offset_at(zone, *instant) == *offset)
        .count()
}

/// The most common offset among the dated instants.
pub(crate) fn dominant_offset(dated: &[(DateTime<Utc>, FixedOffset)]) -> Option<FixedOffset> {
    let mut counts: Vec<(FixedOffset, usize)> = Vec::new();
    for (_, offset) in dated {
        match counts.iter_mut().find(|(o, _)| o == offset) {
            Some((_, n)) => *n += 1,
            None => counts.push((*offset, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|(offset, n)| (*n, -offset.local_minus_utc()))
        .map(|(offset, _)| offset)
}

/// A fixed-offset IANA zone (`Etc/GMT-1` is UTC+1: the sign is inverted by POSIX convention)
/// for whole-hour offsets.
pub(crate) fn fixed_zone(offset: FixedOffset) -> Option<Zone> {
    let seconds = offset.local_minus_utc();
    if seconds == 0 {
        return Some(Zone::UTC);
    }
    if seconds % 3600 != 0 {
        return None;
    }
    let hours = -seconds / 3600;
    format!("Etc/GMT{hours:+}").parse().ok()
}

pub(crate) fn format_offset(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.abs();
    format!("{sign}{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_files_use() {
        assert_eq!(
            resolve("Europe/Berlin"),
            Some(Zone::named("Europe/Berlin").unwrap())
        );
        assert_eq!(
            resolve("W. Europe Standard Time"),
            Some(Zone::named("Europe/Berlin").unwrap())
        );
        assert_eq!(
            resolve("GMT Standard Time"),
            Some(Zone::named("Europe/London").unwrap())
        );
        assert_eq!(
            resolve("/mozilla.org/20050126_1/Europe/Berlin"),
            Some(Zone::named("Europe/Berlin").unwrap())
        );
        assert_eq!(
            resolve("America/Argentina/Buenos_Aires"),
            Some(Zone::named("America/Argentina/Buenos_Aires").unwrap())
        );
        assert_eq!(resolve("UTC"), Some(Zone::UTC));
        assert_eq!(resolve("Europe/Delmenhorst"), None);
        assert_eq!(resolve("Customized Time Zone"), None);
    }

    #[test]
    fn fixed_zones_invert_the_sign() {
        let plus_one = FixedOffset::east_opt(3600).unwrap();
        let zone = fixed_zone(plus_one).unwrap();
        assert_eq!(zone.name(), "Etc/GMT-1");
        let instant = Utc.with_ymd_and_hms(2027, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(offset_at(zone, instant), plus_one);
        assert_eq!(fixed_zone(FixedOffset::east_opt(5 * 1800).unwrap()), None);
        assert_eq!(
            format_offset(FixedOffset::west_opt(5 * 3600 + 1800).unwrap()),
            "-05:30"
        );
    }
}

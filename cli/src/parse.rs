//! Values as people type them: dates as `2027-02-01` or `01.02.2027`, times as `14:30`,
//! `14.30`, `14:30 Uhr` or `14 Uhr`, durations as `90m`, `12h`, `3d`. Errors are in the run's
//! language (clap shows them for option values).

use chrono::{NaiveDate, NaiveTime};

use crate::i18n::messages as msg;

/// A date: ISO (`2027-02-01`) or German (`01.02.2027`, `1.2.2027`).
pub fn date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .map_err(|_| msg::bad_date(text))
}

/// A time of day: `14:30`, `14.30`, `9:05`, `14:30 Uhr`, `14 Uhr`.
pub fn time(text: &str) -> Result<NaiveTime, String> {
    let trimmed = text.trim();
    let bare = trimmed
        .strip_suffix("Uhr")
        .or_else(|| trimmed.strip_suffix("uhr"))
        .map(str::trim_end);
    let (clock, hour_only_allowed) = match bare {
        Some(clock) => (clock, true),
        None => (trimmed, false),
    };
    let parsed = match clock.split_once([':', '.']) {
        Some((hours, minutes)) if minutes.len() == 2 => hours
            .parse::<u32>()
            .ok()
            .zip(minutes.parse::<u32>().ok())
            .and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0)),
        Some(_) => None,
        None if hour_only_allowed => clock
            .parse::<u32>()
            .ok()
            .and_then(|h| NaiveTime::from_hms_opt(h, 0, 0)),
        None => None,
    };
    parsed.ok_or_else(|| msg::bad_time(trimmed))
}

/// `90m`, `12h`, `3d`, `45s` or plain seconds.
pub fn duration_seconds(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: i64 = number.parse().map_err(|_| msg::bad_duration(text))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(msg::bad_duration(text)),
    };
    Ok(n.saturating_mul(factor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_iso_dates() {
        let day = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap_or_default();
        assert_eq!(date("2027-02-01"), Ok(day));
        assert_eq!(date("01.02.2027"), Ok(day));
        assert_eq!(date("1.2.2027"), Ok(day));
        assert!(date("32.01.2027").is_err());
        assert!(date("morgen").is_err());
    }

    #[test]
    fn german_times() {
        let half_past = NaiveTime::from_hms_opt(14, 30, 0).unwrap_or_default();
        for text in ["14:30", "14.30", "14:30 Uhr", "14.30 Uhr", " 14:30Uhr "] {
            assert_eq!(time(text), Ok(half_past), "{text}");
        }
        assert_eq!(
            time("9:05"),
            NaiveTime::from_hms_opt(9, 5, 0).ok_or_default()
        );
        assert_eq!(
            time("14 Uhr"),
            NaiveTime::from_hms_opt(14, 0, 0).ok_or_default()
        );
        for text in ["14", "14:3", "25:00", "14:60", "halb drei"] {
            assert!(time(text).is_err(), "{text}");
        }
    }

    trait OkOrDefault {
        fn ok_or_default(self) -> Result<NaiveTime, String>;
    }
    impl OkOrDefault for Option<NaiveTime> {
        fn ok_or_default(self) -> Result<NaiveTime, String> {
            self.ok_or_else(String::new)
        }
    }

    #[test]
    fn durations() {
        assert_eq!(duration_seconds("90m"), Ok(5400));
        assert_eq!(duration_seconds("2h"), Ok(7200));
        assert_eq!(duration_seconds("3d"), Ok(259_200));
        assert_eq!(duration_seconds("45"), Ok(45));
        assert!(duration_seconds("zwei Stunden").is_err());
    }
}

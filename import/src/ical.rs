//! iCalendar (RFC 5545) -> bundle. A small reader of our own: line unfolding (CRLF or bare LF),
//! parameters with quoted values, text escapes, DATE and DATE-TIME values in UTC, floating or
//! with a TZID. A TZID is resolved as an IANA name, a Windows name, or, failing both, through the
//! file's own VTIMEZONE (its STANDARD/DAYLIGHT offsets with yearly BYMONTH/BYDAY rules).
//! Recurrence rules of events are not expanded: the first occurrence is imported, with a warning.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use marktplatz_model::zone::Zone;

use marktplatz_model::error::{Error, Result};
use marktplatz_model::model::{Event, LocationKind, Session, SessionStatus, Venue};
use marktplatz_model::time::EventClock;

use super::builder::{Builder, Built, Draft, link};
use super::dates::{
    parse_ical_date_time, parse_ical_duration, parse_ical_offset, plausible, sane_year,
};
use super::kinds::session_kind;
use super::text::{clean_line, clean_text};
use super::warnings::{Text, text};
use super::{Context, ids, lang, local_time, tz};

const WHAT: &str = "the iCalendar file";
const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone)]
struct Property {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
struct Component {
    name: String,
    line: usize,
    properties: Vec<Property>,
    children: Vec<Component>,
}

impl Component {
    fn get(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.properties.iter().filter(move |p| p.name == name)
    }
}

/// Joins folded lines; returns (line number of the first physical line, logical line).
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        if let Some(continuation) = physical.strip_prefix([' ', '\t'])
            && let Some((_, last)) = lines.last_mut()
        {
            last.push_str(continuation);
            continue;
        }
        if physical.trim().is_empty() {
            continue;
        }
        lines.push((index + 1, physical.to_string()));
    }
    lines
}

fn parse_line(line: &str) -> Option<Property> {
    // The name and parameters end at the first ':' outside double quotes.
    let mut in_quotes = false;
    let mut colon = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let colon = colon?;
    let head = &line[..colon];
    let value = line[colon + 1..].to_string();
    let mut parts = split_outside_quotes(head, ';').into_iter();
    let name = parts.next()?.trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let params = parts
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((
                k.trim().to_ascii_uppercase(),
                v.trim().trim_matches('"').to_string(),
            ))
        })
        .collect();
    Some(Property {
        name,
        params,
        value,
    })
}

fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == separator && !in_quotes {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_calendar(text: &str) -> Result<Component> {
    let mut stack: Vec<Component> = Vec::new();
    let mut root: Option<Component> = None;
    for (number, line) in unfold(text) {
        let Some(property) = parse_line(&line) else {
            return Err(Error::malformed(
                WHAT,
                format!(
                    "line {number} is not a NAME:value line: \"{}\"",
                    preview(&line)
                ),
            ));
        };
        match property.name.as_str() {
            "BEGIN" => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::malformed(
                        WHAT,
                        format!("nests components deeper than {MAX_DEPTH} levels"),
                    ));
                }
                if stack.is_empty() && root.is_some() {
                    // A second VCALENDAR in one file: read its components into the first.
                    if let Some(first) = root.take() {
                        stack.push(first);
                        continue;
                    }
                }
                stack.push(Component {
                    name: property.value.trim().to_ascii_uppercase(),
                    line: number,
                    ..Component::default()
                });
            }
            "END" => {
                let name = property.value.trim().to_ascii_uppercase();
                let Some(done) = stack.pop() else {
                    return Err(Error::malformed(
                        WHAT,
                        format!("line {number}: END:{name} without BEGIN"),
                    ));
                };
                if done.name != name {
                    return Err(Error::malformed(
                        WHAT,
                        format!(
                            "line {number}: END:{name} closes BEGIN:{} of line {}",
                            done.name, done.line
                        ),
                    ));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            _ => match stack.last_mut() {
                Some(current) => current.properties.push(property),
                None => {
                    return Err(Error::malformed(
                        WHAT,
                        format!("line {number} is outside BEGIN:VCALENDAR ... END:VCALENDAR"),
                    ));
                }
            },
        }
    }
    if let Some(open) = stack.last() {
        return Err(Error::malformed(
            WHAT,
            format!(
                "BEGIN:{} of line {} is never closed (truncated file?)",
                open.name, open.line
            ),
        ));
    }
    match root {
        Some(calendar) if calendar.name == "VCALENDAR" => Ok(calendar),
        Some(other) => Err(Error::malformed(
            WHAT,
            format!("the outer component is {}, not VCALENDAR", other.name),
        )),
        None => Err(Error::malformed(WHAT, "has no BEGIN:VCALENDAR")),
    }
}

fn preview(text: &str) -> String {
    text.chars()
        .take(40)
        .collect::<String>()
        .escape_debug()
        .to_string()
}

/// RFC 5545 TEXT: `\\`, `\;`, `\,`, `\n`/`\N`.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A VTIMEZONE's observances: (onset in UTC, offset from then on).
#[derive(Debug, Default)]
struct VTimezone {
    observances: Vec<Observance>,
}

#[derive(Debug)]
struct Observance {
    start: NaiveDateTime,
    from: FixedOffset,
    to: FixedOffset,
    /// Yearly rule: month and (nth, weekday); nth -1 = last.
    rule: Option<(u32, i32, Weekday, Option<NaiveDateTime>)>,
}

impl VTimezone {
    fn from_component(component: &Component) -> VTimezone {
        let mut observances = Vec::new();
        for child in &component.children {
            if child.name != "STANDARD" && child.name != "DAYLIGHT" {
                continue;
            }
            let start = child
                .get("DTSTART")
                .and_then(|p| parse_ical_date_time(&p.value));
            let from = child
                .get("TZOFFSETFROM")
                .and_then(|p| parse_ical_offset(&p.value));
            let to = child
                .get("TZOFFSETTO")
                .and_then(|p| parse_ical_offset(&p.value));
            let (Some(start), Some(to)) = (start, to) else {
                continue;
            };
            let rule = child.get("RRULE").and_then(|p| yearly_rule(&p.value));
            observances.push(Observance {
                start,
                from: from.unwrap_or(to),
                to,
                rule,
            });
        }
        VTimezone { observances }
    }

    /// Onsets (as UTC instants) of every observance in the given year.
    fn onsets(&self, year: i32) -> Vec<(DateTime<Utc>, FixedOffset)> {
        let mut out = Vec::new();
        for o in &self.observances {
            let local = match o.rule {
                Some((month, nth, weekday, until)) => {
                    if year < o.start.year() {
                        continue;
                    }
                    let Some(date) = nth_weekday(year, month, nth, weekday) else {
                        continue;
                    };
                    let local = date.and_time(o.start.time());
                    if until.is_some_and(|u| local > u) {
                        continue;
                    }
                    local
                }
                None if o.start.year() <= year => o.start,
                None => continue,
            };
            out.push((
                Utc.from_utc_datetime(
                    &(local - Duration::seconds(i64::from(o.from.local_minus_utc()))),
                ),
                o.to,
            ));
        }
        out
    }

    fn offset_at(&self, instant: DateTime<Utc>) -> Option<FixedOffset> {
        let year = instant.year();
        let mut onsets = self.onsets(year - 1);
        onsets.extend(self.onsets(year));
        onsets.sort_by_key(|(at, _)| *at);
        onsets
            .iter()
            .rev()
            .find(|(at, _)| *at <= instant)
            .or(onsets.first())
            .map(|(_, offset)| *offset)
            .or_else(|| self.observances.first().map(|o| o.to))
    }

    fn instant_of_local(&self, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
        let mut candidates: Vec<FixedOffset> = self.observances.iter().map(|o| o.to).collect();
        candidates.dedup();
        for offset in &candidates {
            let instant = Utc.from_utc_datetime(
                &(wall - Duration::seconds(i64::from(offset.local_minus_utc()))),
            );
            if self.offset_at(instant) == Some(*offset) {
                return Some(instant);
            }
        }
        let offset = candidates.first()?;
        Some(
            Utc.from_utc_datetime(&(wall - Duration::seconds(i64::from(offset.local_minus_utc())))),
        )
    }
}

fn yearly_rule(rule: &str) -> Option<(u32, i32, Weekday, Option<NaiveDateTime>)> {
    let mut month = None;
    let mut byday = None;
    let mut until = None;
    let mut yearly = false;
    for part in rule.split(';') {
        let (key, value) = part.split_once('=')?;
        match key.trim().to_ascii_uppercase().as_str() {
            "FREQ" => yearly = value.eq_ignore_ascii_case("YEARLY"),
            "BYMONTH" => month = value.parse::<u32>().ok(),
            "BYDAY" => byday = Some(value.to_ascii_uppercase()),
            "UNTIL" => until = parse_ical_date_time(value),
            _ => {}
        }
    }
    if !yearly {
        return None;
    }
    let byday = byday?;
    let (nth, day) = byday.split_at(byday.len().checked_sub(2)?);
    let weekday = match day {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    };
    let nth = if nth.is_empty() {
        1
    } else {
        nth.trim_start_matches('+').parse().ok()?
    };
    Some((month?, nth, weekday, until))
}

fn nth_weekday(year: i32, month: u32, nth: i32, weekday: Weekday) -> Option<NaiveDate> {
    if nth > 0 {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, u8::try_from(nth).ok()?)
    } else {
        // Last (or nth from last) weekday: walk back from the month's last day.
        let next_month = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let mut day = next_month.pred_opt()?;
        while day.weekday() != weekday {
            day = day.pred_opt()?;
        }
        let back = i64::from(-nth - 1) * 7;
        let day = day - Duration::days(back);
        (day.month() == month).then_some(day)
    }
}

/// A DATE or DATE-TIME value resolved to an instant.
enum When {
    Instant(DateTime<Utc>),
    /// Floating local time (no Z, no TZID): in the calendar's zone.
    Floating(NaiveDateTime),
    /// VALUE=DATE: a whole day.
    Date(NaiveDate),
}

struct Zones<'a> {
    vtimezones: Vec<(String, VTimezone)>,
    fallback: Zone,
    warnings: &'a mut super::warnings::Warnings,
}

impl Zones<'_> {
    fn when(&mut self, property: &Property, subject: &Text) -> std::result::Result<When, Text> {
        let value = property.value.trim();
        let is_date = property
            .param("VALUE")
            .is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
            || (value.len() == 8 && value.chars().all(|c| c.is_ascii_digit()));
        if is_date {
            return NaiveDate::parse_from_str(value, "%Y%m%d")
                .ok()
                .and_then(sane_year)
                .map(When::Date)
                .ok_or_else(|| {
                    text!(
                        "'{value}' is not a date (YYYYMMDD)",
                        "„{value}“ ist kein Datum (JJJJMMTT)"
                    )
                });
        }
        let Some(wall) = parse_ical_date_time(value) else {
            return Err(text!(
                "'{value}' is not a date-time (YYYYMMDDTHHMMSS)",
                "„{value}“ ist kein Zeitpunkt (JJJJMMTTTHHMMSS)"
            ));
        };
        if value.ends_with(['Z', 'z']) {
            return Ok(When::Instant(Utc.from_utc_datetime(&wall)));
        }
        let Some(tzid) = property.param("TZID") else {
            return Ok(When::Floating(wall));
        };
        if let Some(zone) = tz::resolve(tzid) {
            local_time::check(zone, wall, self.warnings, subject, &property.name);
            return Ok(When::Instant(local_in(zone, wall)));
        }
        if let Some((_, vtz)) = self.vtimezones.iter().find(|(id, _)| id == tzid)
            && let Some(instant) = vtz.instant_of_local(wall)
        {
            return Ok(When::Instant(instant));
        }
        let fallback = self.fallback;
        self.warnings.once(
            &format!("tzid:{tzid}"),
            subject,
            property.name.clone(),
            text!(
                "TZID '{tzid}' is neither a known timezone nor defined by a VTIMEZONE; its times were read as {fallback} (further events with it are not listed)",
                "TZID „{tzid}“ ist weder eine bekannte Zeitzone noch in einem VTIMEZONE beschrieben; ihre Zeiten wurden als {fallback} gelesen (weitere Termine damit werden nicht aufgeführt)"
            ),
        );
        Ok(When::Instant(local_in(fallback, wall)))
    }
}

/// Why an event was skipped, in both languages.
fn skipped_because(reason: &Text) -> Text {
    Text::new(
        format!("{}; the event was skipped", reason.en),
        format!("{}; der Termin wurde übersprungen", reason.de),
    )
}

fn local_in(zone: Zone, wall: NaiveDateTime) -> DateTime<Utc> {
    match EventClock::new(zone.name(), 0) {
        Ok(clock) => clock.instant_of_local(wall),
        Err(_) => Utc.from_utc_datetime(&wall),
    }
}

pub(crate) fn read(text: &str, ctx: &Context) -> Result<Built> {
    let calendar = parse_calendar(text)?;
    let mut builder = Builder::new();

    let calendar_zone = calendar
        .get("X-WR-TIMEZONE")
        .map(|p| p.value.trim().to_string())
        .filter(|v| !v.is_empty());
    let vtimezones: Vec<(String, VTimezone)> = calendar
        .children
        .iter()
        .filter(|c| c.name == "VTIMEZONE")
        .filter_map(|c| {
            Some((
                c.get("TZID")?.value.trim().to_string(),
                VTimezone::from_component(c),
            ))
        })
        .collect();
    let events: Vec<&Component> = calendar
        .children
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    if events.is_empty() {
        return Err(Error::malformed(
            WHAT,
            "contains no events (VEVENT): there is nothing to import",
        ));
    }

    // The event's zone: --timezone, X-WR-TIMEZONE, the one IANA TZID the events use, Berlin.
    let used_tzids: BTreeSet<String> = events
        .iter()
        .flat_map(|e| e.properties.iter())
        .filter(|p| p.name == "DTSTART")
        .filter_map(|p| p.param("TZID").map(str::to_string))
        .collect();
    let zone = match (ctx.timezone, calendar_zone.as_deref().and_then(tz::resolve)) {
        (Some(zone), _) => zone,
        (None, Some(zone)) => zone,
        (None, None) => {
            let single = (used_tzids.len() == 1)
                .then(|| used_tzids.iter().next().and_then(|t| tz::resolve(t)))
                .flatten();
            match single {
                Some(zone) => zone,
                None => {
                    if let Some(name) = &calendar_zone {
                        builder.warnings.push(
                            Text::new("calendar", "Kalender"),
                            "X-WR-TIMEZONE",
                            text!(
                                "'{name}' is not a known timezone; it was ignored",
                                "„{name}“ ist keine bekannte Zeitzone; nicht beachtet"
                            ),
                        );
                    }
                    let zone = tz::default_zone();
                    builder.warnings.push(
                        Text::new("calendar", "Kalender"),
                        "timezone",
                        text!(
                            "the calendar names no timezone for its days; assumed {zone}; pass --timezone to choose another",
                            "der Kalender nennt keine Zeitzone für seine Tage; {zone} angenommen; mit --timezone lässt sich eine andere wählen"
                        ),
                    );
                    zone
                }
            }
        }
    };
    let clock = EventClock::new(zone.name(), 0)?;
    let mut zones = Zones {
        vtimezones,
        fallback: zone,
        warnings: &mut builder.warnings,
    };

    struct Parsed {
        subject: Text,
        uid: Option<String>,
        title: String,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        location: Option<String>,
        categories: Vec<String>,
        description: String,
        url: Option<String>,
        status: SessionStatus,
        languages: Vec<String>,
    }
    let mut parsed: Vec<Parsed> = Vec::new();
    for event in &events {
        let text_of = |name: &str| event.get(name).map(|p| clean_line(&unescape(&p.value)));
        let title = text_of("SUMMARY").unwrap_or_default();
        let uid = event
            .get("UID")
            .map(|p| p.value.trim().to_string())
            .filter(|u| !u.is_empty());
        let shown: String = title.chars().take(60).collect();
        let subject = match &uid {
            Some(uid) => text!(
                "VEVENT '{shown}' (UID {uid})",
                "VEVENT „{shown}“ (UID {uid})"
            ),
            None => text!(
                "VEVENT '{shown}' (line {})",
                "VEVENT „{shown}“ (Zeile {})",
                event.line
            ),
        };
        if title.is_empty() {
            zones.warnings.push(
                subject,
                "SUMMARY",
                text!(
                    "is missing or empty; the event was skipped",
                    "fehlt oder ist leer; der Termin wurde übersprungen"
                ),
            );
            continue;
        }
        let Some(dtstart) = event.get("DTSTART") else {
            zones.warnings.push(
                subject,
                "DTSTART",
                text!(
                    "is missing; the event was skipped",
                    "fehlt; der Termin wurde übersprungen"
                ),
            );
            continue;
        };
        let start_when = match zones.when(dtstart, &subject) {
            Ok(when) => when,
            Err(message) => {
                zones
                    .warnings
                    .push(subject, "DTSTART", skipped_because(&message));
                continue;
            }
        };
        if let When::Floating(wall) = start_when {
            local_time::check(clock.tz, wall, zones.warnings, &subject, "DTSTART");
        }
        let start = instant(&start_when, &clock);
        let end = if let Some(dtend) = event.get("DTEND") {
            match zones.when(dtend, &subject) {
                Ok(when) => {
                    if let When::Floating(wall) = when {
                        local_time::check(clock.tz, wall, zones.warnings, &subject, "DTEND");
                    }
                    instant(&when, &clock)
                }
                Err(message) => {
                    zones
                        .warnings
                        .push(subject, "DTEND", skipped_because(&message));
                    continue;
                }
            }
        } else if let Some(duration) = event.get("DURATION") {
            match parse_ical_duration(&duration.value).and_then(|d| start.checked_add_signed(d)) {
                Some(end) => end,
                None => {
                    zones.warnings.push(
                        subject,
                        "DURATION",
                        text!(
                            "'{}' is not a duration (like PT1H30M); the event was skipped",
                            "„{}“ ist keine Dauer (etwa PT1H30M); der Termin wurde übersprungen",
                            duration.value.trim()
                        ),
                    );
                    continue;
                }
            }
        } else if let When::Date(day) = start_when {
            instant(&When::Date(day + Duration::days(1)), &clock)
        } else {
            start
        };
        if end < start {
            zones.warnings.push(
                subject,
                "DTEND",
                text!(
                    "is before DTSTART; the event was skipped",
                    "liegt vor DTSTART; der Termin wurde übersprungen"
                ),
            );
            continue;
        }
        if !plausible(start) || !plausible(end) {
            zones.warnings.push(
                subject,
                "DTSTART",
                text!(
                    "is not a plausible date (years 1900 to 2200); the event was skipped",
                    "ist kein plausibles Datum (Jahre 1900 bis 2200); der Termin wurde übersprungen"
                ),
            );
            continue;
        }
        if event.get("RRULE").is_some() || event.get("RDATE").is_some() {
            zones.warnings.push(
                &subject,
                "RRULE",
                text!(
                    "recurring events are not expanded; only the first occurrence was imported",
                    "Serientermine werden nicht aufgefächert; nur der erste Termin wurde übernommen"
                ),
            );
        }
        let mut uid = uid;
        if let Some(recurrence) = event.get("RECURRENCE-ID") {
            uid = uid.map(|u| format!("{u}-{}", recurrence.value.trim()));
        }
        let status = match event
            .get("STATUS")
            .map(|p| p.value.trim().to_ascii_uppercase())
        {
            Some(s) if s == "CANCELLED" => SessionStatus::Cancelled,
            _ => SessionStatus::Scheduled,
        };
        let categories: Vec<String> = event
            .all("CATEGORIES")
            .flat_map(|p| split_outside_escapes(&p.value))
            .map(|c| clean_line(&c))
            .filter(|c| !c.is_empty())
            .collect();
        let languages = event
            .get("LANGUAGE")
            .or_else(|| event.get("X-LANGUAGE"))
            .map(|p| lang::normalise(&p.value).codes)
            .or_else(|| {
                event
                    .get("SUMMARY")
                    .and_then(|p| p.param("LANGUAGE"))
                    .map(|l| lang::normalise(l).codes)
            })
            .unwrap_or_default();
        parsed.push(Parsed {
            subject,
            uid,
            title,
            start,
            end,
            location: text_of("LOCATION").filter(|l| !l.is_empty()),
            categories,
            description: event
                .get("DESCRIPTION")
                .map(|p| clean_text(&unescape(&p.value)))
                .unwrap_or_default(),
            url: event.get("URL").map(|p| p.value.trim().to_string()),
            status,
            languages,
        });
    }
    drop(zones);

    for item in parsed {
        let location_id = item
            .location
            .as_deref()
            .and_then(|l| builder.location(l, None, LocationKind::Room, ""));
        let track_id = item.categories.first().and_then(|c| builder.track(c, None));
        let base_id = match item.uid.as_deref().and_then(ids::usable) {
            Some(id) => id,
            None => {
                if item.uid.is_none() {
                    builder.warnings.push(
                        &item.subject,
                        "UID",
                        text!(
                            "is missing; an id was derived from the summary",
                            "fehlt; eine ID wurde aus SUMMARY gebildet"
                        ),
                    );
                }
                ids::derived(
                    "session",
                    &format!(
                        "ical:{}",
                        item.uid
                            .clone()
                            .unwrap_or_else(|| ids::name_key(&item.title))
                    ),
                )
            }
        };
        let kind = session_kind(
            item.categories.first().map(String::as_str).unwrap_or(""),
            &item.title,
        );
        builder.push_draft(Draft {
            base_id,
            id_from_file: item.uid.is_some(),
            subject: item.subject,
            session: Session {
                id: String::new(),
                kind,
                title: item.title,
                subtitle: None,
                abstract_text: String::new(),
                description: item.description,
                start: item.start,
                end: item.end,
                location_id,
                track_id,
                languages: item.languages,
                speaker_ids: Vec::new(),
                status: item.status,
                tags: item.categories,
                links: item
                    .url
                    .as_deref()
                    .and_then(|u| link("", u))
                    .into_iter()
                    .collect(),
            },
        });
    }
    if !builder.has_sessions() {
        return Err(Error::malformed(
            WHAT,
            "has no event with a title and a usable start; nothing to import",
        ));
    }

    let mut days: BTreeSet<NaiveDate> = builder.session_days(&clock);
    days.extend(ctx.days.iter().copied());
    let title = calendar
        .get("X-WR-CALNAME")
        .or_else(|| calendar.get("NAME"))
        .map(|p| clean_line(&unescape(&p.value)))
        .filter(|t| !t.is_empty());
    let event_id = ctx
        .event_id
        .clone()
        .or_else(|| title.as_deref().and_then(ids::slug))
        .unwrap_or_else(|| "calendar".to_string());
    let event = Event {
        id: event_id.clone(),
        title: title.unwrap_or(event_id),
        subtitle: None,
        description: calendar
            .get("X-WR-CALDESC")
            .map(|p| clean_text(&unescape(&p.value)))
            .unwrap_or_default(),
        venue: Venue::default(),
        timezone: zone.name().to_string(),
        days: days.into_iter().collect(),
        day_change_hour: 0,
        languages: Vec::new(),
        url: None,
        logo: None,
    };
    Ok(builder.finish(event))
}

fn instant(when: &When, clock: &EventClock) -> DateTime<Utc> {
    match when {
        When::Instant(instant) => *instant,
        When::Floating(wall) => clock.instant_of_local(*wall),
        When::Date(day) => clock.instant_of_local(day.and_time(NaiveTime::MIN)),
    }
}

/// CATEGORIES is a comma-separated list in which `\,` is a literal comma.
fn split_outside_escapes(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push('\\');
                    current.push(next);
                }
            }
            ',' => parts.push(unescape(&std::mem::take(&mut current))),
            other => current.push(other),
        }
    }
    parts.push(unescape(&current));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfolding_handles_crlf_lf_and_tabs() {
        let text =
            "BEGIN:VCALENDAR\r\nSUMMARY:Lang\r\n er Titel\nDESCRIPTION:a\n\tb\nEND:VCALENDAR";
        let lines: Vec<String> = unfold(text).into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            lines,
            [
                "BEGIN:VCALENDAR",
                "SUMMARY:Langer Titel",
                "DESCRIPTION:ab",
                "END:VCALENDAR"
            ]
        );
    }

    #[test]
    fn parameters_with_quoted_colons() {
        let p =
            parse_line("DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin\":20270304T090000").unwrap();
        assert_eq!(p.param("TZID"), Some("(UTC+01:00) Amsterdam, Berlin"));
        assert_eq!(p.value, "20270304T090000");
    }

    #[test]
    fn text_escapes() {
        assert_eq!(
            unescape(r"Eins\nZwei\, drei\; vier\\fünf"),
            "Eins\nZwei, drei; vier\\fünf"
        );
    }

    #[test]
    fn last_sunday_rules() {
        assert_eq!(
            nth_weekday(2027, 3, -1, Weekday::Sun),
            NaiveDate::from_ymd_opt(2027, 3, 28)
        );
        assert_eq!(
            nth_weekday(2027, 10, -1, Weekday::Sun),
            NaiveDate::from_ymd_opt(2027, 10, 31)
        );
        assert_eq!(
            nth_weekday(2027, 3, 2, Weekday::Sun),
            NaiveDate::from_ymd_opt(2027, 3, 14)
        );
    }
}

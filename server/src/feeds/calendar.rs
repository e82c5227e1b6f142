//! Writes a feed's sessions as iCalendar with the writer the phones use
//! (`marktplatz_model::ical`): the same UIDs (event and session id, never changing), escaping,
//! folding and VTIMEZONE. SEQUENCE is the newest version in the change log of the session or
//! of the place, track and speakers it names, so every published change (a renamed room too)
//! raises it and calendars replace their copy; cancelled sessions, and deleted ones until the
//! day after the event (`programme::CANCELLED_KEPT`), stay in the feed as `STATUS:CANCELLED`,
//! so subscribed calendars cross them out.

use chrono::{DateTime, Utc};

use marktplatz_model::ical::{PRODID, Writer, text, uid, utc_stamp, write_time, write_vtimezone};
use marktplatz_model::model::SessionStatus;
use marktplatz_model::zone::Zone;

use super::programme::{Programme, VersionedSession};
use crate::http::error::{ApiError, ApiResult};
use crate::programme::paths;

/// About what one VEVENT takes, to size the output once.
const OCTETS_PER_SESSION: usize = 700;

/// The calendar of `sessions` (CRLF line breaks). `site` (`https://host`) makes the sessions'
/// URLs absolute; without it they are left out (RFC 5545's URL is a full URI).
pub fn write(
    programme: &Programme,
    sessions: &[&VersionedSession],
    site: Option<&str>,
) -> ApiResult<String> {
    let event = &programme.event;
    let tz = Zone::named(&event.timezone).ok_or_else(|| {
        ApiError::internal(
            "writing a calendar feed",
            format!(
                "event '{}' has the unknown time zone '{}'",
                event.id, event.timezone
            ),
        )
    })?;
    let mut out = Writer::with_capacity(2048 + sessions.len() * OCTETS_PER_SESSION);
    out.line("BEGIN", &[], "VCALENDAR");
    out.line("VERSION", &[], "2.0");
    out.line("PRODID", &[], PRODID);
    out.line("CALSCALE", &[], "GREGORIAN");
    out.line("METHOD", &[], "PUBLISH");
    out.line("X-WR-CALNAME", &[], &text(&event.title));
    out.line("X-WR-TIMEZONE", &[], tz.name());
    let first = sessions.iter().map(|s| s.session.start).min();
    let last = sessions.iter().map(|s| s.session.end).max();
    if let (Some(first), Some(last)) = (first, last) {
        write_vtimezone(&mut out, tz, first, last);
    }
    for versioned in sessions {
        write_event(&mut out, programme, versioned, tz, site);
    }
    out.line("END", &[], "VCALENDAR");
    Ok(out.finish())
}

fn write_event(
    out: &mut Writer,
    programme: &Programme,
    versioned: &VersionedSession,
    tz: Zone,
    site: Option<&str>,
) {
    let session = &versioned.session;
    let event_id = &programme.event.id;
    let stamp = DateTime::<Utc>::from_timestamp(versioned.changed_at, 0).unwrap_or_default();
    out.line("BEGIN", &[], "VEVENT");
    out.line("UID", &[], &text(&uid(event_id, &session.id)));
    out.line("DTSTAMP", &[], &utc_stamp(stamp));
    write_time(out, "DTSTART", tz, session.start);
    write_time(out, "DTEND", tz, session.end);
    out.line("SEQUENCE", &[], &versioned.seq.to_string());
    out.line("SUMMARY", &[], &text(&session.title));
    if let Some(place) = session
        .location_id
        .as_ref()
        .and_then(|id| programme.locations.get(id))
    {
        out.line("LOCATION", &[], &text(&place.name));
    }
    let description = description(programme, versioned);
    if !description.is_empty() {
        out.line("DESCRIPTION", &[], &text(&description));
    }
    if let Some(track) = session
        .track_id
        .as_ref()
        .and_then(|id| programme.tracks.get(id))
    {
        out.line("CATEGORIES", &[], &text(&track.name));
    }
    if let Some(site) = site {
        out.line(
            "URL",
            &[],
            &format!("{site}{}", paths::session(event_id, &session.id)),
        );
    }
    let status = match session.status {
        SessionStatus::Cancelled => "CANCELLED",
        SessionStatus::Scheduled => "CONFIRMED",
    };
    out.line("STATUS", &[], status);
    out.line("END", &[], "VEVENT");
}

/// Speakers, then the abstract: what a calendar entry needs to be recognised.
fn description(programme: &Programme, versioned: &VersionedSession) -> String {
    let session = &versioned.session;
    let speakers = session
        .speaker_ids
        .iter()
        .filter_map(|id| programme.speakers.get(id))
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    [speakers.as_str(), session.abstract_text.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

//! What the pages show, built from the event's published content: the day's agenda with its
//! filters and now/next, one session, one station, the speakers, the event's info. Pure
//! functions of the content, the language and the time (tested without a server).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{
    Announcement, Location, LocationKind, Priority, Session, SessionStatus, Speaker,
};
use marktplatz_model::time::EventClock;

use super::text::Words;

/// The published content with its lookups.
pub struct Content {
    pub bundle: Bundle,
    pub clock: EventClock,
    locations: HashMap<String, usize>,
    tracks: HashMap<String, usize>,
    speakers: HashMap<String, usize>,
}

impl Content {
    /// Indexes `bundle`; its sessions are put in time order.
    pub fn new(mut bundle: Bundle) -> Result<Content, marktplatz_model::Error> {
        let clock = EventClock::new(&bundle.event.timezone, bundle.event.day_change_hour)?;
        bundle.sessions.sort_by(|a, b| {
            (a.start, a.end, &a.title, &a.id).cmp(&(b.start, b.end, &b.title, &b.id))
        });
        bundle
            .locations
            .sort_by(|a, b| (a.sort_order, &a.name).cmp(&(b.sort_order, &b.name)));
        bundle.speakers.sort_by(|a, b| a.name.cmp(&b.name));
        bundle.info_pages.sort_by_key(|page| page.sort_order);
        let index = |ids: Vec<&String>| -> HashMap<String, usize> {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), i))
                .collect()
        };
        Ok(Content {
            locations: index(bundle.locations.iter().map(|l| &l.id).collect()),
            tracks: index(bundle.tracks.iter().map(|t| &t.id).collect()),
            speakers: index(bundle.speakers.iter().map(|s| &s.id).collect()),
            clock,
            bundle,
        })
    }

    pub fn location(&self, id: &str) -> Option<&Location> {
        self.locations.get(id).map(|&i| &self.bundle.locations[i])
    }

    fn track_name(&self, id: Option<&String>) -> Option<String> {
        let i = *self.tracks.get(id?.as_str())?;
        Some(self.bundle.tracks[i].name.clone())
    }

    fn location_name(&self, id: Option<&String>) -> Option<String> {
        Some(self.location(id?)?.name.clone())
    }

    pub fn speaker(&self, id: &str) -> Option<&Speaker> {
        self.speakers.get(id).map(|&i| &self.bundle.speakers[i])
    }

    /// The day to show: the asked one when the event has it, else today when the event has
    /// it, else the first day.
    pub fn day_to_show(&self, asked: Option<&str>, now: DateTime<Utc>) -> Option<NaiveDate> {
        let days = &self.bundle.event.days;
        asked
            .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .filter(|day| days.contains(day))
            .or_else(|| Some(self.clock.conference_day(now)).filter(|day| days.contains(day)))
            .or_else(|| days.first().copied())
    }

    /// One line of a list of sessions.
    pub fn row(&self, session: &Session) -> Row {
        let local_start = self.clock.local(session.start);
        let local_end = self.clock.local(session.end);
        let speakers = session
            .speaker_ids
            .iter()
            .filter_map(|id| self.speaker(id))
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        Row {
            id: session.id.clone(),
            start: local_start.format("%H:%M").to_string(),
            end: local_end.format("%H:%M").to_string(),
            title: session.title.clone(),
            place: self.location_name(session.location_id.as_ref()),
            track: self.track_name(session.track_id.as_ref()),
            speakers,
            cancelled: session.status == SessionStatus::Cancelled,
        }
    }
}

/// A session in a list.
pub struct Row {
    pub id: String,
    pub start: String,
    pub end: String,
    pub title: String,
    pub place: Option<String>,
    pub track: Option<String>,
    pub speakers: String,
    pub cancelled: bool,
}

/// A day tab.
pub struct DayTab {
    pub date: String,
    pub label: String,
    pub current: bool,
}

/// An option of a filter.
pub struct Choice {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

/// The agenda of one day, filtered.
pub struct Agenda {
    pub day: String,
    pub day_label: String,
    pub tabs: Vec<DayTab>,
    pub places: Vec<Choice>,
    pub tracks: Vec<Choice>,
    pub place: Option<String>,
    pub track: Option<String>,
    pub now: Vec<Row>,
    pub next: Vec<Row>,
    pub rows: Vec<Row>,
    pub notices: Vec<Notice>,
}

/// An announcement as shown.
pub struct Notice {
    pub title: String,
    pub body: String,
    pub urgent: bool,
}

/// "Fr 27.12." / "Fri 27/12": short and the same in print.
pub fn day_label(words: &Words, day: NaiveDate) -> String {
    let weekday = words.weekdays[day.weekday().num_days_from_monday() as usize];
    if words.lang == "de" {
        format!("{weekday} {}.{}.", day.day(), day.month())
    } else {
        format!("{weekday} {}/{}", day.day(), day.month())
    }
}

/// The agenda of `day` for the place and track asked (unknown ids filter nothing).
pub fn agenda(
    content: &Content,
    words: &Words,
    day: NaiveDate,
    place: Option<&str>,
    track: Option<&str>,
    now: DateTime<Utc>,
) -> Agenda {
    let place = place.filter(|id| content.locations.contains_key(*id));
    let track = track.filter(|id| content.tracks.contains_key(*id));
    let (from, until) = content.clock.day_bounds(day);
    let shown = |s: &&Session| {
        s.start >= from
            && s.start < until
            && place.is_none_or(|p| s.location_id.as_deref() == Some(p))
            && track.is_none_or(|t| s.track_id.as_deref() == Some(t))
    };
    let day_sessions: Vec<&Session> = content.bundle.sessions.iter().filter(shown).collect();
    let live = |s: &&&Session| s.status != SessionStatus::Cancelled;
    let now_rows = day_sessions
        .iter()
        .filter(live)
        .filter(|s| s.start <= now && now < s.end)
        .map(|s| content.row(s))
        .collect();
    let next_start = day_sessions
        .iter()
        .filter(live)
        .map(|s| s.start)
        .find(|start| *start > now);
    let next_rows = day_sessions
        .iter()
        .filter(live)
        .filter(|s| Some(s.start) == next_start)
        .map(|s| content.row(s))
        .collect();
    let tabs = content
        .bundle
        .event
        .days
        .iter()
        .map(|d| DayTab {
            date: d.format("%Y-%m-%d").to_string(),
            label: day_label(words, *d),
            current: *d == day,
        })
        .collect();
    Agenda {
        day: day.format("%Y-%m-%d").to_string(),
        day_label: day_label(words, day),
        tabs,
        places: choices(
            content
                .bundle
                .locations
                .iter()
                .filter(|l| l.kind != LocationKind::Hall)
                .map(|l| (&l.id, &l.name)),
            place,
        ),
        tracks: choices(
            content.bundle.tracks.iter().map(|t| (&t.id, &t.name)),
            track,
        ),
        place: place.map(str::to_string),
        track: track.map(str::to_string),
        now: now_rows,
        next: next_rows,
        rows: day_sessions.iter().map(|s| content.row(s)).collect(),
        notices: notices(&content.bundle.announcements, now),
    }
}

fn choices<'a>(
    items: impl Iterator<Item = (&'a String, &'a String)>,
    selected: Option<&str>,
) -> Vec<Choice> {
    items
        .map(|(id, name)| Choice {
            id: id.clone(),
            name: name.clone(),
            selected: selected == Some(id.as_str()),
        })
        .collect()
}

/// The announcements in force at `now`: urgent ones first, then important, then the rest,
/// newest first within each.
pub fn notices(announcements: &[Announcement], now: DateTime<Utc>) -> Vec<Notice> {
    let mut current: Vec<&Announcement> = announcements
        .iter()
        .filter(|a| a.published_at <= now && a.expires_at.is_none_or(|end| now < end))
        .collect();
    current.sort_by(|a, b| {
        (b.priority, b.published_at, &a.id).cmp(&(a.priority, a.published_at, &b.id))
    });
    current
        .into_iter()
        .map(|a| Notice {
            title: a.title.clone(),
            body: a.body.clone(),
            urgent: a.priority == Priority::Urgent,
        })
        .collect()
}

/// Paragraphs of a plain text with blank lines between them.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

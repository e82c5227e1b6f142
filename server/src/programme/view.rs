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
    // Now and next only on the day that is today: on another day they would say nothing.
    let today = content.clock.conference_day(now) == day;
    let live = |s: &&&Session| today && s.status != SessionStatus::Cancelled;
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

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use marktplatz_model::model::{Event, Venue};

    use super::*;
    use crate::programme::text::{DE, EN};

    fn session(id: &str, start: DateTime<Utc>, place: &str, status: SessionStatus) -> Session {
        Session {
            id: id.into(),
            kind: Default::default(),
            title: format!("Titel {id}"),
            subtitle: None,
            abstract_text: String::new(),
            description: String::new(),
            start,
            end: start + Duration::minutes(30),
            location_id: Some(place.into()),
            track_id: None,
            languages: Vec::new(),
            speaker_ids: Vec::new(),
            status,
            tags: Vec::new(),
            links: Vec::new(),
        }
    }

    fn content() -> Content {
        let day = NaiveDate::from_ymd_opt(2027, 3, 4).unwrap_or_default();
        let mut bundle = Bundle::new(Event {
            id: "e".into(),
            title: "Markt".into(),
            subtitle: None,
            description: String::new(),
            venue: Venue::default(),
            timezone: "Europe/Berlin".into(),
            days: vec![day, day.succ_opt().unwrap_or_default()],
            day_change_hour: 4,
            languages: Vec::new(),
            url: None,
            logo: None,
        });
        for (id, place) in [("a", "s1"), ("b", "s2")] {
            bundle.locations.push(Location {
                id: place.into(),
                name: format!("Station {id}"),
                kind: LocationKind::Station,
                parent_id: None,
                description: String::new(),
                position: None,
                sort_order: 0,
            });
        }
        let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2027, 3, 4, h, m, 0).unwrap();
        bundle.sessions = vec![
            session("late", at(23, 30), "s1", SessionStatus::Scheduled),
            session("nine", at(8, 0), "s1", SessionStatus::Scheduled),
            session("ten", at(9, 0), "s2", SessionStatus::Scheduled),
            session("gone", at(9, 0), "s1", SessionStatus::Cancelled),
            session("eleven", at(10, 0), "s1", SessionStatus::Scheduled),
        ];
        Content::new(bundle).unwrap_or_else(|e| panic!("{e}"))
    }

    fn first_day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, 4).unwrap_or_default()
    }

    /// The first day's agenda at `now`, filtered by `place`.
    fn agenda_at(now: DateTime<Utc>, place: Option<&str>) -> Agenda {
        agenda(&content(), &DE, first_day(), place, None, now)
    }

    fn ids(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn the_agenda_lists_the_day_in_time_order_and_filters_by_place() {
        let long_ago = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
        let a = agenda_at(long_ago, None);
        // 23:30 UTC is 00:30 local, before the day change at 4: still the 4th.
        assert_eq!(ids(&a.rows), ["nine", "gone", "ten", "eleven", "late"]);
        assert_eq!(a.rows[0].start, "09:00", "local time");
        assert!(
            a.now.is_empty() && a.next.is_empty(),
            "not today: no now/next"
        );
        let at_s1 = agenda_at(long_ago, Some("s1"));
        assert_eq!(ids(&at_s1.rows), ["nine", "gone", "eleven", "late"]);
        let unknown = agenda_at(long_ago, Some("nowhere"));
        assert_eq!(unknown.rows.len(), 5, "an unknown place filters nothing");
        assert_eq!(a.tabs.len(), 2);
        assert!(a.tabs[0].current && a.tabs[0].label == "Do 4.3.");
        assert_eq!(day_label(&EN, first_day()), "Thu 4/3");
    }

    #[test]
    fn now_and_next_leave_out_cancelled_sessions() {
        let during_nine = Utc.with_ymd_and_hms(2027, 3, 4, 8, 10, 0).unwrap();
        let a = agenda_at(during_nine, None);
        let (c, day) = (content(), first_day());
        assert_eq!(ids(&a.now), ["nine"]);
        assert_eq!(
            ids(&a.next),
            ["ten"],
            "the cancelled one at the same time is not next"
        );
        assert_eq!(c.day_to_show(None, during_nine), Some(day));
        assert_eq!(
            c.day_to_show(Some("2027-03-05"), during_nine),
            day.succ_opt()
        );
        assert_eq!(c.day_to_show(Some("1999-01-01"), during_nine), Some(day));
    }

    #[test]
    fn urgent_announcements_come_first_and_expired_ones_are_gone() {
        let now = Utc.with_ymd_and_hms(2027, 3, 4, 10, 0, 0).unwrap();
        let notice = |id: &str, priority, hours_ago: i64, expired: bool| Announcement {
            id: id.into(),
            title: id.into(),
            body: String::new(),
            priority,
            published_at: now - Duration::hours(hours_ago),
            expires_at: expired.then(|| now - Duration::minutes(1)),
        };
        let shown = notices(
            &[
                notice("new", Priority::Normal, 1, false),
                notice("fire", Priority::Urgent, 3, false),
                notice("old", Priority::Normal, 2, false),
                notice("over", Priority::Urgent, 1, true),
            ],
            now,
        );
        let titles: Vec<&str> = shown.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles, ["fire", "new", "old"]);
        assert!(shown[0].urgent);
    }
}

//! Collects what a format reader found into a bundle: one location per room name, one speaker
//! per person, unique session ids, stable order. Every format reader uses it.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{
    Event, Exhibitor, Link, Location, LocationKind, Session, Speaker, Track,
};
use marktplatz_model::time::EventClock;

use super::identity::MadeUpIds;
use super::ids;
use super::text::{clean_line, clean_text};
use super::warnings::{ImportWarning, Text, Warnings, text};

/// A person as a file names them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Person {
    pub guid: Option<String>,
    pub id: Option<String>,
    pub name: String,
    pub organisation: Option<String>,
    pub bio: String,
    pub url: Option<String>,
}

/// A session before its id is final: occurrences of one file entry share `base_id`.
pub(crate) struct Draft {
    pub base_id: String,
    /// Whether `base_id` is the file's own (a guid, UID, ID column, frab id) rather than made
    /// up from the content; made-up ids are matched to the previous publication (`identity`).
    pub id_from_file: bool,
    /// How the file names this entry in warnings.
    pub subject: Text,
    pub session: Session,
}

#[derive(Default)]
pub(crate) struct Builder {
    pub warnings: Warnings,
    locations: Vec<Location>,
    location_keys: HashMap<String, usize>,
    tracks: Vec<Track>,
    track_keys: HashMap<String, usize>,
    speakers: Vec<Speaker>,
    speaker_keys: HashMap<String, usize>,
    drafts: Vec<Draft>,
    exhibitors: Vec<Exhibitor>,
    /// Ids the file did not give: made up, or suffixed because the file repeats one.
    pub made_up: MadeUpIds,
}

/// What a reader produced: the bundle, the repairs, and which session ids were made up.
pub(crate) struct Built {
    pub bundle: Bundle,
    pub warnings: Vec<ImportWarning>,
    pub made_up: MadeUpIds,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// The id of the location called `name` (case, accents and spacing ignored), created on
    /// first use. A guid that another location already uses is ignored (it would merge rooms).
    pub fn location(
        &mut self,
        name: &str,
        guid: Option<&str>,
        kind: LocationKind,
        description: &str,
    ) -> Option<String> {
        let name = clean_line(name);
        if name.is_empty() {
            return None;
        }
        let key = ids::name_key(&name);
        if let Some(&index) = self.location_keys.get(&key) {
            let location = &mut self.locations[index];
            if location.description.is_empty() && !description.is_empty() {
                location.description = clean_text(description);
            }
            return Some(location.id.clone());
        }
        let from_guid = guid.and_then(ids::usable);
        let id = match from_guid {
            Some(id) if !self.locations.iter().any(|l| l.id == id) => id,
            Some(id) => {
                self.warnings.push(
                    text!("room '{name}'", "Raum „{name}“"),
                    "guid",
                    text!(
                        "guid {id} is already used by another room; a new id was derived from the name",
                        "guid {id} hat schon ein anderer Raum; eine neue ID wurde aus dem Namen gebildet"
                    ),
                );
                ids::derived("location", &key)
            }
            None => ids::derived("location", &key),
        };
        let sort_order = i32::try_from(self.locations.len()).unwrap_or(i32::MAX);
        self.locations.push(Location {
            id: id.clone(),
            name,
            kind,
            parent_id: None,
            description: clean_text(description),
            position: None,
            sort_order,
        });
        self.location_keys.insert(key, self.locations.len() - 1);
        Some(id)
    }

    /// The id of the track called `name`, created on first use.
    pub fn track(&mut self, name: &str, color: Option<&str>) -> Option<String> {
        let name = clean_line(name);
        if name.is_empty() {
            return None;
        }
        let color = color.and_then(normalise_color);
        let key = ids::name_key(&name);
        if let Some(&index) = self.track_keys.get(&key) {
            let track = &mut self.tracks[index];
            if track.color.is_none() {
                track.color = color;
            }
            return Some(track.id.clone());
        }
        let id = ids::derived("track", &key);
        self.tracks.push(Track {
            id: id.clone(),
            name,
            color,
            description: String::new(),
        });
        self.track_keys.insert(key, self.tracks.len() - 1);
        Some(id)
    }

    /// The id of a person, de-duplicated: on guid when there is one, else on (file id, name),
    /// else on the name alone. Person ids alone are not trusted: merged sub-schedules reuse them.
    pub fn speaker(&mut self, person: &Person) -> Option<String> {
        let name = clean_line(&person.name);
        if name.is_empty() {
            return None;
        }
        let name_key = ids::name_key(&name);
        let guid = person.guid.as_deref().and_then(ids::usable);
        let key = match (&guid, person.id.as_deref().map(str::trim)) {
            (Some(guid), _) => format!("guid:{guid}"),
            (None, Some(id)) if !id.is_empty() => format!("id:{id}\u{1f}{name_key}"),
            _ => format!("name:{name_key}"),
        };
        let bio = clean_text(&person.bio);
        let organisation = person
            .organisation
            .as_deref()
            .map(clean_line)
            .filter(|o| !o.is_empty());
        let link = person.url.as_deref().and_then(|url| link("", url));
        if let Some(&index) = self.speaker_keys.get(&key) {
            let speaker = &mut self.speakers[index];
            if speaker.bio.is_empty() && !bio.is_empty() {
                speaker.bio = bio;
            }
            if speaker.organisation.is_none() {
                speaker.organisation = organisation;
            }
            if speaker.links.is_empty()
                && let Some(link) = link
            {
                speaker.links.push(link);
            }
            return Some(speaker.id.clone());
        }
        let id = guid.unwrap_or_else(|| ids::derived("speaker", &key));
        self.speakers.push(Speaker {
            id: id.clone(),
            name,
            organisation,
            role: None,
            bio,
            photo: None,
            links: link.into_iter().collect(),
        });
        self.speaker_keys.insert(key, self.speakers.len() - 1);
        Some(id)
    }

    /// ISO codes from a language field ("Deutsch", "de, en"); unknown names are left out with
    /// one warning per distinct value.
    pub fn languages(&mut self, raw: &str, subject: &Text) -> Vec<String> {
        let parsed = super::lang::normalise(raw);
        if !parsed.unknown.is_empty() {
            let unknown = parsed.unknown.join(", ");
            self.warnings.once(
                &format!("lang:{}", parsed.unknown.join(",")),
                subject,
                "language",
                text!(
                    "'{unknown}' is not a language code or name we know; it was left out (further entries with it are not listed)",
                    "„{unknown}“ ist kein bekannter Sprachcode oder Sprachname; weggelassen (weitere Einträge damit werden nicht aufgeführt)"
                ),
            );
        }
        parsed.codes
    }

    pub fn push_draft(&mut self, draft: Draft) {
        self.drafts.push(draft);
    }

    pub fn push_exhibitor(&mut self, exhibitor: Exhibitor) {
        self.exhibitors.push(exhibitor);
    }

    pub fn has_sessions(&self) -> bool {
        !self.drafts.is_empty()
    }

    pub fn exhibitor_count(&self) -> usize {
        self.exhibitors.len()
    }

    /// The local days the sessions fall on under `clock`.
    pub fn session_days(&self, clock: &EventClock) -> BTreeSet<NaiveDate> {
        self.drafts
            .iter()
            .map(|d| clock.conference_day(d.session.start))
            .collect()
    }

    /// Makes session ids unique: an entry listed twice at the same time in the same room is
    /// dropped; one listed at several times keeps every occurrence, the earliest under the
    /// file's id and later ones under `id-2`, `id-3`, ...
    fn settle_session_ids(&mut self) -> Vec<Session> {
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for (index, draft) in self.drafts.iter().enumerate() {
            let group = groups.entry(draft.base_id.clone()).or_default();
            if group.is_empty() {
                order.push(draft.base_id.clone());
            }
            group.push(index);
        }
        let mut sessions = Vec::with_capacity(self.drafts.len());
        let mut taken: HashSet<String> = self.drafts.iter().map(|d| d.base_id.clone()).collect();
        for base in order {
            let Some(mut members) = groups.remove(&base) else {
                continue;
            };
            let drafts = &self.drafts;
            members.sort_by(|a, b| {
                let (a, b) = (&drafts[*a].session, &drafts[*b].session);
                (a.start, a.end, &a.location_id, &a.title).cmp(&(
                    b.start,
                    b.end,
                    &b.location_id,
                    &b.title,
                ))
            });
            let mut kept: Vec<usize> = Vec::new();
            for index in members {
                let draft = &self.drafts[index];
                let duplicate = kept
                    .iter()
                    .any(|k| same_slot(&self.drafts[*k].session, &draft.session));
                if duplicate {
                    self.warnings.push(
                        draft.subject.clone(),
                        "guid",
                        text!(
                            "is listed twice at the same time and place; the second listing was skipped",
                            "steht zweimal zur selben Zeit am selben Ort; der zweite Eintrag wurde übersprungen"
                        ),
                    );
                    continue;
                }
                let mut session = draft.session.clone();
                if !kept.is_empty() {
                    let mut n = kept.len() + 1;
                    let mut id = format!("{base}-{n}");
                    while taken.contains(&id) {
                        n += 1;
                        id = format!("{base}-{n}");
                    }
                    taken.insert(id.clone());
                    self.made_up.sessions.insert(id.clone());
                    self.warnings.push(
                        draft.subject.clone(),
                        "guid",
                        text!(
                            "is listed again at another time or place; kept as its own session with id {id}",
                            "steht noch einmal zu anderer Zeit oder an anderem Ort; als eigener Programmpunkt mit ID {id} behalten"
                        ),
                    );
                    session.id = id;
                } else {
                    if !draft.id_from_file {
                        self.made_up.sessions.insert(base.clone());
                    }
                    session.id = base.clone();
                }
                kept.push(index);
                sessions.push(session);
            }
        }
        sessions
    }

    /// The bundle, in a stable order: locations and tracks as first seen, sessions by time,
    /// speakers and exhibitors by name.
    pub fn finish(mut self, event: Event) -> Built {
        let mut sessions = self.settle_session_ids();
        let room_order: HashMap<&str, i32> = self
            .locations
            .iter()
            .map(|l| (l.id.as_str(), l.sort_order))
            .collect();
        sessions.sort_by(|a, b| {
            let room = |s: &Session| {
                s.location_id
                    .as_deref()
                    .and_then(|id| room_order.get(id).copied())
            };
            (a.start, room(a), a.end, &a.id).cmp(&(b.start, room(b), b.end, &b.id))
        });
        self.warn_double_bookings(&sessions);
        self.speakers.sort_by(|a, b| {
            (marktplatz_model::text::fold(&a.name), &a.id)
                .cmp(&(marktplatz_model::text::fold(&b.name), &b.id))
        });
        self.exhibitors.sort_by(|a, b| {
            (marktplatz_model::text::fold(&a.name), &a.id)
                .cmp(&(marktplatz_model::text::fold(&b.name), &b.id))
        });
        let mut bundle = Bundle::new(event);
        bundle.locations = self.locations;
        bundle.tracks = self.tracks;
        bundle.sessions = sessions;
        bundle.speakers = self.speakers;
        bundle.exhibitors = self.exhibitors;
        Built {
            bundle,
            warnings: self.warnings.into_list(),
            made_up: self.made_up,
        }
    }
}

impl Builder {
    /// Sessions that overlap an earlier one in the same room: kept (assemblies double-book on
    /// purpose), but an organiser checking their own fair wants to know. One warning in total.
    fn warn_double_bookings(&mut self, sessions: &[Session]) {
        let mut by_room: Vec<&Session> = sessions
            .iter()
            .filter(|s| {
                s.location_id.is_some()
                    && s.status == marktplatz_model::model::SessionStatus::Scheduled
            })
            .collect();
        by_room.sort_by(|a, b| {
            (&a.location_id, a.start, a.end).cmp(&(&b.location_id, b.start, b.end))
        });
        let mut overlaps = 0usize;
        let mut examples: Vec<(String, String)> = Vec::new();
        let mut previous: Option<&Session> = None;
        for session in by_room {
            if let Some(p) = previous
                && p.location_id == session.location_id
                && session.start < p.end
            {
                overlaps += 1;
                if examples.len() < 3 {
                    examples.push((p.title.clone(), session.title.clone()));
                }
            }
            previous = match previous {
                Some(p) if p.location_id == session.location_id && p.end > session.end => Some(p),
                _ => Some(session),
            };
        }
        if overlaps > 0 {
            let listed = |and: &str| {
                examples
                    .iter()
                    .map(|(a, b)| format!("'{a}' {and} '{b}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.warnings.push(
                Text::new("schedule", "Programm"),
                "rooms",
                Text::new(
                    format!(
                        "{overlaps} sessions overlap an earlier one in the same room (for example {}); kept as given",
                        listed("and")
                    ),
                    format!(
                        "{overlaps} Programmpunkte überschneiden sich mit einem früheren im selben Raum (zum Beispiel {}); so behalten",
                        listed("und")
                    ),
                ),
            );
        }
    }
}

fn same_slot(a: &Session, b: &Session) -> bool {
    a.start == b.start && a.end == b.end && a.location_id == b.location_id && a.title == b.title
}

/// `#RGB`/`#RRGGBB` in any case -> `#rrggbb`; anything else -> None.
pub(crate) fn normalise_color(raw: &str) -> Option<String> {
    let hex = raw.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(format!(
            "#{}",
            hex.chars()
                .flat_map(|c| [c, c])
                .collect::<String>()
                .to_ascii_lowercase()
        )),
        _ => None,
    }
}

/// A link if `url` is absolute http(s) or mailto; relative and other URLs are dropped.
pub(crate) fn link(title: &str, url: &str) -> Option<Link> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let absolute = lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:");
    if !absolute || url.chars().any(char::is_whitespace) || url.len() > 2000 {
        return None;
    }
    Some(Link {
        title: clean_line(title),
        url: url.to_string(),
    })
}

/// Resolves a link against the file's base URL when it is relative (`/events/1.html`).
pub(crate) fn absolute_url(url: &str, base: Option<&str>) -> String {
    let url = url.trim();
    if url.contains("://") || url.starts_with("mailto:") {
        return url.to_string();
    }
    let Some(base) = base.map(str::trim).filter(|b| b.starts_with("http")) else {
        return url.to_string();
    };
    if let Some(path) = url.strip_prefix('/') {
        // Origin of the base: scheme://host
        let after_scheme = base.find("://").map(|p| p + 3).unwrap_or(0);
        let origin_end = base[after_scheme..]
            .find('/')
            .map(|p| p + after_scheme)
            .unwrap_or(base.len());
        return format!("{}/{}", &base[..origin_end], path);
    }
    if base.ends_with('/') {
        format!("{base}{url}")
    } else {
        format!("{base}/{url}")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    /// A session for tests (also `identity`'s): `title` at `hour` on 4 March 2027, 30 minutes.
    pub(crate) fn session(title: &str, hour: u32, room: Option<&str>) -> Session {
        let start = Utc.with_ymd_and_hms(2027, 3, 4, hour, 0, 0).unwrap();
        Session {
            id: String::new(),
            kind: Default::default(),
            title: title.into(),
            subtitle: None,
            abstract_text: String::new(),
            description: String::new(),
            start,
            end: start + chrono::Duration::minutes(30),
            location_id: room.map(String::from),
            track_id: None,
            languages: vec![],
            speaker_ids: vec![],
            status: Default::default(),
            tags: vec![],
            links: vec![],
        }
    }

    #[test]
    fn rooms_differing_in_case_are_one_location() {
        let mut b = Builder::new();
        let a = b.location("1Komona headnut", None, LocationKind::Room, "");
        let c = b.location("1komona  Headnut", None, LocationKind::Room, "");
        assert_eq!(a, c);
        assert_eq!(b.locations.len(), 1);
        assert_eq!(b.locations[0].name, "1Komona headnut");
    }

    #[test]
    fn shared_room_guid_is_not_reused() {
        let mut b = Builder::new();
        let guid = "b379c473-93b9-4eae-9a09-d482e86cede3";
        let gray = b
            .location("Gray Room", Some(guid), LocationKind::Room, "")
            .unwrap();
        let tan = b
            .location("Tan Room", Some(guid), LocationKind::Room, "")
            .unwrap();
        assert_eq!(gray, guid);
        assert_ne!(tan, gray);
        assert_eq!(b.warnings.len(), 1);
    }

    #[test]
    fn colliding_person_ids_stay_apart_but_guids_merge() {
        let mut b = Builder::new();
        let p = |id: &str, name: &str| Person {
            id: Some(id.into()),
            name: name.into(),
            ..Person::default()
        };
        let anna = b.speaker(&p("885", "Anna")).unwrap();
        let bert = b.speaker(&p("885", "Bert")).unwrap();
        let anna_again = b.speaker(&p("885", " anna ")).unwrap();
        assert_ne!(anna, bert);
        assert_eq!(anna, anna_again);
        let g = |name: &str| Person {
            guid: Some("0C16FFAA-709D-599F-959F-9A38B911361A".into()),
            name: name.into(),
            ..Person::default()
        };
        let first = b.speaker(&g("Gabriela Bogk")).unwrap();
        assert_eq!(first, "0c16ffaa-709d-599f-959f-9a38b911361a");
        assert_eq!(b.speaker(&g("G. Bogk")).unwrap(), first);
    }

    #[test]
    fn duplicates_are_dropped_and_repeats_kept_with_suffixes() {
        let mut b = Builder::new();
        for (hour, title) in [(14, "Löten"), (10, "Löten"), (10, "Löten")] {
            b.push_draft(Draft {
                base_id: "g1".into(),
                id_from_file: true,
                subject: text!("event '{title}'", "Programmpunkt „{title}“"),
                session: session(title, hour, Some("r")),
            });
        }
        let sessions = b.settle_session_ids();
        let ids: Vec<_> = sessions
            .iter()
            .map(|s| (s.id.as_str(), s.start.format("%H").to_string()))
            .collect();
        assert_eq!(ids, [("g1", "10".to_string()), ("g1-2", "14".to_string())]);
        assert_eq!(b.warnings.len(), 2);
        assert_eq!(b.made_up.sessions, BTreeSet::from(["g1-2".to_string()]));
    }

    #[test]
    fn colors_and_links() {
        assert_eq!(normalise_color("#F9B000").as_deref(), Some("#f9b000"));
        assert_eq!(normalise_color("#abc").as_deref(), Some("#aabbcc"));
        assert_eq!(normalise_color("red"), None);
        assert!(link("", "/relative").is_none());
        assert_eq!(
            absolute_url(
                "/system/x.png",
                Some("https://fahrplan.events.ccc.de/congress/2019/Fahrplan/")
            ),
            "https://fahrplan.events.ccc.de/system/x.png"
        );
        assert_eq!(
            absolute_url("events/1.html", Some("https://a.b/c/")),
            "https://a.b/c/events/1.html"
        );
    }
}

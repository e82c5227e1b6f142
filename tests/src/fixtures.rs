//! Content for tests and benchmarks: a small hand-written event and a synthetic large one
//! (until the importers land, the ~1,000-session event is generated).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::*;

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, day, hour, minute, 0)
        .single()
        .unwrap_or_default()
}

pub fn event(id: &str, days: usize) -> Event {
    Event {
        id: id.to_string(),
        title: "E-Government Marktplatz Nordwest".into(),
        subtitle: Some("Kommunen digital".into()),
        description: "Rund sechzig Kommunen aus dem Nordwesten treffen sich in der Markthalle."
            .into(),
        venue: Venue {
            name: "Markthalle Delmenhorst".into(),
            street: "Lange Straße 1".into(),
            postal_code: "27749".into(),
            city: "Delmenhorst".into(),
            country: "DE".into(),
            latitude: Some(53.05),
            longitude: Some(8.63),
            map: None,
        },
        timezone: "Europe/Berlin".into(),
        days: (0..days)
            .map(|d| NaiveDate::from_ymd_opt(2027, 3, 4 + d as u32).unwrap_or_default())
            .collect(),
        day_change_hour: 4,
        languages: vec!["de".into()],
        url: Some("https://example.org/marktplatz".into()),
        logo: None,
    }
}

/// A small event: a hall, three stations, two tracks, three speakers, four sessions, an
/// exhibitor, an announcement and an info page.
pub fn small_bundle(event_id: &str) -> Bundle {
    let mut bundle = Bundle::new(event(event_id, 1));
    bundle.locations.push(Location {
        id: "hall".into(),
        name: "Markthalle".into(),
        kind: LocationKind::Hall,
        parent_id: None,
        description: String::new(),
        position: None,
        sort_order: 0,
    });
    for n in 1..=3 {
        bundle.locations.push(Location {
            id: format!("station-{n}"),
            name: format!("Station {n}"),
            kind: LocationKind::Station,
            parent_id: Some("hall".into()),
            description: format!("Themeninsel {n}"),
            position: Some(MapPosition {
                x: 0.2 * n as f64,
                y: 0.5,
            }),
            sort_order: n,
        });
    }
    for (id, name) in [
        ("digital", "Digitale Verwaltung"),
        ("security", "Informationssicherheit"),
    ] {
        bundle.tracks.push(Track {
            id: id.into(),
            name: name.into(),
            color: Some("#1f6feb".into()),
            description: String::new(),
        });
    }
    for (id, name) in [
        ("anna", "Anna Beispiel"),
        ("bernd", "Bernd Muster"),
        ("chris", "Chris Öztürk"),
    ] {
        bundle.speakers.push(Speaker {
            id: id.into(),
            name: name.into(),
            organisation: Some("Stadt Delmenhorst".into()),
            role: None,
            bio: format!("{name} arbeitet an der Digitalisierung der Verwaltung."),
            photo: None,
            links: Vec::new(),
        });
    }
    let talks = [
        ("opening", "Eröffnung und Begrüßung", 8, "hall", "anna"),
        (
            "erechnung",
            "E-Rechnung in der Kommune",
            9,
            "station-1",
            "bernd",
        ),
        ("ozg", "OZG 2.0: was jetzt kommt", 10, "station-2", "chris"),
        (
            "isms",
            "Informationssicherheit für kleine Kommunen",
            11,
            "station-3",
            "anna",
        ),
    ];
    for (id, title, hour, location, speaker) in talks {
        bundle
            .sessions
            .push(session(id, title, at(4, hour, 0), location, speaker));
    }
    bundle.exhibitors.push(Exhibitor {
        id: "itdz".into(),
        name: "IT-Dienstleister Nord".into(),
        station_id: Some("station-1".into()),
        topics: vec!["E-Rechnung".into(), "Cloud".into()],
        description: "Rechenzentrum für Kommunen.".into(),
        contact: None,
        website: None,
        logo: None,
    });
    bundle.announcements.push(Announcement {
        id: "welcome".into(),
        title: "Willkommen".into(),
        body: "Kaffee gibt es an Station 2.".into(),
        priority: Priority::Normal,
        published_at: at(4, 7, 0),
        expires_at: None,
    });
    bundle.info_pages.push(InfoPage {
        id: "wlan".into(),
        title: "WLAN".into(),
        body: "Netz: Markthalle-Gast".into(),
        sort_order: 0,
    });
    bundle
}

fn session(id: &str, title: &str, start: DateTime<Utc>, location: &str, speaker: &str) -> Session {
    Session {
        id: id.into(),
        kind: SessionKind::Talk,
        title: title.into(),
        subtitle: None,
        abstract_text: format!("{title}: ein Überblick für Verwaltungen."),
        description: LOREM.into(),
        start,
        end: start + Duration::minutes(45),
        location_id: Some(location.into()),
        track_id: Some("digital".into()),
        languages: vec!["de".into()],
        speaker_ids: vec![speaker.into()],
        status: SessionStatus::Scheduled,
        tags: vec!["Verwaltung".into()],
        links: Vec::new(),
    }
}

const LOREM: &str = "Die Kommunen im Nordwesten stehen vor denselben Aufgaben: Onlinezugang, \
E-Rechnung, Registermodernisierung und Informationssicherheit. In diesem Vortrag zeigen wir, \
wie kleine und mittlere Verwaltungen mit begrenzten Mitteln vorankommen, welche Fördermittel es \
gibt und wie die Zusammenarbeit über Gemeindegrenzen hinweg gelingt. Anschließend ist Zeit für \
Fragen aus dem Publikum.";

const SYLLABLES: &[&str] = &[
    "ver", "wal", "tung", "di", "gi", "tal", "bür", "ger", "ser", "vice", "da", "ten", "schutz",
    "por", "schnitt", "stel", "le", "re", "gis", "ter", "mo", "der", "ni", "sie", "rung", "kom",
    "mu", "ne", "land", "kreis", "för", "de", "si", "cher", "heit", "pro", "zess", "ak", "te",
    "an", "trag", "sig", "na", "zah", "lung", "platt", "form", "of", "fen", "stan", "dard", "be",
    "trieb", "mig", "ra", "tion", "nut", "zer", "kar", "ter", "min", "netz", "werk", "amt", "rat",
    "haus", "ein", "woh", "ner", "melde", "we", "sen", "bau", "en", "recht", "lich", "ung", "keit",
    "schaft", "mit", "für", "und", "die", "das", "im", "zum", "auf", "nach",
];

/// Deterministic pseudo-German text of `words` words: syllable-built words with a Zipf-like
/// preference for short common ones, so it compresses about like real prose (not better).
fn text(seed: usize, words: usize) -> String {
    let mut state = (seed as u64).wrapping_mul(6364136223846793005) ^ 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Vec::with_capacity(words);
    for n in 0..words {
        let syllables = 1 + (next() % 100).min(99) as usize / 30;
        let mut word = String::new();
        for _ in 0..syllables {
            // Squaring skews the choice towards the front of the list.
            let r = (next() % 1000) as f64 / 1000.0;
            word.push_str(SYLLABLES[((r * r) * SYLLABLES.len() as f64) as usize]);
        }
        if n % 7 == 0 || next() % 4 == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                word = first.to_uppercase().chain(chars).collect();
            }
        }
        if n % 11 == 10 {
            word.push('.');
        } else if n % 5 == 4 {
            word.push(',');
        }
        out.push(word);
    }
    out.join(" ")
}

/// A large synthetic event shaped like a big conference: `sessions` sessions over 4 days in
/// 25 rooms and 12 tracks, about 1.3 speakers per session, abstracts and descriptions of
/// realistic length.
pub fn synthetic_bundle(event_id: &str, sessions: usize) -> Bundle {
    let days = 4usize;
    let mut bundle = Bundle::new(event(event_id, days));
    let rooms = 25usize;
    for r in 0..rooms {
        bundle.locations.push(Location {
            id: format!("room-{r}"),
            name: format!("Saal {r}"),
            kind: LocationKind::Room,
            parent_id: None,
            description: text(r, 12),
            position: None,
            sort_order: r as i32,
        });
    }
    for t in 0..12 {
        bundle.tracks.push(Track {
            id: format!("track-{t}"),
            name: format!("Track {t}: {}", text(t + 100, 2)),
            color: Some(format!("#{:06x}", (t * 1_234_567) % 0xffffff)),
            description: text(t + 200, 20),
        });
    }
    let speakers = sessions * 13 / 10;
    for s in 0..speakers {
        bundle.speakers.push(Speaker {
            id: format!("speaker-{s}"),
            name: format!("Person {s} {}", text(s + 300, 1)),
            organisation: Some(format!("Organisation {}", s % 97)),
            role: None,
            bio: text(s + 400, 45),
            photo: None,
            links: Vec::new(),
        });
    }
    let slots_per_day = sessions.div_ceil(days * rooms).max(1);
    for n in 0..sessions {
        let day = n / (rooms * slots_per_day);
        let slot = (n / rooms) % slots_per_day;
        let start = at(4 + day.min(days - 1) as u32, 7, 0) + Duration::minutes((slot as i64) * 50);
        let mut speaker_ids = vec![format!("speaker-{}", n % speakers)];
        if n % 3 == 0 {
            speaker_ids.push(format!("speaker-{}", (n + sessions) % speakers));
        }
        bundle.sessions.push(Session {
            id: format!("session-{n}"),
            kind: SessionKind::Talk,
            title: format!("{} ({n})", text(n + 500, 5)),
            subtitle: None,
            abstract_text: text(n + 600, 30),
            description: text(n + 700, 90),
            start,
            end: start + Duration::minutes(45),
            location_id: Some(format!("room-{}", n % rooms)),
            track_id: Some(format!("track-{}", n % 12)),
            languages: vec!["de".into()],
            speaker_ids,
            status: SessionStatus::Scheduled,
            tags: vec![text(n + 800, 1)],
            links: Vec::new(),
        });
    }
    bundle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_valid_bundles() {
        small_bundle("e").validate().unwrap();
        let big = synthetic_bundle("big", 1000);
        big.validate().unwrap();
        assert_eq!(big.sessions.len(), 1000);
    }
}

//! A deterministic synthetic event of any size with German-ish text: compounds built from
//! administrative word parts, names, stations, and enough invented words that the vocabulary
//! grows like a real one (tens of thousands of distinct words).

// Test harness code: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::*;

const HEADS: &[&str] = &[
    "Verwaltungs",
    "Digital",
    "Bürger",
    "Rechnungs",
    "Sicherheits",
    "Daten",
    "Cloud",
    "Schul",
    "Melde",
    "Bau",
    "Finanz",
    "Personal",
    "Wahl",
    "Kita",
    "Straßen",
    "Umwelt",
    "Energie",
    "Netz",
    "Archiv",
    "Beschaffungs",
    "Gewerbe",
    "Steuer",
    "Kommunal",
    "Landes",
    "Bundes",
    "Informations",
    "Prozess",
    "Service",
    "Post",
    "Akten",
    "Förder",
    "Antrags",
    "Ordnungs",
    "Jugend",
    "Sozial",
    "Gesundheits",
    "Verkehrs",
    "Planungs",
    "Geo",
    "Kataster",
];
const TAILS: &[&str] = &[
    "plattform",
    "portal",
    "strategie",
    "management",
    "amt",
    "dienst",
    "system",
    "eingang",
    "verfahren",
    "gesetz",
    "konzept",
    "lösung",
    "zentrum",
    "register",
    "antrag",
    "sicherheit",
    "digitalisierung",
    "verwaltung",
    "prüfung",
    "schnittstelle",
    "software",
    "betrieb",
    "architektur",
    "standard",
    "modernisierung",
    "übersicht",
    "beratung",
    "kooperation",
];
const WORDS: &[&str] = &[
    "für",
    "die",
    "der",
    "und",
    "mit",
    "im",
    "in",
    "den",
    "Kommunen",
    "Landkreise",
    "Städte",
    "Gemeinden",
    "neue",
    "sichere",
    "digitale",
    "offene",
    "praktische",
    "Erfahrungen",
    "Einführung",
    "Umsetzung",
    "Praxis",
    "Zukunft",
    "Wege",
    "Beispiele",
    "aus",
    "Niedersachsen",
    "Bremen",
    "Oldenburg",
    "Ammerland",
    "Cuxhaven",
    "Osnabrück",
    "Delmenhorst",
    "Vechta",
    "Friesland",
    "Workshop",
    "Vortrag",
    "Podium",
    "Bericht",
    "Ergebnisse",
    "Onlinezugangsgesetz",
    "E-Akte",
    "E-Rechnung",
    "IT-Sicherheit",
    "Open-Source",
    "KI",
    "Datenschutz",
    "Barrierefreiheit",
];
const FIRST: &[&str] = &[
    "Anna", "Jörg", "Martin", "Eva", "Jürgen", "Sabine", "Thomas", "Katrin", "Uwe", "Birgit",
    "Björn", "Maren", "Hauke", "Frauke", "Sönke", "Imke", "Lars", "Wiebke", "Ole", "Gesa",
];
const LAST: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Bensberg",
    "Hagen",
    "Janßen",
    "Oltmanns",
    "Gerdes",
    "Büsing",
    "Köhler",
    "Lüdeke",
    "Strüßmann",
    "Heßling",
    "Ahlers",
    "Brüning",
    "Cordes",
    "Dählmann",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "ter", "ben", "sa", "ri", "no", "wen", "del", "gor", "hal", "un", "es",
    "bra", "fin", "kel", "mon", "pur", "zi", "tra", "vo", "schen", "ling",
];

/// SplitMix64: small, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn compound(rng: &mut Rng) -> String {
    let head = rng.pick(HEADS);
    let tail = rng.pick(TAILS);
    format!("{head}{tail}")
}

fn invented(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    let mut word: String = (0..n).map(|_| rng.pick(SYLLABLES)).collect();
    if rng.below(2) == 0 {
        word.push_str(rng.pick(TAILS));
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => word,
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    (0..words)
        .map(|_| match rng.below(10) {
            0..=2 => compound(rng),
            3 => invented(rng),
            _ => rng.pick(WORDS).to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("{} für {}", compound(rng), rng.pick(WORDS)),
        1 => format!("{} und {}", compound(rng), compound(rng)),
        2 => format!("{}: {} {}", rng.pick(WORDS), rng.pick(WORDS), compound(rng)),
        _ => format!("{} {} {}", compound(rng), rng.pick(WORDS), invented(rng)),
    }
}

/// An event with exactly `entities` searchable entities (plus the event itself).
pub fn event(event_id: &str, entities: usize) -> Bundle {
    let mut rng = Rng(0x5eed_2027);
    let day0 = NaiveDate::from_ymd_opt(2027, 2, 1).expect("valid date");
    let mut bundle = Bundle::new(Event {
        id: event_id.to_string(),
        title: "Synthetischer Marktplatz".into(),
        subtitle: None,
        description: String::new(),
        venue: Venue {
            name: "Messehalle".into(),
            ..Venue::default()
        },
        timezone: "Europe/Berlin".into(),
        days: (0..3).map(|d| day0 + Duration::days(d)).collect(),
        day_change_hour: 4,
        languages: vec!["de".into()],
        url: None,
        logo: None,
    });
    let locations = (entities / 100).max(2);
    let tracks = (entities / 400).max(1);
    let speakers = entities / 4;
    let exhibitors = entities / 8;
    let announcements = entities / 130;
    let info_pages = entities / 200;
    let sessions = entities
        .saturating_sub(locations + tracks + speakers + exhibitors + announcements + info_pages);
    for i in 0..locations {
        bundle.locations.push(Location {
            id: format!("loc{i}"),
            name: if i % 3 == 0 {
                format!("Station {i}: {}", compound(&mut rng))
            } else {
                format!("Saal {i}")
            },
            kind: if i % 3 == 0 {
                LocationKind::Station
            } else {
                LocationKind::Room
            },
            parent_id: None,
            description: sentence(&mut rng, 12),
            position: None,
            sort_order: i as i32,
        });
    }
    for i in 0..tracks {
        bundle.tracks.push(Track {
            id: format!("track{i}"),
            name: format!("{} {}", compound(&mut rng), i),
            color: None,
            description: sentence(&mut rng, 10),
        });
    }
    for i in 0..speakers {
        bundle.speakers.push(Speaker {
            id: format!("sp{i}"),
            name: format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
            organisation: Some(format!(
                "{} {}",
                rng.pick(&["Stadt", "Landkreis", "Gemeinde"]),
                rng.pick(WORDS)
            )),
            role: Some(compound(&mut rng)),
            bio: sentence(&mut rng, 25),
            photo: None,
            links: Vec::new(),
        });
    }
    let start0 = Utc
        .with_ymd_and_hms(2027, 2, 1, 8, 0, 0)
        .single()
        .expect("valid time");
    for i in 0..sessions {
        let start =
            start0 + Duration::days((i % 3) as i64) + Duration::minutes(30 * rng.below(20) as i64);
        let speaker_count = 1 + rng.below(2);
        bundle.sessions.push(Session {
            id: format!("s{i}"),
            kind: SessionKind::Talk,
            title: title(&mut rng),
            subtitle: None,
            abstract_text: sentence(&mut rng, 20),
            description: sentence(&mut rng, 40),
            start,
            end: start + Duration::minutes(45),
            location_id: Some(format!("loc{}", rng.below(locations))),
            track_id: Some(format!("track{}", rng.below(tracks))),
            languages: vec!["de".into()],
            speaker_ids: (0..speaker_count)
                .map(|_| format!("sp{}", rng.below(speakers.max(1))))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
            status: SessionStatus::Scheduled,
            tags: Vec::new(),
            links: Vec::new(),
        });
    }
    for i in 0..exhibitors {
        bundle.exhibitors.push(Exhibitor {
            id: format!("x{i}"),
            name: format!(
                "{} {}",
                invented(&mut rng),
                rng.pick(&["GmbH", "AG", "eG", "AöR"])
            ),
            station_id: Some(format!("loc{}", 3 * rng.below(locations.div_ceil(3)))),
            topics: (0..3).map(|_| compound(&mut rng)).collect(),
            description: sentence(&mut rng, 30),
            contact: None,
            website: None,
            logo: None,
        });
    }
    for i in 0..announcements {
        bundle.announcements.push(Announcement {
            id: format!("a{i}"),
            title: title(&mut rng),
            body: sentence(&mut rng, 20),
            priority: Priority::Normal,
            published_at: start0,
            expires_at: None,
        });
    }
    for i in 0..info_pages {
        bundle.info_pages.push(InfoPage {
            id: format!("info{i}"),
            title: title(&mut rng),
            body: sentence(&mut rng, 60),
            sort_order: i as i32,
        });
    }
    bundle
}

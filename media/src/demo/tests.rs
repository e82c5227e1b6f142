use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use std::time::Instant;

use chrono::{NaiveDate, Timelike};

use super::*;
use marktplatz_core::store::Store;
use marktplatz_model::model::{Entity, SessionKind, SessionStatus};
use marktplatz_model::zone::Zone;

const STATION_NAMES: [&str; 10] = [
    "E-Gov Intern",
    "Online-Services",
    "Finanzen und Beschaffung",
    "IT-Sicherheit",
    "Digitales Archiv",
    "E-Rechnung",
    "Bürgerportal",
    "Schul-IT",
    "Geodaten",
    "Open Data",
];

/// Generated once per test process: a debug build takes a few seconds to encode the pictures.
fn content() -> &'static DemoContent {
    static SHARED: OnceLock<DemoContent> = OnceLock::new();
    SHARED.get_or_init(|| demo_content().unwrap())
}

fn fair_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()
}

fn clock(bundle: &Bundle) -> EventClock {
    EventClock::new(&bundle.event.timezone, bundle.event.day_change_hour).unwrap()
}

#[test]
fn embedded_json_is_a_valid_bundle_for_the_fair() {
    let bundle = Bundle::from_json(EVENT_JSON).unwrap();
    let event = &bundle.event;
    assert_eq!(event.id, DEMO_EVENT_ID);
    assert_eq!(event.title, "E-Government Marktplatz Nordwest");
    assert_eq!(event.days, vec![fair_day()]);
    assert_eq!(event.timezone, "Europe/Berlin");
    assert_eq!(event.day_change_hour, 4);
    assert_eq!(event.venue.city, "Delmenhorst");
    assert_eq!(event.venue.postal_code, "27749");
    assert_eq!(event.venue.street, "Lange Straße");
    let (lat, lon) = (
        event.venue.latitude.unwrap(),
        event.venue.longitude.unwrap(),
    );
    assert!((lat - 53.0506).abs() < 0.01 && (lon - 8.631).abs() < 0.01);
    assert!(
        bundle.gallery.is_empty(),
        "the gallery is generated in code"
    );
}

#[test]
fn generated_content_validates_and_fills_every_picture() {
    let content = content();
    content.bundle.validate().unwrap();
    let bundle = &content.bundle;
    assert!(bundle.event.logo.is_some());
    let map = bundle.event.venue.map.as_ref().unwrap();
    assert_eq!(
        (map.width, map.height),
        (Some(MAP_SIZE.0), Some(MAP_SIZE.1))
    );
    assert!(bundle.speakers.iter().all(|s| s.photo.is_some()));
    assert!(bundle.exhibitors.iter().all(|x| x.logo.is_some()));
    assert_eq!(bundle.gallery.len(), 8);
    for item in &bundle.gallery {
        assert_eq!(
            (item.image.width, item.image.height),
            (Some(1024), Some(683))
        );
        let thumbnail = item.thumbnail.as_ref().unwrap();
        assert_eq!((thumbnail.width, thumbnail.height), (Some(320), Some(213)));
        assert!(!item.caption.is_empty() && !item.credit.is_empty());
        let taken = clock(bundle).local(item.taken_at.unwrap());
        assert_eq!(taken.date(), fair_day());
        assert!((8..17).contains(&taken.hour()), "{taken}");
    }
}

#[test]
fn generation_is_deterministic() {
    let started = Instant::now();
    let fresh = demo_content().unwrap();
    println!(
        "demo generation: {} ms ({} build)",
        started.elapsed().as_millis(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "optimised"
        }
    );
    let shared = content();
    assert_eq!(&fresh.bundle, &shared.bundle);
    assert_eq!(fresh.assets.len(), shared.assets.len());
    for (a, b) in fresh.assets.iter().zip(&shared.assets) {
        assert_eq!(a.asset, b.asset);
        assert!(
            a.bytes == b.bytes,
            "{} differs between runs",
            a.asset.sha256
        );
    }
    assert_eq!(
        fresh.bundle.to_json_pretty().unwrap(),
        shared.bundle.to_json_pretty().unwrap()
    );
}

#[test]
fn asset_hashes_match_their_bytes_and_every_reference_resolves() {
    let content = content();
    let mut referenced = HashSet::new();
    for entity in content.bundle.entities() {
        for asset in entity.assets() {
            let file = content.asset(&asset.sha256).unwrap_or_else(|| {
                panic!(
                    "{} '{}' refers to a missing file",
                    entity.kind(),
                    entity.id()
                )
            });
            assert_eq!(&file.asset, asset);
            referenced.insert(asset.sha256.clone());
        }
    }
    for file in &content.assets {
        assert_eq!(
            file.asset.sha256,
            marktplatz_model::assets::sha256_hex(&file.bytes)
        );
        assert_eq!(file.asset.bytes, file.bytes.len() as u64);
        assert_eq!(
            marktplatz_model::assets::sniff_image(&file.bytes).unwrap(),
            file.asset.media_type
        );
        let decoded = crate::decode(&file.bytes).unwrap();
        assert_eq!(
            (Some(decoded.width()), Some(decoded.height())),
            (file.asset.width, file.asset.height)
        );
        assert!(
            referenced.contains(&file.asset.sha256),
            "unreferenced file {}",
            file.asset.sha256
        );
    }
    let unique: HashSet<_> = content.assets.iter().map(|a| &a.asset.sha256).collect();
    assert_eq!(unique.len(), content.assets.len(), "files are listed once");
}

#[test]
fn generated_assets_stay_small() {
    let content = content();
    let total = content.asset_bytes();
    let by_type = |media_type: &str| -> (usize, u64) {
        content
            .assets
            .iter()
            .filter(|a| a.asset.media_type == media_type)
            .fold((0, 0), |(n, b), a| (n + 1, b + a.bytes.len() as u64))
    };
    let (jpeg_files, jpeg_bytes) = by_type(crate::JPEG);
    let (png_files, png_bytes) = by_type(crate::PNG);
    println!(
        "demo assets: {} files, {total} bytes ({jpeg_files} JPEG / {jpeg_bytes} bytes, {png_files} PNG / {png_bytes} bytes)",
        content.assets.len(),
    );
    assert!(total < 1_500_000, "demo assets take {total} bytes");
    // 8 photos + 8 thumbnails + portraits + logos + event logo + map.
    let expected = 16 + content.bundle.speakers.len() + content.bundle.exhibitors.len() + 2;
    assert_eq!(content.assets.len(), expected);
    for item in &content.bundle.gallery {
        let thumbnail = item.thumbnail.as_ref().unwrap();
        assert!(thumbnail.bytes * 4 < item.image.bytes, "{}", item.id);
    }
}

#[test]
fn ten_stations_in_the_hall_with_the_article_names() {
    let bundle = &content().bundle;
    let hall = bundle
        .locations
        .iter()
        .find(|l| l.kind == LocationKind::Hall)
        .unwrap();
    let mut stations: Vec<_> = bundle
        .locations
        .iter()
        .filter(|l| l.kind == LocationKind::Station)
        .collect();
    stations.sort_by_key(|s| s.sort_order);
    let names: Vec<&str> = stations.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, STATION_NAMES);
    for station in &stations {
        assert_eq!(station.parent_id.as_deref(), Some(hall.id.as_str()));
        let position = station.position.unwrap();
        assert!((0.0..=1.0).contains(&position.x) && (0.0..=1.0).contains(&position.y));
        let exhibitors = bundle
            .exhibitors
            .iter()
            .filter(|x| x.station_id.as_deref() == Some(station.id.as_str()))
            .count();
        assert!(
            (2..=4).contains(&exhibitors),
            "{}: {exhibitors}",
            station.id
        );
        assert!(
            bundle
                .sessions
                .iter()
                .any(|s| s.location_id.as_deref() == Some(station.id.as_str())),
            "{} has no session",
            station.id
        );
    }
    let positions: HashSet<_> = stations
        .iter()
        .map(|s| {
            let p = s.position.unwrap();
            ((p.x * 100.0) as i32, (p.y * 100.0) as i32)
        })
        .collect();
    assert_eq!(positions.len(), 10, "stations must not share a map spot");
    assert!(
        bundle
            .locations
            .iter()
            .any(|l| l.kind == LocationKind::Room && l.id == "forum")
    );
}

#[test]
fn the_programme_is_a_plausible_day() {
    let bundle = &content().bundle;
    let clock = clock(bundle);
    let sessions = &bundle.sessions;
    assert!((30..=40).contains(&sessions.len()), "{}", sessions.len());
    let first = sessions.iter().map(|s| s.start).min().unwrap();
    let last = sessions.iter().map(|s| s.end).max().unwrap();
    assert_eq!(clock.hhmm(first), "08:30");
    assert_eq!(clock.hhmm(last), "17:00");
    for session in sessions {
        assert_eq!(clock.conference_day(session.start), fair_day());
        assert!(session.end > session.start, "{}", session.id);
        assert!(session.location_id.is_some() && session.track_id.is_some());
        assert_eq!(session.languages, ["de"], "{}", session.id);
    }
    assert!(
        sessions
            .iter()
            .any(|s| s.status == SessionStatus::Cancelled)
    );
    let lunch = sessions.iter().find(|s| s.title == "Mittagspause").unwrap();
    assert_eq!(lunch.kind, SessionKind::Break);
    assert!(sessions.iter().any(|s| s.kind == SessionKind::Panel));
    assert!(
        sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Keynote)
            .count()
            >= 2
    );

    // Nobody is in two places at once (cancelled talks do not count).
    let scheduled: Vec<_> = sessions
        .iter()
        .filter(|s| s.status == SessionStatus::Scheduled)
        .collect();
    for (i, a) in scheduled.iter().enumerate() {
        for b in &scheduled[i + 1..] {
            if a.start < b.end && b.start < a.end {
                for speaker in &a.speaker_ids {
                    assert!(
                        !b.speaker_ids.contains(speaker),
                        "{speaker} is in '{}' and '{}' at once",
                        a.id,
                        b.id
                    );
                }
                if a.location_id == b.location_id {
                    panic!("'{}' and '{}' overlap in the same place", a.id, b.id);
                }
            }
        }
    }
    // The stage and the stations run in parallel.
    let at = demo_now();
    let running: Vec<_> = scheduled
        .iter()
        .filter(|s| s.start <= at && at < s.end)
        .collect();
    assert!(running.len() >= 2);

    // Every speaker speaks, and has an organisation and a role.
    let speaking: HashSet<&str> = sessions
        .iter()
        .flat_map(|s| s.speaker_ids.iter().map(String::as_str))
        .collect();
    assert!((18..=24).contains(&bundle.speakers.len()));
    for speaker in &bundle.speakers {
        assert!(
            speaking.contains(speaker.id.as_str()),
            "{} never speaks",
            speaker.id
        );
        assert!(speaker.organisation.is_some() && speaker.role.is_some());
    }
}

#[test]
fn the_article_people_only_do_what_the_article_says() {
    let bundle = &content().bundle;
    let sessions_of = |speaker: &str| -> Vec<&str> {
        bundle
            .sessions
            .iter()
            .filter(|s| s.speaker_ids.iter().any(|id| id == speaker))
            .map(|s| s.id.as_str())
            .collect()
    };
    assert_eq!(sessions_of("sp-jahnz"), ["eroeffnung"]);
    assert_eq!(sessions_of("sp-bensberg"), ["grusswort-ammerland"]);
    assert_eq!(sessions_of("sp-hagen"), ["begruessung-vir-nordwest"]);
    let person = |id: &str| bundle.speakers.iter().find(|s| s.id == id).unwrap();
    assert_eq!(
        person("sp-jahnz").role.as_deref(),
        Some("Oberbürgermeister")
    );
    assert_eq!(
        person("sp-bensberg").organisation.as_deref(),
        Some("Landkreis Ammerland")
    );
    assert!(
        person("sp-hagen")
            .role
            .as_deref()
            .unwrap()
            .contains("IT-Direktor von Bremen")
    );
    // Every other organisation is made up, and all addresses are reserved example domains.
    for exhibitor in &bundle.exhibitors {
        let website = exhibitor.website.as_deref().unwrap();
        assert!(website.contains(".example.org"), "{website}");
        let email = exhibitor
            .contact
            .as_ref()
            .unwrap()
            .email
            .as_deref()
            .unwrap();
        assert!(email.ends_with(".example.org"), "{email}");
    }
}

#[test]
fn german_search_words_are_in_the_content() {
    let bundle = &content().bundle;
    let text = bundle.to_json_pretty().unwrap();
    for word in [
        "Bürgeramt",
        "Straße",
        "E-Rechnungsplattform",
        "Rechnungseingang",
        "IT-Sicherheit",
        "Cybersicherheitsstrategie",
        "Digitalisierung",
        "XRechnung",
        "Digitales Archiv",
        "Cyberangriff",
        "Häppchen",
    ] {
        assert!(text.contains(word), "missing '{word}'");
    }
    let pages: Vec<&str> = bundle.info_pages.iter().map(|p| p.title.as_str()).collect();
    for title in [
        "Anfahrt",
        "WLAN",
        "Barrierefreiheit",
        "Veranstalter",
        "Datenschutz",
    ] {
        assert!(pages.contains(&title), "no info page '{title}'");
    }
}

#[test]
fn demo_now_is_ten_past_eleven_in_delmenhorst() {
    let local = demo_now().with_timezone(&Zone::named("Europe/Berlin").unwrap());
    assert_eq!(
        local.naive_local(),
        fair_day().and_hms_opt(11, 10, 0).unwrap()
    );
}

#[test]
fn store_round_trip_returns_what_the_bundle_says() {
    let content = content();
    let bundle = &content.bundle;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let written = store
        .write_content(|tx| tx.replace_with_bundle(bundle))
        .unwrap();
    assert_eq!(written, bundle.entity_count());

    // The whole day's agenda, in start order, with local times.
    let agenda = store.agenda(DEMO_EVENT_ID, fair_day()).unwrap();
    assert_eq!(agenda.len(), bundle.sessions.len());
    assert!(agenda.windows(2).all(|pair| pair[0].start <= pair[1].start));
    assert_eq!(agenda[0].title, "Einlass und Registrierung");
    assert_eq!(agenda[0].local_start, "08:30");
    let cancelled = agenda.iter().find(|s| s.id == "ki-buergeramt").unwrap();
    assert_eq!(cancelled.status, SessionStatus::Cancelled);
    let keynote = agenda
        .iter()
        .find(|s| s.id == "keynote-e-rechnung")
        .unwrap();
    assert_eq!(
        (keynote.local_start.as_str(), keynote.local_end.as_str()),
        ("13:15", "13:55")
    );
    assert_eq!(keynote.location_name.as_deref(), Some("Forum"));
    assert_eq!(keynote.track_color.as_deref(), Some("#d68910"));
    assert_eq!(keynote.speaker_names, ["Dr. Tobias Wübbena"]);
    let panel = agenda
        .iter()
        .find(|s| s.id == "podium-zusammenarbeit")
        .unwrap();
    assert_eq!(panel.speaker_names.len(), 5);
    assert_eq!(panel.speaker_names[0], "Insa Dierksen");

    // Now and next at 11:10: what the bundle says is running.
    let at = demo_now();
    let now_next = store.now_next(DEMO_EVENT_ID, at).unwrap();
    let mut expected_now: Vec<&str> = bundle
        .sessions
        .iter()
        .filter(|s| s.status == SessionStatus::Scheduled && s.start <= at && at < s.end)
        .map(|s| s.id.as_str())
        .collect();
    expected_now.sort_unstable();
    let mut now: Vec<&str> = now_next.now.iter().map(|s| s.id.as_str()).collect();
    now.sort_unstable();
    assert_eq!(now, expected_now);
    assert!(now.contains(&"cyberangriffe-ernstfall"));
    assert!(now.contains(&"station-phishing-parcours"));
    let next_in_forum = now_next
        .next
        .iter()
        .find(|s| s.location_id.as_deref() == Some("forum"))
        .unwrap();
    assert_eq!(next_in_forum.id, "cybersicherheitsstrategie");
    assert!(now_next.next.iter().all(|s| s.start > at));

    // Exhibitors per station.
    for station in bundle
        .locations
        .iter()
        .filter(|l| l.kind == LocationKind::Station)
    {
        let listed = store
            .exhibitors(DEMO_EVENT_ID, Some(&station.id), None)
            .unwrap();
        let mut ids: Vec<&str> = listed.iter().map(|e| e.exhibitor.id.as_str()).collect();
        ids.sort_unstable();
        let mut expected: Vec<&str> = bundle
            .exhibitors
            .iter()
            .filter(|x| x.station_id.as_deref() == Some(station.id.as_str()))
            .map(|x| x.id.as_str())
            .collect();
        expected.sort_unstable();
        assert_eq!(ids, expected, "{}", station.id);
        assert!(
            listed
                .iter()
                .all(|e| e.station_name.as_deref() == Some(station.name.as_str()))
        );
    }
    let e_rechnung = store
        .exhibitors(DEMO_EVENT_ID, None, Some("e-rechnungsplattform"))
        .unwrap();
    assert_eq!(e_rechnung.len(), 1);
    assert_eq!(e_rechnung[0].exhibitor.name, "Belegfluss GmbH");

    // Announcements live at 11:10: important ones first, newest first within a priority.
    let live = store.announcements(DEMO_EVENT_ID, at).unwrap();
    let ids: Vec<&str> = live.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "raumaenderung-servicekonto",
            "vortrag-entfaellt",
            "haeppchen",
            "wlan"
        ]
    );
    let expected: HashSet<&str> = bundle
        .announcements
        .iter()
        .filter(|a| a.published_at <= at && a.expires_at.is_none_or(|e| e > at))
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids.iter().copied().collect::<HashSet<_>>(), expected);

    // Gallery, info pages and a stored speaker with the portrait reference.
    let gallery = store.gallery(DEMO_EVENT_ID).unwrap();
    assert_eq!(gallery.len(), 8);
    assert_eq!(gallery[0].id, "galerie-08-podium", "newest first");
    let pages = store.info_pages(DEMO_EVENT_ID).unwrap();
    assert_eq!(pages.len(), bundle.info_pages.len());
    assert_eq!(pages[0].title, "Anfahrt");
    let hagen = store.speaker(DEMO_EVENT_ID, "sp-hagen").unwrap();
    assert_eq!(hagen.photo, bundle.speakers[2].photo);
    let Some(Entity::Event(event)) = store
        .entity(
            DEMO_EVENT_ID,
            marktplatz_model::model::EntityKind::Event,
            DEMO_EVENT_ID,
        )
        .unwrap()
    else {
        panic!("the event is not stored");
    };
    assert_eq!(event, bundle.event);

    // Loading again replaces rather than duplicates.
    store
        .write_content(|tx| tx.replace_with_bundle(bundle))
        .unwrap();
    assert_eq!(
        store.agenda(DEMO_EVENT_ID, fair_day()).unwrap().len(),
        bundle.sessions.len()
    );
    let by_station: HashMap<_, _> = store
        .stations(DEMO_EVENT_ID)
        .unwrap()
        .into_iter()
        .map(|s| (s.location.id.clone(), s.exhibitor_count))
        .collect();
    assert_eq!(by_station["station-it-sicherheit"], 3);
}

/// The same bytes in every process, not only twice in one: a digest over all generated files.
/// If this fails after upgrading the `image` crate (its encoders may change their output) or
/// after changing a picture on purpose, check the pictures and update the digest.
#[test]
fn generated_files_match_the_recorded_digest() {
    let all: Vec<&str> = content()
        .assets
        .iter()
        .map(|a| a.asset.sha256.as_str())
        .collect();
    let digest = marktplatz_model::assets::sha256_hex(all.join("\n").as_bytes());
    assert_eq!(
        digest,
        "132312e811f5d31a8f9022fa73881353d541436945508792ce20152fd1e18d90"
    );
}

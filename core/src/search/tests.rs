//! Store-level tests: every matching rule, ranking, filters, index upkeep, safety, cancellation.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::*;

pub(super) const EVENT: &str = "egov";

pub(super) fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 2, 1, hour, minute, 0).unwrap()
}

pub(super) fn session(id: &str, title: &str, start: u32, speakers: &[&str]) -> Session {
    Session {
        id: id.into(),
        kind: SessionKind::Talk,
        title: title.into(),
        subtitle: None,
        abstract_text: String::new(),
        description: String::new(),
        start: at(start, 0),
        end: at(start, 45),
        location_id: Some("saal".into()),
        track_id: Some("finanzen".into()),
        languages: vec!["de".into()],
        speaker_ids: speakers.iter().map(|s| s.to_string()).collect(),
        status: SessionStatus::Scheduled,
        tags: Vec::new(),
        links: Vec::new(),
    }
}

pub(super) fn location(id: &str, name: &str, kind: LocationKind) -> Location {
    Location {
        id: id.into(),
        name: name.into(),
        kind,
        parent_id: None,
        description: String::new(),
        position: None,
        sort_order: 0,
    }
}

fn speaker(id: &str, name: &str, organisation: &str) -> Speaker {
    Speaker {
        id: id.into(),
        name: name.into(),
        organisation: Some(organisation.into()),
        role: None,
        bio: String::new(),
        photo: None,
        links: Vec::new(),
    }
}

fn exhibitor(id: &str, name: &str, station: &str, topics: &[&str], description: &str) -> Exhibitor {
    Exhibitor {
        id: id.into(),
        name: name.into(),
        station_id: Some(station.into()),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        description: description.into(),
        contact: None,
        website: None,
        logo: None,
    }
}

pub(super) fn fixture() -> Bundle {
    let mut bundle = Bundle::new(Event {
        id: EVENT.into(),
        title: "E-Government Marktplatz Nordwest".into(),
        subtitle: None,
        description: String::new(),
        venue: Venue {
            name: "Markthalle Delmenhorst".into(),
            ..Venue::default()
        },
        timezone: "Europe/Berlin".into(),
        days: vec![NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()],
        day_change_hour: 4,
        languages: vec!["de".into()],
        url: None,
        logo: None,
    });
    bundle.locations = vec![
        location("saal", "Vortragssaal", LocationKind::Room),
        location(
            "st-sicher",
            "Station 7: IT-Sicherheit",
            LocationKind::Station,
        ),
        location(
            "st-buerger",
            "Station 2: Bürgeramt online",
            LocationKind::Station,
        ),
    ];
    bundle.tracks = vec![Track {
        id: "finanzen".into(),
        name: "Finanzen und Beschaffung".into(),
        color: None,
        description: String::new(),
    }];
    bundle.speakers = vec![
        speaker("hagen", "Dr. Martin Hagen", "Freie Hansestadt Bremen"),
        speaker("bensberg", "Jörg Bensberg", "Landkreis Ammerland"),
        speaker("mueller", "Anna Müller", "Stadt Delmenhorst"),
    ];
    let mut erechnung = session(
        "erechnung",
        "Die E-Rechnungsplattform für Kommunen",
        11,
        &["mueller"],
    );
    erechnung.abstract_text =
        "Rechnungseingang, XRechnung und die Pflicht zur elektronischen Rechnung.".into();
    let mut cyber = session(
        "cyber",
        "Cybersicherheitsstrategie des Landes",
        10,
        &["hagen"],
    );
    cyber.abstract_text = "Wie Kommunen sich gegen Cyberattacken wappnen.".into();
    let mut digital = session(
        "digital",
        "Digitalisierung der Verwaltung im Ammerland",
        9,
        &["bensberg"],
    );
    digital.description =
        "Der Landrat berichtet über Onlinedienste, das digitale Archiv und den Wandel.".into();
    let mut strasse = session("strasse", "Straßenverkehrsamt digital", 14, &[]);
    strasse.location_id = Some("st-buerger".into());
    strasse.track_id = None;
    bundle.sessions = vec![erechnung, cyber, digital, strasse];
    bundle.exhibitors = vec![
        exhibitor(
            "govconnect",
            "GovConnect GmbH",
            "st-sicher",
            &["IT-Sicherheit", "Firewall"],
            "Sichere Netze für Rathäuser.",
        ),
        exhibitor(
            "buergerdienste",
            "Bürgerdienste Nord",
            "st-buerger",
            &["Onlinezugangsgesetz"],
            "Terminvergabe für das Buergeramt.",
        ),
    ];
    bundle.announcements = vec![Announcement {
        id: "mittag".into(),
        title: "Häppchen und Getränke im Foyer".into(),
        body: "Ab 12 Uhr gibt es Mittagessen.".into(),
        priority: Priority::Normal,
        published_at: at(8, 0),
        expires_at: None,
    }];
    bundle.info_pages = vec![InfoPage {
        id: "anfahrt".into(),
        title: "Anfahrt".into(),
        body: "Die Markthalle liegt an der Langen Straße in Delmenhorst.".into(),
        sort_order: 0,
    }];
    bundle.validate().unwrap();
    bundle
}

/// A store with the search cache kept beside it, as the device holds them.
pub(super) struct Searched {
    pub(super) store: Store,
    pub(super) cache: SearchCache,
}

impl Searched {
    pub(super) fn open(dir: &std::path::Path) -> Searched {
        Searched {
            store: Store::open(dir).unwrap(),
            cache: SearchCache::default(),
        }
    }

    pub(super) fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        search(&self.store, &self.cache, query)
    }

    fn search_cancellable(
        &self,
        query: &SearchQuery,
        cancel: &SearchCancel,
    ) -> Result<Vec<SearchHit>> {
        search_cancellable(&self.store, &self.cache, query, cancel)
    }
}

impl std::ops::Deref for Searched {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

pub(super) fn store() -> (tempfile::TempDir, Searched) {
    let dir = tempfile::tempdir().unwrap();
    let store = Searched::open(dir.path());
    store
        .write_content(|tx| tx.replace_with_bundle(&fixture()))
        .unwrap();
    (dir, store)
}

pub(super) fn query(text: &str) -> SearchQuery {
    let mut q = SearchQuery::new(EVENT, text);
    q.now = at(6, 0);
    q
}

fn ids(store: &Searched, text: &str) -> Vec<String> {
    store
        .search(&query(text))
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn top(store: &Searched, text: &str) -> String {
    ids(store, text).into_iter().next().unwrap_or_default()
}

#[test]
fn case_diacritics_and_transliterations_are_equal() {
    let (_dir, store) = store();
    for q in [
        "Bürgeramt",
        "Buergeramt",
        "Burgeramt",
        "BÜRGERAMT",
        "bürgeramt",
    ] {
        let found = ids(&store, q);
        assert!(found.contains(&"st-buerger".to_string()), "{q}: {found:?}");
        assert!(
            found.contains(&"buergerdienste".to_string()),
            "{q}: {found:?}"
        );
    }
    for q in ["Strasse", "Straße", "STRASSE"] {
        assert!(ids(&store, q).contains(&"strasse".to_string()), "{q}");
        assert!(ids(&store, q).contains(&"anfahrt".to_string()), "{q}");
    }
    assert_eq!(top(&store, "mueller"), "mueller");
    assert_eq!(top(&store, "Muller"), "mueller");
}

#[test]
fn last_word_is_completed_while_typing() {
    let (_dir, store) = store();
    for typed in ["D", "Di", "Dig", "Digi", "Digital", "Digitalisierung"] {
        assert!(
            ids(&store, typed).contains(&"digital".to_string()),
            "{typed}"
        );
    }
    assert_eq!(top(&store, "Cybersich"), "cyber");
    assert_eq!(top(&store, "Hag"), "hagen");
}

#[test]
fn words_are_found_inside_compounds() {
    let (_dir, store) = store();
    let found = ids(&store, "rechnung");
    assert_eq!(found.first().map(String::as_str), Some("erechnung"));
    let found = ids(&store, "sicherheit");
    for id in ["st-sicher", "govconnect", "cyber"] {
        assert!(
            found.contains(&id.to_string()),
            "{id} missing from {found:?}"
        );
    }
    // Typed with or without the hyphen.
    assert_eq!(top(&store, "E-Rechnung"), "erechnung");
    assert_eq!(top(&store, "erechnung"), "erechnung");
    assert!(ids(&store, "itsicherheit").contains(&"govconnect".to_string()));
}

#[test]
fn one_typo_is_forgiven_in_longer_words_only() {
    let (_dir, store) = store();
    assert_eq!(top(&store, "Digitalisirung"), "digital");
    assert_eq!(top(&store, "Digitalisierng"), "digital");
    assert!(ids(&store, "Sicherhiet").contains(&"govconnect".to_string()));
    assert!(ids(&store, "Sicherhiet").contains(&"st-sicher".to_string()));
    // Two typos: nothing.
    assert!(ids(&store, "Digitalsirung").is_empty());
    // Short words must be right: "Amd" is not "Amt".
    assert!(ids(&store, "Hagn").is_empty());
}

#[test]
fn all_words_are_required_in_any_order_and_phrases_in_order() {
    let (_dir, store) = store();
    assert_eq!(ids(&store, "Verwaltung Ammerland"), ["digital"]);
    assert_eq!(ids(&store, "Ammerland Verwaltung"), ["digital"]);
    assert!(ids(&store, "Verwaltung Bremen").is_empty());
    assert_eq!(ids(&store, "\"digitale Archiv\""), ["digital"]);
    assert!(ids(&store, "\"Archiv digitale\"").is_empty());
    // An unbalanced quote: the phrase is still being typed.
    assert_eq!(ids(&store, "\"digitale Arc"), ["digital"]);
}

#[test]
fn titles_rank_above_people_above_places_above_text() {
    let (_dir, store) = store();
    // Speaker (name is the title) before the session they give (name in people).
    assert_eq!(ids(&store, "Bensberg"), ["bensberg", "digital"]);
    // The station itself before the session and the exhibitor standing there.
    let found = ids(&store, "Bürgeramt");
    assert_eq!(found[0], "st-buerger", "{found:?}");
    // Title match (Straßenverkehrsamt) before long-text match (Lange Straße).
    let found = ids(&store, "Strasse");
    assert_eq!(found, ["strasse", "anfahrt"]);
    // Exact/prefix hits come before compound hits: "Rechnung" in a title word start beats
    // "XRechnung" only found inside a word.
    let hits = store.search(&query("Kommunen")).unwrap();
    assert_eq!(hits[0].id, "erechnung");
}

#[test]
fn ties_go_to_the_nearest_upcoming_session() {
    let (_dir, store) = store();
    // All four sessions are in the same place (Vortragssaal) and track; at 06:00 UTC the 09:00
    // session starts first; at 09:50 it has ended, so 10:00 comes first and 09:00 last.
    let mut q = query("Vortragssaal");
    q.kinds = vec![EntityKind::Session];
    let early: Vec<String> = store
        .search(&q)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(early, ["digital", "cyber", "erechnung"]);
    q.now = at(9, 50);
    let later: Vec<String> = store
        .search(&q)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(later, ["cyber", "erechnung", "digital"]);
}

#[test]
fn hits_carry_kind_title_context_and_highlights() {
    let (_dir, store) = store();
    let hits = store.search(&query("rechnung")).unwrap();
    let hit = &hits[0];
    assert_eq!(hit.kind, EntityKind::Session);
    assert_eq!(hit.event_id, EVENT);
    assert_eq!(hit.title, "Die E-Rechnungsplattform für Kommunen");
    let underlined: Vec<String> = hit
        .title_highlights
        .iter()
        .map(|h| {
            hit.title
                .chars()
                .skip(h.start as usize)
                .take((h.end - h.start) as usize)
                .collect()
        })
        .collect();
    assert_eq!(underlined, ["Rechnung"]);
    assert_eq!(hit.start, Some(at(11, 0)));
    let hits = store.search(&query("Hagen")).unwrap();
    let session = hits.iter().find(|h| h.id == "cyber").unwrap();
    assert_eq!(session.context, "Dr. Martin Hagen");
    assert_eq!(
        session.context_highlights,
        [Highlight { start: 11, end: 16 }]
    );
    let hits = store.search(&query("Bremen")).unwrap();
    let hagen = hits.iter().find(|h| h.id == "hagen").unwrap();
    assert_eq!(hagen.context, "Freie Hansestadt Bremen");
    assert_eq!(hagen.context_highlights, [Highlight { start: 17, end: 23 }]);
}

#[test]
fn filters_narrow_the_hits() {
    let (_dir, store) = store();
    let run = |f: &dyn Fn(&mut SearchQuery)| {
        let mut q = query("digital");
        f(&mut q);
        let mut found: Vec<String> = store
            .search(&q)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        found.sort();
        found
    };
    assert_eq!(run(&|_| {}), ["digital", "strasse"]);
    assert_eq!(
        run(&|q| q.kinds = vec![EntityKind::Speaker]),
        Vec::<String>::new()
    );
    assert_eq!(
        run(&|q| q.location_id = Some("st-buerger".into())),
        ["strasse"]
    );
    assert_eq!(run(&|q| q.track_id = Some("finanzen".into())), ["digital"]);
    assert_eq!(
        run(&|q| q.day = NaiveDate::from_ymd_opt(2027, 2, 1)),
        ["digital", "strasse"]
    );
    assert!(run(&|q| q.day = NaiveDate::from_ymd_opt(2027, 2, 2)).is_empty());
    assert_eq!(
        run(&|q| {
            q.upcoming_only = true;
            q.now = at(12, 0);
        }),
        ["strasse"]
    );
    store
        .write_user(|tx| {
            tx.execute(
                "INSERT INTO favourite (event_id, kind, entity_id, created_at)
                 VALUES (?1, 'session', 'digital', 0)",
                [EVENT],
            )
            .unwrap();
            Ok(())
        })
        .unwrap();
    assert_eq!(run(&|q| q.favourites_only = true), ["digital"]);
    let mut other = query("digital");
    other.event_id = "another-event".into();
    assert!(store.search(&other).unwrap().is_empty());
}

#[test]
fn index_follows_changes_to_referenced_names() {
    let (_dir, store) = store();
    assert!(ids(&store, "Schulze").is_empty());
    // A session that arrives before its speaker becomes findable by the speaker's name later.
    let mut late = session("late", "Offene Daten", 15, &["schulze"]);
    late.track_id = None;
    store
        .write_content(|tx| {
            let entity = Entity::Session(late.clone());
            tx.upsert(EVENT, &entity, &entity.to_json().unwrap())?;
            Ok(())
        })
        .unwrap();
    assert!(ids(&store, "Schulze").is_empty());
    let schulze = Entity::Speaker(speaker("schulze", "Eva Schulze", "Stadt Oldenburg"));
    store
        .write_content(|tx| {
            tx.upsert(EVENT, &schulze, &schulze.to_json().unwrap())
                .map(|_| ())
        })
        .unwrap();
    assert_eq!(ids(&store, "Schulze"), ["schulze", "late"]);
    // Renaming the room re-indexes its sessions.
    let renamed = Entity::Location(location("saal", "Ratssaal", LocationKind::Room));
    store
        .write_content(|tx| {
            tx.upsert(EVENT, &renamed, &renamed.to_json().unwrap())
                .map(|_| ())
        })
        .unwrap();
    assert!(ids(&store, "Vortragssaal").is_empty());
    assert_eq!(ids(&store, "Ratssaal").len(), 5);
    // Deleting the speaker removes the name from the session.
    store
        .write_content(|tx| tx.delete(EVENT, EntityKind::Speaker, "schulze").map(|_| ()))
        .unwrap();
    assert!(ids(&store, "Schulze").is_empty());
    // Deleting and clearing remove rows.
    store
        .write_content(|tx| tx.delete(EVENT, EntityKind::Session, "late").map(|_| ()))
        .unwrap();
    assert!(ids(&store, "Offene Daten").is_empty());
    store.write_content(|tx| tx.clear_event(EVENT)).unwrap();
    assert!(ids(&store, "Digitalisierung").is_empty());
    let rows: i64 = store
        .read(|tx| {
            Ok(tx
                .query_row("SELECT count(*) FROM search_doc", [], |r| r.get(0))
                .unwrap())
        })
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn warming_loads_the_snapshot_for_the_current_content() {
    let (_dir, store) = store();
    assert!(store.cache.stats().is_none());
    warm_search(&store.store, &store.cache).unwrap();
    let stats = store.cache.stats().unwrap();
    // 3 locations, 1 track, 3 speakers, 4 sessions, 2 exhibitors, 1 announcement, 1 info page.
    assert_eq!(stats.documents, 15);
    assert!(stats.terms > 50);
    // A change makes the next search load the new content.
    store
        .write_content(|tx| {
            tx.delete(EVENT, EntityKind::InfoPage, "anfahrt")
                .map(|_| ())
        })
        .unwrap();
    assert_eq!(top(&store, "Anfahrt"), "");
    assert_eq!(store.cache.stats().unwrap().documents, 14);
}

#[test]
fn a_database_from_before_search_is_indexed_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store
            .write_content(|tx| tx.replace_with_bundle(&fixture()))
            .unwrap();
    }
    // Make it look like a v1 database holding content: no index, marked unbuilt.
    {
        let conn = rusqlite::Connection::open(dir.path().join(crate::store::CONTENT_DB)).unwrap();
        conn.execute_batch(
            "DELETE FROM search_fts; DELETE FROM search_doc;
             UPDATE search_state SET value = 0 WHERE key = 'built';",
        )
        .unwrap();
    }
    let store = Searched::open(dir.path());
    assert_eq!(top(&store, "Digitalisierung"), "digital");
}

#[test]
fn hostile_input_never_errors() {
    let (_dir, store) = store();
    let long = "Digitalisierung ".repeat(700);
    let inputs = [
        "",
        " ",
        "\"",
        "\"\"",
        "\"digital",
        "*",
        "digital*",
        "NEAR(digital verwaltung, 2)",
        "-digital",
        "title:digital",
        "{title}: x",
        "digital OR verwaltung",
        "AND",
        "NOT",
        "^digital",
        "🎉🚀",
        "Kaffee ☕ Pause",
        "'; DROP TABLE session; --",
        "\u{0}\u{1}",
        "東京",
        long.as_str(),
    ];
    for input in inputs {
        assert!(store.search(&query(input)).is_ok(), "{input:?}");
    }
    assert_eq!(top(&store, &long), "digital");
    // The minus is no NOT operator: "digital" is searched (exact title word first).
    assert_eq!(top(&store, "-digital"), "strasse");
    assert_eq!(
        top(&store, "title:Digitalisierung"),
        "",
        "title is a word here"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn any_string_searches_without_error(text in ".{0,80}", quotes in 0usize..3) {
        thread_local! {
            static STORE: (tempfile::TempDir, Searched) = store();
        }
        let text = format!("{}{}", "\"".repeat(quotes), text);
        STORE.with(|(_, store)| {
            let hits = store.search(&query(&text));
            prop_assert!(hits.is_ok(), "{:?}: {:?}", text, hits.err());
            for hit in hits.unwrap() {
                let len = hit.title.chars().count() as u32;
                prop_assert!(hit.title_highlights.iter().all(|h| h.start < h.end && h.end <= len));
                let len = hit.context.chars().count() as u32;
                prop_assert!(hit.context_highlights.iter().all(|h| h.start < h.end && h.end <= len));
            }
            Ok(())
        })?;
    }

    #[test]
    fn fts_syntax_in_words_never_errors(words in proptest::collection::vec(
        prop_oneof![
            Just("\"".to_string()), Just("*".to_string()), Just("NEAR(".to_string()),
            Just("-".to_string()), Just(":".to_string()), Just("OR".to_string()),
            Just("(".to_string()), Just(")".to_string()), Just("+".to_string()),
            Just("^".to_string()), Just("digital".to_string()), Just("Bürger".to_string()),
            "[a-zäöüß]{1,12}",
        ],
        0..12,
    )) {
        thread_local! {
            static STORE: (tempfile::TempDir, Searched) = store();
        }
        let text = words.join("");
        let spaced = words.join(" ");
        STORE.with(|(_, store)| {
            prop_assert!(store.search(&query(&text)).is_ok(), "{:?}", text);
            prop_assert!(store.search(&query(&spaced)).is_ok(), "{:?}", spaced);
            Ok(())
        })?;
    }
}

#[test]
fn a_cancelled_search_stops_with_cancelled() {
    let (_dir, store) = store();
    let cancel = SearchCancel::new();
    cancel.cancel();
    let result = store.search_cancellable(&query("digital"), &cancel);
    assert!(matches!(result, Err(crate::Error::Cancelled)), "{result:?}");
    // A fresh handle searches normally.
    let hits = store
        .search_cancellable(&query("digital"), &SearchCancel::new())
        .unwrap();
    assert!(!hits.is_empty());
}

#[test]
fn the_next_keystroke_interrupts_a_running_query() {
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    // Enough content that a broad query runs for a while in a debug build.
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Searched::open(dir.path()));
    let mut bundle = fixture();
    for i in 0..4000 {
        let mut s = session(
            &format!("gen{i}"),
            &format!("Verwaltungsthema {i}"),
            12,
            &[],
        );
        s.description = format!(
            "Digitalisierung Verwaltung Kommune Rechnung Sicherheit Nummer{i} {}",
            "Daten ".repeat(30)
        );
        bundle.sessions.push(s);
    }
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    let type_ahead = Arc::new(TypeAhead::new());
    // Warm the snapshot so the first query spends its time in SQLite.
    store.search(&query("x")).unwrap();
    let slow = query("Digitalisierung Kommune Rechnung Sicherheit Daten");
    let started = Instant::now();
    let uninterrupted = store.search(&slow).unwrap();
    let full_time = started.elapsed();
    assert!(!uninterrupted.is_empty());

    // The first keystroke's handle, taken here so the test can see when its query is on
    // SQLite: a sleep instead would race the worker thread's start on a loaded machine.
    let first = type_ahead.start(type_ahead.ticket()).unwrap();
    let worker_store = store.clone();
    let worker_cancel = first.clone();
    let worker = std::thread::spawn(move || {
        let started = Instant::now();
        (
            super::search_cancellable(
                &worker_store.store,
                &worker_store.cache,
                &slow,
                &worker_cancel,
            ),
            started.elapsed(),
        )
    });
    eprintln!("uninterrupted query: {full_time:?}");
    let waited = Instant::now();
    while !first.is_running() && !worker.is_finished() {
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "the query never started"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
    // The next keystroke: its query supersedes the running one.
    let next = type_ahead
        .search(
            type_ahead.ticket(),
            &store.store,
            &store.cache,
            &query("Digitalisierung"),
        )
        .unwrap();
    assert_eq!(next[0].id, "digital");
    let (result, took) = worker.join().unwrap();
    assert!(
        matches!(result, Err(crate::Error::Cancelled)),
        "the superseded query was not cancelled (full run {full_time:?}): {result:?}"
    );
    assert!(took < full_time + Duration::from_millis(500));
}

/// The fixture with what the parity queries look for: a compound ("Bürgerportal"), a street, a
/// session on a second day, a hyphenated title, FTS5 syntax and markup in the text.
pub(super) fn parity_fixture() -> Bundle {
    let mut bundle = fixture();
    bundle
        .event
        .days
        .push(NaiveDate::from_ymd_opt(2027, 2, 2).unwrap());
    let mut portal = session(
        "portal",
        "Das Bürgerportal der Stadt Oldenburg",
        12,
        &["hagen", "mueller"],
    );
    portal.abstract_text = "Anträge online: vom Serviceportal bis zur Strasse vor Ort.".into();
    portal.tags = vec!["OZG".into(), "Portalverbund".into()];
    let mut next_day = session(
        "morgen",
        "Open Data <script>alert(1)</script> AND NOT",
        10,
        &[],
    );
    next_day.start = Utc.with_ymd_and_hms(2027, 2, 2, 9, 0, 0).unwrap();
    next_day.end = Utc.with_ymd_and_hms(2027, 2, 2, 9, 45, 0).unwrap();
    next_day.description =
        "Offene Daten für die Verwaltung: \"NEAR(daten verwaltung)\" title:x*".into();
    bundle.sessions.push(portal);
    bundle.sessions.push(next_day);
    bundle
        .speakers
        .push(speaker("lange", "Petra Lange-Straßburg", "Portal GmbH"));
    bundle.validate().unwrap();
    bundle
}

/// The queries the device's index and the server's in-memory index must answer alike.
pub(super) const PARITY_QUERIES: &[&str] = &[
    "Strasse",
    "Straße",
    "STRASSE",
    "portal",
    "Bürgerportal",
    "buergerportal",
    "burgerportal oldenburg",
    "sicherhiet",
    "digitalisirung",
    "Cybersicherheit",
    "rechnung",
    "e-rechnung",
    "erechnung kommunen",
    "kommunen rechnung",
    "\"digitale archiv\"",
    "\"digitale ar",
    "\"",
    "",
    "   ",
    "a",
    "st",
    "it",
    "hagen bremen",
    "Dr. Martin",
    "AND OR NOT",
    "NEAR(daten verwaltung)",
    "title:x*",
    "cyber*",
    "-rechnung",
    "<script>",
    "script alert",
    "Lange-Straßburg",
    "strassburg",
    "station",
    "Häppchen",
    "happchen",
    "onlinezugangsgesetz",
    "zugang",
    "xyzzy",
];

/// The parity fixture in a device's store and in the server's in-memory index.
fn device_and_web() -> (tempfile::TempDir, Searched, marktplatz_search::MemoryIndex) {
    let bundle = parity_fixture();
    let dir = tempfile::tempdir().unwrap();
    let device = Searched::open(dir.path());
    device
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    (dir, device, marktplatz_search::MemoryIndex::build(&bundle))
}

#[test]
fn the_servers_in_memory_index_finds_what_the_device_finds_in_the_same_order() {
    let (_dir, device, web) = device_and_web();
    let mut found_any = 0;
    for text in PARITY_QUERIES {
        let q = query(text);
        let on_device = device.search(&q).unwrap();
        assert_eq!(web.search(&q), engine_only(&on_device), "query {text:?}");
        found_any += usize::from(!on_device.is_empty());
    }
    // The set is not vacuous: most queries find something.
    assert!(found_any >= PARITY_QUERIES.len() - 8, "{found_any}");
    // Folding, compound parts, one typo: what the queries were chosen for.
    let top = |text: &str| web.search(&query(text)).first().map(|h| h.id.clone());
    assert_eq!(top("Strasse"), top("Straße"));
    assert_eq!(top("Bürgerportal").as_deref(), Some("portal"));
    let portal = web.search(&query("portal"));
    assert!(portal.iter().any(|h| h.id == "portal"), "{portal:?}");
    assert_eq!(top("sicherhiet").as_deref(), Some("st-sicher"));
    assert!(web.search(&query("")).is_empty());
}

#[test]
fn the_in_memory_index_applies_the_same_filters_and_limits() {
    let (_dir, device, web) = device_and_web();
    let variants: [fn(&mut SearchQuery); 7] = [
        |q| q.kinds = vec![EntityKind::Session],
        |q| q.day = NaiveDate::from_ymd_opt(2027, 2, 2),
        |q| q.location_id = Some("st-buerger".into()),
        |q| q.track_id = Some("finanzen".into()),
        |q| {
            q.upcoming_only = true;
            q.now = at(11, 50);
        },
        |q| q.limit = 1,
        |q| q.limit = 0,
    ];
    for text in ["portal", "strasse", "daten", "rechnung", "s", "station"] {
        for variant in &variants {
            let mut q = query(text);
            variant(&mut q);
            assert_eq!(
                web.search(&q),
                engine_only(&device.search(&q).unwrap()),
                "{q:?}"
            );
        }
    }
}

/// The device's hits as the engine gives them: without the day, time and place the device adds
/// (the web's pages draw their own), for comparing the two indexes.
fn engine_only(hits: &[SearchHit]) -> Vec<SearchHit> {
    hits.iter()
        .map(|hit| SearchHit {
            when_and_where: None,
            ..hit.clone()
        })
        .collect()
}

/// Equal hits are ranked in the order of their ids on the device and on the web alike,
/// whatever order the bundle lists them in (a first sync stores rows in the order the pages
/// brought them; the web builds from the bundle).
#[test]
fn equal_hits_come_in_the_same_order_on_the_device_and_the_web_whatever_the_bundles_order() {
    let mut bundle = parity_fixture();
    for id in ["tie-c", "tie-a", "tie-d", "tie-b"] {
        bundle
            .speakers
            .push(speaker(id, "Kim Gleichrang", "Landkreis"));
    }
    for speakers in [bundle.speakers.clone(), {
        let mut reversed = bundle.speakers.clone();
        reversed.reverse();
        reversed
    }] {
        let mut listed = bundle.clone();
        listed.speakers = speakers;
        listed.sessions.reverse();
        let dir = tempfile::tempdir().unwrap();
        let device = Searched::open(dir.path());
        device
            .write_content(|tx| tx.replace_with_bundle(&listed))
            .unwrap();
        assert_ties_in_id_order_on_both(&device, &listed);
    }
}

/// The four "Kim Gleichrang" speakers come in the order of their ids on the device and on the
/// web index built from `bundle`, and every parity query finds the same on both.
fn assert_ties_in_id_order_on_both(device: &Searched, bundle: &Bundle) {
    let web = marktplatz_search::MemoryIndex::build(bundle);
    let q = query("Kim Gleichrang");
    let on_device = device.search(&q).unwrap();
    let ids: Vec<&str> = on_device.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["tie-a", "tie-b", "tie-c", "tie-d"]);
    assert_eq!(web.search(&q), engine_only(&on_device));
    for text in PARITY_QUERIES {
        let q = query(text);
        let on_device = device.search(&q).unwrap();
        assert_eq!(web.search(&q), engine_only(&on_device), "query {text:?}");
    }
}

#[test]
fn equal_hits_keep_the_order_of_their_ids_after_deltas_move_them_in_the_index() {
    let mut bundle = parity_fixture();
    for id in ["tie-a", "tie-b", "tie-c", "tie-d"] {
        bundle
            .speakers
            .push(speaker(id, "Kim Gleichrang", "Landkreis"));
    }
    let dir = tempfile::tempdir().unwrap();
    let device = Searched::open(dir.path());
    device
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    // Removed and added again: its document now sits last in the device's index.
    let moved = Entity::Speaker(speaker("tie-a", "Kim Gleichrang", "Landkreis"));
    device
        .write_content(|tx| {
            tx.delete(EVENT, EntityKind::Speaker, "tie-a")?;
            tx.upsert(EVENT, &moved, &moved.to_json().unwrap())
                .map(|_| ())
        })
        .unwrap();
    assert_ties_in_id_order_on_both(&device, &bundle);
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Stable identity for files without ids over loopback (issue 17, ADR 0015): a file whose
//! sessions carry no ids is matched to what its source published last (fetched from the
//! server), so a fixed typo or a move keeps the session's id, the attendee's favourite, and
//! reaches the phone as "retitled" or "moved", never as "removed". Real files: FOSDEM 2025 and
//! the three 36C3 publications with their guids and ids taken out.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use marktplatz_core::favourites::{self, AlertChange, FavouriteKind};
use marktplatz_core::sync::CancelToken;
use marktplatz_core::sync::client::{Client, ClientConfig};
use marktplatz_import::identity::{Assigned, Rule, count_by_rule};
use marktplatz_import::{Import, ImportOptions, import};
use marktplatz_model::model::Session;
use marktplatz_model::wire::PublishOutcome;
use marktplatz_publish::{AssetBytes, Target, publish_source, published_by_source};
use marktplatz_tests::{Harness, fast_client_config, raw_http, shared_data_dir};

fn read_import(bytes: &[u8], event: &str) -> Import {
    let options = ImportOptions {
        event_id: Some(event.to_string()),
        timezone: Some("Europe/Berlin".to_string()),
        ..ImportOptions::default()
    };
    import(bytes, &options).unwrap_or_else(|e| panic!("import: {e}"))
}

/// What `marktplatz publish` does with an imported file: the source's previous sessions from
/// the server, the made-up ids matched to them, then the publish.
async fn publish_keeping_ids(
    h: &Harness,
    token: &str,
    source: &str,
    file: &mut Import,
) -> (Vec<Assigned>, PublishOutcome) {
    // Publishing a whole real schedule takes seconds in a debug build.
    let config = ClientConfig {
        read_timeout: Duration::from_secs(60),
        request_timeout: Duration::from_secs(120),
        ..fast_client_config()
    };
    let client = Client::new(config).unwrap();
    let event_id = file.bundle.event.id.clone();
    let to = Target {
        server_url: &h.url(),
        token,
        event_id: &event_id,
        source,
        note: "",
        confirmed: false,
    };
    let cancel = CancelToken::new();
    let previous = published_by_source(&client, &to, &cancel).await.unwrap();
    let started = Instant::now();
    let assigned = file.keep_identity(&previous);
    println!(
        "matched {} sessions and {} exhibitors to {} and {} previous in {:.1} ms",
        file.bundle.sessions.len(),
        file.bundle.exhibitors.len(),
        previous.sessions.len(),
        previous.exhibitors.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let outcome = publish_source(&client, &to, &file.bundle, &AssetBytes::new(), &cancel)
        .await
        .unwrap();
    (assigned, outcome)
}

fn session<'a>(file: &'a Import, title: &str) -> &'a Session {
    let found: Vec<&Session> = file
        .bundle
        .sessions
        .iter()
        .filter(|s| s.title == title)
        .collect();
    assert_eq!(found.len(), 1, "one session titled {title:?}");
    found[0]
}

fn exhibitor_id(file: &Import, name: &str) -> String {
    let found = file.bundle.exhibitors.iter().find(|e| e.name == name);
    found.map(|e| e.id.clone()).expect(name)
}

fn ids(file: &Import) -> BTreeSet<String> {
    file.bundle.sessions.iter().map(|s| s.id.clone()).collect()
}

const CSV_V1: &str = "Titel;Datum;Beginn;Ende;Raum\n\
Digitale Verwlatung im Landkreis;01.02.2027;10:00;10:45;Saal A\n\
Keynote: Offene Daten;01.02.2027;09:00;09:45;Saal A\n\
Mittagspause;01.02.2027;12:00;13:00;Foyer\n";

/// The typo fixed, the keynote an hour later: nothing else changed.
const CSV_V2: &str = "Titel;Datum;Beginn;Ende;Raum\n\
Digitale Verwaltung im Landkreis;01.02.2027;10:00;10:45;Saal A\n\
Keynote: Offene Daten;01.02.2027;11:00;11:45;Saal A\n\
Mittagspause;01.02.2027;12:00;13:00;Foyer\n";

#[tokio::test]
async fn a_typo_fix_in_an_id_less_csv_keeps_the_favourite_and_alerts_retitled_and_moved() {
    const EVENT: &str = "landkreis-2027";
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let mut first = read_import(CSV_V1.as_bytes(), EVENT);
    assert_eq!(
        first.made_up.sessions,
        ids(&first),
        "the CSV has no ID column"
    );
    let (assigned, outcome) = publish_keeping_ids(&h, &token, "programm", &mut first).await;
    assert!(
        assigned.iter().all(|a| a.rule == Rule::Fresh),
        "{assigned:?}"
    );
    assert_eq!(outcome.added, first.bundle.entity_count() as u64);

    let phone = h.device("phone");
    phone.sync(&h.url(), EVENT).await.unwrap();
    let typo = session(&first, "Digitale Verwlatung im Landkreis")
        .id
        .clone();
    let keynote = session(&first, "Keynote: Offene Daten").id.clone();
    for id in [&typo, &keynote] {
        favourites::add_favourite(&phone.store, EVENT, FavouriteKind::Session, id, None).unwrap();
    }

    let mut second = read_import(CSV_V2.as_bytes(), EVENT);
    // Without matching both would be new sessions (their made-up ids come from the title).
    assert_ne!(
        session(&second, "Digitale Verwaltung im Landkreis").id,
        typo
    );
    let (assigned, outcome) = publish_keeping_ids(&h, &token, "programm", &mut second).await;
    let counts = count_by_rule(&assigned);
    assert_eq!(counts.get(&Rule::FixedTypo), Some(&1), "{assigned:?}");
    assert_eq!(counts.get(&Rule::Moved), Some(&1), "{assigned:?}");
    assert_eq!(counts.get(&Rule::SameTitle), Some(&1), "{assigned:?}");
    assert_eq!(
        session(&second, "Digitale Verwaltung im Landkreis").id,
        typo
    );
    assert_eq!(session(&second, "Keynote: Offene Daten").id, keynote);
    assert_eq!(
        (outcome.added, outcome.updated, outcome.removed),
        (0, 2, 0),
        "{outcome:?}"
    );

    phone.sync(&h.url(), EVENT).await.unwrap();
    for id in [&typo, &keynote] {
        assert!(
            favourites::is_favourite(&phone.store, EVENT, FavouriteKind::Session, id).unwrap(),
            "favourite {id} kept"
        );
    }
    let alerts: BTreeMap<String, Vec<AlertChange>> = favourites::unseen_alerts(&phone.store, EVENT)
        .unwrap()
        .into_iter()
        .map(|a| (a.session_id, a.changes))
        .collect();
    assert_eq!(
        alerts,
        BTreeMap::from([
            (typo.clone(), vec![AlertChange::Retitled]),
            (keynote.clone(), vec![AlertChange::Moved]),
        ])
    );
}

/// The frab file with every `<event>`'s guid and id taken out (speakers keep theirs).
fn without_event_ids(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("<event ") {
        out.push_str(&rest[..at]);
        let end = at + rest[at..].find('>').unwrap();
        out.push_str("<event>");
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Replaces the first `from` after the `<event>` with frab id `event` (before the ids go).
fn edit_event(xml: &str, event: &str, from: &str, to: &str) -> String {
    let at = xml.find(&format!(" id=\"{event}\">")).unwrap();
    let offset = at + xml[at..].find(from).unwrap();
    format!("{}{to}{}", &xml[..offset], &xml[offset + from.len()..])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fosdem_without_guids_keeps_every_id_through_a_retitle_and_a_move() {
    const EVENT: &str = "fosdem-2025";
    let path = shared_data_dir().join("frab-xml/fosdem-2025.schedule.xml");
    let original = std::fs::read_to_string(&path).unwrap();
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();

    let mut first = read_import(without_event_ids(&original).as_bytes(), EVENT);
    assert_eq!(first.bundle.sessions.len(), 943);
    assert_eq!(
        first.made_up.sessions,
        ids(&first),
        "no event keeps a file id"
    );
    publish_keeping_ids(&h, &token, "fosdem", &mut first).await;

    let retitled = "A New Approach to Callee-Saved Registers in LLVM";
    let fixed = "A New Approach to Callee-saved Registers in LLVM (RISC-V)";
    let moved = "Moving work into the middle end";
    let mut changed = edit_event(&original, "6210", retitled, fixed);
    changed = edit_event(&changed, "6600", "T11:05:00", "T16:05:00");
    changed = edit_event(&changed, "6600", "<start>11:05", "<start>16:05");
    let mut second = read_import(without_event_ids(&changed).as_bytes(), EVENT);
    let (old_retitled, old_moved) = (session(&first, retitled), session(&first, moved));
    assert_ne!(
        session(&second, fixed).id,
        old_retitled.id,
        "made-up ids differ"
    );
    assert_ne!(
        session(&second, moved).id,
        old_moved.id,
        "made-up ids differ"
    );
    assert_ne!(session(&second, moved).start, old_moved.start);

    let (assigned, outcome) = publish_keeping_ids(&h, &token, "fosdem", &mut second).await;
    assert_eq!(ids(&second), ids(&first), "every id kept");
    assert_eq!(session(&second, fixed).id, old_retitled.id);
    assert_eq!(session(&second, moved).id, old_moved.id);
    let counts = count_by_rule(&assigned);
    assert_eq!(counts.get(&Rule::FixedTypo), Some(&1), "{counts:?}");
    assert_eq!(counts.get(&Rule::Moved), Some(&1), "{counts:?}");
    assert_eq!(counts.get(&Rule::Fresh), None, "{counts:?}");
    assert_eq!(
        (outcome.added, outcome.updated, outcome.removed),
        (0, 2, 0),
        "{outcome:?}"
    );
}

/// The schedule.json with every event's guid and id taken out.
fn json_without_event_ids(bytes: &[u8]) -> Vec<u8> {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if map.contains_key("start") && map.contains_key("title") {
                    map.remove("guid");
                    map.remove("id");
                }
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    strip(&mut value);
    serde_json::to_vec(&value).unwrap()
}

/// A session as both imports of one file see it (the guid import and the id-less one).
type Slot = (
    String,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::Utc>,
    Option<String>,
);

fn slot(s: &Session) -> Slot {
    (s.title.clone(), s.start, s.end, s.location_id.clone())
}

/// slot -> id, leaving out slots the file lists more than once.
fn by_slot(file: &Import) -> BTreeMap<Slot, String> {
    let mut map = BTreeMap::new();
    let mut twice = BTreeSet::new();
    for s in &file.bundle.sessions {
        if map.insert(slot(s), s.id.clone()).is_some() {
            twice.insert(slot(s));
        }
    }
    map.retain(|k, _| !twice.contains(k));
    map
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_36c3_versions_without_guids_keep_their_ids() {
    const EVENT: &str = "36c3";
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let names = [
        "36c3-everything.snapshot-2019-12-26T2040.json",
        "36c3-everything.snapshot-2019-12-28T1650.json",
        "36c3-everything.schedule.json",
    ];
    // guid -> the id the id-less publication gave it, per version.
    let mut previous: Option<BTreeMap<String, String>> = None;
    for name in names {
        let bytes = std::fs::read(shared_data_dir().join("c3voc-json").join(name)).unwrap();
        let truth = by_slot(&read_import(&bytes, EVENT));
        let mut id_less = read_import(&json_without_event_ids(&bytes), EVENT);
        let (assigned, _) = publish_keeping_ids(&h, &token, "fahrplan", &mut id_less).await;
        let given = by_slot(&id_less);
        let now: BTreeMap<String, String> = truth
            .iter()
            .filter_map(|(slot, guid)| Some((guid.clone(), given.get(slot)?.clone())))
            .collect();
        if let Some(before) = &previous {
            let owner: BTreeMap<&String, &String> =
                before.iter().map(|(guid, id)| (id, guid)).collect();
            let (mut kept, mut lost, mut joined) = (0, 0, 0);
            for (guid, id) in &now {
                match (before.get(guid), owner.get(id)) {
                    (Some(old), _) if old == id => kept += 1,
                    (Some(_), _) => lost += 1,
                    (None, Some(_)) => joined += 1,
                    (None, None) => {}
                }
            }
            println!(
                "36C3 {name} without guids: {kept} sessions kept their id, {lost} lost it, {joined} took another session's id; rules {:?}",
                count_by_rule(&assigned)
            );
            // The guids are the truth here, and the real files are not tidy: a lost id is a
            // session both retitled and moved, or a slot the organisers gave to another talk
            // under the old guid; a taken one is mostly a session re-entered under a new guid
            // (same title, moved). Day 2: 916 kept, 10 lost, 3 taken (ADR 0015).
            assert!(lost * 50 <= kept, "{lost} of {} lost their id", kept + lost);
            assert!(joined * 100 <= kept, "{joined} took another session's id");
        }
        previous = Some(now);
    }
}

#[tokio::test]
async fn a_sources_published_sessions_are_for_the_events_organisers_only() {
    const EVENT: &str = "mp-nordwest";
    let h = Harness::start().await;
    let bundle = marktplatz_tests::fixtures::small_bundle(EVENT);
    h.admin.publish_as("programm", bundle.clone()).unwrap();
    let organiser = h.admin.create_token(EVENT, "organiser").unwrap();
    let stranger = h.admin.create_token("other-event", "organiser").unwrap();
    let addr = h.server.addr();
    let get = |token: Option<String>, source: &'static str| async move {
        let path = format!("/v1/events/{EVENT}/published?source={source}");
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = auth
            .as_deref()
            .map(|a| vec![("authorization", a)])
            .unwrap_or_default();
        raw_http::request(addr, "GET", &path, &headers, &[]).await
    };
    assert_eq!(get(None, "programm").await.status, 401);
    assert_eq!(get(Some(stranger), "programm").await.status, 403);
    assert_eq!(get(Some(organiser.clone()), "bad%20name").await.status, 400);
    let never = get(Some(organiser.clone()), "aussteller").await;
    assert_eq!(never.status, 200, "{}", never.text());
    assert_eq!(never.json()["sessions"], serde_json::json!([]));
    let published = get(Some(organiser), "programm").await;
    assert_eq!(published.status, 200, "{}", published.text());
    let sessions: Vec<Session> =
        serde_json::from_value(published.json()["sessions"].clone()).unwrap();
    let mut expected = bundle.sessions.clone();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(sessions, expected);
}

#[tokio::test]
async fn a_name_fixed_in_an_id_less_exhibitor_list_keeps_the_favourite() {
    const EVENT: &str = "landkreis-2027";
    let list = |name: &str| {
        format!(
            "Aussteller;Station;Datum\n{name};Station 1;01.02.2027\nLandkreis Oldenburg;Station 2;01.02.2027\n"
        )
    };
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let mut first = read_import(list("Stadt Delmenhrost").as_bytes(), EVENT);
    assert_eq!(first.made_up.exhibitors.len(), 2);
    publish_keeping_ids(&h, &token, "aussteller", &mut first).await;
    let city = exhibitor_id(&first, "Stadt Delmenhrost");
    let phone = h.device("phone");
    phone.sync(&h.url(), EVENT).await.unwrap();
    favourites::add_favourite(&phone.store, EVENT, FavouriteKind::Exhibitor, &city, None).unwrap();

    let mut second = read_import(list("Stadt Delmenhorst").as_bytes(), EVENT);
    let (assigned, outcome) = publish_keeping_ids(&h, &token, "aussteller", &mut second).await;
    assert_eq!(
        count_by_rule(&assigned).get(&Rule::FixedTypo),
        Some(&1),
        "{assigned:?}"
    );
    assert_eq!(exhibitor_id(&second, "Stadt Delmenhorst"), city);
    assert_eq!(
        (outcome.added, outcome.updated, outcome.removed),
        (0, 1, 0),
        "{outcome:?}"
    );
    phone.sync(&h.url(), EVENT).await.unwrap();
    assert!(
        favourites::is_favourite(&phone.store, EVENT, FavouriteKind::Exhibitor, &city).unwrap()
    );
    let stored = phone
        .store
        .entity(EVENT, marktplatz_model::model::EntityKind::Exhibitor, &city)
        .unwrap();
    assert!(
        stored.is_some(),
        "the exhibitor is still there under its id"
    );
}

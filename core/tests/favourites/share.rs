//! Share codes: round trip, clashes with my favourites, sizes, and refusal of bad codes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use marktplatz_core::Error;
use marktplatz_core::favourites;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::store::Store;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::*;
use sha2_free_uuid::uuid_like;

use crate::common::*;

mod sha2_free_uuid {
    /// A GUID-shaped id (36 characters, like the 36C3 schedule's), derived from a number.
    pub fn uuid_like(n: u64) -> String {
        let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
        let mut hex = String::new();
        for _ in 0..4 {
            x ^= x >> 31;
            x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            hex.push_str(&format!("{x:016x}"));
        }
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

#[test]
fn a_friends_code_shows_their_sessions_and_what_clashes_with_mine() {
    let friend_dir = tempfile::tempdir().unwrap();
    let friend = loaded(friend_dir.path());
    for id in ["f-talk-b", "f-annex", "f-open"] {
        fav(&friend, id);
    }
    favourites::add_favourite(&friend, EVENT, FavouriteKind::Speaker, "sp-kim", None).unwrap();
    favourites::add_favourite(&friend, EVENT, FavouriteKind::Exhibitor, "x-secure", None).unwrap();
    let code = favourites::share_code(&friend, EVENT).unwrap();
    assert!(
        code.bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)),
        "{code}"
    );

    let my_dir = tempfile::tempdir().unwrap();
    let me = loaded(my_dir.path());
    fav(&me, "f-talk-a");
    fav(&me, "f-open");
    // Codes may be typed in lower case with spaces.
    let typed = code
        .to_lowercase()
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    let shared = favourites::read_share_code(&me, &typed).unwrap();
    assert_eq!(shared.event_id, EVENT);
    assert_eq!(shared.unresolved, 0);
    let sessions: Vec<(&str, bool, Vec<String>)> = shared
        .sessions
        .iter()
        .map(|s| (s.session.id.as_str(), s.mine, s.clashes_with.clone()))
        .collect();
    assert_eq!(
        sessions,
        [
            ("f-open", true, vec![]),
            ("f-talk-b", false, vec!["f-talk-a".to_string()]),
            ("f-annex", false, vec![]),
        ]
    );
    assert_eq!(shared.speaker_ids, ["sp-kim"]);
    assert_eq!(shared.exhibitor_ids, ["x-secure"]);
    assert!(
        favourites::favourite_ids(&me, EVENT, FavouriteKind::Session)
            .unwrap()
            .len()
            == 2,
        "reading adds nothing"
    );
}

#[test]
fn bad_codes_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    fav(&store, "f-open");
    let code = favourites::share_code(&store, EVENT).unwrap();
    let err = favourites::read_share_code(&store, "HELLO1")
        .unwrap_err()
        .to_string();
    assert!(err.contains("'1'"), "{err}");
    let cut = &code[..code.len() - 3];
    assert!(favourites::read_share_code(&store, cut).is_err());
    let mut flipped: Vec<char> = code.chars().collect();
    flipped[5] = if flipped[5] == 'A' { 'B' } else { 'A' };
    let err = favourites::read_share_code(&store, &flipped.into_iter().collect::<String>())
        .unwrap_err()
        .to_string();
    assert!(err.contains("share code"), "{err}");
    // A code for another event.
    let other_dir = tempfile::tempdir().unwrap();
    let other = Store::open(other_dir.path()).unwrap();
    let mut bundle = bundle();
    bundle.event.id = "another-fair".into();
    other
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    favourites::add_favourite(
        &other,
        "another-fair",
        FavouriteKind::Session,
        "f-open",
        None,
    )
    .unwrap();
    let err = favourites::read_share_code(
        &store,
        &favourites::share_code(&other, "another-fair").unwrap(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("does not hold"), "{err}");
    // Said as what it is, not as an event with a sentence for its id that was "not found".
    assert!(
        matches!(&err, Error::Invalid { entity, field, .. } if entity == "share code" && field == "event"),
        "{err:?}"
    );
    assert!(!err.to_string().contains("not found"), "{err}");
}

/// Code length for 10 and 30 favourites in a programme the size of 36C3 (1351 sessions with
/// GUID ids). Run with `--nocapture` to see the figures.
#[test]
fn code_length_for_10_and_30_favourites() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut bundle = Bundle::new(Event {
        id: "36c3-sized".into(),
        title: "Congress".into(),
        subtitle: None,
        description: String::new(),
        venue: Venue::default(),
        timezone: "Europe/Berlin".into(),
        days: vec![NaiveDate::from_ymd_opt(2019, 12, 27).unwrap()],
        day_change_hour: 4,
        languages: vec![],
        url: None,
        logo: None,
    });
    let base: DateTime<Utc> = "2019-12-27T10:00:00Z".parse().unwrap();
    for n in 0..1351u64 {
        let start = base + Duration::minutes((n % 96 * 30) as i64);
        bundle.sessions.push(Session {
            id: uuid_like(n),
            kind: SessionKind::Talk,
            title: format!("Talk {n}"),
            subtitle: None,
            abstract_text: String::new(),
            description: String::new(),
            start,
            end: start + Duration::minutes(30),
            location_id: None,
            track_id: None,
            languages: vec![],
            speaker_ids: vec![],
            status: SessionStatus::Scheduled,
            tags: vec![],
            links: vec![],
        });
    }
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    let mut lengths = Vec::new();
    for (from, to) in [(0usize, 10usize), (10, 30)] {
        for s in &bundle.sessions[from..to] {
            favourites::add_favourite(&store, "36c3-sized", FavouriteKind::Session, &s.id, None)
                .unwrap();
        }
        let ids = favourites::favourite_ids(&store, "36c3-sized", FavouriteKind::Session).unwrap();
        assert_eq!(ids.len(), to);
        let code = favourites::share_code(&store, "36c3-sized").unwrap();
        let back = favourites::read_share_code(&store, &code).unwrap();
        let mut got: Vec<String> = back.sessions.iter().map(|s| s.session.id.clone()).collect();
        let mut want = ids.clone();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        assert_eq!(back.unresolved, 0);
        println!(
            "share code, {} favourites of 1351 sessions: {} characters: {code}",
            ids.len(),
            code.len()
        );
        lengths.push((ids.len(), code.len()));
    }
    // 3-byte id hashes: 40 bytes (64 characters) for 10 favourites, 100 bytes (160) for 30.
    assert!(lengths[0].1 <= 64, "{lengths:?}");
    assert!(lengths[1].1 <= 160, "{lengths:?}");
}

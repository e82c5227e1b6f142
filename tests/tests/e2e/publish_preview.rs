#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The field-level preview, the guards and the three-way merge with phone edits over loopback
//! (issue 17): a dry run is the publish, the wrong file is refused without confirmation, and a
//! phone's move survives a republish of an unchanged file but not of a changed one.

use marktplatz_core::Error;
use marktplatz_core::sync::CancelToken;
use marktplatz_core::sync::client::Client;
use marktplatz_core::sync::outbox::OpState;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::ops::Op;
use marktplatz_model::preview::{
    ConfirmationRequired, FieldEdit, Preview, REFUSAL_CHANGES_DAYS, REFUSAL_REMOVES_MOST_SESSIONS,
};
use marktplatz_model::wire::{PublishOutcome, code};
use marktplatz_publish::{AssetBytes, Target, preview_source, publish_source};
use marktplatz_tests::organiser::{organiser_device, push_one};
use marktplatz_tests::{Harness, fast_client_config};
use serde_json::json;

use super::publish_sources::{EVENT, programme, publish};

fn target<'a>(h_url: &'a str, token: &'a str, confirmed: bool) -> Target<'a> {
    Target {
        server_url: h_url,
        token,
        event_id: EVENT,
        source: "programme",
        note: "",
        confirmed,
    }
}

async fn try_publish(
    url: &str,
    token: &str,
    bundle: &Bundle,
    confirmed: bool,
) -> Result<PublishOutcome, Error> {
    let client = Client::new(fast_client_config()).unwrap();
    publish_source(
        &client,
        &target(url, token, confirmed),
        bundle,
        &AssetBytes::new(),
        &CancelToken::new(),
    )
    .await
}

async fn preview(url: &str, token: &str, bundle: &Bundle) -> Preview {
    let client = Client::new(fast_client_config()).unwrap();
    preview_source(
        &client,
        &target(url, token, false),
        bundle,
        &CancelToken::new(),
    )
    .await
    .unwrap()
}

fn refusal_codes(preview: &Preview) -> Vec<&str> {
    preview.refusals.iter().map(|r| r.code.as_str()).collect()
}

#[tokio::test]
async fn the_wrong_file_is_refused_without_confirmation_and_published_with_it() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    publish(&h, &token, "programme", &programme()).await;
    let head = h.admin.head(EVENT).unwrap().seq;

    // The exhibitor list dropped on the programme's source: every session would go.
    let mut wrong = programme();
    wrong.sessions.truncate(1);
    let sessions = programme().sessions.len() as u64;
    let err = try_publish(&h.url(), &token, &wrong, false)
        .await
        .unwrap_err();
    match &err {
        Error::Server { status, code, .. } => {
            assert_eq!((*status, code.as_str()), (409, code::CONFIRMATION_REQUIRED));
        }
        other => panic!("expected a refusal, got {other}"),
    }
    assert_eq!(h.admin.head(EVENT).unwrap().seq, head, "nothing stored");

    // The refusal's body carries the preview as its reason.
    let body = serde_json::to_vec(&wrong).unwrap();
    let path = format!("/v1/events/{EVENT}/bundle?source=programme");
    let bearer = format!("Bearer {token}");
    let answer = marktplatz_tests::raw_http::request(
        h.server.addr(),
        "PUT",
        &path,
        &[
            ("authorization", &bearer),
            ("content-type", "application/json"),
        ],
        &body,
    )
    .await;
    assert_eq!(answer.status, 409, "{}", answer.text());
    let refused: ConfirmationRequired = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(refused.code, code::CONFIRMATION_REQUIRED);
    assert_eq!(
        refusal_codes(&refused.preview),
        vec![REFUSAL_REMOVES_MOST_SESSIONS]
    );
    assert_eq!(
        (
            refused.preview.refusals[0].removed,
            refused.preview.refusals[0].of
        ),
        (sessions - 1, sessions)
    );
    assert_eq!(refused.preview.removed.len() as u64, sessions - 1);
    assert_eq!(
        refused,
        ConfirmationRequired {
            preview: preview(&h.url(), &token, &wrong).await,
            ..refused.clone()
        },
        "the reason is the preview"
    );
    // Any other confirmation value is a mistake, not a "no".
    let answer = marktplatz_tests::raw_http::request(
        h.server.addr(),
        "PUT",
        &format!("{path}&confirm=true"),
        &[
            ("authorization", &bearer),
            ("content-type", "application/json"),
        ],
        &body,
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert_eq!(h.admin.head(EVENT).unwrap().seq, head, "nothing stored");

    // Confirmed, it is published.
    let done = try_publish(&h.url(), &token, &wrong, true).await.unwrap();
    assert_eq!(done.removed, sessions - 1);

    // Removing half (not more) needs no confirmation.
    let mut half = programme();
    half.sessions.truncate(2);
    try_publish(&h.url(), &token, &programme(), false)
        .await
        .unwrap();
    let done = try_publish(&h.url(), &token, &half, false).await.unwrap();
    assert_eq!(done.removed, sessions - 2);
}

#[tokio::test]
async fn changing_the_events_days_needs_confirmation() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    publish(&h, &token, "programme", &programme()).await;
    let mut other_year = programme();
    let last = *other_year.event.days.last().unwrap();
    other_year.event.days.push(last.succ_opt().unwrap());
    let previewed = preview(&h.url(), &token, &other_year).await;
    assert_eq!(refusal_codes(&previewed), vec![REFUSAL_CHANGES_DAYS]);
    let err = try_publish(&h.url(), &token, &other_year, false)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Server { code, .. } if code == code::CONFIRMATION_REQUIRED),
        "{err}"
    );
    try_publish(&h.url(), &token, &other_year, true)
        .await
        .unwrap();
    let stored = h.admin.head(EVENT).unwrap();
    assert!(stored.seq > 0);
}

fn location_of(device: &marktplatz_tests::Device, id: &str) -> Option<String> {
    match device.store.entity(EVENT, EntityKind::Session, id).unwrap() {
        Some(Entity::Session(session)) => session.location_id,
        other => panic!("no session {id}: {other:?}"),
    }
}

#[tokio::test]
async fn a_phone_move_survives_an_unchanged_file_and_is_overridden_by_a_changed_one() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let file = programme();
    publish(&h, &token, "programme", &file).await;
    let session = file.sessions[1].clone();
    let filed_at = session.location_id.clone().unwrap();
    assert_ne!(filed_at, "station-3");

    // The organiser moves the session to station 3 from the phone.
    let phone = organiser_device(&h, "organiser", EVENT, &token).await;
    let to_station_3 = Op::SessionMove {
        id: session.id.clone(),
        location_id: "station-3".into(),
    };
    push_one(&phone, &h.url(), EVENT, to_station_3).await;

    // The unchanged file again, with a fixed title: the move stays, the preview says so.
    let mut retitled = file.clone();
    retitled.sessions[1].title.push_str(" (aktualisiert)");
    let previewed = preview(&h.url(), &token, &retitled).await;
    let moved = FieldEdit {
        kind: "session".into(),
        id: session.id.clone(),
        field: "location_id".into(),
        edit: Some(json!("station-3")),
        file: Some(json!(filed_at)),
    };
    assert_eq!(previewed.kept, vec![moved.clone()]);
    assert!(previewed.overridden.is_empty());
    let fields: Vec<&str> = previewed.updated[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, vec!["title"], "the move is not undone");
    let done = try_publish(&h.url(), &token, &retitled, false)
        .await
        .unwrap();
    assert_eq!(
        (done.updated, done.unchanged),
        (1, previewed.outcome.unchanged)
    );
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(
        location_of(&attendee, &session.id).as_deref(),
        Some("station-3")
    );

    // A republish of the same file changes nothing.
    let again = try_publish(&h.url(), &token, &retitled, false)
        .await
        .unwrap();
    assert_eq!((again.updated, again.added, again.removed), (0, 0, 0));

    // The file moves it too (to station 2): the file wins, and the preview names the override.
    let mut moved_in_file = retitled.clone();
    moved_in_file.sessions[1].location_id = Some("station-2".into());
    let previewed = preview(&h.url(), &token, &moved_in_file).await;
    assert!(previewed.kept.is_empty());
    assert_eq!(
        previewed.overridden,
        vec![FieldEdit {
            file: Some(json!("station-2")),
            ..moved
        }]
    );
    try_publish(&h.url(), &token, &moved_in_file, false)
        .await
        .unwrap();
    attendee.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(
        location_of(&attendee, &session.id).as_deref(),
        Some("station-2")
    );
}

/// The event's content as the server holds it now (`GET .../bundle`).
async fn content(h: &Harness) -> serde_json::Value {
    let answer = marktplatz_tests::raw_http::get(
        h.server.addr(),
        &format!("/v1/events/{EVENT}/bundle"),
        &[],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()
}

#[tokio::test]
async fn a_revert_returns_the_content_to_release_n_exactly_and_is_guarded_like_a_publish() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let client = Client::new(fast_client_config()).unwrap();
    let cancel = CancelToken::new();
    // Release 1: the opening only. Release 2: the whole programme. Release 3: two fixes.
    let mut first = programme();
    first.sessions.truncate(1);
    publish(&h, &token, "programme", &first).await;
    let at_release_1 = content(&h).await;
    publish(&h, &token, "programme", &programme()).await;
    let mut fixed = programme();
    fixed.sessions[0].title.push_str(" (neu)");
    fixed.sessions[2].location_id = Some("hall".into());
    publish(&h, &token, "programme", &fixed).await;
    assert_ne!(content(&h).await, at_release_1);
    let head = h.admin.head(EVENT).unwrap().seq;

    // Previewable: back to one session removes three of four, so it needs confirmation.
    let url = h.url();
    let to = target(&url, &token, false);
    let previewed = marktplatz_publish::preview_revert(&client, &to, 1, &cancel)
        .await
        .unwrap();
    assert_eq!(
        refusal_codes(&previewed),
        vec![REFUSAL_REMOVES_MOST_SESSIONS]
    );
    assert_eq!(previewed.removed.len(), programme().sessions.len() - 1);
    let fields: Vec<&str> = previewed.updated[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, vec!["title"], "{previewed:?}");
    let err = marktplatz_publish::revert(&client, &to, 1, &cancel)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Server { code, .. } if code == code::CONFIRMATION_REQUIRED),
        "{err}"
    );
    assert_eq!(h.admin.head(EVENT).unwrap().seq, head, "nothing stored");

    // Confirmed: new changes (the log moves forward), the content of release 1 exactly.
    let confirmed = target(&url, &token, true);
    let done = marktplatz_publish::revert(&client, &confirmed, 1, &cancel)
        .await
        .unwrap();
    assert_eq!(
        (done.added, done.updated, done.removed),
        (
            previewed.outcome.added,
            previewed.outcome.updated,
            previewed.outcome.removed
        )
    );
    assert!(done.seq > head);
    assert_eq!(content(&h).await, at_release_1);
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    assert!(!super::publish_sources::has(
        &attendee,
        EntityKind::Session,
        &programme().sessions[1].id
    ));

    // The revert is release 4, of the programme, saying what it did.
    let list = marktplatz_publish::releases(&client, &h.url(), &token, EVENT, &cancel)
        .await
        .unwrap()
        .releases;
    assert_eq!(
        (
            list[0].number,
            list[0].source.as_str(),
            list[0].note.as_str()
        ),
        (4, "programme", "revert to release 1")
    );
    // A release that does not exist is named.
    let err = marktplatz_publish::revert(&client, &confirmed, 9, &cancel)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no release 9"), "{err}");
}

/// The token's operations a publish undid (`GET .../ops/overridden`): (key, release).
async fn overridden(h: &Harness, token: &str) -> Vec<(String, u64)> {
    let bearer = format!("Bearer {token}");
    let answer = marktplatz_tests::raw_http::get(
        h.server.addr(),
        &format!("/v1/events/{EVENT}/ops/overridden"),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let list: marktplatz_model::preview::OverriddenOps =
        serde_json::from_slice(&answer.body).unwrap();
    list.overridden
        .into_iter()
        .map(|o| (o.key, o.release))
        .collect()
}

#[tokio::test]
async fn an_operation_a_publish_undid_is_reported_overridden_by_that_release() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let file = programme();
    publish(&h, &token, "programme", &file).await;
    let id = file.sessions[1].id.clone();
    let phone = organiser_device(&h, "organiser", EVENT, &token).await;
    let edit = |title: &str| Op::SessionEdit {
        id: id.clone(),
        title: Some(title.into()),
        subtitle: None,
        abstract_text: None,
        description: None,
    };
    // A move, and two title edits (the second supersedes the first).
    let moved = phone
        .store
        .queue_op(
            EVENT,
            Op::SessionMove {
                id: id.clone(),
                location_id: "station-3".into(),
            },
        )
        .unwrap()
        .key;
    let first_title = phone
        .store
        .queue_op(EVENT, edit("Erster Titel"))
        .unwrap()
        .key;
    let retitled = phone
        .store
        .queue_op(EVENT, edit("Zweiter Titel"))
        .unwrap()
        .key;
    assert_eq!(
        phone
            .sync(&h.url(), EVENT)
            .await
            .unwrap()
            .push
            .unwrap()
            .accepted,
        3
    );
    assert!(overridden(&h, &token).await.is_empty());

    // The unchanged file again (release 2): both edits stay, nothing is overridden.
    publish(&h, &token, "programme", &file).await;
    assert!(overridden(&h, &token).await.is_empty());

    // Release 3 moves the session in the file: the move is overridden, the title stays.
    let mut moved_in_file = file.clone();
    moved_in_file.sessions[1].location_id = Some("station-2".into());
    publish(&h, &token, "programme", &moved_in_file).await;
    assert_eq!(overridden(&h, &token).await, vec![(moved.clone(), 3)]);
    // The phone's outbox says so at its next sync, not "done".
    phone.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(
        outbox_states(&phone),
        vec![
            (moved.clone(), OpState::Overridden, Some(3)),
            (first_title.clone(), OpState::Done, None),
            (retitled.clone(), OpState::Done, None),
        ]
    );

    // Release 4 retitles it: the second title edit is overridden; the first was superseded.
    moved_in_file.sessions[1].title = "Titel aus der Datei".into();
    publish(&h, &token, "programme", &moved_in_file).await;
    assert_eq!(
        overridden(&h, &token).await,
        vec![(moved.clone(), 3), (retitled.clone(), 4)]
    );
    phone.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(
        outbox_states(&phone),
        vec![
            (moved, OpState::Overridden, Some(3)),
            (first_title, OpState::Done, None),
            (retitled, OpState::Overridden, Some(4)),
        ]
    );
}

/// The phone's outbox, oldest first: key, state, the release that overrode it.
fn outbox_states(phone: &marktplatz_tests::Device) -> Vec<(String, OpState, Option<u64>)> {
    phone
        .store
        .outbox(EVENT, true)
        .unwrap()
        .into_iter()
        .map(|e| (e.key, e.state, e.overridden_by))
        .collect()
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The console's gallery and hall map (`docs/adr/0016-organiser-console.md`): photos uploaded
//! from a browser lose their location before anyone can download them (full image and
//! thumbnail), several at once are all kept or none, captions and removals and a station's
//! place on the plan reach a device that syncs; a forged form and another event's session
//! change nothing.

use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::{photo_jpeg, photo_jpeg_with_gps};
use marktplatz_tests::raw_http::{RawResponse, get, request};

use super::console::{Browser, EVENT, OTHER, encode, form_value, post_form, sign_in};

const GPS: &[u8] = b"GPS 52.5200N";
const BOUNDARY: &str = "----marktplatz-test-boundary";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// A part of a multipart form: a text field, or a file with its name.
enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("content-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File(name, file, bytes) => {
                body.extend_from_slice(
                    format!(
                        "content-disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\ncontent-type: image/jpeg\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(b: &Browser, path: &str, body: &[u8]) -> RawResponse {
    let origin = format!("http://{}", b.addr);
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    request(
        b.addr,
        "POST",
        path,
        &[
            ("cookie", &b.cookie),
            ("origin", &origin),
            ("content-type", &content_type),
        ],
        body,
    )
    .await
}

async fn page(b: &Browser, path: &str) -> String {
    let answer = get(b.addr, path, &[("cookie", &b.cookie)]).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.text()
}

fn gallery_path() -> String {
    format!("/organiser/{EVENT}/gallery")
}

/// Uploads `files` (name, bytes) with `captions` from a freshly rendered gallery page.
async fn upload(b: &Browser, files: &[(&str, &[u8])], captions: &str) -> RawResponse {
    let rendered = page(b, &gallery_path()).await;
    let key = form_value(&rendered, "key");
    let mut parts = vec![
        Part::Text("csrf", &b.csrf),
        Part::Text("key", &key),
        Part::Text("captions", captions),
    ];
    parts.extend(
        files
            .iter()
            .map(|(name, bytes)| Part::File("photos", name, bytes)),
    );
    post_multipart(b, &gallery_path(), &multipart(&parts)).await
}

#[tokio::test]
async fn photos_from_the_console_reach_a_device_without_their_location() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let b = sign_in(&h, EVENT).await;

    let phone = photo_jpeg_with_gps(1200, 800);
    assert!(contains(&phone, GPS));
    let plain = photo_jpeg(640, 480);
    let sent = upload(
        &b,
        &[("IMG_0001.jpg", &phone), ("halle.jpg", &plain)],
        "Eröffnung in der Markthalle\n",
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    let shown = page(&b, sent.header("location").unwrap()).await;
    assert!(shown.contains("role=\"status\""), "{shown}");
    assert!(shown.contains("Eröffnung in der Markthalle"), "{shown}");
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 2);

    attendee.sync(&h.url(), EVENT).await.unwrap();
    let gallery = attendee.store.gallery(EVENT).unwrap();
    assert_eq!(gallery.len(), 2, "{gallery:?}");
    let opening = gallery
        .iter()
        .find(|g| g.caption == "Eröffnung in der Markthalle")
        .unwrap();
    let other = gallery.iter().find(|g| g.id != opening.id).unwrap();
    assert_eq!(other.caption, "", "a photo without a caption line has none");
    let thumb = opening.thumbnail.as_ref().expect("a thumbnail");
    assert_ne!(
        thumb.sha256, opening.image.sha256,
        "a large photo gets its own"
    );
    assert_eq!(
        (opening.image.width, opening.image.height),
        (Some(800), Some(1200)),
        "upright: the orientation is kept"
    );
    for asset in [&opening.image, thumb] {
        let served = get(b.addr, &format!("/v1/assets/{}", asset.sha256), &[]).await;
        assert_eq!(served.status, 200);
        assert!(
            !contains(&served.body, GPS),
            "the location reached attendees"
        );
        assert!(!contains(&served.body, b"Musterstrasse"), "the comment too");
    }

    // A caption edited: the image and thumbnail stay.
    let rendered = page(&b, &gallery_path()).await;
    let at = rendered.find(&format!("/gallery/{}\"", other.id)).unwrap();
    let form = &rendered[at..];
    let body = format!(
        "csrf={}&key={}&base={}&caption={}",
        b.csrf,
        form_value(form, "key"),
        form_value(form, "base"),
        encode("Blick in die Halle")
    );
    let path = format!("{}/{}", gallery_path(), other.id);
    let saved = post_form(b.addr, &path, &b.cookie, &body).await;
    assert_eq!(saved.status, 303, "{}", saved.text());
    // The same form again, based on the old version: a conflict, nothing overwritten.
    let stale = format!(
        "csrf={}&key={}&base={}&caption={}",
        b.csrf,
        "A".repeat(43),
        form_value(form, "base"),
        encode("Alte Fassung")
    );
    let conflict = post_form(b.addr, &path, &b.cookie, &stale).await;
    assert_eq!(conflict.status, 409, "{}", conflict.text());
    assert!(
        conflict.text().contains("value=\"Alte Fassung\""),
        "input kept"
    );

    // Removed after the confirmation page.
    let confirm = page(&b, &format!("{}/{}/remove", gallery_path(), opening.id)).await;
    let body = format!(
        "csrf={}&key={}&base={}",
        b.csrf,
        form_value(&confirm, "key"),
        form_value(&confirm, "base")
    );
    let removed = post_form(
        b.addr,
        &format!("{}/{}/remove", gallery_path(), opening.id),
        &b.cookie,
        &body,
    )
    .await;
    assert_eq!(removed.status, 303, "{}", removed.text());

    attendee.sync(&h.url(), EVENT).await.unwrap();
    let gallery = attendee.store.gallery(EVENT).unwrap();
    assert_eq!(gallery.len(), 1, "{gallery:?}");
    assert_eq!(gallery[0].caption, "Blick in die Halle");
    assert_eq!(gallery[0].image, other.image);
    assert_eq!(gallery[0].thumbnail, other.thumbnail);
}

#[tokio::test]
async fn an_upload_with_a_bad_file_keeps_none_of_its_photos_and_names_the_file() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let b = sign_in(&h, EVENT).await;
    let good = photo_jpeg(320, 240);
    let whole = photo_jpeg(300, 200);
    let cut = &whole[..whole.len() - 40];
    for (name, bad) in [
        ("programm.pdf", &b"%PDF-1.7 not a photo"[..]),
        ("abgeschnitten.jpg", cut),
    ] {
        let sent = upload(&b, &[("gut.jpg", &good), (name, bad)], "Gut\nSchlecht").await;
        assert_eq!(sent.status, 422, "{}", sent.text());
        let text = sent.text();
        assert!(
            text.contains(&format!("„{name}“")),
            "names the file: {text}"
        );
        assert!(!text.contains("„gut.jpg“"), "only the bad one: {text}");
        assert!(text.contains("Es wurde kein Foto"), "{text}");
        assert!(text.contains("Gut\nSchlecht"), "captions kept: {text}");
        assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);
    }
    let sha = marktplatz_model::assets::sha256_hex(&good);
    let stored = get(b.addr, &format!("/v1/assets/{sha}"), &[]).await;
    assert_eq!(stored.status, 404, "nothing of the upload stored");
    // No file at all.
    let none = upload(&b, &[], "").await;
    assert_eq!(none.status, 422);
    assert!(
        none.text().contains("mindestens ein Foto"),
        "{}",
        none.text()
    );
}

#[tokio::test]
async fn a_forged_upload_or_another_events_session_changes_nothing() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.publish(&small_bundle(OTHER));
    let b = sign_in(&h, EVENT).await;
    let photo = photo_jpeg(64, 64);
    // No CSRF token (or a wrong one first): refused before the files are looked at.
    for csrf in ["", "wrong"] {
        let mut parts = Vec::new();
        if !csrf.is_empty() {
            parts.push(Part::Text("csrf", csrf));
        }
        parts.push(Part::File("photos", "a.jpg", &photo));
        let sent = post_multipart(&b, &gallery_path(), &multipart(&parts)).await;
        assert_eq!(sent.status, 403, "{}", sent.text());
    }
    // The token after the files: refused as well (it must come first).
    let late = multipart(&[
        Part::File("photos", "a.jpg", &photo),
        Part::Text("csrf", &b.csrf),
    ]);
    assert_eq!(post_multipart(&b, &gallery_path(), &late).await.status, 403);
    // This event's session on another event's gallery: refused before the body is read.
    let other = post_multipart(
        &b,
        &format!("/organiser/{OTHER}/gallery"),
        &multipart(&[
            Part::Text("csrf", &b.csrf),
            Part::File("photos", "a.jpg", &photo),
        ]),
    )
    .await;
    assert_eq!(other.status, 403, "{}", other.text());
    let other_page = get(
        b.addr,
        &format!("/organiser/{OTHER}/gallery"),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert_eq!(other_page.status, 403);
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);
    assert_eq!(h.admin.applied_ops(OTHER).unwrap(), 0);
    let sha = marktplatz_model::assets::sha256_hex(&photo);
    assert_eq!(
        get(b.addr, &format!("/v1/assets/{sha}"), &[]).await.status,
        404
    );
}

#[tokio::test]
async fn the_hall_plan_and_a_click_on_it_reach_a_device_and_the_attendee_programme() {
    use marktplatz_model::model::{Entity, EntityKind, MapPosition};

    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let b = sign_in(&h, EVENT).await;
    let map_path = format!("/organiser/{EVENT}/map");

    // A plan that is no image: refused, named, nothing set.
    let rendered = page(&b, &map_path).await;
    let plan_form = &rendered[rendered.find("/map/plan").unwrap()..];
    let (key, base) = (form_value(plan_form, "key"), form_value(plan_form, "base"));
    let bad = multipart(&[
        Part::Text("csrf", &b.csrf),
        Part::Text("key", &key),
        Part::Text("base", &base),
        Part::File("plan", "hallenplan.docx", b"PK\x03\x04 not an image"),
    ]);
    let refused = post_multipart(&b, &format!("{map_path}/plan"), &bad).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(
        refused.text().contains("„hallenplan.docx“"),
        "{}",
        refused.text()
    );
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);

    // A plan from a phone: stripped of its location, set on the event.
    let plan = photo_jpeg_with_gps(400, 800);
    let good = multipart(&[
        Part::Text("csrf", &b.csrf),
        Part::Text("key", &key),
        Part::Text("base", &base),
        Part::File("plan", "hallenplan.jpg", &plan),
    ]);
    let sent = post_multipart(&b, &format!("{map_path}/plan"), &good).await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    let rendered = page(&b, sent.header("location").unwrap()).await;
    assert!(
        rendered.contains("type=\"image\" name=\"at\""),
        "{rendered}"
    );
    assert!(
        rendered.contains("width=\"800\" height=\"400\""),
        "shown upright at its own size: {rendered}"
    );

    // Station 2 placed by a click at (200, 100) of the 800 x 400 plan; station 3 typed.
    let click_form = &rendered[rendered.find("data-station=\"station-2\"").unwrap()..];
    let start = rendered[..rendered.len() - click_form.len()]
        .rfind("<form")
        .unwrap();
    let click_form = &rendered[start..];
    let body = format!(
        "csrf={}&key={}&base={}&station=station-2&at.x=200&at.y=100",
        b.csrf,
        form_value(click_form, "key"),
        form_value(click_form, "base"),
    );
    let placed = post_form(b.addr, &format!("{map_path}/place"), &b.cookie, &body).await;
    assert_eq!(placed.status, 303, "{}", placed.text());
    let rendered = page(&b, &map_path).await;
    let table_form = &rendered[rendered.find("id=\"at-3\"").unwrap()..];
    let body = format!(
        "csrf={}&key={}&base={}&station=station-3&x=12%2C5&y=90",
        b.csrf,
        form_value(table_form, "key"),
        form_value(table_form, "base"),
    );
    let typed = post_form(b.addr, &format!("{map_path}/place"), &b.cookie, &body).await;
    assert_eq!(typed.status, 303, "{}", typed.text());
    // Outside the plan: refused at the form, nothing changed.
    let outside = format!(
        "csrf={}&key={}&base=1&station=station-1&x=101&y=5",
        b.csrf,
        "B".repeat(43)
    );
    let outside = post_form(b.addr, &format!("{map_path}/place"), &b.cookie, &outside).await;
    assert_eq!(outside.status, 422, "{}", outside.text());
    // Forged: no token.
    let forged = post_form(
        b.addr,
        &format!("{map_path}/place"),
        &b.cookie,
        &format!("key={}&base=1&station=station-1&x=5&y=5", "C".repeat(43)),
    )
    .await;
    assert_eq!(forged.status, 403);
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 3);

    attendee.sync(&h.url(), EVENT).await.unwrap();
    let places = attendee.store.locations(EVENT).unwrap();
    let at = |id: &str| places.iter().find(|l| l.id == id).unwrap().position;
    assert_eq!(at("station-2"), Some(MapPosition { x: 0.25, y: 0.25 }));
    assert_eq!(at("station-3"), Some(MapPosition { x: 0.125, y: 0.9 }));
    assert_eq!(
        at("station-1"),
        Some(MapPosition { x: 0.2, y: 0.5 }),
        "unchanged"
    );
    let Some(Entity::Event(event)) = attendee
        .store
        .entity(EVENT, EntityKind::Event, EVENT)
        .unwrap()
    else {
        panic!("no event");
    };
    let map = event.venue.map.expect("the plan on the device");
    assert_eq!((map.width, map.height), (Some(800), Some(400)));
    let served = get(b.addr, &format!("/v1/assets/{}", map.sha256), &[]).await;
    assert_eq!(served.status, 200);
    assert!(
        !contains(&served.body, GPS),
        "the plan's location reached attendees"
    );

    // The attendee programme's hall map: the plan with the pin where it was clicked.
    let stations = get(b.addr, &format!("/e/{EVENT}/stations"), &[]).await;
    assert_eq!(stations.status, 200);
    let text = stations.text();
    assert!(
        text.contains(&format!("/v1/assets/{}", map.sha256)),
        "{text}"
    );
    assert!(text.contains("cx=\"200\" cy=\"100\""), "{text}");
}

#[tokio::test]
async fn an_exhibitors_contact_and_logo_reach_a_device_and_a_bad_address_is_marked() {
    use marktplatz_model::model::{Entity, EntityKind};

    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let b = sign_in(&h, EVENT).await;
    let list = page(&b, &format!("/organiser/{EVENT}/edit/exhibitors")).await;
    assert!(list.contains("IT-Dienstleister Nord"), "{list}");
    let path = format!("/organiser/{EVENT}/edit/exhibitors/itdz");
    let rendered = page(&b, &path).await;
    let (key, base) = (form_value(&rendered, "key"), form_value(&rendered, "base"));
    let logo = photo_jpeg_with_gps(300, 200);
    let send = |website: &'static str, csrf: &'static str| {
        let (key, base, logo, b) = (key.clone(), base.clone(), logo.clone(), &b);
        let path = path.clone();
        async move {
            let csrf = if csrf.is_empty() {
                b.csrf.clone()
            } else {
                csrf.to_string()
            };
            let body = multipart(&[
                Part::Text("csrf", &csrf),
                Part::Text("key", &key),
                Part::Text("base", &base),
                Part::Text("name", "IT-Dienstleister Nord eG"),
                Part::Text("description", "Rechenzentrum für Kommunen."),
                Part::Text("topics", "E-Rechnung\nCloud\n\nOZG"),
                Part::Text("website", website),
                Part::Text("email", "kommunen@itdz-nord.de"),
                Part::Text("phone", "+49 421 361-0"),
                Part::File("logo", "logo.jpg", &logo),
            ]);
            post_multipart(b, &path, &body).await
        }
    };
    // A script address: marked at its field, nothing changed, no logo stored.
    let refused = send("javascript:alert(1)", "").await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    assert!(text.contains("id=\"website-error\""), "{text}");
    assert!(
        text.contains("value=\"kommunen@itdz-nord.de\""),
        "input kept: {text}"
    );
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);
    // Forged: refused before anything is read.
    let forged = send("https://www.itdz-nord.de", "forged").await;
    assert_eq!(forged.status, 403);
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);

    let saved = send("https://www.itdz-nord.de", "").await;
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 1);
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let Some(Entity::Exhibitor(x)) = attendee
        .store
        .entity(EVENT, EntityKind::Exhibitor, "itdz")
        .unwrap()
    else {
        panic!("no exhibitor");
    };
    assert_eq!(x.name, "IT-Dienstleister Nord eG");
    assert_eq!(x.topics, ["E-Rechnung", "Cloud", "OZG"]);
    assert_eq!(x.website.as_deref(), Some("https://www.itdz-nord.de"));
    let contact = x.contact.unwrap();
    assert_eq!(contact.email.as_deref(), Some("kommunen@itdz-nord.de"));
    assert_eq!(contact.phone.as_deref(), Some("+49 421 361-0"));
    let logo = x.logo.expect("the logo on the device");
    let served = get(b.addr, &format!("/v1/assets/{}", logo.sha256), &[]).await;
    assert_eq!(served.status, 200);
    assert!(
        !contains(&served.body, GPS),
        "the logo's location reached attendees"
    );
}

/// The part of `page` from the form whose action ends in `action` on.
fn form_at<'p>(page: &'p str, action: &str) -> &'p str {
    let marker = format!("action=\"/organiser/{EVENT}/edit/info{action}");
    &page[page
        .find(&marker)
        .unwrap_or_else(|| panic!("no form {action}: {page}"))..]
}

#[tokio::test]
async fn info_pages_are_added_edited_reordered_and_removed_for_a_device() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let before = attendee.store.info_pages(EVENT).unwrap().len();
    let b = sign_in(&h, EVENT).await;
    let path = format!("/organiser/{EVENT}/edit/info");
    let post = |action: &str, form: &str, fields: String| {
        let body = format!(
            "csrf={}&key={}&base={}{fields}",
            b.csrf,
            form_value(form, "key"),
            form_value(form, "base")
        );
        let to = format!("{path}{action}");
        let (addr, cookie) = (b.addr, b.cookie.clone());
        async move { post_form(addr, &to, &cookie, &body).await }
    };

    // A title left empty is marked at its field, the text kept, nothing added.
    let rendered = page(&b, &path).await;
    let empty = post(
        "",
        form_at(&rendered, "\""),
        format!("&title=&body={}&order=1", encode("Bus 201")),
    )
    .await;
    assert_eq!(empty.status, 422, "{}", empty.text());
    assert!(
        empty.text().contains("id=\"title-new-error\""),
        "{}",
        empty.text()
    );
    assert!(empty.text().contains("Bus 201"), "input kept");
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);

    for (title, body, order) in [
        ("Anreise", "Bus 201 bis Markthalle.", "2"),
        ("Verpflegung", "Mittagessen im Foyer", "3"),
    ] {
        let rendered = page(&b, &path).await;
        let fields = format!(
            "&title={}&body={}&order={order}",
            encode(title),
            encode(body)
        );
        let added = post("", form_at(&rendered, "\""), fields).await;
        assert_eq!(added.status, 303, "{}", added.text());
    }
    let id_of = |rendered: &str, title: &str| {
        let at = rendered.find(&format!(">{title}</h2>")).unwrap();
        let id = rendered[..at].rsplit("id=\"page-").next().unwrap();
        id.split('"').next().unwrap().to_string()
    };
    // Verpflegung edited and moved to the top; Anreise removed.
    let rendered = page(&b, &path).await;
    let (anreise, verpflegung) = (id_of(&rendered, "Anreise"), id_of(&rendered, "Verpflegung"));
    assert!(
        rendered.find(">Anreise</h2>") < rendered.find(">Verpflegung</h2>"),
        "in their order"
    );
    let edited = post(
        &format!("/{verpflegung}"),
        form_at(&rendered, &format!("/{verpflegung}\"")),
        format!(
            "&title=Verpflegung&body={}&order=-1",
            encode("Mittagessen im Foyer, vegetarisch")
        ),
    )
    .await;
    assert_eq!(edited.status, 303, "{}", edited.text());
    let rendered = page(&b, &path).await;
    assert!(
        rendered.find(">Verpflegung</h2>") < rendered.find(">WLAN</h2>"),
        "now first"
    );
    let removed = post(
        &format!("/{anreise}/remove"),
        form_at(&rendered, &format!("/{anreise}/remove\"")),
        String::new(),
    )
    .await;
    assert_eq!(removed.status, 303, "{}", removed.text());
    // A stale edit of the removed page: a conflict, nothing changed.
    let stale = post(
        &format!("/{anreise}"),
        form_at(&rendered, &format!("/{anreise}\"")),
        "&title=Anreise+neu&body=&order=1".into(),
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.text());
    assert!(stale.text().contains("value=\"Anreise neu\""), "input kept");
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 4);

    attendee.sync(&h.url(), EVENT).await.unwrap();
    let pages = attendee.store.info_pages(EVENT).unwrap();
    assert_eq!(pages.len(), before + 1, "{pages:?}");
    assert_eq!(
        pages[0].title, "Verpflegung",
        "first by its order: {pages:?}"
    );
    assert_eq!(pages[0].body, "Mittagessen im Foyer, vegetarisch");
    assert_eq!(pages[0].sort_order, -1);
    assert!(!pages.iter().any(|p| p.title.starts_with("Anreise")));
    // The attendee programme's info page shows it.
    let info = get(b.addr, &format!("/e/{EVENT}/info"), &[]).await;
    assert!(
        info.text().contains("Mittagessen im Foyer, vegetarisch"),
        "{}",
        info.text()
    );
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Search on the web programme over loopback (issue 20): the server answers with the phones'
//! engine (folding, compound parts, one typo), hits grouped by kind with `<mark>` around
//! escaped text, the same gate and caching as every programme page, a fragment for search as
//! you type, and any typed text is only text.

use marktplatz_model::bundle::Bundle;
use marktplatz_model::wire::ACCESS_CODE_HEADER;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http::{RawResponse, get};

const EVENT: &str = "mp-nordwest";
const CODE: &str = "Markthalle-2027";
const DE: (&str, &str) = ("accept-language", "de");

/// The small fair plus a portal talk on a street and a title that is markup.
fn bundle() -> Bundle {
    let mut bundle = small_bundle(EVENT);
    let mut portal = bundle.sessions[0].clone();
    portal.id = "portal".into();
    portal.title = "Das Bürgerportal an der Langen Straße".into();
    portal.abstract_text = "Anträge online stellen.".into();
    let mut hostile = bundle.sessions[1].clone();
    hostile.id = "hostile".into();
    hostile.title = "<script>alert(1)</script> Portal-Sicherheit".into();
    bundle.sessions.push(portal);
    bundle.sessions.push(hostile);
    bundle.validate().unwrap();
    bundle
}

async fn search(h: &Harness, query: &str, headers: &[(&str, &str)]) -> RawResponse {
    let answer = get(
        h.server.addr(),
        &format!("/e/{EVENT}/search?{query}"),
        headers,
    )
    .await;
    assert!(answer.header("set-cookie").is_none(), "a cookie: {query}");
    answer
}

fn results(answer: &RawResponse) -> String {
    assert_eq!(answer.status, 200, "{}", answer.text());
    let csp = answer.header("content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    answer.text()
}

#[tokio::test]
async fn a_german_query_with_a_typo_finds_compound_parts_underlined() {
    let h = Harness::start().await;
    h.publish(&bundle());

    // "portal" is a part of "Bürgerportal"; "Sicherhiet" is one typo from "Sicherheit".
    let page = results(&search(&h, "q=portal+Sicherhiet", &[DE]).await);
    assert!(page.contains("<html lang=\"de\">"), "a whole page");
    assert!(page.contains("role=\"search\""));
    assert!(
        page.contains("<mark>Portal</mark>-<mark>Sicherheit</mark>"),
        "{page}"
    );
    assert!(
        page.contains("value=\"portal Sicherhiet\""),
        "the form keeps the query"
    );
    let page = results(&search(&h, "q=buergerportal", &[DE]).await);
    assert!(page.contains("Das <mark>Bürgerportal</mark>"), "{page}");
    assert!(page.contains("href=\"/e/mp-nordwest/session/portal?lang=de\""));
    assert!(
        page.contains("<h2 id=\"hits-1\">Programm</h2>"),
        "grouped by kind"
    );
    assert!(page.contains("Do 4.3., "), "a session's day and time");

    // Folding: Strasse finds Straße, and the original spelling is underlined.
    let page = results(&search(&h, "q=Strasse", &[DE]).await);
    assert!(page.contains("<mark>Straße</mark>"), "{page}");

    // Speakers and exhibitors have groups of their own; English words with ?lang=en.
    let page = results(&search(&h, "q=rechnung&lang=en", &[DE]).await);
    assert!(page.contains("<html lang=\"en\">"));
    assert!(
        page.contains(">Programme</h2>") && page.contains(">Exhibitors</h2>"),
        "{page}"
    );
    assert!(page.contains("href=\"/e/mp-nordwest/station/station-1?lang=en\""));
}

#[tokio::test]
async fn highlighted_titles_stay_escaped_and_typed_syntax_is_text() {
    let h = Harness::start().await;
    h.publish(&bundle());

    let page = results(&search(&h, "q=script+alert", &[DE]).await);
    assert!(
        page.contains("&#60;<mark>script</mark>&#62;<mark>alert</mark>(1)&#60;/"),
        "{page}"
    );
    assert!(
        !page.contains("<script>alert"),
        "markup from content is text"
    );

    // What is typed is shown escaped and searched as words; nothing errors.
    for typed in [
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "q=%22%22%22",
        "q=NEAR(portal+OR+x)*+AND+-title%3A",
        "q=%27%3B+DROP+TABLE+session%3B--",
        "q=",
        "",
    ] {
        let page = results(&search(&h, typed, &[DE]).await);
        assert!(!page.contains("<script>alert"), "{typed}: {page}");
    }
    let page = results(&search(&h, "q=%3Cb%3Eportal", &[DE]).await);
    assert!(page.contains("value=\"&#60;b&#62;portal\""), "{page}");
    assert!(page.contains("<mark>portal</mark>"), "{page}");

    // A long query is cut, not refused.
    let long = format!("q={}", "portal+".repeat(2000));
    assert_eq!(search(&h, &long, &[DE]).await.status, 200);

    // Nothing typed: the page asks; nothing found: it says so.
    assert!(results(&search(&h, "q=", &[DE]).await).contains("Geben Sie ein, was Sie suchen"));
    assert!(results(&search(&h, "q=xyzzyq", &[DE]).await).contains("Dazu wurde nichts gefunden"));
}

#[tokio::test]
async fn the_fragment_is_the_results_alone_and_answers_304_to_its_etag() {
    let h = Harness::start().await;
    h.publish(&bundle());

    let answer = search(&h, "q=portal&fragment=1", &[DE]).await;
    let fragment = results(&answer);
    assert!(!fragment.contains("<html"), "{fragment}");
    assert!(fragment.contains("<mark>portal</mark>") || fragment.contains("<mark>Portal</mark>"));
    let etag = answer.header("etag").unwrap().to_string();
    assert!(answer.header("cache-control").unwrap().contains("max-age"));
    let again = search(&h, "q=portal&fragment=1", &[DE, ("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    // Another query is another answer.
    let other = search(&h, "q=ozg&fragment=1", &[DE]).await;
    assert_ne!(other.header("etag").unwrap(), etag);

    // A publish moves the head: the index is rebuilt and the new title is found.
    let mut changed = bundle();
    changed.sessions[0].title = "Zukunftswerkstatt Verwaltung".into();
    h.publish(&changed);
    let page = results(&search(&h, "q=zukunftswerkstatt&fragment=1", &[DE]).await);
    assert!(page.contains("<mark>Zukunftswerkstatt</mark>"), "{page}");
    let stale = search(&h, "q=portal&fragment=1", &[DE, ("if-none-match", &etag)]).await;
    assert_eq!(stale.status, 200, "a publish changes the ETag");
}

#[tokio::test]
async fn a_protected_events_search_is_refused_without_its_code() {
    let h = Harness::start().await;
    h.publish(&bundle());
    assert!(!h.admin.set_access_code(EVENT, Some(CODE)).unwrap());

    let refused = search(&h, "q=portal", &[DE]).await;
    let unknown = get(h.server.addr(), "/e/no-such-fair/search?q=portal", &[DE]).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body, unknown.body, "nothing tells that it exists");
    assert!(!refused.text().contains("Bürgerportal"));
    let fragment = search(&h, "q=portal&fragment=1", &[DE]).await;
    assert_eq!(fragment.status, 401);
    assert!(!fragment.text().contains("Bürgerportal"));

    let admitted = search(&h, "q=portal", &[DE, (ACCESS_CODE_HEADER, CODE)]).await;
    assert!(results(&admitted).contains("<mark>portal</mark>"));
    assert!(
        admitted
            .header("cache-control")
            .unwrap()
            .starts_with("private"),
        "a shared cache must not keep a protected search"
    );
}

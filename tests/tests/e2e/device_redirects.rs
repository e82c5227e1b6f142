#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Issue 15 point 7: the device follows a redirect only within the server's own origin, so no
//! credential (access code, organiser token) ever reaches another origin. Two loopback
//! listeners on two ports are two origins.

use std::sync::{Arc, Mutex};

use marktplatz_core::sync;
use marktplatz_model::wire::ACCESS_CODE_HEADER;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::{Fault, Harness};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const EVENT: &str = "mp-nordwest";
const CODE: &str = "Markthalle 2027";

/// A server at another origin that records every request head it gets and answers 404.
async fn other_origin() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = vec![0; 16 * 1024];
            let n = socket.read(&mut buffer).await.unwrap_or(0);
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buffer[..n]).to_string());
            let _ = socket
                .write_all(
                    b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                )
                .await;
        }
    });
    (url, heads)
}

fn redirect_to(location: String) -> Fault {
    Fault::Respond {
        status: 302,
        headers: vec![("location".into(), location)],
        body: Vec::new(),
    }
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_carries_no_credential() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.admin.set_access_code(EVENT, Some(CODE)).unwrap();
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let phone = h.device("phone");
    sync::set_access_code(&phone.store, EVENT, Some(CODE)).unwrap();
    sync::set_organiser(&phone.store, EVENT, &h.url(), &token).unwrap();

    let (elsewhere, heads) = other_origin().await;
    h.proxy.inject(
        "/v1/",
        redirect_to(format!("{elsewhere}/v1/events/{EVENT}/changes")),
        1,
    );
    let error = phone.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(error.to_string().contains("redirect"), "{error}");
    let heads = heads.lock().unwrap().clone();
    assert!(heads.is_empty(), "the other origin was asked: {heads:?}");
    for head in &heads {
        assert!(!head.to_lowercase().contains(ACCESS_CODE_HEADER), "{head}");
        assert!(!head.contains(&token), "{head}");
    }

    // Nothing was lost; the next sync from the server itself works.
    phone.sync(&h.url(), EVENT).await.unwrap();
}

#[tokio::test]
async fn a_redirect_within_the_same_origin_is_followed() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.admin.set_access_code(EVENT, Some(CODE)).unwrap();
    let phone = h.device("phone");
    sync::set_access_code(&phone.store, EVENT, Some(CODE)).unwrap();
    // Once only: the redirected request reaches the server through the proxy.
    h.proxy.inject(
        "/v1/",
        redirect_to(format!("{}/v1/events/{EVENT}/changes", h.url())),
        1,
    );
    let report = phone.sync(&h.url(), EVENT).await.unwrap();
    assert!(report.content.pages > 0);
}

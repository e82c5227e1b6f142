//! In-process requests through the whole middleware stack and the routes, on a real database
//! holding one protected event: the entry point the fuzz targets (`fuzz/fuzz_targets/
//! server_request.rs`, `event_id_path.rs`) and their property-test smokes in `cargo test`
//! drive. Each check panics when the server breaks its promise: no request without the
//! event's code (or a token, of which the probe has none) is ever answered with content.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use marktplatz_model::model::EntityKind;
use marktplatz_model::wire::ACCESS_CODE_HEADER;
use tower::ServiceExt;

use crate::ServerError;
use crate::config::{Config, RateLimit};
use crate::http::{AppState, app};
use crate::store::change_log::{self, NewChange};
use crate::store::{Db, access};

/// The one event of a probe, protected by [`CODE`].
pub const EVENT: &str = "mp-nordwest";
pub const CODE: &str = "Markthalle 2027";
/// Text only the protected event's content holds.
const SECRET: &str = "Secret track";

pub struct Probe {
    runtime: tokio::runtime::Runtime,
    app: Router,
    /// The directory [`Probe::shared`] made, removed when the probe goes.
    owned_dir: Option<std::path::PathBuf>,
}

impl Drop for Probe {
    fn drop(&mut self) {
        if let Some(dir) = &self.owned_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// What came back: status and body.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Answer {
    /// Whether this answer hands out content (or confirms a copy of it, 304).
    pub fn serves(&self) -> bool {
        (200..400).contains(&self.status)
    }

    /// Whether the body shows the protected event's content.
    pub fn reveals_content(&self) -> bool {
        self.body
            .windows(SECRET.len())
            .any(|window| window == SECRET.as_bytes())
    }
}

/// Whether `target` is a page of the organiser console: public pages (sign-in, style sheet,
/// redirects to them) that hold none of an event's content without a signed-in session, which
/// the probe never has.
fn is_console(target: &str) -> bool {
    target
        .parse::<axum::http::Uri>()
        .is_ok_and(|uri| uri.path() == "/organiser" || uri.path().starts_with("/organiser/"))
}

/// Whether `target` is the list of events offered to anyone (`/v1/events`): public by design,
/// it must never name a protected event (ADR 0002, threat model).
fn is_event_list(target: &str) -> bool {
    target
        .parse::<axum::http::Uri>()
        .is_ok_and(|uri| uri.path() == "/v1/events")
}

impl Probe {
    /// A server on a new database in `data_dir` (empty) with [`EVENT`] protected by [`CODE`].
    pub fn open(data_dir: &Path) -> Result<Probe, ServerError> {
        let db = Db::open(data_dir)?;
        db.write_blocking(|tx| {
            change_log::ensure_event(tx, EVENT)?;
            change_log::append(
                tx,
                EVENT,
                &[NewChange {
                    kind: EntityKind::Track,
                    id: "t1".into(),
                    body: Some(format!(r#"{{"id":"t1","name":"{SECRET}"}}"#)),
                }],
            )?;
            access::set(tx, EVENT, Some(CODE))
        })?;
        let mut config = Config::new(
            data_dir,
            "127.0.0.1:0"
                .parse()
                .unwrap_or_else(|_| std::net::SocketAddr::from(([127, 0, 0, 1], 0))),
        );
        // Every request comes from the same (unknown) address: limits would soon answer
        // everything 429 and hide what the gate decides.
        let unlimited = RateLimit {
            burst: u32::MAX / 2,
            per_second: 1e9,
        };
        config.wrong_codes_per_ip = unlimited;
        config.wrong_codes_per_event = unlimited;
        config.rate_limit_per_ip = unlimited;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Probe {
            runtime,
            app: app(AppState::new(db, Arc::new(config))),
            owned_dir: None,
        })
    }

    /// One probe for the whole process, in a new directory under the system's temporary one
    /// (what a fuzz target uses: opening a database per input would be most of the work).
    /// Panics when it cannot be opened: there is nothing to fuzz then.
    pub fn shared() -> &'static Probe {
        static SHARED: std::sync::OnceLock<Probe> = std::sync::OnceLock::new();
        SHARED.get_or_init(|| {
            let salt: u64 = rand::random();
            let dir = std::env::temp_dir().join(format!(
                "marktplatz-probe-{}-{salt:016x}",
                std::process::id()
            ));
            let opened = std::fs::create_dir_all(&dir)
                .map_err(ServerError::from)
                .and_then(|()| Probe::open(&dir));
            match opened {
                Ok(mut probe) => {
                    probe.owned_dir = Some(dir);
                    probe
                }
                Err(e) => panic!("cannot open a probe server in {}: {e}", dir.display()),
            }
        })
    }

    /// Sends one request; `None` when `target` is not a request target at all.
    pub fn send(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Option<Answer> {
        let mut request = Request::builder().method(method).uri(target);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Body::empty()).ok()?;
        self.runtime.block_on(async {
            let response = self.app.clone().oneshot(request).await.ok()?;
            let status = response.status().as_u16();
            let body = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
                .await
                .ok()?;
            Some(Answer {
                status,
                body: body.to_vec(),
            })
        })
    }

    /// Fuzz entry: one byte for the method, a line for the target, then `name: value` lines.
    /// Panics when a request that does not carry the code is answered with content.
    pub fn check_request(&self, input: &[u8]) {
        let Some((&first, rest)) = input.split_first() else {
            return;
        };
        let method = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"][usize::from(first) % 6];
        let text = String::from_utf8_lossy(rest);
        let mut lines = text.split('\n');
        let target = lines.next().unwrap_or_default();
        let headers: Vec<(&str, &str)> = lines
            .take(8)
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim(), value.trim()))
            .collect();
        let carries_code = headers
            .iter()
            .any(|(name, value)| name.eq_ignore_ascii_case(ACCESS_CODE_HEADER) && *value == CODE);
        let Some(answer) = self.send(method, target, &headers) else {
            return;
        };
        if is_console(target) {
            assert!(
                answer.status != 304 && !answer.reveals_content(),
                "{method} {target:?} {headers:?}: a console page without a session was answered {} with the event's content",
                answer.status
            );
            return;
        }
        if is_event_list(target) {
            let names_event = answer
                .body
                .windows(EVENT.len())
                .any(|window| window == EVENT.as_bytes());
            assert!(
                !names_event && !answer.reveals_content(),
                "{method} {target:?} {headers:?}: the public event list named the protected event: {}",
                String::from_utf8_lossy(&answer.body)
            );
            return;
        }
        assert!(
            carries_code || !answer.serves(),
            "{method} {target:?} {headers:?} was answered {} without the code: {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    }

    /// Fuzz entry for event ids in paths: `GET /v1/events/{segment}/head` is never served
    /// without the code, and with it only when `segment` is the event's id as it is.
    pub fn check_event_segment(&self, segment: &str) {
        // Not one path segment ("mp-nordwest/head?" asks for the event's head with a query):
        // [`Probe::check_request`] covers such targets.
        if segment.contains(['/', '?', '#']) {
            return;
        }
        let target = format!("/v1/events/{segment}/head");
        let Some(without) = self.send("GET", &target, &[]) else {
            return;
        };
        assert!(
            !without.serves(),
            "{target:?} was answered {} without the code",
            without.status
        );
        let Some(with) = self.send("GET", &target, &[(ACCESS_CODE_HEADER, CODE)]) else {
            return;
        };
        assert_eq!(
            with.status == 200,
            segment == EVENT,
            "{target:?} with the code was answered {}",
            with.status
        );
    }
}

//! Sync benchmark: bytes on the wire (both directions, headers included, counted by a TCP
//! proxy) and apply times, for our protocol and for the baseline schedule apps use
//! (re-downloading the whole schedule file with an ETag, gzip); beside them the floors of the
//! initial sync that any device pays for the same content (`marktplatz_tests::sync_floors`).
//!
//! `cargo run --release -p marktplatz-tests --bin bench-sync` prints a table and writes
//! `bench-results/sync.json` and `bench-results/sync.md`.

use std::process::ExitCode;
use std::time::Instant;

use chrono::Duration;
use serde::Serialize;

use marktplatz_core::search::{SearchCache, warm_search};
use marktplatz_core::store::Store;
use marktplatz_core::sync::{SyncOptions, apply_page};
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::AssetRef;
use marktplatz_model::wire::Page;
use marktplatz_tests::bench::{Stats, all_events};
use marktplatz_tests::{Device, Harness, Traffic, raw_http, sync_floors};

#[derive(Clone, Copy, Debug, Default, Serialize)]
struct Transfer {
    requests: usize,
    up: u64,
    down: u64,
    total: u64,
    ms: f64,
}

#[derive(Debug, Serialize)]
struct EventFigures {
    /// `demo`, `36c3`, `synthetic-20k`.
    key: String,
    event: String,
    entities: usize,
    sessions: usize,
    initial: Transfer,
    /// The first sync of a device arriving after the others: its pages were compressed again
    /// at the best level after the first device's requests, off the request path.
    initial_later: Transfer,
    /// The first sync including the small assets (logos, photos, map, thumbnails).
    initial_with_assets: Option<Transfer>,
    no_change_poll: Transfer,
    one_session_change: Transfer,
    baseline_initial: Transfer,
    baseline_no_change_poll: Transfer,
    baseline_one_session_change: Transfer,
    /// Applying every page of the initial sync into a fresh store, per entity.
    apply_us_per_entity: f64,
    /// Applying the one-change page (decode, patch, transaction).
    apply_one_change_ms: f64,
    /// baseline_one_session_change.total / one_session_change.total
    one_change_ratio: f64,
    /// End-to-end times over loopback (through the counting proxy), each over several devices:
    /// request, download, apply (and for the initial sync the search index).
    initial_ms: Stats,
    no_change_poll_ms: Stats,
    one_session_change_ms: Stats,
    /// Applying the one-change page alone (decode, patch, transaction), several devices.
    apply_one_change: Stats,
    /// The baseline's time: downloading the file (gzip) plus parsing it into objects.
    baseline_initial_ms: Stats,
    baseline_no_change_poll_ms: Stats,
    baseline_one_session_change_ms: Stats,
    /// Parsing the uncompressed schedule file alone (the baseline's parse, without download).
    baseline_parse_ms: Stats,
    /// The first device's folder after its initial sync and the search warm-up the app runs
    /// after it (content.db, user.db, search.snapshot), closed.
    folder_bytes: u64,
    /// The search warm-up the app runs when a sync changed content (`Device::sync`): the
    /// snapshot built and written to `search.snapshot`, first device. Not in `initial_ms`.
    warm_search_ms: f64,
    /// The schedule file the event came from (36C3: the c3voc JSON; else the bundle's JSON).
    source_bytes: u64,
    /// What any device must at least do with the same content (`sync_floors`).
    floors: Floors,
}

/// The floors of the initial sync, measured in the same run (`marktplatz_tests::sync_floors`).
#[derive(Debug, Serialize)]
struct Floors {
    /// The entities of the initial sync's pages, as they arrived, into one bare table.
    store_bare_ms: Stats,
    /// The same, plus each searched entity's words in FTS5.
    store_searchable_ms: Stats,
    /// The initial sync's pages, uncompressed (JSON), and as one zstd-19 long-window frame.
    pages_bytes: u64,
    pages_best_compressed_bytes: u64,
}

/// Devices per event for the timings (a third of them time the one-change page alone).
fn timing_devices(entities: usize) -> usize {
    if entities > 10_000 { 4 } else { 7 }
}

/// The server's page sizes as in production (the harness's test config makes tiny pages): the
/// bytes of a first sync depend on them (each page is compressed on its own).
fn production_pages(config: &mut marktplatz_server::Config) {
    config.page_limit = marktplatz_server::config::DEFAULT_PAGE_LIMIT;
    config.page_max_bytes = marktplatz_server::config::DEFAULT_PAGE_MAX_BYTES;
}

fn ms_since(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn transfer(h: &Harness, started: Instant) -> Transfer {
    let Traffic { up, down, .. } = h.proxy.traffic();
    Transfer {
        requests: h.proxy.exchanges().len(),
        up,
        down,
        total: up + down,
        ms: started.elapsed().as_secs_f64() * 1000.0,
    }
}

async fn bench_event(
    name: &str,
    mut bundle: Bundle,
    assets: &[(AssetRef, Vec<u8>)],
) -> Result<EventFigures, String> {
    let h = Harness::start_with(production_pages).await;
    let event = bundle.event.id.clone();
    h.admin
        .publish_with_assets(
            bundle.clone(),
            assets.iter().map(|(a, b)| (a, b.as_slice())),
        )
        .map_err(|e| e.message)?;
    let device = h.device("bench-device");
    let content_only = SyncOptions {
        skip_assets: true,
        ..SyncOptions::default()
    };
    let bundle_path = format!("/v1/events/{event}/bundle");
    let gzip = ("accept-encoding", "gzip");

    // Initial sync.
    let initial = counted_sync(&h, &device, &event, &content_only).await?;
    let mut initial_ms = vec![initial.ms];
    // What the app does next (`Device::sync`): build the search's snapshot and persist it.
    let persisted = SearchCache::persisted_in(&device.dir);
    let started = Instant::now();
    warm_search(&device.store, &persisted).map_err(|e| e.to_string())?;
    let warm_search_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Some(problem) = persisted.persist_problem() {
        return Err(format!("search snapshot not written: {problem}"));
    }
    // The folder as it stays on the phone: measured with the device closed (WAL checkpointed).
    drop(persisted);
    drop(device);
    let folder_bytes = folder_size(&h.root.path().join("bench-device"));
    // BENCH_KEEP_FOLDER=<dir>: the folder copied there, to look into (`sqlite3` with dbstat).
    if let Some(keep) = std::env::var_os("BENCH_KEEP_FOLDER") {
        copy_folder(
            &h.root.path().join("bench-device"),
            &std::path::Path::new(&keep).join(name),
        )
        .map_err(|e| format!("keeping the device folder: {e}"))?;
    }
    // The server recompresses each page once at the best level, off the request path (one page
    // at a time; zstd 19 takes seconds per 2 MiB page). The devices timed next, the baseline and
    // the later device's bytes come after it: on this 2-core machine the server's one-off work
    // would otherwise share the cores with the device being timed (ADR 0010 part 6). The first
    // device above still counts among the timings, on the cold server.
    let waited = Instant::now();
    while h.server.pages_recompressing() > 0 && waited.elapsed().as_secs() < 300 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    eprintln!(
        "{name}: waited {:.1} s for the pages' recompression",
        waited.elapsed().as_secs_f64()
    );
    let device = h.device("bench-device");
    // More devices, for the timings (and, after the change below, for timing the delta).
    let mut twins = Vec::new();
    for n in 1..timing_devices(bundle.entity_count()) {
        let twin = h.device(&format!("bench-twin-{n}"));
        let started = Instant::now();
        twin.sync_with(&h.url(), &event, &content_only)
            .await
            .map_err(|e| e.to_string())?;
        initial_ms.push(ms_since(started));
        twins.push(twin);
    }
    // The baseline parses what it downloaded: timed on the uncompressed file (gunzip aside).
    let plain = raw_http::get(h.server.addr(), &bundle_path, &[]).await;
    let parse_ms = || -> Result<f64, String> {
        let started = Instant::now();
        let parsed: Bundle = serde_json::from_slice(&plain.body).map_err(|e| e.to_string())?;
        std::hint::black_box(parsed);
        Ok(ms_since(started))
    };
    let mut baseline_initial_ms = Vec::new();
    let mut baseline_parse_ms = Vec::new();
    let mut baseline_initial = Transfer::default();
    let mut etag = String::new();
    for _ in 0..5 {
        h.proxy.reset_counters();
        let started = Instant::now();
        let first = raw_http::get(h.proxy.addr(), &bundle_path, &[gzip]).await;
        baseline_initial = transfer(&h, started);
        let parse = parse_ms()?;
        baseline_parse_ms.push(parse);
        baseline_initial_ms.push(baseline_initial.ms + parse);
        etag = first.header("etag").unwrap_or_default().to_string();
    }
    let source_bytes = source_file_bytes(name).unwrap_or(plain.body.len() as u64);

    let later = h.device("bench-later");
    let initial_later = counted_sync(&h, &later, &event, &content_only).await?;
    drop(later);

    // The same first sync with the small assets that travel with the content.
    let initial_with_assets = if assets.is_empty() {
        None
    } else {
        let with_assets = h.device("bench-with-assets");
        h.proxy.reset_counters();
        let started = Instant::now();
        let report = with_assets
            .sync(&h.url(), &event)
            .await
            .map_err(|e| e.to_string())?;
        if !report.assets.failed.is_empty() {
            return Err(format!("assets failed: {:?}", report.assets.failed));
        }
        Some(transfer(&h, started))
    };

    // No-change poll.
    let mut no_change_poll = Transfer::default();
    let mut no_change_poll_ms = Vec::new();
    for _ in 0..7 {
        h.proxy.reset_counters();
        let started = Instant::now();
        let report = device
            .sync_with(&h.url(), &event, &content_only)
            .await
            .map_err(|e| e.to_string())?;
        if !report.content.not_modified {
            return Err("the no-change poll was not a 304".into());
        }
        no_change_poll = transfer(&h, started);
        no_change_poll_ms.push(no_change_poll.ms);
    }
    let mut baseline_no_change_poll = Transfer::default();
    let mut baseline_no_change_poll_ms = Vec::new();
    for _ in 0..7 {
        h.proxy.reset_counters();
        let started = Instant::now();
        let poll = raw_http::get(
            h.proxy.addr(),
            &bundle_path,
            &[gzip, ("if-none-match", &etag)],
        )
        .await;
        if poll.status != 304 {
            return Err(format!("baseline poll answered {}", poll.status));
        }
        baseline_no_change_poll = transfer(&h, started);
        baseline_no_change_poll_ms.push(baseline_no_change_poll.ms);
    }

    // One session moves: new time and room (the most common late change).
    let index = bundle.sessions.len() / 2;
    let rooms: Vec<String> = bundle.locations.iter().map(|l| l.id.clone()).collect();
    let session = &mut bundle.sessions[index];
    session.start += Duration::minutes(30);
    session.end += Duration::minutes(30);
    session.location_id = rooms
        .iter()
        .find(|r| Some(*r) != session.location_id.as_ref())
        .cloned();
    let outcome = h.admin.publish(bundle.clone()).map_err(|e| e.message)?;
    if outcome.updated != 1 {
        return Err(format!("expected one update, got {outcome:?}"));
    }
    // The page as the device will get it, for the apply timing below.
    let state = marktplatz_core::sync::pull::sync_state(&device.store, &event)
        .map_err(|e| e.to_string())?;
    let delta_path = format!(
        "/v1/events/{event}/changes/{}/{}",
        state.epoch.unwrap_or_default(),
        state.cursor
    );
    h.proxy.reset_counters();
    let started = Instant::now();
    let report = device
        .sync_with(&h.url(), &event, &content_only)
        .await
        .map_err(|e| e.to_string())?;
    if report.content.summary.total() != 1 {
        return Err(format!(
            "expected one change, got {:?}",
            report.content.summary
        ));
    }
    let one_session_change = transfer(&h, started);
    let mut one_session_change_ms = vec![one_session_change.ms];
    // A third of the twins time the page's apply alone, the others the whole one-change sync.
    let apply_alone = twins.len().div_ceil(3).max(1);
    let mut apply_one_change = Vec::new();
    for (n, twin) in twins.iter().enumerate() {
        if n < apply_alone {
            apply_one_change.push(time_one_change_apply(&h, twin, &event, &delta_path).await?);
        } else {
            let started = Instant::now();
            twin.sync_with(&h.url(), &event, &content_only)
                .await
                .map_err(|e| e.to_string())?;
            one_session_change_ms.push(ms_since(started));
        }
    }
    let plain = raw_http::get(h.server.addr(), &bundle_path, &[]).await;
    let mut baseline_one_session_change = Transfer::default();
    let mut baseline_one_session_change_ms = Vec::new();
    for _ in 0..5 {
        h.proxy.reset_counters();
        let started = Instant::now();
        let again = raw_http::get(
            h.proxy.addr(),
            &bundle_path,
            &[gzip, ("if-none-match", &etag)],
        )
        .await;
        if again.status != 200 {
            return Err(format!("baseline re-download answered {}", again.status));
        }
        baseline_one_session_change = transfer(&h, started);
        let started = Instant::now();
        let parsed: Bundle = serde_json::from_slice(&plain.body).map_err(|e| e.to_string())?;
        std::hint::black_box(parsed);
        baseline_one_session_change_ms.push(baseline_one_session_change.ms + ms_since(started));
    }

    // Apply timings on fresh stores, without the network.
    let apply_us_per_entity = time_initial_apply(&h, &event, name).await?;
    let floors = measure_floors(&h, &event, name).await?;
    let apply_one_change = Stats::of(&apply_one_change);
    let apply_one_change_ms = apply_one_change.median;

    Ok(EventFigures {
        key: String::new(),
        event: name.to_string(),
        entities: bundle.entity_count(),
        sessions: bundle.sessions.len(),
        one_change_ratio: baseline_one_session_change.total as f64
            / one_session_change.total.max(1) as f64,
        initial,
        initial_later,
        initial_with_assets,
        no_change_poll,
        one_session_change,
        baseline_initial,
        baseline_no_change_poll,
        baseline_one_session_change,
        apply_us_per_entity,
        apply_one_change_ms,
        initial_ms: Stats::of(&initial_ms),
        no_change_poll_ms: Stats::of(&no_change_poll_ms),
        one_session_change_ms: Stats::of(&one_session_change_ms),
        apply_one_change,
        baseline_initial_ms: Stats::of(&baseline_initial_ms),
        baseline_no_change_poll_ms: Stats::of(&baseline_no_change_poll_ms),
        baseline_one_session_change_ms: Stats::of(&baseline_one_session_change_ms),
        baseline_parse_ms: Stats::of(&baseline_parse_ms),
        folder_bytes,
        warm_search_ms,
        source_bytes,
        floors,
    })
}

/// One sync of `device`, its traffic counted by the proxy from zero and timed.
async fn counted_sync(
    h: &Harness,
    device: &Device,
    event: &str,
    options: &SyncOptions,
) -> Result<Transfer, String> {
    h.proxy.reset_counters();
    let started = Instant::now();
    device
        .sync_with(&h.url(), event, options)
        .await
        .map_err(|e| e.to_string())?;
    Ok(transfer(h, started))
}

/// Copies the files under `from` to `to` (made if missing).
fn copy_folder(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.metadata()?.is_dir() {
            copy_folder(&entry.path(), &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// The bytes of every file under `dir`.
fn folder_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => folder_size(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

/// The real schedule file an event was imported from (36C3's c3voc JSON); `None` for events
/// made as bundles.
fn source_file_bytes(name: &str) -> Option<u64> {
    name.starts_with("36C3").then(|| {
        let path = marktplatz_tests::shared_data_dir()
            .join("c3voc-json")
            .join("36c3-everything.schedule.json");
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    })
}

/// A page as the server sends it (its JSON) and what it parses to.
async fn fetch_page(h: &Harness, path: &str) -> Result<(Vec<u8>, Page), String> {
    let response = raw_http::get(h.server.addr(), path, &[]).await;
    let page = serde_json::from_slice(&response.body).map_err(|e| format!("{path}: {e}"))?;
    Ok((response.body, page))
}

/// The initial sync's pages as the server sends them to a new device: each page's JSON and
/// the page it parses to.
async fn initial_pages(h: &Harness, event: &str) -> Result<Vec<(Vec<u8>, Page)>, String> {
    let mut path = format!("/v1/events/{event}/changes");
    let mut pages = Vec::new();
    loop {
        let (json, page) = fetch_page(h, &path).await?;
        let more = page.more;
        path = format!(
            "/v1/events/{event}/changes/{}/{}?snapshot={}",
            page.epoch, page.next, page.head
        );
        pages.push((json, page));
        if !more {
            return Ok(pages);
        }
    }
}

async fn time_initial_apply(h: &Harness, event: &str, name: &str) -> Result<f64, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let store = Store::open(dir.path()).map_err(|e| e.to_string())?;
    let mut elapsed = 0.0;
    let mut entities = 0usize;
    for (_, page) in initial_pages(h, event).await? {
        let started = Instant::now();
        apply_page(&store, event, "http://bench", &page, None).map_err(|e| e.to_string())?;
        elapsed += started.elapsed().as_secs_f64();
        entities += page.changes.len();
    }
    eprintln!(
        "{name}: applied {entities} entities in {:.1} ms",
        elapsed * 1000.0
    );
    Ok(elapsed * 1e6 / entities.max(1) as f64)
}

/// The initial sync's pages fetched again, and what storing their entities costs at least:
/// bare, then searchable, alternating, five times each on fresh files.
async fn measure_floors(h: &Harness, event: &str, name: &str) -> Result<Floors, String> {
    let mut pages = Vec::new();
    let mut arrived = Vec::new();
    for (json, page) in initial_pages(h, event).await? {
        pages.extend_from_slice(&json);
        arrived.extend(page.changes.into_iter().filter_map(|change| {
            change.body.map(|body| sync_floors::Arrived {
                kind: change.kind,
                id: change.id,
                body: body.get().to_string(),
            })
        }));
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (mut bare, mut searchable) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        bare.push(sync_floors::store(dir.path(), &arrived, false)?);
        searchable.push(sync_floors::store(dir.path(), &arrived, true)?);
    }
    let best = sync_floors::best_compressed(&pages)?;
    let floors = Floors {
        store_bare_ms: Stats::of(&bare),
        store_searchable_ms: Stats::of(&searchable),
        pages_bytes: pages.len() as u64,
        pages_best_compressed_bytes: best.len() as u64,
    };
    eprintln!(
        "{name}: floors: {} entities stored bare {:.1} ms, searchable {:.1} ms (medians); \
         pages {} bytes, one zstd-19 long frame {} bytes",
        arrived.len(),
        floors.store_bare_ms.median,
        floors.store_searchable_ms.median,
        floors.pages_bytes,
        floors.pages_best_compressed_bytes
    );
    Ok(floors)
}

/// Applies the delta page to a device that is exactly where the benchmark device was before
/// the change.
async fn time_one_change_apply(
    h: &Harness,
    twin: &marktplatz_tests::Device,
    event: &str,
    delta_path: &str,
) -> Result<f64, String> {
    let (_, delta) = fetch_page(h, delta_path).await?;
    let started = Instant::now();
    let applied =
        apply_page(&twin.store, event, &h.url(), &delta, None).map_err(|e| e.to_string())?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if applied.changes.len() != 1 || applied.needs_full {
        return Err(format!("the delta applied as {applied:?}"));
    }
    Ok(ms)
}

/// One real publication after another: what a device and the baseline pay for each.
#[derive(Debug, Serialize)]
struct PublicationStep {
    publication: String,
    added: u64,
    updated: u64,
    removed: u64,
    ours: Transfer,
    baseline: Transfer,
}

async fn bench_publications(
    versions: Vec<(String, Bundle)>,
) -> Result<Vec<PublicationStep>, String> {
    let h = Harness::start_with(production_pages).await;
    let device = h.device("bench-device");
    let content_only = SyncOptions {
        skip_assets: true,
        ..SyncOptions::default()
    };
    let mut etag = String::new();
    let mut steps = Vec::new();
    for (label, bundle) in versions {
        let event = bundle.event.id.clone();
        let outcome = h.admin.publish(bundle).map_err(|e| e.message)?;
        h.proxy.reset_counters();
        let started = Instant::now();
        device
            .sync_with(&h.url(), &event, &content_only)
            .await
            .map_err(|e| e.to_string())?;
        let ours = transfer(&h, started);
        h.proxy.reset_counters();
        let started = Instant::now();
        let path = format!("/v1/events/{event}/bundle");
        let mut headers = vec![("accept-encoding", "gzip")];
        if !etag.is_empty() {
            headers.push(("if-none-match", etag.as_str()));
        }
        let response = raw_http::get(h.proxy.addr(), &path, &headers).await;
        let baseline = transfer(&h, started);
        etag = response.header("etag").unwrap_or_default().to_string();
        steps.push(PublicationStep {
            publication: label,
            added: outcome.added,
            updated: outcome.updated,
            removed: outcome.removed,
            ours,
            baseline,
        });
    }
    Ok(steps)
}

fn publications_markdown(steps: &[PublicationStep]) -> String {
    let mut out = String::from(
        "\n## 36C3, the real successive publications\n\nThe three published versions in \
         `shared/data/c3voc-json` (imported), one after another; each row is what a device that \
         had the previous version pays to get this one.\n\n| publication | added / updated / removed | ours (bytes) | baseline (bytes) | baseline / ours |\n|---|---|---:|---:|---:|\n",
    );
    for step in steps {
        out.push_str(&format!(
            "| {} | {} / {} / {} | {} | {} | {:.1}× |\n",
            step.publication,
            step.added,
            step.updated,
            step.removed,
            step.ours.total,
            step.baseline.total,
            step.baseline.total as f64 / step.ours.total.max(1) as f64
        ));
    }
    out
}

fn row(label: &str, ours: &Transfer, baseline: &Transfer) -> String {
    format!(
        "| {label} | {} | {} | {:.0}× |",
        ours.total,
        baseline.total,
        baseline.total as f64 / ours.total.max(1) as f64
    )
}

fn markdown(figures: &[EventFigures]) -> String {
    let mut out = String::from(
        "# Sync benchmark\n\nBytes on the device's socket, both directions, headers included \
         (counted by a TCP proxy on loopback; plain HTTP/1.1, so TLS would add its own framing). \
         Baseline: re-downloading the whole schedule file with an ETag and gzip, as schedule \
         apps do. Generated by `cargo run --release -p marktplatz-tests --bin bench-sync`.\n",
    );
    for f in figures {
        out.push_str(&format!(
            "\n## {} ({} entities, {} sessions)\n\n| | ours (bytes) | baseline (bytes) | baseline / ours |\n|---|---:|---:|---:|\n",
            f.event, f.entities, f.sessions
        ));
        out.push_str(&row(
            "initial sync (the first device after the publication)",
            &f.initial,
            &f.baseline_initial,
        ));
        out.push('\n');
        out.push_str(&row(
            "initial sync (a later device: pages recompressed)",
            &f.initial_later,
            &f.baseline_initial,
        ));
        out.push('\n');
        if let Some(with_assets) = &f.initial_with_assets {
            out.push_str(&format!(
                "| initial sync with small assets ({} requests) | {} | (schedule file has none) | |\n",
                with_assets.requests, with_assets.total
            ));
        }
        out.push_str(&row(
            "no-change poll",
            &f.no_change_poll,
            &f.baseline_no_change_poll,
        ));
        out.push('\n');
        out.push_str(&row(
            "one-session change",
            &f.one_session_change,
            &f.baseline_one_session_change,
        ));
        out.push_str(&format!(
            "\n\nRequests: initial {}, poll {}, one change {}. Apply: {:.1} µs per entity \
             (initial sync into a fresh store), {:.2} ms for the one-change page.\n",
            f.initial.requests,
            f.no_change_poll.requests,
            f.one_session_change.requests,
            f.apply_us_per_entity,
            f.apply_one_change_ms
        ));
        out.push_str(&format!(
            "\nInitial sync (median of {} devices) {:.1} ms; baseline download + parse {:.1} ms, \
             parsing the file alone {:.1} ms; then the app's search warm-up (snapshot built and \
             written) {:.1} ms. Device folder after both {:.2} MiB, the source file {:.2} MiB \
             ({:.2}×).\n\nFloors (ADR 0010 part 11): the same entities stored as they arrive in one \
             bare table {:.1} ms, searchable (their words in FTS5 too) {:.1} ms (medians); the \
             pages ({} bytes) as one zstd-19 long-window frame {} bytes, {:.2}× the baseline's \
             gzipped download.\n",
            f.initial_ms.n,
            f.initial_ms.median,
            f.baseline_initial_ms.median,
            f.baseline_parse_ms.median,
            f.warm_search_ms,
            f.folder_bytes as f64 / 1048576.0,
            f.source_bytes as f64 / 1048576.0,
            f.folder_bytes as f64 / f.source_bytes.max(1) as f64,
            f.floors.store_bare_ms.median,
            f.floors.store_searchable_ms.median,
            f.floors.pages_bytes,
            f.floors.pages_best_compressed_bytes,
            f.floors.pages_best_compressed_bytes as f64 / f.baseline_initial.total.max(1) as f64
        ));
    }
    out
}

/// Asset references with their bytes, published with an event.
type Assets = Vec<(AssetRef, Vec<u8>)>;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let versions = marktplatz_tests::real_36c3_versions("36c3");
    let only = std::env::var("BENCH_ONLY").ok();
    // demo (with its assets), 36C3 final, synthetic 20,000.
    let events: Vec<(&str, &str, Bundle, Assets)> = all_events()
        .into_iter()
        .filter(|e| only.as_ref().is_none_or(|o| e.key.contains(o.as_str())))
        .map(|e| (e.key, e.name, e.bundle, e.assets))
        .collect();
    let mut figures = Vec::new();
    for (key, name, bundle, assets) in events {
        eprintln!("== {name}");
        match bench_event(name, bundle, &assets).await {
            Ok(mut f) => {
                f.key = key.to_string();
                figures.push(f)
            }
            Err(e) => {
                eprintln!("bench-sync: {name}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let labels = ["day before (first sync)", "day 2", "final"];
    let steps = match bench_publications(
        labels.iter().map(|l| l.to_string()).zip(versions).collect(),
    )
    .await
    {
        Ok(steps) => steps,
        Err(e) => {
            eprintln!("bench-sync: 36C3 publications: {e}");
            return ExitCode::FAILURE;
        }
    };
    let md = markdown(&figures) + &publications_markdown(&steps);
    println!("{md}");
    let dir = marktplatz_tests::bench::results_dir();
    let json = serde_json::to_string_pretty(&serde_json::json!({
        "events": figures,
        "real_36c3_publications": steps,
    }))
    .unwrap_or_default();
    let written = std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(dir.join("sync.json"), json))
        .and_then(|_| std::fs::write(dir.join("sync.md"), &md));
    if let Err(e) = written {
        eprintln!("bench-sync: cannot save results in {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    eprintln!("saved {}/sync.{{json,md}}", dir.display());
    ExitCode::SUCCESS
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The network soak at CI scale: 8 attendees and 2 organisers through a hostile proxy for a
//! few seconds; after healing everything converges, every outbox drains, no request loops.
//! At scale: `scripts/soak.sh 50 300`.

use std::time::Duration;

use marktplatz_tests::soak::{SoakConfig, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn devices_converge_and_outboxes_drain_after_a_hostile_network_heals() {
    let config = SoakConfig::new(8, Duration::from_secs(8), 7);
    let report = run(config)
        .await
        .unwrap_or_else(|failure| panic!("{failure}"));
    println!("{report}");
    assert!(report.tight_loops.is_empty(), "{:?}", report.tight_loops);
    assert!(report.injected.total() > 20, "{report}");
    for (what, count) in [
        ("drops", report.injected.drops),
        ("resets", report.injected.resets),
        ("truncations", report.injected.truncations),
        ("429s", report.injected.too_many),
        ("5xx", report.injected.server_errors),
        ("stale 304s", report.injected.stale_304s),
    ] {
        assert!(count > 0, "no {what} were injected:\n{report}");
    }
    assert!(report.syncs_failed > 0 && report.syncs_ok > 0, "{report}");
    assert!(report.ops_queued > 0 && report.ops_applied == report.ops_queued);
}

//! `bench-server DATA`: the publishing server for `bench server`, run until stdin closes; prints
//! `listening ADDR` first. The production router and allocator (as `marktplatz serve`), with
//! enough connection slots (and long-poll waiters) for every simulated device (the default, 1,024, would queue the rest
//! in the listen backlog; `BENCH_SERVER_PRODUCTION_LIMITS=1` keeps the defaults). Logs at `info` to stderr like `marktplatz serve` (a subscriber is
//! installed, so what tracing costs on the hot path is measured too).

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::PathBuf;

use marktplatz_server::Config;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_number(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn main() {
    let data: PathBuf = std::env::args_os()
        .nth(1)
        .expect("usage: bench-server DATA_DIR")
        .into();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let mut config = Config::new(&data, "127.0.0.1:0".parse().unwrap());
    // `bench server-abuse` measures the production limits as they are.
    if std::env::var_os("BENCH_SERVER_PRODUCTION_LIMITS").is_none() {
        config.max_connections = 20_000;
        config.max_connections_per_ip = 20_000;
        // `bench live`: 10,000 followers' long-polls from one address.
        config.max_waiters_per_ip = 20_000;
    }
    // The server's event loops (default: the cores), for experiments.
    if let Some(loops) = env_number("BENCH_SERVER_LOOPS") {
        config.event_loops = loops as usize;
    }
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    // Scheduler knobs for experiments (`docs/adr/0010-performance.md`, issue 23 part 4); the
    // server's loops are its own since part 5, so these only move what runs here.
    if let Some(ticks) = env_number("BENCH_TOKIO_GLOBAL_QUEUE_INTERVAL") {
        runtime.global_queue_interval(ticks);
    }
    if let Some(ticks) = env_number("BENCH_TOKIO_EVENT_INTERVAL") {
        runtime.event_interval(ticks);
    }
    let runtime = runtime.build().unwrap();
    runtime.block_on(async {
        let server = marktplatz_server::start(config).await.unwrap();
        println!("listening {}", server.addr());
        std::io::stdout().flush().unwrap();
        tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin().read_line(&mut sink).is_ok_and(|n| n > 0) {}
        })
        .await
        .unwrap();
        server.shutdown().await.unwrap();
    });
}

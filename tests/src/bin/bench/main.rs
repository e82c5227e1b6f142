//! `bench PART [ARGS]`: the parts of `scripts/bench.sh` besides `bench-sync` and `bench-search`,
//! in one binary (each release binary costs a fat-LTO link). Each part writes
//! `bench-results/PART.{md,json}`; `report` gathers them all into `report.{md,json}`.
//!
//! ```text
//! bench coldstart                              # first agenda / first search, fresh processes
//! bench memory                                 # peak RSS of sync and search, 20,000 entities
//! bench server                                 # req/s and latency vs nginx (needs nginx, wrk)
//! bench live                                 # 10,000 followers' long-polls: latency, RSS, idle CPU
//! bench server-abuse                           # 304 polls and memory under 1,000 anonymous uploads (wrk)
//! bench publish                               # 36C3 preview + publish vs an unchanged republish
//! bench web-programme                         # the attendee page of a 36C3 day vs the whole bundle
//! bench web-search                            # the web programme's search vs the device's, 36C3
//! bench library STRIPPED.so SYMBOLS.so [OPT]   # the phone library's size, per dependency
//! bench report                                 # bench-results/report.{md,json}
//! bench report profiles LEVEL=DIR...           # the opt-level comparison (bench-profiles.sh)
//! ```
//! The `*-child` parts are the processes the others start.

mod coldstart;
mod coldstart_child;
mod library;
mod live;
mod memory;
mod postgres;
mod publish;
mod report;
mod server;
mod server_abuse;
mod web_programme;
mod web_search;

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    // First: the cold start counts from here.
    let started = Instant::now();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((part, rest)) = args.split_first() else {
        eprintln!(
            "usage: bench coldstart|memory|server|server-abuse|publish|postgres|live|library|report [ARGS] (see the source)"
        );
        return ExitCode::FAILURE;
    };
    match part.as_str() {
        "coldstart" => coldstart::run(),
        "coldstart-child" => coldstart_child::run(started, rest),
        "memory" => memory::parent(),
        "memory-child" => memory::run(rest),
        "server" => server::run(),
        "publish" => publish::run(),
        "postgres" => postgres::run(),
        "server-abuse" => server_abuse::run(),
        "library" => library::run(rest),
        "live" => live::run(),
        "live-child" => live::child(rest),
        "report" => report::run(rest),
        "web-programme" => web_programme::run(),
        "web-search" => web_search::run(),
        other => {
            eprintln!(
                "bench: no part {other:?} (coldstart, memory, server, server-abuse, publish, live, library, report)"
            );
            ExitCode::FAILURE
        }
    }
}

//! A request from the network through the server's whole stack (middleware, routes, store) on
//! a real database holding one protected event: never a panic, and never the event's content
//! (or a 304 for it) without its access code. Entry point: `marktplatz_server::probe`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marktplatz_server::probe::Probe;

fuzz_target!(|data: &[u8]| {
    Probe::shared().check_request(data);
});

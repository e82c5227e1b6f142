//! The end-to-end tests, one binary: a real server on 127.0.0.1, devices with their own store
//! folders, crash and fault harnesses, the importers over ../shared/data. One binary links the
//! workspace once instead of once per file. Run one file's tests with its module name as the
//! filter: `cargo test -p marktplatz-tests --test e2e sync_e2e::`.

mod alerts_real_server;
mod auth_failures;
mod backup;
mod body_dictionary;
mod calendar_feeds;
mod console;
mod console_admin;
mod console_edit;
mod console_media;
mod crash_harness;
mod crash_instances;
mod device_redirects;
mod event_access;
mod event_list;
mod event_loops;
mod favourites_crash;
mod ffi_surface;
mod first_sync;
mod follow_handle;
mod following;
mod hall_plan;
mod import_conformance;
mod live_updates;
mod long_poll_front;
mod organiser_auth;
mod organiser_crash;
mod organiser_ops;
mod persisted_search;
mod photo_privacy;
mod postgres;
mod programme;
mod programme_search;
mod publish_hostile_text;
mod publish_key;
mod publish_preview;
mod publish_sources;
mod restore_epoch;
mod search_quality;
mod server_hardening;
mod server_security;
mod soak;
mod stable_identity;
mod storage_faults;
mod sync_assets;
mod sync_budget;
mod sync_e2e;
mod sync_faults;
mod sync_server;
mod trusted_proxy;

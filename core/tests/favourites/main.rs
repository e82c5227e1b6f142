//! Favourites against real SQLite files: the list and its states, survival of every content
//! reset and a migration, the personal agenda, change alerts, reminders, calendar export and
//! share codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod agenda;
mod alerts;
mod common;
mod ics;
mod lists;
mod real_36c3;
mod reminders;
mod share;

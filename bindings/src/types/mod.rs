//! The core's types, mirrored for uniffi. The core knows nothing of uniffi, so each exported
//! type is restated here field for field (`#[uniffi::remote]`); the compiler checks that every
//! mirror matches its original.

mod favourites;
mod model;
mod organiser;
mod search;
mod sync;
mod views;

use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, Utc};

/// An instant: `java.time.Instant` in Kotlin, `Date` in Swift.
pub type Instant = DateTime<Utc>;
uniffi::custom_type!(Instant, SystemTime, {
    remote,
    lower: |instant| instant.into(),
    try_lift: |time| Ok(DateTime::<Utc>::from(time)),
});

/// A calendar day (`YYYY-MM-DD` on the wire; `java.time.LocalDate` in Kotlin).
pub type LocalDate = NaiveDate;
uniffi::custom_type!(LocalDate, String, {
    remote,
    lower: |day| day.to_string(),
    try_lift: |text| Ok(text.parse::<NaiveDate>()?),
});

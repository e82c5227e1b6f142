//! Wall-clock times as files write them, resolved in the event's zone. A time that does not
//! exist (the night the clocks jump forward) or exists twice (the night they go back) is
//! resolved as `EventClock::instant_of_local` does — after the gap, the earlier of the two —
//! and never silently: the organiser is told which entry, and what time it became.

use chrono::{LocalResult, NaiveDateTime, TimeZone};

use crate::tz;
use crate::warnings::Warnings;
use marktplatz_model::time::EventClock;
use marktplatz_model::zone::Zone;

/// Warns when `wall` is not exactly one instant in `zone`. `subject` names the entry (a CSV
/// row, an event with its title), `field` the column or property.
pub(crate) fn check(
    zone: Zone,
    wall: NaiveDateTime,
    warnings: &mut Warnings,
    subject: &str,
    field: &str,
) {
    let Ok(clock) = EventClock::new(zone.name(), 0) else {
        return;
    };
    let written = wall.format("%Y-%m-%d %H:%M");
    match zone.from_local_datetime(&wall) {
        LocalResult::Single(_) => {}
        LocalResult::None => {
            let resolved = clock.instant_of_local(wall);
            warnings.push(
                subject.to_string(),
                field.to_string(),
                format!(
                    "{written} does not exist in {} (the clocks jump forward that night); it was read as {} ({})",
                    zone.name(),
                    clock.local(resolved).format("%H:%M"),
                    tz::format_offset(tz::offset_at(zone, resolved)),
                ),
            );
        }
        LocalResult::Ambiguous(earlier, _) => {
            warnings.push(
                subject.to_string(),
                field.to_string(),
                format!(
                    "{written} happens twice in {} (the clocks go back that night); the first was used ({})",
                    zone.name(),
                    tz::format_offset(chrono::Offset::fix(earlier.offset())),
                ),
            );
        }
    }
}

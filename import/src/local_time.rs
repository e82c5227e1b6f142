//! Wall-clock times as files write them, resolved in the event's zone. A time that does not
//! exist (the night the clocks jump forward) or exists twice (the night they go back) is
//! resolved as `EventClock::instant_of_local` does — after the gap, the earlier of the two —
//! and never silently: the organiser is told which entry, and what time it became.

use chrono::{LocalResult, NaiveDateTime, TimeZone};

use crate::tz;
use crate::warnings::{Text, Warnings, text};
use marktplatz_model::time::EventClock;
use marktplatz_model::zone::Zone;

/// Warns when `wall` is not exactly one instant in `zone`. `subject` names the entry (a CSV
/// row, an event with its title), `field` the column or property.
pub(crate) fn check(
    zone: Zone,
    wall: NaiveDateTime,
    warnings: &mut Warnings,
    subject: &Text,
    field: &str,
) {
    let Ok(clock) = EventClock::new(zone.name(), 0) else {
        return;
    };
    let written = wall.format("%Y-%m-%d %H:%M");
    let written_de = wall.format("%d.%m.%Y %H:%M");
    let zone_name = zone.name();
    match zone.from_local_datetime(&wall) {
        LocalResult::Single(_) => {}
        LocalResult::None => {
            let resolved = clock.instant_of_local(wall);
            let read_as = clock.local(resolved).format("%H:%M");
            let offset = tz::format_offset(tz::offset_at(zone, resolved));
            warnings.push(
                subject,
                field,
                text!(
                    "{written} does not exist in {zone_name} (the clocks jump forward that night); it was read as {read_as} ({offset})",
                    "{written_de} gibt es in {zone_name} nicht (in der Nacht wird die Uhr vorgestellt); gelesen als {read_as} ({offset})"
                ),
            );
        }
        LocalResult::Ambiguous(earlier, _) => {
            let offset = tz::format_offset(chrono::Offset::fix(earlier.offset()));
            warnings.push(
                subject,
                field,
                text!(
                    "{written} happens twice in {zone_name} (the clocks go back that night); the first was used ({offset})",
                    "{written_de} gibt es in {zone_name} zweimal (in der Nacht wird die Uhr zurückgestellt); die erste wurde verwendet ({offset})"
                ),
            );
        }
    }
}

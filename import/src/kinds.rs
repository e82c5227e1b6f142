//! What a session is, read from the free text of schedule files and spreadsheets: its kind from
//! the type name (or the title), and a cancellation announced in its title.

use marktplatz_model::model::{SessionKind, SessionStatus};

/// Maps the free-text event types schedules use onto the model's kinds.
pub(crate) fn session_kind(type_name: &str, title: &str) -> SessionKind {
    let t = marktplatz_model::text::fold(type_name);
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["keynote"]) || marktplatz_model::text::fold(title).starts_with("keynote") {
        SessionKind::Keynote
    } else if has(&[
        "workshop",
        "hands-on",
        "handson",
        "werkstatt",
        "tutorial",
        "ubung",
    ]) {
        SessionKind::Workshop
    } else if has(&[
        "panel",
        "podium",
        "discussion",
        "diskussion",
        "fishbowl",
        "gesprach",
    ]) {
        SessionKind::Panel
    } else if has(&[
        "break", "pause", "lunch", "mittag", "kaffee", "coffee", "imbiss",
    ]) {
        SessionKind::Break
    } else if t.is_empty()
        || has(&[
            "talk",
            "lecture",
            "vortrag",
            "lightning",
            "devroom",
            "maintrack",
            "normale lange",
            "doppelter slot",
            "session",
            "impuls",
            "prasentation",
            "presentation",
        ])
    {
        SessionKind::Talk
    } else {
        SessionKind::Other
    }
}

/// Schedules have no cancellation field; a title that starts with one of these words says so.
pub(crate) fn status_of(title: &str) -> SessionStatus {
    let t = marktplatz_model::text::fold(title);
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
    if [
        "cancelled",
        "canceled",
        "abgesagt",
        "entfallt",
        "fallt aus",
        "ausgefallen",
    ]
    .iter()
    .any(|w| t.starts_with(w))
    {
        SessionStatus::Cancelled
    } else {
        SessionStatus::Scheduled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_cancellations() {
        assert_eq!(session_kind("lecture", "x"), SessionKind::Talk);
        assert_eq!(
            session_kind("Workshop 50 Minutes", "x"),
            SessionKind::Workshop
        );
        assert_eq!(session_kind("Podiumsdiskussion", "x"), SessionKind::Panel);
        assert_eq!(session_kind("Mittagspause", "x"), SessionKind::Break);
        assert_eq!(session_kind("djset", "x"), SessionKind::Other);
        assert_eq!(session_kind("", "Keynote: Zukunft"), SessionKind::Keynote);
        assert_eq!(status_of("ABGESAGT: Vortrag"), SessionStatus::Cancelled);
        assert_eq!(status_of("[Cancelled] Talk"), SessionStatus::Cancelled);
        assert_eq!(
            status_of("Talk about cancelled flights"),
            SessionStatus::Scheduled
        );
    }
}

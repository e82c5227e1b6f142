//! The shape of the API's paths, for the middleware that looks at a request before its handler
//! (the 304 from memory, the page cache, the device count).

/// `/v1/events/{event}/{rest}` as `(event, rest)`, exactly as sent (not percent-decoded).
pub fn event_path(path: &str) -> Option<(&str, &str)> {
    path.strip_prefix("/v1/events/")?.split_once('/')
}

/// The event of a changes URL (`/v1/events/{event}/changes[/{epoch}/{since}]`).
pub fn changes_event(path: &str) -> Option<&str> {
    let (event, rest) = event_path(path)?;
    is_changes(rest).then_some(event)
}

/// The event a poll is for, the polls the console's device count counts:
/// `/v1/events/{event}/head` and the changes URLs.
pub fn polled_event(path: &str) -> Option<&str> {
    let (event, rest) = event_path(path)?;
    (rest == "head" || is_changes(rest)).then_some(event)
}

/// `changes` or `changes/{...}`, the rest of an event's path after the event.
fn is_changes(rest: &str) -> bool {
    rest.strip_prefix("changes")
        .is_some_and(|tail| tail.is_empty() || tail.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_urls_are_recognised() {
        assert_eq!(changes_event("/v1/events/e1/changes"), Some("e1"));
        assert_eq!(changes_event("/v1/events/e1/changes/Ab/12"), Some("e1"));
        assert_eq!(changes_event("/v1/events/e1/changesx"), None);
        assert_eq!(changes_event("/v1/events/e1/head"), None);
        assert_eq!(changes_event("/v1/events/e1/bundle"), None);
        assert_eq!(changes_event("/v1/assets/abc"), None);
    }

    #[test]
    fn only_polls_name_a_polled_event() {
        assert_eq!(polled_event("/v1/events/e1/head"), Some("e1"));
        assert_eq!(polled_event("/v1/events/e1/changes"), Some("e1"));
        assert_eq!(polled_event("/v1/events/e1/changes/3/10"), Some("e1"));
        assert_eq!(polled_event("/v1/events/e1/changesx"), None);
        assert_eq!(polled_event("/v1/events/e1/headx"), None);
        assert_eq!(polled_event("/v1/events/e1/bundle"), None);
        assert_eq!(polled_event("/v1/assets/x"), None);
    }
}

//! The shape of the API's paths, for the middleware that looks at a request before its handler
//! (the 304 from memory, the page cache).

/// `/v1/events/{event}/{rest}` as `(event, rest)`, exactly as sent (not percent-decoded).
pub fn event_path(path: &str) -> Option<(&str, &str)> {
    path.strip_prefix("/v1/events/")?.split_once('/')
}

/// The event of a changes URL (`/v1/events/{event}/changes[/{epoch}/{since}]`).
pub fn changes_event(path: &str) -> Option<&str> {
    let (event, rest) = event_path(path)?;
    let tail = rest.strip_prefix("changes")?;
    (tail.is_empty() || tail.starts_with('/')).then_some(event)
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
}

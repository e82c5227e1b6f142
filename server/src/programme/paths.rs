//! The attendee pages' addresses: a route's pattern and the links to it (from the pages and
//! from the calendar feeds) come from this one place, so they cannot drift apart.

/// A session's page.
pub const SESSION: &str = "/e/{event}/session/{id}";

/// The path of `session`'s page in `event`, each id one percent-encoded segment.
pub fn session(event: &str, session: &str) -> String {
    SESSION
        .replace("{event}", &segment(event))
        .replace("{id}", &segment(session))
}

/// Percent-encodes everything but unreserved characters (RFC 3986), so an id is one segment
/// (and holds no `{`, so filling one placeholder cannot create another).
fn segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_path_fills_the_route_with_encoded_segments() {
        assert_eq!(session("36c3", "s1"), "/e/36c3/session/s1");
        assert_eq!(session("a b", "{id}/x"), "/e/a%20b/session/%7Bid%7D%2Fx");
    }
}

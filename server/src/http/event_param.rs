//! The `{event}` path parameter of a routed request, read once for the access gate and the
//! extractors alike, so both see the id exactly as the handler does.

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams};
use axum::http::request::Parts;

use marktplatz_model::wire::is_valid_event_id;

use super::error::{ApiError, ApiResult};

/// The `{event}` of a routed request (`None`: the route has none): the parameter as decoded
/// for the handler (the same extraction `Path` uses), which must be a valid event id and
/// spelled in the path exactly so. Valid ids hold only characters a path carries as they are,
/// so a percent-encoded one is refused rather than read two ways (by the handler decoded, by
/// anything keyed by the raw path).
pub async fn event_of(parts: &mut Parts) -> ApiResult<Option<String>> {
    let params = match RawPathParams::from_request_parts(parts, &()).await {
        Ok(params) => params,
        Err(RawPathParamsRejection::MissingPathParams(_)) => return Ok(None),
        Err(e) => return Err(ApiError::bad_request(e.body_text())),
    };
    let Some(event) = params
        .iter()
        .find(|(key, _)| *key == "event")
        .map(|(_, v)| v)
    else {
        return Ok(None);
    };
    check_event_id(event)?;
    if raw_segment(parts, "event") != Some(event) {
        return Err(ApiError::bad_request(format!(
            "write the event id '{event}' as it is, without percent-encoding"
        )));
    }
    Ok(Some(event.to_string()))
}

/// The `{event}` of a routed request when it is spelled as a valid event id: such an id holds no
/// `%`, so the router's percent-decoding gives it unchanged, and this is exactly what
/// [`event_of`] (and the handler) get, without decoding anything. `None` for anything else
/// (no `{event}` in the route, or one that [`event_of`] will decode and refuse).
pub fn canonical_event(parts: &Parts) -> Option<&str> {
    raw_segment(parts, "event").filter(|raw| is_valid_event_id(raw))
}

/// The raw (undecoded) path segment where the matched route has `{name}`.
fn raw_segment<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    let template = parts.extensions.get::<MatchedPath>()?.as_str();
    let index = template.split('/').position(|segment| {
        segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) == Some(name)
    })?;
    parts.uri.path().split('/').nth(index)
}

/// Checks an event id named by a request.
pub fn check_event_id(event: &str) -> ApiResult<()> {
    if is_valid_event_id(event) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "'{event}' is not an event id (letters, digits, '-', '_' and '.', at most 100)"
        )))
    }
}

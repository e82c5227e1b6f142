//! The hall map (`/organiser/{event}/map`): the plan uploaded (stripped like a photo, stored
//! as an asset, set on the event by a `venue.map` operation), and each station placed on it
//! (`station.edit` with a position): by a click on the plan, without JavaScript, through an
//! `<input type="image">` in the station's own form (the browser sends the click as
//! `at.x`/`at.y` in the plan's pixels; the plan is shown at its own size so these are the
//! image's pixels), or as numbers in per cent in the table below it. Every change goes through
//! `http::writes::apply_op` based on the version the page was rendered from.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use marktplatz_model::model::{AssetRef, Location, LocationKind, MapPosition};
use marktplatz_model::ops::Op;

use super::MAX_FORM_BYTES;
use super::announce::fresh_key;
use super::checked::{Checked, csrf_form};
use super::edit::apply::{FormVersion, apply_or_again};
use super::edit::programme;
use super::page::{self, Chrome, Done, Message, html};
use super::session::Signed;
use super::text_media::MediaTexts;
use super::upload_form::Uploaded;
use crate::http::extract::Query;
use crate::http::state::AppState;
use crate::store::{self, photos};

pub fn router() -> Router<AppState> {
    let forms = Router::new()
        .route("/organiser/{for_event}/map", get(get_map))
        .route("/organiser/{for_event}/map/place", post(post_place))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES));
    // The plan's upload reads its body itself (`upload_form`).
    forms.route("/organiser/{for_event}/map/plan", post(post_plan))
}

/// The plan as the page shows it.
struct Plan {
    href: String,
    width: u32,
    height: u32,
}

/// A station with its forms.
struct Station {
    id: String,
    name: String,
    base: u64,
    click_key: String,
    table_key: String,
    /// Per cent from the left and from the top, one decimal ("" when not placed).
    x: String,
    y: String,
}

#[derive(Template)]
#[template(path = "console/map.html")]
struct MapPage {
    c: Chrome,
    m: &'static MediaTexts,
    event: String,
    plan_key: String,
    event_base: u64,
    plan: Option<Plan>,
    plan_error: Option<String>,
    stations: Vec<Station>,
}

fn percent(fraction: f64) -> String {
    format!("{:.1}", fraction * 100.0)
}

/// The stations shown on the map: every place but the halls themselves.
fn placeable(location: &Location) -> bool {
    location.kind != LocationKind::Hall
}

async fn map_page(
    state: &AppState,
    signed: &Signed,
    plan_error: Option<String>,
    message: Option<Message>,
    status: u16,
) -> Response {
    let m = signed.visitor.lang.texts().media();
    let read = async {
        let event = programme::event(state, signed.event()).await?;
        let locations = programme::located(state, signed.event()).await?;
        Ok::<_, store::StoreError>((event, locations))
    };
    let (event, locations) = match read.await {
        Ok(read) => read,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let Some((event_base, event)) = event else {
        return page::notice(signed.visitor, 404, m.map, m.needs_publish);
    };
    let plan = event.venue.map.as_ref().and_then(|map| {
        Some(Plan {
            href: format!("/v1/assets/{}", map.sha256),
            width: map.width?,
            height: map.height?,
        })
    });
    let stations = locations
        .into_iter()
        .filter(|(_, l)| placeable(l))
        .map(|(seq, l)| Station {
            x: l.position.map(|p| percent(p.x)).unwrap_or_default(),
            y: l.position.map(|p| percent(p.y)).unwrap_or_default(),
            id: l.id,
            name: l.name,
            base: seq,
            click_key: fresh_key(),
            table_key: fresh_key(),
        })
        .collect();
    html(
        signed.visitor,
        status,
        &MapPage {
            c: signed.chrome(m.map, "map").with(message),
            m,
            event: signed.event().to_string(),
            plan_key: fresh_key(),
            event_base,
            plan,
            plan_error,
            stations,
        },
    )
}

pub async fn get_map(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let m = signed.visitor.lang.texts().media();
    let message = done.message(&[("plan", m.plan_saved), ("placed", m.placed)]);
    map_page(&state, &signed, None, message, 200).await
}

pub async fn post_plan(
    State(state): State<AppState>,
    Uploaded { signed, form }: Uploaded,
) -> Response {
    let t = signed.visitor.lang.texts();
    let m = t.media();
    let refuse = |problem: String| {
        map_page(
            &state,
            &signed,
            Some(problem),
            Message::error(t.failed),
            422,
        )
    };
    let form = match form {
        Ok(form) => form,
        Err(problem) => return refuse(format!("{} {problem}", t.err_read)).await,
    };
    let Some(file) = form.files("plan").first().copied() else {
        return refuse(m.err_no_photos.to_string()).await;
    };
    let stripped = match photos::strip(&file.bytes) {
        Ok(stripped) => stripped,
        Err(e) => return refuse(format!("„{}“ {}: {e}", file.name, m.err_plan)).await,
    };
    let (db, data_dir) = (state.db.clone(), state.config.data_dir.clone());
    let stored = store::blocking("storing a hall plan", move || {
        photos::store(&db, &data_dir, &stripped)
    })
    .await
    .and_then(|stored| stored);
    let map: AssetRef = match stored {
        Ok(map) if map.width.is_some() && map.height.is_some() => map,
        Ok(_) => return refuse(format!("„{}“ {}", file.name, m.err_plan)).await,
        Err(e) => match page::client_error(&e) {
            Some(text) => return refuse(format!("„{}“ {}: {text}", file.name, m.err_plan)).await,
            None => return page::failure(signed.visitor, &e),
        },
    };
    let version = FormVersion {
        csrf: String::new(),
        key: form.text("key").trim().to_string(),
        base: form.text("base").to_string(),
    };
    let op = Op::VenueMap {
        id: signed.event().to_string(),
        map,
    };
    let saved = format!("/organiser/{}/map?done=plan", signed.event());
    let again = apply_or_again(&state, &signed, &version, op, &saved, m.station_conflict);
    match again.await {
        Ok((message, status)) => map_page(&state, &signed, None, message, status).await,
        Err(answer) => answer,
    }
}

#[derive(Default, Deserialize)]
pub struct PlaceForm {
    #[serde(flatten)]
    version: FormVersion,
    #[serde(default)]
    station: String,
    /// Where the plan was clicked, in its pixels.
    #[serde(default, rename = "at.x")]
    at_x: Option<String>,
    #[serde(default, rename = "at.y")]
    at_y: Option<String>,
    /// Or typed, in per cent.
    #[serde(default)]
    x: String,
    #[serde(default)]
    y: String,
}

csrf_form!(PlaceForm: version.csrf);

/// The position a form names: a click on the plan (`at`, in the pixels of a plan of `size`),
/// or per cent typed in the table; `None` when it is neither or lies outside the plan.
fn position(form: &PlaceForm, size: Option<(u32, u32)>) -> Option<MapPosition> {
    let number = |text: &str| text.trim().replace(',', ".").parse::<f64>().ok();
    let (x, y) = match (&form.at_x, &form.at_y) {
        (Some(at_x), Some(at_y)) => {
            let (width, height) = size?;
            (
                number(at_x)? / f64::from(width.max(1)),
                number(at_y)? / f64::from(height.max(1)),
            )
        }
        _ => (number(&form.x)? / 100.0, number(&form.y)? / 100.0),
    };
    let inside = |v: f64| (0.0..=1.0).contains(&v);
    (inside(x) && inside(y)).then_some(MapPosition { x, y })
}

pub async fn post_place(
    State(state): State<AppState>,
    Checked { signed, form }: Checked<PlaceForm>,
) -> Response {
    let t = signed.visitor.lang.texts();
    let m = t.media();
    let plan = match programme::event(&state, signed.event()).await {
        Ok(event) => event.and_then(|(_, e)| e.venue.map),
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let size = plan.and_then(|p| p.width.zip(p.height));
    let Some(at) = position(&form, size) else {
        return map_page(&state, &signed, None, Message::error(m.err_position), 422).await;
    };
    let op = Op::StationEdit {
        id: form.station.clone(),
        name: None,
        description: None,
        position: Some(at),
    };
    let saved = format!("/organiser/{}/map?done=placed", signed.event());
    let again = apply_or_again(
        &state,
        &signed,
        &form.version,
        op,
        &saved,
        m.station_conflict,
    );
    match again.await {
        Ok((message, status)) => map_page(&state, &signed, None, message, status).await,
        Err(answer) => answer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(at: Option<(&str, &str)>, typed: (&str, &str)) -> PlaceForm {
        PlaceForm {
            at_x: at.map(|a| a.0.to_string()),
            at_y: at.map(|a| a.1.to_string()),
            x: typed.0.into(),
            y: typed.1.into(),
            ..PlaceForm::default()
        }
    }

    #[test]
    fn a_click_is_a_fraction_of_the_plans_pixels_and_typed_numbers_are_per_cent() {
        let plan = Some((800, 400));
        assert_eq!(
            position(&form(Some(("200", "100")), ("", "")), plan),
            Some(MapPosition { x: 0.25, y: 0.25 })
        );
        assert_eq!(
            position(&form(None, ("12,5", "100")), plan),
            Some(MapPosition { x: 0.125, y: 1.0 })
        );
        // Outside the plan, no plan for a click, not numbers: nothing.
        assert_eq!(position(&form(Some(("801", "10")), ("", "")), plan), None);
        assert_eq!(position(&form(Some(("10", "10")), ("", "")), None), None);
        assert_eq!(position(&form(None, ("-1", "5")), plan), None);
        assert_eq!(position(&form(None, ("links", "5")), plan), None);
        assert_eq!(position(&form(None, ("NaN", "5")), plan), None);
    }
}

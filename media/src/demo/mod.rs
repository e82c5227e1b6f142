//! The embedded demo event: the "E-Government Marktplatz Nordwest" on 1 February 2027 in the
//! Delmenhorst Markthalle, in German.
//!
//! The programme, people, exhibitors, announcements and info pages are a native bundle
//! (`event.de.json`, compiled in, so loading works offline). The pictures are not in it: they are
//! drawn here (gallery photos with thumbnails, speaker portraits, exhibitor logos, event logo,
//! venue map) and their [`AssetRef`]s filled into the bundle. Everything is deterministic: the same
//! build produces the same bytes and hashes on every run.

mod canvas;
mod pictures;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{AssetRef, GalleryItem, LocationKind};
use marktplatz_model::time::EventClock;
use marktplatz_model::{Error, Result};

use canvas::Colour;
use pictures::{MapMark, Scene};

/// The id of the demo event in its bundle.
pub const DEMO_EVENT_ID: &str = "egov-marktplatz-nordwest-2027";

const EVENT_JSON: &str = include_str!("event.de.json");

const PHOTO_SIZE: (u32, u32) = (1024, 683);
const PHOTO_QUALITY: u8 = 78;
const THUMBNAIL_EDGE: u32 = 320;
const PORTRAIT_SIZE: u32 = 256;
const PORTRAIT_QUALITY: u8 = 82;
const LOGO_SIZE: u32 = 128;
const EVENT_LOGO_SIZE: u32 = 256;
const MAP_SIZE: (u32, u32) = (1200, 800);
const GALLERY_CREDIT: &str = "Illustration: Marktplatz-Demo";

/// One colour per station, in the stations' sort order (map markers, stands, logos).
const STATION_COLOURS: [Colour; 10] = [
    Colour::hex(0x8e44ad),
    Colour::hex(0x27ae60),
    Colour::hex(0xd4ac0d),
    Colour::hex(0xc0392b),
    Colour::hex(0x795548),
    Colour::hex(0xe67e22),
    Colour::hex(0x1abc9c),
    Colour::hex(0x2e86c1),
    Colour::hex(0x3f51b5),
    Colour::hex(0xd81b60),
];
const FALLBACK_COLOUR: Colour = Colour::hex(0x34495e);

/// 2027-02-01 10:10 UTC, i.e. 11:10 in Delmenhorst (CET): mid-morning on the fair's day, with
/// talks running on the stage and at the stations. Checked at compile time.
const DEMO_NOW: DateTime<Utc> = match DateTime::from_timestamp(1_801_476_600, 0) {
    Some(instant) => instant,
    None => panic!("the demo's 'now' is not a valid instant"),
};

/// One generated file and the reference the bundle uses for it.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoAsset {
    pub asset: AssetRef,
    pub bytes: Vec<u8>,
}

/// The demo event, ready to load into a store or publish.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoContent {
    /// Validated, with every asset reference filled in.
    pub bundle: Bundle,
    /// Every file the bundle refers to, each once.
    pub assets: Vec<DemoAsset>,
}

impl DemoContent {
    pub fn asset(&self, sha256: &str) -> Option<&DemoAsset> {
        self.assets.iter().find(|a| a.asset.sha256 == sha256)
    }

    /// Total size of all generated files.
    pub fn asset_bytes(&self) -> u64 {
        self.assets.iter().map(|a| a.bytes.len() as u64).sum()
    }
}

/// The instant a guided tour of the demo treats as "now": 11:10 local time on the fair's day.
pub fn demo_now() -> DateTime<Utc> {
    DEMO_NOW
}

/// Builds the demo event: parses the embedded bundle, draws its pictures and validates the result.
pub fn demo_content() -> Result<DemoContent> {
    let mut bundle = Bundle::parse(EVENT_JSON)?;
    if bundle.event.id != DEMO_EVENT_ID {
        return Err(Error::invalid(
            "demo bundle",
            "event.id",
            format!("is '{}', expected '{DEMO_EVENT_ID}'", bundle.event.id),
        ));
    }
    let mut files = Files::default();
    let stations = station_colours(&bundle);
    add_event_pictures(&mut bundle, &stations, &mut files)?;
    add_portraits(&mut bundle, &mut files)?;
    add_logos(&mut bundle, &stations, &mut files)?;
    bundle.gallery = gallery(&bundle, &stations, &mut files)?;
    bundle.validate()?;
    Ok(DemoContent {
        bundle,
        assets: files.list,
    })
}

fn add_event_pictures(
    bundle: &mut Bundle,
    stations: &[(String, Colour)],
    files: &mut Files,
) -> Result<()> {
    let colours: Vec<Colour> = stations.iter().map(|(_, colour)| *colour).collect();
    let logo = crate::encode_png(&pictures::event_logo(&colours, EVENT_LOGO_SIZE))?;
    bundle.event.logo = Some(files.add(logo, crate::PNG));
    let map = venue_map(bundle, stations)?;
    bundle.event.venue.map = Some(files.add(map, crate::PNG));
    Ok(())
}

fn add_portraits(bundle: &mut Bundle, files: &mut Files) -> Result<()> {
    let accents = speaker_colours(bundle);
    for speaker in &mut bundle.speakers {
        let accent = accents.get(&speaker.id).copied().unwrap_or(FALLBACK_COLOUR);
        let picture = pictures::portrait(&speaker.id, accent, PORTRAIT_SIZE);
        let jpeg = crate::encode_jpeg(&picture, PORTRAIT_QUALITY)?;
        speaker.photo = Some(files.add(jpeg, crate::JPEG));
    }
    Ok(())
}

fn add_logos(bundle: &mut Bundle, stations: &[(String, Colour)], files: &mut Files) -> Result<()> {
    // Exhibitors at one station share its colour, so each gets a different design (there are
    // five, and at most four exhibitors per station); stations start at different designs.
    let mut at_station: HashMap<Option<String>, usize> = HashMap::new();
    for exhibitor in &mut bundle.exhibitors {
        let station = exhibitor.station_id.as_deref();
        let station_index = stations
            .iter()
            .position(|(id, _)| Some(id.as_str()) == station)
            .unwrap_or(stations.len());
        let neighbours = at_station.entry(exhibitor.station_id.clone()).or_default();
        let design = 2 * station_index + *neighbours;
        *neighbours += 1;
        let colour = station_colour(stations, station);
        let picture = pictures::logo(&exhibitor.id, colour, design, LOGO_SIZE);
        exhibitor.logo = Some(files.add(crate::encode_png(&picture)?, crate::PNG));
    }
    Ok(())
}

/// The gallery items with their photos and thumbnails, taken at the listed local times.
fn gallery(
    bundle: &Bundle,
    stations: &[(String, Colour)],
    files: &mut Files,
) -> Result<Vec<GalleryItem>> {
    let clock = EventClock::new(&bundle.event.timezone, bundle.event.day_change_hour)?;
    let day = *bundle
        .event
        .days
        .first()
        .ok_or_else(|| Error::invalid("demo bundle", "event.days", "is empty"))?;
    let mut planned = Vec::with_capacity(GALLERY.len());
    for shot in &GALLERY {
        let (hour, minute) = shot.local_time;
        let wall = day.and_hms_opt(hour, minute, 0).ok_or_else(|| {
            Error::invalid(
                format!("demo gallery item '{}'", shot.id),
                "taken_at",
                "is not a time of day",
            )
        })?;
        let taken_at = clock.instant_of_local(wall);
        let scene = match shot.place {
            Place::Entrance => Scene::Entrance,
            Place::Foyer => Scene::Foyer,
            Place::Forum => Scene::Stage {
                accent: forum_accent(bundle, taken_at),
            },
            Place::Station(id) => Scene::Station {
                accent: station_colour(stations, Some(id)),
            },
        };
        planned.push((shot, taken_at, scene));
    }
    let scenes: Vec<_> = planned
        .iter()
        .map(|(shot, _, scene)| (shot.id, *scene))
        .collect();
    let mut items = Vec::with_capacity(planned.len());
    for ((shot, taken_at, _), photo) in planned.into_iter().zip(gallery_photos(&scenes)?) {
        items.push(GalleryItem {
            id: shot.id.to_string(),
            image: files.add(photo.jpeg, crate::JPEG),
            thumbnail: Some(files.add_described(photo.thumbnail.0, photo.thumbnail.1)),
            caption: shot.caption.to_string(),
            credit: GALLERY_CREDIT.to_string(),
            taken_at: Some(taken_at),
        });
    }
    Ok(items)
}

/// Where a gallery picture was taken.
#[derive(Clone, Copy)]
enum Place {
    Entrance,
    Forum,
    Foyer,
    Station(&'static str),
}

struct Shot {
    id: &'static str,
    local_time: (u32, u32),
    place: Place,
    caption: &'static str,
}

const GALLERY: [Shot; 8] = [
    Shot {
        id: "galerie-01-einlass",
        local_time: (8, 42),
        place: Place::Entrance,
        caption: "Kurz vor dem Start: Am Infotresen holen sich die ersten Gäste ihre Namensschilder ab.",
    },
    Shot {
        id: "galerie-02-eroeffnung",
        local_time: (9, 32),
        place: Place::Forum,
        caption: "Oberbürgermeister Axel Jahnz eröffnet den E-Government Marktplatz Nordwest im Forum der Markthalle.",
    },
    Shot {
        id: "galerie-03-publikum",
        local_time: (9, 44),
        place: Place::Forum,
        caption: "Gebannt hörten die Besucher Landrat Jörg Bensberg und den anderen Rednern zu.",
    },
    Shot {
        id: "galerie-04-egov-intern",
        local_time: (10, 36),
        place: Place::Station("station-egov-intern"),
        caption: "Live-Vorführung an der Station „E-Gov Intern“: der Urlaubsantrag im Mitarbeiterportal.",
    },
    Shot {
        id: "galerie-05-phishing-parcours",
        local_time: (11, 8),
        place: Place::Station("station-it-sicherheit"),
        caption: "Echt oder gefälscht? Andrang beim Phishing-Parcours an der Station IT-Sicherheit.",
    },
    Shot {
        id: "galerie-06-mittagspause",
        local_time: (12, 25),
        place: Place::Foyer,
        caption: "Mittagspause im Foyer: Bei Häppchen und Getränken geht der Austausch weiter.",
    },
    Shot {
        id: "galerie-07-e-rechnung",
        local_time: (14, 40),
        place: Place::Station("station-e-rechnung"),
        caption: "XRechnung zum Anfassen: An der Station E-Rechnung durchläuft eine Rechnung live den Rechnungseingang.",
    },
    Shot {
        id: "galerie-08-podium",
        local_time: (16, 5),
        place: Place::Forum,
        caption: "Podiumsdiskussion im Forum: Wie viel Zusammenarbeit braucht die kommunale Digitalisierung?",
    },
];

/// A gallery photo and its thumbnail, encoded.
struct Photo {
    jpeg: Vec<u8>,
    thumbnail: (AssetRef, Vec<u8>),
}

fn gallery_photo(seed: &str, scene: Scene) -> Result<Photo> {
    let (width, height) = PHOTO_SIZE;
    let jpeg = crate::encode_jpeg(&pictures::photo(scene, seed, width, height), PHOTO_QUALITY)?;
    let thumbnail = crate::thumbnail(&jpeg, THUMBNAIL_EDGE)?;
    Ok(Photo { jpeg, thumbnail })
}

/// Draws and encodes the gallery photos, in order, on up to four threads: they are most of the
/// generation time. Each photo depends only on its seed and scene, so the result is the same as
/// drawing them one after another.
fn gallery_photos(scenes: &[(&str, Scene)]) -> Result<Vec<Photo>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4));
    let per_thread = scenes.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = scenes
            .chunks(per_thread)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|&(seed, scene)| gallery_photo(seed, scene))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut photos = Vec::with_capacity(scenes.len());
        for worker in workers {
            let results = worker.join().map_err(|_| {
                Error::malformed("demo gallery", "drawing a photo failed unexpectedly")
            })?;
            for photo in results {
                photos.push(photo?);
            }
        }
        Ok(photos)
    })
}

/// The generated files, each once, in the order they were made.
#[derive(Default)]
struct Files {
    list: Vec<DemoAsset>,
    seen: HashSet<String>,
}

impl Files {
    fn add(&mut self, bytes: Vec<u8>, media_type: &str) -> AssetRef {
        let asset = crate::asset_ref(&bytes, media_type);
        self.add_described(asset, bytes)
    }

    fn add_described(&mut self, asset: AssetRef, bytes: Vec<u8>) -> AssetRef {
        if self.seen.insert(asset.sha256.clone()) {
            self.list.push(DemoAsset {
                asset: asset.clone(),
                bytes,
            });
        }
        asset
    }
}

/// Stations in sort order with their colours.
fn station_colours(bundle: &Bundle) -> Vec<(String, Colour)> {
    let mut stations: Vec<_> = bundle
        .locations
        .iter()
        .filter(|l| l.kind == LocationKind::Station)
        .collect();
    stations.sort_by(|a, b| (a.sort_order, &a.id).cmp(&(b.sort_order, &b.id)));
    stations
        .into_iter()
        .zip(STATION_COLOURS.iter().cycle())
        .map(|(station, colour)| (station.id.clone(), *colour))
        .collect()
}

fn station_colour(stations: &[(String, Colour)], id: Option<&str>) -> Colour {
    id.and_then(|id| stations.iter().find(|(station, _)| station == id))
        .map_or(FALLBACK_COLOUR, |(_, colour)| *colour)
}

/// Each speaker's portrait background: the colour of the track of their first session.
fn speaker_colours(bundle: &Bundle) -> HashMap<String, Colour> {
    let track_colours: HashMap<&str, Colour> = bundle
        .tracks
        .iter()
        .filter_map(|t| Some((t.id.as_str(), Colour::parse(t.color.as_deref()?)?)))
        .collect();
    let mut sessions: Vec<_> = bundle.sessions.iter().collect();
    sessions.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let mut colours = HashMap::new();
    for session in sessions {
        let Some(colour) = session
            .track_id
            .as_deref()
            .and_then(|t| track_colours.get(t))
        else {
            continue;
        };
        for speaker in &session.speaker_ids {
            colours.entry(speaker.clone()).or_insert(*colour);
        }
    }
    colours
}

/// The track colour of what runs in the forum at `at` (the slide on the screen).
fn forum_accent(bundle: &Bundle, at: DateTime<Utc>) -> Colour {
    bundle
        .sessions
        .iter()
        .filter(|s| s.location_id.as_deref() == Some("forum"))
        .filter(|s| s.start <= at && at < s.end)
        .filter_map(|s| s.track_id.as_deref())
        .filter_map(|track| bundle.tracks.iter().find(|t| t.id == track))
        .find_map(|t| Colour::parse(t.color.as_deref()?))
        .unwrap_or(FALLBACK_COLOUR)
}

fn venue_map(bundle: &Bundle, stations: &[(String, Colour)]) -> Result<Vec<u8>> {
    let mut marks = Vec::new();
    for location in &bundle.locations {
        let Some(position) = location.position else {
            continue;
        };
        let mark = match location.kind {
            LocationKind::Station | LocationKind::Booth => MapMark::Station {
                colour: station_colour(stations, Some(&location.id)),
                exhibitors: bundle
                    .exhibitors
                    .iter()
                    .filter(|x| x.station_id.as_deref() == Some(location.id.as_str()))
                    .count(),
            },
            LocationKind::Room if location.id == "forum" => MapMark::Forum,
            LocationKind::Room => MapMark::Stairs,
            LocationKind::Hall | LocationKind::Outdoor | LocationKind::Other => MapMark::Foyer,
        };
        marks.push((position.x as f32, position.y as f32, mark));
    }
    let (width, height) = MAP_SIZE;
    crate::encode_png(&pictures::venue_map(&marks, width, height))
}

#[cfg(test)]
mod tests;

//! frab/pentabarf `schedule.xml` -> [`RawSchedule`]. The file is read into a small element tree
//! with quick-xml (no DTDs, no external entities), then walked.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use marktplatz_model::error::{Error, Result};
use marktplatz_model::model::LocationKind;

use super::builder::Person;
use super::schedule::{RawDay, RawEvent, RawRoom, RawSchedule, RawTrack};
use super::warnings::{ImportWarning, Text};

const WHAT: &str = "the schedule.xml";
/// Deeper nesting than any schedule needs is refused (a guard against hostile files).
const MAX_DEPTH: usize = 64;

#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn text_of(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.clone())
    }

    fn attribute(&self, name: &str) -> Option<String> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

pub(crate) fn read(text: &str) -> Result<RawSchedule> {
    let root = parse(text)?;
    if root.name != "schedule" {
        return Err(Error::malformed(
            WHAT,
            format!("the root element is <{}>, not <schedule>", root.name),
        ));
    }
    let mut raw = RawSchedule {
        what: WHAT,
        ..RawSchedule::default()
    };
    let Some(conference) = root.child("conference") else {
        return Err(Error::invalid(WHAT, "conference", "is missing"));
    };
    let field = |name: &str| conference.text_of(name).unwrap_or_default();
    raw.acronym = field("acronym");
    raw.title = field("title");
    raw.subtitle = field("subtitle");
    raw.venue = field("venue");
    raw.city = field("city");
    raw.base_url = conference.text_of("base_url");
    raw.url = conference.text_of("url");
    raw.time_zone_name = conference.text_of("time_zone_name");
    raw.day_change = conference.text_of("day_change");
    raw.days_count = conference
        .text_of("days")
        .and_then(|d| d.trim().parse().ok());

    if let Some(tracks) = root.child("tracks") {
        for track in tracks.children("track") {
            raw.tracks.push(RawTrack {
                name: track.text.clone(),
                color: track.attribute("color"),
            });
        }
    }
    if let Some(rooms) = root.child("rooms") {
        for room in rooms.children("room") {
            raw.rooms.push(RawRoom {
                name: room.attribute("name").unwrap_or_else(|| room.text.clone()),
                guid: room.attribute("guid"),
                description: String::new(),
                kind: LocationKind::Room,
            });
        }
    }
    for day in root.children("day") {
        let date = day.attribute("date").unwrap_or_default();
        raw.days.push(RawDay {
            date: date.clone(),
            start: day.attribute("start"),
            end: day.attribute("end"),
        });
        for room in day.children("room") {
            let room_name = room.attribute("name").unwrap_or_default();
            // Rooms without events are still rooms of the venue (FOSDEM lists 11).
            if !raw.rooms.iter().any(|r| r.name == room_name) {
                raw.rooms.push(RawRoom {
                    name: room_name.clone(),
                    guid: room.attribute("guid"),
                    description: String::new(),
                    kind: LocationKind::Room,
                });
            }
            for event in room.children("event") {
                raw.events.push(event_of(event, &date, &room_name));
            }
        }
    }
    if raw.days.is_empty() && !root.children.iter().any(|c| c.name == "conference") {
        raw.notes.push(ImportWarning {
            subject: Text::file(),
            field: "day".into(),
            message: Text::new("no <day> elements", "keine <day>-Elemente"),
        });
    }
    Ok(raw)
}

fn event_of(event: &Element, day: &str, room: &str) -> RawEvent {
    let text = |name: &str| event.text_of(name).unwrap_or_default();
    let persons = event
        .child("persons")
        .map(|p| {
            p.children("person")
                .map(|person| Person {
                    guid: person.attribute("guid"),
                    id: person.attribute("id"),
                    name: person.text.clone(),
                    ..Person::default()
                })
                .collect()
        })
        .unwrap_or_default();
    let links = event
        .child("links")
        .map(|l| {
            l.children("link")
                .map(|link| match link.attribute("href") {
                    Some(href) => (link.text.clone(), href),
                    // 36C3 writes some links as <link>https://...</link>.
                    None => (String::new(), link.text.clone()),
                })
                .collect()
        })
        .unwrap_or_default();
    RawEvent {
        day: Some(day.to_string()),
        room: room.to_string(),
        room_name: event.text_of("room"),
        guid: event.attribute("guid"),
        id: event.attribute("id"),
        title: text("title"),
        subtitle: text("subtitle"),
        date: event.text_of("date"),
        start: event.text_of("start"),
        duration: event.text_of("duration"),
        end: None,
        track: event.text_of("track"),
        kind: event.text_of("type"),
        language: event.text_of("language"),
        abstract_text: text("abstract"),
        description: text("description"),
        persons,
        links,
        url: event.text_of("url"),
    }
}

fn parse(text: &str) -> Result<Element> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let position = |reader: &Reader<&[u8]>| line_of(text, reader.error_position() as usize);
    loop {
        let event = reader.read_event().map_err(|e| {
            let message = e.to_string();
            let hint = if message.contains("end of input") {
                " (the file ends early: truncated?)"
            } else {
                ""
            };
            Error::malformed(
                WHAT,
                format!(
                    "is not well-formed XML at line {}: {message}{hint}",
                    position(&reader)
                ),
            )
        })?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::malformed(
                        WHAT,
                        format!("nests elements deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(element(&start, &reader, text)?);
            }
            Event::Empty(start) => {
                let element = element(&start, &reader, text)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::End(_) => {
                let Some(mut done) = stack.pop() else {
                    return Err(Error::malformed(WHAT, "has an end tag without a start tag"));
                };
                done.text = done.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(t) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(current) = stack.last_mut() {
                    let resolved = r.resolve_char_ref().ok().flatten().or(match r.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    });
                    match resolved {
                        Some(c) => current.text.push(c),
                        // An undeclared entity (HTML's &nbsp; in hand-written files): keep it
                        // for the text cleaner, which knows the common ones.
                        None => {
                            current.text.push('&');
                            current.text.push_str(r.as_ref());
                            current.text.push(';');
                        }
                    }
                }
            }
            Event::Decl(decl) => {
                if let Some(Ok(encoding)) = decl.encoding() {
                    let encoding = encoding.to_ascii_lowercase();
                    if encoding != "utf-8" && encoding != "utf8" {
                        return Err(Error::malformed(
                            WHAT,
                            format!(
                                "declares encoding {encoding}; only UTF-8 is supported, convert the file"
                            ),
                        ));
                    }
                }
            }
            Event::Eof => {
                return Err(Error::malformed(
                    WHAT,
                    match stack.last() {
                        Some(open) => format!("ends before <{}> is closed (truncated?)", open.name),
                        None => "contains no XML element".to_string(),
                    },
                ));
            }
            Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

fn element(start: &BytesStart<'_>, reader: &Reader<&[u8]>, text: &str) -> Result<Element> {
    let name = start.local_name().as_ref().to_string();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| {
            Error::malformed(
                WHAT,
                format!(
                    "has a broken attribute in <{name}> at line {}: {e}",
                    line_of(text, reader.buffer_position() as usize)
                ),
            )
        })?;
        let key = attribute.key.local_name().as_ref().to_string();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| attribute.value.clone().into_owned());
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        children: Vec::new(),
        text: String::new(),
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

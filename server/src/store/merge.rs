//! The three-way merge of one entity, field by field, when a source republishes it: the base
//! is the body the source published last, `live` the body stored now (changed since by an
//! organiser's operation from a phone, or by another source), `file` the body it publishes now.
//! A field the file left as it was keeps its edit; a field the file changed too takes the
//! file's value, and the edit is reported as overridden (`docs/adr/0013-safe-publishing.md`).

use serde_json::{Map, Value};

use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::wire::check_entity;

/// Fields merged as one: a session's move changes its start and end together, and half of a
/// move would be neither the file's time nor the organiser's.
const TOGETHER: &[&[&str]] = &[&["start", "end"]];

/// The merged body and the fields whose edits it keeps and overrides.
#[derive(Debug, PartialEq, Eq)]
pub struct Merged {
    /// Canonical JSON (as `Entity::to_json` writes it).
    pub body: String,
    pub kept: Vec<String>,
    pub overridden: Vec<String>,
}

/// Merges `live`'s edits since `base` into `file` (all canonical bodies of one `kind`). A
/// body that is not an object, or a merge the model does not accept, is the file's body with
/// every edit that differs from it overridden: the file always wins where in doubt.
pub fn merge(kind: EntityKind, base: &str, live: &str, file: &str) -> Merged {
    let parsed = (object(base), object(live), object(file));
    let (Some(base), Some(live), Some(file_fields)) = parsed else {
        return Merged {
            body: file.to_string(),
            kept: Vec::new(),
            overridden: Vec::new(),
        };
    };
    let mut fields: Vec<&String> = base
        .keys()
        .chain(live.keys())
        .chain(file_fields.keys())
        .collect();
    fields.sort();
    fields.dedup();
    let mut merged = file_fields.clone();
    let (mut kept, mut overridden) = (Vec::new(), Vec::new());
    let mut done: Vec<&str> = Vec::new();
    for field in fields {
        if done.contains(&field.as_str()) {
            continue;
        }
        let group: Vec<&str> = TOGETHER
            .iter()
            .find(|group| group.contains(&field.as_str()))
            .map_or_else(|| vec![field.as_str()], |group| group.to_vec());
        done.extend(&group);
        let values = |object: &Map<String, Value>| -> Vec<Option<Value>> {
            group.iter().map(|f| object.get(*f).cloned()).collect()
        };
        let (b, l, f) = (values(&base), values(&live), values(&file_fields));
        if l == b || l == f {
            continue;
        }
        let edited = group
            .iter()
            .filter(|g| live.get(**g) != file_fields.get(**g))
            .map(|g| g.to_string());
        if f == b {
            kept.extend(edited);
            for name in &group {
                match live.get(*name) {
                    Some(value) => merged.insert(name.to_string(), value.clone()),
                    None => merged.remove(*name),
                };
            }
        } else {
            overridden.extend(edited);
        }
    }
    if kept.is_empty() {
        return Merged {
            body: file.to_string(),
            kept,
            overridden,
        };
    }
    match canonical(kind, &Value::Object(merged)) {
        Some(body) => Merged {
            body,
            kept,
            overridden,
        },
        None => {
            overridden.append(&mut kept);
            Merged {
                body: file.to_string(),
                kept,
                overridden,
            }
        }
    }
}

/// The base for a source's first publication of an entity that is already there (published by
/// another source, or made by an operation): the fields `file` leaves empty or out, as if the
/// source had always said so. Merged against it, what the file says wins (an edit it differs
/// from is overridden) and what it does not say keeps its value: an exhibitor list naming a
/// station clears neither the position an organiser placed it at nor the programme's text.
pub fn unsaid(file: &str) -> String {
    let Some(fields) = object(file) else {
        return file.to_string();
    };
    let empty: Map<String, Value> = fields
        .into_iter()
        .filter(|(_, value)| is_empty(value))
        .collect();
    Value::Object(empty).to_string()
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

fn object(body: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// The merged fields as the model writes the entity, if it accepts them.
fn canonical(kind: EntityKind, merged: &Value) -> Option<String> {
    let entity = Entity::from_json(kind, &merged.to_string()).ok()?;
    check_entity(&entity).ok()?;
    if let Entity::Session(session) = &entity
        && session.end < session.start
    {
        return None;
    }
    entity.to_json().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn session(title: &str, start: &str, end: &str) -> String {
        let entity = Entity::from_json(
            EntityKind::Session,
            &json!({
                "id": "s1", "kind": "talk", "title": title,
                "start": start, "end": end,
            })
            .to_string(),
        )
        .unwrap();
        entity.to_json().unwrap()
    }

    const NINE: (&str, &str) = ("2027-05-04T09:00:00Z", "2027-05-04T10:00:00Z");
    const ELEVEN: (&str, &str) = ("2027-05-04T11:00:00Z", "2027-05-04T12:00:00Z");
    const TWO: (&str, &str) = ("2027-05-04T14:00:00Z", "2027-05-04T15:00:00Z");

    #[test]
    fn a_first_publish_says_only_what_its_file_fills_in() {
        let live = Entity::from_json(
            EntityKind::Location,
            &json!({"id": "s1", "name": "Station 1", "kind": "station",
                    "description": "Themeninsel", "position": {"x": 0.7, "y": 0.3}})
            .to_string(),
        )
        .unwrap()
        .to_json()
        .unwrap();
        let file = Entity::from_json(
            EntityKind::Location,
            &json!({"id": "s1", "name": "Station 1: E-Rechnung", "kind": "station"}).to_string(),
        )
        .unwrap()
        .to_json()
        .unwrap();
        let merged = merge(EntityKind::Location, &unsaid(&file), &live, &file);
        let body: Value = serde_json::from_str(&merged.body).unwrap();
        assert_eq!(body["name"], "Station 1: E-Rechnung");
        assert_eq!(body["description"], "Themeninsel");
        assert_eq!(body["position"], json!({"x": 0.7, "y": 0.3}));
        assert_eq!(merged.overridden, vec!["name"]);
        assert_eq!(merged.kept, vec!["description", "position"]);
    }

    #[test]
    fn an_edit_of_a_field_the_file_left_alone_stays() {
        let base = session("Talk", NINE.0, NINE.1);
        let moved = session("Talk", ELEVEN.0, ELEVEN.1);
        let retitled = session("Talk (neu)", NINE.0, NINE.1);
        let merged = merge(EntityKind::Session, &base, &moved, &retitled);
        assert_eq!(merged.body, session("Talk (neu)", ELEVEN.0, ELEVEN.1));
        assert_eq!(merged.kept, vec!["start", "end"]);
        assert!(merged.overridden.is_empty());
    }

    #[test]
    fn the_file_wins_a_field_it_changed_too_and_says_so() {
        let base = session("Talk", NINE.0, NINE.1);
        let moved = session("Talk", ELEVEN.0, ELEVEN.1);
        let moved_elsewhere = session("Talk", TWO.0, TWO.1);
        let merged = merge(EntityKind::Session, &base, &moved, &moved_elsewhere);
        assert_eq!(merged.body, moved_elsewhere);
        assert!(merged.kept.is_empty());
        assert_eq!(merged.overridden, vec!["start", "end"]);
    }

    #[test]
    fn a_start_and_end_are_merged_together() {
        // The organiser moved the talk to 11-12; the file only extends it to 10:30. Taking the
        // file's end with the phone's start would end it before it starts: the file's time wins.
        let base = session("Talk", NINE.0, NINE.1);
        let moved = session("Talk", ELEVEN.0, ELEVEN.1);
        let longer = session("Talk", NINE.0, "2027-05-04T10:30:00Z");
        let merged = merge(EntityKind::Session, &base, &moved, &longer);
        assert_eq!(merged.body, longer);
        assert_eq!(merged.overridden, vec!["start", "end"]);
    }
}

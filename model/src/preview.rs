//! What a publish would do, field by field (`POST /v1/events/{event}/bundle/preview`,
//! `marktplatz publish --dry-run`, and the reason of a refused publish): the server builds one
//! plan, renders it as this preview, and the publish applies the same plan
//! (`docs/adr/0013-safe-publishing.md`).

use serde_json::Value;

use crate::wire::PublishOutcome;

/// The query parameter of the bundle PUT that confirms a publish the guards would refuse.
pub const CONFIRM_PARAM: &str = "confirm";

/// The only value of [`CONFIRM_PARAM`] that confirms.
pub const CONFIRM_YES: &str = "yes";

/// Why a publish needs confirmation: it would remove more than half of the source's sessions.
pub const REFUSAL_REMOVES_MOST_SESSIONS: &str = "removes_most_sessions";

/// Why a publish needs confirmation: it would change the event's days.
pub const REFUSAL_CHANGES_DAYS: &str = "changes_days";

/// An entity named in a preview: its kind (`session`, `location`, ...) and id.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct EntityRef {
    pub kind: String,
    pub id: String,
}

/// One top-level field of an entity's body: its value before and after (`None`: absent).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// An entity the publish would change, and how.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntityChange {
    pub kind: String,
    pub id: String,
    pub fields: Vec<FieldChange>,
}

impl EntityChange {
    pub fn entity(&self) -> EntityRef {
        EntityRef {
            kind: self.kind.clone(),
            id: self.id.clone(),
        }
    }
}

/// A field someone changed since the source's last publish (an organiser's edit from a phone,
/// or another source): `edit` is its value now, `file` what the file now says.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldEdit {
    pub kind: String,
    pub id: String,
    pub field: String,
    pub edit: Option<Value>,
    pub file: Option<Value>,
}

/// A warning of a preview: an entity the file no longer names, kept because another source
/// still names it.
pub const WARNING_KEPT_BY_OTHER_SOURCE: &str = "kept_by_other_source";

/// Something the organiser should know before publishing, about one entity.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    /// [`WARNING_KEPT_BY_OTHER_SOURCE`].
    pub code: String,
    pub kind: String,
    pub id: String,
    pub message: String,
}

/// A rule the publish breaks unless confirmed (`?confirm=yes`, `marktplatz publish --yes`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Refusal {
    /// [`REFUSAL_REMOVES_MOST_SESSIONS`] or [`REFUSAL_CHANGES_DAYS`].
    pub code: String,
    pub message: String,
    /// For [`REFUSAL_REMOVES_MOST_SESSIONS`]: how many sessions it removes, of how many the
    /// source published last.
    #[serde(default)]
    pub removed: u64,
    #[serde(default)]
    pub of: u64,
}

/// What a publish would do: the counts it would answer (`seq`: the current head), the
/// entities it would add, change (field by field) and remove, the field edits it keeps and
/// those it overrides, warnings, and the refusals that need confirmation.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preview {
    pub outcome: PublishOutcome,
    pub added: Vec<EntityRef>,
    pub updated: Vec<EntityChange>,
    pub removed: Vec<EntityRef>,
    /// Edits made since the source's last publish to fields the file did not change: kept.
    #[serde(default)]
    pub kept: Vec<FieldEdit>,
    /// Edits made since the source's last publish to fields the file changed too: the file
    /// wins.
    #[serde(default)]
    pub overridden: Vec<FieldEdit>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    #[serde(default)]
    pub refusals: Vec<Refusal>,
}

/// The body of a publish refused for want of confirmation (409 `confirmation_required`): the
/// usual error fields and the preview that explains it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConfirmationRequired {
    pub code: String,
    pub message: String,
    pub preview: Preview,
}

/// An organiser operation whose effect a later publish undid: its idempotency key and the
/// release (`GET /v1/events/{event}/ops/overridden`, for the token's subject).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OverriddenOp {
    pub key: String,
    pub release: u64,
}

/// The answer of `GET /v1/events/{event}/ops/overridden`: by release.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OverriddenOps {
    pub overridden: Vec<OverriddenOp>,
}

/// The top-level fields whose values differ between two entity bodies (JSON objects), in the
/// order of `new` then the fields only `old` has. Bodies that are not objects compare whole,
/// as the field `""`.
pub fn field_changes(old: &Value, new: &Value) -> Vec<FieldChange> {
    let (Value::Object(old), Value::Object(new)) = (old, new) else {
        return if old == new {
            Vec::new()
        } else {
            vec![FieldChange {
                field: String::new(),
                old: Some(old.clone()),
                new: Some(new.clone()),
            }]
        };
    };
    let mut changes = Vec::new();
    for (field, value) in new {
        if old.get(field) != Some(value) {
            changes.push(FieldChange {
                field: field.clone(),
                old: old.get(field).cloned(),
                new: Some(value.clone()),
            });
        }
    }
    for (field, value) in old {
        if !new.contains_key(field) {
            changes.push(FieldChange {
                field: field.clone(),
                old: Some(value.clone()),
                new: None,
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_changes_name_changed_added_and_dropped_fields() {
        let old = json!({"title": "A", "room": "1", "tags": ["x"]});
        let new = json!({"title": "B", "room": "1", "url": "u"});
        let changes = field_changes(&old, &new);
        let named: Vec<_> = changes
            .iter()
            .map(|c| (c.field.as_str(), c.old.clone(), c.new.clone()))
            .collect();
        assert_eq!(
            named,
            vec![
                ("title", Some(json!("A")), Some(json!("B"))),
                ("url", None, Some(json!("u"))),
                ("tags", Some(json!(["x"])), None),
            ]
        );
        assert!(field_changes(&new, &new).is_empty());
    }
}

//! What a publish is made of, shared by the modules that plan, record and undo it
//! (`publish`, `releases`, `overrides`): the entities as encoded, and the steps that change them.

use marktplatz_model::model::EntityKind;

/// An entity of the bundle: kind, id and canonical body.
pub type Encoded = (EntityKind, String, String);

/// One entity a publish changes: its body before (`None`: absent) and after (`None`: removed).
#[derive(Clone, Debug)]
pub struct Step {
    pub kind: EntityKind,
    pub id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

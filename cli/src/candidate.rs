//! What a name typed on the command line may stand for (the resolver picks among these and
//! the messages list them), apart from the resolver so the messages need not import it.

/// Something that can be named: its id, its name and a line that tells it apart.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    /// Shown in lists of candidates ("Mo 01.02. 10:00", "station").
    pub detail: String,
}

/// What was being looked for, for the messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    Place,
    Session,
}

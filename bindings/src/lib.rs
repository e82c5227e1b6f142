//! uniffi surface of the Marktplatz core: one object (`MarktplatzStore`), the mirrored model
//! and view types, and `ApiError`. No logic lives here: each method is a call plus an error
//! conversion.

mod error;
mod store;
mod types;

pub use error::ApiError;
pub use store::MarktplatzStore;

uniffi::setup_scaffolding!("marktplatz");

//! uniffi surface of the Marktplatz core: one object (`MarktplatzStore`), the mirrored model
//! and view types, `ApiError`, and the `UpdateListener` and `CredentialStore` foreign traits. No logic lives here:
//! each method is a call into the core plus an error conversion.

mod credentials;
mod error;
mod favourites;
mod organiser;
mod search;
mod store;
mod sync;
mod types;

pub use credentials::CredentialStore;
pub use error::ApiError;
pub use search::SearchField;
pub use store::MarktplatzStore;
pub use sync::{FollowHandle, SubscriptionHandle, UpdateListener};

uniffi::setup_scaffolding!("marktplatz");

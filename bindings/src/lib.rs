//! uniffi surface of the Marktplatz core.
uniffi::setup_scaffolding!();

//! Importer tests over small fixtures, one per quirk.

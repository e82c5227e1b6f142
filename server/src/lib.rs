//! Marktplatz publishing server.

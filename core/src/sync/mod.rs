//! Pulling an event from its server: pages into content.db, assets into a cache.

//! What one pull may take from a server at most. A hostile or broken server could otherwise
//! answer `more: true` forever and fill the device's storage page by page. When the budget is
//! spent the pull stops between pages: every page already applied stays (each committed with
//! its cursor), nothing is half-applied, and the report says so ([`super::PullReport`]'s
//! `budget_spent`); the next sync (or the follow loop, after its backoff) goes on from there.

/// Pages (including pages stepped past) one pull applies at most. A real event's first sync
/// takes a few hundred; 10,000 pages of at least one change each is far beyond any event.
pub const MAX_SYNC_PAGES: u32 = 10_000;

/// Body bytes (after decompression) one pull receives at most. Checked between pages, so a
/// pull ends at most one page ([`marktplatz_model::wire::MAX_PAGE_BYTES`]) past it.
pub const MAX_SYNC_BYTES: u64 = 256 * 1024 * 1024;

/// Whether a pull that has taken `pages` pages and `bytes` bytes must stop before the next.
pub fn is_spent(pages: u32, bytes: u64) -> bool {
    pages >= MAX_SYNC_PAGES || bytes >= MAX_SYNC_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_spent_by_pages_or_by_bytes() {
        assert!(!is_spent(0, 0));
        assert!(!is_spent(MAX_SYNC_PAGES - 1, MAX_SYNC_BYTES - 1));
        assert!(is_spent(MAX_SYNC_PAGES, 0));
        assert!(is_spent(0, MAX_SYNC_BYTES));
    }
}

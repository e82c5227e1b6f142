//! How a sync's report is printed: the lines `sync` shows, or one JSON object per line (`--json`),
//! for a single sync and for each answer `--follow` applies.

use marktplatz_core::sync::SyncReport;

use crate::error::CmdResult;
use crate::i18n::messages as msg;
use crate::out;

/// One report of a stream: a JSON line, or the lines `sync` prints.
pub(super) fn report_line(report: &SyncReport, json: bool) -> CmdResult {
    if json {
        crate::out::json_line(report)
    } else {
        print_report(report)
    }
}

pub(super) fn print_report(report: &SyncReport) -> CmdResult {
    let content = &report.content;
    if content.not_modified {
        out!("{}", msg::up_to_date(&report.event_id, content.cursor))?;
    } else {
        out!(
            "{}",
            msg::synced(
                &report.event_id,
                content.cursor,
                content.epoch.as_deref().unwrap_or("?"),
                content.pages,
                content.bytes,
                content.rebootstrapped
            )
        )?;
    }
    for (kind, counts) in &content.summary.kinds {
        out!(
            "  {}",
            msg::kind_changes(
                &msg::entity_kind(&kind.to_string()),
                counts.added,
                counts.updated,
                counts.removed
            )
        )?;
    }
    // What the sync spent of its budget is in the line above; say when it ran out, and name
    // each page it could not take (their changes are missing until republished).
    if content.budget_spent {
        out!(
            "  {}",
            msg::sync_budget_spent(
                content.pages + content.skipped_pages.len() as u32,
                content.bytes
            )
        )?;
    }
    for skipped in &content.skipped_pages {
        out!("  {}", msg::page_stepped_past(skipped.since, skipped.next))?;
    }
    if report.assets.wanted > 0 {
        out!(
            "  {}",
            msg::assets_fetched(report.assets.downloaded, report.assets.wanted)
        )?;
    }
    for (sha, error) in &report.assets.failed {
        out!("  {}", msg::asset_failed(sha, error))?;
    }
    if let Some(error) = &report.push_error {
        out!("  {}", msg::push_before_pull_failed(error))?;
    }
    Ok(())
}

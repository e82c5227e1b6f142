//! `marktplatz import-check FILE`: what a schedule file would import, without publishing it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use marktplatz_import::{self as import, Import};
use marktplatz_model::time::EventClock;

use super::CmdResult;
use super::schedule_file::{ImportArgs, read_limited};

/// How many warnings the human output lists (`--json` lists them all).
const SHOWN_WARNINGS: usize = 20;

#[derive(clap::Args)]
pub struct Args {
    /// The schedule file: frab XML, c3voc JSON, iCalendar or CSV.
    pub file: PathBuf,
    /// Print a JSON object instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// The event id to use (default: the file's acronym or a slug of its title).
    #[arg(long)]
    pub event_id: Option<String>,
    #[command(flatten)]
    pub import: ImportArgs,
}

pub fn run(args: Args) -> CmdResult {
    let options = args.import.options(args.event_id.as_deref());
    let bytes = read_limited(&args.file, options.max_bytes)?;
    let result =
        import::import(&bytes, &options).map_err(|e| format!("{}: {e}", args.file.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary_json(&result))?);
    } else {
        print!("{}", summary_text(&result));
    }
    Ok(())
}

/// Sessions per local day.
fn sessions_per_day(result: &Import) -> BTreeMap<NaiveDate, usize> {
    let event = &result.bundle.event;
    let mut per_day: BTreeMap<NaiveDate, usize> = event.days.iter().map(|d| (*d, 0)).collect();
    if let Ok(clock) = EventClock::new(&event.timezone, event.day_change_hour) {
        for session in &result.bundle.sessions {
            *per_day
                .entry(clock.conference_day(session.start))
                .or_default() += 1;
        }
    }
    per_day
}

fn summary_json(result: &Import) -> serde_json::Value {
    let bundle = &result.bundle;
    let event = &bundle.event;
    let days: Vec<serde_json::Value> = sessions_per_day(result)
        .into_iter()
        .map(|(day, sessions)| serde_json::json!({"date": day.to_string(), "sessions": sessions}))
        .collect();
    serde_json::json!({
        "format": result.format.as_str(),
        "event_id": event.id,
        "title": event.title,
        "timezone": event.timezone,
        "day_change_hour": event.day_change_hour,
        "events": bundle.sessions.len(),
        "locations": bundle.locations.len(),
        "days": event.days.len(),
        "day_list": days,
        "speakers": bundle.speakers.len(),
        "tracks": bundle.tracks.len(),
        "exhibitors": bundle.exhibitors.len(),
        "languages": event.languages,
        "warnings": result.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

fn summary_text(result: &Import) -> String {
    let bundle = &result.bundle;
    let event = &bundle.event;
    let mut out = String::new();
    out.push_str(&format!(
        "{} ({}): {} [{}]\n",
        event.title,
        event.id,
        result.format.describe(),
        result.format
    ));
    out.push_str(&format!(
        "timezone {}, day change at {:02}:00\n",
        event.timezone, event.day_change_hour
    ));
    out.push_str(&format!(
        "{} sessions, {} locations, {} tracks, {} speakers, {} exhibitors\n",
        bundle.sessions.len(),
        bundle.locations.len(),
        bundle.tracks.len(),
        bundle.speakers.len(),
        bundle.exhibitors.len()
    ));
    out.push_str(&format!("{} days:\n", event.days.len()));
    for (day, sessions) in sessions_per_day(result) {
        out.push_str(&format!(
            "  {} {}: {sessions} sessions\n",
            day,
            day.format("%a")
        ));
    }
    if result.warnings.is_empty() {
        out.push_str("no warnings\n");
    } else {
        out.push_str(&format!("{} warnings:\n", result.warnings.len()));
        for warning in result.warnings.iter().take(SHOWN_WARNINGS) {
            out.push_str(&format!("  - {warning}\n"));
        }
        if result.warnings.len() > SHOWN_WARNINGS {
            out.push_str(&format!(
                "  ... and {} more (--json lists all)\n",
                result.warnings.len() - SHOWN_WARNINGS
            ));
        }
    }
    out.push_str("nothing was published (import-check only reads)\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::schedule_file::parse_format;
    use marktplatz_import::{Format, ImportOptions};

    #[test]
    fn json_summary_has_the_documented_keys() {
        let csv = "Titel;Datum;Beginn;Ende;Raum;Referent\nA;04.03.2027;09:00;09:30;Saal;Anna\nB;04.03.2027;10:00;10:30;Saal;Anna und Bert\n";
        let result = import::import(csv.as_bytes(), &ImportOptions::default()).unwrap();
        let json = summary_json(&result);
        assert_eq!(json["format"], "csv-sessions");
        assert_eq!(json["event_id"], "csv-import");
        assert_eq!(json["events"], 2);
        assert_eq!(json["locations"], 1);
        assert_eq!(json["days"], 1);
        assert_eq!(json["day_list"][0]["sessions"], 2);
        assert_eq!(json["speakers"], 2);
        assert_eq!(json["tracks"], 0);
        assert!(json["warnings"][0].as_str().unwrap().contains("timezone"));
        let text = summary_text(&result);
        assert!(text.contains("2 sessions, 1 locations"), "{text}");
        assert!(text.contains("nothing was published"), "{text}");
    }

    #[test]
    fn formats_parse_for_the_flag() {
        assert_eq!(parse_format("ics"), Ok(Format::ICalendar));
        assert!(parse_format("pdf").unwrap_err().contains("frab-xml"));
    }
}

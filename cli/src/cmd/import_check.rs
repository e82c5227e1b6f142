//! `marktplatz import-check FILE`: what a schedule file would import, without publishing it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use marktplatz_import::{self as import, Import};
use marktplatz_model::time::EventClock;

use super::schedule_file::{ImportArgs, read_limited};
use crate::error::{CliError, CmdResult};
use crate::i18n::{self, Lang, messages as msg};

/// How many warnings the human output lists (`--json` lists them all).
const SHOWN_WARNINGS: usize = 20;

#[derive(clap::Args)]
pub struct Args {
    /// The schedule file: frab XML, c3voc JSON, iCalendar or CSV.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print a JSON object instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// The event id to use (default: the file's acronym or a slug of its title).
    #[arg(long, value_name = "ID")]
    pub event_id: Option<String>,
    #[command(flatten)]
    pub import: ImportArgs,
}

pub fn run(args: Args) -> CmdResult {
    let options = args.import.options(args.event_id.as_deref());
    let bytes = read_limited(&args.file, options.max_bytes)?;
    let result = import::import(&bytes, &options).map_err(|error| {
        let error = CliError::from(error);
        CliError::new(
            error.exit,
            format!("{}: {}", args.file.display(), error.message),
        )
    })?;
    if args.json {
        return crate::out::json(&summary_json(&result));
    }
    crate::out::bytes(summary_text(&result).as_bytes())
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
        "warnings": result.warnings.iter().map(|w| w.line(in_german())).collect::<Vec<_>>(),
    })
}

/// Import warnings come in both languages; the run's decides (never mixed).
fn in_german() -> bool {
    i18n::current() == Lang::De
}

fn summary_text(result: &Import) -> String {
    let bundle = &result.bundle;
    let event = &bundle.event;
    let mut out = String::new();
    out.push_str(&format!(
        "{} ({}): {} [{}]\n",
        event.title,
        event.id,
        msg::format_name(result.format),
        result.format
    ));
    out.push_str(&msg::import_zone(&event.timezone, event.day_change_hour));
    out.push_str(&msg::import_counts(
        bundle.sessions.len(),
        bundle.locations.len(),
        bundle.tracks.len(),
        bundle.speakers.len(),
        bundle.exhibitors.len(),
    ));
    out.push_str(&msg::import_days(event.days.len()));
    for (day, sessions) in sessions_per_day(result) {
        out.push_str(&format!(
            "  {}: {}\n",
            msg::date_with_weekday(day),
            msg::sessions_count(sessions)
        ));
    }
    if result.warnings.is_empty() {
        out.push_str(&msg::no_warnings());
    } else {
        out.push_str(&msg::warnings_header(result.warnings.len()));
        for warning in result.warnings.iter().take(SHOWN_WARNINGS) {
            out.push_str(&format!("  - {}\n", warning.line(in_german())));
        }
        if result.warnings.len() > SHOWN_WARNINGS {
            out.push_str(&msg::more_warnings(result.warnings.len() - SHOWN_WARNINGS));
        }
    }
    out.push_str(&msg::nothing_published());
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
        // In the run's language (the binary's tests check both).
        assert!(text.contains(&msg::import_counts(2, 1, 0, 2, 0)), "{text}");
        assert!(text.contains(&msg::nothing_published()), "{text}");
    }

    #[test]
    fn formats_parse_for_the_flag() {
        assert_eq!(parse_format("ics"), Ok(Format::ICalendar));
        assert!(parse_format("pdf").unwrap_err().contains("frab-xml"));
    }
}

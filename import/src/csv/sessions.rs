//! A spreadsheet of sessions: title, date and start (with an end, a range or a duration), room
//! or station, track, speakers with their organisations, language, kind, status, link.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use marktplatz_model::error::{Error, Result};
use marktplatz_model::model::{LocationKind, Session, SessionStatus};
use marktplatz_model::time::EventClock;

use super::columns::{Column, SESSION_HEADERS, header_key};
use super::{Row, Sheet, Table, csv_event, require, rows, with_scheme};
use crate::builder::{Builder, Built, Draft, Person, link};
use crate::dates::{parse_german_date, parse_german_time, parse_minutes};
use crate::kinds::{session_kind, status_of};
use crate::text::{clean_line, clean_text};
use crate::warnings::{Text, Warnings, text};
use crate::{Context, ids, local_time, tz};

pub(super) fn sessions(sheet: Sheet, ctx: &Context) -> Result<Built> {
    let Table {
        what,
        headers,
        columns,
        rows,
    } = rows(sheet, SESSION_HEADERS);
    require(
        what,
        &headers,
        &columns,
        &[
            (Column::Title, "title (Titel)"),
            (Column::Start, "start time (Beginn)"),
        ],
    )?;
    let mut builder = Builder::new();
    let zone = match ctx.timezone {
        Some(zone) => zone,
        None => {
            builder.warnings.push(
                Text::file(),
                "timezone",
                text!(
                    "a spreadsheet (CSV, XLSX, ODS) names no timezone; assumed {}; pass --timezone to choose another",
                    "eine Tabelle (CSV, XLSX, ODS) nennt keine Zeitzone; {} angenommen; mit --timezone lässt sich eine andere wählen",
                    tz::default_zone()
                ),
            );
            tz::default_zone()
        }
    };
    let clock = EventClock::new(zone.name(), 0)?;
    // The header says whether the place is a room or a station of the fair.
    let room_kind = headers
        .iter()
        .zip(&columns)
        .find(|(_, c)| **c == Some(Column::Room))
        .map(|(h, _)| match header_key(h).as_str() {
            "station" | "stand" | "standort" => LocationKind::Station,
            _ => LocationKind::Room,
        })
        .unwrap_or_default();

    let mut dates = Dates {
        previous: None,
        only_day: (ctx.days.len() == 1).then(|| ctx.days[0]),
        filled_down: 0,
    };
    let mut no_end = 0usize;
    for row in &rows {
        let title = clean_line(row.get(Column::Title).unwrap_or_default());
        let shown: String = title.chars().take(60).collect();
        let subject = text!("row {} '{shown}'", "Zeile {} „{shown}“", row.line);
        if title.is_empty() {
            builder.warnings.push(
                Text::row(row.line),
                "title",
                text!(
                    "is empty; the row was skipped",
                    "ist leer; die Zeile wurde übersprungen"
                ),
            );
            continue;
        }
        let (start, end) = match times(row, &mut dates, &clock, &mut builder.warnings, &subject) {
            Ok(times) => times,
            Err((field, message)) => {
                let message = Text::new(
                    format!("{}; the row was skipped", message.en),
                    format!("{}; die Zeile wurde übersprungen", message.de),
                );
                builder.warnings.push(subject, field, message);
                continue;
            }
        };
        let end = end.unwrap_or_else(|| {
            no_end += 1;
            start
        });
        let draft = draft(row, title, subject, (start, end), room_kind, &mut builder);
        builder.push_draft(draft);
    }
    if dates.filled_down > 0 {
        let n = dates.filled_down;
        builder.warnings.push(
            Text::file(),
            "date",
            text!(
                "{n} rows have no date; each took the date of the row above (as spreadsheets with merged date cells export)",
                "{n} Zeilen haben kein Datum; jede hat das Datum der Zeile darüber bekommen (so exportieren Tabellen mit verbundenen Datumszellen)"
            ),
        );
    }
    if no_end > 0 {
        builder.warnings.push(
            Text::file(),
            "end",
            text!(
                "{no_end} rows have neither an end time nor a duration; they were kept with no length",
                "{no_end} Zeilen haben weder ein Ende noch eine Dauer; sie wurden ohne Länge behalten"
            ),
        );
    }
    if !builder.has_sessions() {
        return Err(Error::malformed(
            what,
            "has no row with a title, a date and a start time; nothing to import",
        ));
    }
    let mut days: BTreeSet<NaiveDate> = builder.session_days(&clock);
    days.extend(ctx.days.iter().copied());
    Ok(builder.finish(csv_event(ctx, zone.name(), days)))
}

/// Where a row without a date takes its date from: the row above (merged date cells), or the
/// one day the caller named.
struct Dates {
    previous: Option<NaiveDate>,
    only_day: Option<NaiveDate>,
    /// Rows that took the date of the row above.
    filled_down: usize,
}

/// Why a row was skipped: the field and what was wrong with it.
type Skip = (&'static str, Text);

/// A row's start and (when it has one) end: the start column carries a time, a date and time,
/// or a range; the date comes from its own column or from [`Dates`].
fn times(
    row: &Row,
    dates: &mut Dates,
    clock: &EventClock,
    warnings: &mut Warnings,
    subject: &Text,
) -> std::result::Result<(DateTime<Utc>, Option<DateTime<Utc>>), Skip> {
    let start_text = row.get(Column::Start).unwrap_or_default();
    // "01.02.2027 14:30" in the start column carries its own date.
    let Some((start_date, start_time, range_end)) = split_start(start_text) else {
        return Err((
            "start",
            text!(
                "'{start_text}' is not a time (like 14:30)",
                "„{start_text}“ ist keine Uhrzeit (etwa 14:30)"
            ),
        ));
    };
    let date = match (start_date, row.get(Column::Date)) {
        (Some(date), _) => date,
        (None, Some(text)) => parse_german_date(text).ok_or_else(|| {
            (
                "date",
                text!(
                    "'{text}' is not a date (like 01.02.2027 or 2027-02-01)",
                    "„{text}“ ist kein Datum (etwa 01.02.2027 oder 2027-02-01)"
                ),
            )
        })?,
        (None, None) => {
            let date = dates.previous.or(dates.only_day).ok_or_else(|| {
                (
                    "date",
                    text!(
                        "is empty and no earlier row has one",
                        "ist leer, und keine Zeile darüber hat eines"
                    ),
                )
            })?;
            dates.filled_down += 1;
            date
        }
    };
    dates.previous = Some(date);
    local_time::check(
        clock.tz,
        date.and_time(start_time),
        warnings,
        subject,
        "start",
    );
    let start = clock.instant_of_local(date.and_time(start_time));
    let end = end_of(row, date, start, range_end, clock).map_err(|message| ("end", message))?;
    if let Some((_, Some(wall))) = end {
        local_time::check(clock.tz, wall, warnings, subject, "end");
    }
    Ok((start, end.map(|(end, _)| end)))
}

/// The session of a row whose times are known.
fn draft(
    row: &Row,
    title: String,
    subject: Text,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    room_kind: LocationKind,
    builder: &mut Builder,
) -> Draft {
    let location_id = row
        .get(Column::Room)
        .and_then(|r| builder.location(r, None, room_kind, ""));
    let track_id = row.get(Column::Track).and_then(|t| builder.track(t, None));
    let speaker_ids = speakers(row, builder);
    let languages = row
        .get(Column::Language)
        .map(|raw| builder.languages(raw, &subject))
        .unwrap_or_default();
    let kind_text = row.get(Column::Kind).map(clean_line).unwrap_or_default();
    let status = if row.get(Column::Status).is_some_and(says_cancelled) {
        SessionStatus::Cancelled
    } else {
        status_of(&title)
    };
    let file_id = row.get(Column::Id).and_then(ids::usable);
    let id_from_file = file_id.is_some();
    let base_id = file_id
        .unwrap_or_else(|| ids::derived("session", &format!("csv:{}", ids::name_key(&title))));
    Draft {
        base_id,
        id_from_file,
        subject,
        session: Session {
            id: String::new(),
            kind: session_kind(&kind_text, &title),
            title,
            subtitle: None,
            abstract_text: row
                .get(Column::Abstract)
                .map(clean_text)
                .unwrap_or_default(),
            description: row
                .get(Column::Description)
                .map(clean_text)
                .unwrap_or_default(),
            start,
            end,
            location_id,
            track_id,
            languages,
            speaker_ids,
            status,
            tags: if kind_text.is_empty() {
                Vec::new()
            } else {
                vec![kind_text]
            },
            links: row
                .get(Column::Url)
                .and_then(|u| link("", &with_scheme(u)))
                .into_iter()
                .collect(),
        },
    }
}

/// The row's speakers (each once), with the organisation in parentheses or in its own column.
fn speakers(row: &Row, builder: &mut Builder) -> Vec<String> {
    let organisation = row.get(Column::Organisation);
    let mut speaker_ids = Vec::new();
    for person in split_people(row.get(Column::Speakers).unwrap_or_default()) {
        let (name, org) = name_and_organisation(&person);
        let person = Person {
            name,
            organisation: org.or(organisation.map(str::to_string)),
            ..Person::default()
        };
        if let Some(id) = builder.speaker(&person)
            && !speaker_ids.contains(&id)
        {
            speaker_ids.push(id);
        }
    }
    speaker_ids
}

/// Whether a status cell says the session is off ("abgesagt", "entfällt", "cancelled", ...).
fn says_cancelled(status: &str) -> bool {
    let status = marktplatz_model::text::fold(status);
    [
        "abgesagt",
        "entfallt",
        "entfaellt",
        "cancelled",
        "canceled",
        "ausgefallen",
        "fallt aus",
    ]
    .iter()
    .any(|w| status.contains(w))
}

/// The start column: a time, a date and time, or a range "14:30 - 15:15".
fn split_start(text: &str) -> Option<(Option<NaiveDate>, NaiveTime, Option<NaiveTime>)> {
    let text = text.trim();
    let (first, range_end) = match split_range(text) {
        Some((a, b)) => (a, Some(parse_german_time(b)?)),
        None => (text, None),
    };
    if let Some(time) = parse_german_time(first) {
        return Some((None, time, range_end));
    }
    // "01.02.2027 14:30" or "2027-02-01 14:30" or "2027-02-01T14:30"
    let (date, time) = first.rsplit_once([' ', 'T'])?;
    Some((
        Some(parse_german_date(date)?),
        parse_german_time(time)?,
        range_end,
    ))
}

fn split_range(text: &str) -> Option<(&str, &str)> {
    for separator in [" - ", " – ", "–", " bis ", "-"] {
        if let Some((a, b)) = text.split_once(separator)
            && parse_german_time(b).is_some()
            && (parse_german_time(a).is_some() || a.contains(' '))
        {
            return Some((a.trim(), b.trim()));
        }
    }
    None
}

/// An end, and the wall-clock time it was written as (none for a duration).
type End = (DateTime<Utc>, Option<NaiveDateTime>);

fn end_of(
    row: &Row,
    date: NaiveDate,
    start: DateTime<Utc>,
    range_end: Option<NaiveTime>,
    clock: &EventClock,
) -> std::result::Result<Option<End>, Text> {
    let end_time = match (range_end, row.get(Column::End)) {
        (Some(t), _) => Some(t),
        (None, Some(text)) => match split_start(text) {
            Some((Some(end_date), time, _)) => {
                let wall = end_date.and_time(time);
                let end = clock.instant_of_local(wall);
                return if end < start {
                    Err(text!(
                        "'{text}' is before the start",
                        "„{text}“ liegt vor dem Beginn"
                    ))
                } else {
                    Ok(Some((end, Some(wall))))
                };
            }
            Some((None, time, _)) => Some(time),
            None => {
                return Err(text!(
                    "'{text}' is not a time (like 15:15)",
                    "„{text}“ ist keine Uhrzeit (etwa 15:15)"
                ));
            }
        },
        (None, None) => None,
    };
    if let Some(time) = end_time {
        let wall = date.and_time(time);
        let end = clock.instant_of_local(wall);
        if end < start {
            let time = time.format("%H:%M");
            return Err(text!(
                "{time} is before the start",
                "{time} liegt vor dem Beginn"
            ));
        }
        return Ok(Some((end, Some(wall))));
    }
    if let Some(text) = row.get(Column::Duration) {
        return match parse_minutes(text) {
            Some(minutes) => Ok(Duration::try_minutes(minutes)
                .and_then(|duration| start.checked_add_signed(duration))
                .map(|end| (end, None))),
            None => Err(text!(
                "duration '{text}' is not minutes (45) or hours and minutes (0:45)",
                "die Dauer „{text}“ ist weder Minuten (45) noch Stunden und Minuten (0:45)"
            )),
        };
    }
    Ok(None)
}

/// People in one cell: separated by `;`, `,`, newlines, " und ", " and ", " & ".
fn split_people(cell: &str) -> Vec<String> {
    let mut text = cell.replace(['\n', '|'], ";");
    for separator in [" und ", " and ", " & ", ","] {
        // A comma inside parentheses belongs to an organisation: "Anna (Stadt, Amt 10)".
        if separator == "," {
            let mut depth = 0i32;
            text = text
                .chars()
                .map(|c| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        ',' if depth <= 0 => return ';',
                        _ => {}
                    }
                    c
                })
                .collect();
        } else {
            text = text.replace(separator, ";");
        }
    }
    text.split(';')
        .map(clean_line)
        .filter(|p| !p.is_empty())
        .collect()
}

/// "Anna Beispiel (Stadt Delmenhorst)" -> ("Anna Beispiel", Some("Stadt Delmenhorst")).
fn name_and_organisation(person: &str) -> (String, Option<String>) {
    if let Some((name, rest)) = person.split_once('(')
        && let Some(org) = rest.strip_suffix(')')
        && !name.trim().is_empty()
    {
        return (
            clean_line(name),
            Some(clean_line(org)).filter(|o| !o.is_empty()),
        );
    }
    (clean_line(person), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_minutes() {
        let (date, start, end) = split_start("10:00 - 10:45").unwrap();
        assert_eq!(
            (date, start, end),
            (
                None,
                NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(10, 45, 0)
            )
        );
        let (date, start, _) = split_start("04.03.2027 09:30").unwrap();
        assert_eq!(date, NaiveDate::from_ymd_opt(2027, 3, 4));
        assert_eq!(start, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        assert_eq!(parse_minutes("45"), Some(45));
        // Found by the fuzzer: minutes out of chrono's range panicked.
        assert_eq!(parse_minutes("10:-1000000000648756902"), None);
        assert_eq!(parse_minutes("10:-5"), None);
        assert_eq!(parse_minutes("99999999999999999:00"), None);
        assert_eq!(parse_minutes("166:40"), Some(10_000));
        assert_eq!(parse_minutes("166:41"), None);
        assert_eq!(parse_minutes("45 min"), Some(45));
        assert_eq!(parse_minutes("0:45"), Some(45));
        assert_eq!(parse_minutes("1,5 h"), Some(90));
        assert_eq!(parse_minutes("lang"), None);
    }

    #[test]
    fn people_and_organisations() {
        assert_eq!(
            split_people("Anna Beispiel; Bert Muster"),
            ["Anna Beispiel", "Bert Muster"]
        );
        assert_eq!(
            split_people("Anna und Bert, Carla"),
            ["Anna", "Bert", "Carla"]
        );
        assert_eq!(
            split_people("Anna (Stadt Delmenhorst, Amt 10)"),
            ["Anna (Stadt Delmenhorst, Amt 10)"]
        );
        assert_eq!(
            name_and_organisation("Anna Beispiel (Stadt Delmenhorst)"),
            (
                "Anna Beispiel".to_string(),
                Some("Stadt Delmenhorst".to_string())
            )
        );
    }
}

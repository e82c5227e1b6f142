//! A spreadsheet of exhibitors: name, station, topics, contact, website, the fair's days.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use marktplatz_model::error::{Error, Result};
use marktplatz_model::model::{Contact, Exhibitor, LocationKind};

use super::columns::{Column, EXHIBITOR_HEADERS};
use super::{Row, Sheet, Table, csv_event, require, rows, with_scheme};
use crate::builder::{Builder, Built, link};
use crate::dates::parse_german_date;
use crate::text::{clean_line, clean_text};
use crate::warnings::{Text, Warnings, text};
use crate::{Context, ids, tz};

pub(super) fn exhibitors(sheet: Sheet, ctx: &Context) -> Result<Built> {
    let Table {
        what,
        headers,
        columns,
        rows,
    } = rows(sheet, EXHIBITOR_HEADERS);
    require(
        what,
        &headers,
        &columns,
        &[(Column::Name, "name (Aussteller)")],
    )?;
    let mut builder = Builder::new();
    let zone = ctx.timezone.unwrap_or(tz::default_zone());
    let mut days: BTreeSet<NaiveDate> = ctx.days.iter().copied().collect();
    let mut seen: Vec<(String, Exhibitor)> = Vec::new();
    for row in &rows {
        let name = clean_line(row.get(Column::Name).unwrap_or_default());
        let shown: String = name.chars().take(60).collect();
        let subject = text!("row {} '{shown}'", "Zeile {} „{shown}“", row.line);
        if name.is_empty() {
            builder.warnings.push(
                Text::row(row.line),
                "name",
                text!(
                    "is empty; the row was skipped",
                    "ist leer; die Zeile wurde übersprungen"
                ),
            );
            continue;
        }
        add_days(row, &subject, &mut days, &mut builder.warnings);
        let station_id = row
            .get(Column::Room)
            .and_then(|s| builder.location(s, None, LocationKind::Station, ""));
        let topics: Vec<String> = row
            .get(Column::Topics)
            .map(|t| {
                t.split([';', ',', '|', '\n'])
                    .map(clean_line)
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let contact = contact(row, &subject, &mut builder.warnings);
        let website = website(row, &subject, &mut builder.warnings);
        let file_id = row.get(Column::Id).and_then(ids::usable);
        let id_from_file = file_id.is_some();
        let key = file_id
            .unwrap_or_else(|| ids::derived("exhibitor", &format!("csv:{}", ids::name_key(&name))));
        let exhibitor = Exhibitor {
            id: key.clone(),
            name,
            station_id,
            topics,
            description: row
                .get(Column::Description)
                .map(clean_text)
                .unwrap_or_default(),
            contact,
            website,
            logo: None,
        };
        match seen.iter().find(|(k, _)| *k == key) {
            Some((_, earlier)) if *earlier == exhibitor => {
                builder.warnings.push(
                    subject,
                    "name",
                    text!(
                        "is listed twice with the same details; the second row was skipped",
                        "steht zweimal mit denselben Angaben; die zweite Zeile wurde übersprungen"
                    ),
                );
            }
            Some(_) => {
                let n = seen.iter().filter(|(k, _)| k.starts_with(&key)).count() + 1;
                let mut exhibitor = exhibitor;
                exhibitor.id = format!("{key}-{n}");
                builder.warnings.push(
                    subject,
                    "name",
                    text!(
                        "is listed again with other details; kept as its own exhibitor with id {}",
                        "steht noch einmal mit anderen Angaben; als eigener Aussteller mit ID {} behalten",
                        exhibitor.id
                    ),
                );
                seen.push((exhibitor.id.clone(), exhibitor.clone()));
                builder.made_up.exhibitors.insert(exhibitor.id.clone());
                builder.push_exhibitor(exhibitor);
            }
            None => {
                if !id_from_file {
                    builder.made_up.exhibitors.insert(key.clone());
                }
                seen.push((key, exhibitor.clone()));
                builder.push_exhibitor(exhibitor);
            }
        }
    }
    if builder.exhibitor_count() == 0 {
        return Err(Error::malformed(
            what,
            "has no row with an exhibitor name; nothing to import",
        ));
    }
    if days.is_empty() {
        return Err(Error::invalid(
            what,
            "date",
            "an exhibitor list carries no event days: add a 'Datum' column or pass the fair's day(s) (--day 2027-03-04)",
        ));
    }
    Ok(builder.finish(csv_event(ctx, zone.name(), days)))
}

/// The fair's days a row names in its date column (several, separated by `;`, `,` or lines).
fn add_days(row: &Row, subject: &Text, days: &mut BTreeSet<NaiveDate>, warnings: &mut Warnings) {
    if let Some(text) = row.get(Column::Date) {
        for part in text
            .split([';', ',', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match parse_german_date(part) {
                Some(day) => {
                    days.insert(day);
                }
                None => warnings.push(
                    subject,
                    "date",
                    text!(
                        "'{part}' is not a date; left out",
                        "„{part}“ ist kein Datum; weggelassen"
                    ),
                ),
            }
        }
    }
}

/// Contact person, e-mail (checked) and phone; `None` when the row has none of them.
fn contact(row: &Row, subject: &Text, warnings: &mut Warnings) -> Option<Contact> {
    let email = match row.get(Column::Email).map(str::trim) {
        Some(e) if e.contains('@') && !e.contains(' ') => {
            Some(e.trim_start_matches("mailto:").to_string())
        }
        Some(e) => {
            warnings.push(
                subject,
                "email",
                text!(
                    "'{e}' is not an e-mail address; left out",
                    "„{e}“ ist keine E-Mail-Adresse; weggelassen"
                ),
            );
            None
        }
        None => None,
    };
    let contact_name = row.get(Column::Contact).map(clean_line);
    let phone = row.get(Column::Phone).map(clean_line);
    (contact_name.is_some() || email.is_some() || phone.is_some()).then_some(Contact {
        name: contact_name,
        email,
        phone,
    })
}

/// The website, with `https://` added when the cell has no scheme.
fn website(row: &Row, subject: &Text, warnings: &mut Warnings) -> Option<String> {
    match row.get(Column::Url) {
        Some(url) => match link("", &with_scheme(url)) {
            Some(l) => Some(l.url),
            None => {
                warnings.push(
                    subject,
                    "website",
                    text!(
                        "'{url}' is not a web address; left out",
                        "„{url}“ ist keine Webadresse; weggelassen"
                    ),
                );
                None
            }
        },
        None => None,
    }
}

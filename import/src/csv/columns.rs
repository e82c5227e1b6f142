//! The columns a spreadsheet may have and the header spellings (German and English) that name
//! them, per layout: sessions or exhibitors.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Column {
    Id,
    Title,
    Date,
    Start,
    End,
    Duration,
    Room,
    Speakers,
    Organisation,
    Track,
    Language,
    Abstract,
    Description,
    Kind,
    Status,
    Url,
    // Exhibitors
    Name,
    Topics,
    Contact,
    Email,
    Phone,
}

/// Header spellings (folded, letters and digits only) per column, for sessions.
pub(super) const SESSION_HEADERS: &[(Column, &[&str])] = &[
    (Column::Id, &["id", "kennung", "uid", "guid", "sessionid"]),
    (
        Column::Title,
        &[
            "titel",
            "title",
            "vortragstitel",
            "vortrag",
            "programmpunkt",
            "veranstaltung",
            "session",
            "bezeichnung",
            "name",
        ],
    ),
    (Column::Date, &["datum", "date", "tag", "day"]),
    (
        Column::Start,
        &[
            "beginn",
            "start",
            "von",
            "uhrzeit",
            "zeit",
            "startzeit",
            "anfang",
            "time",
            "from",
            "starttime",
            "begin",
        ],
    ),
    (
        Column::End,
        &["ende", "end", "bis", "endzeit", "to", "endtime", "until"],
    ),
    (
        Column::Duration,
        &[
            "dauer",
            "duration",
            "dauerinminuten",
            "dauermin",
            "lange",
            "minuten",
            "minutes",
            "length",
        ],
    ),
    (
        Column::Room,
        &[
            "raum", "station", "ort", "room", "location", "stand", "saal", "bereich", "standort",
            "buhne", "stage",
        ],
    ),
    (
        Column::Speakers,
        &[
            "referenten",
            "referent",
            "referentin",
            "referentinnen",
            "referierende",
            "sprecher",
            "sprecherin",
            "sprecherinnen",
            "speaker",
            "speakers",
            "vortragende",
            "vortragender",
            "personen",
            "mitwirkende",
            "moderation",
            "persons",
        ],
    ),
    (
        Column::Organisation,
        &[
            "organisation",
            "organization",
            "behorde",
            "kommune",
            "institution",
            "firma",
            "unternehmen",
            "affiliation",
        ],
    ),
    (
        Column::Track,
        &[
            "thema",
            "track",
            "themenfeld",
            "themenbereich",
            "kategorie",
            "category",
            "schwerpunkt",
            "themen",
        ],
    ),
    (
        Column::Language,
        &["sprache", "language", "lang", "sprachen"],
    ),
    (
        Column::Abstract,
        &[
            "kurzbeschreibung",
            "abstract",
            "teaser",
            "zusammenfassung",
            "kurztext",
        ],
    ),
    (
        Column::Description,
        &[
            "beschreibung",
            "description",
            "text",
            "inhalt",
            "details",
            "langtext",
        ],
    ),
    (
        Column::Kind,
        &[
            "art",
            "typ",
            "type",
            "format",
            "kind",
            "veranstaltungsart",
            "formate",
        ],
    ),
    (Column::Status, &["status"]),
    (
        Column::Url,
        &["url", "link", "webseite", "website", "weblink", "homepage"],
    ),
];

/// The German header the XLSX template (`crate::template`) writes for each session column, in
/// the order of the template; a test checks each names its column in [`SESSION_HEADERS`].
pub(crate) const SESSION_TEMPLATE: &[(Column, &str)] = &[
    (Column::Title, "Titel"),
    (Column::Date, "Datum"),
    (Column::Start, "Beginn"),
    (Column::End, "Ende"),
    (Column::Duration, "Dauer"),
    (Column::Room, "Station"),
    (Column::Speakers, "Referent(en)"),
    (Column::Organisation, "Organisation"),
    (Column::Track, "Thema"),
    (Column::Language, "Sprache"),
    (Column::Abstract, "Kurzbeschreibung"),
    (Column::Description, "Beschreibung"),
    (Column::Kind, "Art"),
    (Column::Status, "Status"),
    (Column::Url, "Link"),
    (Column::Id, "ID"),
];

pub(super) const EXHIBITOR_HEADERS: &[(Column, &[&str])] = &[
    (Column::Id, &["id", "kennung", "uid", "guid"]),
    (
        Column::Name,
        &[
            "aussteller",
            "ausstellerin",
            "name",
            "firma",
            "organisation",
            "organization",
            "kommune",
            "unternehmen",
            "exhibitor",
            "company",
            "behorde",
            "institution",
            "anbieter",
        ],
    ),
    (
        Column::Room,
        &[
            "station",
            "stand",
            "standort",
            "raum",
            "ort",
            "booth",
            "location",
            "standnummer",
            "bereich",
        ],
    ),
    (
        Column::Topics,
        &[
            "themen",
            "thema",
            "schwerpunkte",
            "schwerpunkt",
            "schlagworte",
            "stichworte",
            "topics",
            "tags",
            "kategorie",
            "kategorien",
        ],
    ),
    (
        Column::Description,
        &["beschreibung", "description", "text", "angebot", "details"],
    ),
    (
        Column::Contact,
        &[
            "ansprechpartner",
            "ansprechpartnerin",
            "ansprechperson",
            "kontakt",
            "contact",
            "kontaktperson",
        ],
    ),
    (Column::Email, &["email", "mail", "emailadresse"]),
    (
        Column::Phone,
        &["telefon", "tel", "phone", "telefonnummer", "fon"],
    ),
    (
        Column::Url,
        &[
            "webseite", "website", "url", "homepage", "internet", "link", "web",
        ],
    ),
    (Column::Date, &["datum", "tag", "tage", "date", "days"]),
];

pub(super) fn header_key(header: &str) -> String {
    marktplatz_model::text::fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Which column each header is, for one layout. A column is taken by its first header only.
pub(super) fn map_headers(headers: &[String], table: &[(Column, &[&str])]) -> Vec<Option<Column>> {
    let mut taken: Vec<Column> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let key = header_key(h);
            // "Referent(en)" folds to "referenten"; "E-Mail" to "email"; "Beginn (Uhrzeit)" to
            // "beginnuhrzeit", which matches by its first word. The table's spellings are keys
            // already (a test checks it): folding them here, for every header of every file,
            // was most of the cost of reading a small file.
            let column = table
                .iter()
                .find(|(_, names)| names.contains(&key.as_str()))
                .or_else(|| {
                    table
                        .iter()
                        .find(|(_, names)| names.iter().any(|n| n.len() >= 4 && key.starts_with(n)))
                })
                .map(|(c, _)| *c)?;
            if taken.contains(&column) {
                return None;
            }
            taken.push(column);
            Some(column)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_headers_name_their_columns() {
        let headers: Vec<String> = SESSION_TEMPLATE
            .iter()
            .map(|(_, h)| h.to_string())
            .collect();
        let expected: Vec<Option<Column>> =
            SESSION_TEMPLATE.iter().map(|(c, _)| Some(*c)).collect();
        assert_eq!(map_headers(&headers, SESSION_HEADERS), expected);
    }

    #[test]
    fn every_spelling_is_its_own_key() {
        for (column, names) in SESSION_HEADERS.iter().chain(EXHIBITOR_HEADERS) {
            for name in *names {
                assert_eq!(header_key(name), *name, "{column:?}: {name} is not folded");
            }
        }
    }

    #[test]
    fn a_wide_header_row_is_read_in_linear_time() {
        // 5,000 unknown headers: once, folding the table's spellings for every header made
        // this take seconds; each header is now folded once and compared.
        let headers: Vec<String> = (0..5_000).map(|i| format!("Spalte {i}")).collect();
        let started = std::time::Instant::now();
        let columns = map_headers(&headers, SESSION_HEADERS);
        assert!(columns.iter().all(Option::is_none));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn delimiters_and_headers() {
        use crate::csv::delimiter;
        assert_eq!(delimiter("Titel;Datum;Beginn\n"), b';');
        assert_eq!(delimiter("title,date,start\n"), b',');
        assert_eq!(delimiter("\"a;b\",c,d\n"), b',');
        let headers: Vec<String> = ["Referent(en)", "E-Mail", "Beginn (Uhrzeit)", "Thema/Track"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            map_headers(&headers, SESSION_HEADERS),
            [
                Some(Column::Speakers),
                None,
                Some(Column::Start),
                Some(Column::Track)
            ]
        );
    }
}

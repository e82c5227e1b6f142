//! A CSV text split into records, with csv-core's parser built once per delimiter and thread
//! and reset between files. Building that parser (a DFA over every byte) cost more than reading
//! a whole small file, and an import reads the header row up to three times (detect, sniff,
//! read). The parser is reset rather than cloned: csv-core's `Clone` leaves the DFA's tables
//! behind.

use std::cell::RefCell;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// The delimiters German and English spreadsheets use.
pub(super) const DELIMITERS: [u8; 3] = [b';', b',', b'\t'];

thread_local! {
    static PARSERS: RefCell<[Reader; 3]> =
        RefCell::new(DELIMITERS.map(|delimiter| ReaderBuilder::new().delimiter(delimiter).build()));
}

/// Runs `read` over the records of `text` split at `delimiter` (one of [`DELIMITERS`]; anything
/// else reads as a comma). RFC 4180 quoting with doubled quotes, any line ending, blank lines
/// skipped, a UTF-8 byte order mark dropped, rows of any length: what the `csv` crate does with
/// `flexible(true)`.
pub(super) fn with_records<R>(
    text: &str,
    delimiter: u8,
    read: impl FnOnce(&mut Records<'_, '_>) -> R,
) -> R {
    let index = DELIMITERS.iter().position(|d| *d == delimiter).unwrap_or(1);
    PARSERS.with(|parsers| match parsers.try_borrow_mut() {
        Ok(mut parsers) => {
            let parser = &mut parsers[index];
            parser.reset();
            read(&mut Records::new(parser, text))
        }
        // Only a read inside a read would get here; it builds its own parser.
        Err(_) => {
            let mut parser = ReaderBuilder::new().delimiter(DELIMITERS[index]).build();
            read(&mut Records::new(&mut parser, text))
        }
    })
}

pub(super) struct Records<'p, 't> {
    parser: &'p mut Reader,
    input: &'t [u8],
    fields: Vec<u8>,
    ends: Vec<usize>,
}

impl<'p, 't> Records<'p, 't> {
    fn new(parser: &'p mut Reader, text: &'t str) -> Self {
        Records {
            parser,
            input: text.as_bytes(),
            fields: vec![0; 256],
            ends: vec![0; 16],
        }
    }

    fn split(&self, ended: usize) -> Vec<String> {
        let mut start = 0;
        self.ends[..ended]
            .iter()
            .map(|&end| {
                // Fields are cut at ASCII delimiters and quotes of UTF-8 text, so they are
                // UTF-8; the lossy form only guards that reasoning.
                let field = String::from_utf8_lossy(&self.fields[start..end]).into_owned();
                start = end;
                field
            })
            .collect()
    }
}

impl Iterator for Records<'_, '_> {
    type Item = Vec<String>;

    fn next(&mut self) -> Option<Vec<String>> {
        let (mut written, mut ended) = (0, 0);
        loop {
            let (result, read, wrote, ends) = self.parser.read_record(
                self.input,
                &mut self.fields[written..],
                &mut self.ends[ended..],
            );
            self.input = &self.input[read..];
            written += wrote;
            ended += ends;
            match result {
                // All of the text is given at once: the next call, with no input left, ends it.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => return Some(self.split(ended)),
                ReadRecordResult::End => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn with_csv_crate(text: &str, delimiter: u8) -> Vec<Vec<String>> {
        ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|record| {
                record
                    .expect("text input has no errors")
                    .iter()
                    .map(str::to_string)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn quoted_fields_with_delimiters_doubled_quotes_and_line_breaks() {
        let text = "Titel;\"Beschreibung; lang\"\r\n\"Er sagte \"\"Hallo\"\"\";\"zwei\nZeilen\"\n\nletzte;\n";
        let rows: Vec<Vec<String>> = with_records(text, b';', |rows| rows.collect());
        assert_eq!(
            rows,
            vec![
                vec!["Titel".to_string(), "Beschreibung; lang".into()],
                vec!["Er sagte \"Hallo\"".to_string(), "zwei\nZeilen".into()],
                vec!["letzte".to_string(), String::new()],
            ]
        );
    }

    #[test]
    fn a_field_longer_than_the_buffers_is_read_whole() {
        let long = "ä".repeat(5_000);
        let fields = (0..40).map(|i| i.to_string()).collect::<Vec<_>>();
        let text = format!("{long},{}\nx", fields.join(","));
        let rows: Vec<Vec<String>> = with_records(&text, b',', |rows| rows.collect());
        assert_eq!(rows[0][0], long);
        assert_eq!(rows[0].len(), 41);
        assert_eq!(rows[1], vec!["x".to_string()]);
    }

    proptest! {
        /// The same records as the `csv` crate reads, for any text over the bytes that matter.
        #[test]
        fn reads_what_the_csv_crate_reads(
            text in proptest::string::string_regex("[a;,\t\"\r\n äß]{0,80}").expect("a regex"),
            which in 0usize..3,
        ) {
            let delimiter = DELIMITERS[which];
            let ours: Vec<Vec<String>> = with_records(&text, delimiter, |rows| rows.collect());
            prop_assert_eq!(ours, with_csv_crate(&text, delimiter));
        }
    }
}

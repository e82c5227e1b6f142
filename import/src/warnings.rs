//! What an import repaired or skipped, said so an organiser can find it in the file.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

/// A text an organiser reads, in both languages the tools speak: the importer cannot know
/// whose screen (a German CLI, an English console) it ends on, and output is never mixed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    pub en: String,
    pub de: String,
}

impl Text {
    pub fn new(en: impl Into<String>, de: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            de: de.into(),
        }
    }

    /// The German text when `german`, the English one otherwise.
    pub fn get(&self, german: bool) -> &str {
        if german { &self.de } else { &self.en }
    }
}

/// `text!("English {x}", "Deutsch {x}", args...)`: both languages formatted from the same
/// arguments (captured names or shared positional ones).
macro_rules! text {
    ($en:literal, $de:literal $(, $arg:expr)* $(,)?) => {
        $crate::warnings::Text {
            en: format!($en $(, $arg)*),
            de: format!($de $(, $arg)*),
        }
    };
}
pub(crate) use text;

/// One repair or skip. `subject` names the entry in the file (an event with its title and guid,
/// a CSV row, a VEVENT), `field` the field that was wrong as the file names it (never
/// translated: it is what the organiser looks for in the file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportWarning {
    pub subject: Text,
    pub field: String,
    pub message: Text,
}

impl ImportWarning {
    /// The warning as one line in German (`german`) or English.
    pub fn line(&self, german: bool) -> String {
        let (subject, message) = (self.subject.get(german), self.message.get(german));
        if self.field.is_empty() {
            format!("{subject}: {message}")
        } else {
            format!("{subject}: {}: {message}", self.field)
        }
    }
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line(false))
    }
}

impl Text {
    /// The file as a whole.
    pub fn file() -> Text {
        Text::new("file", "Datei")
    }

    /// The event's header (title, days, timezone).
    pub fn conference() -> Text {
        Text::new("conference", "Veranstaltung")
    }

    /// Row `line` of a spreadsheet (1-based, the header is row 1).
    pub fn row(line: usize) -> Text {
        text!("row {line}", "Zeile {line}")
    }
}

impl From<&Text> for Text {
    fn from(text: &Text) -> Text {
        text.clone()
    }
}

/// Keeps at most this many warnings; a broken file should not produce megabytes of them.
const MAX_WARNINGS: usize = 1000;

#[derive(Debug, Default)]
pub(crate) struct Warnings {
    list: Vec<ImportWarning>,
    once: HashSet<String>,
    dropped: usize,
}

impl Warnings {
    pub fn push(&mut self, subject: impl Into<Text>, field: impl Into<String>, message: Text) {
        if self.list.len() >= MAX_WARNINGS {
            self.dropped += 1;
            return;
        }
        self.list.push(ImportWarning {
            subject: subject.into(),
            field: field.into(),
            message,
        });
    }

    /// Warns only the first time `key` is seen (for problems that repeat on every entry).
    pub fn once(
        &mut self,
        key: &str,
        subject: impl Into<Text>,
        field: impl Into<String>,
        message: Text,
    ) {
        if self.once.insert(key.to_string()) {
            self.push(subject, field, message);
        }
    }

    pub fn into_list(mut self) -> Vec<ImportWarning> {
        if self.dropped > 0 {
            let dropped = self.dropped;
            self.list.push(ImportWarning {
                subject: Text::file(),
                field: String::new(),
                message: text!(
                    "{dropped} further warnings were not listed",
                    "{dropped} weitere Warnungen wurden nicht aufgeführt"
                ),
            });
        }
        self.list
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.list.len()
    }
}

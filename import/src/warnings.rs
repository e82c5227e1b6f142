//! What an import repaired or skipped, said so an organiser can find it in the file.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

/// One repair or skip. `subject` names the entry in the file (an event with its title and guid,
/// a CSV row, a VEVENT), `field` the field that was wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportWarning {
    pub subject: String,
    pub field: String,
    pub message: String,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.subject, self.message)
        } else {
            write!(f, "{}: {}: {}", self.subject, self.field, self.message)
        }
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
    pub fn push(
        &mut self,
        subject: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        if self.list.len() >= MAX_WARNINGS {
            self.dropped += 1;
            return;
        }
        self.list.push(ImportWarning {
            subject: subject.into(),
            field: field.into(),
            message: message.into(),
        });
    }

    /// Warns only the first time `key` is seen (for problems that repeat on every entry).
    pub fn once(
        &mut self,
        key: &str,
        subject: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        if self.once.insert(key.to_string()) {
            self.push(subject, field, message);
        }
    }

    pub fn into_list(mut self) -> Vec<ImportWarning> {
        if self.dropped > 0 {
            let dropped = self.dropped;
            self.list.push(ImportWarning {
                subject: "file".into(),
                field: String::new(),
                message: format!("{dropped} further warnings were not listed"),
            });
        }
        self.list
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.list.len()
    }
}

//! Builds the FTS5 MATCH expressions. Every term is a normalised word (letters and digits only)
//! that this module quotes itself; nothing the user typed reaches MATCH as syntax.
//!
//! Two tiers: `strong` requires every query part as a word or word beginning; `broad` also
//! accepts the compound (infix) and one-typo candidates from the vocabulary. The broad tier runs
//! only to fill up the list, so exact and prefix hits always rank first.

use super::parse::Group;
use super::vocab::Expansion;

pub(crate) struct Plan {
    pub strong: Option<String>,
    pub broad: Option<String>,
}

/// `groups[i]` comes with the expansion of its word (phrases have none).
pub(crate) fn plan(groups: &[(Group, Option<&Expansion>)], short_fields_only: bool) -> Plan {
    let mut strong = Vec::new();
    let mut broad = Vec::new();
    let mut strong_possible = true;
    let mut broad_differs = false;
    for (group, expansion) in groups {
        match group {
            Group::Phrase { words, open } => {
                let phrase = format!(
                    "{}{}",
                    quote(&words.join(" ")),
                    if *open { "*" } else { "" }
                );
                strong.push(phrase.clone());
                broad.push(phrase);
            }
            Group::Word(word) => {
                let Some(expansion) = expansion else {
                    return Plan::nothing();
                };
                if expansion.is_empty() {
                    // A required word that matches nothing: no document can match.
                    return Plan::nothing();
                }
                let prefix = format!("{}*", quote(word));
                let mut alternatives = Vec::new();
                if expansion.prefixed > 0 {
                    strong.push(prefix.clone());
                    alternatives.push(prefix);
                } else {
                    strong_possible = false;
                }
                for term in expansion.infix.iter().chain(&expansion.fuzzy) {
                    alternatives.push(quote(term));
                    broad_differs = true;
                }
                broad.push(if alternatives.len() == 1 {
                    alternatives.remove(0)
                } else {
                    format!("({})", alternatives.join(" OR "))
                });
            }
        }
    }
    let wrap = |parts: Vec<String>| {
        let expr = parts.join(" AND ");
        if short_fields_only {
            format!("{{title people place}} : ({expr})")
        } else {
            expr
        }
    };
    Plan {
        strong: (strong_possible && !strong.is_empty()).then(|| wrap(strong)),
        broad: (broad_differs && !broad.is_empty()).then(|| wrap(broad)),
    }
}

impl Plan {
    fn nothing() -> Plan {
        Plan {
            strong: None,
            broad: None,
        }
    }
}

/// An FTS5 string literal. The normaliser only produces letters and digits, so there is nothing
/// to escape; doubling quotes keeps it safe even if that ever changes.
fn quote(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_quoted_tiers() {
        let rechnung = Expansion {
            word: "rechnung".into(),
            exact: true,
            prefixed: 2,
            infix: vec!["erechnungsplattform".into()],
            fuzzy: vec![],
        };
        let bremen = Expansion {
            word: "bremen".into(),
            exact: true,
            prefixed: 1,
            ..Expansion::default()
        };
        let groups = vec![
            (Group::Word("rechnung".into()), Some(&rechnung)),
            (Group::Word("bremen".into()), Some(&bremen)),
            (
                Group::Phrase {
                    words: vec!["digitale".into(), "verw".into()],
                    open: true,
                },
                None,
            ),
        ];
        let plan = plan(&groups, false);
        assert_eq!(
            plan.strong.as_deref(),
            Some(r#""rechnung"* AND "bremen"* AND "digitale verw"*"#)
        );
        assert_eq!(
            plan.broad.as_deref(),
            Some(r#"("rechnung"* OR "erechnungsplattform") AND "bremen"* AND "digitale verw"*"#)
        );
    }

    #[test]
    fn a_word_matching_nothing_means_no_query() {
        let empty = Expansion::default();
        let plan = plan(&[(Group::Word("xyz".into()), Some(&empty))], false);
        assert!(plan.strong.is_none() && plan.broad.is_none());
    }
}

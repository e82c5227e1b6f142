//! The CLI's language: German when the locale is German, English otherwise, never mixed.
//!
//! Every text the CLI prints comes from [`messages`] (results and its own errors), [`errors`]
//! (the core's and the server's errors, rendered from their variants and codes) or [`help`]
//! (the German help texts over the clap definitions). Decision record: `docs/adr/0012-cli.md`.

pub mod errors;
pub mod help;
pub mod messages;

use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
}

static CURRENT: OnceLock<Lang> = OnceLock::new();

/// The language of this run, chosen once from the environment.
pub fn current() -> Lang {
    *CURRENT.get_or_init(|| from_env(|name| std::env::var(name).ok()))
}

/// POSIX order: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not empty decides;
/// `de`, `de_DE.UTF-8`, `de_AT`, ... are German, anything else (`C`, `en_GB`, unset) English.
pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(var)
        .find(|value| !value.is_empty());
    match locale {
        Some(value) if value.to_ascii_lowercase().starts_with("de") => Lang::De,
        _ => Lang::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn lc_all_wins_then_lc_messages_then_lang() {
        assert_eq!(from_env(env(&[("LANG", "de_DE.UTF-8")])), Lang::De);
        assert_eq!(
            from_env(env(&[("LANG", "de_DE.UTF-8"), ("LC_ALL", "C")])),
            Lang::En
        );
        assert_eq!(
            from_env(env(&[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "de_AT")])),
            Lang::De
        );
        assert_eq!(from_env(env(&[("LC_ALL", ""), ("LANG", "de")])), Lang::De);
        assert_eq!(from_env(env(&[])), Lang::En);
        assert_eq!(from_env(env(&[("LANG", "C.UTF-8")])), Lang::En);
    }
}

//! The clap command tree in the run's language, the examples every subcommand shows, and
//! clap's own errors (unknown option, missing value) with exit status 2.
//!
//! English help comes from the doc comments on the `Args` structs. In German, every about
//! and help text is replaced from `i18n::help` (a test fails for any argument without one),
//! and clap's fixed words ("Usage", "Options", "`[OPTIONS]`") are replaced too.

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use crate::error::Exit;
use crate::i18n::{self, Lang, help};
use crate::note;

/// `(command path, example)`: the example every subcommand's help ends with.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("", "marktplatz demo"),
    ("demo", "marktplatz demo --dir ./tour"),
    (
        "serve",
        "marktplatz serve --data ./srv --listen 127.0.0.1:8080 --demo",
    ),
    (
        "token",
        "marktplatz token --data ./srv --event egov-marktplatz-nordwest-2027 --role organiser --expires-in 12h --subject anna",
    ),
    (
        "token revoke",
        "marktplatz token revoke --data ./srv Xk3v9QbR2mLp",
    ),
    (
        "token list",
        "marktplatz token list --data ./srv --event egov-marktplatz-nordwest-2027",
    ),
    (
        "access-code",
        "marktplatz access-code --data ./srv --event egov-marktplatz-nordwest-2027 --code \"Markthalle 2027\"",
    ),
    (
        "backup",
        "marktplatz backup --data /var/lib/marktplatz --to /var/backups/marktplatz/2027-03-04",
    ),
    (
        "rotate-epoch",
        "marktplatz rotate-epoch --data /var/lib/marktplatz --all-events",
    ),
    (
        "admin",
        "marktplatz admin --server http://127.0.0.1:8080 --token-file admin.token list",
    ),
    (
        "admin issue",
        "marktplatz admin --server http://127.0.0.1:8080 --token-file admin.token issue --event egov-marktplatz-nordwest-2027 --subject anna",
    ),
    (
        "admin list",
        "marktplatz admin --server http://127.0.0.1:8080 --token-file admin.token list --event egov-marktplatz-nordwest-2027",
    ),
    (
        "admin revoke",
        "marktplatz admin --server http://127.0.0.1:8080 --token-file admin.token revoke Xk3v9QbR2mLp",
    ),
    (
        "admin access-code",
        "marktplatz admin --server http://127.0.0.1:8080 --token-file admin.token access-code --event egov-marktplatz-nordwest-2027 --code \"Markthalle 2027\"",
    ),
    ("organiser", "marktplatz organiser status --device ./phone"),
    (
        "organiser login",
        "marktplatz organiser login --token-file organiser.token --device ./phone --server http://127.0.0.1:8080 --event egov-marktplatz-nordwest-2027",
    ),
    (
        "organiser logout",
        "marktplatz organiser logout --device ./phone",
    ),
    (
        "organiser status",
        "marktplatz organiser status --device ./phone",
    ),
    (
        "announce",
        "marktplatz announce --device ./phone \"Häppchen und Getränke im Foyer\" --priority important --expires-in 2h",
    ),
    (
        "session",
        "marktplatz session move --device ./phone einlass --to foyer",
    ),
    (
        "session move",
        "marktplatz session move --device ./phone \"Digitales Archiv\" --to seminar",
    ),
    (
        "session retime",
        "marktplatz session retime --device ./phone einlass --start 8:15 --end \"9:30 Uhr\"",
    ),
    (
        "session cancel",
        "marktplatz session cancel --device ./phone einlass",
    ),
    (
        "session reinstate",
        "marktplatz session reinstate --device ./phone einlass",
    ),
    (
        "session edit",
        "marktplatz session edit --device ./phone einlass --title \"Einlass ab 8:15\"",
    ),
    (
        "photo",
        "marktplatz photo add --device ./phone halle.jpg --caption \"Blick in die Halle\"",
    ),
    (
        "photo add",
        "marktplatz photo add --device ./phone halle.jpg --caption \"Blick in die Halle\" --credit Anna",
    ),
    (
        "photo remove",
        "marktplatz photo remove --device ./phone photo-3f2a",
    ),
    ("outbox", "marktplatz outbox --device ./phone --all"),
    ("push", "marktplatz push --device ./phone"),
    (
        "publish",
        "marktplatz publish --token-file organiser.token --server http://127.0.0.1:8080 --event egov-marktplatz-nordwest-2027 programm.csv",
    ),
    (
        "releases",
        "marktplatz releases --token-file organiser.token --server http://127.0.0.1:8080 --event egov-marktplatz-nordwest-2027",
    ),
    (
        "revert",
        "marktplatz revert --token-file organiser.token --server http://127.0.0.1:8080 --event egov-marktplatz-nordwest-2027 --to 3 --dry-run",
    ),
    (
        "sync",
        "marktplatz sync --device ./phone --server http://127.0.0.1:8080 --event egov-marktplatz-nordwest-2027\n  \
         marktplatz sync --device ./phone --server http://127.0.0.1:8080 --event egov-marktplatz-nordwest-2027 --follow --json",
    ),
    ("fav", "marktplatz fav add --device ./phone eroeffnung"),
    (
        "fav add",
        "marktplatz fav add --device ./phone eroeffnung --note \"mit Anna\"",
    ),
    (
        "fav remove",
        "marktplatz fav remove --device ./phone eroeffnung",
    ),
    (
        "fav note",
        "marktplatz fav note --device ./phone eroeffnung \"Platz freihalten\"",
    ),
    ("fav list", "marktplatz fav list --device ./phone"),
    ("fav share", "marktplatz fav share --device ./phone"),
    (
        "fav import",
        "marktplatz fav import --device ./phone CODE --add",
    ),
    (
        "agenda",
        "marktplatz agenda --device ./phone --day 01.02.2027 --ids",
    ),
    ("alerts", "marktplatz alerts --device ./phone --mark-seen"),
    (
        "ics",
        "marktplatz ics --device ./phone --favourites --out meine-termine.ics",
    ),
    (
        "qr",
        "marktplatz qr --server https://marktplatz.example.org --event egov-marktplatz-nordwest-2027 --out plakat.png",
    ),
    (
        "import-check",
        "marktplatz import-check programm.csv --timezone Europe/Berlin",
    ),
    ("search", "marktplatz search --device ./phone bürgeramt"),
    (
        "completions",
        "marktplatz completions bash > /etc/bash_completion.d/marktplatz",
    ),
    ("man", "marktplatz man session move | man -l -"),
];

pub fn example(path: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(p, _)| *p == path).map(|(_, e)| *e)
}

/// The command tree in the run's language.
pub fn localize(command: Command) -> Command {
    localize_for(command, i18n::current())
}

pub fn localize_for(command: Command, lang: Lang) -> Command {
    let command = command.disable_help_subcommand(true);
    walk(command, "", lang)
}

fn walk(mut command: Command, path: &str, lang: Lang) -> Command {
    let label = match lang {
        Lang::En => "Example",
        Lang::De => "Beispiel",
    };
    if let Some(example) = example(path) {
        let text = match (path, lang) {
            ("", Lang::En) => format!(
                "{label}: {example}\n\nExit statuses: 0 done, 1 failure, 2 usage, 3 invalid input, \
                 4 refused, 5 offline, 6 conflict, 130 interrupted (docs/cli.md)."
            ),
            ("", Lang::De) => format!(
                "{label}: {example}\n\nExit-Status: 0 erledigt, 1 Fehler, 2 Aufruf falsch, 3 ungültige \
                 Eingabe, 4 abgelehnt, 5 offline, 6 Konflikt, 130 abgebrochen (docs/cli.md)."
            ),
            _ => format!("{label}: {example}"),
        };
        command = command.after_help(text);
    }
    if lang == Lang::De {
        command = german(command, path);
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        command = command.mut_subcommand(&name, |sub| walk(sub, &sub_path, lang));
    }
    command
}

/// German texts over one command: its about, every argument's help, clap's fixed words.
fn german(mut command: Command, path: &str) -> Command {
    if let Some(about) = help::about(path) {
        command = command.about(about).long_about(None::<&str>);
    }
    let ids: Vec<(String, bool)> = command
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let text = help::arg(path, &id);
        command = command.mut_arg(&id, |arg| {
            let value_name = arg
                .get_value_names()
                .and_then(|names| names.first())
                .and_then(|name| german_value_name(name.as_str()));
            let arg = match value_name {
                Some(name) => arg.value_name(name),
                None => arg,
            };
            let arg = arg.help_heading(if positional { "Argumente" } else { "Optionen" });
            match text {
                Some(text) => arg.help(text).long_help(None::<&str>),
                None => arg,
            }
        });
    }
    command = command
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Diese Hilfe anzeigen")
                .help_heading("Optionen"),
        )
        .subcommand_help_heading("Befehle")
        .subcommand_value_name("BEFEHL")
        .help_template(
            "{before-help}{about-with-newline}\nAufruf: {usage}\n\n{all-args}{after-help}\n",
        );
    if path.is_empty() {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Die Version anzeigen")
                .help_heading("Optionen"),
        );
    }
    let usage = german_usage(&mut command.clone(), path);
    command.override_usage(usage)
}

/// The placeholders of values (`<DIR>`), in German.
fn german_value_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "DIR" => "ORDNER",
        "PLACE" => "ORT",
        "SESSION" => "PROGRAMMPUNKT",
        "TIME" => "UHRZEIT",
        "DATE" => "DATUM",
        "FILE" => "DATEI",
        "KIND" => "ART",
        "QUERY" => "SUCHE",
        "LEVEL" => "STUFE",
        "DURATION" => "DAUER",
        "ADDR" => "ADRESSE",
        "ROLE" => "ROLLE",
        "NUMBER" => "NUMMER",
        "TITLE" => "TITEL",
        _ => return None,
    })
}

/// clap's usage line with its fixed words in German.
fn german_usage(command: &mut Command, path: &str) -> String {
    let name = if path.is_empty() {
        "marktplatz".to_string()
    } else {
        format!("marktplatz {path}")
    };
    let usage = command.clone().bin_name(&name).render_usage().to_string();
    usage
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[OPTIONEN]")
        .replace("<COMMAND>", "<BEFEHL>")
        .replace("[COMMAND]", "[BEFEHL]")
}

/// Prints clap's error (or the help or version it stands for) and says how to exit.
pub fn exit_on(error: clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // A closed pipe (`--help | head`) is no error either.
            let _ = error.print();
            ExitCode::SUCCESS
        }
        _ => {
            match i18n::current() {
                Lang::En => {
                    let _ = error.print();
                }
                Lang::De => note!("{}", german_error(&error)),
            }
            ExitCode::from(Exit::Usage.code())
        }
    }
}

fn context(error: &clap::Error, kind: ContextKind) -> String {
    match error.get(kind) {
        Some(ContextValue::String(text)) => text.clone(),
        Some(ContextValue::Strings(list)) => list.join(", "),
        Some(ContextValue::StyledStr(text)) => text.to_string(),
        Some(ContextValue::StyledStrs(list)) => list
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// clap's error in German, from its kind and context (clap itself speaks only English).
fn german_error(error: &clap::Error) -> String {
    let arg = context(error, ContextKind::InvalidArg);
    let value = context(error, ContextKind::InvalidValue);
    let mut text = match error.kind() {
        ErrorKind::UnknownArgument => format!("Fehler: unbekannte Option '{arg}'"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "Fehler: unbekannter Befehl '{}'",
                context(error, ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidValue => format!("Fehler: ungültiger Wert '{value}' für {arg}"),
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error)
                .map(ToString::to_string)
                .unwrap_or_default();
            format!("Fehler: ungültiger Wert '{value}' für {arg}: {reason}")
        }
        ErrorKind::MissingRequiredArgument => format!("Fehler: es fehlt {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "Fehler: es fehlt ein Befehl".to_string()
        }
        ErrorKind::ArgumentConflict => format!(
            "Fehler: {arg} und {} gehen nicht zusammen",
            context(error, ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals => format!("Fehler: {arg} braucht '=' vor dem Wert"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("Fehler: falsche Zahl von Werten für {arg}")
        }
        _ => "Fehler: die Befehlszeile ist fehlerhaft".to_string(),
    };
    let suggested = context(error, ContextKind::SuggestedArg);
    let suggested_command = context(error, ContextKind::SuggestedSubcommand);
    if !suggested.is_empty() {
        text.push_str(&format!("\n  Meinten Sie '{suggested}'?"));
    } else if !suggested_command.is_empty() {
        text.push_str(&format!("\n  Meinten Sie '{suggested_command}'?"));
    }
    let usage = context(error, ContextKind::Usage);
    if !usage.is_empty() {
        let usage = usage.trim_start_matches("Usage:").trim();
        text.push_str(&format!("\n\nAufruf: {usage}"));
    }
    text.push_str("\n\nMehr dazu mit --help.");
    text
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every command and argument of a tree: `(path, id or "", help or about)`.
    fn texts(command: &Command, path: &str, list: &mut Vec<(String, String, String)>) {
        let about = command
            .get_about()
            .map(ToString::to_string)
            .unwrap_or_default();
        list.push((path.to_string(), String::new(), about));
        for arg in command.get_arguments() {
            let id = arg.get_id().to_string();
            if id == "help" || id == "version" {
                continue;
            }
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            list.push((path.to_string(), id, help));
        }
        for sub in command.get_subcommands() {
            let sub_path = if path.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{path} {}", sub.get_name())
            };
            texts(sub, &sub_path, list);
        }
    }

    fn all(lang: Lang) -> Vec<(String, String, String)> {
        let mut list = Vec::new();
        texts(&localize_for(crate::Cli::command(), lang), "", &mut list);
        list
    }

    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        let english = all(Lang::En);
        let german = all(Lang::De);
        let missing: Vec<String> = english
            .iter()
            .filter(|(_, _, help)| help.trim().is_empty())
            .map(|(path, id, _)| format!("en: '{path}' {id}"))
            .chain(
                german
                    .iter()
                    .zip(&english)
                    .filter(|((_, _, de), (_, _, en))| {
                        // The German tree must not fall back to the English text.
                        de.trim().is_empty() || de == en
                    })
                    .map(|((path, id, _), (_, _, en))| {
                        format!("de: (\"{path}\", \"{id}\", \"\"), // {en}")
                    }),
            )
            .collect();
        assert!(missing.is_empty(), "without help:\n{}", missing.join("\n"));
    }

    #[test]
    fn every_command_has_an_example_and_no_example_is_stale() {
        let english = all(Lang::En);
        let paths: Vec<&str> = english
            .iter()
            .filter(|(_, id, _)| id.is_empty())
            .map(|(path, _, _)| path.as_str())
            .collect();
        for path in &paths {
            assert!(example(path).is_some(), "no example for '{path}'");
        }
        for (path, _) in EXAMPLES {
            assert!(
                paths.contains(path),
                "example for a command that does not exist: '{path}'"
            );
        }
    }

    #[test]
    fn german_entries_name_existing_commands_and_arguments() {
        let english = all(Lang::En);
        for (path, _) in help::ABOUT {
            assert!(
                english.iter().any(|(p, id, _)| p == path && id.is_empty()),
                "German about for a command that does not exist: '{path}'"
            );
        }
        for (path, id, _) in help::ARGS {
            assert!(
                english
                    .iter()
                    .any(|(p, i, _)| (p == path || *path == "*") && i == id),
                "German help for an argument that does not exist: '{path}' {id}"
            );
        }
    }
}

//! `--help` of every command, in both languages, read from the built binary: every command
//! has an about text and an example, every argument a help text. Completions and the man
//! page come from the same definitions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

struct Words {
    commands: &'static str,
    sections: [&'static str; 2],
    example: &'static str,
}

const ENGLISH: Words = Words {
    commands: "Commands:",
    sections: ["Options:", "Arguments:"],
    example: "Example: marktplatz",
};
const GERMAN: Words = Words {
    commands: "Befehle:",
    sections: ["Optionen:", "Argumente:"],
    example: "Beispiel: marktplatz",
};

/// `-h` of `path`, then of every subcommand it lists; returns the paths seen.
fn walk(
    locale: &str,
    words: &Words,
    path: &[String],
    seen: &mut Vec<String>,
    problems: &mut Vec<String>,
) {
    let help = run(in_locale(locale).args(path).arg("-h")).ok();
    let name = format!("marktplatz {}", path.join(" "));
    seen.push(name.clone());
    let mut lines = help.lines();
    let about = lines.next().unwrap_or_default();
    if about.trim().is_empty() || about.starts_with("Usage") || about.starts_with("Aufruf") {
        problems.push(format!("{name}: no about text"));
    }
    if !help.contains(words.example) {
        problems.push(format!("{name}: no example"));
    }
    let mut section = "";
    let mut subcommands = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') {
            section = line.trim();
            continue;
        }
        let entry = line.trim_start();
        let listed = section == words.commands || words.sections.contains(&section);
        if !listed || entry.is_empty() {
            continue;
        }
        // An entry is `name  help` (two or more spaces between); a line that is only the
        // name has no help. Continuation lines of a wrapped help are indented further.
        let indent = line.len() - entry.len();
        if indent > 10 && !entry.starts_with('-') {
            continue;
        }
        let parts: Vec<&str> = entry.splitn(2, "  ").collect();
        if parts.len() < 2 || parts[1].trim().is_empty() {
            problems.push(format!("{name}: '{entry}' has no help"));
        }
        if section == words.commands {
            subcommands.push(parts[0].trim().to_string());
        }
    }
    for sub in subcommands {
        let mut next = path.to_vec();
        next.push(sub);
        walk(locale, words, &next, seen, problems);
    }
}

fn check(locale: &str, words: &Words) -> Vec<String> {
    let (mut seen, mut problems) = (Vec::new(), Vec::new());
    walk(locale, words, &[], &mut seen, &mut problems);
    assert!(problems.is_empty(), "{locale}:\n{}", problems.join("\n"));
    seen
}

#[test]
fn every_command_and_argument_has_help_and_every_command_an_example() {
    let english = check("C", &ENGLISH);
    let german = check("de_DE.UTF-8", &GERMAN);
    assert_eq!(english, german, "the same commands in both languages");
    for expected in [
        "marktplatz session cancel",
        "marktplatz organiser status",
        "marktplatz admin issue",
        "marktplatz completions",
    ] {
        assert!(
            english.iter().any(|p| p == expected),
            "{expected} not walked: {english:?}"
        );
    }
    // The write commands no longer borrow the shared options' comment as their description.
    let cancel = run(marktplatz().args(["session", "cancel", "-h"])).ok();
    assert!(cancel.starts_with("Cancel the session"), "{cancel}");
    assert!(
        !cancel.contains("Options every write command has"),
        "{cancel}"
    );
    // The token flag warns where it ends up.
    let publish = run(marktplatz().args(["publish", "--help"])).ok();
    assert!(publish.contains("shell history"), "{publish}");
    assert!(publish.contains("--token-file"), "{publish}");
}

#[test]
fn completions_and_the_man_page_come_from_the_same_definitions() {
    for (shell, marker) in [
        ("bash", "complete"),
        ("zsh", "#compdef"),
        ("fish", "complete -c marktplatz"),
    ] {
        let script = run(marktplatz().args(["completions", shell])).ok();
        assert!(script.contains(marker), "{shell}: {script}");
        for word in ["organiser", "agenda", "access-code", "--token-file"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    run(marktplatz().args(["completions", "powershell"])).fails_with(2);
    let page = run(marktplatz().arg("man")).ok();
    assert!(
        page.starts_with(".ie") || page.contains(".TH marktplatz"),
        "{page}"
    );
    assert!(page.contains("import\\-check"), "{page}");
    let german_main = run(german().arg("man")).ok();
    assert!(german_main.contains("Offline\\-Begleiter"), "{german_main}");

    // Every command has its own page, named as git names its own.
    let page = run(marktplatz().args(["man", "session", "move"])).ok();
    assert!(
        page.contains(".TH marktplatz-session-move 1  marktplatz"),
        "{page}"
    );
    assert!(page.contains("\\-\\-to"), "{page}");
    let german_page = run(german().args(["man", "session", "move"])).ok();
    assert!(german_page.contains("Beispiel"), "{german_page}");
    let stderr = run(marktplatz().args(["man", "session", "fly"])).fails_with(3);
    assert!(
        stderr.contains("'session fly' is not a marktplatz command"),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    run(marktplatz().arg("man").arg("--dir").arg(dir.path())).ok();
    for name in [
        "marktplatz.1",
        "marktplatz-session-move.1",
        "marktplatz-admin.1",
        "marktplatz-import-check.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.contains(".TH"), "{name}: {text}");
    }
    assert!(!dir.path().join("marktplatz-help.1").exists());
}

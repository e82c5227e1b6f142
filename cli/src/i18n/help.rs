//! German help: the about text of every command and the help of every argument, keyed by
//! the command path ("session move") and the argument's id ("to"). Arguments that many
//! commands share ("device", "event", "json", ...) have one entry under "*".

pub fn about(path: &str) -> Option<&'static str> {
    ABOUT.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

pub fn arg(path: &str, id: &str) -> Option<&'static str> {
    ARGS.iter()
        .find(|(p, i, _)| *p == path && *i == id)
        .or_else(|| ARGS.iter().find(|(p, i, _)| *p == "*" && *i == id))
        .map(|(_, _, t)| *t)
}

pub const ABOUT: &[(&str, &str)] = &[
    (
        "",
        "Offline-Begleiter für Veranstaltungen: Demo, Server, Gerät",
    ),
    (
        "demo",
        "Die Demo-Veranstaltung (E-Government Marktplatz Nordwest) laden und einen Rundgang zeigen",
    ),
    (
        "serve",
        "Den Server betreiben (Geräte synchronisieren von ihm, Veranstalter veröffentlichen auf ihm)",
    ),
    (
        "token",
        "Ein Token im Datenordner eines Servers ausstellen (oder `token revoke ID`, `token list`)",
    ),
    (
        "token revoke",
        "Ein Token widerrufen, angegeben mit seiner id (dem Teil vor dem '.') oder ganz",
    ),
    ("token list", "Tokens auflisten (nie ihre Geheimnisse)"),
    (
        "access-code",
        "Eine Veranstaltung nur mit Zugangscode lesbar machen (oder mit --clear wieder öffentlich), im Datenordner des Servers",
    ),
    (
        "backup",
        "Den Datenordner eines Servers kopieren, auch während er läuft, in einen neuen oder leeren Ordner (selbst ein Datenordner zum Betreiben)",
    ),
    (
        "rotate-epoch",
        "Eine neue Epoche für eine Veranstaltung oder alle beginnen (nach dem Zurückspielen einer Sicherung): Geräte beginnen bei der nächsten Synchronisierung neu, statt Änderungen zu verpassen",
    ),
    (
        "admin",
        "Tokens ausstellen, auflisten und widerrufen und Zugangscodes setzen, auf einem laufenden Server über HTTP",
    ),
    (
        "admin issue",
        "Ein Token ausstellen (die Veranstaltung eines Veranstalter- oder Besucher-Tokens wird bei Bedarf angelegt); das Token erscheint auf der Standardausgabe, seine id auf der Fehlerausgabe",
    ),
    ("admin list", "Tokens auflisten (nie ihre Geheimnisse)"),
    (
        "admin revoke",
        "Ein Token widerrufen, angegeben mit seiner id (dem Teil vor dem '.') oder ganz",
    ),
    (
        "admin access-code",
        "Eine Veranstaltung nur mit Zugangscode lesbar machen, oder mit --clear wieder öffentlich",
    ),
    (
        "organiser",
        "Veranstalter-Modus auf einem Gerät: login (Token prüfen und speichern), logout, status",
    ),
    (
        "organiser login",
        "Ein Veranstalter-Token vom Server prüfen lassen und auf diesem Gerät speichern (legt den Geräteordner bei Bedarf an)",
    ),
    (
        "organiser logout",
        "Das Token vergessen (gespeicherte Aufträge bleiben)",
    ),
    (
        "organiser status",
        "Ob dieses Gerät im Veranstalter-Modus für die Veranstaltung ist, und mit welcher Token-id",
    ),
    (
        "announce",
        "Veranstalter: eine Ankündigung machen, ändern (--edit ID) oder zurückziehen (--retract ID)",
    ),
    (
        "session",
        "Veranstalter: einen Programmpunkt verlegen, verschieben, absagen, wieder ansetzen oder bearbeiten",
    ),
    (
        "session move",
        "Der Programmpunkt findet an einer anderen Station oder in einem anderen Raum statt",
    ),
    (
        "session retime",
        "Neuer Beginn und neues Ende, Ortszeit am Tag des Programmpunkts (14:30, 14.30 oder 14:30 Uhr)",
    ),
    (
        "session cancel",
        "Den Programmpunkt absagen (er bleibt im Programm, als abgesagt markiert)",
    ),
    (
        "session reinstate",
        "Eine Absage zurücknehmen: der Programmpunkt findet doch statt",
    ),
    (
        "session edit",
        "Titel, Untertitel, Kurzfassung oder Beschreibung ändern (nur was angegeben ist)",
    ),
    (
        "photo",
        "Veranstalter: ein Foto zur Galerie hinzufügen oder eines entfernen",
    ),
    (
        "photo add",
        "Ein Foto (JPEG oder PNG) zur Galerie der Veranstaltung hinzufügen",
    ),
    ("photo remove", "Ein Foto aus der Galerie entfernen"),
    (
        "outbox",
        "Veranstalter: die gespeicherten Aufträge und wo jeder steht",
    ),
    (
        "push",
        "Veranstalter: die gespeicherten Aufträge jetzt senden",
    ),
    (
        "releases",
        "Alle Veröffentlichungen einer Veranstaltung, neueste zuerst (Nummer, Zeit, wer, Quelle, Notiz, Änderungen)",
    ),
    (
        "revert",
        "Veranstalter: erneut veröffentlichen, was Veröffentlichung N veröffentlicht hat (neue Änderungen; --dry-run, --yes)",
    ),
    (
        "publish",
        "Ein Programm (Bundle, frab-XML, schedule-JSON, iCalendar, CSV) auf einem Server veröffentlichen",
    ),
    (
        "sync",
        "Einen Geräteordner mit dem Server einer Veranstaltung abgleichen (legt den Ordner an)",
    ),
    (
        "fav",
        "Favoriten auf einem Gerät: hinzufügen, entfernen, Notiz, Liste, teilen, Code von Freunden lesen",
    ),
    (
        "fav add",
        "Einen Programmpunkt, eine Person oder einen Aussteller zum Favoriten machen",
    ),
    ("fav remove", "Einem Favoriten nicht mehr folgen"),
    (
        "fav note",
        "Die persönliche Notiz eines Favoriten setzen (oder ohne Text löschen)",
    ),
    (
        "fav list",
        "Die Favoriten auflisten, entfallene und abgesagte markiert",
    ),
    (
        "fav share",
        "Einen Code meiner Favoriten ausgeben (für einen QR-Code oder eine Nachricht)",
    ),
    (
        "fav import",
        "Den Code von Freunden zeigen: ihre Programmpunkte und welche mit meinen kollidieren",
    ),
    (
        "agenda",
        "Das Programm eines Tages, oder mit --favourites mein Programm mit Konflikten und Lücken",
    ),
    (
        "alerts",
        "Änderungen an meinen Favoriten (verschoben, anderer Ort, umbenannt, abgesagt, entfallen)",
    ),
    (
        "ics",
        "iCalendar-Export meiner Favoriten, eines Programmpunkts oder des ganzen Programms",
    ),
    (
        "qr",
        "Ein QR-Code des Web-Programms einer Veranstaltung (URL/e/EVENT/) für Plakate und den Eingang",
    ),
    (
        "import-check",
        "Zeigen, was eine Programmdatei (frab-XML, c3voc-JSON, iCalendar, CSV) ergäbe, ohne zu veröffentlichen",
    ),
    (
        "search",
        "Die Inhalte eines Geräts durchsuchen wie die Apps (beim Tippen, deutschkundig)",
    ),
    (
        "completions",
        "Ein Skript zur Vervollständigung in der Shell ausgeben (bash, zsh oder fish)",
    ),
    (
        "man",
        "Die Handbuchseite ausgeben (roff), aus denselben Definitionen wie --help",
    ),
];

const SESSION: &str =
    "Der Programmpunkt: seine id (`marktplatz agenda --ids`) oder sein Titel (oder dessen Anfang)";
const DATA: &str = "Der Datenordner des Servers";
const TOKEN: &str = "Das Token. Es landet in der Shell-History und ist in `ps` sichtbar: besser MARKTPLATZ_TOKEN oder --token-file. Alte Tokens, die mit '-' beginnen, werden hier angenommen";
const TOKEN_FILE: &str = "Das Token aus dieser Datei lesen (ihre erste Zeile)";
const SERVER: &str = "Die Basis-URL des Servers, z. B. http://127.0.0.1:8080";
const EVENT_ID: &str = "Die id der Veranstaltung, z. B. egov-marktplatz-nordwest-2027";
const DRY_RUN: &str = "Ausgeben, was es hinzufügen, (Feld für Feld) ändern und entfernen würde, welche Änderungen vom Telefon es behält oder überschreibt und was --yes braucht, ohne etwas zu speichern";
const YES: &str = "Auch dann ausführen, wenn mehr als die Hälfte der Programmpunkte der Quelle entfernt oder die Tage der Veranstaltung geändert würden (ohne diese Option wird dann nur die Vorschau ausgegeben, Exit-Status 7)";
const TOKEN_EVENT: &str =
    "Die Veranstaltung des Tokens (wird bei Bedarf angelegt); nicht für Admin-Tokens";
const ROLE: &str = "organiser (schreibt in die Veranstaltung), attendee (liest sie) oder admin (stellt Tokens aus und widerruft sie); Standard organiser";
const EXPIRES: &str = "Gültigkeitsdauer, etwa 90m, 12h oder 3d (Standard: unbegrenzt)";
const SUBJECT: &str = "Für wen das Token ist (in Listen gezeigt; ein Ersatz-Token für dieselbe Person erkennt die mit dem alten gesendeten Aufträge)";
const CODE: &str =
    "Der Code, den Besucher eingeben (4 bis 64 Zeichen; gespeichert wird nur ein gesalzener Hash)";
const CLEAR: &str = "Die Veranstaltung wieder öffentlich machen";
const FORMAT: &str = "Die Datei in diesem Format lesen statt es zu erkennen (frab-xml, schedule-json, schedule2-json, ical, csv-sessions, csv-exhibitors, xlsx, ods)";
const TIMEZONE: &str = "IANA-Zeitzone für Dateien, die keine nennen (Standard Europe/Berlin)";
const DAYS: &str = "Ein Veranstaltungstag (01.02.2027 oder 2027-02-01) für Dateien ohne Datum, etwa eine Ausstellerliste; wiederholbar";
const FAV_KIND: &str =
    "session, speaker oder exhibitor (nur nötig, wenn die id Favorit mehrerer Arten ist)";
const FAV_ID: &str = "Die id des Favoriten (`marktplatz fav list`)";

pub const ARGS: &[(&str, &str, &str)] = &[
    (
        "*",
        "device",
        "Der Geräteordner (content.db, user.db, assets/), angelegt von `marktplatz sync`",
    ),
    (
        "*",
        "event",
        "Die id der Veranstaltung (nur nötig, wenn das Gerät mehrere hat; `marktplatz agenda` nennt die gezeigte)",
    ),
    ("*", "json", "JSON statt Zeilen ausgeben"),
    (
        "*",
        "database",
        "Eine PostgreSQL-Datenbank statt ORDNER/marktplatz.db (postgres://nutzer:passwort@host/db, ADR 0021); der Datenordner hält dann nur den Zwischenspeicher der Dateien. Mehrere Server dürfen sich eine teilen",
    ),
    (
        "*",
        "no_push",
        "Nur auf dem Gerät speichern; später senden mit `marktplatz push` oder `marktplatz sync`",
    ),
    ("*", "session", SESSION),
    ("*", "token", TOKEN),
    ("*", "token_file", TOKEN_FILE),
    ("*", "server", SERVER),
    ("*", "format", FORMAT),
    ("*", "timezone", TIMEZONE),
    ("*", "days", DAYS),
    (
        "demo",
        "dir",
        "Die Dateien von Server und Telefonen in diesem Ordner behalten statt in einem temporären",
    ),
    (
        "serve",
        "data",
        "Datenordner (wird bei Bedarf angelegt): die Datenbank und die Bilder",
    ),
    (
        "serve",
        "listen",
        "Adresse, auf der der Server hört (Standard 127.0.0.1:8080; Port 0 wählt einen freien)",
    ),
    (
        "serve",
        "demo",
        "Vor dem Start die eingebaute Demo-Veranstaltung (egov-marktplatz-nordwest-2027) veröffentlichen",
    ),
    (
        "serve",
        "log",
        "Was auf stderr protokolliert wird: error, warn, info (Veröffentlichungen, Operationen, Ablehnungen, erreichte Grenzen), debug (jede Anfrage) oder trace; oder ein Filter wie `info,marktplatz_server=debug`. Ohne Angabe gilt RUST_LOG, sonst `info`",
    ),
    (
        "token",
        "data",
        "Der Datenordner des Servers (wie bei `marktplatz serve --data`)",
    ),
    ("token", "event", TOKEN_EVENT),
    ("token", "role", ROLE),
    ("token", "expires_in", EXPIRES),
    ("token", "subject", SUBJECT),
    (
        "token",
        "link",
        "Statt eines Tokens einen Einmal-Anmeldelink für die Veranstalterkonsole unter dieser Adresse ausgeben (z. B. https://marktplatz.example.org; 15 Minuten gültig), mit QR-Code im Terminal",
    ),
    (
        "token",
        "qr",
        "Den QR-Code des Anmeldelinks zusätzlich hier speichern (SVG, oder PNG bei der Endung .png)",
    ),
    ("token revoke", "data", DATA),
    (
        "token revoke",
        "id",
        "Die id des Tokens (oder das ganze Token)",
    ),
    ("token list", "data", DATA),
    ("token list", "event", "Nur die Tokens dieser Veranstaltung"),
    ("access-code", "data", DATA),
    (
        "backup",
        "data",
        "Der Datenordner des Servers (wie bei `marktplatz serve --data`); er darf laufen",
    ),
    (
        "backup",
        "to",
        "Ein neuer oder leerer Ordner für die Kopie (ein Datenordner, den `serve --data` öffnet)",
    ),
    ("access-code", "event", "Die id der Veranstaltung"),
    (
        "rotate-epoch",
        "data",
        "Der Datenordner des Servers (wie bei `marktplatz serve --data`)",
    ),
    (
        "rotate-epoch",
        "event",
        "Die Veranstaltung, deren Epoche neu beginnt",
    ),
    (
        "rotate-epoch",
        "all_events",
        "Die Epoche jeder Veranstaltung neu beginnen (was nach dem Zurückspielen nötig ist)",
    ),
    (
        "serve",
        "trusted_proxy",
        "Ein Reverse-Proxy (Adresse oder Bereich wie 10.0.0.0/8, mehrfach angebbar), dessen X-Forwarded-For den Client für die Grenzen je Adresse nennt (die rechteste Adresse, die kein vertrauter Proxy ist); von allen anderen wird der Header nicht beachtet",
    ),
    ("access-code", "code", CODE),
    ("access-code", "clear", CLEAR),
    ("admin issue", "event", TOKEN_EVENT),
    ("admin issue", "role", ROLE),
    ("admin issue", "expires_in", EXPIRES),
    ("admin issue", "subject", SUBJECT),
    ("admin list", "event", "Nur die Tokens dieser Veranstaltung"),
    (
        "admin revoke",
        "id",
        "Die id des Tokens (oder das ganze Token)",
    ),
    ("admin access-code", "event", "Die id der Veranstaltung"),
    ("admin access-code", "code", CODE),
    ("admin access-code", "clear", CLEAR),
    (
        "organiser login",
        "device",
        "Der Geräteordner (wird bei Bedarf angelegt)",
    ),
    ("organiser login", "event", EVENT_ID),
    (
        "organiser login",
        "unchecked",
        "Das Token auch speichern, wenn der Server zum Prüfen nicht erreichbar ist (geprüft wird dann beim ersten Senden)",
    ),
    (
        "announce",
        "title",
        "Die Überschrift (mit --retract: die id der Ankündigung, die zurückgezogen wird)",
    ),
    ("announce", "body", "Der Text unter der Überschrift"),
    (
        "announce",
        "priority",
        "normal, important oder urgent (Standard normal)",
    ),
    (
        "announce",
        "expires_in",
        "Sie verschwindet nach dieser Dauer: 90m, 2h, 1d",
    ),
    (
        "announce",
        "edit",
        "Die Ankündigung mit dieser id ändern statt eine neue zu machen (nur was angegeben ist, ändert sich)",
    ),
    (
        "announce",
        "retract",
        "Die Ankündigung zurückziehen, deren id als TITEL angegeben ist",
    ),
    (
        "session move",
        "to",
        "Die Station oder der Raum: Name (oder dessen Anfang) oder id",
    ),
    (
        "session retime",
        "start",
        "Der neue Beginn, Ortszeit (14:30, 14.30, 14:30 Uhr)",
    ),
    (
        "session retime",
        "end",
        "Das neue Ende, Ortszeit (15:15, 15.15, 15:15 Uhr)",
    ),
    ("session edit", "title", "Der neue Titel"),
    ("session edit", "subtitle", "Der neue Untertitel"),
    ("session edit", "abstract_text", "Die neue Kurzfassung"),
    ("session edit", "description", "Die neue Beschreibung"),
    ("photo add", "file", "Eine JPEG- oder PNG-Datei"),
    ("photo add", "caption", "Die Bildunterschrift"),
    ("photo add", "credit", "Wer das Foto gemacht hat"),
    ("photo remove", "id", "Die id des Galeriebilds"),
    (
        "outbox",
        "all",
        "Auch die Aufträge zeigen, die die Inhalte schon enthalten",
    ),
    ("outbox", "json", "Den Postausgang als JSON ausgeben"),
    (
        "outbox",
        "dismiss",
        "Einen abgelehnten (oder nie gesendeten) Auftrag entfernen",
    ),
    (
        "outbox",
        "retry",
        "Einen abgelehnten Auftrag erneut senden, auf Grundlage der aktuellen Fassung des Servers",
    ),
    ("push", "json", "Den Sendebericht als JSON ausgeben"),
    ("publish", "event", EVENT_ID),
    (
        "publish",
        "assets",
        "Ordner mit den Bilddateien, auf die das Bundle verweist (beliebige Namen; zugeordnet per SHA-256). Standard: `assets/` neben dem Bundle, wenn es ihn gibt",
    ),
    (
        "publish",
        "source",
        "Die Quelle, deren Stand diese Datei ist: Veröffentlichen ersetzt nur, was dieselbe Quelle vorher veröffentlicht hat. Standard: der Dateiname ohne Endung",
    ),
    (
        "publish",
        "note",
        "Eine Notiz zu dieser Veröffentlichung (erscheint in `marktplatz releases`)",
    ),
    ("releases", "event", EVENT_ID),
    ("revert", "event", EVENT_ID),
    (
        "revert",
        "release",
        "Die wiederherzustellende Veröffentlichung (ihre Nummer in `marktplatz releases`)",
    ),
    ("revert", "dry_run", DRY_RUN),
    ("revert", "yes", YES),
    (
        "revert",
        "note",
        "Eine Notiz zur neuen Veröffentlichung (Standard: „revert to release N“)",
    ),
    ("publish", "dry_run", DRY_RUN),
    ("publish", "yes", YES),
    (
        "publish",
        "file",
        "Das Programm: ein Bundle, frab-XML, schedule-JSON, iCalendar oder CSV",
    ),
    (
        "sync",
        "device",
        "Der Geräteordner (content.db, user.db, assets/); wird bei Bedarf angelegt",
    ),
    ("sync", "event", EVENT_ID),
    (
        "sync",
        "json",
        "Den Bericht als JSON ausgeben (Bytes, Seiten, Änderungen je Art, Bilder)",
    ),
    (
        "sync",
        "no_assets",
        "Nur Inhalte: keine Logos, Fotos, Pläne und Vorschaubilder laden",
    ),
    (
        "sync",
        "asset_budget_mib",
        "Speicher für Bilder in MiB (Standard 200)",
    ),
    (
        "sync",
        "access_code",
        "Der Zugangscode der Veranstaltung, falls die Veranstalter sie geschützt haben; bleibt für spätere Abgleiche auf dem Gerät (`--forget-access-code` entfernt ihn)",
    ),
    (
        "sync",
        "forget_access_code",
        "Den auf dem Gerät gespeicherten Zugangscode entfernen",
    ),
    (
        "sync",
        "follow",
        "Nach dem Abgleich die Veranstaltung weiter verfolgen (jede Änderung binnen einer Sekunde), bis Strg-C; mit --json eine Zeile je übernommener Antwort",
    ),
    (
        "fav add",
        "kind",
        "session, speaker oder exhibitor (nur nötig, wenn mehrere Arten diese id haben)",
    ),
    ("fav add", "note", "Eine persönliche Notiz dazu"),
    (
        "fav add",
        "id",
        "Die id des Programmpunkts, der Person oder des Ausstellers (`marktplatz agenda --ids`)",
    ),
    ("fav remove", "kind", FAV_KIND),
    ("fav remove", "id", FAV_ID),
    ("fav note", "kind", FAV_KIND),
    ("fav note", "id", FAV_ID),
    (
        "fav note",
        "text",
        "Die Notiz; weglassen, um sie zu löschen",
    ),
    (
        "fav import",
        "code",
        "Der Code (`marktplatz fav share` auf dem anderen Gerät)",
    ),
    (
        "fav import",
        "add",
        "Ihre Programmpunkte, Personen und Aussteller auch zu meinen Favoriten hinzufügen",
    ),
    (
        "agenda",
        "day",
        "Der Veranstaltungstag, 01.02.2027 oder 2027-02-01 (Standard: heute, wenn die Veranstaltung heute läuft, sonst ihr erster Tag)",
    ),
    (
        "agenda",
        "favourites",
        "Nur meine Favoriten, mit Konflikten, freien Lücken und Wegen zwischen den Programmpunkten",
    ),
    (
        "agenda",
        "ids",
        "Die id jedes Programmpunkts zeigen (für `marktplatz session`, `fav` und `ics --session`)",
    ),
    ("agenda", "json", "JSON statt Zeilen ausgeben (mit ids)"),
    ("alerts", "all", "Auch schon gesehene Änderungen zeigen"),
    (
        "alerts",
        "mark_seen",
        "Die gezeigten Änderungen als gesehen markieren",
    ),
    (
        "ics",
        "favourites",
        "Nur meine Favoriten (Standard: das ganze Programm)",
    ),
    (
        "ics",
        "session",
        "Nur dieser Programmpunkt: seine id (`marktplatz agenda --ids`) oder sein Titel",
    ),
    (
        "ics",
        "out",
        "In diese Datei schreiben statt auf die Standardausgabe",
    ),
    (
        "qr",
        "server",
        "Die Basis-URL des Servers, wie Besucher ihn erreichen, z. B. https://marktplatz.example.org",
    ),
    ("qr", "event", EVENT_ID),
    (
        "qr",
        "out",
        "Den QR-Code in diese Datei schreiben, PNG oder SVG nach der Endung (.png, .svg); ohne sie wird er im Terminal gezeichnet",
    ),
    (
        "import-check",
        "file",
        "Die Programmdatei: frab-XML, c3voc-JSON, iCalendar oder CSV",
    ),
    (
        "import-check",
        "json",
        "Ein JSON-Objekt statt einer Zusammenfassung ausgeben",
    ),
    (
        "import-check",
        "event_id",
        "Die id der Veranstaltung (Standard: das Kürzel der Datei oder ein Slug ihres Titels)",
    ),
    (
        "search",
        "kinds",
        "Nur diese Art (session, speaker, exhibitor, location, track, announcement, info_page); für mehrere wiederholen",
    ),
    (
        "search",
        "limit",
        "Höchstens so viele Treffer (Standard 20)",
    ),
    (
        "search",
        "json",
        "Ein JSON-Array der Treffer statt Zeilen ausgeben",
    ),
    (
        "search",
        "query",
        "Was getippt wurde (darf mit einem Bindestrich beginnen)",
    ),
    ("completions", "shell", "Die Shell: bash, zsh oder fish"),
    (
        "man",
        "command",
        "Der Befehl, dessen Seite ausgegeben wird (`session move`); keiner für die Hauptseite",
    ),
    (
        "man",
        "dir",
        "Alle Seiten in diesen Ordner schreiben (marktplatz.1, marktplatz-session-move.1, ...), statt eine auszugeben",
    ),
];

//! The words of the exhibitor pages, German first and English second.

use super::super::text::Lang;

pub struct ExhibitorWords {
    pub exhibitors: &'static str,
    pub no_exhibitors: &'static str,
    pub back: &'static str,
    pub f_topics: &'static str,
    pub topics_hint: &'static str,
    pub contact_heading: &'static str,
    pub f_website: &'static str,
    pub f_email: &'static str,
    pub f_phone: &'static str,
    pub f_logo: &'static str,
    pub logo_hint: &'static str,
    pub current_logo: &'static str,
    pub save: &'static str,
    pub unknown: &'static str,
    pub err_website: &'static str,
    pub err_email: &'static str,
    pub err_phone: &'static str,
    pub err_logo: &'static str,
    pub conflict: &'static str,
}

pub fn exhibitor_words(lang: Lang) -> &'static ExhibitorWords {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

static DE: ExhibitorWords = ExhibitorWords {
    exhibitors: "Aussteller",
    no_exhibitors: "Noch keine Aussteller.",
    back: "Zurück zu den Ausstellern",
    f_topics: "Themen",
    topics_hint: "Eines je Zeile.",
    contact_heading: "Kontakt",
    f_website: "Website",
    f_email: "E-Mail",
    f_phone: "Telefon",
    f_logo: "Logo",
    logo_hint: "Freiwillig: ein neues Logo (JPEG oder PNG) ersetzt das bisherige; Metadaten werden entfernt.",
    current_logo: "Aktuelles Logo",
    save: "Aussteller speichern",
    unknown: "Diesen Aussteller gibt es in dieser Veranstaltung nicht.",
    err_website: "Bitte geben Sie eine Adresse mit http:// oder https:// an (z. B. https://www.beispiel.de).",
    err_email: "Bitte geben Sie eine E-Mail-Adresse an (z. B. info@beispiel.de).",
    err_phone: "Bitte geben Sie eine Telefonnummer an (Ziffern, Leerzeichen und + - / ( )).",
    err_logo: "ist kein vollständiges JPEG- oder PNG-Bild",
    conflict: "Jemand anderes hat diesen Aussteller inzwischen geändert. Es wurde nichts überschrieben. Unten sehen Sie den aktuellen Stand; Ihre Eingabe steht noch im Formular. Senden Sie sie erneut, um den aktuellen Stand zu ersetzen.",
};

static EN: ExhibitorWords = ExhibitorWords {
    exhibitors: "Exhibitors",
    no_exhibitors: "No exhibitors yet.",
    back: "Back to the exhibitors",
    f_topics: "Topics",
    topics_hint: "One per line.",
    contact_heading: "Contact",
    f_website: "Website",
    f_email: "E-mail",
    f_phone: "Telephone",
    f_logo: "Logo",
    logo_hint: "Optional: a new logo (JPEG or PNG) replaces the old one; its metadata is removed.",
    current_logo: "Current logo",
    save: "Save exhibitor",
    unknown: "This event has no such exhibitor.",
    err_website: "Please give an address starting with http:// or https:// (like https://www.example.de).",
    err_email: "Please give an e-mail address (like info@example.de).",
    err_phone: "Please give a telephone number (digits, spaces and + - / ( ) only).",
    err_logo: "is not a whole JPEG or PNG image",
    conflict: "Someone else changed this exhibitor in the meantime. Nothing was overwritten. The current version is shown below; your input is still in the form. Send it again to replace the current version.",
};

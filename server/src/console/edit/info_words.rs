//! The words of the info pages' editor, German first and English second.

use super::super::text::Lang;

pub struct InfoWords {
    pub info: &'static str,
    pub intro: &'static str,
    pub no_pages: &'static str,
    pub f_title: &'static str,
    pub f_body: &'static str,
    pub body_hint: &'static str,
    pub f_order: &'static str,
    pub order_hint: &'static str,
    pub save: &'static str,
    pub remove: &'static str,
    pub add_heading: &'static str,
    pub add: &'static str,
    pub added: &'static str,
    pub saved: &'static str,
    pub removed: &'static str,
    pub err_title: &'static str,
    pub err_order: &'static str,
    pub conflict: &'static str,
}

pub fn info_words(lang: Lang) -> &'static InfoWords {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

static DE: InfoWords = InfoWords {
    info: "Infoseiten",
    intro: "Anreise, WLAN, Verpflegung und was Besucher sonst wissen müssen; die Geräte zeigen die Seiten nach ihrer Reihenfolge.",
    no_pages: "Noch keine Infoseiten.",
    f_title: "Titel",
    f_body: "Text",
    body_hint: "Eine Leerzeile trennt Absätze.",
    f_order: "Reihenfolge",
    order_hint: "Kleinere Zahlen stehen weiter oben.",
    save: "Infoseite speichern",
    remove: "Infoseite entfernen",
    add_heading: "Neue Infoseite",
    add: "Infoseite hinzufügen",
    added: "Die Infoseite ist hinzugefügt. Geräte sehen sie beim nächsten Abgleich.",
    saved: "Gespeichert. Geräte sehen die Änderung beim nächsten Abgleich.",
    removed: "Die Infoseite ist entfernt.",
    err_title: "Bitte geben Sie einen Titel an (höchstens 300 Zeichen).",
    err_order: "Bitte geben Sie die Reihenfolge als ganze Zahl an.",
    conflict: "Jemand anderes hat diese Infoseite inzwischen geändert oder entfernt. Es wurde nichts überschrieben; Ihre Eingabe steht noch im Formular.",
};

static EN: InfoWords = InfoWords {
    info: "Info pages",
    intro: "Travel, Wi-Fi, catering and whatever else visitors need to know; devices show the pages in their order.",
    no_pages: "No info pages yet.",
    f_title: "Title",
    f_body: "Text",
    body_hint: "An empty line separates paragraphs.",
    f_order: "Order",
    order_hint: "Smaller numbers come first.",
    save: "Save info page",
    remove: "Remove info page",
    add_heading: "New info page",
    add: "Add info page",
    added: "The info page is added. Devices see it when they next sync.",
    saved: "Saved. Devices see the change when they next sync.",
    removed: "The info page is removed.",
    err_title: "Please give a title (at most 300 characters).",
    err_order: "Please give the order as a whole number.",
    conflict: "Someone else changed or removed this info page in the meantime. Nothing was overwritten; your input is still in the form.",
};

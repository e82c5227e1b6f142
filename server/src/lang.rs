//! The two languages of the server's pages (the organiser console and the attendee
//! programme): German first, English second, and which of them a browser asks for.

use axum::http::HeaderMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    De,
    En,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The first of German or English the browser's `Accept-Language` lists (by weight);
    /// German when it lists neither.
    pub fn from_accept_language(headers: &HeaderMap) -> Lang {
        let Some(value) = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Lang::De;
        };
        let mut best: Option<(f32, Lang)> = None;
        for item in value.split(',').take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary)
                && best.is_none_or(|(w, _)| weight > w)
            {
                best = Some((weight, lang));
            }
        }
        best.map_or(Lang::De, |(_, lang)| lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_of(accept: &str) -> Lang {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            accept.parse().unwrap_or_else(|_| unreachable!()),
        );
        Lang::from_accept_language(&headers)
    }

    #[test]
    fn the_browsers_preferred_language_of_the_two_wins_german_otherwise() {
        assert_eq!(lang_of("en-GB,en;q=0.9,de;q=0.5"), Lang::En);
        assert_eq!(lang_of("fr-FR, de;q=0.8, en;q=0.7"), Lang::De);
        assert_eq!(lang_of("de-AT;q=0.4, en-US;q=0.6"), Lang::En);
        assert_eq!(lang_of("fr, it"), Lang::De);
        assert_eq!(Lang::from_accept_language(&HeaderMap::new()), Lang::De);
    }
}

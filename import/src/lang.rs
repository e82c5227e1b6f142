//! Language normalisation: whatever a file says ("de", "Deutsch", "de, en", "en-GB", "German")
//! becomes a list of ISO 639-1 codes. Low German, which has no two-letter code, becomes the
//! BCP 47 tag `nds`.

/// ISO 639-1: every two-letter code is accepted as it is.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Names and three-letter codes people write instead of the code (folded: lower case, no accents).
const NAMES: &[(&str, &str)] = &[
    ("deutsch", "de"),
    ("german", "de"),
    ("ger", "de"),
    ("deu", "de"),
    ("englisch", "en"),
    ("english", "en"),
    ("eng", "en"),
    ("franzosisch", "fr"),
    ("french", "fr"),
    ("francais", "fr"),
    ("fra", "fr"),
    ("fre", "fr"),
    ("spanisch", "es"),
    ("spanish", "es"),
    ("espanol", "es"),
    ("spa", "es"),
    ("italienisch", "it"),
    ("italian", "it"),
    ("italiano", "it"),
    ("ita", "it"),
    ("niederlandisch", "nl"),
    ("hollandisch", "nl"),
    ("dutch", "nl"),
    ("nederlands", "nl"),
    ("nld", "nl"),
    ("dut", "nl"),
    ("polnisch", "pl"),
    ("polish", "pl"),
    ("pol", "pl"),
    ("turkisch", "tr"),
    ("turkish", "tr"),
    ("tur", "tr"),
    ("russisch", "ru"),
    ("russian", "ru"),
    ("rus", "ru"),
    ("arabisch", "ar"),
    ("arabic", "ar"),
    ("ara", "ar"),
    ("ukrainisch", "uk"),
    ("ukrainian", "uk"),
    ("ukr", "uk"),
    ("tschechisch", "cs"),
    ("czech", "cs"),
    ("ces", "cs"),
    ("cze", "cs"),
    ("danisch", "da"),
    ("danish", "da"),
    ("dan", "da"),
    ("plattdeutsch", "nds"),
    ("niederdeutsch", "nds"),
    ("low german", "nds"),
    ("nds", "nds"),
];

/// Outcome of normalising one language field.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Languages {
    pub codes: Vec<String>,
    /// Parts that were not recognised (dropped; the caller warns).
    pub unknown: Vec<String>,
}

pub(crate) fn normalise(raw: &str) -> Languages {
    let mut out = Languages::default();
    let folded = marktplatz_model::text::fold(raw);
    let mut normalised = folded.clone();
    for separator in [" und ", " and ", " & ", " + ", "/", ";", "|", "+", "&"] {
        normalised = normalised.replace(separator, ",");
    }
    for part in normalised.split(',') {
        let part = part
            .trim()
            .trim_matches(|c: char| c == '(' || c == ')' || c == '.');
        if part.is_empty() {
            continue;
        }
        match code_of(part) {
            Some(code) => {
                if !out.codes.iter().any(|c| c == code) {
                    out.codes.push(code.to_string());
                }
            }
            None => out.unknown.push(part.to_string()),
        }
    }
    out
}

fn code_of(part: &str) -> Option<&'static str> {
    if let Some((_, code)) = NAMES.iter().find(|(name, _)| *name == part) {
        return Some(code);
    }
    // "de-DE", "en_GB", "de-at": the language before the region.
    let primary = part.split(['-', '_', ' ']).next().unwrap_or_default();
    if primary.len() == 2 && primary.chars().all(|c| c.is_ascii_lowercase()) {
        return ISO_639_1.split(' ').find(|code| *code == primary);
    }
    if primary.len() == 3 && primary != part {
        return NAMES
            .iter()
            .find(|(name, _)| *name == primary)
            .map(|(_, c)| *c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(raw: &str) -> Vec<String> {
        normalise(raw).codes
    }

    #[test]
    fn codes_names_and_lists() {
        assert_eq!(codes("de"), ["de"]);
        assert_eq!(codes(" DE "), ["de"]);
        assert_eq!(codes("Deutsch"), ["de"]);
        assert_eq!(codes("de, en"), ["de", "en"]);
        assert_eq!(codes("en, de"), ["en", "de"]);
        assert_eq!(codes("Deutsch und Englisch"), ["de", "en"]);
        assert_eq!(codes("de/en"), ["de", "en"]);
        assert_eq!(codes("en-GB"), ["en"]);
        assert_eq!(codes("de_DE"), ["de"]);
        assert_eq!(codes("Français"), ["fr"]);
        assert_eq!(codes("German; English; German"), ["de", "en"]);
        assert!(codes("").is_empty());
    }

    #[test]
    fn unknown_parts_are_reported() {
        let result = normalise("de, Klingonisch");
        assert_eq!(result.codes, ["de"]);
        assert_eq!(result.unknown, ["klingonisch"]);
        assert_eq!(normalise("xx").unknown, ["xx"]);
    }
}

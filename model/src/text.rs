//! Text folding shared by sorting and search: lower case, accents removed, ß as ss.

/// Lower-cases and strips diacritics from Latin letters (`Bürgeramt` -> `burgeramt`,
/// `Straße` -> `strasse`, `Élysée` -> `elysee`). Other scripts are lower-cased only.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_folded(&mut out, c);
    }
    out
}

/// Appends the folded form of one character (one or two characters, or none for combining
/// marks).
pub fn push_folded(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match fold_latin(c) {
        Some(folded) => out.push_str(folded),
        None if is_combining_mark(c) => {}
        None => out.extend(c.to_lowercase()),
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}')
}

fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'Æ' | 'æ' => "ae",
        'Œ' | 'œ' => "oe",
        'Ø' | 'ø' => "o",
        'Ð' | 'ð' | 'Đ' | 'đ' => "d",
        'Þ' | 'þ' => "th",
        'Ł' | 'ł' => "l",
        'ı' => "i",
        'À'..='Å' | 'à'..='å' | 'Ā'..='ą' => "a",
        'Ç' | 'ç' | 'Ć'..='č' => "c",
        'È'..='Ë' | 'è'..='ë' | 'Ē'..='ě' => "e",
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ'..='İ' => "i",
        'Ñ' | 'ñ' | 'Ń'..='ň' => "n",
        'Ò'..='Ö' | 'ò'..='ö' | 'Ō'..='ő' => "o",
        'Ù'..='Ü' | 'ù'..='ü' | 'Ũ'..='ų' => "u",
        'Ý' | 'ý' | 'ÿ' | 'Ÿ' => "y",
        'Ĝ'..='ģ' => "g",
        'Ĥ'..='ħ' => "h",
        'Ĵ' | 'ĵ' => "j",
        'Ķ' | 'ķ' => "k",
        'Ĺ'..='ľ' => "l",
        'Ŕ'..='ř' => "r",
        'Ś'..='š' => "s",
        'Ţ'..='ŧ' => "t",
        'Ŵ' | 'ŵ' => "w",
        'Ŷ' => "y",
        'Ź'..='ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_german_and_other_latin_letters() {
        assert_eq!(fold("Bürgeramt"), "burgeramt");
        assert_eq!(fold("STRAẞE Straße"), "strasse strasse");
        assert_eq!(fold("Élysée Łódź Ærø"), "elysee lodz aero");
        assert_eq!(
            fold("Cybersicherheitsstrategie"),
            "cybersicherheitsstrategie"
        );
        // Decomposed umlaut (u + combining diaeresis) folds like the composed one.
        assert_eq!(fold("Bu\u{308}rger"), "burger");
        assert_eq!(fold("Доклад 東京"), "доклад 東京");
    }
}

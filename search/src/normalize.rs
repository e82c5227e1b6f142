//! Search normalisation: the one place that decides what a "word" is, so the index, the query and
//! the highlighter always agree.
//!
//! A word is a run of letters and digits after [`marktplatz_model::text::fold`] (lower case, diacritics
//! removed, ß → ss), with the German transliterations `ae`/`oe`/`ue` reduced to `a`/`o`/`u`
//! (`ue` not after `q`), so Bürgeramt, Buergeramt and Burgeramt are one word. Every byte of a
//! normalised word remembers which characters of the original text it came from, so matches can
//! be underlined in the text the user sees.

use marktplatz_model::text::push_folded;

/// One normalised word and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Folded and transliterated; only alphanumeric characters.
    pub text: String,
    /// For each byte of `text`: the char offsets `[start, end)` in the original text it stands for.
    pub spans: Vec<(u32, u32)>,
    /// Joined to the previous token by a hyphen or slash (`E-Rechnung`, `IT-Sicherheit`).
    pub joined_to_previous: bool,
}

impl Token {
    /// Char offsets in the original text of the whole token.
    #[cfg(test)]
    pub fn char_range(&self) -> (u32, u32) {
        match (self.spans.first(), self.spans.last()) {
            (Some(first), Some(last)) => (first.0, last.1),
            _ => (0, 0),
        }
    }

    /// Char offsets in the original text of the normalised bytes `[from, to)`.
    pub fn char_range_of(&self, from: usize, to: usize) -> (u32, u32) {
        let to = to.min(self.spans.len());
        if from >= to {
            return (0, 0);
        }
        (self.spans[from].0, self.spans[to - 1].1)
    }
}

/// Splits `text` into normalised words.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = RawToken::default();
    // Separator characters seen since the last token ended: a lone hyphen or slash joins.
    let mut gap = Gap::None;
    let mut piece = String::new();
    for (index, c) in text.chars().enumerate() {
        let index = index as u32;
        piece.clear();
        push_folded(&mut piece, c);
        if piece.is_empty() {
            // A combining mark: part of the letter before it.
            if let Some(last) = current.spans.last_mut() {
                last.1 = index + 1;
            }
            continue;
        }
        for folded in piece.chars() {
            if folded.is_alphanumeric() {
                if current.text.is_empty() {
                    current.joined = matches!(gap, Gap::Joiner) && !tokens.is_empty();
                }
                let mut buf = [0u8; 4];
                for _ in folded.encode_utf8(&mut buf).bytes() {
                    current.spans.push((index, index + 1));
                }
                current.text.push(folded);
                gap = Gap::None;
            } else {
                if !current.text.is_empty() {
                    tokens.push(current.finish());
                    current = RawToken::default();
                }
                gap = match (gap, is_joiner(c)) {
                    (Gap::None, true) => Gap::Joiner,
                    _ => Gap::Other,
                };
            }
        }
    }
    if !current.text.is_empty() {
        tokens.push(current.finish());
    }
    tokens
}

/// Normalises a text into the space-separated words the FTS index stores, followed by the joined
/// forms of hyphenated compounds (`e-rechnung` also as `erechnung`), so a query typed with or
/// without the hyphen finds it. Joined forms go last so phrase positions stay intact.
///
/// The words are those of [`tokenize`], made without its per-byte spans (the highlighter's):
/// a device's first sync indexes every description of the event, and allocating a span list per
/// word was most of the time spent here (docs/adr/0010-performance.md).
pub fn index_text(text: &str) -> String {
    let mut words = IndexWords {
        out: String::with_capacity(text.len()),
        ..IndexWords::default()
    };
    // The word being read, folded.
    let mut raw = String::new();
    let mut gap = Gap::None;
    let mut joined = false;
    let mut piece = String::new();
    for c in text.chars() {
        piece.clear();
        push_folded(&mut piece, c);
        // An empty piece is a combining mark: part of the letter before it.
        for folded in piece.chars() {
            if folded.is_alphanumeric() {
                if raw.is_empty() {
                    joined = matches!(gap, Gap::Joiner) && words.parts > 0;
                }
                raw.push(folded);
                gap = Gap::None;
            } else {
                if !raw.is_empty() {
                    words.push(&mut raw, joined);
                }
                gap = match (gap, is_joiner(c)) {
                    (Gap::None, true) => Gap::Joiner,
                    _ => Gap::Other,
                };
            }
        }
    }
    if !raw.is_empty() {
        words.push(&mut raw, joined);
    }
    words.finish()
}

/// What [`index_text`] has written so far.
#[derive(Default)]
struct IndexWords {
    out: String,
    /// Joined forms of the finished hyphen-joined groups, each after a space.
    compounds: String,
    /// The hyphen-joined group the last words belong to, and how many words it has.
    group: String,
    parts: usize,
    /// The last word, transliterated.
    word: String,
}

impl IndexWords {
    /// Appends the folded word `raw` (emptied), joined by a hyphen to the word before or not.
    fn push(&mut self, raw: &mut String, joined: bool) {
        transliterate(raw, &mut self.word);
        raw.clear();
        if !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push_str(&self.word);
        if joined {
            self.group.push_str(&self.word);
            self.parts += 1;
        } else {
            self.end_group();
            self.group.push_str(&self.word);
            self.parts = 1;
        }
    }

    fn end_group(&mut self) {
        if self.parts > 1 {
            self.compounds.push(' ');
            self.compounds.push_str(&self.group);
        }
        self.group.clear();
    }

    fn finish(mut self) -> String {
        self.end_group();
        self.out.push_str(&self.compounds);
        self.out
    }
}

/// The concatenations of hyphen-joined token groups (`IT-Sicherheit` → `itsicherheit`).
pub fn joined_compounds(tokens: &[Token]) -> Vec<String> {
    let mut out = Vec::new();
    let mut group = String::new();
    let mut parts = 0;
    for token in tokens {
        if token.joined_to_previous {
            group.push_str(&token.text);
            parts += 1;
        } else {
            if parts > 1 {
                out.push(std::mem::take(&mut group));
            }
            group.clear();
            group.push_str(&token.text);
            parts = 1;
        }
    }
    if parts > 1 {
        out.push(group);
    }
    out
}

/// Normalises one word the way the index does (for tests and callers with a single word).
#[cfg(test)]
pub fn normalize_word(word: &str) -> String {
    tokenize(word)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join("")
}

/// The char offset of the first word of `text` (or hyphenated compound, joined) for which
/// `wanted` is true. Allocation-free apart from two reused buffers: it scans descriptions that
/// run to pages, usually stopping early.
pub fn find_word(text: &str, mut wanted: impl FnMut(&str) -> bool) -> Option<usize> {
    let mut raw = String::new();
    let mut word = String::new();
    let mut joined = String::new();
    let mut start = 0usize;
    let mut joined_start = 0usize;
    let mut parts = 0usize;
    let mut gap = Gap::Other;
    let mut piece = String::new();
    // Returns where the match starts, if the word just ended (or its compound) is wanted.
    let mut finish = |raw: &mut String, word: &mut String, start: usize, gap: Gap| {
        transliterate(raw, word);
        raw.clear();
        if wanted(word) {
            return Some(start);
        }
        if matches!(gap, Gap::Joiner) && parts > 0 {
            joined.push_str(word);
            parts += 1;
            if wanted(&joined) {
                return Some(joined_start);
            }
        } else {
            joined.clear();
            joined.push_str(word);
            joined_start = start;
            parts = 1;
        }
        None
    };
    let mut token_gap = Gap::Other;
    for (index, c) in text.chars().enumerate() {
        piece.clear();
        push_folded(&mut piece, c);
        for folded in piece.chars() {
            if folded.is_alphanumeric() {
                if raw.is_empty() {
                    start = index;
                    token_gap = gap;
                }
                raw.push(folded);
                gap = Gap::None;
            } else {
                if !raw.is_empty()
                    && let Some(at) = finish(&mut raw, &mut word, start, token_gap)
                {
                    return Some(at);
                }
                gap = match (gap, is_joiner(c)) {
                    (Gap::None, true) => Gap::Joiner,
                    _ => Gap::Other,
                };
            }
        }
    }
    if raw.is_empty() {
        return None;
    }
    finish(&mut raw, &mut word, start, token_gap)
}

/// The German transliteration of a folded word (ae → a, oe → o, ue → u except after q).
fn transliterate(folded: &str, out: &mut String) {
    out.clear();
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let after_q = i > 0 && bytes[i - 1] == b'q';
        if bytes.get(i + 1) == Some(&b'e') && (b == b'a' || b == b'o' || (b == b'u' && !after_q)) {
            out.push(b as char);
            i += 2;
            continue;
        }
        let end = (i + utf8_width(b)).min(bytes.len());
        out.push_str(&folded[i..end]);
        i = end;
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '/' | '\u{2010}' | '\u{2011}')
}

#[derive(Clone, Copy)]
enum Gap {
    None,
    Joiner,
    Other,
}

#[derive(Default)]
struct RawToken {
    text: String,
    spans: Vec<(u32, u32)>,
    joined: bool,
}

impl RawToken {
    /// Applies the German transliteration (ae → a, oe → o, ue → u except after q), merging the
    /// dropped `e` into the span of the vowel before it.
    fn finish(self) -> Token {
        let bytes = self.text.as_bytes();
        let mut text = String::with_capacity(self.text.len());
        let mut spans: Vec<(u32, u32)> = Vec::with_capacity(self.spans.len());
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let next = bytes.get(i + 1).copied();
            let after_q = i > 0 && bytes[i - 1] == b'q';
            let drops_e = next == Some(b'e') && (b == b'a' || b == b'o' || (b == b'u' && !after_q));
            if drops_e {
                text.push(b as char);
                spans.push((self.spans[i].0, self.spans[i + 1].1));
                i += 2;
                continue;
            }
            // Copy one whole UTF-8 character.
            let width = utf8_width(b);
            let end = (i + width).min(bytes.len());
            text.push_str(&self.text[i..end]);
            spans.extend_from_slice(&self.spans[i..end]);
            i = end;
        }
        Token {
            text,
            spans,
            joined_to_previous: self.joined,
        }
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    /// [`index_text`] as it was first written, from [`tokenize`]'s tokens: the fast version must
    /// give the same words.
    fn index_text_from_tokens(text: &str) -> String {
        let tokens = tokenize(text);
        let mut out: Vec<String> = tokens.iter().map(|t| t.text.clone()).collect();
        out.extend(joined_compounds(&tokens));
        out.join(" ")
    }

    #[test]
    fn index_text_gives_the_words_of_tokenize() {
        let samples = [
            "",
            " ",
            "-",
            "E-Rechnung, IT-Sicherheit und Cloud/Server",
            "Bremen - Oldenburg",
            "-Anfang und Ende-",
            "a--b a-/b a-b-c-d x/y-z",
            "Bürgeramt Buergeramt Quelle QUELLE Straße Größe Ærø Œuvre",
            "Café Cafe\u{301} e\u{301}-mail ﬁnance ǅemal",
            "Kaffee☕Pause 🎉 NEAR(a b) \"*:-^",
            "2019-12-28T14:00:00Z 36C3 c3voc.de/fahrplan",
            "İstanbul ΣΊΣΥΦΟΣ Ǆ ß-ẞ ‐ ‑ x‐y x‑y",
            "ue ae oe que uee aee qu-e",
        ];
        for text in samples {
            assert_eq!(index_text(text), index_text_from_tokens(text), "{text:?}");
        }
        // Every character of a wide range, alone and between words and hyphens.
        let mut long = String::new();
        for code in (0u32..0x3000).step_by(7) {
            if let Some(c) = char::from_u32(code) {
                long.push(c);
                long.push_str(if code % 3 == 0 { "-ue" } else { "x " });
            }
        }
        assert_eq!(index_text(&long), index_text_from_tokens(&long));
    }

    #[test]
    fn umlauts_and_transliterations_are_one_word() {
        assert_eq!(normalize_word("Bürgeramt"), "burgeramt");
        assert_eq!(normalize_word("Buergeramt"), "burgeramt");
        assert_eq!(normalize_word("Burgeramt"), "burgeramt");
        assert_eq!(normalize_word("Straße"), normalize_word("Strasse"));
        assert_eq!(normalize_word("Größe"), normalize_word("Groesse"));
        assert_eq!(normalize_word("Ärzte"), normalize_word("Aerzte"));
        // ue after q stays (Quelle is not Qulle), the same on both sides.
        assert_eq!(normalize_word("Quelle"), "quelle");
    }

    #[test]
    fn splits_on_punctuation_and_remembers_hyphen_compounds() {
        let tokens = tokenize("E-Rechnung, IT-Sicherheit und Cloud/Server");
        let texts: Vec<_> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "e",
                "rechnung",
                "it",
                "sicherheit",
                "und",
                "cloud",
                "server"
            ]
        );
        assert!(tokens[1].joined_to_previous);
        assert!(!tokens[2].joined_to_previous);
        assert_eq!(
            joined_compounds(&tokens),
            ["erechnung", "itsicherheit", "cloudserver"]
        );
        // A dash surrounded by spaces is not a compound.
        assert!(joined_compounds(&tokenize("Bremen - Oldenburg")).is_empty());
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "Das Bürgeramt Straße";
        let tokens = tokenize(text);
        let chars: Vec<char> = text.chars().collect();
        let slice = |(a, b): (u32, u32)| chars[a as usize..b as usize].iter().collect::<String>();
        assert_eq!(slice(tokens[1].char_range()), "Bürgeramt");
        assert_eq!(slice(tokens[2].char_range()), "Straße");
        // "strasse": bytes 4..7 are "sse", which come from "ße".
        assert_eq!(slice(tokens[2].char_range_of(4, 7)), "ße");
        let tokens = tokenize("Mueller");
        assert_eq!(tokens[0].text, "muller");
        assert_eq!(slice2("Mueller", tokens[0].char_range_of(0, 2)), "Mue");
    }

    fn slice2(text: &str, (a, b): (u32, u32)) -> String {
        text.chars()
            .skip(a as usize)
            .take((b - a) as usize)
            .collect()
    }

    #[test]
    fn emoji_and_symbols_separate_words() {
        assert_eq!(
            words("Kaffee☕Pause 🎉 NEAR(a b)"),
            ["kaffee", "pause", "near", "a", "b"]
        );
        assert_eq!(words("\"*:-^"), Vec::<String>::new());
        assert_eq!(words("Bu\u{308}rger"), ["burger"]);
    }

    #[test]
    fn find_word_agrees_with_tokenize() {
        let text = "Die Bürgerämter und IT-Sicherheit, E-Rechnung, Straße Quelle Mueller";
        let mut seen = Vec::new();
        for token in tokenize(text) {
            if seen.contains(&token.text) {
                continue;
            }
            let at = find_word(text, |w| w == token.text);
            assert_eq!(at, Some(token.char_range().0 as usize), "{}", token.text);
            seen.push(token.text);
        }
        // Joined compounds start at their first part.
        assert_eq!(find_word(text, |w| w == "erechnung"), Some(35));
        assert_eq!(find_word(text, |w| w == "itsicherheit"), Some(20));
        assert_eq!(find_word(text, |w| w == "nichts"), None);
    }

    #[test]
    fn index_text_appends_joined_forms() {
        assert_eq!(
            index_text("Die E-Rechnungsplattform"),
            "die e rechnungsplattform erechnungsplattform"
        );
    }
}

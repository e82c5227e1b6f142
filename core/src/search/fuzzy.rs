//! One-typo matching: optimal string alignment distance (Levenshtein plus swapped neighbours), so
//! `Sicherhiet` and `Digitalisirung` count as one typo away from the real word.

/// Whether `word` is at most one edit (insert, delete, substitute, swap two neighbours) away from
/// `term`, or, with `prefix`, from some beginning of `term` (the user is still typing).
pub(crate) fn within_one(word: &[char], term: &[char], prefix: bool) -> bool {
    let n = word.len();
    let m = term.len();
    if !prefix && n.abs_diff(m) > 1 {
        return false;
    }
    if prefix && m + 1 < n {
        return false;
    }
    // Only columns up to n + 1 can matter for a prefix match.
    let cols = if prefix { m.min(n + 1) } else { m };
    if cols + 1 > MAX_COLUMNS {
        return false;
    }
    // Three rows of the OSA table, capped at 2 (anything above one edit is "too far"). On the
    // stack: this runs for thousands of vocabulary words per keystroke.
    let mut before = [2u8; MAX_COLUMNS];
    let mut previous = [2u8; MAX_COLUMNS];
    for (j, cell) in previous.iter_mut().enumerate().take(cols + 1) {
        *cell = j.min(2) as u8;
    }
    let mut current = [2u8; MAX_COLUMNS];
    for i in 1..=n {
        current[0] = i.min(2) as u8;
        let mut row_min = current[0];
        for j in 1..=cols {
            let cost = u8::from(word[i - 1] != term[j - 1]);
            let mut best = (previous[j - 1] + cost)
                .min(previous[j] + 1)
                .min(current[j - 1] + 1);
            if i > 1 && j > 1 && word[i - 1] == term[j - 2] && word[i - 2] == term[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best.min(2);
            row_min = row_min.min(current[j]);
        }
        if row_min > 1 {
            return false;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    // `previous` now holds the last row.
    if prefix {
        previous[..=cols].iter().any(|&d| d <= 1)
    } else {
        previous[cols] <= 1
    }
}

/// Longest word compared (query words are cut at 48 characters; longer vocabulary words are
/// compared by their beginning in prefix mode and never match whole).
const MAX_COLUMNS: usize = 128;

#[cfg(test)]
mod tests {
    use super::within_one;

    fn check(word: &str, term: &str, prefix: bool) -> bool {
        let w: Vec<char> = word.chars().collect();
        let t: Vec<char> = term.chars().collect();
        within_one(&w, &t, prefix)
    }

    #[test]
    fn one_edit_of_any_kind_is_accepted() {
        assert!(check("digitalisirung", "digitalisierung", false)); // deletion
        assert!(check("sicherhiet", "sicherheit", false)); // swap
        assert!(check("verwaltumg", "verwaltung", false)); // substitution
        assert!(check("kommunne", "kommune", false)); // insertion
        assert!(check("kommune", "kommune", false));
    }

    #[test]
    fn two_edits_are_refused() {
        assert!(!check("digitalsirung", "digitalisierung", false));
        assert!(!check("sihcerhiet", "sicherheit", false));
        assert!(!check("abc", "abcde", false));
    }

    #[test]
    fn prefix_mode_matches_the_beginning_of_longer_words() {
        assert!(check("digitalisir", "digitalisierung", true));
        assert!(check("sicherhie", "sicherheitsstrategie", true));
        assert!(check("verwaltnug", "verwaltungsdigitalisierung", true));
        assert!(!check("verwaltnug", "verwaltungsdigitalisierung", false));
        assert!(!check("xerwaltnug", "verwaltungsdigitalisierung", true));
    }
}

//! One-typo matching: optimal string alignment distance (Levenshtein plus swapped neighbours), so
//! `Sicherhiet` and `Digitalisirung` count as one typo away from the real word.

/// Whether `word` is at most one edit (insert, delete, substitute, swap two neighbours) away from
/// `term`, or, with `prefix`, from some beginning of `term` (the user is still typing).
///
/// With one edit allowed no table is needed: the edit can always be placed at the first position
/// where the two differ, so the four possible edits are tried there and the rests compared. This
/// runs for thousands of vocabulary words per keystroke, in time linear in the word.
pub fn within_one<T: PartialEq>(word: &[T], term: &[T], prefix: bool) -> bool {
    let n = word.len();
    let m = term.len();
    if !prefix && n.abs_diff(m) > 1 {
        return false;
    }
    // The rest of the word must equal the rest of the term (or begin it, while typing).
    let rest_fits = |w: &[T], t: &[T]| {
        if prefix {
            t.len() >= w.len() && t[..w.len()] == *w
        } else {
            w == t
        }
    };
    let Some(i) = word.iter().zip(term).position(|(a, b)| a != b) else {
        // One is a beginning of the other.
        return if prefix {
            n <= m + 1
        } else {
            n.abs_diff(m) <= 1
        };
    };
    let substituted = rest_fits(&word[i + 1..], &term[i + 1..]);
    let word_has_extra = rest_fits(&word[i + 1..], &term[i..]);
    let term_has_extra = rest_fits(&word[i..], &term[i + 1..]);
    let swapped = i + 1 < n
        && i + 1 < m
        && word[i] == term[i + 1]
        && word[i + 1] == term[i]
        && rest_fits(&word[i + 2..], &term[i + 2..]);
    substituted || word_has_extra || term_has_extra || swapped
}

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
    fn agrees_with_a_full_edit_distance_table() {
        // Brute force over short strings of a small alphabet, against the textbook table.
        fn osa(a: &[u8], b: &[u8]) -> usize {
            let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for (i, row) in d.iter_mut().enumerate() {
                row[0] = i;
            }
            for (j, cell) in d[0].iter_mut().enumerate() {
                *cell = j;
            }
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let cost = usize::from(a[i - 1] != b[j - 1]);
                    d[i][j] = (d[i - 1][j] + 1)
                        .min(d[i][j - 1] + 1)
                        .min(d[i - 1][j - 1] + cost);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                    }
                }
            }
            d[a.len()][b.len()]
        }
        let words: Vec<Vec<u8>> = (0..4usize)
            .flat_map(|len| {
                (0..3usize.pow(len as u32)).map(move |mut code| {
                    (0..len)
                        .map(|_| {
                            let c = b"abc"[code % 3];
                            code /= 3;
                            c
                        })
                        .collect()
                })
            })
            .collect();
        for a in &words {
            for b in &words {
                assert_eq!(within_one(a, b, false), osa(a, b) <= 1, "{a:?} {b:?}");
                let by_prefix = (0..=b.len()).any(|k| osa(a, &b[..k]) <= 1);
                assert_eq!(within_one(a, b, true), by_prefix, "prefix {a:?} {b:?}");
            }
        }
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

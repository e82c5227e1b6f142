//! Stable identity for files without ids (`docs/adr/0015-stable-identity.md`): a session whose id
//! the importer had to make up (no ID column, no UID, no guid, or a guid the file repeats) gets
//! the id of the session it continues in the source's previous publication, so a fixed typo or
//! a move keeps attendees' favourites and reaches them as "retitled" or "moved", not "removed".
//! Exhibitors alike, with their name as the title, their station as the place, and no time.
//!
//! Pure and deterministic: the same previous publication and the same sessions, in any order,
//! give the same ids. Rules, tried in this order over every pair still free:
//! 1. same title (case, spacing and German folding ignored) at the same start in the same place;
//! 2. same start and place, similar title (a fixed typo: [`similar`]);
//! 3. same title at another time or place (a move), the nearest start first.
//!
//! Each previous id is given at most once; ties go to the incoming session first in
//! (start, place, title, end, made-up id) order, then to the smallest previous id. A session
//! matching none keeps its made-up id (already stable: derived from its content), suffixed
//! `-2`, `-3`, ... if that id is taken.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use marktplatz_model::model::{Exhibitor, Session};

use super::ids::name_key;

/// Titles at most this far apart (edits per character of the longer title, in per mille: 0.3)
/// are one title with a typo fixed, when the sessions share start and place.
pub const MAX_TYPO_PER_MILLE: u64 = 300;

/// Which rule gave a session its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The file's own id: kept as it is.
    FileId,
    /// Same title, start and place.
    SameTitle,
    /// Same start and place, similar title.
    FixedTypo,
    /// Same title, another time or place.
    Moved,
    /// No previous session matched: its own (made-up) id.
    Fresh,
}

/// The id one incoming session gets, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assigned {
    /// The id the importer made up (or the file's).
    pub from: String,
    pub id: String,
    pub rule: Rule,
}

/// Ids the importer made up, per kind (the only kinds whose ids are matched).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MadeUpIds {
    pub sessions: BTreeSet<String>,
    pub exhibitors: BTreeSet<String>,
}

impl MadeUpIds {
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty() && self.exhibitors.is_empty()
    }

    pub fn len(&self) -> usize {
        self.sessions.len() + self.exhibitors.len()
    }
}

/// For each session of `incoming` (same order), its id: those in `made_up` are matched against
/// `previous` (what the same source published last); the others keep theirs.
pub fn assign_session_ids(
    previous: &[Session],
    incoming: &[Session],
    made_up: &BTreeSet<String>,
) -> Vec<Assigned> {
    assign(
        previous.iter().map(Key::of_session).collect(),
        incoming.iter().map(Key::of_session).collect(),
        made_up,
    )
}

/// [`assign_session_ids`] for exhibitors: the name is the title, the station the place, and
/// there is no time (a fixed typo at the same station; the same name at another station).
pub fn assign_exhibitor_ids(
    previous: &[Exhibitor],
    incoming: &[Exhibitor],
    made_up: &BTreeSet<String>,
) -> Vec<Assigned> {
    assign(
        previous.iter().map(Key::of_exhibitor).collect(),
        incoming.iter().map(Key::of_exhibitor).collect(),
        made_up,
    )
}

fn assign(
    previous: Vec<Key<'_>>,
    incoming: Vec<Key<'_>>,
    made_up: &BTreeSet<String>,
) -> Vec<Assigned> {
    let kept_ids: HashSet<&str> = incoming
        .iter()
        .filter(|k| !made_up.contains(k.id))
        .map(|k| k.id)
        .collect();
    let mut result: Vec<Option<Assigned>> = incoming
        .iter()
        .map(|k| {
            kept_ids.contains(k.id).then(|| Assigned {
                from: k.id.to_string(),
                id: k.id.to_string(),
                rule: Rule::FileId,
            })
        })
        .collect();
    // A fresh id may be none of these.
    let mut used: HashSet<String> = kept_ids.iter().map(|id| id.to_string()).collect();
    used.extend(previous.iter().map(|p| p.id.to_string()));

    // Keys independent of the input order; a previous id the file itself uses is not free.
    let mut free_previous: Vec<Key<'_>> = previous
        .into_iter()
        .filter(|p| !kept_ids.contains(p.id))
        .collect();
    free_previous.sort_by(|a, b| a.id.cmp(b.id));
    free_previous.dedup_by(|a, b| a.id == b.id);
    let mut waiting: Vec<(usize, &Key<'_>)> = incoming
        .iter()
        .enumerate()
        .filter(|(i, _)| result[*i].is_none())
        .collect();
    waiting.sort_by(|a, b| a.1.order().cmp(&b.1.order()));

    // Only sessions sharing a slot or a title can pair: look them up instead of trying all.
    let mut by_slot: HashMap<(DateTime<Utc>, Option<&str>), Vec<&Key<'_>>> = HashMap::new();
    let mut by_title: HashMap<&str, Vec<&Key<'_>>> = HashMap::new();
    for old in &free_previous {
        by_slot.entry((old.start, old.place)).or_default().push(old);
        by_title.entry(old.title.as_str()).or_default().push(old);
    }
    let mut taken: HashSet<&str> = HashSet::new();
    let mut matched: HashSet<usize> = HashSet::new();
    for rule in [Rule::SameTitle, Rule::FixedTypo, Rule::Moved] {
        let mut pairs: Vec<(PairRank, usize, &str)> = Vec::new();
        for (rank_in, (index, new)) in waiting.iter().enumerate() {
            if matched.contains(index) {
                continue;
            }
            let candidates = match rule {
                Rule::Moved => by_title.get(new.title.as_str()),
                _ => by_slot.get(&(new.start, new.place)),
            };
            for old in candidates.into_iter().flatten() {
                if taken.contains(old.id) {
                    continue;
                }
                if let Some(rank) = rank(rule, new, old) {
                    pairs.push(((rank, rank_in), *index, old.id));
                }
            }
        }
        pairs.sort_by(|a, b| (a.0, a.2).cmp(&(b.0, b.2)));
        for (_, index, old_id) in pairs {
            if matched.contains(&index) || taken.contains(old_id) {
                continue;
            }
            matched.insert(index);
            taken.insert(old_id);
            result[index] = Some(Assigned {
                from: incoming[index].id.to_string(),
                id: old_id.to_string(),
                rule,
            });
        }
    }

    // The rest keep their made-up ids, unless a previous or kept session has that id.
    used.extend(result.iter().flatten().map(|a| a.id.clone()));
    for (index, _) in &waiting {
        if result[*index].is_some() {
            continue;
        }
        let from = incoming[*index].id.to_string();
        let mut id = from.clone();
        let mut n = 2;
        while used.contains(&id) {
            id = format!("{from}-{n}");
            n += 1;
        }
        used.insert(id.clone());
        result[*index] = Some(Assigned {
            from,
            id,
            rule: Rule::Fresh,
        });
    }
    result
        .into_iter()
        .zip(&incoming)
        .map(|(assigned, k)| {
            assigned.unwrap_or_else(|| Assigned {
                from: k.id.to_string(),
                id: k.id.to_string(),
                rule: Rule::FileId,
            })
        })
        .collect()
}

/// Gives `sessions` the ids [`assign_session_ids`] chooses; answers what it chose for each
/// session whose id was made up.
pub fn keep_session_ids(
    sessions: &mut [Session],
    previous: &[Session],
    made_up: &BTreeSet<String>,
) -> Vec<Assigned> {
    let assigned = assign_session_ids(previous, sessions, made_up);
    rename(sessions.iter_mut().map(|s| &mut s.id), assigned)
}

/// [`keep_session_ids`] for exhibitors.
pub fn keep_exhibitor_ids(
    exhibitors: &mut [Exhibitor],
    previous: &[Exhibitor],
    made_up: &BTreeSet<String>,
) -> Vec<Assigned> {
    let assigned = assign_exhibitor_ids(previous, exhibitors, made_up);
    rename(exhibitors.iter_mut().map(|e| &mut e.id), assigned)
}

/// Sets each id to its assigned one; answers the assignments of made-up ids.
fn rename<'a>(ids: impl Iterator<Item = &'a mut String>, assigned: Vec<Assigned>) -> Vec<Assigned> {
    let mut matched = Vec::new();
    for (id, assigned) in ids.zip(assigned) {
        if assigned.rule != Rule::FileId {
            id.clone_from(&assigned.id);
            matched.push(assigned);
        }
    }
    matched
}

/// What the rules compare of a session (or an exhibitor).
struct Key<'a> {
    id: &'a str,
    title: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    place: Option<&'a str>,
}

impl<'a> Key<'a> {
    fn of_session(session: &'a Session) -> Key<'a> {
        Key {
            id: &session.id,
            title: name_key(&session.title),
            start: session.start,
            end: session.end,
            place: session.location_id.as_deref(),
        }
    }

    fn of_exhibitor(exhibitor: &'a Exhibitor) -> Key<'a> {
        Key {
            id: &exhibitor.id,
            title: name_key(&exhibitor.name),
            start: DateTime::UNIX_EPOCH,
            end: DateTime::UNIX_EPOCH,
            place: exhibitor.station_id.as_deref(),
        }
    }

    /// The documented tie-break order of incoming sessions.
    fn order(&self) -> (DateTime<Utc>, Option<&str>, &str, DateTime<Utc>, &str) {
        (self.start, self.place, &self.title, self.end, self.id)
    }

    fn same_slot(&self, other: &Key<'_>) -> bool {
        self.start == other.start && self.place == other.place
    }
}

/// How good a pair is under a rule (smaller first), then the incoming session's place in the
/// tie-break order.
type PairRank = (u64, usize);

/// The rank of (`new`, `old`) under `rule`, or None when the rule does not pair them.
fn rank(rule: Rule, new: &Key<'_>, old: &Key<'_>) -> Option<u64> {
    match rule {
        Rule::SameTitle => (new.same_slot(old) && new.title == old.title).then_some(0),
        Rule::FixedTypo => {
            if !new.same_slot(old) {
                return None;
            }
            let per_mille = distance_per_mille(&new.title, &old.title);
            (per_mille <= MAX_TYPO_PER_MILLE).then_some(per_mille)
        }
        Rule::Moved => (new.title == old.title).then(|| {
            // Nearest start first; at the same distance, the same place first.
            let seconds = (new.start - old.start).num_seconds().unsigned_abs();
            seconds.saturating_mul(2) + u64::from(new.place != old.place)
        }),
        Rule::FileId | Rule::Fresh => None,
    }
}

/// Whether two titles are one title with a typo fixed (normalised as the rules compare them).
pub fn similar(a: &str, b: &str) -> bool {
    distance_per_mille(&name_key(a), &name_key(b)) <= MAX_TYPO_PER_MILLE
}

/// Edits (insert, delete, substitute, swap two neighbours) per character of the longer text,
/// in per mille.
fn distance_per_mille(a: &str, b: &str) -> u64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0;
    }
    (edit_distance(&a, &b) as u64 * 1000) / longest as u64
}

/// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a
/// substring): a swapped pair of letters is one edit, the commonest typo.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        rows[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        rows[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[at(i - 1, j)] + 1)
                .min(rows[at(i, j - 1)] + 1)
                .min(rows[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[at(i - 2, j - 2)] + 1);
            }
            rows[at(i, j)] = best;
        }
    }
    rows[at(a.len(), b.len())]
}

/// How many sessions each rule gave their id (for the publish's report).
pub fn count_by_rule(assigned: &[Assigned]) -> BTreeMap<Rule, usize> {
    let mut counts = BTreeMap::new();
    for a in assigned {
        *counts.entry(a.rule).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, title: &str, hour: u32, place: &str) -> Session {
        let mut session = crate::builder::tests::session(title, hour, Some(place));
        session.id = id.into();
        session
    }

    fn all_made_up(sessions: &[Session]) -> BTreeSet<String> {
        sessions.iter().map(|s| s.id.clone()).collect()
    }

    /// (made-up id -> assigned id, rule), sorted, so results of shuffled inputs compare.
    fn ids(previous: &[Session], incoming: &[Session]) -> Vec<(String, String, Rule)> {
        let mut out: Vec<_> = assign_session_ids(previous, incoming, &all_made_up(incoming))
            .into_iter()
            .map(|a| (a.from, a.id, a.rule))
            .collect();
        out.sort();
        out
    }

    fn one(from: &str, id: &str, rule: Rule) -> (String, String, Rule) {
        (from.into(), id.into(), rule)
    }

    #[test]
    fn same_title_ignores_case_spacing_and_german_folding() {
        let previous = [session("old", "Grüße aus Köln", 10, "r1")];
        let incoming = [session("new", "  GRÜSSE  aus köln ", 10, "r1")];
        // fold(ß) = ss, fold(ü) = u: both normalise alike.
        assert_eq!(
            ids(&previous, &incoming),
            [one("new", "old", Rule::SameTitle)]
        );
    }

    #[test]
    fn a_fixed_typo_at_the_same_start_and_place_keeps_the_id() {
        let previous = [session("old", "Digitale Verwlatung", 10, "r1")];
        let incoming = [session("new", "Digitale Verwaltung", 10, "r1")];
        assert_eq!(
            ids(&previous, &incoming),
            [one("new", "old", Rule::FixedTypo)]
        );
        // Another place, or a wholly new title: not the same session.
        let elsewhere = [session("new", "Digitale Verwaltung", 10, "r2")];
        assert_eq!(ids(&previous, &elsewhere), [one("new", "new", Rule::Fresh)]);
        let other = [session("new", "Open Data im Landkreis", 10, "r1")];
        assert_eq!(ids(&previous, &other), [one("new", "new", Rule::Fresh)]);
    }

    #[test]
    fn the_typo_threshold_is_three_edits_in_ten_characters() {
        assert!(similar("abcdefghij", "abcdefgxyz"));
        assert!(!similar("abcdefghij", "abcdefwxyz"));
        assert!(similar("Keynoet", "Keynote"), "a swap is one edit");
        assert_eq!(edit_distance(&['a', 'b'], &['b', 'a']), 1);
    }

    #[test]
    fn the_same_title_at_another_time_or_place_is_a_move() {
        let previous = [session("old", "Keynote", 10, "r1")];
        let later = [session("new", "Keynote", 14, "r1")];
        assert_eq!(ids(&previous, &later), [one("new", "old", Rule::Moved)]);
        let elsewhere = [session("new", "keynote", 10, "r2")];
        assert_eq!(ids(&previous, &elsewhere), [one("new", "old", Rule::Moved)]);
    }

    #[test]
    fn a_move_goes_to_the_nearest_start_and_each_id_is_used_once() {
        // "Lunch" every day: the moved ones pair with the nearest previous one.
        let previous = [
            session("lunch-a", "Lunch", 12, "r1"),
            session("lunch-b", "Lunch", 16, "r1"),
        ];
        let incoming = [
            session("x", "Lunch", 13, "r1"),
            session("y", "Lunch", 17, "r1"),
            session("z", "Lunch", 20, "r1"),
        ];
        assert_eq!(
            ids(&previous, &incoming),
            [
                one("x", "lunch-a", Rule::Moved),
                one("y", "lunch-b", Rule::Moved),
                one("z", "z", Rule::Fresh),
            ]
        );
    }

    #[test]
    fn exact_slot_beats_typo_beats_move() {
        let previous = [
            session("p1", "Workshop", 10, "r1"),
            session("p2", "Workshpo", 14, "r1"),
        ];
        // "Workshop" at 14 is both a typo fix of p2 (same slot) and a move of p1: the typo
        // rule comes before moves, and p1 goes to the "Workshop" still at 10.
        let incoming = [
            session("a", "Workshop", 14, "r1"),
            session("b", "Workshop", 10, "r1"),
        ];
        assert_eq!(
            ids(&previous, &incoming),
            [
                one("a", "p2", Rule::FixedTypo),
                one("b", "p1", Rule::SameTitle)
            ]
        );
    }

    #[test]
    fn file_ids_are_kept_and_their_previous_ids_not_given_away() {
        let previous = [
            session("real", "Keynote", 10, "r1"),
            session("gone", "Closing", 18, "r1"),
        ];
        let incoming = [
            session("real", "Keynote (updated)", 11, "r2"),
            session("made", "Keynote", 10, "r1"),
        ];
        let made_up: BTreeSet<String> = ["made".to_string()].into();
        let assigned = assign_session_ids(&previous, &incoming, &made_up);
        assert_eq!(assigned[0].id, "real");
        assert_eq!(assigned[0].rule, Rule::FileId);
        assert_eq!(
            (assigned[1].id.as_str(), assigned[1].rule),
            ("made", Rule::Fresh)
        );
    }

    #[test]
    fn a_fresh_id_never_reuses_a_previous_one() {
        // Two sessions titled alike where only one was before: the second is new, and its
        // made-up id (the same as the first's previous id) gets a suffix.
        let previous = [session("talk", "Talk", 10, "r1")];
        let incoming = [
            session("talk", "Talk", 10, "r1"),
            session("t2", "Talk", 11, "r1"),
        ];
        let made_up = all_made_up(&incoming);
        let assigned = assign_session_ids(&previous, &incoming, &made_up);
        assert_eq!(assigned[0].id, "talk");
        assert_eq!(assigned[1].id, "t2");
        let clash = [
            session("t9", "Other", 9, "r1"),
            session("talk", "Talk", 12, "r2"),
        ];
        let previous = [
            session("talk", "Talk", 10, "r1"),
            session("t9", "Gone", 8, "r1"),
        ];
        let assigned = assign_session_ids(&previous, &clash, &all_made_up(&clash));
        assert_eq!(assigned[1].id, "talk", "moved");
        assert_eq!(assigned[0].id, "t9-2", "t9 was another session before");
        assert_eq!(assigned[0].rule, Rule::Fresh);
    }

    #[test]
    fn shuffled_input_gives_the_same_ids() {
        let previous: Vec<Session> = (0..12)
            .map(|i| {
                session(
                    &format!("p{i}"),
                    &format!("Talk {}", i % 4),
                    9 + i % 5,
                    "r1",
                )
            })
            .collect();
        let mut incoming: Vec<Session> = (0..14)
            .map(|i| {
                let title = if i == 3 {
                    "Tlak 3".to_string()
                } else {
                    format!("Talk {}", i % 4)
                };
                session(
                    &format!("n{i}"),
                    &title,
                    9 + (i * 7) % 6,
                    if i % 3 == 0 { "r2" } else { "r1" },
                )
            })
            .collect();
        let expected = ids(&previous, &incoming);
        let mut shuffled_previous = previous.clone();
        for round in 0..20 {
            // A fixed permutation per round (no randomness in a unit test).
            let turn = round % incoming.len();
            incoming.rotate_left(turn);
            incoming.swap(0, round % 7 + 3);
            shuffled_previous.reverse();
            shuffled_previous.rotate_left(round % 5);
            assert_eq!(
                ids(&shuffled_previous, &incoming),
                expected,
                "round {round}"
            );
        }
        let used: Vec<&String> = expected.iter().map(|(_, id, _)| id).collect();
        let unique: BTreeSet<&String> = used.iter().copied().collect();
        assert_eq!(used.len(), unique.len(), "every id once: {expected:?}");
    }

    #[test]
    fn keep_session_ids_renames_the_bundle_and_reports_the_changes() {
        let mut sessions = vec![
            session("new", "Keynote", 14, "r1"),
            session("same", "Other", 9, "r1"),
        ];
        let previous = [
            session("old", "Keynote", 10, "r1"),
            session("same", "Other", 9, "r1"),
        ];
        let made_up = all_made_up(&sessions);
        let matched = keep_session_ids(&mut sessions, &previous, &made_up);
        assert_eq!(sessions[0].id, "old");
        assert_eq!(sessions[1].id, "same");
        let counts = count_by_rule(&matched);
        assert_eq!(counts.get(&Rule::Moved), Some(&1));
        assert_eq!(counts.get(&Rule::SameTitle), Some(&1));
    }

    fn exhibitor(id: &str, name: &str, station: &str) -> Exhibitor {
        Exhibitor {
            id: id.into(),
            name: name.into(),
            station_id: Some(station.into()),
            topics: Vec::new(),
            description: String::new(),
            contact: None,
            website: None,
            logo: None,
        }
    }

    #[test]
    fn exhibitors_match_by_name_at_their_station() {
        let previous = [
            exhibitor("stadt", "Stadt Delmenhrost", "s1"),
            exhibitor("kreis", "Landkreis Oldenburg", "s2"),
            exhibitor("gone", "Zweckverband", "s3"),
        ];
        let incoming = [
            exhibitor("a", "Stadt Delmenhorst", "s1"),
            exhibitor("b", "Landkreis Oldenburg", "s4"),
            exhibitor("c", "Gemeinde Ganderkesee", "s3"),
        ];
        let made_up: BTreeSet<String> = incoming.iter().map(|e| e.id.clone()).collect();
        let assigned = assign_exhibitor_ids(&previous, &incoming, &made_up);
        let got: Vec<(&str, Rule)> = assigned.iter().map(|a| (a.id.as_str(), a.rule)).collect();
        assert_eq!(
            got,
            [
                ("stadt", Rule::FixedTypo),
                ("kreis", Rule::Moved),
                ("c", Rule::Fresh)
            ]
        );
    }
}

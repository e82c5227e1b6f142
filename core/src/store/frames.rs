//! A large page's bodies compressed on a helper thread while the writer stores them (issue 23,
//! ADR 0010 part 10).
//!
//! Compressing each body (`body::frame`, zstd level 1) was a tenth of a first sync's apply,
//! all of it on the thread that holds the write transaction. A phone has more cores than one:
//! the helper compresses the bodies in page order and hands each frame over; the writer takes
//! them in the same order. Frames are the same whichever thread makes them, so what is stored
//! does not change. Small pages (a delta, a poll's tail) compress on the writer: a thread
//! would cost more than it saves.

use std::sync::mpsc;

use crate::error::{Error, Result};

use super::body;
use super::dictionary::BodyDictionary;

/// Pages with fewer bodies than this compress them on the writer's thread.
const HELPER_FROM_BODIES: usize = 64;

/// Frames the helper may be ahead of the writer: bounds the memory held for them.
const AHEAD: usize = 256;

/// The frames of a page's bodies, in the order the bodies were given.
pub(crate) enum Frames<'b> {
    Here(std::slice::Iter<'b, &'b str>, Option<&'b BodyDictionary>),
    Beside(mpsc::Receiver<Option<Vec<u8>>>),
}

impl Frames<'_> {
    /// The next body's frame (`None`: it is stored as text). An error when the helper stopped
    /// before handing it over, or when more frames are asked for than bodies were given.
    pub(crate) fn next_frame(&mut self) -> Result<Option<Vec<u8>>> {
        match self {
            Frames::Here(bodies, dictionary) => bodies
                .next()
                .map(|body| body::frame(body, *dictionary))
                .ok_or_else(missing),
            Frames::Beside(ready) => ready.recv().map_err(|_| missing()),
        }
    }
}

/// Runs `write` with the frames of `bodies` (made with `dictionary`, if given), made on a
/// helper thread when there are many. `write` must ask for them in order
/// ([`Frames::next_frame`]); it may stop early (an error): the helper then stops too.
pub(crate) fn compressing<'b, T>(
    bodies: &'b [&'b str],
    dictionary: Option<&'b BodyDictionary>,
    write: impl FnOnce(&mut Frames<'b>) -> Result<T>,
) -> Result<T> {
    if bodies.len() < HELPER_FROM_BODIES {
        return write(&mut Frames::Here(bodies.iter(), dictionary));
    }
    std::thread::scope(|scope| {
        let (hand_over, ready) = mpsc::sync_channel(AHEAD);
        let helper = std::thread::Builder::new()
            .name("marktplatz-frames".to_string())
            .spawn_scoped(scope, move || {
                for body in bodies {
                    // The writer stopped (an error): nothing left to hand over.
                    if hand_over.send(body::frame(body, dictionary)).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| Error::io("starting the thread that compresses the bodies", e))?;
        let mut frames = Frames::Beside(ready);
        let written = write(&mut frames);
        // Dropping the receiver ends a helper still compressing (its next send fails).
        drop(frames);
        match helper.join() {
            Ok(()) => written,
            Err(_) => Err(panicked()),
        }
    })
}

fn missing() -> Error {
    Error::io(
        "compressing a page's bodies",
        std::io::Error::other("a frame was asked for that no body is left for"),
    )
}

fn panicked() -> Error {
    Error::io(
        "compressing a page's bodies",
        std::io::Error::other("the helper thread panicked"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(count: usize) -> Vec<String> {
        (0..count)
            .map(|n| {
                format!(
                    r#"{{"id":"s{n}","abstract":"{}"}}"#,
                    "Ein Vortrag. ".repeat((n % 3) * 8)
                )
            })
            .collect()
    }

    fn frames_of(
        bodies: &[&str],
        dictionary: Option<&BodyDictionary>,
        take: usize,
    ) -> Result<Vec<Option<Vec<u8>>>> {
        compressing(bodies, dictionary, |frames| {
            (0..take).map(|_| frames.next_frame()).collect()
        })
    }

    #[test]
    fn frames_are_the_writers_own_in_page_order_on_either_thread() {
        for count in [3, HELPER_FROM_BODIES, 3 * AHEAD + 7] {
            let owned = bodies(count);
            let bodies: Vec<&str> = owned.iter().map(String::as_str).collect();
            let expected: Vec<Option<Vec<u8>>> =
                bodies.iter().map(|b| body::frame(b, None)).collect();
            assert!(expected.iter().any(Option::is_some));
            assert!(expected.iter().any(Option::is_none));
            assert_eq!(
                frames_of(&bodies, None, count).unwrap(),
                expected,
                "{count} bodies"
            );
        }
    }

    #[test]
    fn frames_with_a_dictionary_are_the_same_on_either_thread() {
        let (_, owned, dictionary) = crate::store::dictionary::tests::trained(700);
        let bodies: Vec<&str> = owned.iter().map(String::as_str).collect();
        for count in [3, bodies.len()] {
            let expected: Vec<Option<Vec<u8>>> = bodies[..count]
                .iter()
                .map(|b| body::frame(b, Some(&dictionary)))
                .collect();
            assert!(expected.iter().all(Option::is_some));
            assert_eq!(
                frames_of(&bodies[..count], Some(&dictionary), count).unwrap(),
                expected,
                "{count} bodies"
            );
        }
    }

    #[test]
    fn a_writer_that_stops_early_stops_the_helper_and_keeps_its_error() {
        let owned = bodies(4 * AHEAD);
        let bodies: Vec<&str> = owned.iter().map(String::as_str).collect();
        let mut taken = 0;
        let written: Result<()> = compressing(&bodies, None, |frames| {
            frames.next_frame()?;
            taken += 1;
            Err(Error::Protocol("the disk filled".to_string()))
        });
        assert_eq!(taken, 1);
        assert!(matches!(written, Err(Error::Protocol(m)) if m == "the disk filled"));
    }

    #[test]
    fn asking_for_more_frames_than_bodies_is_an_error_on_either_thread() {
        for count in [2, HELPER_FROM_BODIES] {
            let owned = bodies(count);
            let bodies: Vec<&str> = owned.iter().map(String::as_str).collect();
            assert!(
                frames_of(&bodies, None, count + 1).is_err(),
                "{count} bodies"
            );
        }
    }
}

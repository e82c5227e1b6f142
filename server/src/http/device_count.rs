//! How many distinct devices polled an event in the last hour and the last day, for the
//! organiser console's overview: a count only, no device identifier stored.
//!
//! A successful poll (`GET .../head` or `.../changes...`) is remembered as a keyed hash of the
//! client's address and user agent, in a set per event and hour. The key is random, lives in
//! memory only and is replaced every 24 hours, so a hash cannot be linked to an address once
//! the key is gone, nor recomputed from a list of addresses by anyone without the key. Buckets
//! older than 24 hours are dropped; nothing is written to disk (`docs/threat-model.md`,
//! privacy). Across a key change one device may count twice in the day's figure: an upper
//! bound.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::IpAddr;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

const HOUR_SECS: i64 = 3600;
const HOURS_KEPT: i64 = 24;
/// The most devices remembered per event and hour: a flood of forged user agents costs this
/// much memory at most (16 bytes each), and the count says "at least".
pub const MAX_DEVICES_PER_HOUR: usize = 200_000;

/// A device's hash under the current key.
type DeviceHash = [u8; 16];

struct Bucket {
    hour: i64,
    devices: HashSet<DeviceHash>,
}

struct Counts {
    key: [u8; 32],
    key_since: i64,
    events: HashMap<String, VecDeque<Bucket>>,
}

pub struct DeviceCounter {
    counts: Mutex<Counts>,
}

impl Default for DeviceCounter {
    fn default() -> Self {
        DeviceCounter {
            counts: Mutex::new(Counts {
                key: rand::random(),
                key_since: i64::MIN,
                events: HashMap::new(),
            }),
        }
    }
}

/// The last poll one connection counted. A phone polls over one connection again and again:
/// its next polls of the same event in the same hour add nothing to the counts, so they are
/// let through without a hash or the lock (`DeviceCounter::saw_on`). Only this connection's
/// own polls are compared, so a fixed-key hash of the event and agent is enough to tell them
/// apart; the address is kept whole, as behind a trusted proxy each request names its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastCounted {
    event_and_agent: u64,
    address: IpAddr,
    hour: i64,
}

impl DeviceCounter {
    /// Remembers that the device (`address`, `user_agent`) polled `event` at `now` (Unix
    /// seconds).
    pub fn saw(&self, event: &str, address: IpAddr, user_agent: &[u8], now: i64) {
        let Ok(mut counts) = self.counts.lock() else {
            return;
        };
        if counts.key_since == i64::MIN {
            counts.key_since = now;
        } else if now - counts.key_since >= HOURS_KEPT * HOUR_SECS {
            counts.key = rand::random();
            counts.key_since = now;
        }
        let hash = device_hash(&counts.key, address, user_agent);
        let hour = now.div_euclid(HOUR_SECS);
        // Known events are looked up without allocating: this runs for every counted poll.
        if !counts.events.contains_key(event) {
            counts.events.insert(event.to_string(), VecDeque::new());
        }
        let Some(buckets) = counts.events.get_mut(event) else {
            return;
        };
        while buckets.front().is_some_and(|b| b.hour <= hour - HOURS_KEPT) {
            buckets.pop_front();
        }
        if buckets.back().is_none_or(|b| b.hour != hour) {
            buckets.push_back(Bucket {
                hour,
                devices: HashSet::new(),
            });
        }
        if let Some(bucket) = buckets.back_mut()
            && bucket.devices.len() < MAX_DEVICES_PER_HOUR
        {
            bucket.devices.insert(hash);
        }
    }

    /// As [`saw`](Self::saw), for a poll on the connection whose last counted poll is `last`:
    /// skipped when that was the same device's poll of the same event in the same hour.
    pub fn saw_on(
        &self,
        last: &mut Option<LastCounted>,
        event: &str,
        address: IpAddr,
        user_agent: &[u8],
        now: i64,
    ) {
        let mut hasher = DefaultHasher::new();
        (event, user_agent).hash(&mut hasher);
        let this = LastCounted {
            event_and_agent: hasher.finish(),
            address,
            hour: now.div_euclid(HOUR_SECS),
        };
        if *last != Some(this) {
            self.saw(event, address, user_agent, now);
            *last = Some(this);
        }
    }

    /// Distinct devices that polled `event` in the current hour (UTC) and in the last 24 hours.
    pub fn counts(&self, event: &str, now: i64) -> (usize, usize) {
        let Ok(counts) = self.counts.lock() else {
            return (0, 0);
        };
        let Some(buckets) = counts.events.get(event) else {
            return (0, 0);
        };
        let hour = now.div_euclid(HOUR_SECS);
        let last_hour = buckets
            .iter()
            .filter(|b| b.hour == hour)
            .map(|b| b.devices.len())
            .sum();
        let day: HashSet<&DeviceHash> = buckets
            .iter()
            .filter(|b| b.hour > hour - HOURS_KEPT)
            .flat_map(|b| b.devices.iter())
            .collect();
        (last_hour, day.len())
    }
}

fn device_hash(key: &[u8; 32], address: IpAddr, user_agent: &[u8]) -> DeviceHash {
    let mut hasher = Sha256::new();
    hasher.update(key);
    // The address as 16 bytes (an IPv4 one mapped), so no address and agent pair reads as
    // another.
    let address = match address.to_canonical() {
        IpAddr::V4(v4) => v4.to_ipv6_mapped(),
        IpAddr::V6(v6) => v6,
    };
    hasher.update(address.octets());
    hasher.update(user_agent);
    let digest = hasher.finalize();
    let mut hash = [0u8; 16];
    hash.copy_from_slice(&digest[..16]);
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn distinct_devices_are_counted_per_hour_and_day_and_forgotten_after_a_day() {
        let counter = DeviceCounter::default();
        counter.saw("e", ip("10.0.0.1"), b"app/1", NOW);
        counter.saw("e", ip("10.0.0.1"), b"app/1", NOW + 10);
        counter.saw("e", ip("10.0.0.2"), b"app/1", NOW + 20);
        counter.saw("other", ip("10.0.0.3"), b"app/1", NOW);
        assert_eq!(counter.counts("e", NOW + 30), (2, 2));
        let later = NOW + 2 * HOUR_SECS;
        counter.saw("e", ip("10.0.0.1"), b"app/1", later);
        assert_eq!(
            counter.counts("e", later),
            (1, 2),
            "the same device once a day"
        );
        assert_eq!(counter.counts("nobody", later), (0, 0));
        let next_day = NOW + 25 * HOUR_SECS;
        assert_eq!(
            counter.counts("e", next_day).1,
            1,
            "older hours are forgotten"
        );
        counter.saw("e", ip("10.0.0.9"), b"app/1", next_day);
        assert_eq!(counter.counts("e", next_day), (1, 2));
        assert_eq!(counter.counts("e", NOW + 27 * HOUR_SECS), (0, 1));
    }

    #[test]
    fn the_key_is_random_so_a_hash_says_nothing_without_it() {
        let (a, b) = (DeviceCounter::default(), DeviceCounter::default());
        let key = |c: &DeviceCounter| c.counts.lock().map(|c| c.key).unwrap_or_default();
        assert_ne!(
            device_hash(&key(&a), ip("10.0.0.1"), b"x"),
            device_hash(&key(&b), ip("10.0.0.1"), b"x")
        );
        assert_eq!(
            device_hash(&[0; 32], ip("10.0.0.1"), b"x"),
            device_hash(&[0; 32], ip("::ffff:10.0.0.1"), b"x"),
            "an IPv4 client is one device however the socket spells it"
        );
        assert_ne!(
            device_hash(&[0; 32], ip("10.0.0.1"), b"x"),
            device_hash(&[0; 32], ip("10.0.0.2"), b"x")
        );
    }

    #[test]
    fn a_connection_counts_each_device_event_and_hour_once_and_misses_none() {
        let counter = DeviceCounter::default();
        let mut last = None;
        for second in 0..3 {
            counter.saw_on(&mut last, "e", ip("10.0.0.1"), b"app/1", NOW + second);
        }
        assert_eq!(counter.counts("e", NOW), (1, 1));

        // Behind a proxy, one connection carries several devices: each is counted.
        counter.saw_on(&mut last, "e", ip("10.0.0.2"), b"app/1", NOW + 6);
        counter.saw_on(&mut last, "e", ip("10.0.0.1"), b"app/2", NOW + 7);
        counter.saw_on(&mut last, "other", ip("10.0.0.1"), b"app/2", NOW + 8);
        assert_eq!(counter.counts("e", NOW + 8), (3, 3));
        assert_eq!(counter.counts("other", NOW + 8), (1, 1));

        // The next hour counts the same device again, in that hour's bucket.
        let later = NOW + HOUR_SECS;
        counter.saw_on(&mut last, "other", ip("10.0.0.1"), b"app/2", later);
        assert_eq!(counter.counts("other", later), (1, 1));
        counter.saw_on(&mut last, "e", ip("10.0.0.2"), b"app/1", later + 1);
        assert_eq!(counter.counts("e", later + 1), (1, 3));
    }
}

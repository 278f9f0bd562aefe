//! A set of fixed size that may answer "maybe" but never a wrong "no" (a
//! Bloom filter): the keys of the records a reader passed by, so that a key
//! learnt later re-reads the exports only when some record may hold it.
//! Writers on several threads share it.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// Bits of every set: 1 MiB, about 3% "maybe" for a million keys.
const BITS: u64 = 1 << 23;

/// Positions set per key.
const HASHES: u64 = 3;

/// Keys that may have been inserted.
pub(crate) struct MaybeSet {
    words: Box<[AtomicU64]>,
}

impl Default for MaybeSet {
    fn default() -> Self {
        MaybeSet {
            words: (0..BITS / 64).map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

impl MaybeSet {
    /// The bit positions of `key` (double hashing of one 64-bit hash).
    fn positions<K: Hash + ?Sized>(key: &K) -> impl Iterator<Item = u64> {
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let hash = hasher.finish();
        let (first, step) = (hash & 0xffff_ffff, (hash >> 32) | 1);
        (0..HASHES).map(move |i| first.wrapping_add(i.wrapping_mul(step)) % BITS)
    }

    /// Inserts `key`.
    pub(crate) fn insert<K: Hash + ?Sized>(&self, key: &K) {
        for bit in Self::positions(key) {
            self.words[(bit / 64) as usize].fetch_or(1 << (bit % 64), Ordering::Relaxed);
        }
    }

    /// Whether `key` may have been inserted (never false when it was).
    pub(crate) fn may_contain<K: Hash + ?Sized>(&self, key: &K) -> bool {
        Self::positions(key).all(|bit| {
            self.words[(bit / 64) as usize].load(Ordering::Relaxed) & (1 << (bit % 64)) != 0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_inserted_is_found_and_few_others_are() {
        let set = MaybeSet::default();
        for n in 0..100_000u32 {
            set.insert(&format!("mac-{n}"));
        }
        assert!((0..100_000u32).all(|n| set.may_contain(&format!("mac-{n}"))));
        let maybe = (0..100_000u32)
            .filter(|n| set.may_contain(&format!("pc-{n}")))
            .count();
        assert!(maybe < 100, "{maybe} false maybes in 100,000");
        assert!(!MaybeSet::default().may_contain("anything"));
    }
}

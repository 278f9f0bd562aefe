//! The one reader pool: files read a few at a time (each file has its own
//! parsing threads, and overlapping two keeps them busy across the files'
//! ends), their results handed back in the order given.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Files read at once.
pub(crate) const FILES_AT_ONCE: usize = 2;

/// Runs `work` on every index below `count`, [`FILES_AT_ONCE`] at a time;
/// the results in index order.
pub(crate) fn in_order<R: Send>(count: usize, work: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = (0..count).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..FILES_AT_ONCE.min(count) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        break;
                    }
                    let result = work(index);
                    if let Ok(mut slot) = slots[index].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_once_and_the_results_in_order() {
        let calls = AtomicUsize::new(0);
        let results = in_order(37, |index| {
            calls.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(std::time::Duration::from_millis((index % 3) as u64));
            index * 2
        });
        assert_eq!(results, (0..37).map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(calls.load(Ordering::Relaxed), 37);
        assert!(in_order(0, |index| index).is_empty());
    }
}

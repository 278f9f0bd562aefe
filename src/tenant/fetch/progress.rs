//! The progress line of a fetch on a terminal (what is being fetched,
//! pages, records, retries); nothing at all when standard error is not a
//! terminal, so that scripts and logs stay clean.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts of a fetch, shown as they grow.
pub(crate) struct Progress {
    bar: indicatif::ProgressBar,
    pages: AtomicU64,
    records: AtomicU64,
    retries: AtomicU64,
}

impl Progress {
    /// A progress line on standard error when it is a terminal.
    pub(crate) fn on_terminal() -> Progress {
        Progress::new(std::io::stderr().is_terminal())
    }

    /// A progress line that shows nothing.
    pub(crate) fn hidden() -> Progress {
        Progress::new(false)
    }

    fn new(shown: bool) -> Progress {
        Progress {
            bar: crate::util::text::spinner(shown),
            pages: AtomicU64::new(0),
            records: AtomicU64::new(0),
            retries: AtomicU64::new(0),
        }
    }

    /// Now fetching `what`.
    pub(crate) fn start(&self, what: &str) {
        self.bar.set_prefix(what.to_string());
        self.show();
    }

    /// A page of `records` arrived after `retries` retries.
    pub(crate) fn page(&self, records: u64, retries: u32) {
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.records.fetch_add(records, Ordering::Relaxed);
        self.retries
            .fetch_add(u64::from(retries), Ordering::Relaxed);
        self.show();
    }

    fn show(&self) {
        if self.bar.is_hidden() {
            return;
        }
        self.bar.set_message(format!(
            "fetching {}: {} pages, {} records, {} retries",
            self.bar.prefix(),
            self.pages.load(Ordering::Relaxed),
            self.records.load(Ordering::Relaxed),
            self.retries.load(Ordering::Relaxed)
        ));
    }

    /// Removes the line.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

//! The timeline of an analysed window: one mark per charted occurrence (sign-in
//! successes and failures, and every log signature that can be a primary
//! cause), one per request where a request logs several lines, for the chart
//! of the HTML report.

use super::observations::Window;
use super::store::EvidenceStore;
pub(crate) use crate::mac::log::signatures::Series;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// Marks drawn per series at most; the rest are counted.
pub(crate) const MARKS_PER_SERIES: usize = 1000;

/// One occurrence on the chart.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Mark {
    /// When.
    pub(crate) time: DateTime<FixedOffset>,
    /// Which series.
    pub(crate) series: Series,
    /// The process that logged it.
    pub(crate) process: String,
}

/// The chart's data.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Timeline {
    /// The window drawn.
    pub(crate) window: Window,
    /// The marks, by time.
    pub(crate) marks: Vec<Mark>,
    /// Occurrences not drawn (past [`MARKS_PER_SERIES`], or counted only).
    pub(crate) not_drawn: u64,
}

impl Timeline {
    /// An empty timeline of `window`.
    pub(crate) fn empty(window: Window) -> Self {
        Timeline {
            window,
            marks: Vec::new(),
            not_drawn: 0,
        }
    }

    /// The timeline of the evidence inside `window`.
    pub(crate) fn from_store(store: &EvidenceStore, window: &Window) -> Self {
        let mut timeline = Timeline::empty(*window);
        let mut per_series = [0usize; Series::ALL.len()];
        for record in store.requests_in(window) {
            let Some(series) = record.signature.row().series else {
                continue;
            };
            let slot = &mut per_series[series as usize];
            if *slot < MARKS_PER_SERIES {
                *slot += 1;
                timeline.marks.push(Mark {
                    time: record.time.with_timezone(&window.end.timezone()),
                    series,
                    process: record.process.clone(),
                });
            } else {
                timeline.not_drawn += 1;
            }
        }
        timeline.not_drawn += store.counted_only_in(window);
        timeline.marks.sort_by_key(|m| (m.time, m.series));
        timeline
    }

    /// Marks of one series inside `(start, end]`.
    pub(crate) fn count_in(
        &self,
        series: Series,
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
    ) -> usize {
        self.marks
            .iter()
            .filter(|m| m.series == series && m.time > start && m.time <= end)
            .count()
    }
}

//! The timeline of an analysed window: one mark per sign-in success, silent
//! failure, interactive failure, AppSSO -9 error and deactivation, for the
//! chart of the HTML report.

use crate::evidence::EvidenceStore;
use crate::log::SignatureId;
use crate::observations::Window;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// Marks drawn per series at most; the rest are counted.
pub const MARKS_PER_SERIES: usize = 1000;

/// The series of the chart, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Series {
    /// "AAD ID acquired".
    Success,
    /// "acquireTokenSilent returning with error".
    SilentFailure,
    /// "Did not get a token from acquireTokenInteractive".
    InteractiveFailure,
    /// AppSSO error -9.
    AppSsoError,
    /// "No AAD ID found".
    Deactivation,
}

impl Series {
    /// Every series, in drawing order.
    pub const ALL: [Series; 5] = [
        Series::Success,
        Series::SilentFailure,
        Series::InteractiveFailure,
        Series::AppSsoError,
        Series::Deactivation,
    ];

    /// The series a signature is drawn in, if any.
    pub fn of(signature: SignatureId) -> Option<Series> {
        match signature {
            SignatureId::AadIdAcquired => Some(Series::Success),
            SignatureId::SilentAuthFailed => Some(Series::SilentFailure),
            SignatureId::InteractiveAuthFailed => Some(Series::InteractiveFailure),
            SignatureId::AppSsoNotAppSsoUrl => Some(Series::AppSsoError),
            SignatureId::NoAadIdFound => Some(Series::Deactivation),
            _ => None,
        }
    }

    /// Label for legends.
    pub fn label(self) -> &'static str {
        match self {
            Series::Success => "sign-in succeeded",
            Series::SilentFailure => "silent sign-in failed",
            Series::InteractiveFailure => "interactive sign-in failed",
            Series::AppSsoError => "AppSSO error -9",
            Series::Deactivation => "deactivated (No AAD ID)",
        }
    }

    /// CSS class suffix.
    pub fn class(self) -> &'static str {
        match self {
            Series::Success => "success",
            Series::SilentFailure => "silent",
            Series::InteractiveFailure => "interactive",
            Series::AppSsoError => "appsso",
            Series::Deactivation => "deactivation",
        }
    }
}

/// One occurrence on the chart.
#[derive(Clone, Debug, Serialize)]
pub struct Mark {
    /// When.
    pub time: DateTime<FixedOffset>,
    /// Which series.
    pub series: Series,
    /// The process that logged it.
    pub process: String,
}

/// The chart's data.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    /// The window drawn.
    pub window: Window,
    /// The marks, by time.
    pub marks: Vec<Mark>,
    /// Occurrences not drawn (past [`MARKS_PER_SERIES`], or counted only).
    pub not_drawn: u64,
}

impl Timeline {
    /// An empty timeline of `window`.
    pub fn empty(window: Window) -> Self {
        Timeline {
            window,
            marks: Vec::new(),
            not_drawn: 0,
        }
    }

    /// The timeline of the evidence inside `window`.
    pub fn from_store(store: &EvidenceStore, window: &Window) -> Self {
        let mut timeline = Timeline::empty(*window);
        let mut per_series = [0usize; 5];
        for record in store.records_in(window) {
            let Some(series) = Series::of(record.signature) else {
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

    /// Marks in one series.
    pub fn count(&self, series: Series) -> usize {
        self.marks.iter().filter(|m| m.series == series).count()
    }
}

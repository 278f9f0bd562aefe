//! Evidence folded from log events: per signature, counts, first and last
//! times, per-day counts, processes, distinct details and a few sample lines.
//! Bounded in size however many events arrive, so a storm of errors over five
//! days costs no more memory than a handful.

use crate::mac::log::Event;
use crate::mac::log::details::{PRIVATE_NAME, account_named, correlation_id};
use crate::mac::log::signatures::SignatureId;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Sample lines kept at each end of a signature's time range.
const SAMPLES_EACH_END: usize = 2;
/// Longest sample line kept.
pub(crate) const SAMPLE_CHARS: usize = 400;
/// Distinct processes or details kept per signature.
const DISTINCT_KEPT: usize = 32;
/// Correlation IDs kept (the earliest are dropped first).
const CORRELATIONS_KEPT: usize = 200;

/// One kept log line.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
pub(crate) struct Sample {
    /// When it was logged.
    pub(crate) time: DateTime<FixedOffset>,
    /// Time, process and message on one line.
    pub(crate) line: String,
}

/// An MSAL correlation ID and when it was logged: the key to the matching
/// Entra ID sign-in log entry.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Correlation {
    /// When it was logged.
    pub(crate) time: DateTime<FixedOffset>,
    /// The correlation ID (a GUID).
    pub(crate) id: String,
    /// What the line said of the error (e.g. its suberror), when it did.
    pub(crate) detail: Option<String>,
}

/// A count with its first and last time.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
pub(crate) struct Tally {
    /// How many.
    pub(crate) count: u64,
    /// Earliest.
    pub(crate) first: DateTime<FixedOffset>,
    /// Latest.
    pub(crate) last: DateTime<FixedOffset>,
}

impl Tally {
    /// One occurrence at `time`.
    pub(crate) fn new(time: DateTime<FixedOffset>) -> Self {
        Tally {
            count: 1,
            first: time,
            last: time,
        }
    }

    /// One more occurrence at `time`.
    pub(crate) fn add(&mut self, time: DateTime<FixedOffset>) {
        self.count = self.count.saturating_add(1);
        self.first = self.first.min(time);
        self.last = self.last.max(time);
    }

    /// Adds the occurrences of `other`.
    pub(crate) fn merge(&mut self, other: &Tally) {
        self.count = self.count.saturating_add(other.count);
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
    }
}

/// Everything kept about one signature.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SignatureStats {
    /// Events in the window.
    pub(crate) count: u64,
    /// Earliest event.
    pub(crate) first: DateTime<FixedOffset>,
    /// Latest event.
    pub(crate) last: DateTime<FixedOffset>,
    /// Events per calendar day (in the analysis clock's offset).
    pub(crate) per_day: BTreeMap<NaiveDate, u64>,
    /// Events per process (at most [`DISTINCT_KEPT`] processes).
    pub(crate) processes: BTreeMap<String, Tally>,
    /// Events per distinct detail, e.g. the error of a silent failure.
    pub(crate) details: BTreeMap<String, Tally>,
    /// Distinct values beyond the kept ones.
    pub(crate) details_dropped: u64,
    /// Earliest and latest sample lines.
    pub(crate) samples: Vec<Sample>,
    /// Correlation IDs with their times (latest kept).
    pub(crate) correlations: Vec<Correlation>,
    /// Correlation IDs beyond the kept ones.
    pub(crate) correlations_dropped: u64,
}

impl SignatureStats {
    fn new(time: DateTime<FixedOffset>) -> Self {
        SignatureStats {
            count: 0,
            first: time,
            last: time,
            per_day: BTreeMap::new(),
            processes: BTreeMap::new(),
            details: BTreeMap::new(),
            details_dropped: 0,
            samples: Vec::new(),
            correlations: Vec::new(),
            correlations_dropped: 0,
        }
    }
}

/// The evidence of a whole analysis: one [`SignatureStats`] per signature seen.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Observations {
    /// Per signature.
    pub(crate) signatures: BTreeMap<SignatureId, SignatureStats>,
    /// Matched events outside the analysis window (ignored).
    pub(crate) outside_window: u64,
    /// Matched events whose time could not be read (ignored).
    pub(crate) without_time: u64,
    /// Matched events logged after the analysis clock (ignored: clock skew).
    pub(crate) after_clock: u64,
    /// Matched events from a process a signature does not admit.
    pub(crate) out_of_scope: u64,
    /// Lines naming another macOS account, set aside, by account (the
    /// first few accounts; the rest are counted under `…`).
    pub(crate) other_accounts: BTreeMap<String, u64>,
    /// Lines whose account name the OS kept `<private>`, counted for the
    /// analysed user since they cannot be attributed.
    pub(crate) private_accounts: u64,
}

/// Whose lines count when a line names a macOS account.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Attribution<'a> {
    /// Every line counts: the user is not known (a plain log export).
    Everyone,
    /// Only lines naming this account (or a `<private>` one) count.
    Account(&'a str),
}

/// What a line naming `account` is to an analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Belonging {
    /// The analysed user's own (or naming no account).
    Own,
    /// Named `<private>`: counted for the analysed user, and said so.
    Private,
    /// Another account's: set aside.
    Other,
}

impl Attribution<'_> {
    /// Where a line naming `account` belongs.
    pub(crate) fn of(self, account: Option<&str>) -> Belonging {
        match (self, account) {
            (_, None) | (Attribution::Everyone, _) => Belonging::Own,
            (_, Some(PRIVATE_NAME)) => Belonging::Private,
            (Attribution::Account(user), Some(name)) if name.eq_ignore_ascii_case(user) => {
                Belonging::Own
            }
            (Attribution::Account(_), Some(_)) => Belonging::Other,
        }
    }
}

impl Observations {
    /// Counts `count` lines of another account, set aside.
    pub(crate) fn set_aside(&mut self, account: &str, count: u64) {
        let key = if self.other_accounts.len() < DISTINCT_KEPT
            || self.other_accounts.contains_key(account)
        {
            account.to_string()
        } else {
            "…".to_string()
        };
        let lines = self.other_accounts.entry(key).or_insert(0);
        *lines = lines.saturating_add(count);
    }
}

/// The window of time analysed: `(start, end]`.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Window {
    /// Exclusive start.
    pub(crate) start: DateTime<FixedOffset>,
    /// Inclusive end (the analysis clock).
    pub(crate) end: DateTime<FixedOffset>,
}

impl Window {
    /// Whether `time` is inside.
    pub(crate) fn contains(&self, time: DateTime<FixedOffset>) -> bool {
        time > self.start && time <= self.end
    }
}

/// One signature occurrence, reduced to what the observations need: the unit
/// the incremental state stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Record {
    /// When it was logged (in the analysis clock's offset).
    pub(crate) time: DateTime<FixedOffset>,
    /// Which signature.
    pub(crate) signature: SignatureId,
    /// The process that logged it.
    pub(crate) process: String,
    /// The detail worth grouping by (see the signature table).
    pub(crate) detail: Option<String>,
    /// The MSAL correlation ID, for signatures whose lines carry one.
    pub(crate) correlation: Option<String>,
    /// The macOS account the line names, for signatures whose lines name one.
    pub(crate) account: Option<String>,
}

impl Record {
    /// Reduces an event's occurrence of `signature` at `time`.
    pub(crate) fn from_event(
        event: &Event,
        signature: SignatureId,
        time: DateTime<FixedOffset>,
    ) -> Self {
        let process = if event.process.is_empty() {
            "(unknown process)".to_string()
        } else {
            event.process.clone()
        };
        let row = signature.row();
        Record {
            time,
            signature,
            process,
            detail: row.detail.extract(&event.message),
            correlation: row
                .correlation
                .then(|| correlation_id(&event.message))
                .flatten(),
            account: row
                .names_account
                .then(|| account_named(&event.message))
                .flatten()
                .or_else(|| event.account.clone()),
        }
    }
}

impl Observations {
    fn stats_for(&mut self, id: SignatureId, time: DateTime<FixedOffset>) -> &mut SignatureStats {
        let stats = self
            .signatures
            .entry(id)
            .or_insert_with(|| SignatureStats::new(time));
        stats.first = stats.first.min(time);
        stats.last = stats.last.max(time);
        stats
    }

    /// Folds one record in (the caller has checked the window).
    pub(crate) fn fold_record(&mut self, record: &Record) {
        let time = record.time;
        let stats = self.stats_for(record.signature, time);
        stats.count = stats.count.saturating_add(1);
        let day = stats.per_day.entry(time.date_naive()).or_insert(0);
        *day = day.saturating_add(1);
        tally_distinct(
            &mut stats.processes,
            &mut stats.details_dropped,
            record.process.clone(),
            time,
        );
        if let Some(detail) = &record.detail {
            tally_distinct(
                &mut stats.details,
                &mut stats.details_dropped,
                detail.clone(),
                time,
            );
        }
        if let Some(correlation) = &record.correlation {
            keep_correlation(
                stats,
                Correlation {
                    time,
                    id: correlation.clone(),
                    detail: record.detail.clone(),
                },
            );
        }
    }

    /// Folds in occurrences kept only as a count (beyond the per-day cap of
    /// the incremental state).
    pub(crate) fn fold_tally(&mut self, id: SignatureId, day: NaiveDate, tally: &Tally) {
        let stats = self.stats_for(id, tally.first);
        stats.first = stats.first.min(tally.first);
        stats.last = stats.last.max(tally.last);
        // Counts may come from a saved state: they saturate, never wrap.
        stats.count = stats.count.saturating_add(tally.count);
        let per_day = stats.per_day.entry(day).or_insert(0);
        *per_day = per_day.saturating_add(tally.count);
    }

    /// Offers a sample line; the earliest and latest are kept.
    pub(crate) fn add_sample(&mut self, id: SignatureId, sample: Sample) {
        if let Some(stats) = self.signatures.get_mut(&id) {
            keep_sample(&mut stats.samples, sample);
        }
    }

    /// The stats of a signature, if it was seen.
    pub(crate) fn get(&self, id: SignatureId) -> Option<&SignatureStats> {
        self.signatures.get(&id)
    }

    /// Latest time a signature was seen.
    pub(crate) fn last(&self, id: SignatureId) -> Option<DateTime<FixedOffset>> {
        self.get(id).map(|s| s.last)
    }

    /// How many times a signature was seen.
    pub(crate) fn count(&self, id: SignatureId) -> u64 {
        self.get(id).map_or(0, |s| s.count)
    }
}

fn tally_distinct(
    map: &mut BTreeMap<String, Tally>,
    dropped: &mut u64,
    key: String,
    time: DateTime<FixedOffset>,
) {
    if let Some(tally) = map.get_mut(&key) {
        tally.add(time);
    } else if map.len() < DISTINCT_KEPT {
        map.insert(key, Tally::new(time));
    } else {
        *dropped += 1;
    }
}

/// Keeps the earliest and latest samples by time.
pub(crate) fn keep_sample(samples: &mut Vec<Sample>, sample: Sample) {
    let at = samples.partition_point(|s| s.time <= sample.time);
    samples.insert(at, sample);
    if samples.len() > 2 * SAMPLES_EACH_END {
        samples.remove(SAMPLES_EACH_END);
    }
}

fn keep_correlation(stats: &mut SignatureStats, correlation: Correlation) {
    if stats.correlations.contains(&correlation) {
        return;
    }
    let at = stats
        .correlations
        .partition_point(|c| c.time <= correlation.time);
    stats.correlations.insert(at, correlation);
    if stats.correlations.len() > CORRELATIONS_KEPT {
        stats.correlations.remove(0);
        stats.correlations_dropped += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::store::testing::{event, fold};

    fn window() -> Window {
        Window {
            start: crate::util::time::parse_now("2026-11-15T12:00:00-05:00").unwrap(),
            end: crate::util::time::parse_now("2026-11-20T12:00:00-05:00").unwrap(),
        }
    }

    #[test]
    fn folds_counts_days_and_processes() {
        let w = window();
        let events: Vec<Event> = [
            ("2026-11-18T09:00:00-05:00", "AppSSOAgent"),
            ("2026-11-18T10:00:00-05:00", "Microsoft Teams"),
            ("2026-11-19T09:00:00-05:00", "AppSSOAgent"),
            ("2026-11-10T09:00:00-05:00", "AppSSOAgent"),
        ]
        .iter()
        .map(|(t, p)| event(t, SignatureId::AppSsoNotAppSsoUrl, p, "Code=-9"))
        .collect();
        let obs = fold(&events, &w);
        let stats = obs.get(SignatureId::AppSsoNotAppSsoUrl).unwrap();
        assert_eq!(stats.count, 3);
        assert_eq!(obs.outside_window, 1);
        assert_eq!(stats.per_day.len(), 2);
        assert_eq!(stats.processes["AppSSOAgent"].count, 2);
        assert_eq!(stats.first.to_rfc3339(), "2026-11-18T09:00:00-05:00");
    }

    #[test]
    fn scope_keeps_other_apps_out_of_agent_signatures() {
        let obs = fold(
            &[event(
                "2026-11-18T09:00:00-05:00",
                SignatureId::InvalidGrant,
                "Microsoft Teams",
                "error invalid_grant",
            )],
            &window(),
        );
        assert_eq!(obs.count(SignatureId::InvalidGrant), 0);
        assert_eq!(obs.out_of_scope, 1);
    }

    #[test]
    fn correlation_ids_and_details() {
        let line = "TID=12345 MSAL 1.2.14 Mac 14.3.0 [2024-01-01 00:00:00 - 7F6779F2-640C-4FB2-9462-B16C102CF61C] Processing an AAD error with error code -51412, error invalid_grant";
        let silent = "acquireTokenSilent returning with error: Error Domain=MSALErrorDomain Code=-50002 \"(null)\"";
        let obs = fold(
            &[
                event(
                    "2026-11-18T09:00:00-05:00",
                    SignatureId::InvalidGrant,
                    "Jamf Conditional Access",
                    line,
                ),
                event(
                    "2026-11-18T09:00:01-05:00",
                    SignatureId::SilentAuthFailed,
                    "Jamf Conditional Access",
                    silent,
                ),
            ],
            &window(),
        );
        let stats = obs.get(SignatureId::InvalidGrant).unwrap();
        assert_eq!(stats.correlations.len(), 1);
        assert_eq!(
            stats.correlations[0].id,
            "7F6779F2-640C-4FB2-9462-B16C102CF61C"
        );
        assert!(stats.details.contains_key("error code -51412"));
        assert!(
            obs.get(SignatureId::SilentAuthFailed)
                .unwrap()
                .details
                .contains_key("MSALErrorDomain -50002")
        );
    }

    #[test]
    fn memory_is_bounded_in_a_storm() {
        let w = window();
        let events: Vec<Event> = (0..20_000)
            .map(|i| {
                let time = format!(
                    "2026-11-18T{:02}:{:02}:{:02}.{:03}-05:00",
                    (i / 3600) % 24,
                    (i / 60) % 60,
                    i % 60,
                    i % 1000
                );
                event(
                    &time,
                    SignatureId::AppSsoNotAppSsoUrl,
                    &format!("App {}", i % 100),
                    &format!("Code=-9 {i}"),
                )
            })
            .collect();
        let obs = fold(&events, &w);
        let stats = obs.get(SignatureId::AppSsoNotAppSsoUrl).unwrap();
        assert_eq!(stats.count, 20_000);
        assert_eq!(stats.processes.len(), DISTINCT_KEPT);
        assert_eq!(stats.samples.len(), 2 * SAMPLES_EACH_END);
    }

    #[test]
    fn counts_from_a_saved_state_saturate() {
        let time = crate::util::time::parse_now("2026-11-18T09:00:00-05:00").unwrap();
        let huge = Tally {
            count: u64::MAX - 1,
            first: time,
            last: time,
        };
        let mut obs = Observations::default();
        obs.fold_tally(SignatureId::AppSsoNotAppSsoUrl, time.date_naive(), &huge);
        obs.fold_tally(SignatureId::AppSsoNotAppSsoUrl, time.date_naive(), &huge);
        let stats = obs.get(SignatureId::AppSsoNotAppSsoUrl).unwrap();
        assert_eq!(stats.count, u64::MAX);
        assert_eq!(stats.per_day[&time.date_naive()], u64::MAX);
    }
}

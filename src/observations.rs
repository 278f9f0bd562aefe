//! Evidence folded from log events: per signature, counts, first and last
//! times, per-day counts, processes, distinct details and a few sample lines.
//! Bounded in size however many events arrive, so a storm of errors over five
//! days costs no more memory than a handful.

use crate::log::Event;
use crate::log::signatures::SignatureId;
use chrono::{DateTime, FixedOffset, NaiveDate};
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Sample lines kept at each end of a signature's time range.
const SAMPLES_EACH_END: usize = 2;
/// Longest sample line kept.
pub const SAMPLE_CHARS: usize = 400;
/// Distinct processes or details kept per signature.
const DISTINCT_KEPT: usize = 32;
/// Correlation IDs kept (the earliest are dropped first).
const CORRELATIONS_KEPT: usize = 200;

/// One kept log line.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
pub struct Sample {
    /// When it was logged.
    pub time: DateTime<FixedOffset>,
    /// Time, process and message on one line.
    pub line: String,
}

/// An MSAL correlation ID and when it was logged: the key to the matching
/// Entra ID sign-in log entry.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Correlation {
    /// When it was logged.
    pub time: DateTime<FixedOffset>,
    /// The correlation ID (a GUID).
    pub id: String,
}

/// A count with its first and last time.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
pub struct Tally {
    /// How many.
    pub count: u64,
    /// Earliest.
    pub first: DateTime<FixedOffset>,
    /// Latest.
    pub last: DateTime<FixedOffset>,
}

impl Tally {
    /// One occurrence at `time`.
    pub fn new(time: DateTime<FixedOffset>) -> Self {
        Tally {
            count: 1,
            first: time,
            last: time,
        }
    }

    /// One more occurrence at `time`.
    pub fn add(&mut self, time: DateTime<FixedOffset>) {
        self.count += 1;
        self.first = self.first.min(time);
        self.last = self.last.max(time);
    }
}

/// Everything kept about one signature.
#[derive(Clone, Debug, Serialize)]
pub struct SignatureStats {
    /// Events in the window.
    pub count: u64,
    /// Earliest event.
    pub first: DateTime<FixedOffset>,
    /// Latest event.
    pub last: DateTime<FixedOffset>,
    /// Events per calendar day (in the analysis clock's offset).
    pub per_day: BTreeMap<NaiveDate, u64>,
    /// Events per process (at most [`DISTINCT_KEPT`] processes).
    pub processes: BTreeMap<String, Tally>,
    /// Events per distinct detail, e.g. the error of a silent failure.
    pub details: BTreeMap<String, Tally>,
    /// Distinct values beyond the kept ones.
    pub details_dropped: u64,
    /// Earliest and latest sample lines.
    pub samples: Vec<Sample>,
    /// Correlation IDs with their times (latest kept).
    pub correlations: Vec<Correlation>,
    /// Correlation IDs beyond the kept ones.
    pub correlations_dropped: u64,
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
pub struct Observations {
    /// Per signature.
    pub signatures: BTreeMap<SignatureId, SignatureStats>,
    /// Matched events outside the analysis window (ignored).
    pub outside_window: u64,
    /// Matched events whose time could not be read (ignored).
    pub without_time: u64,
    /// Matched events from a process a signature does not admit.
    pub out_of_scope: u64,
}

/// The window of time analysed: `(start, end]`.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Window {
    /// Exclusive start.
    pub start: DateTime<FixedOffset>,
    /// Inclusive end (the analysis clock).
    pub end: DateTime<FixedOffset>,
}

impl Window {
    /// Whether `time` is inside.
    pub fn contains(&self, time: DateTime<FixedOffset>) -> bool {
        time > self.start && time <= self.end
    }
}

/// One signature occurrence, reduced to what the observations need: the unit
/// the incremental state stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// When it was logged (in the analysis clock's offset).
    pub time: DateTime<FixedOffset>,
    /// Which signature.
    pub signature: SignatureId,
    /// The process that logged it.
    pub process: String,
    /// The detail worth grouping by (see [`detail_of`]).
    pub detail: Option<String>,
    /// The MSAL correlation ID (`invalid_grant` only).
    pub correlation: Option<String>,
}

impl Record {
    /// Reduces an event's occurrence of `signature` at `time`.
    pub fn from_event(event: &Event, signature: SignatureId, time: DateTime<FixedOffset>) -> Self {
        let process = if event.process.is_empty() {
            "(unknown process)".to_string()
        } else {
            event.process.clone()
        };
        let correlation = (signature == SignatureId::InvalidGrant)
            .then(|| correlation_id(&event.message))
            .flatten();
        Record {
            time,
            signature,
            process,
            detail: detail_of(signature, event),
            correlation,
        }
    }
}

impl Observations {
    /// Folds one matched event in, if it is inside `window`.
    pub fn fold(&mut self, event: &Event, window: &Window) {
        let Some(time) = event.time.map(|t| t.with_timezone(&window.end.timezone())) else {
            self.without_time += 1;
            return;
        };
        if !window.contains(time) {
            self.outside_window += 1;
            return;
        }
        for id in event.signatures.iter() {
            if !id.scope().admits(event) {
                self.out_of_scope += 1;
                continue;
            }
            self.fold_record(&Record::from_event(event, id, time));
            self.add_sample(
                id,
                Sample {
                    time,
                    line: event.sample_line(SAMPLE_CHARS),
                },
            );
        }
    }

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
    pub fn fold_record(&mut self, record: &Record) {
        let time = record.time;
        let stats = self.stats_for(record.signature, time);
        stats.count += 1;
        *stats.per_day.entry(time.date_naive()).or_insert(0) += 1;
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
                },
            );
        }
    }

    /// Folds in occurrences kept only as a count (beyond the per-day cap of
    /// the incremental state).
    pub fn fold_tally(&mut self, id: SignatureId, day: NaiveDate, tally: &Tally) {
        let stats = self.stats_for(id, tally.first);
        stats.first = stats.first.min(tally.first);
        stats.last = stats.last.max(tally.last);
        stats.count += tally.count;
        *stats.per_day.entry(day).or_insert(0) += tally.count;
    }

    /// Offers a sample line; the earliest and latest are kept.
    pub fn add_sample(&mut self, id: SignatureId, sample: Sample) {
        if let Some(stats) = self.signatures.get_mut(&id) {
            keep_sample(&mut stats.samples, sample);
        }
    }

    /// The stats of a signature, if it was seen.
    pub fn get(&self, id: SignatureId) -> Option<&SignatureStats> {
        self.signatures.get(&id)
    }

    /// Latest time a signature was seen.
    pub fn last(&self, id: SignatureId) -> Option<DateTime<FixedOffset>> {
        self.get(id).map(|s| s.last)
    }

    /// Earliest time a signature was seen.
    pub fn first(&self, id: SignatureId) -> Option<DateTime<FixedOffset>> {
        self.get(id).map(|s| s.first)
    }

    /// How many times a signature was seen.
    pub fn count(&self, id: SignatureId) -> u64 {
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
pub fn keep_sample(samples: &mut Vec<Sample>, sample: Sample) {
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

fn guid_in_brackets() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\[[^\]\n]*?-\s*([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\s*\]")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

fn guid_anywhere() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)correlation[ _-]?id\W{0,3}([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

/// The MSAL correlation ID of a line: the GUID in the `[time - GUID]` prefix,
/// or one labelled `correlation_id`.
pub fn correlation_id(message: &str) -> Option<String> {
    guid_in_brackets()
        .captures(message)
        .or_else(|| guid_anywhere().captures(message))
        .map(|c| c[1].to_ascii_uppercase())
}

fn error_domain_code() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"Error Domain=(\S+) Code=(-?\d+)")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

/// The detail worth grouping by for a signature: the error of a silent
/// failure, the AAD error code of an `invalid_grant`.
pub fn detail_of(id: SignatureId, event: &Event) -> Option<String> {
    match id {
        SignatureId::SilentAuthFailed => {
            let after = event
                .message
                .split_once("acquireTokenSilent returning with error")
                .map_or("", |(_, rest)| rest)
                .trim_start_matches([':', ' ']);
            if let Some(c) = error_domain_code().captures(after) {
                return Some(format!("{} {}", &c[1], &c[2]));
            }
            let first_line: String = after
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(120)
                .collect();
            Some(if first_line.trim().is_empty() {
                "(no error text)".to_string()
            } else {
                first_line.trim().to_string()
            })
        }
        SignatureId::InvalidGrant => {
            static RE: OnceLock<Regex> = OnceLock::new();
            let re = RE.get_or_init(|| {
                Regex::new(r"error code (-?\d+)")
                    .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
            });
            re.captures(&event.message)
                .map(|c| format!("error code {}", &c[1]))
        }
        SignatureId::DuplicateMsalAccounts => {
            Some(if event.message.contains("More than 1 account") {
                "More than 1 account (debug)".to_string()
            } else {
                "wrong account may be picked".to_string()
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::SignatureSet;
    use crate::timeutil::parse_now;

    fn event(time: &str, id: SignatureId, process: &str, message: &str) -> Event {
        let mut signatures = SignatureSet::default();
        signatures.insert(id);
        Event {
            time: Some(parse_now(time).unwrap()),
            process: process.to_string(),
            subsystem: if process == "Jamf Conditional Access" {
                "com.jamf.management.jamfAAD".into()
            } else {
                String::new()
            },
            message: message.to_string(),
            signatures,
            ..Event::default()
        }
    }

    fn window() -> Window {
        Window {
            start: parse_now("2026-11-15T12:00:00-05:00").unwrap(),
            end: parse_now("2026-11-20T12:00:00-05:00").unwrap(),
        }
    }

    #[test]
    fn folds_counts_days_and_processes() {
        let mut obs = Observations::default();
        let w = window();
        for (t, p) in [
            ("2026-11-18T09:00:00-05:00", "AppSSOAgent"),
            ("2026-11-18T10:00:00-05:00", "Microsoft Teams"),
            ("2026-11-19T09:00:00-05:00", "AppSSOAgent"),
            ("2026-11-10T09:00:00-05:00", "AppSSOAgent"),
        ] {
            obs.fold(&event(t, SignatureId::AppSsoNotAppSsoUrl, p, "Code=-9"), &w);
        }
        let stats = obs.get(SignatureId::AppSsoNotAppSsoUrl).unwrap();
        assert_eq!(stats.count, 3);
        assert_eq!(obs.outside_window, 1);
        assert_eq!(stats.per_day.len(), 2);
        assert_eq!(stats.processes["AppSSOAgent"].count, 2);
        assert_eq!(stats.first.to_rfc3339(), "2026-11-18T09:00:00-05:00");
    }

    #[test]
    fn scope_keeps_other_apps_out_of_agent_signatures() {
        let mut obs = Observations::default();
        obs.fold(
            &event(
                "2026-11-18T09:00:00-05:00",
                SignatureId::InvalidGrant,
                "Microsoft Teams",
                "error invalid_grant",
            ),
            &window(),
        );
        assert_eq!(obs.count(SignatureId::InvalidGrant), 0);
        assert_eq!(obs.out_of_scope, 1);
    }

    #[test]
    fn correlation_ids_and_details() {
        let line = "TID=12345 MSAL 1.2.14 Mac 14.3.0 [2024-01-01 00:00:00 - 7F6779F2-640C-4FB2-9462-B16C102CF61C] Processing an AAD error with error code -51412, error invalid_grant";
        assert_eq!(
            correlation_id(line).as_deref(),
            Some("7F6779F2-640C-4FB2-9462-B16C102CF61C")
        );
        assert_eq!(correlation_id("no id here"), None);
        let mut obs = Observations::default();
        obs.fold(
            &event(
                "2026-11-18T09:00:00-05:00",
                SignatureId::InvalidGrant,
                "Jamf Conditional Access",
                line,
            ),
            &window(),
        );
        let stats = obs.get(SignatureId::InvalidGrant).unwrap();
        assert_eq!(stats.correlations.len(), 1);
        assert!(stats.details.contains_key("error code -51412"));
        let silent = "acquireTokenSilent returning with error: Error Domain=MSALErrorDomain Code=-50002 \"(null)\"";
        obs.fold(
            &event(
                "2026-11-18T09:00:00-05:00",
                SignatureId::SilentAuthFailed,
                "Jamf Conditional Access",
                silent,
            ),
            &window(),
        );
        assert!(
            obs.get(SignatureId::SilentAuthFailed)
                .unwrap()
                .details
                .contains_key("MSALErrorDomain -50002")
        );
    }

    #[test]
    fn memory_is_bounded_in_a_storm() {
        let mut obs = Observations::default();
        let w = window();
        for i in 0..20_000 {
            let time = format!(
                "2026-11-18T{:02}:{:02}:{:02}-05:00",
                (i / 3600) % 24,
                (i / 60) % 60,
                i % 60
            );
            obs.fold(
                &event(
                    &time,
                    SignatureId::AppSsoNotAppSsoUrl,
                    &format!("App {}", i % 100),
                    "Code=-9",
                ),
                &w,
            );
        }
        let stats = obs.get(SignatureId::AppSsoNotAppSsoUrl).unwrap();
        assert_eq!(stats.count, 20_000);
        assert_eq!(stats.processes.len(), DISTINCT_KEPT);
        assert_eq!(stats.samples.len(), 2 * SAMPLES_EACH_END);
    }
}

//! The log evidence of one Mac as records, the form both a full `check` and
//! the incremental `tick` build their observations from, so the two agree.
//! It keeps a cursor (the newest entry read, and fingerprints of the matched
//! entries at that second) so that re-read entries are not counted twice,
//! prunes what leaves the window, and caps storms: past
//! [`RECORDS_PER_SIGNATURE_PER_DAY`] a day's occurrences are only counted.

use crate::evidence::observations::{
    Attribution, Belonging, Observations, Record, SAMPLE_CHARS, Sample, Tally, Window, keep_sample,
};
use crate::mac::log::{Event, SignatureId};
use anyhow::{Context, Result, ensure};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Timelike};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Occurrences of one signature kept as records per day; more are only counted.
pub(crate) const RECORDS_PER_SIGNATURE_PER_DAY: u64 = 2000;

/// Why matched entries were not kept.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// Outside the window (older than its start, or after the clock).
    pub(crate) outside_window: u64,
    /// Of those, after the clock: the Mac's clock was wrong when they were logged.
    #[serde(default)]
    pub(crate) after_clock: u64,
    /// No readable time.
    pub(crate) without_time: u64,
    /// From a process the signature does not admit.
    pub(crate) out_of_scope: u64,
    /// Already read by an earlier pass (at or before the cursor).
    pub(crate) already_read: u64,
}

/// The newest entry read, and the matched entries at its second.
#[derive(Clone, Debug, Default)]
struct Cursor {
    time: Option<DateTime<FixedOffset>>,
    seen: Vec<(DateTime<FixedOffset>, u64)>,
}

/// Log evidence as records.
#[derive(Clone, Debug, Default)]
pub(crate) struct EvidenceStore {
    records: Vec<Record>,
    kept_per_day: BTreeMap<(SignatureId, NaiveDate), u64>,
    overflow: BTreeMap<(SignatureId, NaiveDate, Option<String>), Tally>,
    samples: BTreeMap<(SignatureId, Option<String>), Vec<Sample>>,
    cursor: Cursor,
    /// Matched entries not kept, by reason.
    pub(crate) skipped: Skipped,
}

fn floor_second(time: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    time.with_nanosecond(0).unwrap_or(time)
}

/// A stable fingerprint of an entry (FNV-1a over its time, process and message).
fn fingerprint(event: &Event) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    let time = event
        .time
        .map(|t| t.timestamp_nanos_opt().unwrap_or(0))
        .unwrap_or(0);
    for byte in time
        .to_le_bytes()
        .iter()
        .chain(event.process.as_bytes())
        .chain([0u8].iter())
        .chain(event.message.as_bytes())
    {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}

impl EvidenceStore {
    /// The newest entry time read so far.
    pub(crate) fn cursor_time(&self) -> Option<DateTime<FixedOffset>> {
        self.cursor.time
    }

    /// Adds a matched event if it is inside `window` and was not read before.
    pub(crate) fn add_event(&mut self, event: &Event, window: &Window) {
        let Some(time) = event.time.map(|t| t.with_timezone(&window.end.timezone())) else {
            self.skipped.without_time += 1;
            return;
        };
        if !window.contains(time) {
            self.skipped.outside_window += 1;
            if time > window.end {
                self.skipped.after_clock += 1;
            }
            return;
        }
        let print = fingerprint(event);
        if let Some(cursor) = self.cursor.time {
            let already = time < floor_second(cursor)
                || (time <= cursor && self.cursor.seen.iter().any(|(_, f)| *f == print));
            if already {
                self.skipped.already_read += 1;
                return;
            }
        }
        // Only the newest second's fingerprints can matter for the next pass.
        let newest = self.cursor.seen.iter().map(|(t, _)| *t).max();
        if newest.is_some_and(|n| floor_second(time) > floor_second(n)) {
            let floor = floor_second(time);
            self.cursor.seen.retain(|(t, _)| {
                *t >= floor || self.cursor.time.is_some_and(|c| *t >= floor_second(c))
            });
        }
        self.cursor.seen.push((time, print));
        for id in event.signatures.iter() {
            if !event.admitted_by(id.row().scope) {
                self.skipped.out_of_scope += 1;
                continue;
            }
            let record = Record::from_event(event, id, time);
            let account = record.account.clone();
            let day = time.date_naive();
            let kept = self.kept_per_day.entry((id, day)).or_insert(0);
            if *kept < RECORDS_PER_SIGNATURE_PER_DAY {
                *kept += 1;
                self.records.push(record);
            } else {
                self.overflow
                    .entry((id, day, account.clone()))
                    .and_modify(|tally| tally.add(time))
                    .or_insert_with(|| Tally::new(time));
            }
            keep_sample(
                self.samples.entry((id, account)).or_default(),
                Sample {
                    time,
                    line: event.sample_line(SAMPLE_CHARS),
                },
            );
        }
    }

    /// Moves the cursor to the newest entry read (never past `window.end`)
    /// and forgets fingerprints older than the cursor's second.
    pub(crate) fn advance_cursor(
        &mut self,
        newest_entry: Option<DateTime<FixedOffset>>,
        window: &Window,
    ) {
        let candidates = [self.cursor.time, newest_entry.map(|t| t.min(window.end))];
        let newest_seen = self.cursor.seen.iter().map(|(t, _)| *t).max();
        let time = candidates.into_iter().chain([newest_seen]).flatten().max();
        if let Some(time) = time {
            let floor = floor_second(time);
            self.cursor.seen.retain(|(t, _)| *t >= floor);
            self.cursor.time = Some(time);
        }
    }

    /// Drops everything at or before the window's start.
    pub(crate) fn prune(&mut self, window: &Window) {
        let start = window.start;
        self.records.retain(|r| r.time > start);
        self.overflow.retain(|_, tally| tally.last > start);
        let first_day = start.with_timezone(&window.end.timezone()).date_naive();
        self.kept_per_day.retain(|(_, day), _| *day >= first_day);
        for samples in self.samples.values_mut() {
            samples.retain(|s| s.time > start);
        }
        self.samples.retain(|_, samples| !samples.is_empty());
    }

    /// The observations of the records inside `window` that belong to
    /// `whose` lines: another account's lines are set aside and counted.
    pub(crate) fn observations(&self, window: &Window, whose: Attribution) -> Observations {
        let mut observations = Observations::default();
        let offset = window.end.timezone();
        for record in self.requests_in(window) {
            match whose.of(record.account.as_deref()) {
                Belonging::Other => {
                    observations.set_aside(record.account.as_deref().unwrap_or_default(), 1);
                    continue;
                }
                Belonging::Private => observations.private_accounts += 1,
                Belonging::Own => {}
            }
            let mut record = record.clone();
            record.time = record.time.with_timezone(&offset);
            observations.fold_record(&record);
        }
        for ((id, day, account), tally) in &self.overflow {
            if tally.last > window.start && tally.first <= window.end {
                match whose.of(account.as_deref()) {
                    Belonging::Other => {
                        observations.set_aside(account.as_deref().unwrap_or_default(), tally.count);
                        continue;
                    }
                    Belonging::Private => {
                        observations.private_accounts =
                            observations.private_accounts.saturating_add(tally.count)
                    }
                    Belonging::Own => {}
                }
                observations.fold_tally(*id, *day, tally);
            }
        }
        for ((id, account), samples) in &self.samples {
            if whose.of(account.as_deref()) == Belonging::Other {
                continue;
            }
            for sample in samples.iter().filter(|s| window.contains(s.time)) {
                observations.add_sample(*id, sample.clone());
            }
        }
        observations.outside_window = self.skipped.outside_window;
        observations.after_clock = self.skipped.after_clock;
        observations.without_time = self.skipped.without_time;
        observations.out_of_scope = self.skipped.out_of_scope;
        observations
    }

    /// The records inside `window`, by time, one per request: the further
    /// lines one process logs for one request of a signature with
    /// [`one_request_within`](crate::mac::log::signatures::Signature::one_request_within)
    /// are left out.
    pub(crate) fn requests_in<'a>(&'a self, window: &Window) -> impl Iterator<Item = &'a Record> {
        // Where the current request of each per-request signature and
        // process began.
        let mut requests: std::collections::HashMap<(SignatureId, &str), DateTime<FixedOffset>> =
            std::collections::HashMap::new();
        let mut in_window: Vec<&Record> = self
            .records
            .iter()
            .filter(|r| window.contains(r.time))
            .collect();
        in_window.sort_by_key(|r| r.time);
        in_window.into_iter().filter(move |record| {
            let Some(seconds) = record.signature.row().one_request_within else {
                return true;
            };
            let key = (record.signature, record.process.as_str());
            match requests.get(&key) {
                Some(start) if (record.time - *start).num_seconds() <= seconds => false,
                _ => {
                    requests.insert(key, record.time);
                    true
                }
            }
        })
    }

    /// Whether any line read names the account `name` (case aside).
    pub(crate) fn names_account(&self, name: &str) -> bool {
        let named = |account: &Option<String>| {
            account
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(name))
        };
        self.records.iter().any(|r| named(&r.account))
            || self.overflow.keys().any(|(_, _, account)| named(account))
    }

    /// Occurrences inside `window` kept only as counts (storms past the cap).
    pub(crate) fn counted_only_in(&self, window: &Window) -> u64 {
        self.overflow
            .values()
            .filter(|t| t.last > window.start && t.first <= window.end)
            .map(|t| t.count)
            .sum()
    }

    /// Number of records kept.
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// This store with the records of `other` (another source's, e.g. an
    /// account's own log files) added; the cursor and skip counts stay
    /// this store's.
    pub(crate) fn merged_with(&self, other: &EvidenceStore) -> EvidenceStore {
        let mut merged = self.clone();
        merged.records.extend(other.records.iter().cloned());
        for (key, tally) in &other.overflow {
            merged
                .overflow
                .entry(key.clone())
                .and_modify(|mine| mine.merge(tally))
                .or_insert_with(|| tally.clone());
        }
        for (key, samples) in &other.samples {
            let mine = merged.samples.entry(key.clone()).or_default();
            for sample in samples {
                keep_sample(mine, sample.clone());
            }
        }
        merged
    }
}

type StoredTime = (i64, u32, i32);

/// A record as stored: `[seconds, nanoseconds, UTC offset, signature,
/// process index, detail index, correlation, account index]`.
type StoredRecord = (
    i64,
    u32,
    i32,
    SignatureId,
    u32,
    Option<u32>,
    Option<String>,
    Option<u32>,
);

fn store_time(time: DateTime<FixedOffset>) -> StoredTime {
    (
        time.timestamp(),
        time.timestamp_subsec_nanos(),
        time.offset().local_minus_utc(),
    )
}

fn load_time((seconds, nanos, offset): StoredTime) -> Result<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(offset).context("bad UTC offset")?;
    offset
        .timestamp_opt(seconds, nanos)
        .single()
        .context("bad time")
}

/// The evidence as stored in the state file: interned strings and records
/// as arrays, so that a storm costs little space.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct StoredEvidence {
    processes: Vec<String>,
    details: Vec<String>,
    accounts: Vec<String>,
    records: Vec<StoredRecord>,
    kept_per_day: Vec<(SignatureId, NaiveDate, u64)>,
    overflow: Vec<(SignatureId, NaiveDate, Option<String>, Tally)>,
    samples: Vec<(SignatureId, Option<String>, Vec<Sample>)>,
    cursor: Option<StoredTime>,
    cursor_seen: Vec<(StoredTime, u64)>,
    skipped: Skipped,
}

fn intern(table: &mut Vec<String>, index: &mut HashMap<String, u32>, value: &str) -> u32 {
    if let Some(i) = index.get(value) {
        return *i;
    }
    let i = table.len() as u32;
    table.push(value.to_string());
    index.insert(value.to_string(), i);
    i
}

impl From<&EvidenceStore> for StoredEvidence {
    fn from(store: &EvidenceStore) -> Self {
        let (mut processes, mut details, mut accounts) = (Vec::new(), Vec::new(), Vec::new());
        let (mut process_index, mut detail_index, mut account_index) =
            (HashMap::new(), HashMap::new(), HashMap::new());
        let records = store
            .records
            .iter()
            .map(|r| {
                let (s, n, o) = store_time(r.time);
                let process = intern(&mut processes, &mut process_index, &r.process);
                let detail = r
                    .detail
                    .as_deref()
                    .map(|d| intern(&mut details, &mut detail_index, d));
                let account = r
                    .account
                    .as_deref()
                    .map(|a| intern(&mut accounts, &mut account_index, a));
                (
                    s,
                    n,
                    o,
                    r.signature,
                    process,
                    detail,
                    r.correlation.clone(),
                    account,
                )
            })
            .collect();
        StoredEvidence {
            processes,
            details,
            accounts,
            records,
            kept_per_day: store
                .kept_per_day
                .iter()
                .map(|((id, day), n)| (*id, *day, *n))
                .collect(),
            overflow: store
                .overflow
                .iter()
                .map(|((id, day, account), t)| (*id, *day, account.clone(), t.clone()))
                .collect(),
            samples: store
                .samples
                .iter()
                .map(|((id, account), s)| (*id, account.clone(), s.clone()))
                .collect(),
            cursor: store.cursor.time.map(store_time),
            cursor_seen: store
                .cursor
                .seen
                .iter()
                .map(|(t, f)| (store_time(*t), *f))
                .collect(),
            skipped: store.skipped.clone(),
        }
    }
}

impl StoredEvidence {
    /// Rebuilds the store, checking every index and time.
    pub(crate) fn restore(&self) -> Result<EvidenceStore> {
        let mut store = EvidenceStore {
            skipped: self.skipped.clone(),
            ..EvidenceStore::default()
        };
        for (s, n, o, signature, process, detail, correlation, account) in &self.records {
            let process = self
                .processes
                .get(*process as usize)
                .context("record names an unknown process")?;
            let detail = match detail {
                Some(i) => Some(
                    self.details
                        .get(*i as usize)
                        .context("record names an unknown detail")?
                        .clone(),
                ),
                None => None,
            };
            let account = match account {
                Some(i) => Some(
                    self.accounts
                        .get(*i as usize)
                        .context("record names an unknown account")?
                        .clone(),
                ),
                None => None,
            };
            store.records.push(Record {
                time: load_time((*s, *n, *o))?,
                signature: *signature,
                process: process.clone(),
                detail,
                correlation: correlation.clone(),
                account,
            });
        }
        for (id, day, n) in &self.kept_per_day {
            store.kept_per_day.insert((*id, *day), *n);
        }
        for (id, day, account, tally) in &self.overflow {
            ensure!(
                tally.first <= tally.last,
                "overflow tally ends before it starts"
            );
            store
                .overflow
                .insert((*id, *day, account.clone()), tally.clone());
        }
        for (id, account, samples) in &self.samples {
            store
                .samples
                .insert((*id, account.clone()), samples.clone());
        }
        store.cursor.time = self.cursor.map(load_time).transpose()?;
        for (time, print) in &self.cursor_seen {
            store.cursor.seen.push((load_time(*time)?, *print));
        }
        Ok(store)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builders for tests that need evidence: events go through the same
    //! store as in production.

    use super::*;
    use crate::mac::log::SignatureSet;
    use crate::util::time::parse_now;

    /// A matched event of `id` logged by `process` at `time` (RFC 3339); the
    /// agent's subsystem when `process` is the agent.
    pub(crate) fn event(time: &str, id: SignatureId, process: &str, message: &str) -> Event {
        let mut signatures = SignatureSet::default();
        signatures.insert(id);
        let agent = process == "Jamf Conditional Access";
        Event {
            time: Some(parse_now(time).unwrap()),
            process: process.to_string(),
            subsystem: if agent {
                "com.jamf.management.jamfAAD".into()
            } else {
                "com.apple.AppSSO".into()
            },
            message: message.to_string(),
            signatures,
            ..Event::default()
        }
    }

    /// The observations of `events` read in one pass, as `check` reads a log.
    pub(crate) fn fold(events: &[Event], window: &Window) -> Observations {
        let mut store = EvidenceStore::default();
        for event in events {
            store.add_event(event, window);
        }
        store.advance_cursor(events.iter().filter_map(|e| e.time).max(), window);
        store.observations(window, Attribution::Everyone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mac::log::SignatureSet;
    use crate::util::time::parse_now;

    fn event(time: &str, id: SignatureId, message: &str) -> Event {
        let mut signatures = SignatureSet::default();
        signatures.insert(id);
        Event {
            time: Some(parse_now(time).unwrap()),
            process: "Jamf Conditional Access".into(),
            subsystem: "com.jamf.management.jamfAAD".into(),
            message: message.into(),
            signatures,
            ..Event::default()
        }
    }

    fn window(end: &str) -> Window {
        let end = parse_now(end).unwrap();
        Window {
            start: end - chrono::Duration::days(5),
            end,
        }
    }

    #[test]
    fn re_read_entries_are_not_counted_twice() {
        let w = window("2026-11-20T12:00:00-05:00");
        let a = event(
            "2026-11-19T09:00:00.100-05:00",
            SignatureId::SilentAuthFailed,
            "acquireTokenSilent returning with error: a",
        );
        let b = event(
            "2026-11-19T09:00:00.100-05:00",
            SignatureId::SilentAuthFailed,
            "acquireTokenSilent returning with error: b",
        );
        let mut store = EvidenceStore::default();
        store.add_event(&a, &w);
        store.advance_cursor(a.time, &w);
        // A second pass re-reads the same second: a is known, b is new.
        store.add_event(&a, &w);
        store.add_event(&b, &w);
        store.advance_cursor(b.time, &w);
        assert_eq!(store.len(), 2);
        assert_eq!(store.skipped.already_read, 1);
        let older = event(
            "2026-11-19T08:59:59-05:00",
            SignatureId::SilentAuthFailed,
            "x",
        );
        store.add_event(&older, &w);
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn prune_and_window() {
        let mut store = EvidenceStore::default();
        let early = window("2026-11-20T12:00:00-05:00");
        store.add_event(
            &event(
                "2026-11-16T09:00:00-05:00",
                SignatureId::NoAadIdFound,
                "No AAD ID found",
            ),
            &early,
        );
        store.add_event(
            &event(
                "2026-11-19T09:00:00-05:00",
                SignatureId::AadIdAcquired,
                "AAD ID acquired",
            ),
            &early,
        );
        let later = window("2026-11-22T12:00:00-05:00");
        assert_eq!(
            store
                .observations(&later, Attribution::Everyone)
                .count(SignatureId::NoAadIdFound),
            0
        );
        assert_eq!(
            store
                .observations(&early, Attribution::Everyone)
                .count(SignatureId::NoAadIdFound),
            1
        );
        store.prune(&later);
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn storms_are_capped_but_counted() {
        let w = window("2026-11-20T12:00:00-05:00");
        let mut store = EvidenceStore::default();
        for i in 0..(RECORDS_PER_SIGNATURE_PER_DAY + 500) {
            let time = format!(
                "2026-11-19T{:02}:{:02}:{:02}-05:00",
                i / 3600,
                (i / 60) % 60,
                i % 60
            );
            store.add_event(
                &event(
                    &time,
                    SignatureId::SilentAuthFailed,
                    &format!("acquireTokenSilent returning with error {i}"),
                ),
                &w,
            );
        }
        assert_eq!(store.len() as u64, RECORDS_PER_SIGNATURE_PER_DAY);
        // A line a second counts whole here: only AppSSO's nested errors
        // are grouped into requests (see `one_request_within`).
        assert_eq!(
            store
                .observations(&w, Attribution::Everyone)
                .count(SignatureId::SilentAuthFailed),
            RECORDS_PER_SIGNATURE_PER_DAY + 500
        );
    }

    #[test]
    fn the_lines_of_one_refused_request_count_once() {
        let w = window("2026-11-20T12:00:00-05:00");
        let mut store = EvidenceStore::default();
        for time in [
            "2026-11-19T10:00:00-05:00",
            "2026-11-19T10:00:01-05:00",
            "2026-11-19T10:00:02-05:00",
            "2026-11-19T10:10:00-05:00",
            "2026-11-19T10:10:01-05:00",
        ] {
            store.add_event(
                &event(
                    time,
                    SignatureId::AppSsoNotAppSsoUrl,
                    &format!("Code=-9 {time}"),
                ),
                &w,
            );
        }
        assert_eq!(
            store
                .observations(&w, Attribution::Everyone)
                .count(SignatureId::AppSsoNotAppSsoUrl),
            2
        );
    }

    #[test]
    fn stored_form_round_trips() {
        let w = window("2026-11-20T12:00:00-05:00");
        let mut store = EvidenceStore::default();
        store.add_event(
            &event(
                "2026-11-19T09:00:00-05:00",
                SignatureId::InvalidGrant,
                "[x - 7F6779F2-640C-4FB2-9462-B16C102CF61C] error invalid_grant",
            ),
            &w,
        );
        store.advance_cursor(Some(parse_now("2026-11-19T10:00:00-05:00").unwrap()), &w);
        let stored = StoredEvidence::from(&store);
        let json = serde_json::to_string(&stored).unwrap();
        let back: StoredEvidence = serde_json::from_str(&json).unwrap();
        let restored = back.restore().unwrap();
        assert_eq!(StoredEvidence::from(&restored), stored);
        assert_eq!(restored.cursor_time(), store.cursor_time());
    }

    #[test]
    fn bad_indices_are_refused() {
        for record in [
            r#"[1,0,0,"invalid-grant",5,null,null,null]"#,
            r#"[1,0,0,"no-aad-id-found",0,null,null,3]"#,
        ] {
            let json = format!(
                r#"{{"processes":["p"],"details":[],"accounts":["bob"],"records":[{record}],"kept_per_day":[],"overflow":[],"samples":[],"cursor":null,"cursor_seen":[],"skipped":{{"outside_window":0,"without_time":0,"out_of_scope":0,"already_read":0}}}}"#
            );
            let stored: StoredEvidence = serde_json::from_str(&json).unwrap();
            assert!(stored.restore().is_err(), "{record}");
        }
    }
}

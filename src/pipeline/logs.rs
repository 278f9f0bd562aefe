//! Reading the planned logs (exported files, standard input, or the live
//! `log show`) into the evidence store, with the totals the facts report.

use super::request::{Clock, LogPlan, LogSource, Request};
use crate::evidence::facts::LogTotals;
use crate::evidence::observations::Window;
use crate::evidence::store::EvidenceStore;
use crate::inputs::{InputRecord, InputState, LOG_INPUT};
use crate::mac::log::decode::{LogEncoding, decoded, encoding_of};
use crate::mac::log::show::{describe, show_args};
use crate::mac::log::{ScanMode, ScanOptions, ScanSummary, scan};
use crate::mac::runner::MacCommand;
use crate::tenant::kind::other_kind;
use crate::util::text::count;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Receives every byte of log read, with the index of its input (bundles
/// copy the log as it streams past).
pub(crate) type LogTap<'a> = &'a mut dyn FnMut(usize, &[u8]);

/// A tap as a trait object (the tap's own lifetime apart from the borrow's).
type TapFn<'f> = dyn FnMut(usize, &[u8]) + 'f;

/// A reader that shows what it reads to a tap.
struct Tapped<'t, 'f, R> {
    inner: R,
    index: usize,
    tap: Option<&'t mut TapFn<'f>>,
}

impl<R: Read> Read for Tapped<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(tap) = self.tap.as_mut() {
            tap(self.index, &buf[..n]);
        }
        Ok(n)
    }
}

/// Reads the planned logs into `store`, showing every byte read to `tap`.
/// With `resume`, the live log is read from the store's cursor rather than
/// the window's start. Fails only when a named `--log` cannot be read; a
/// failing `log show` is recorded in the totals as a problem.
pub(crate) fn read_logs(
    request: &Request,
    store: &mut EvidenceStore,
    window: &Window,
    resume: bool,
    mut tap: Option<LogTap>,
) -> Result<LogTotals> {
    let options = ScanOptions {
        local_offset: request.now.timezone(),
        mode: ScanMode::Candidates,
    };
    let mut totals = LogTotals::default();
    match &request.logs {
        LogPlan::Files(sources) => {
            if !sources.is_empty() {
                totals.source = "log files".to_string();
            }
            for (index, source) in sources.iter().enumerate() {
                let failed = || format!("--log {}: read failed", source.describe());
                let (text, encodings) = match source {
                    LogSource::File(path) => decoded(open_log(path)?),
                    LogSource::Stdin => decoded(std::io::stdin().lock()),
                }
                .with_context(failed)?;
                let reader = Tapped {
                    inner: text,
                    index,
                    tap: tap.as_deref_mut(),
                };
                let summary = scan(reader, &options, |event| store.add_event(&event, window))
                    .with_context(failed)?;
                store.advance_cursor(summary.newest_entry, window);
                add_summary(&mut totals, &summary, source.describe(), None);
                if summary.bytes == 0 {
                    // An empty log shows nothing, not a quiet Mac.
                    totals
                        .unrecognised
                        .push(format!("{} (empty)", source.describe()));
                    if let Some(input) = totals.inputs.last_mut() {
                        input.reason = Some("empty: no log entry".to_string());
                    }
                }
                if let (false, Some(input)) = (encodings.is_empty(), totals.inputs.last_mut()) {
                    let written: Vec<&str> = encodings.iter().map(|e| e.describe()).collect();
                    let note = format!("read as {}", written.join(", then "));
                    input.reason = Some(match input.reason.take() {
                        Some(reason) => format!("{note}; {reason}"),
                        None => note,
                    });
                }
            }
        }
        LogPlan::Live { timeout } => {
            totals.source = "live log".to_string();
            let start = match store.cursor_time().filter(|_| resume) {
                Some(cursor) => cursor.max(window.start),
                None => window.start,
            };
            let start_text = start
                .with_timezone(&window.end.timezone())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string();
            let mut stream =
                request
                    .runner
                    .stream(MacCommand::Log, &show_args(&start_text), *timeout);
            let reader = Tapped {
                inner: &mut stream,
                index: 0,
                tap,
            };
            let scanned = scan(reader, &options, |event| store.add_event(&event, window));
            let outcome = stream.finish();
            let summary = scanned.as_ref().cloned().unwrap_or_default();
            let problem = match &scanned {
                Err(error) => Some(format!("reading log show's output failed: {error}")),
                Ok(_) if !outcome.succeeded() => {
                    if outcome.timed_out {
                        totals.time_limit_hit = Some(timeout.as_secs());
                    }
                    Some(format!(
                        "{} after {}",
                        outcome.describe_as("log show"),
                        count(summary.entries, "entry", "entries")
                    ))
                }
                Ok(summary) if summary.bytes == 0 => Some(
                    "log show succeeded but returned nothing for the window: the log store may be empty or damaged"
                        .to_string(),
                ),
                Ok(_) => None,
            };
            // What was read is kept even after a failure; the next read resumes from it.
            store.advance_cursor(summary.newest_entry, window);
            add_summary(&mut totals, &summary, describe(&start_text), problem);
        }
    }
    Ok(totals)
}

fn add_summary(
    totals: &mut LogTotals,
    summary: &ScanSummary,
    described: String,
    problem: Option<String>,
) {
    if summary.style.is_none() && summary.bytes > 0 {
        totals.unrecognised.push(described.clone());
    }
    // Pieces of an input in no style are no log entries.
    if summary.style.is_some() {
        totals.entries += summary.entries;
    }
    totals.matched += summary.candidates;
    totals.bytes += summary.bytes;
    totals.styles.push(
        summary
            .style
            .map_or("unrecognised", |s| s.name())
            .to_string(),
    );
    let mut reasons = Vec::new();
    if summary.oversize_entries > 0 {
        reasons.push(format!(
            "{} oversize entries cut to their start",
            summary.oversize_entries
        ));
    }
    if let Some(problem) = &problem {
        reasons.push(problem.clone());
        totals.problems.push(problem.clone());
    }
    totals.inputs.push(InputRecord {
        what: LOG_INPUT.to_string(),
        path: described,
        state: if problem.is_some() {
            InputState::Unreadable
        } else {
            InputState::Read
        },
        reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
    });
}

fn open_log(path: &Path) -> Result<File> {
    let file =
        File::open(path).with_context(|| format!("--log {}: cannot open", path.display()))?;
    let metadata = file
        .metadata()
        .with_context(|| format!("--log {}: cannot read its metadata", path.display()))?;
    anyhow::ensure!(
        !metadata.is_dir(),
        "--log {}: is a folder, not a log file",
        path.display()
    );
    if let Some(why) = other_kind(path, &[], "a macOS unified log (`log show`'s output)") {
        anyhow::bail!("--log {}: {why}", path.display());
    }
    Ok(file)
}

/// The analysis clock, by the one rule of every request: `--now` when
/// given, else when the bundle was collected, else the newest entry of the
/// log files (when every log is a file), else the system's (`local`).
pub(crate) fn clock_of(
    given: Option<chrono::DateTime<chrono::FixedOffset>>,
    collected: Option<chrono::DateTime<chrono::FixedOffset>>,
    logs: &[LogSource],
    local: chrono::DateTime<chrono::FixedOffset>,
) -> Result<(chrono::DateTime<chrono::FixedOffset>, Clock)> {
    if let Some(now) = given {
        return Ok((now, Clock::Given));
    }
    if let Some(collected) = collected {
        return Ok((collected, Clock::Collected));
    }
    let files: Option<Vec<std::path::PathBuf>> = logs
        .iter()
        .map(|source| match source {
            LogSource::File(path) => Some(path.clone()),
            LogSource::Stdin => None,
        })
        .collect();
    match files.filter(|files| !files.is_empty()) {
        Some(files) => Ok(match newest_entry(&files, local.timezone())? {
            Some(newest) => (newest, Clock::LastLogEntry),
            None => (local, Clock::System),
        }),
        None => Ok((local, Clock::System)),
    }
}

/// How much of a log's end is read for its newest entry before the whole
/// file is: `log show` writes entries in time order.
const NEWEST_FROM_TAIL: u64 = 4 << 20;

/// The newest entry time of the log files at `paths` (times without an
/// offset read in `offset`); `None` when no entry has a time. `log show`
/// writes entries in time order, so a large file's last 4 MiB are scanned
/// first, from a line break on, and the whole file only when they hold no
/// dated entry. Fails when a file cannot be opened or read.
pub(crate) fn newest_entry(
    paths: &[std::path::PathBuf],
    offset: chrono::FixedOffset,
) -> Result<Option<chrono::DateTime<chrono::FixedOffset>>> {
    use std::io::{Seek, SeekFrom};
    let options = ScanOptions {
        local_offset: offset,
        mode: ScanMode::Candidates,
    };
    let failed = |path: &Path| format!("--log {}: read failed", path.display());
    let mut newest = None;
    for path in paths {
        let mut file = open_log(path)?;
        let length = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut head = [0u8; 64];
        let head_length = (&mut file).take(64).read(&mut head).unwrap_or(0);
        let plain = encoding_of(&head[..head_length]) == LogEncoding::Utf8;
        file.seek(SeekFrom::Start(0))
            .with_context(|| failed(path))?;
        let mut from_tail = None;
        if plain && length > 2 * NEWEST_FROM_TAIL {
            file.seek(SeekFrom::Start(length - NEWEST_FROM_TAIL))
                .with_context(|| failed(path))?;
            let mut tail = Vec::new();
            (&mut file)
                .take(NEWEST_FROM_TAIL)
                .read_to_end(&mut tail)
                .with_context(|| failed(path))?;
            if let Some(line_break) = memchr::memchr(b'\n', &tail) {
                from_tail = scan(&tail[line_break + 1..], &options, |_| {})
                    .ok()
                    .and_then(|summary| summary.newest_entry);
            }
            if from_tail.is_none() {
                file.seek(SeekFrom::Start(0))
                    .with_context(|| failed(path))?;
            }
        }
        let found = match from_tail {
            Some(time) => Some(time),
            None => {
                let (text, _) = decoded(file).with_context(|| failed(path))?;
                scan(text, &options, |_| {})
                    .with_context(|| failed(path))?
                    .newest_entry
            }
        };
        newest = newest.max(found);
    }
    Ok(newest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_scan(path: &Path) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let options = ScanOptions {
            local_offset: chrono::FixedOffset::east_opt(0).unwrap(),
            mode: ScanMode::Candidates,
        };
        scan(File::open(path).unwrap(), &options, |_| {})
            .unwrap()
            .newest_entry
    }

    #[test]
    fn the_newest_entry_from_a_large_log_s_end_or_else_its_whole() {
        let fixture = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/healthy/log.compact.txt"),
        )
        .unwrap();
        let filler = "not an entry of any style\n".repeat(400_000);
        let dir = tempfile::tempdir().unwrap();
        let utc = chrono::FixedOffset::east_opt(0).unwrap();
        // Entries at the end: read from the last 4 MiB.
        let at_end = dir.path().join("end.log");
        std::fs::write(&at_end, [filler.as_bytes(), &fixture].concat()).unwrap();
        // Entries at the start only: the end holds none, the whole is read.
        let at_start = dir.path().join("start.log");
        std::fs::write(&at_start, [&fixture, filler.as_bytes()].concat()).unwrap();
        for path in [at_end, at_start] {
            assert!(std::fs::metadata(&path).unwrap().len() > 2 * NEWEST_FROM_TAIL);
            let newest = newest_entry(std::slice::from_ref(&path), utc).unwrap();
            assert!(newest.is_some());
            assert_eq!(newest, full_scan(&path), "{}", path.display());
        }
    }

    #[test]
    fn one_clock_rule_given_then_collected_then_the_logs_then_the_system() {
        let at = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap();
        let local = at("2030-01-01T00:00:00Z");
        let log = LogSource::File(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/healthy/log.default.txt"),
        );
        let given = at("2026-11-20T12:00:00-05:00");
        let collected = at("2026-11-19T12:00:00Z");
        let clock = |given, collected, logs: &[LogSource]| {
            clock_of(given, collected, logs, local).map(|(_, clock)| clock)
        };
        assert_eq!(
            clock(Some(given), Some(collected), &[]).unwrap(),
            Clock::Given
        );
        assert_eq!(clock(None, Some(collected), &[]).unwrap(), Clock::Collected);
        let (newest, from_log) = clock_of(None, None, std::slice::from_ref(&log), local).unwrap();
        assert_eq!(from_log, Clock::LastLogEntry);
        assert!(newest < local);
        assert_eq!(
            clock(None, None, &[log, LogSource::Stdin]).unwrap(),
            Clock::System
        );
        assert_eq!(clock(None, None, &[]).unwrap(), Clock::System);
        let missing = LogSource::File("no-such.log".into());
        let error = clock_of(None, None, &[missing], local).unwrap_err();
        assert!(format!("{error:#}").contains("--log no-such.log"));
    }
}

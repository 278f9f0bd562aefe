//! Reading the planned logs (exported files, standard input, or the live
//! `log show`) into the evidence store, with the totals the facts report.

use super::request::{LogPlan, LogSource, Request};
use crate::evidence::facts::LogTotals;
use crate::evidence::observations::Window;
use crate::evidence::store::EvidenceStore;
use crate::inputs::{InputRecord, InputState, LOG_INPUT};
use crate::mac::log::show::{describe, show_args};
use crate::mac::log::{ScanMode, ScanOptions, ScanSummary, scan};
use crate::mac::runner::MacCommand;
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
                let summary = match source {
                    LogSource::File(path) => {
                        let reader = Tapped {
                            inner: open_log(path)?,
                            index,
                            tap: tap.as_deref_mut(),
                        };
                        scan(reader, &options, |event| store.add_event(&event, window))
                    }
                    LogSource::Stdin => {
                        let reader = Tapped {
                            inner: std::io::stdin().lock(),
                            index,
                            tap: tap.as_deref_mut(),
                        };
                        scan(reader, &options, |event| store.add_event(&event, window))
                    }
                }
                .with_context(|| format!("--log {}: read failed", source.describe()))?;
                store.advance_cursor(summary.newest_entry, window);
                add_summary(&mut totals, &summary, source.describe(), None);
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
    totals.entries += summary.entries;
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

fn open_log(path: &Path) -> Result<impl Read> {
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
    Ok(file)
}

/// The newest entry time of the log files at `paths` (a quick pass of the
/// fast scanner; times without an offset read in `offset`); `None` when no
/// entry has a time. Fails when a file cannot be opened or read.
pub(crate) fn newest_entry(
    paths: &[std::path::PathBuf],
    offset: chrono::FixedOffset,
) -> Result<Option<chrono::DateTime<chrono::FixedOffset>>> {
    let options = ScanOptions {
        local_offset: offset,
        mode: ScanMode::Candidates,
    };
    let mut newest = None;
    for path in paths {
        let file = open_log(path)?;
        let summary = scan(file, &options, |_| {})
            .with_context(|| format!("--log {}: read failed", path.display()))?;
        newest = newest.max(summary.newest_entry);
    }
    Ok(newest)
}

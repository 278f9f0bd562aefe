//! One analysis from start to end: read preferences and logs, fold the log
//! into observations, run the detectors, decide the verdict. Commands call
//! [`analyze`] and only choose how to print the result.

use crate::detectors::{self, Context};
use crate::facts::{Facts, LogTotals};
use crate::log::{ScanMode, ScanOptions, scan};
use crate::observations::{Observations, Window};
use crate::sources::prefs::read_prefs;
use crate::sources::user::UserName;
use crate::sources::{InputRecord, InputState, SystemPaths};
use crate::verdict::Verdict;
use anyhow::{Context as _, Result};
use chrono::{DateTime, Duration, FixedOffset};
use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

/// How log inputs are named in the facts' input list.
pub const LOG_INPUT: &str = "unified log";

/// Where a log comes from.
#[derive(Clone, Debug)]
pub enum LogSource {
    /// An exported `log show` file.
    File(PathBuf),
    /// Standard input (`--log -`).
    Stdin,
}

impl LogSource {
    /// Parses a `--log` argument: `-` is standard input.
    pub fn from_arg(arg: &str) -> Self {
        if arg == "-" {
            LogSource::Stdin
        } else {
            LogSource::File(PathBuf::from(arg))
        }
    }

    fn describe(&self) -> String {
        match self {
            LogSource::File(path) => path.display().to_string(),
            LogSource::Stdin => "standard input".to_string(),
        }
    }
}

/// What to analyse.
#[derive(Clone, Debug)]
pub struct Request {
    /// Paths of the Mac's files.
    pub paths: SystemPaths,
    /// The user whose registration is analysed.
    pub user: UserName,
    /// Log inputs, read in order.
    pub logs: Vec<LogSource>,
    /// The analysis clock.
    pub now: DateTime<FixedOffset>,
    /// Length of the window before `now`.
    pub since: Duration,
}

/// Runs a whole analysis. Fails only when a named `--log` input cannot be
/// opened or read; unreadable Mac files become findings instead.
pub fn analyze(request: &Request) -> Result<Verdict> {
    let window = Window {
        start: request.now - request.since,
        end: request.now,
    };
    let mut inputs: Vec<InputRecord> = Vec::new();
    let prefs = read_prefs(&request.paths, &request.user, &mut inputs);
    let mut observations = Observations::default();
    let mut totals = LogTotals::default();
    let options = ScanOptions {
        local_offset: request.now.timezone(),
        mode: ScanMode::Candidates,
    };
    for source in &request.logs {
        let summary = match source {
            LogSource::File(path) => {
                let file = open_log(path)?;
                scan(file, &options, |event| observations.fold(&event, &window))
            }
            LogSource::Stdin => scan(std::io::stdin().lock(), &options, |event| {
                observations.fold(&event, &window)
            }),
        }
        .with_context(|| format!("--log {}: read failed", source.describe()))?;
        totals.entries += summary.entries;
        totals.matched += summary.candidates;
        totals.bytes += summary.bytes;
        totals.styles.push(
            summary
                .style
                .map_or("unrecognised", |s| s.name())
                .to_string(),
        );
        inputs.push(InputRecord {
            what: LOG_INPUT.to_string(),
            path: source.describe(),
            state: InputState::Read,
            reason: (summary.oversize_entries > 0).then(|| {
                format!(
                    "{} oversize entries cut to their start",
                    summary.oversize_entries
                )
            }),
        });
    }
    let facts = Facts::new(
        request.user.as_str(),
        prefs,
        totals,
        &observations,
        window,
        inputs,
    );
    let findings = detectors::run_all(&Context {
        facts: &facts,
        observations: &observations,
        now: request.now,
    });
    Ok(Verdict::decide(findings, facts))
}

fn open_log(path: &PathBuf) -> Result<impl Read> {
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

//! What an analysis is asked to do: whose registration, which log, which
//! clock and window, where the Mac's files are, which tenant exports to
//! join. Built once, by the command line or from a bundle's manifest.

use crate::evidence::observations::Window;
use crate::mac::accounts::{Directory, UserSelection};
use crate::mac::paths::SystemPaths;
use crate::mac::registration::Registration;
use crate::mac::runner::CommandRunner;
use chrono::{DateTime, Duration, FixedOffset};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) use crate::tenant::sources::TenantExports;

/// Where a log file comes from.
#[derive(Clone, Debug)]
pub(crate) enum LogSource {
    /// An exported `log show` file.
    File(PathBuf),
    /// Standard input (`--log -`).
    Stdin,
}

impl LogSource {
    /// Parses a `--log` argument: `-` is standard input.
    pub(crate) fn from_arg(arg: &str) -> Self {
        if arg == "-" {
            LogSource::Stdin
        } else {
            LogSource::File(PathBuf::from(arg))
        }
    }

    /// How the source is named in messages and the facts.
    pub(crate) fn describe(&self) -> String {
        match self {
            LogSource::File(path) => path.display().to_string(),
            LogSource::Stdin => "standard input".to_string(),
        }
    }
}

/// Where the log evidence comes from.
#[derive(Clone, Debug)]
pub(crate) enum LogPlan {
    /// Exported files (`--log`).
    Files(Vec<LogSource>),
    /// The live unified log, through `log show`, with a hard time limit.
    Live {
        /// Time limit of `log show`.
        timeout: std::time::Duration,
    },
}

/// Where the Mac's evidence beyond the log comes from.
#[derive(Clone, Debug)]
pub(crate) enum Origin {
    /// This Mac, or a copy of its files (`--root`).
    Mac,
    /// A bundle collected earlier, with its stored registration evidence
    /// per user.
    Bundle(BTreeMap<String, Registration>),
    /// A plain `log show` export: a log and nothing else to read.
    PlainLog,
}

/// What to analyse. Built once, by the command line
/// (`cli::AnalysisArgs::request`) or from a bundle (`Request::from_bundle`),
/// and never changed afterwards.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    /// Paths of the Mac's files.
    pub(crate) paths: SystemPaths,
    /// Runs the macOS commands (chosen by the caller).
    pub(crate) runner: CommandRunner,
    /// Whose registration.
    pub(crate) users: UserSelection,
    /// Which log.
    pub(crate) logs: LogPlan,
    /// The analysis clock.
    pub(crate) now: DateTime<FixedOffset>,
    /// Where the clock came from.
    pub(crate) clock: Clock,
    /// Length of the window before `now`.
    pub(crate) since: Duration,
    /// Where the evidence beyond the log comes from.
    pub(crate) origin: Origin,
    /// The tenant's exports to join.
    pub(crate) tenant: TenantExports,
    /// The command that runs, as messages name it (`check`, `analyze`…).
    pub(crate) command: &'static str,
    /// What `analyze` was given (a bundle or an export), as messages name it.
    pub(crate) given: Option<String>,
    /// The bundle analysed: its file, host and collection time.
    pub(crate) bundle_note: Option<String>,
    /// The Mac's computer name as a bundle's manifest says (else read from
    /// the Mac's files when the device chain needs it).
    pub(crate) computer_name: Option<String>,
    /// `--fetch`: the tenant's evidence about this Mac, fetched live once
    /// the Mac's device IDs and users are known.
    pub(crate) live: Option<crate::tenant::fetch::live::LiveFetch>,
}

impl Request {
    /// The window analysed: `(now - since, now]`.
    pub(crate) fn window(&self) -> Window {
        Window {
            start: self.now - self.since,
            end: self.now,
        }
    }

    /// Whether the log is this Mac's live unified log.
    pub(crate) fn is_live(&self) -> bool {
        matches!(self.logs, LogPlan::Live { .. })
    }

    /// Whether only a log was given (a plain export): there are no
    /// preferences to read.
    pub(crate) fn log_only(&self) -> bool {
        matches!(self.origin, Origin::PlainLog)
    }

    /// Whether the evidence was collected elsewhere (a bundle or a plain
    /// export), so advice names `collect` and `analyze`, not `check`.
    pub(crate) fn collected_elsewhere(&self) -> bool {
        !matches!(self.origin, Origin::Mac)
    }

    /// Where accounts are looked up: the directory service describes this
    /// Mac only when the files are this Mac's (`--root /`) or the analysis is
    /// live.
    pub(crate) fn directory(&self) -> Directory<'_> {
        Directory {
            runner: &self.runner,
            paths: &self.paths,
            applies: self.is_live() || self.paths.root() == Path::new("/"),
        }
    }

    /// Where the registration evidence comes from unless a caller has its
    /// own: a bundle's stored evidence, the live checks, or none (files from
    /// elsewhere).
    pub(crate) fn registration_plan(&self) -> RegistrationPlan<'_> {
        match &self.origin {
            Origin::Bundle(stored) => RegistrationPlan::Stored(stored),
            _ if self.is_live() => RegistrationPlan::Check,
            _ => RegistrationPlan::Skip,
        }
    }
}

/// Where the analysis clock came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Clock {
    /// `--now`.
    Given,
    /// The system's clock (a live analysis, or a log read as it streams).
    System,
    /// The newest entry of the exported logs: a file's clock is its own.
    LastLogEntry,
    /// When the bundle was collected.
    Collected,
}

impl Clock {
    /// What the facts say of the clock, when `--now` did not set it and it
    /// is not simply now.
    pub(crate) fn note(self) -> Option<String> {
        match self {
            Clock::Given | Clock::System => None,
            Clock::LastLogEntry => {
                Some("the log's last entry (no --now: an export's clock is its own)".to_string())
            }
            Clock::Collected => Some("when the bundle was collected".to_string()),
        }
    }
}

/// Where a verdict's registration evidence comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RegistrationPlan<'a> {
    /// Run the checks now (live).
    Check,
    /// Use what was stored (by a tick or in a bundle), per user.
    Stored(&'a BTreeMap<String, Registration>),
    /// None (files from elsewhere).
    Skip,
}

//! What an analysis is asked to do: whose registration, which log, which
//! clock and window, where the Mac's files are. Built by the command line,
//! by `analyze` from a bundle, and by the incremental mode.

use crate::evidence::observations::Window;
use crate::mac::accounts::{Directory, UserSelection};
use crate::mac::commands::MacCommands;
use crate::mac::paths::SystemPaths;
use crate::mac::registration::Registration;
use chrono::{DateTime, Duration, FixedOffset};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// What to analyse.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    /// Paths of the Mac's files.
    pub(crate) paths: SystemPaths,
    /// The macOS commands.
    pub(crate) commands: MacCommands,
    /// Whose registration.
    pub(crate) users: UserSelection,
    /// Which log.
    pub(crate) logs: LogPlan,
    /// The analysis clock.
    pub(crate) now: DateTime<FixedOffset>,
    /// Length of the window before `now`.
    pub(crate) since: Duration,
    /// Registration evidence collected earlier (a bundle's), per user.
    pub(crate) stored_registrations: Option<BTreeMap<String, Registration>>,
    /// Only a log was given (a plain export): there are no preferences to read.
    pub(crate) log_only: bool,
    /// Entra sign-in exports to join with the Mac's failures (`--signins`).
    pub(crate) signins: Vec<PathBuf>,
    /// Conditional Access policy exports to audit for the Mac's Jamf
    /// Connect (`--policies`).
    pub(crate) policies: Vec<PathBuf>,
}

impl Request {
    /// A request with defaults for everything but the paths, users, logs and clock.
    pub(crate) fn new(
        paths: SystemPaths,
        users: UserSelection,
        logs: LogPlan,
        now: DateTime<FixedOffset>,
        since: Duration,
    ) -> Self {
        Request {
            paths,
            commands: MacCommands::from_environment(),
            users,
            logs,
            now,
            since,
            stored_registrations: None,
            log_only: false,
            signins: Vec::new(),
            policies: Vec::new(),
        }
    }

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

    /// Where accounts are looked up: the directory service describes this
    /// Mac only when the files are this Mac's (`--root /`) or the analysis is
    /// live.
    pub(crate) fn directory(&self) -> Directory<'_> {
        Directory {
            commands: &self.commands,
            paths: &self.paths,
            applies: self.is_live() || self.paths.root() == Path::new("/"),
        }
    }

    /// Where the registration evidence comes from unless a caller has its
    /// own: a bundle's stored evidence, the live checks, or none (files from
    /// elsewhere).
    pub(crate) fn registration_plan(&self) -> RegistrationPlan<'_> {
        match &self.stored_registrations {
            Some(stored) => RegistrationPlan::Stored(stored),
            None if self.is_live() => RegistrationPlan::Check,
            None => RegistrationPlan::Skip,
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

//! One analysis from start to end: choose the users, read the log (files or
//! the live `log show`) into evidence, read each user's preferences and
//! registration evidence, run the detectors, decide each verdict. Commands
//! call [`analyze`] (or the incremental functions) and only choose how to print.

use crate::detectors::{self, Context};
use crate::evidence::EvidenceStore;
use crate::facts::{AccountFacts, Facts, LogTotals};
use crate::log::{ScanMode, ScanOptions, ScanSummary, scan};
use crate::observations::{Observations, Window};
use crate::sources::accounts::{self, Account, ChosenBy};
use crate::sources::commands::{MacCommand, MacCommands};
use crate::sources::prefs::read_prefs;
use crate::sources::registration::{self, Registration};
use crate::sources::user::UserName;
use crate::sources::{InputRecord, InputState, SystemPaths};
use crate::timeline::Timeline;
use crate::verdict::{Status, Verdict};
use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, Duration, FixedOffset};
use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How log inputs are named in the facts' input list.
pub const LOG_INPUT: &str = "unified log";

/// The `log show` predicate of the live mode: the agent's subsystem and the
/// SSO extension's (AppSSO) subsystems.
pub const LOG_PREDICATE: &str =
    r#"subsystem CONTAINS "jamfAAD" OR subsystem BEGINSWITH "com.apple.AppSSO""#;

/// Where a log file comes from.
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

/// Where the log evidence comes from.
#[derive(Clone, Debug)]
pub enum LogPlan {
    /// Exported files (`--log`).
    Files(Vec<LogSource>),
    /// The live unified log, through `log show`, with a hard time limit.
    Live {
        /// Time limit of `log show`.
        timeout: std::time::Duration,
    },
}

/// Whose registration to analyse.
#[derive(Clone, Debug)]
pub enum UserSelection {
    /// One account (`--user`).
    Named(UserName),
    /// The console user, or the most recent user when nobody is logged in.
    Console,
    /// Every account that has the agent's preferences (`--all-users`).
    All,
    /// These accounts (the users of a bundle).
    List(Vec<UserName>),
}

/// What to analyse.
#[derive(Clone, Debug)]
pub struct Request {
    /// Paths of the Mac's files.
    pub paths: SystemPaths,
    /// The macOS commands.
    pub commands: MacCommands,
    /// Whose registration.
    pub users: UserSelection,
    /// Which log.
    pub logs: LogPlan,
    /// The analysis clock.
    pub now: DateTime<FixedOffset>,
    /// Length of the window before `now`.
    pub since: Duration,
    /// Registration evidence collected earlier (a bundle's), per user.
    pub stored_registrations: Option<std::collections::BTreeMap<String, Registration>>,
    /// Only a log was given (a plain export): there are no preferences to read.
    pub log_only: bool,
}

impl Request {
    /// A request with defaults for everything but the paths, users, logs and clock.
    pub fn new(
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
        }
    }
    /// The window analysed: `(now - since, now]`.
    pub fn window(&self) -> Window {
        Window {
            start: self.now - self.since,
            end: self.now,
        }
    }

    fn is_live(&self) -> bool {
        matches!(self.logs, LogPlan::Live { .. })
    }

    /// The directory service describes this Mac only when the files are
    /// this Mac's (`--root /`) or the analysis is live.
    fn directory_applies(&self) -> bool {
        self.is_live() || self.paths.root() == Path::new("/")
    }
}

/// The verdicts of an analysis, one per user, and the Mac's timeline.
#[derive(Clone, Debug)]
pub struct Report {
    /// One per user, in the order analysed.
    pub verdicts: Vec<Verdict>,
    /// The log evidence over time, for the HTML chart.
    pub timeline: Timeline,
}

fn status_rank(status: Status) -> u8 {
    match status {
        Status::Deactivated => 4,
        Status::NotRegistered => 3,
        Status::AtRisk => 2,
        Status::Healthy => 1,
        Status::Unknown => 0,
    }
}

impl Report {
    /// The worst verdict (the one the overall status comes from).
    pub fn worst(&self) -> Option<&Verdict> {
        self.verdicts.iter().max_by_key(|v| status_rank(v.status))
    }

    /// The overall status: the worst of the users'.
    pub fn status(&self) -> Status {
        self.worst().map_or(Status::Unknown, |v| v.status)
    }
}

/// An account with how it was chosen.
#[derive(Clone, Debug)]
pub struct ChosenAccount {
    /// The account.
    pub account: Account,
    /// How it was chosen, for the report.
    pub chosen_by: String,
}

/// Runs a whole analysis over the full window. Fails only when a named
/// `--log` cannot be read or no user can be found; unreadable Mac files and a
/// failing `log` become findings instead.
pub fn analyze(request: &Request) -> Result<Report> {
    analyze_noted(request, None)
}

/// [`analyze`], with a note on why a saved state was not used.
pub fn analyze_noted(request: &Request, state_note: Option<String>) -> Result<Report> {
    let window = request.window();
    let accounts = resolve_accounts(request)?;
    let mut store = EvidenceStore::default();
    let totals = read_logs(request, &mut store, &window, false)?;
    let observations = store.observations(&window);
    let verdicts = accounts
        .iter()
        .map(|chosen| {
            let registration = match &request.stored_registrations {
                Some(stored) => {
                    RegistrationPlan::Stored(stored.get(chosen.account.name.as_str()).cloned())
                }
                None if request.is_live() => RegistrationPlan::Check,
                None => RegistrationPlan::Skip,
            };
            verdict_for(
                request,
                chosen,
                &observations,
                &totals,
                registration,
                state_note.clone(),
            )
        })
        .collect();
    Ok(Report {
        verdicts,
        timeline: Timeline::from_store(&store, &window),
    })
}

/// Receives every byte of log read, with the index of its input (bundles
/// copy the log as it streams past).
pub type LogTap<'a> = &'a mut dyn FnMut(usize, &[u8]);

/// A reader that shows what it reads to a tap.
/// A tap as a trait object (the tap's own lifetime apart from the borrow's).
type TapFn<'f> = dyn FnMut(usize, &[u8]) + 'f;

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

/// Reads the planned logs into `store`. With `resume`, the live log is read
/// from the store's cursor rather than the window's start.
pub fn read_logs(
    request: &Request,
    store: &mut EvidenceStore,
    window: &Window,
    resume: bool,
) -> Result<LogTotals> {
    read_logs_tapped(request, store, window, resume, None)
}

/// [`read_logs`], showing every byte read to `tap`.
pub fn read_logs_tapped(
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
            totals.source = if sources.is_empty() {
                String::new()
            } else {
                "log files".to_string()
            };
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
            let args: Vec<OsString> = [
                "show",
                "--style",
                "ndjson",
                "--info",
                "--debug",
                "--predicate",
                LOG_PREDICATE,
                "--start",
                &start_text,
            ]
            .iter()
            .map(OsString::from)
            .collect();
            let mut stream = request.commands.stream(MacCommand::Log, &args, *timeout);
            let reader = Tapped {
                inner: &mut stream,
                index: 0,
                tap,
            };
            let scanned = scan(reader, &options, |event| store.add_event(&event, window));
            let outcome = stream.finish();
            let summary = scanned.as_ref().cloned().unwrap_or_default();
            let mut problem = None;
            if let Err(error) = &scanned {
                problem = Some(format!("reading log show's output failed: {error}"));
            } else if !outcome.succeeded() {
                problem = Some(format!(
                    "{} after {} entries",
                    outcome.describe(),
                    summary.entries
                ));
            }
            // What was read is kept even after a failure; the next read resumes from it.
            store.advance_cursor(summary.newest_entry, window);
            add_summary(
                &mut totals,
                &summary,
                format!("log show --start \"{start_text}\""),
                problem,
            );
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

/// Finds the accounts the request names.
pub fn resolve_accounts(request: &Request) -> Result<Vec<ChosenAccount>> {
    let directory = request.directory_applies();
    let account_for = |user: &UserName| {
        if directory {
            accounts::lookup(&request.commands, user)
        } else {
            Account {
                name: user.clone(),
                home: PathBuf::from("/Users").join(user.as_str()),
                uid: None,
                gid: None,
                home_source: "assumed /Users/<name>".to_string(),
            }
        }
    };
    match &request.users {
        UserSelection::Named(user) => Ok(vec![ChosenAccount {
            account: account_for(user),
            chosen_by: "--user".to_string(),
        }]),
        UserSelection::List(users) => Ok(users
            .iter()
            .map(|user| ChosenAccount {
                account: account_for(user),
                chosen_by: "bundle".to_string(),
            })
            .collect()),
        UserSelection::Console => {
            let (user, how) = accounts::console_user(&request.commands, &request.paths)
                .map_err(|reason| anyhow::anyhow!("no user to analyse ({reason}): pass --user"))?;
            let chosen_by = match how {
                ChosenBy::Console => "console user",
                ChosenBy::LastUser => "most recent user (nobody logged in)",
                ChosenBy::Flag => "--user",
            };
            Ok(vec![ChosenAccount {
                account: account_for(&user),
                chosen_by: chosen_by.to_string(),
            }])
        }
        UserSelection::All => {
            let listed = if directory {
                accounts::list_accounts(&request.commands).ok()
            } else {
                None
            };
            let candidates: Vec<(UserName, PathBuf)> = match listed {
                Some(list) => list,
                None => users_folder(&request.paths),
            };
            let chosen: Vec<ChosenAccount> = candidates
                .into_iter()
                .filter(|(_, home)| request.paths.user_agent_prefs(home).exists())
                .map(|(user, _)| ChosenAccount {
                    account: account_for(&user),
                    chosen_by: "all users".to_string(),
                })
                .collect();
            if chosen.is_empty() {
                bail!("no user has the agent's preferences (com.jamf.management.jamfAAD.plist)");
            }
            Ok(chosen)
        }
    }
}

/// Accounts from the `Users` folder under the root, when the directory
/// service does not apply.
fn users_folder(paths: &SystemPaths) -> Vec<(UserName, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(paths.mac_path(Path::new("/Users"))) else {
        return Vec::new();
    };
    let mut found: Vec<(UserName, PathBuf)> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = UserName::parse(&entry.file_name().to_string_lossy()).ok()?;
            let home = PathBuf::from("/Users").join(name.as_str());
            Some((name, home))
        })
        .collect();
    found.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    found
}

/// Where a verdict's registration evidence comes from.
#[derive(Clone, Debug)]
pub enum RegistrationPlan {
    /// Run the checks now (live).
    Check,
    /// Use what a tick stored.
    Stored(Option<Registration>),
    /// None (files from elsewhere).
    Skip,
}

/// One user's verdict over the given log evidence.
pub fn verdict_for(
    request: &Request,
    chosen: &ChosenAccount,
    observations: &Observations,
    totals: &LogTotals,
    registration: RegistrationPlan,
    state_note: Option<String>,
) -> Verdict {
    let account = &chosen.account;
    let mut inputs = totals.inputs.clone();
    let prefs = if request.log_only {
        crate::sources::prefs::PrefsFacts::default()
    } else {
        read_prefs(&request.paths, &account.home, &mut inputs)
    };
    let registration = match registration {
        RegistrationPlan::Check => Some(registration::check(
            &request.commands,
            account,
            prefs.jamf_pro_version,
        )),
        RegistrationPlan::Stored(stored) => stored,
        RegistrationPlan::Skip => None,
    };
    let account_facts = AccountFacts {
        user: account.name.to_string(),
        chosen_by: chosen.chosen_by.clone(),
        home: account.home.display().to_string(),
        home_source: account.home_source.clone(),
    };
    let mut facts = Facts::new(
        &account_facts,
        prefs,
        totals.clone(),
        observations,
        request.window(),
        inputs,
    );
    facts.registration = registration;
    facts.state_note = state_note;
    facts.prefs_looked_for = !request.log_only;
    let findings = detectors::run_all(&Context {
        facts: &facts,
        observations,
        now: request.now,
    });
    Verdict::decide(findings, facts)
}

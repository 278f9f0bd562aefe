//! The flags turned into what a command runs, once: the analysis's
//! request (users, logs, the one clock, the window, the tenant's exports
//! and the live fetch of that window), `device`'s query and fetch plan,
//! `fetch`'s plan, the fleet's clock and fetch, `analyze`'s overrides.
//! `--now` is read in one place ([`given_clock`]).

use super::args::*;
use crate::evidence::chain::DeviceQuery;
use crate::mac::accounts::UserSelection;
use crate::mac::paths::SystemPaths;
use crate::mac::runner::CommandRunner;
use crate::mac::user::UserName;
use crate::pipeline::logs::clock_of;
use crate::pipeline::request::{LogPlan, LogSource, Origin, Request, TenantExports};
use crate::tenant::fetch::FetchPlan;
use crate::tenant::fetch::live::LiveFetch;
use crate::tenant::keys::Keys;
use crate::tenant::kind::TenantKind;
use crate::tenant::loganalytics::kql;
use crate::util::guid::Guid;
use crate::util::time::{parse_duration, parse_now, system_clock};
use crate::util::usage::{UsageError, usage};
use anyhow::{Context, Result, bail};
use chrono::{DateTime, FixedOffset};
use std::path::PathBuf;
use std::time::Duration;

/// Time the macOS commands of a run may take beyond the log's time limit.
const COMMANDS_MARGIN: Duration = Duration::from_secs(3);

impl DeviceArgs {
    /// The device asked about.
    pub(crate) fn query(&self) -> DeviceQuery {
        match (&self.device_id, &self.name, &self.serial, &self.upn) {
            (Some(id), ..) => DeviceQuery::DeviceId(*id),
            (_, Some(name), ..) => DeviceQuery::Name(name.clone()),
            (_, _, Some(serial), _) => DeviceQuery::Serial(serial.clone()),
            (_, _, _, upn) => DeviceQuery::Upn(upn.clone().unwrap_or_default()),
        }
    }

    /// With `--fetch`: the kinds the chain needs and the records asked
    /// for (sign-ins only of a user named, as Graph cannot filter them by
    /// device).
    pub(crate) fn fetch_plan(&self) -> (Vec<TenantKind>, Keys) {
        let mut wanted = vec![
            TenantKind::Devices,
            TenantKind::DeletedDevices,
            TenantKind::ManagedDevices,
            TenantKind::JamfInventory,
        ];
        if self.upn.is_some() {
            wanted.insert(0, TenantKind::SignIns);
        }
        // The records of the question, as the chain starts from them.
        let selectors = self.query().keys();
        (wanted, selectors)
    }

    /// The clock: `--now`, else the system's.
    pub(crate) fn clock(&self) -> Result<DateTime<FixedOffset>> {
        Ok(given_clock(self.now.as_deref())?.unwrap_or_else(system_clock))
    }
}

/// The clock `--now` gives, when given: the one place it is read (a usage
/// error names it).
fn given_clock(now: Option<&str>) -> Result<Option<DateTime<FixedOffset>>> {
    now.map(|text| parse_now(text).context("--now").map_err(usage))
        .transpose()
}

impl FetchArgs {
    /// The plan of the fetch.
    pub(crate) fn plan(&self) -> Result<FetchPlan> {
        let now = given_clock(self.now.as_deref())?.unwrap_or_else(system_clock);
        let since = parse_duration(&self.since)
            .context("--since")
            .map_err(usage)?;
        let wanted = if self.what.is_empty() {
            TenantKind::FETCHABLE.to_vec()
        } else {
            self.what.clone()
        };
        let what = self.connect.reachable(&wanted)?;
        if let Some(missing) = wanted
            .iter()
            .find(|kind| !what.contains(kind))
            .filter(|_| !self.what.is_empty())
        {
            bail!(UsageError(match missing.is_graph() {
                true => format!(
                    "--what {}: needs --tenant-id and --client-id",
                    missing.name()
                ),
                false => "--what jamf: needs --jamf-url and --jamf-client-id".to_string(),
            }));
        }
        Ok(FetchPlan {
            out: self.out.clone(),
            since: now - since,
            selectors: Keys {
                users: self.users.iter().collect(),
                device_ids: self.device_ids.iter().copied().collect(),
                names: self.names.iter().collect(),
                serials: self.serials.iter().collect(),
                ..Keys::default()
            },
            max_records: self.max_records,
            graph: self
                .connect
                .graph_target()?
                .filter(|_| what.iter().any(|k| k.is_graph())),
            jamf: self
                .connect
                .jamf_target()?
                .filter(|_| what.contains(&TenantKind::JamfInventory)),
            jamf_compliance: true,
            what,
        })
    }
}

impl FleetArgs {
    /// The clock: `--now`, else the system's.
    pub(crate) fn clock(&self) -> Result<DateTime<FixedOffset>> {
        Ok(given_clock(self.now.as_deref())?.unwrap_or_else(system_clock))
    }

    /// What to fetch first: Jamf Pro's inventory without `--inventory` or
    /// inventory pages in `--tenant` (`tenant_inventory`), Entra's devices
    /// with `--fetch`; `None` when nothing is. `now` is the run's clock.
    pub(crate) fn live(
        &self,
        now: DateTime<FixedOffset>,
        tenant_inventory: bool,
    ) -> Result<Option<LiveFetch>> {
        let mut wanted = Vec::new();
        if self.fetch {
            wanted.push(TenantKind::Devices);
        }
        if self.inventory.is_empty() && !tenant_inventory {
            if self.connect.jamf_target()?.is_none() {
                bail!(UsageError(
                    "fleet needs Jamf Pro's inventory: --inventory PATH, or --jamf-url and --jamf-client-id to fetch it".to_string()
                ));
            }
            wanted.push(TenantKind::JamfInventory);
        }
        if wanted.is_empty() {
            return Ok(None);
        }
        let what = self.connect.reachable(&wanted)?;
        if self.fetch && !what.contains(&TenantKind::Devices) {
            bail!(UsageError(
                "--fetch needs --tenant-id and --client-id".to_string()
            ));
        }
        let fetch = self
            .connect
            .live_fetch(what, now, Keys::default(), self.compliance)?;
        Ok(Some(fetch))
    }
}

impl LiveArgs {
    /// The fetch of the `wanted` kinds there is a source for, about
    /// `selectors`, with its credentials, sign-ins of `--fetch-since`
    /// before `now` (the run's clock); `None` without `--fetch`.
    pub(crate) fn live(
        &self,
        wanted: &[TenantKind],
        selectors: Keys,
        now: DateTime<FixedOffset>,
    ) -> Result<Option<LiveFetch>> {
        if !self.fetch {
            return Ok(None);
        }
        let since = parse_duration(&self.fetch_since)
            .context("--fetch-since")
            .map_err(usage)?;
        let since = now
            .checked_sub_signed(since)
            .ok_or_else(|| UsageError("--fetch-since: reaches before the start of time".into()))?;
        self.build(wanted, selectors, since, true)
    }

    /// The fetch of a Mac's analysis: every kind, sign-ins of the analysed
    /// window (from `start`); its progress line hidden while `spinner`
    /// (the live log's) has the terminal. `None` without `--fetch`.
    fn for_window(&self, start: DateTime<FixedOffset>, spinner: bool) -> Result<Option<LiveFetch>> {
        if !self.fetch {
            return Ok(None);
        }
        parse_duration(&self.fetch_since)
            .context("--fetch-since")
            .map_err(usage)?;
        self.build(&TenantKind::FETCHABLE, Keys::default(), start, !spinner)
    }

    fn build(
        &self,
        wanted: &[TenantKind],
        selectors: Keys,
        since: DateTime<FixedOffset>,
        progress: bool,
    ) -> Result<Option<LiveFetch>> {
        let what = self.connect.reachable(wanted)?;
        let live = self.connect.live_fetch(what, since, selectors, true)?;
        Ok(Some(LiveFetch { progress, ..live }))
    }
}

impl TenantArgs {
    /// The exports to join; fails naming a `--tenant` file that is no
    /// export.
    pub(crate) fn exports(&self) -> Result<TenantExports> {
        TenantExports::of(&self.signins, &self.policies, &self.tenant)
    }
}

impl StateArgs {
    /// The state file of the Mac whose files are under `root`.
    pub(crate) fn path(&self, root: &std::path::Path) -> PathBuf {
        self.state
            .clone()
            .unwrap_or_else(|| SystemPaths::new(root).state_file())
    }
}

impl AnalyzeArgs {
    /// Checks the flags.
    pub(crate) fn overrides(&self) -> Result<crate::bundle::Overrides> {
        Ok(crate::bundle::Overrides {
            user: self
                .user
                .as_deref()
                .map(|u| UserName::parse(u).context("--user").map_err(usage))
                .transpose()?,
            now: given_clock(self.now.as_deref())?,
            since: self
                .since
                .as_deref()
                .map(|s| parse_duration(s).context("--since").map_err(usage))
                .transpose()?,
            tenant: self.report.tenant.exports()?,
        })
    }
}

impl AnalysisArgs {
    /// Checks the flags and builds the request of `command`, joining
    /// `tenant`'s exports; `default_timeout` bounds the live `log show` unless
    /// `--log-timeout` says otherwise. The macOS commands run through the
    /// production runner (stubs only in debug builds, see `mac::runner`).
    pub(crate) fn request(
        &self,
        command: &'static str,
        default_timeout: Duration,
        tenant: TenantExports,
        live: Option<&LiveArgs>,
    ) -> Result<Request> {
        let users = match (&self.user, self.all_users) {
            (Some(user), _) => {
                UserSelection::Named(UserName::parse(user).context("--user").map_err(usage)?)
            }
            (None, true) => UserSelection::All,
            (None, false) => UserSelection::Console,
        };
        let sources: Vec<LogSource> = self
            .logs
            .iter()
            .map(|arg| LogSource::from_arg(arg))
            .collect();
        let (now, clock) = clock_of(
            given_clock(self.now.as_deref())?,
            None,
            &sources,
            system_clock(),
        )?;
        let since = parse_duration(&self.since)
            .context("--since")
            .map_err(usage)?;
        if now.checked_sub_signed(since).is_none() {
            bail!(UsageError(
                "--since: reaches before the start of time".into()
            ));
        }
        if self
            .log_timeout
            .is_some_and(|s| s > MAX_LOG_TIMEOUT.as_secs())
        {
            bail!(UsageError(format!(
                "--log-timeout: at most {} seconds (one day)",
                MAX_LOG_TIMEOUT.as_secs()
            )));
        }
        let seconds = self.time_limit(default_timeout).as_secs();
        if seconds == 0 {
            bail!(UsageError(
                "--log-timeout: must be at least 1 second".into()
            ));
        }
        let logs = if sources.is_empty() {
            LogPlan::Live {
                timeout: Duration::from_secs(seconds),
            }
        } else {
            LogPlan::Files(sources)
        };
        let paths = SystemPaths::new(&self.root);
        check_root(&paths)?;
        // Every macOS command of the run shares one deadline: the log's time
        // limit and a little for the lookups around it.
        let runner = CommandRunner::from_environment().with_deadline(
            std::time::Instant::now() + Duration::from_secs(seconds) + COMMANDS_MARGIN,
        );
        // What to fetch is known once the Mac's evidence is read; the
        // sign-ins are those of the analysed window.
        let spinner = matches!(logs, LogPlan::Live { .. });
        let live = match live {
            Some(live) => live.for_window(now - since, spinner)?,
            None => None,
        };
        Ok(Request {
            paths,
            runner,
            users,
            logs,
            now,
            clock,
            since,
            origin: Origin::Mac,
            tenant,
            command,
            given: None,
            bundle_note: None,
            computer_name: None,
            live,
        })
    }

    /// The time limit of the live `log show` (and of the run's commands),
    /// never more than [`MAX_LOG_TIMEOUT`] (a larger `--log-timeout` is a
    /// usage error of [`AnalysisArgs::request`]).
    pub(crate) fn time_limit(&self, default_timeout: Duration) -> Duration {
        self.log_timeout
            .map(Duration::from_secs)
            .unwrap_or(default_timeout)
            .min(MAX_LOG_TIMEOUT)
    }
}

/// A `--root` other than `/` must be a folder holding at least one of the
/// files ca-doctor reads on a Mac: a mistyped path is a usage error, never
/// a verdict on an empty folder.
fn check_root(paths: &SystemPaths) -> Result<()> {
    let root = paths.root();
    if root == std::path::Path::new("/") {
        return Ok(());
    }
    if !root.is_dir() {
        bail!(UsageError(format!(
            "--root {}: no such folder",
            root.display()
        )));
    }
    if !paths.looks_like_a_mac() {
        bail!(UsageError(format!(
            "--root {}: holds none of a Mac's folders (Users, Library, System): is it the copy of a Mac?",
            root.display()
        )));
    }
    Ok(())
}

impl KqlArgs {
    /// The query the flags ask for; a usage error names a flag whose value
    /// cannot be used (an ID that is no GUID, a filter the question has no
    /// use for).
    pub(crate) fn query(&self) -> Result<String> {
        let now = given_clock(self.now.as_deref())?.unwrap_or_else(system_clock);
        let since = parse_duration(&self.since)
            .context("--since")
            .map_err(usage)?;
        let start = now
            .checked_sub_signed(since)
            .ok_or_else(|| UsageError("--since: reaches before the start of time".into()))?;
        let span = kql::Span { start, end: now };
        let guids = |flag: &str, values: &[String]| -> Result<Vec<Guid>> {
            values
                .iter()
                .map(|value| {
                    Guid::parse(value).ok_or_else(|| {
                        UsageError(format!(
                            "{flag} {}: not a GUID",
                            crate::util::text::for_terminal(value)
                        ))
                        .into()
                    })
                })
                .collect()
        };
        let question = kql::SignInQuestion {
            span,
            users: self.upns.iter().map(|u| u.trim().to_string()).collect(),
            device_ids: guids("--device-id", &self.device_ids)?,
            app_ids: guids("--app-id", &self.app_ids)?,
        };
        Ok(match self.question {
            KqlQuestion::Signins => kql::sign_ins(&question),
            KqlQuestion::Device => {
                if question.users.is_empty() && question.device_ids.is_empty() {
                    bail!(UsageError(
                        "kql device: needs --device-id or --upn".to_string()
                    ));
                }
                kql::sign_ins(&question)
            }
            KqlQuestion::Fleet => {
                if !(question.users.is_empty()
                    && question.device_ids.is_empty()
                    && question.app_ids.is_empty())
                {
                    bail!(UsageError(
                        "kql fleet: summarises every Mac; --upn, --device-id and --app-id belong to `kql signins` or `kql device`".to_string()
                    ));
                }
                kql::fleet_summary(span)
            }
        })
    }
}

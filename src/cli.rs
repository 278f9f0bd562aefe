//! Command-line definitions. Values that can be wrong (`--now`, `--since`,
//! `--user`) are taken as text and checked by [`AnalysisArgs::request`], so
//! that `ea` can turn any mistake into a result instead of a usage error.

use crate::evidence::chain::DeviceQuery;
mod connect;

use crate::mac::accounts::UserSelection;
use crate::mac::paths::SystemPaths;
use crate::mac::runner::CommandRunner;
use crate::mac::user::UserName;
use crate::pipeline::logs::newest_entry;
use crate::pipeline::request::{Clock, LogPlan, LogSource, Origin, Request, TenantExports};
use crate::render::Format;
use crate::tenant::fetch::live::LiveFetch;
use crate::tenant::fetch::{FetchPlan, Selectors};
use crate::tenant::kind::TenantKind;
use crate::util::guid::Guid;
use crate::util::time::{parse_duration, parse_now};
pub(crate) use crate::util::usage::{UsageError, usage};
use anyhow::{Context, Result, bail};
use chrono::{DateTime, FixedOffset};
use clap::{Args, Parser, Subcommand, ValueEnum};
pub(crate) use connect::ConnectArgs;
use std::path::PathBuf;
use std::time::Duration;

/// The longest `--log-timeout`: a day, far beyond any real `log show`, and
/// small enough that every deadline computed from it fits.
pub(crate) const MAX_LOG_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Time the macOS commands of a run may take beyond the log's time limit.
const COMMANDS_MARGIN: Duration = Duration::from_secs(3);

/// The exit codes of every subcommand (`ea` always exits with [`Exit::Ok`]).
/// Listed in `ca-doctor --help` ([`crate::manual::EXIT_CODES`]) and the README:
/// scripts rely on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// 0: the report was printed (whatever the status), or the work done.
    Ok = 0,
    /// 1: an input named on the command line could not be read, or the work
    /// could not be done (no user found, state not written).
    InputError = 1,
    /// 2: a flag or value was wrong.
    Usage = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}

/// `-h` after the flags: the exit codes, one line per [`Exit`].
fn exit_codes_help() -> String {
    crate::manual::EXIT_CODES.text()
}

/// `ea --help` after the flags: the values it prints.
fn ea_help() -> String {
    crate::manual::EA_VALUES.text()
}

/// Why a Mac's Jamf Conditional Access / Device Compliance registration with
/// Microsoft Entra ID is failing, and what to do about it.
#[derive(Parser, Debug)]
#[command(
    name = "ca-doctor",
    version,
    about,
    long_about = None,
    after_help = exit_codes_help(),
    after_long_help = crate::manual::long_help()
)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// `--color`, on the commands whose report is coloured.
#[derive(Args, Debug, Clone, Copy)]
pub(crate) struct ColorArgs {
    /// When to colour the terminal report.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub(crate) color: ColorWhen,
}

impl Cli {
    /// The names of the subcommands.
    pub(crate) fn command_names() -> Vec<String> {
        use clap::CommandFactory;
        Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect()
    }
}

/// When to colour the terminal report.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// What `generate` writes.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Generated {
    /// The main man page (roff), on standard output.
    Man,
    /// Every man page, the main one and one per command, into a folder.
    ManPages,
    /// bash completions.
    Bash,
    /// zsh completions.
    Zsh,
    /// fish completions.
    Fish,
}

/// What `signins` and `policies` share: a Mac's Jamf Connect settings to
/// judge for, and how to print the report.
#[derive(Args, Debug)]
pub(crate) struct TenantReportArgs {
    /// A Mac's files (a copy of `/`): its Jamf Connect configuration names
    /// the Jamf Connect apps.
    #[arg(long, value_name = "DIR")]
    pub(crate) root: Option<PathBuf>,
    #[command(flatten)]
    /// How to print the report.
    pub(crate) print: PrintArgs,
}

/// How a tenant report is printed.
#[derive(Args, Debug)]
pub(crate) struct PrintArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Show every user and item.
    #[arg(long, short)]
    pub(crate) verbose: bool,
    #[command(flatten)]
    /// When to colour.
    pub(crate) color: ColorArgs,
}

/// Flags of `signins`.
#[derive(Args, Debug)]
pub(crate) struct SigninsArgs {
    /// Sign-in exports: Graph or PowerShell JSON, admin-center JSON or CSV,
    /// Log Analytics JSON or CSV (UTF-8 or UTF-16), or folders of them.
    #[arg(value_name = "FILE", required_unless_present_any = ["tenant", "fetch"])]
    pub(crate) files: Vec<PathBuf>,
    /// The app ID of a Jamf Connect app registration (repeatable).
    #[arg(long = "jamf-connect-app", value_name = "APP_ID", value_parser = parse_app_id)]
    pub(crate) jamf_connect_apps: Vec<String>,
    /// Conditional Access policy exports that may explain the failures (repeatable).
    #[arg(long = "policies", value_name = "PATH")]
    pub(crate) policies: Vec<PathBuf>,
    #[arg(long = "tenant", value_name = "PATH", help = TENANT_HELP)]
    pub(crate) tenant: Vec<PathBuf>,
    #[command(flatten)]
    /// The Mac whose Jamf Connect is judged, and how to print the report.
    pub(crate) report: TenantReportArgs,
    #[command(flatten)]
    /// `--fetch`: the exports fetched first.
    pub(crate) live: LiveArgs,
}

/// Flags of `policies`.
#[derive(Args, Debug)]
pub(crate) struct PoliciesArgs {
    /// Policy exports: Graph JSON (a list or one policy), PowerShell JSON
    /// (UTF-16 is fine), or a folder of one-policy files.
    #[arg(value_name = "PATH", required_unless_present_any = ["tenant", "fetch"])]
    pub(crate) paths: Vec<PathBuf>,
    /// The app ID of a Jamf Connect app registration (repeatable).
    #[arg(long = "jamf-connect-app", value_name = "APP_ID", value_parser = parse_app_id)]
    pub(crate) jamf_connect_apps: Vec<String>,
    /// Sign-in exports: their Jamf Connect apps count as Jamf Connect's (repeatable).
    #[arg(long = "signins", value_name = "FILE")]
    pub(crate) signins: Vec<PathBuf>,
    #[arg(long = "tenant", value_name = "PATH", help = TENANT_HELP)]
    pub(crate) tenant: Vec<PathBuf>,
    #[command(flatten)]
    /// The Mac whose Jamf Connect is judged, and how to print the report.
    pub(crate) report: TenantReportArgs,
    #[command(flatten)]
    /// `--fetch`: the exports fetched first.
    pub(crate) live: LiveArgs,
}

/// Flags of `device`: one way to name the device, the tenant's exports,
/// the clock and how to print.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["device_id", "name", "serial", "upn"])))]
pub(crate) struct DeviceArgs {
    /// The Entra device ID (a GUID: the device's, not its object ID).
    #[arg(long = "device-id", value_name = "GUID", value_parser = parse_device_id)]
    pub(crate) device_id: Option<Guid>,
    /// The device's name (Entra's display name or Jamf Pro's computer name).
    #[arg(long, value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// The Mac's serial number.
    #[arg(long, value_name = "SERIAL")]
    pub(crate) serial: Option<String>,
    /// A user's UPN: their Mac.
    #[arg(long, value_name = "UPN")]
    pub(crate) upn: Option<String>,
    #[arg(long = "tenant", value_name = "PATH", help = TENANT_HELP, required_unless_present = "fetch")]
    pub(crate) tenant: Vec<PathBuf>,
    /// The analysis clock, RFC 3339 (default: now): ages are counted to it.
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
    #[command(flatten)]
    /// How to print the report.
    pub(crate) print: PrintArgs,
    #[command(flatten)]
    /// `--fetch`: the device's records fetched first.
    pub(crate) live: LiveArgs,
}

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
    pub(crate) fn fetch_plan(&self) -> (Vec<TenantKind>, Selectors) {
        let mut wanted = vec![
            TenantKind::Devices,
            TenantKind::ManagedDevices,
            TenantKind::JamfInventory,
        ];
        if self.upn.is_some() {
            wanted.insert(0, TenantKind::SignIns);
        }
        let selectors = Selectors {
            users: self.upn.iter().cloned().collect(),
            device_ids: self.device_id.iter().copied().collect(),
            names: self.name.iter().cloned().collect(),
            serials: self.serial.iter().cloned().collect(),
            app_ids: Vec::new(),
        };
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

/// The system's clock, in its own offset.
pub(crate) fn system_clock() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// A device ID: a GUID, any case.
fn parse_device_id(text: &str) -> anyhow::Result<Guid> {
    Guid::parse(text).ok_or_else(|| {
        anyhow::anyhow!("a device ID is a GUID such as 7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b (Entra's deviceId, not the object ID)")
    })
}

/// Flags of `fetch`: what to fetch, into where, and who signs in to
/// Microsoft Graph and the Jamf Pro API.
#[derive(Args, Debug)]
pub(crate) struct FetchArgs {
    /// The folder the exports and `fetch.json` are written into (made
    /// private when missing).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// What to fetch, comma-separated (default: Graph's kinds with
    /// --tenant-id, jamf with --jamf-url).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub(crate) what: Vec<TenantKind>,
    /// Sign-ins of this long before `--now` (e.g. 7d, 36h).
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    pub(crate) since: String,
    /// Sign-ins of this user only; Jamf computers assigned to them (repeatable).
    #[arg(long = "user", value_name = "UPN")]
    pub(crate) users: Vec<String>,
    /// Devices of this Entra device ID only (repeatable).
    #[arg(long = "device-id", value_name = "GUID", value_parser = parse_device_id)]
    pub(crate) device_ids: Vec<Guid>,
    /// Devices of this name only (repeatable).
    #[arg(long = "name", value_name = "NAME")]
    pub(crate) names: Vec<String>,
    /// Macs of this serial number only (repeatable).
    #[arg(long = "serial", value_name = "SERIAL")]
    pub(crate) serials: Vec<String>,
    /// Records of each kind at most.
    #[arg(long, value_name = "N")]
    pub(crate) max_records: Option<u64>,
    /// The clock `--since` counts back from, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
    #[command(flatten)]
    /// Where Graph and Jamf Pro are, and who signs in.
    pub(crate) connect: ConnectArgs,
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
            selectors: Selectors {
                users: self.users.clone(),
                device_ids: self.device_ids.clone(),
                names: self.names.clone(),
                serials: self.serials.clone(),
                app_ids: Vec::new(),
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

/// Output formats of `fleet`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FleetFormat {
    /// One screen for a person.
    Human,
    /// One JSON document.
    Json,
    /// One row per Mac, for spreadsheets.
    Csv,
    /// A dashboard page.
    Html,
}

/// Flags of `fleet`.
#[derive(Args, Debug)]
pub(crate) struct FleetArgs {
    /// Jamf Pro's inventory: `computers-inventory` pages as `fetch` writes
    /// them, or an Advanced Computer Search exported as CSV (files or
    /// folders; repeatable). Without it, the inventory is fetched with
    /// --jamf-url.
    #[arg(long = "inventory", value_name = "PATH")]
    pub(crate) inventory: Vec<PathBuf>,
    /// The display name of ca-doctor's status extension attribute
    /// (default: the attribute whose values are ca-doctor's).
    #[arg(long, value_name = "NAME")]
    pub(crate) ea: Option<String>,
    /// The display name of the last-success attribute (default: the one
    /// named "... last success").
    #[arg(long, value_name = "NAME")]
    pub(crate) ea_last_success: Option<String>,
    /// Fetch each computer's compliance record too (one request per
    /// computer, at most 5 at a time).
    #[arg(long)]
    pub(crate) compliance: bool,
    #[arg(long = "tenant", value_name = "PATH", help = TENANT_HELP)]
    pub(crate) tenant: Vec<PathBuf>,
    /// Fetch Entra's device records from Microsoft Graph (with --tenant-id
    /// and --client-id) to follow each Mac's device chain.
    #[arg(long)]
    pub(crate) fetch: bool,
    /// Keep a dated snapshot in this folder and report what changed since
    /// the previous one, and the trend.
    #[arg(long, value_name = "DIR")]
    pub(crate) history: Option<PathBuf>,
    /// The clock ages are counted to and snapshots dated by, RFC 3339
    /// (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FleetFormat::Human)]
    pub(crate) format: FleetFormat,
    #[command(flatten)]
    /// Where Graph and Jamf Pro are, and who signs in.
    pub(crate) connect: ConnectArgs,
}

impl FleetArgs {
    /// The clock: `--now`, else the system's.
    pub(crate) fn clock(&self) -> Result<DateTime<FixedOffset>> {
        Ok(given_clock(self.now.as_deref())?.unwrap_or_else(system_clock))
    }

    /// What to fetch first: Jamf Pro's inventory without `--inventory`,
    /// Entra's devices with `--fetch`; `None` when nothing is. `now` is the
    /// run's clock.
    pub(crate) fn live(&self, now: DateTime<FixedOffset>) -> Result<Option<LiveFetch>> {
        let mut wanted = Vec::new();
        if self.fetch {
            wanted.push(TenantKind::Devices);
        }
        if self.inventory.is_empty() {
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
            .live_fetch(what, now, Selectors::default(), self.compliance)?;
        Ok(Some(fetch))
    }
}

/// `--fetch` on the commands that read the tenant's exports: what they
/// need, fetched first into a private temporary folder removed on exit.
#[derive(Args, Debug, Clone)]
pub(crate) struct LiveArgs {
    /// Fetch what the report needs from Microsoft Graph and the Jamf Pro
    /// API first (into a private temporary folder, removed on exit).
    #[arg(long)]
    pub(crate) fetch: bool,
    /// With --fetch: sign-ins of this long before now.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "7d",
        requires = "fetch"
    )]
    pub(crate) fetch_since: String,
    #[command(flatten)]
    /// Where Graph and Jamf Pro are, and who signs in.
    pub(crate) connect: ConnectArgs,
}

impl LiveArgs {
    /// The fetch of the `wanted` kinds there is a source for, about
    /// `selectors`, with its credentials, sign-ins of `--fetch-since`
    /// before `now` (the run's clock); `None` without `--fetch`.
    pub(crate) fn live(
        &self,
        wanted: &[TenantKind],
        selectors: Selectors,
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
        self.build(
            &TenantKind::FETCHABLE,
            Selectors::default(),
            start,
            !spinner,
        )
    }

    fn build(
        &self,
        wanted: &[TenantKind],
        selectors: Selectors,
        since: DateTime<FixedOffset>,
        progress: bool,
    ) -> Result<Option<LiveFetch>> {
        let what = self.connect.reachable(wanted)?;
        let live = self.connect.live_fetch(what, since, selectors, true)?;
        Ok(Some(LiveFetch { progress, ..live }))
    }
}

/// Output formats of `tick`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TickFormat {
    /// One line of what the tick did, then each user's EA value.
    Human,
    /// One JSON document.
    Json,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Diagnose a Mac and print the verdict, the evidence and next steps.
    Check(CheckArgs),
    /// Print one Jamf Pro extension-attribute result (always exits 0).
    #[command(after_long_help = ea_help())]
    Ea(EaArgs),
    /// Fold the log entries since the last tick into the saved state (run by launchd).
    Tick(TickArgs),
    /// Write a diagnostic bundle (zip) with the evidence, the verdict and the reports.
    Collect(CollectArgs),
    /// Analyse a bundle (zip or folder) or a plain `log show` export, on any OS.
    Analyze(AnalyzeArgs),
    /// Read Entra ID sign-in exports and say which failures are real.
    Signins(SigninsArgs),
    /// Audit Conditional Access policies for what breaks Jamf Connect.
    Policies(PoliciesArgs),
    /// Follow one device through the tenant's exports: which device Entra judged and where the chain breaks.
    Device(DeviceArgs),
    /// Fetch the tenant's evidence from Microsoft Graph and the Jamf Pro API into a folder that --tenant reads.
    Fetch(FetchArgs),
    /// Every Mac's status, cause and device chain from Jamf Pro's inventory, counted.
    Fleet(FleetArgs),
    /// Print the man page or shell completions (for packaging).
    #[command(hide = true)]
    Generate {
        /// What to print.
        #[arg(value_enum)]
        what: Generated,
        /// With `man-pages`: the folder the pages are written to
        /// (`ca-doctor.1`, and `ca-doctor-<command>.1` for each command).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Flags of `collect`.
#[derive(Args, Debug)]
pub(crate) struct CollectArgs {
    #[command(flatten)]
    /// What to analyse.
    pub(crate) analysis: AnalysisArgs,
    /// Where to write the bundle (`-` for standard output; default: a file
    /// named with host and time on the console user's Desktop).
    #[arg(long, short, value_name = "PATH")]
    pub(crate) output: Option<PathBuf>,
    /// Also turn e-mail addresses / UPNs and user names into pseudonyms.
    #[arg(long)]
    pub(crate) redact_pii: bool,
    /// Total size cap of the bundle, in MiB (uncompressed).
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub(crate) max_size: u64,
}

/// Flags of `analyze`.
#[derive(Args, Debug)]
pub(crate) struct AnalyzeArgs {
    /// A bundle (`.zip` or an unpacked folder), or a plain `log show` export
    /// (`-` reads standard input).
    #[arg(value_name = "PATH", allow_hyphen_values = true)]
    pub(crate) path: PathBuf,
    /// Analyse this user (default: the bundle's users).
    #[arg(long, value_name = "NAME")]
    pub(crate) user: Option<String>,
    /// The analysis clock, RFC 3339 (default: when the bundle was collected;
    /// for a plain log, its newest entry).
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
    /// How far back to analyse before `--now` (default: the bundle's window, or 5d).
    #[arg(long, value_name = "DURATION")]
    pub(crate) since: Option<String>,
    #[command(flatten)]
    /// The tenant's exports to join, and how to print the report.
    pub(crate) report: MacReportArgs,
}

/// What `check` and `analyze` join with a Mac's evidence, and how they
/// print its report.
#[derive(Args, Debug, Clone)]
pub(crate) struct MacReportArgs {
    #[command(flatten)]
    /// The tenant's exports to join.
    pub(crate) tenant: TenantArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Show every sample line and item, and whole lines (human and HTML).
    #[arg(long, short)]
    pub(crate) verbose: bool,
    #[command(flatten)]
    /// When to colour.
    pub(crate) color: ColorArgs,
}

/// The tenant's exports `check` and `analyze` join with a Mac's evidence.
#[derive(Args, Debug, Clone)]
pub(crate) struct TenantArgs {
    /// An Entra sign-in export to join with the Mac's failures (repeatable).
    #[arg(long = "signins", value_name = "FILE")]
    pub(crate) signins: Vec<PathBuf>,
    /// A Conditional Access policy export to audit for this Mac's Jamf
    /// Connect (a file or folder; repeatable).
    #[arg(long = "policies", value_name = "PATH")]
    pub(crate) policies: Vec<PathBuf>,
    #[arg(long = "tenant", value_name = "PATH", help = TENANT_HELP)]
    pub(crate) tenant: Vec<PathBuf>,
}

/// What `--tenant` takes, on every command that has it.
const TENANT_HELP: &str = "The tenant's exports, files or folders, each file's kind told from its content: Entra sign-ins, Conditional Access policies, Entra devices, Intune managed devices, Jamf Pro compliance information and computer inventory (repeatable)";

impl TenantArgs {
    /// The exports to join; fails naming a `--tenant` file that is no
    /// export.
    pub(crate) fn exports(&self) -> Result<TenantExports> {
        TenantExports::of(&self.signins, &self.policies, &self.tenant)
    }
}

/// The saved state of `tick` and `ea`.
#[derive(Args, Debug, Clone)]
pub(crate) struct StateArgs {
    /// The state file (default: <root>/Library/Application Support/ca-doctor/state.json).
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
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

/// Flags shared by every analysing command.
#[derive(Args, Debug, Clone)]
pub(crate) struct AnalysisArgs {
    /// Folder holding the Mac's files (a copy of `/`, or `/` itself).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub(crate) root: PathBuf,
    /// The macOS account to check (default: the console user).
    #[arg(long, value_name = "NAME", conflicts_with = "all_users")]
    pub(crate) user: Option<String>,
    /// Check every account that has the agent's preferences.
    #[arg(long)]
    pub(crate) all_users: bool,
    /// An exported `log show` file to analyse instead of the live log
    /// (repeatable; `-` reads stdin).
    #[arg(long = "log", value_name = "FILE")]
    pub(crate) logs: Vec<String>,
    /// The analysis clock, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
    /// How far back to analyse before `--now` (e.g. 5d, 36h, 90m).
    #[arg(long, value_name = "DURATION", default_value = "5d")]
    pub(crate) since: String,
    /// Time limit of the live `log show`, in seconds (default: check 300, ea 30, tick 600).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub(crate) log_timeout: Option<u64>,
}

/// Flags of `check`.
#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    /// What to analyse.
    pub(crate) analysis: AnalysisArgs,
    #[command(flatten)]
    /// The tenant's exports to join, and how to print the report.
    pub(crate) report: MacReportArgs,
    #[command(flatten)]
    /// `--fetch`: the tenant's evidence about this Mac, fetched first.
    pub(crate) live: LiveArgs,
}

/// Values `ea` can report.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EaField {
    /// The status and the IDs of the problems found.
    Status,
    /// The last successful sign-in, `YYYY-MM-DD hh:mm:ss` (empty when none).
    LastSuccess,
}

/// Flags of `ea`.
#[derive(Args, Debug)]
pub(crate) struct EaArgs {
    #[command(flatten)]
    /// What to analyse.
    pub(crate) analysis: AnalysisArgs,
    #[command(flatten)]
    /// The saved state.
    pub(crate) state: StateArgs,
    /// Which value to print.
    #[arg(long, value_enum, default_value_t = EaField::Status)]
    pub(crate) field: EaField,
    /// Answer from the saved state when it is younger than this.
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub(crate) max_state_age: String,
}

/// Flags of `tick`.
#[derive(Args, Debug)]
pub(crate) struct TickArgs {
    #[command(flatten)]
    /// What to analyse.
    pub(crate) analysis: AnalysisArgs,
    #[command(flatten)]
    /// The saved state.
    pub(crate) state: StateArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TickFormat::Human)]
    pub(crate) format: TickFormat,
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
        let (now, clock) = match given_clock(self.now.as_deref())? {
            Some(now) => (now, Clock::Given),
            None => self.clock_of_logs(),
        };
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
        let logs = if self.logs.is_empty() {
            LogPlan::Live {
                timeout: Duration::from_secs(seconds),
            }
        } else {
            LogPlan::Files(
                self.logs
                    .iter()
                    .map(|arg| LogSource::from_arg(arg))
                    .collect(),
            )
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
            live,
        })
    }

    /// The clock without `--now`: an exported log file's is its own (its
    /// newest entry), so that a file read days later is judged at its own
    /// time; the system's for the live log, standard input or files with
    /// no dated entry. A file that cannot be read is left to the read's own
    /// error.
    fn clock_of_logs(&self) -> (chrono::DateTime<chrono::FixedOffset>, Clock) {
        let local = system_clock();
        let files: Option<Vec<PathBuf>> = (!self.logs.is_empty())
            .then(|| {
                self.logs
                    .iter()
                    .map(|arg| match LogSource::from_arg(arg) {
                        LogSource::File(path) => Some(path),
                        LogSource::Stdin => None,
                    })
                    .collect()
            })
            .flatten();
        match files.map(|files| newest_entry(&files, local.timezone())) {
            Some(Ok(Some(newest))) => (newest, Clock::LastLogEntry),
            _ => (local, Clock::System),
        }
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

/// An app ID: a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`), kept as given.
fn parse_app_id(text: &str) -> anyhow::Result<String> {
    if text.len() == 36 && crate::util::guid::Guid::parse(text).is_some() {
        Ok(text.to_string())
    } else {
        Err(anyhow::anyhow!(
            "an app ID is a GUID such as c0ffee00-1111-4222-8333-444455556666 (the app registration's Application (client) ID)"
        ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_lists_every_exit_code() {
        let codes: Vec<&str> = crate::manual::EXIT_CODES
            .rows
            .iter()
            .map(|(code, _)| *code)
            .collect();
        let exits: Vec<String> = [Exit::Ok, Exit::InputError, Exit::Usage]
            .iter()
            .map(|exit| (*exit as u8).to_string())
            .collect();
        assert_eq!(codes, exits);
        let help = exit_codes_help();
        for exit in exits {
            assert!(help.contains(&format!("\n  {exit}  ")), "{help}");
        }
    }
}

//! The command line's shape: every subcommand's flags as clap declares
//! them, the exit codes and the help texts beside them. Values that can be
//! wrong (`--now`, `--since`, `--user`) are taken as text here and checked
//! where the flags become a request (`requests`), so that `ea` can turn
//! any mistake into a result instead of a usage error.

use super::connect::ConnectArgs;
use super::values::{parse_app_id, parse_device_id};
use crate::render::Format;
use crate::tenant::kind::TenantKind;
use crate::util::guid::Guid;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// The longest `--log-timeout`: a day, far beyond any real `log show`, and
/// small enough that every deadline computed from it fits.
pub(crate) const MAX_LOG_TIMEOUT: Duration = Duration::from_secs(86_400);

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
    /// 3: a fetch (`fetch`, `--fetch`) was asked for and nothing could be
    /// fetched (the cause is printed).
    NothingFetched = 3,
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

/// The questions `kql` writes a query for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KqlQuestion {
    /// Sign-ins of users, devices or apps (all of them without a filter).
    Signins,
    /// One device's sign-ins, and its users' (whichever device they presented).
    Device,
    /// The Macs' sign-ins summarised by device, app and result.
    Fleet,
}

/// Flags of `kql`.
#[derive(Args, Debug)]
pub(crate) struct KqlArgs {
    /// What the query asks.
    #[arg(value_enum)]
    pub(crate) question: KqlQuestion,
    /// Sign-ins of this user principal name (repeatable).
    #[arg(long = "upn", value_name = "UPN")]
    pub(crate) upns: Vec<String>,
    /// Sign-ins that presented this Entra device ID (repeatable).
    #[arg(long = "device-id", value_name = "GUID")]
    pub(crate) device_ids: Vec<String>,
    /// Sign-ins into this app ID (repeatable).
    #[arg(long = "app-id", value_name = "GUID")]
    pub(crate) app_ids: Vec<String>,
    /// How far back (e.g. 7d, 36h).
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    pub(crate) since: String,
    /// The end of the span (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub(crate) now: Option<String>,
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
    /// folders; repeatable). Without it, the inventory pages in --tenant
    /// are read, else the inventory is fetched with --jamf-url.
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
    /// Print the KQL that asks Log Analytics (or Microsoft Sentinel) for the sign-ins a question needs.
    Kql(KqlArgs),
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

/// The saved state of `tick` and `ea`.
#[derive(Args, Debug, Clone)]
pub(crate) struct StateArgs {
    /// The state file (default: <root>/Library/Application Support/ca-doctor/state.json).
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
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
        let exits: Vec<String> = [
            Exit::Ok,
            Exit::InputError,
            Exit::Usage,
            Exit::NothingFetched,
        ]
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

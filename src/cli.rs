//! Command-line definitions. Values that can be wrong (`--now`, `--since`,
//! `--user`) are taken as text and checked by [`AnalysisArgs::request`], so
//! that `ea` can turn any mistake into a result instead of a usage error.

use crate::analysis::{LogSource, Request};
use crate::sources::SystemPaths;
use crate::sources::user::UserName;
use crate::timeutil::{parse_duration, parse_now};
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Why a Mac's Jamf Conditional Access / Device Compliance registration with
/// Microsoft Entra ID is failing, and what to do about it.
#[derive(Parser, Debug)]
#[command(name = "ca-doctor", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Diagnose a Mac and print the verdict, the evidence and next steps.
    Check(CheckArgs),
    /// Print one Jamf Pro extension-attribute result (always exits 0).
    Ea(EaArgs),
}

/// Flags shared by every analysing command.
#[derive(Args, Debug, Clone)]
pub struct AnalysisArgs {
    /// Folder holding the Mac's files (a copy of `/`, or `/` itself).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// The macOS account whose registration is checked.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// An exported `log show` file to analyse (repeatable; `-` reads stdin).
    #[arg(long = "log", value_name = "FILE")]
    pub logs: Vec<String>,
    /// The analysis clock, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// How far back to analyse before `--now` (e.g. 5d, 36h, 90m).
    #[arg(long, value_name = "DURATION", default_value = "5d")]
    pub since: String,
}

/// Output formats of `check`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A report for a person.
    Human,
    /// One JSON document.
    Json,
}

/// Flags of `check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    /// What to analyse.
    pub analysis: AnalysisArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Values `ea` can report.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EaField {
    /// The status and the IDs of the problems found.
    Status,
    /// The last successful sign-in, `YYYY-MM-DD hh:mm:ss` (empty when none).
    LastSuccess,
}

/// Flags of `ea`.
#[derive(Args, Debug)]
pub struct EaArgs {
    #[command(flatten)]
    /// What to analyse.
    pub analysis: AnalysisArgs,
    /// Which value to print.
    #[arg(long, value_enum, default_value_t = EaField::Status)]
    pub field: EaField,
}

/// A bad command-line value: exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

impl AnalysisArgs {
    /// Checks the flags and builds the analysis request.
    pub fn request(&self) -> Result<Request> {
        let usage = |e: anyhow::Error| anyhow::Error::new(UsageError(format!("{e:#}")));
        let Some(user) = self.user.as_deref() else {
            bail!(UsageError(
                "--user is required: name the macOS account to check".into()
            ));
        };
        let user = UserName::parse(user).context("--user").map_err(usage)?;
        let now = match &self.now {
            Some(text) => parse_now(text).context("--now").map_err(usage)?,
            None => chrono::Local::now().fixed_offset(),
        };
        let since = parse_duration(&self.since)
            .context("--since")
            .map_err(usage)?;
        if now.checked_sub_signed(since).is_none() {
            bail!(UsageError(
                "--since: reaches before the start of time".into()
            ));
        }
        Ok(Request {
            paths: SystemPaths::new(&self.root),
            user,
            logs: self
                .logs
                .iter()
                .map(|arg| LogSource::from_arg(arg))
                .collect(),
            now,
            since,
        })
    }
}

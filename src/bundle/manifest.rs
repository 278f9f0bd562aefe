//! `manifest.json`: what a bundle holds, how it was made, what failed and
//! what was redacted.

use crate::bundle::redact::RedactionCounts;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// The `format` field of a manifest.
pub(crate) const BUNDLE_FORMAT: &str = "ca-doctor/bundle";
/// The `format_version` field.
pub(crate) const BUNDLE_VERSION: u32 = 1;

/// Facts about the host, from sysinfo.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct HostFacts {
    /// Host name (a pseudonym when personal data is redacted).
    pub(crate) host_name: Option<String>,
    /// OS name and version, e.g. `macOS 15.1 Sequoia`.
    pub(crate) os: Option<String>,
    /// OS version number.
    pub(crate) os_version: Option<String>,
    /// Kernel version.
    pub(crate) kernel: Option<String>,
    /// The computer name (System Settings > General > Sharing), as Jamf
    /// Pro and Entra ID name the Mac (a pseudonym when personal data is
    /// redacted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) computer_name: Option<String>,
    /// Hardware model, e.g. `MacBookPro18,3`.
    pub(crate) model: Option<String>,
    /// CPU architecture.
    pub(crate) architecture: String,
    /// Seconds since boot.
    pub(crate) uptime_seconds: Option<u64>,
}

impl HostFacts {
    /// Reads the host facts of this machine.
    pub(crate) fn read() -> Self {
        HostFacts {
            host_name: sysinfo::System::host_name().ok(),
            computer_name: None,
            os: sysinfo::System::long_os_version().ok(),
            os_version: sysinfo::System::os_version().ok(),
            kernel: sysinfo::System::kernel_version().ok(),
            model: sysinfo::Product::name().ok(),
            architecture: sysinfo::System::cpu_arch(),
            uptime_seconds: sysinfo::System::uptime().ok(),
        }
    }
}

/// How one item of the bundle went.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ItemStatus {
    /// Collected whole.
    Collected,
    /// Collected, but cut (size cap); see the note.
    Truncated,
    /// Not there (often normal).
    Missing,
    /// There, but it could not be read or run; see the note.
    Failed,
    /// Left out (total size cap reached, or another user's files in a
    /// bundle a user is handed); see the note.
    Skipped,
}

/// One item of the bundle.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Item {
    /// Entry name in the bundle (empty when nothing was written).
    pub(crate) entry: String,
    /// Where it came from (a path or a command line).
    pub(crate) source: String,
    /// How it went.
    pub(crate) status: ItemStatus,
    /// Bytes written to the bundle (uncompressed).
    pub(crate) bytes: u64,
    /// Why it failed or was cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
}

/// Redaction summary.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct RedactionSummary {
    /// Secrets are always scrubbed.
    pub(crate) secrets: bool,
    /// Whether e-mail addresses and user names became pseudonyms.
    pub(crate) personal_data: bool,
    /// How many of each kind were replaced.
    pub(crate) counts: std::collections::BTreeMap<String, u64>,
}

impl From<(&RedactionCounts, bool)> for RedactionSummary {
    fn from((counts, personal_data): (&RedactionCounts, bool)) -> Self {
        RedactionSummary {
            secrets: true,
            personal_data,
            counts: counts.by_kind.clone(),
        }
    }
}

/// The manifest.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Always [`BUNDLE_FORMAT`].
    pub(crate) format: String,
    /// Always [`BUNDLE_VERSION`].
    pub(crate) format_version: u32,
    /// The ca-doctor version that made it.
    pub(crate) tool_version: String,
    /// The analysis clock of the collection (`analyze` uses it by default).
    pub(crate) created_at: DateTime<FixedOffset>,
    /// The window length, in seconds.
    pub(crate) since_seconds: i64,
    /// The command line (arguments after the program name).
    pub(crate) command_line: Vec<String>,
    /// Host facts.
    pub(crate) host: HostFacts,
    /// The users analysed (pseudonyms when personal data is redacted).
    pub(crate) users: Vec<String>,
    /// Log entries of the bundle, in the order they were read.
    pub(crate) logs: Vec<String>,
    /// Every item, collected or not.
    pub(crate) items: Vec<Item>,
    /// What was redacted.
    pub(crate) redaction: RedactionSummary,
    /// The total size cap, in bytes (uncompressed).
    pub(crate) size_cap_bytes: u64,
    /// Whether anything was cut or left out for the cap.
    pub(crate) truncated: bool,
}

//! `manifest.json`: what a bundle holds, how it was made, what failed and
//! what was redacted.

use crate::redact::RedactionCounts;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// The `format` field of a manifest.
pub const BUNDLE_FORMAT: &str = "ca-doctor/bundle";
/// The `format_version` field.
pub const BUNDLE_VERSION: u32 = 1;

/// Facts about the host, from sysinfo.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HostFacts {
    /// Host name (a pseudonym when personal data is redacted).
    pub host_name: Option<String>,
    /// OS name and version, e.g. `macOS 15.1 Sequoia`.
    pub os: Option<String>,
    /// OS version number.
    pub os_version: Option<String>,
    /// Kernel version.
    pub kernel: Option<String>,
    /// Hardware model, e.g. `MacBookPro18,3`.
    pub model: Option<String>,
    /// CPU architecture.
    pub architecture: String,
    /// Seconds since boot.
    pub uptime_seconds: Option<u64>,
}

impl HostFacts {
    /// Reads the host facts of this machine.
    pub fn read() -> Self {
        HostFacts {
            host_name: sysinfo::System::host_name().ok(),
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
pub enum ItemStatus {
    /// Collected whole.
    Collected,
    /// Collected, but cut (size cap); see the note.
    Truncated,
    /// Not there (often normal).
    Missing,
    /// There, but it could not be read or run; see the note.
    Failed,
    /// Left out (total size cap reached).
    Skipped,
}

/// One item of the bundle.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Item {
    /// Entry name in the bundle (empty when nothing was written).
    pub entry: String,
    /// Where it came from (a path or a command line).
    pub source: String,
    /// How it went.
    pub status: ItemStatus,
    /// Bytes written to the bundle (uncompressed).
    pub bytes: u64,
    /// Why it failed or was cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Redaction summary.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RedactionSummary {
    /// Secrets are always scrubbed.
    pub secrets: bool,
    /// Whether e-mail addresses and user names became pseudonyms.
    pub personal_data: bool,
    /// How many of each kind were replaced.
    pub counts: std::collections::BTreeMap<String, u64>,
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
pub struct Manifest {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    /// Always [`BUNDLE_VERSION`].
    pub format_version: u32,
    /// The ca-doctor version that made it.
    pub tool_version: String,
    /// The analysis clock of the collection (`analyze` uses it by default).
    pub created_at: DateTime<FixedOffset>,
    /// The window length, in seconds.
    pub since_seconds: i64,
    /// The command line (arguments after the program name).
    pub command_line: Vec<String>,
    /// Host facts.
    pub host: HostFacts,
    /// The users analysed (pseudonyms when personal data is redacted).
    pub users: Vec<String>,
    /// Log entries of the bundle, in the order they were read.
    pub logs: Vec<String>,
    /// Every item, collected or not.
    pub items: Vec<Item>,
    /// What was redacted.
    pub redaction: RedactionSummary,
    /// The total size cap, in bytes (uncompressed).
    pub size_cap_bytes: u64,
    /// Whether anything was cut or left out for the cap.
    pub truncated: bool,
}

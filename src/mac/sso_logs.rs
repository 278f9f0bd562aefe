//! Microsoft's own log files in an account's home: the Enterprise SSO
//! extension's (`~/Library/Containers/com.microsoft.CompanyPortalMac.ssoextension/…/SSOExtension/*.log`)
//! and Company Portal's (`~/Library/Logs/Company Portal/*.log`). The
//! failures of Device Compliance show up there rather than in the unified
//! log. Each file is reached without following a link and owned by the
//! account or root, streamed through the log scanner (the signature table
//! finds its candidates), its entries attributed to the account.

use super::accounts::Account;
use super::log::details::Detail;
use super::log::file_style::{MicrosoftVersions, parse_header};
use super::log::{Event, ScanMode, ScanOptions, SignatureId, SignatureSet, scan};
use super::paths::SystemPaths;
use crate::inputs::{InputRecord, InputState};
use crate::util::files::{OnBehalfOf, folder_without_links, open_owned};
use crate::util::guid::Guid;
use crate::util::text::count;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Which of Microsoft's log files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum FileLogKind {
    /// The Enterprise SSO extension (broker, Workplace Join, Platform SSO).
    SsoExtension,
    /// Company Portal (its Workplace Join SDK).
    CompanyPortal,
}

/// One kind of log file: where it lives in a home and how it is named.
#[derive(Debug)]
pub(crate) struct FileLog {
    /// Which it is.
    pub(crate) kind: FileLogKind,
    /// Its folder, relative to the home folder.
    pub(crate) folder: &'static str,
    /// The process its entries are attributed to.
    pub(crate) process: &'static str,
    /// How it is named in the input list.
    pub(crate) what: &'static str,
    /// Its folder in a bundle (then the account's folder).
    pub(crate) bundle_dir: &'static str,
}

/// The log files read, per account.
pub(crate) const FILE_LOGS: [FileLog; 2] = [
    FileLog {
        kind: FileLogKind::SsoExtension,
        folder: "Library/Containers/com.microsoft.CompanyPortalMac.ssoextension/Data/Library/Caches/Logs/Microsoft/SSOExtension",
        process: "SSO extension",
        what: "SSO extension log",
        bundle_dir: "logs/sso-extension",
    },
    FileLog {
        kind: FileLogKind::CompanyPortal,
        folder: "Library/Logs/Company Portal",
        process: "Company Portal",
        what: "Company Portal log",
        bundle_dir: "logs/company-portal",
    },
];

/// At most this many files of a folder are read, newest first (the
/// extension starts a new file each session).
const MAX_FILES: usize = 16;
/// How much of a file's end is read for the versions it names.
const VERSION_TAIL: u64 = 64 << 10;

/// The device ID the SSO extension last named, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct LoggedDevice {
    /// The device ID.
    pub(crate) device_id: Guid,
    /// When the line was logged.
    pub(crate) time: DateTime<FixedOffset>,
}

/// What the account's Microsoft log files say besides their signatures.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct FileLogFacts {
    /// Files read.
    pub(crate) files: u64,
    /// Entries framed in them.
    pub(crate) entries: u64,
    /// Bytes read.
    pub(crate) bytes: u64,
    /// The SSO extension's versions, from the newest file's last lines.
    pub(crate) sso_extension: Option<MicrosoftVersions>,
    /// Company Portal's version, likewise.
    pub(crate) company_portal: Option<String>,
    /// The device the SSO extension last named in the window, unless a
    /// later line says the tenant has no registration.
    pub(crate) device: Option<LoggedDevice>,
    /// The newest line in the window says Platform SSO is not enabled for
    /// the registration (`WPJPlatformSSONotEnabled`).
    pub(crate) platform_sso_not_enabled: bool,
}

impl FileLogFacts {
    /// Whether any file was read.
    pub(crate) fn any(&self) -> bool {
        self.files > 0
    }
}

/// The time span whose entries count, and the offset of times written
/// without one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    /// The window's start.
    pub(crate) start: DateTime<FixedOffset>,
    /// The window's end (the analysis clock).
    pub(crate) end: DateTime<FixedOffset>,
}

impl Span {
    fn contains(&self, time: DateTime<FixedOffset>) -> bool {
        time > self.start && time <= self.end
    }
}

/// Reads `account`'s Microsoft log files, handing every candidate entry
/// (attributed to the account and its process) to `on_event`; each file
/// looked at is recorded in `inputs`.
pub(crate) fn read(
    paths: &SystemPaths,
    account: &Account,
    span: Span,
    inputs: &mut Vec<InputRecord>,
    mut on_event: impl FnMut(Event),
) -> FileLogFacts {
    let mut facts = FileLogFacts::default();
    let mut device: Option<LoggedDevice> = None;
    let mut unregistered: Option<DateTime<FixedOffset>> = None;
    let mut psso_state: Option<(DateTime<FixedOffset>, bool)> = None;
    let options = ScanOptions {
        local_offset: span.end.timezone(),
        mode: ScanMode::Candidates,
    };
    for log in &FILE_LOGS {
        let folder = paths.mac_path(&account.home).join(log.folder);
        let files = match log_files(&folder, span.start) {
            Ok(files) => files,
            Err(reason) => {
                inputs.push(InputRecord {
                    what: log.what.to_string(),
                    path: folder.display().to_string(),
                    state: InputState::Unreadable,
                    reason: Some(reason),
                });
                continue;
            }
        };
        let (mut read_files, mut read_entries) = (0u64, 0u64);
        for (index, path) in files.iter().enumerate() {
            let shown = path.display().to_string();
            let opened = open_owned(path, OnBehalfOf::User(account.uid));
            let file = match opened {
                Ok(Some(file)) => file,
                Ok(None) => continue,
                Err(error) => {
                    inputs.push(unreadable(log, shown, format!("{error:#}")));
                    continue;
                }
            };
            let tail = read_tail(&file, index == 0, log.kind, &mut facts);
            // Lines without the UTC time are in the file's zone, as its
            // other lines tell it.
            let options = ScanOptions {
                local_offset: tail.unwrap_or(options.local_offset),
                ..options
            };
            let scanned = scan(&file, &options, |mut event| {
                event.account = Some(account.name.as_str().to_string());
                event.process = log.process.to_string();
                if let Some(time) = event.time.filter(|t| span.contains(*t)) {
                    let signatures = event.signatures;
                    if signatures.contains(SignatureId::DeviceIdLogged)
                        && let Some(id) = Detail::DeviceId
                            .extract(&event.message)
                            .and_then(|text| Guid::parse(&text))
                        && device.as_ref().is_none_or(|d| d.time <= time)
                    {
                        device = Some(LoggedDevice {
                            device_id: id,
                            time,
                        });
                    }
                    if signatures.contains(SignatureId::DeviceNotRegisteredInTenant) {
                        unregistered = Some(unregistered.map_or(time, |u| u.max(time)));
                    }
                    if signatures.contains(SignatureId::PlatformSsoNotEnabled)
                        && psso_state.is_none_or(|(t, _)| t <= time)
                    {
                        psso_state = Some((time, true));
                    }
                }
                // The device ID is the reader's fact, not evidence of a problem.
                let mut only_device = SignatureSet::default();
                only_device.insert(SignatureId::DeviceIdLogged);
                if event.signatures != only_device {
                    on_event(event);
                }
            });
            match scanned {
                Ok(summary) => {
                    read_files += 1;
                    read_entries += summary.entries;
                    facts.bytes += summary.bytes;
                }
                Err(error) => inputs.push(unreadable(log, shown, format!("read failed: {error}"))),
            }
        }
        // One record a folder: file names are the extension's own, and
        // may carry what a report should not.
        if read_files > 0 {
            inputs.push(InputRecord {
                what: log.what.to_string(),
                path: folder.display().to_string(),
                state: InputState::Read,
                reason: Some(format!(
                    "{}, {}",
                    count(read_files, "file", "files"),
                    count(read_entries, "entry", "entries")
                )),
            });
        }
        facts.files += read_files;
        facts.entries += read_entries;
    }
    facts.device = device.filter(|d| unregistered.is_none_or(|u| d.time > u));
    facts.platform_sso_not_enabled = psso_state.is_some_and(|(_, not_enabled)| not_enabled);
    facts
}

fn unreadable(log: &FileLog, path: String, reason: String) -> InputRecord {
    InputRecord {
        what: log.what.to_string(),
        path,
        state: InputState::Unreadable,
        reason: Some(reason),
    }
}

/// The `*.log` files of `folder` modified after `since`, newest first, at
/// most [`MAX_FILES`]; none when the folder is not there. The folder is
/// reached without following a link; each file is opened the same way.
fn log_files(folder: &Path, since: DateTime<FixedOffset>) -> Result<Vec<PathBuf>, String> {
    match folder_without_links(folder) {
        Ok(true) => {}
        Ok(false) => return Ok(Vec::new()),
        Err(reason) => return Err(format!("{reason:#}")),
    }
    let entries = std::fs::read_dir(folder).map_err(|e| format!("cannot list: {e}"))?;
    let since = std::time::SystemTime::from(since);
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".log"))
        .filter_map(|entry| {
            let metadata = entry.metadata().ok().filter(|m| m.is_file())?;
            let modified = metadata
                .modified()
                .unwrap_or(std::time::SystemTime::UNIX_EPOCH);
            (modified >= since).then(|| (modified, entry.path()))
        })
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
    files.truncate(MAX_FILES);
    Ok(files.into_iter().map(|(_, path)| path).collect())
}

/// Reads the end of `file` (then rewinds it): the zone its lines are
/// written in, and with `versions`, the versions they name into `facts`.
fn read_tail(
    mut file: &std::fs::File,
    versions: bool,
    kind: FileLogKind,
    facts: &mut FileLogFacts,
) -> Option<FixedOffset> {
    let mut tail = Vec::new();
    let read = (|| -> std::io::Result<()> {
        let length = file.metadata()?.len();
        file.seek(SeekFrom::Start(length.saturating_sub(VERSION_TAIL)))?;
        file.take(VERSION_TAIL).read_to_end(&mut tail)?;
        Ok(())
    })();
    let rewound = file.seek(SeekFrom::Start(0));
    if read.is_err() || rewound.is_err() {
        return None;
    }
    let text = String::from_utf8_lossy(&tail);
    let utc = FixedOffset::east_opt(0)?;
    let mut found = MicrosoftVersions::default();
    let mut zone = None;
    for line in text.lines().rev().take(2000) {
        let Some(header) = parse_header(line, utc) else {
            continue;
        };
        found.fill_from(&header.versions);
        if zone.is_none() && !header.event.local_time {
            zone = header.event.time.map(|t| t.timezone());
        }
        let complete = match kind {
            FileLogKind::SsoExtension => found.broker.is_some() && found.msal.is_some(),
            FileLogKind::CompanyPortal => found.component.is_some(),
        };
        if complete && (zone.is_some() || kind == FileLogKind::CompanyPortal) {
            break;
        }
    }
    if versions {
        match kind {
            FileLogKind::SsoExtension if !found.is_empty() => facts
                .sso_extension
                .get_or_insert_default()
                .fill_from(&found),
            FileLogKind::CompanyPortal if facts.company_portal.is_none() => {
                facts.company_portal = found.component;
            }
            _ => {}
        }
    }
    zone
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mac::accounts::ChosenBy;
    use crate::mac::user::UserName;

    fn account(name: &str) -> Account {
        Account::assumed(UserName::parse(name).unwrap(), ChosenBy::Flag, "test")
    }

    fn span() -> Span {
        Span {
            start: DateTime::parse_from_rfc3339("2025-12-01T00:00:00Z").unwrap(),
            end: DateTime::parse_from_rfc3339("2025-12-03T00:00:00Z").unwrap(),
        }
    }

    fn write(root: &Path, user: &str, log: &FileLog, name: &str, text: &str) -> PathBuf {
        let folder = root.join("Users").join(user).join(log.folder);
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// What `user`'s files under `root` say, their inputs and lines aside.
    fn facts_of(root: &Path, user: &str) -> FileLogFacts {
        read(
            &SystemPaths::new(root),
            &account(user),
            span(),
            &mut Vec::new(),
            |_| {},
        )
    }

    const LINES: &str = "2025-12-02 14:33:30:100 | I | ADB v3.12.5/WPJ v3.11.0 | TID=91 MSAL 1.5.2 Mac 15.3.1 [2025-12-02 13:33:30] Beginning authorization request\n\
2025-12-02 14:33:31:100 | I | ADB v3.12.5/WPJ v3.11.0 | TID=91 MSAL 1.5.2 Mac 15.3.1 [2025-12-02 13:33:31 - 45418AF5-0901-4D2F-8C7D-E7C5838A977E] [MSAL] Passing device header in browser SSO for device id 43cfaf69-0f94-4d2e-a815-c103226c4c04\n\
2025-12-02 14:33:33:120 | I | ADB v3.12.5/WPJ v3.11.0 | INFO: [2025-12-02 13:33:33][+WPJCryptoUtil getExtensionFromCertData:651] returning guid 43CFAF69-0F94-4D2E-A815-C103226C4C04\n\
2025-12-02 14:33:34:000 | E | ADB v3.12.5/WPJ v3.11.0 | TID=91 MSAL 1.5.2 Mac 15.3.1 [2025-12-02 13:33:34] Platform SSO Registration status - WPJPlatformSSONotEnabled\n";

    #[test]
    fn entries_belong_to_the_account_and_name_its_device_and_versions() {
        let root = tempfile::tempdir().unwrap();
        write(
            root.path(),
            "alice",
            &FILE_LOGS[0],
            "SSOExtension 2025-12-02.log",
            LINES,
        );
        write(
            root.path(),
            "alice",
            &FILE_LOGS[1],
            "com.microsoft.CompanyPortalMac 2025-12-02.log",
            "2025-12-02 10:11:12:013 | workplaceJoinSdk | 812 | v5.2411.0 | ERROR: AccountNotOnboarded\n",
        );
        let paths = SystemPaths::new(root.path());
        let mut inputs = Vec::new();
        let mut events = Vec::new();
        let facts = read(&paths, &account("alice"), span(), &mut inputs, |e| {
            events.push(e)
        });
        assert_eq!(facts.files, 2);
        assert_eq!(facts.entries, 5);
        let device = facts.device.unwrap();
        assert_eq!(
            device.device_id.to_string(),
            "43cfaf69-0f94-4d2e-a815-c103226c4c04"
        );
        assert_eq!(device.time.to_rfc3339(), "2025-12-02T14:33:33.120+01:00");
        assert!(facts.platform_sso_not_enabled);
        let versions = facts.sso_extension.unwrap();
        assert_eq!(versions.broker.as_deref(), Some("3.12.5"));
        assert_eq!(versions.workplace_join.as_deref(), Some("3.11.0"));
        assert_eq!(versions.msal.as_deref(), Some("1.5.2"));
        assert_eq!(facts.company_portal.as_deref(), Some("5.2411.0"));
        assert!(events.iter().all(|e| e.account.as_deref() == Some("alice")));
        let onboarding = events
            .iter()
            .find(|e| e.signatures.contains(SignatureId::AccountNotOnboarded))
            .unwrap();
        assert_eq!(onboarding.process, "Company Portal");
        assert_eq!(inputs.len(), 2);
        assert!(inputs.iter().all(|i| i.state == InputState::Read));
    }

    #[test]
    fn a_later_missing_registration_outweighs_the_device_named() {
        let root = tempfile::tempdir().unwrap();
        let text = format!(
            "{LINES}2025-12-02 15:00:00:000 | E | ADB v3.12.5/WPJ v3.11.0 | TID=91 MSAL 1.5.2 Mac 15.3.1 [2025-12-02 14:00:00] [errorCode:-400] no registration exists for tenant\n"
        );
        write(
            root.path(),
            "alice",
            &FILE_LOGS[0],
            "SSOExtension a.log",
            &text,
        );
        let facts = facts_of(root.path(), "alice");
        assert_eq!(facts.device, None);
    }

    #[test]
    fn lines_outside_the_window_name_no_device() {
        let root = tempfile::tempdir().unwrap();
        write(
            root.path(),
            "alice",
            &FILE_LOGS[0],
            "old.log",
            &LINES.replace("2025-12-02", "2025-11-02"),
        );
        let facts = facts_of(root.path(), "alice");
        assert_eq!(facts.files, 1);
        assert_eq!(facts.device, None);
        assert!(!facts.platform_sso_not_enabled);
    }

    /// A symlink as an unprivileged user plants it (owned by uid 501 when
    /// the tests run as root, whose own links are followed).
    #[cfg(unix)]
    fn user_link(target: &Path, link: &Path) {
        std::os::unix::fs::symlink(target, link).unwrap();
        // SAFETY: geteuid(2) has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            std::os::unix::fs::lchown(link, Some(501), Some(20)).unwrap();
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let secret = root.path().join("secret.log");
        std::fs::write(&secret, LINES).unwrap();
        let folder = root.path().join("Users/alice").join(FILE_LOGS[0].folder);
        std::fs::create_dir_all(&folder).unwrap();
        user_link(&secret, &folder.join("SSOExtension x.log"));
        // A linked folder is refused as a whole.
        let cp = root.path().join("Users/alice").join(FILE_LOGS[1].folder);
        std::fs::create_dir_all(cp.parent().unwrap()).unwrap();
        user_link(root.path(), &cp);
        let mut inputs = Vec::new();
        let mut events = 0;
        let facts = read(
            &SystemPaths::new(root.path()),
            &account("alice"),
            span(),
            &mut inputs,
            |_| events += 1,
        );
        assert_eq!(facts.files, 0);
        assert_eq!(events, 0);
        assert_eq!(inputs.len(), 1, "{inputs:?}");
        assert_eq!(inputs[0].state, InputState::Unreadable);
        assert_eq!(inputs[0].what, "Company Portal log");
    }

    #[test]
    fn no_folders_no_inputs() {
        let root = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        let facts = read(
            &SystemPaths::new(root.path()),
            &account("bob"),
            span(),
            &mut inputs,
            |_| {},
        );
        assert!(!facts.any());
        assert!(inputs.is_empty());
    }
}

//! `ca-doctor collect`: what goes into a bundle. The log streams into the
//! archive as it is analysed, never buffered whole; then the verdicts, the
//! preferences and system files, other logs, registration evidence, the
//! reports and, last, the manifest. Every item is collected on its own: a
//! missing file or a failing command is recorded, never fatal.

use super::archive::{Archive, LogCopy, matching_files};
use super::entries;
use super::manifest::ItemStatus;
use super::manifest::{BUNDLE_FORMAT, BUNDLE_VERSION, HostFacts, Manifest, RedactionSummary};
use super::output;
use super::redact::Redactor;
use crate::evidence::facts::LogTotals;
use crate::evidence::store::EvidenceStore;
use crate::mac::accounts::{Account, UserSelection};
use crate::mac::jamf_connect;
use crate::mac::registration::{CheckKind, platform_sso};
use crate::mac::sso_logs::FILE_LOGS;
use crate::pipeline::request::{LogPlan, Request};
use crate::pipeline::{logs::read_logs, report};
use crate::render::{Format, Printable, render_file};
use crate::report::Report;
use crate::util::files::OnBehalfOf;
use anyhow::{Context, Result, bail};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use zip::ZipWriter;

/// Where the bundle goes.
#[derive(Clone, Debug)]
pub(crate) enum Destination {
    /// `<console user's home>/Desktop/ca-doctor-<host>-<time>.zip`.
    Desktop,
    /// A path named with `--output`.
    Path(PathBuf),
    /// A folder named with `--output`: the bundle goes inside it, named
    /// as on the Desktop.
    Folder(PathBuf),
    /// Standard output (`--output -`).
    Stdout,
}

/// What to collect.
pub(crate) struct CollectOptions {
    /// What to analyse (users, log, clock, window).
    pub(crate) request: Request,
    /// Where the bundle goes.
    pub(crate) destination: Destination,
    /// Turn e-mail addresses and user names into pseudonyms.
    pub(crate) redact_personal_data: bool,
    /// Total size cap (uncompressed bytes).
    pub(crate) size_cap: u64,
    /// Show progress on standard error.
    pub(crate) progress: bool,
    /// The command line, for the manifest.
    pub(crate) command_line: Vec<String>,
}

/// What `collect` produced.
pub(crate) struct Collected {
    /// The bundle's path (none for standard output).
    pub(crate) path: Option<PathBuf>,
    /// The verdicts.
    pub(crate) report: Report,
}

/// The accounts of a bundle: the analysed ones, whose files go in, and
/// whose are left out.
struct Accounts {
    analysed: Vec<Account>,
    /// The accounts whose own files are copied: the analysed ones (with
    /// `--all-users`, everyone with the agent's preferences), and only the
    /// owner's when the bundle lands in a user's folder.
    collected: Vec<Account>,
    /// Accounts whose files were left out, and why.
    left_out: Vec<(String, String)>,
}

/// Whose folder the bundle lands in, when it is a user's: the Desktop's
/// owner, or the account whose home folder (or `/Users/<name>`) holds the
/// `--output` path. `None` for standard output and folders of no user.
fn handed_to(
    destination: &Destination,
    analysed: &[Account],
    everyone: &[&Account],
    request: &Request,
) -> Option<String> {
    let path = match destination {
        Destination::Stdout => return None,
        Destination::Desktop => return analysed.first().map(|a| a.name.to_string()),
        Destination::Path(path) => path,
        Destination::Folder(folder) => &folder.join("bundle.zip"),
    };
    let absolute = std::path::absolute(path).ok()?;
    let folder = absolute
        .parent()
        .and_then(|parent| parent.canonicalize().ok())
        .unwrap_or_else(|| absolute.clone());
    for account in everyone {
        let home = request.paths.mac_path(&account.home);
        let home = home.canonicalize().unwrap_or(home);
        if folder.starts_with(&home) {
            return Some(account.name.to_string());
        }
    }
    let mut parts = folder.strip_prefix("/Users").ok()?.components();
    match parts.next() {
        Some(std::path::Component::Normal(name)) if name != "Shared" => {
            Some(name.to_string_lossy().into_owned())
        }
        _ => None,
    }
}

/// Runs `collect`.
pub(crate) fn collect(options: &CollectOptions) -> Result<Collected> {
    let request = &options.request;
    let directory = request.directory();
    let analysed = directory.resolve(&request.users)?;
    let with_prefs = match request.users {
        UserSelection::All => analysed.clone(),
        _ => directory.resolve(&UserSelection::All).unwrap_or_default(),
    };
    // Each account once: the analysed users are among those with
    // preferences.
    let mut everyone: Vec<_> = analysed.iter().chain(with_prefs.iter()).collect();
    everyone.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
    everyone.dedup_by(|a, b| a.name.as_str() == b.name.as_str());
    let mut named: Vec<Account> = analysed.clone();
    if matches!(request.users, UserSelection::All) {
        for account in &with_prefs {
            if !named.iter().any(|a| a.name == account.name) {
                named.push(account.clone());
            }
        }
    }
    let owner = handed_to(&options.destination, &analysed, &everyone, request);
    let (collected, left_out): (Vec<Account>, Vec<Account>) = named
        .into_iter()
        .partition(|account| owner.as_deref().is_none_or(|o| o == account.name.as_str()));
    let left_out = left_out
        .into_iter()
        .map(|account| {
            let why = format!(
                "the bundle is in {}'s folder: another user's files go only into a bundle written outside the users' folders (--output)",
                owner.as_deref().unwrap_or("a user")
            );
            (account.name.to_string(), why)
        })
        .collect();
    let mut known: Vec<String> = everyone
        .iter()
        .map(|account| account.name.to_string())
        .collect();
    known.extend(users_folder_names(request));
    // The names Jamf Connect shows for them are theirs too.
    known.extend(
        everyone
            .iter()
            .filter_map(|account| {
                jamf_connect::read(
                    &request.paths,
                    account.name.as_str(),
                    &account.home,
                    &mut Vec::new(),
                )
            })
            .filter_map(|config| config.display_name),
    );
    known.sort();
    known.dedup();
    let accounts = Accounts {
        analysed,
        collected,
        left_out,
    };
    let mut redactor = Redactor::new(options.redact_personal_data, &known);
    let mut host = HostFacts::read();
    host.computer_name = crate::mac::prefs::read_computer_name(&request.paths);

    let made = match &options.destination {
        Destination::Stdout => {
            let zip = ZipWriter::new_stream(std::io::stdout().lock());
            let report = write_bundle(zip, options, &accounts, &mut redactor, host)?;
            return Ok(Collected { path: None, report });
        }
        Destination::Path(path) => output::create_exclusive(path, None)
            .with_context(|| format!("--output {}", path.display()))?,
        Destination::Folder(folder) => {
            numbered_file(folder, &bundle_stem(&host, request), |name| {
                output::create_exclusive(&folder.join(name), None)
            })
            .with_context(|| format!("--output {}", folder.display()))?
        }
        Destination::Desktop => {
            let owner = accounts
                .analysed
                .first()
                .context("no user to collect for")?;
            let home = request.paths.mac_path(&owner.home);
            let desktop = home.join("Desktop");
            if !desktop.is_dir() {
                anyhow::bail!(
                    "{}: no Desktop folder to put the bundle on: name where to write it with --output PATH (a file or a folder)",
                    desktop.display()
                );
            }
            let owner_ids = owner.uid.zip(owner.gid);
            numbered_file(&desktop, &bundle_stem(&host, request), |name| {
                output::create_below(&home, &Path::new("Desktop").join(name), owner_ids)
            })?
        }
    };
    let written = made
        .file
        .try_clone()
        .map_err(anyhow::Error::from)
        .and_then(|file| {
            write_bundle(
                ZipWriter::new(file),
                options,
                &accounts,
                &mut redactor,
                host,
            )
        });
    match written {
        Ok(report) => Ok(Collected {
            path: Some(made.path),
            report,
        }),
        Err(error) => {
            // No partial bundle is left behind.
            made.discard();
            Err(error)
        }
    }
}

/// Most names tried in a folder before giving up: `NAME.zip`, then
/// `NAME-2.zip`, `NAME-3.zip`…
const NAMES_TRIED: u32 = 100;

/// The bundle's name without `.zip`: host and collection time.
fn bundle_stem(host: &HostFacts, request: &Request) -> String {
    format!(
        "ca-doctor-{}-{}",
        file_name_part(host.host_name.as_deref().unwrap_or("mac")),
        request.now.format("%Y%m%d-%H%M%S")
    )
}

/// Creates the bundle in `folder` with `create` (given the file's name): a
/// name already taken gets a number.
fn numbered_file(
    folder: &Path,
    stem: &str,
    create: impl Fn(&str) -> std::io::Result<output::NewFile>,
) -> Result<output::NewFile> {
    for n in 1..=NAMES_TRIED {
        let name = match n {
            1 => format!("{stem}.zip"),
            n => format!("{stem}-{n}.zip"),
        };
        match create(&name) {
            Ok(made) => return Ok(made),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(anyhow::Error::new(e).context(format!(
                    "{}: cannot create the bundle",
                    folder.join(&name).display()
                )));
            }
        }
    }
    anyhow::bail!(
        "{}: {NAMES_TRIED} bundles named {stem} already: remove some, or name another with --output",
        folder.display()
    )
}

/// A host name fit for a file name: letters, digits and `-`.
fn file_name_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn users_folder_names(request: &Request) -> Vec<String> {
    std::fs::read_dir(request.paths.mac_path(Path::new("/Users")))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.') && n != "Shared")
                .collect()
        })
        .unwrap_or_default()
}

fn write_bundle<W: Write + Seek>(
    zip: ZipWriter<W>,
    options: &CollectOptions,
    accounts: &Accounts,
    redactor: &mut Redactor,
    host: HostFacts,
) -> Result<Report> {
    let request = &options.request;
    let bar = crate::util::text::spinner(options.progress);
    let mut archive = Archive::new(zip, options.size_cap, request.now);

    bar.set_message("reading the unified log");
    let log_entries = log_entries(request);
    let (store, totals) = copy_and_read_logs(&mut archive, request, &log_entries, redactor, &bar)?;

    bar.set_message("analysing");
    let report = report(
        request,
        &store,
        &totals,
        &accounts.analysed,
        request.registration_plan(),
        None,
    )?;

    bar.set_message("collecting preferences");
    add_user_items(&mut archive, request, accounts, redactor)?;
    add_system_items(&mut archive, request, redactor)?;

    bar.set_message("collecting Intune and Jamf logs");
    archive.add_log_folder(
        "logs/intune",
        &request
            .paths
            .mac_path(Path::new("/Library/Logs/Microsoft/Intune")),
        COMPUTER,
        redactor,
    )?;
    archive.add_tail(
        "logs/jamf.log",
        &request.paths.mac_path(Path::new("/var/log/jamf.log")),
        COMPUTER,
        redactor,
    )?;
    add_registration(&mut archive, &report, redactor)?;

    bar.set_message("writing the reports");
    // The bundle is a record: its reports show everything.
    archive.add_text(
        entries::VERDICT,
        "ca-doctor",
        &render_file(Printable::Mac(&report), Format::Json),
        redactor,
        None,
    )?;
    archive.add_text(
        entries::REPORT_TEXT,
        "ca-doctor",
        &render_file(Printable::Mac(&report), Format::Human),
        redactor,
        None,
    )?;
    archive.add_text(
        entries::REPORT_HTML,
        "ca-doctor",
        &render_file(Printable::Mac(&report), Format::Html),
        redactor,
        None,
    )?;

    let logs = log_entries.into_iter().map(|(entry, _)| entry).collect();
    let manifest = manifest(&mut archive, options, &report, logs, redactor, host);
    // The manifest names paths too: it is redacted like everything else
    // (its counts are of the other entries).
    let text = serde_json::to_string_pretty(&manifest).context("manifest")?;
    let text = redactor.redact(&text).into_owned();
    archive.finish(entries::MANIFEST, &text)?;
    bar.finish_and_clear();
    Ok(report)
}

/// The bundle entry and the source of each planned log.
fn log_entries(request: &Request) -> Vec<(String, String)> {
    match &request.logs {
        LogPlan::Live { .. } => vec![(
            entries::UNIFIED_LOG.to_string(),
            "log show (live)".to_string(),
        )],
        LogPlan::Files(sources) => sources
            .iter()
            .enumerate()
            .map(|(i, source)| (format!("logs/input-{}.log", i + 1), source.describe()))
            .collect(),
    }
}

/// Reads the logs into evidence while copying each into its entry.
fn copy_and_read_logs<W: Write + Seek>(
    archive: &mut Archive<W>,
    request: &Request,
    log_entries: &[(String, String)],
    redactor: &mut Redactor,
    bar: &indicatif::ProgressBar,
) -> Result<(EvidenceStore, LogTotals)> {
    let mut store = EvidenceStore::default();
    let mut copies: Vec<LogCopy> = Vec::new();
    let mut start_error: Option<String> = None;
    let totals = {
        let mut tap = |index: usize, data: &[u8]| {
            while copies.len() <= index {
                if let Some(previous) = copies.last_mut() {
                    previous.finish(archive, redactor);
                }
                let entry = log_entries
                    .get(copies.len())
                    .map(|e| e.0.as_str())
                    .unwrap_or_default();
                if let Err(e) = archive.start(entry) {
                    start_error = Some(format!("{e:#}"));
                }
                copies.push(LogCopy::default());
            }
            if let Some(copy) = copies.get_mut(index) {
                copy.push(data, archive, redactor);
            }
            bar.set_message(format!(
                "reading the unified log: {} MB",
                archive.written() >> 20
            ));
        };
        read_logs(
            request,
            &mut store,
            &request.window(),
            false,
            Some(&mut tap),
        )?
    };
    if let Some(error) = start_error {
        bail!("{error}");
    }
    if let Some(last) = copies.last_mut() {
        last.finish(archive, redactor);
    }
    for (i, (entry, source)) in log_entries.iter().enumerate() {
        match copies.get(i) {
            Some(copy) => copy.record(archive, entry, source),
            None => {
                // Nothing was read (empty input, or log failed at once): an empty entry.
                archive.start(entry)?;
                let note = totals.problems.first().cloned();
                let status = if note.is_some() {
                    super::manifest::ItemStatus::Failed
                } else {
                    super::manifest::ItemStatus::Collected
                };
                archive.record(entry, source, status, 0, note);
            }
        }
    }
    for problem in &totals.problems {
        archive.record(
            "",
            "log show",
            super::manifest::ItemStatus::Failed,
            0,
            Some(problem.clone()),
        );
    }
    Ok((store, totals))
}

/// Each account's agent preferences and Microsoft log files (the SSO
/// extension's, Company Portal's), once.
fn add_user_items<W: Write + Seek>(
    archive: &mut Archive<W>,
    request: &Request,
    accounts: &Accounts,
    redactor: &mut Redactor,
) -> Result<()> {
    for (name, why) in &accounts.left_out {
        let source = format!("the files of {}", redactor.user_name(name));
        archive.record("", &source, ItemStatus::Skipped, 0, Some(why.clone()));
    }
    for account in &accounts.collected {
        let folder = redactor.user_name(account.name.as_str());
        let behalf = OnBehalfOf::User(
            account
                .uid
                .or_else(|| owner_of(&request.paths.mac_path(&account.home))),
        );
        let entry = format!(
            "{}/{folder}/{}",
            entries::USERS_DIR,
            entries::AGENT_PREFS_FILE
        );
        archive.add_plist(
            &entry,
            &request.paths.user_agent_prefs(&account.home),
            behalf,
            redactor,
        )?;
        for log in &FILE_LOGS {
            archive.add_log_folder(
                &format!("{}/{folder}", log.bundle_dir),
                &request.paths.mac_path(&account.home).join(log.folder),
                behalf,
                redactor,
            )?;
        }
        let user_prefs = request
            .paths
            .mac_path(&account.home)
            .join("Library/Preferences");
        let user_managed = request
            .paths
            .mac_path(Path::new("/Library/Managed Preferences"))
            .join(account.name.as_str());
        for (dir, from) in [
            (entries::USERS_DIR, &user_prefs),
            (entries::MANAGED_DIR, &user_managed),
        ] {
            for name in matching_files(from, &[entries::JAMF_CONNECT_PREFIX], ".plist") {
                archive.add_plist(
                    &format!("{dir}/{folder}/{name}"),
                    &from.join(&name),
                    behalf,
                    redactor,
                )?;
            }
        }
    }
    Ok(())
}

/// Jamf settings, versions, managed preferences and the agent's LaunchAgents.
fn add_system_items<W: Write + Seek>(
    archive: &mut Archive<W>,
    request: &Request,
    redactor: &mut Redactor,
) -> Result<()> {
    let paths = &request.paths;
    archive.add_plist(entries::JAMF_PREFS, &paths.jamf_prefs(), COMPUTER, redactor)?;
    archive.add_plist(
        entries::SYSTEM_VERSION,
        &paths.system_version(),
        COMPUTER,
        redactor,
    )?;
    archive.add_plist(
        entries::JAMF_INFO,
        &paths.jamf_info_plist(),
        COMPUTER,
        redactor,
    )?;
    let managed = paths.mac_path(Path::new("/Library/Managed Preferences"));
    for name in matching_files(
        &managed,
        &[
            "com.jamf.management.jamfAAD",
            "com.apple.extensiblesso",
            "com.jamf.connect",
            "com.microsoft.CompanyPortal",
        ],
        ".plist",
    ) {
        archive.add_plist(
            &format!("{}/{name}", entries::MANAGED_DIR),
            &managed.join(&name),
            COMPUTER,
            redactor,
        )?;
    }
    let unmanaged = paths.mac_path(Path::new("/Library/Preferences"));
    for name in matching_files(&unmanaged, &[entries::JAMF_CONNECT_PREFIX], ".plist") {
        archive.add_plist(
            &format!("{}/{name}", entries::JAMF_CONNECT_DIR),
            &unmanaged.join(&name),
            COMPUTER,
            redactor,
        )?;
    }
    for (entry, on_mac) in [
        (entries::JAMF_CONNECT_INFO, jamf_connect::JAMF_CONNECT_INFO),
        (
            entries::SELF_SERVICE_PLUS_INFO,
            jamf_connect::SELF_SERVICE_PLUS_INFO,
        ),
        (
            entries::JAMF_CONNECT_LOGIN_INFO,
            jamf_connect::LOGIN_BUNDLE_INFO,
        ),
    ] {
        let path = paths.mac_path(Path::new(on_mac));
        if path.exists() {
            archive.add_plist(entry, &path, COMPUTER, redactor)?;
        }
    }
    let agents = paths.mac_path(Path::new("/Library/LaunchAgents"));
    for name in matching_files(&agents, &["com.jamf.management.jamfAAD"], ".plist") {
        archive.add_plist(
            &format!("prefs/launchagents/{name}"),
            &agents.join(&name),
            COMPUTER,
            redactor,
        )?;
    }
    Ok(())
}

/// The computer's files are copied on its own behalf.
const COMPUTER: OnBehalfOf = OnBehalfOf::Computer;

/// The owner of `path` (a home folder), when it can be told.
fn owner_of(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path).ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Registration evidence: what each command answered, as much as may
/// leave the Mac (Platform SSO's state without its tokens and key data, the
/// public device certificates only), in `registration/<user>/`, and what it
/// means in `registration/<user>.json`. `analyze` reads the answers again.
fn add_registration<W: Write + Seek>(
    archive: &mut Archive<W>,
    report: &Report,
    redactor: &mut Redactor,
) -> Result<()> {
    for verdict in &report.verdicts {
        let Some(registration) = &verdict.facts.registration else {
            continue;
        };
        let folder = redactor.user_name(verdict.facts.user());
        for check in &registration.checks {
            let Some(kind) = check.kind else { continue };
            // A device certificate holds the user's Entra object ID: with
            // personal data redaction only what was read of it is kept.
            let personal = redactor.personal_data();
            let kept = match kind {
                CheckKind::PlatformSso if personal => {
                    platform_sso::without_certificate(&platform_sso::without_secrets(&check.output))
                }
                CheckKind::PlatformSso => platform_sso::without_secrets(&check.output),
                CheckKind::AgentStatus => check.output.clone(),
                CheckKind::Keychain if personal => {
                    archive.record(
                        "",
                        &check.check,
                        ItemStatus::Skipped,
                        0,
                        Some(
                            "device certificates hold the user's object ID: left out with --redact-pii (registration/<user>.json has what was read of them)"
                                .to_string(),
                        ),
                    );
                    continue;
                }
                CheckKind::Keychain => registration.keychain_pem.concat(),
            };
            archive.add_text(
                &format!(
                    "{}/{folder}/{}",
                    entries::REGISTRATION_DIR,
                    kind.bundle_file()
                ),
                &check.check,
                &kept,
                redactor,
                None,
            )?;
            // A command that failed is a failed item, whatever it printed.
            if !check.answered() {
                archive.fail_last(redactor.redact(&check.outcome).into_owned());
            }
        }
        let json = serde_json::to_string_pretty(registration).unwrap_or_default();
        archive.add_text(
            &format!("{}/{folder}.json", entries::REGISTRATION_DIR),
            "registration evidence",
            &json,
            redactor,
            None,
        )?;
    }
    Ok(())
}

/// The manifest, with everything it describes.
fn manifest<W: Write + Seek>(
    archive: &mut Archive<W>,
    options: &CollectOptions,
    report: &Report,
    logs: Vec<String>,
    redactor: &mut Redactor,
    mut host: HostFacts,
) -> Manifest {
    if redactor.personal_data() {
        host.host_name = host
            .host_name
            .map(|h| redactor.user_name(&h).replacen("user-", "host-", 1));
        host.computer_name = host
            .computer_name
            .map(|h| redactor.user_name(&h).replacen("user-", "host-", 1));
    }
    let (mut items, truncated) = archive.take_items();
    // Paths name files: a user's name anywhere in them goes too.
    for item in &mut items {
        item.source = redactor.redact_name(&item.source).into_owned();
    }
    Manifest {
        format: BUNDLE_FORMAT.to_string(),
        format_version: BUNDLE_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: options.request.now,
        since_seconds: options.request.since.num_seconds(),
        command_line: options
            .command_line
            .iter()
            .map(|a| redactor.redact_name(a).into_owned())
            .collect(),
        host,
        users: report
            .verdicts
            .iter()
            .map(|v| redactor.user_name(v.facts.user()))
            .collect(),
        logs,
        items,
        redaction: RedactionSummary::from((&redactor.counts, redactor.personal_data())),
        size_cap_bytes: options.size_cap,
        truncated,
    }
}

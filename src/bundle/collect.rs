//! `ca-doctor collect`: one zip with the evidence, the verdict and the
//! reports. Every item is collected on its own (a missing file or a failing
//! command is recorded in the manifest, never fatal); the log streams into
//! the archive as it is analysed, never buffered whole; every text is
//! redacted before it is written; a total size cap cuts what does not fit.

use super::entries;
use super::manifest::{
    BUNDLE_FORMAT, BUNDLE_VERSION, HostFacts, Item, ItemStatus, Manifest, RedactionSummary,
};
use super::output;
use crate::analysis::{
    ChosenAccount, LogPlan, LogSource, RegistrationPlan, Report, Request, UserSelection,
    read_logs_tapped, resolve_accounts, verdict_for,
};
use crate::evidence::EvidenceStore;
use crate::redact::{REDACTED, Redactor};
use crate::render::{html, human, json};
use crate::timeline::Timeline;
use anyhow::{Context, Result, bail};
use plist::Value;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// Default total size cap of a bundle (uncompressed).
pub const DEFAULT_SIZE_CAP: u64 = 256 << 20;
/// Largest part of one Intune, Company Portal or jamf.log file kept (its end).
const LOG_TAIL_BYTES: u64 = 4 << 20;
/// Largest plist read.
const MAX_PLIST_BYTES: u64 = 16 << 20;
/// A log line longer than this is redacted and written in pieces.
const MAX_LINE: usize = 1 << 20;

/// Where the bundle goes.
#[derive(Clone, Debug)]
pub enum Destination {
    /// `<console user's home>/Desktop/ca-doctor-<host>-<time>.zip`.
    Desktop,
    /// A path named with `--output`.
    Path(PathBuf),
    /// Standard output (`--output -`).
    Stdout,
}

/// What to collect.
pub struct CollectOptions {
    /// What to analyse (users, log, clock, window).
    pub request: Request,
    /// Where the bundle goes.
    pub destination: Destination,
    /// Turn e-mail addresses and user names into pseudonyms.
    pub redact_personal_data: bool,
    /// Total size cap (uncompressed bytes).
    pub size_cap: u64,
    /// Show progress on standard error.
    pub progress: bool,
    /// The command line, for the manifest.
    pub command_line: Vec<String>,
}

/// What `collect` produced.
pub struct Collected {
    /// The bundle's path (none for standard output).
    pub path: Option<PathBuf>,
    /// The verdicts.
    pub report: Report,
    /// The manifest written into the bundle.
    pub manifest: Manifest,
}

/// Writes entries into the zip, redacting text and keeping the size cap.
struct Bundle<W: Write + Seek> {
    zip: ZipWriter<W>,
    written: u64,
    cap: u64,
    items: Vec<Item>,
    truncated: bool,
    names: BTreeSet<String>,
    modified: Option<zip::DateTime>,
}

fn entry_options(modified: Option<zip::DateTime>) -> SimpleFileOptions {
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600)
        .large_file(true);
    match modified {
        Some(time) => options.last_modified_time(time),
        None => options,
    }
}

/// The analysis clock as a zip timestamp (local time, as zip stores it).
fn zip_time(now: chrono::DateTime<chrono::FixedOffset>) -> Option<zip::DateTime> {
    use chrono::{Datelike, Timelike};
    zip::DateTime::from_date_and_time(
        u16::try_from(now.year()).ok()?,
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second() as u8,
    )
    .ok()
}

impl<W: Write + Seek> Bundle<W> {
    fn room(&self) -> u64 {
        self.cap.saturating_sub(self.written)
    }

    /// What a lookup found; a missing or failed source is recorded as such.
    fn found<T>(&mut self, source: &str, lookup: Result<Option<T>, String>) -> Option<T> {
        match lookup {
            Ok(Some(found)) => Some(found),
            Ok(None) => {
                self.record("", source, ItemStatus::Missing, 0, None);
                None
            }
            Err(e) => {
                self.record("", source, ItemStatus::Failed, 0, Some(e));
                None
            }
        }
    }

    fn record(
        &mut self,
        entry: &str,
        source: &str,
        status: ItemStatus,
        bytes: u64,
        note: Option<String>,
    ) {
        self.items.push(Item {
            entry: entry.to_string(),
            source: source.to_string(),
            status,
            bytes,
            note,
        });
    }

    fn start(&mut self, entry: &str) -> Result<()> {
        if !self.names.insert(entry.to_string()) {
            bail!("{entry}: written twice");
        }
        self.zip
            .start_file(entry, entry_options(self.modified))
            .with_context(|| format!("{entry}: cannot start the entry"))
    }

    /// Adds a text entry, redacted, cut at the cap.
    fn add_text(
        &mut self,
        entry: &str,
        source: &str,
        text: &str,
        redactor: &mut Redactor,
        note: Option<String>,
    ) -> Result<()> {
        let redacted = redactor.redact(text);
        let bytes = redacted.as_bytes();
        if self.room() == 0 {
            self.truncated = true;
            self.record(
                "",
                source,
                ItemStatus::Skipped,
                0,
                Some("the bundle's size cap was reached".into()),
            );
            return Ok(());
        }
        let keep = bytes.len().min(self.room() as usize);
        self.start(entry)?;
        self.zip
            .write_all(&bytes[..keep])
            .with_context(|| format!("{entry}: write failed"))?;
        self.written += keep as u64;
        if keep < bytes.len() {
            self.truncated = true;
            let cut = format!(
                "cut at the bundle's size cap ({} of {} bytes)",
                keep,
                bytes.len()
            );
            let note = Some(note.map_or(cut.clone(), |n| format!("{n}; {cut}")));
            self.record(entry, source, ItemStatus::Truncated, keep as u64, note);
        } else {
            let status = if note.as_deref().is_some_and(|n| n.starts_with("last ")) {
                ItemStatus::Truncated
            } else {
                ItemStatus::Collected
            };
            self.record(entry, source, status, keep as u64, note);
        }
        Ok(())
    }
}

/// Copies the log into the current entry line by line, redacted, within the cap.
struct LogCopy {
    pending: Vec<u8>,
    entry_index: Option<usize>,
    bytes: u64,
    cut: bool,
    error: Option<String>,
}

impl LogCopy {
    fn push<W: Write + Seek>(
        &mut self,
        data: &[u8],
        bundle: &mut Bundle<W>,
        redactor: &mut Redactor,
    ) {
        self.pending.extend_from_slice(data);
        let mut start = 0;
        while let Some(offset) = memchr::memchr(b'\n', &self.pending[start..]) {
            let end = start + offset + 1;
            let line = self.pending[start..end].to_vec();
            self.write_line(&line, bundle, redactor);
            start = end;
        }
        self.pending.drain(..start);
        if self.pending.len() > MAX_LINE {
            let piece = std::mem::take(&mut self.pending);
            self.write_line(&piece, bundle, redactor);
        }
    }

    fn finish<W: Write + Seek>(&mut self, bundle: &mut Bundle<W>, redactor: &mut Redactor) {
        let rest = std::mem::take(&mut self.pending);
        if !rest.is_empty() {
            self.write_line(&rest, bundle, redactor);
        }
    }

    fn write_line<W: Write + Seek>(
        &mut self,
        line: &[u8],
        bundle: &mut Bundle<W>,
        redactor: &mut Redactor,
    ) {
        if self.cut || self.error.is_some() {
            return;
        }
        let text = String::from_utf8_lossy(line);
        let redacted = redactor.redact(&text);
        let bytes = redacted.as_bytes();
        if bytes.len() as u64 > bundle.room() {
            self.cut = true;
            bundle.truncated = true;
            return;
        }
        match bundle.zip.write_all(bytes) {
            Ok(()) => {
                bundle.written += bytes.len() as u64;
                self.bytes += bytes.len() as u64;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }
}

fn progress_bar(enabled: bool) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Runs `collect`.
pub fn collect(options: &CollectOptions) -> Result<Collected> {
    let request = &options.request;
    let chosen = resolve_accounts(request)?;
    let with_prefs = match request.users {
        UserSelection::All => chosen.clone(),
        _ => resolve_accounts(&Request {
            users: UserSelection::All,
            ..request.clone()
        })
        .unwrap_or_default(),
    };
    let mut known: Vec<String> = chosen
        .iter()
        .chain(with_prefs.iter())
        .map(|c| c.account.name.to_string())
        .collect();
    known.extend(users_folder_names(request));
    known.sort();
    known.dedup();
    let mut redactor = Redactor::new(options.redact_personal_data, &known);
    let host = HostFacts::read();

    if let Destination::Stdout = options.destination {
        let zip = ZipWriter::new_stream(std::io::stdout().lock());
        let (report, manifest) =
            write_bundle(zip, options, &chosen, &with_prefs, &mut redactor, host)?;
        return Ok(Collected {
            path: None,
            report,
            manifest,
        });
    }
    let (file, path) = match &options.destination {
        Destination::Path(path) => {
            let file = output::create_exclusive(path, None)
                .with_context(|| format!("--output {}", path.display()))?;
            (file, path.clone())
        }
        _ => {
            let owner = chosen.first().context("no user to collect for")?;
            let home = request.paths.mac_path(&owner.account.home);
            let host_part: String = host
                .host_name
                .clone()
                .unwrap_or_else(|| "mac".to_string())
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            let relative = Path::new("Desktop").join(format!(
                "ca-doctor-{host_part}-{}.zip",
                request.now.format("%Y%m%d-%H%M%S")
            ));
            let ids = owner.account.uid.zip(owner.account.gid);
            let file = output::create_below(&home, &relative, ids).with_context(|| {
                format!(
                    "{}: cannot create the bundle",
                    home.join(&relative).display()
                )
            })?;
            (file, home.join(relative))
        }
    };
    let (report, manifest) = write_bundle(
        ZipWriter::new(file),
        options,
        &chosen,
        &with_prefs,
        &mut redactor,
        host,
    )?;
    Ok(Collected {
        path: Some(path),
        report,
        manifest,
    })
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
    chosen: &[ChosenAccount],
    with_prefs: &[ChosenAccount],
    redactor: &mut Redactor,
    mut host: HostFacts,
) -> Result<(Report, Manifest)> {
    let request = &options.request;
    let window = request.window();
    let bar = progress_bar(options.progress);
    let mut bundle = Bundle {
        zip,
        written: 0,
        cap: options.size_cap,
        items: Vec::new(),
        truncated: false,
        names: BTreeSet::new(),
        modified: zip_time(request.now),
    };

    // 1. The log, streamed into the archive while it is analysed.
    bar.set_message("reading the unified log");
    let log_entries: Vec<(String, String)> = match &request.logs {
        LogPlan::Live { .. } => vec![(
            entries::UNIFIED_LOG.to_string(),
            "log show (live)".to_string(),
        )],
        LogPlan::Files(sources) => sources
            .iter()
            .enumerate()
            .map(|(i, source)| {
                let described = match source {
                    LogSource::File(path) => path.display().to_string(),
                    LogSource::Stdin => "standard input".to_string(),
                };
                (format!("logs/input-{}.log", i + 1), described)
            })
            .collect(),
    };
    let mut store = EvidenceStore::default();
    let mut copies: Vec<LogCopy> = Vec::new();
    let mut started_error: Option<String> = None;
    let totals = {
        let mut tap = |index: usize, data: &[u8]| {
            while copies.len() <= index {
                if let Some(previous) = copies.last_mut() {
                    previous.finish(&mut bundle, redactor);
                }
                let entry = log_entries
                    .get(copies.len())
                    .map(|e| e.0.clone())
                    .unwrap_or_default();
                if let Err(e) = bundle.start(&entry) {
                    started_error = Some(format!("{e:#}"));
                }
                copies.push(LogCopy {
                    pending: Vec::new(),
                    entry_index: Some(copies.len()),
                    bytes: 0,
                    cut: false,
                    error: None,
                });
            }
            if let Some(copy) = copies.get_mut(index) {
                copy.push(data, &mut bundle, redactor);
            }
            bar.set_message(format!(
                "reading the unified log: {} MB",
                bundle.written >> 20
            ));
        };
        read_logs_tapped(request, &mut store, &window, false, Some(&mut tap))?
    };
    if let Some(error) = started_error {
        bail!("{error}");
    }
    if let Some(last) = copies.last_mut() {
        last.finish(&mut bundle, redactor);
    }
    for (i, (entry, source)) in log_entries.iter().enumerate() {
        match copies.get(i) {
            Some(copy) => {
                let (status, note) = match (&copy.error, copy.cut) {
                    (Some(e), _) => (ItemStatus::Failed, Some(e.clone())),
                    (None, true) => (
                        ItemStatus::Truncated,
                        Some("cut at the bundle's size cap; the whole log was analysed".into()),
                    ),
                    (None, false) => (ItemStatus::Collected, None),
                };
                let _ = copy.entry_index;
                bundle.record(entry, source, status, copy.bytes, note);
            }
            None => {
                // Nothing was read (empty input, or log failed at once): an empty entry.
                bundle.start(entry)?;
                let note = totals.problems.first().cloned();
                let status = if note.is_some() {
                    ItemStatus::Failed
                } else {
                    ItemStatus::Collected
                };
                bundle.record(entry, source, status, 0, note);
            }
        }
    }
    for problem in &totals.problems {
        bundle.record("", "log show", ItemStatus::Failed, 0, Some(problem.clone()));
    }

    // 2. The verdicts (with live registration checks when the log is live).
    bar.set_message("analysing");
    let observations = store.observations(&window);
    let live = matches!(request.logs, LogPlan::Live { .. });
    let verdicts: Vec<_> = chosen
        .iter()
        .map(|c| {
            let plan = if live {
                RegistrationPlan::Check
            } else {
                RegistrationPlan::Skip
            };
            verdict_for(request, c, &observations, &totals, plan, None)
        })
        .collect();
    let report = Report {
        verdicts,
        timeline: Timeline::from_store(&store, &window),
    };

    // 3. Preferences and system files.
    bar.set_message("collecting preferences");
    let mut users_done = BTreeSet::new();
    for account in chosen.iter().chain(with_prefs.iter()).map(|c| &c.account) {
        if !users_done.insert(account.name.to_string()) {
            continue;
        }
        let folder = redactor.user_name(account.name.as_str());
        let entry = format!(
            "{}/{folder}/{}",
            entries::USERS_DIR,
            entries::AGENT_PREFS_FILE
        );
        add_plist(
            &mut bundle,
            &entry,
            &request.paths.user_agent_prefs(&account.home),
            redactor,
        )?;
        let cp_logs = request
            .paths
            .mac_path(&account.home)
            .join("Library/Logs/Company Portal");
        add_log_folder(
            &mut bundle,
            &format!("logs/company-portal/{folder}"),
            &cp_logs,
            redactor,
        )?;
    }
    add_plist(
        &mut bundle,
        entries::JAMF_PREFS,
        &request.paths.jamf_prefs(),
        redactor,
    )?;
    add_plist(
        &mut bundle,
        entries::SYSTEM_VERSION,
        &request.paths.system_version(),
        redactor,
    )?;
    add_plist(
        &mut bundle,
        entries::JAMF_INFO,
        &request.paths.jamf_info_plist(),
        redactor,
    )?;
    let managed = request
        .paths
        .mac_path(Path::new("/Library/Managed Preferences"));
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
        add_plist(
            &mut bundle,
            &format!("{}/{name}", entries::MANAGED_DIR),
            &managed.join(&name),
            redactor,
        )?;
    }
    let agents = request.paths.mac_path(Path::new("/Library/LaunchAgents"));
    for name in matching_files(&agents, &["com.jamf.management.jamfAAD"], ".plist") {
        add_plist(
            &mut bundle,
            &format!("prefs/launchagents/{name}"),
            &agents.join(&name),
            redactor,
        )?;
    }

    // 4. Other logs, size-capped.
    bar.set_message("collecting Intune and Jamf logs");
    add_log_folder(
        &mut bundle,
        "logs/intune",
        &request
            .paths
            .mac_path(Path::new("/Library/Logs/Microsoft/Intune")),
        redactor,
    )?;
    add_tail(
        &mut bundle,
        "logs/jamf.log",
        &request.paths.mac_path(Path::new("/var/log/jamf.log")),
        redactor,
    )?;

    // 5. Registration evidence: raw outputs and what they mean.
    for verdict in &report.verdicts {
        let Some(registration) = &verdict.facts.registration else {
            continue;
        };
        let folder = redactor.user_name(&verdict.facts.user);
        for check in &registration.checks {
            let slug: String = check
                .check
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            let text = format!(
                "{}\noutcome: {}\n\n{}",
                check.check, check.outcome, check.output
            );
            bundle.add_text(
                &format!("commands/{folder}/{}.txt", slug.trim_matches('-')),
                &check.check,
                &text,
                redactor,
                None,
            )?;
            // A command that failed is a failed item, whatever it printed.
            if !check.outcome.starts_with("ok")
                && let Some(item) = bundle.items.last_mut()
            {
                item.status = ItemStatus::Failed;
                item.note = Some(redactor.redact(&check.outcome).into_owned());
            }
        }
        let json = serde_json::to_string_pretty(registration).unwrap_or_default();
        bundle.add_text(
            &format!("{}/{folder}.json", entries::REGISTRATION_DIR),
            "registration evidence",
            &json,
            redactor,
            None,
        )?;
    }

    // 6. The reports.
    bar.set_message("writing the reports");
    bundle.add_text(
        entries::VERDICT,
        "ca-doctor",
        &json::render_report(&report),
        redactor,
        None,
    )?;
    bundle.add_text(
        entries::REPORT_TEXT,
        "ca-doctor",
        &human::render_report(&report, human::Style { color: false }),
        redactor,
        None,
    )?;
    bundle.add_text(
        entries::REPORT_HTML,
        "ca-doctor",
        &html::render(&report),
        redactor,
        None,
    )?;

    // 7. The manifest, last, with everything it describes.
    if redactor.personal_data() {
        host.host_name = host
            .host_name
            .map(|h| redactor.user_name(&h).replacen("user-", "host-", 1));
    }
    let mut manifest = Manifest {
        format: BUNDLE_FORMAT.to_string(),
        format_version: BUNDLE_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: request.now,
        since_seconds: request.since.num_seconds(),
        command_line: options.command_line.clone(),
        host,
        users: report
            .verdicts
            .iter()
            .map(|v| redactor.user_name(&v.facts.user))
            .collect(),
        logs: log_entries.iter().map(|(entry, _)| entry.clone()).collect(),
        items: Vec::new(),
        redaction: RedactionSummary::default(),
        size_cap_bytes: options.size_cap,
        truncated: false,
    };
    let command_line = manifest
        .command_line
        .iter()
        .map(|a| redactor.redact(a).into_owned())
        .collect();
    manifest.command_line = command_line;
    manifest.items = std::mem::take(&mut bundle.items);
    manifest.truncated = bundle.truncated;
    manifest.redaction = RedactionSummary::from((&redactor.counts, redactor.personal_data()));
    // The manifest names paths too: it is redacted like everything else
    // (its counts are of the other entries).
    let text = serde_json::to_string_pretty(&manifest).context("manifest")?;
    let text = redactor.redact(&text).into_owned();
    bundle.start(entries::MANIFEST)?;
    bundle
        .zip
        .write_all(text.as_bytes())
        .context("manifest: write failed")?;
    bundle.zip.finish().context("finishing the zip")?;
    bar.finish_and_clear();
    Ok((report, manifest))
}

/// Files in `dir` whose names start with one of `prefixes` and end with `suffix`.
fn matching_files(dir: &Path, prefixes: &[&str], suffix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    n.ends_with(suffix)
                        && prefixes.iter().any(|p| n.starts_with(p))
                        && is_plain_name(n)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ._-()".contains(c))
}

/// Blanks the values of secret-looking keys, everywhere in a plist.
fn scrub_plist(value: &mut Value, count: &mut u64) {
    match value {
        Value::Dictionary(dict) => {
            for (key, inner) in dict.iter_mut() {
                let lower = key.to_ascii_lowercase();
                let secret = ["secret", "password", "passwd", "token", "credential"]
                    .iter()
                    .any(|k| lower.contains(k));
                if secret && matches!(inner, Value::String(_) | Value::Data(_)) {
                    *inner = Value::String(REDACTED.to_string());
                    *count += 1;
                } else {
                    scrub_plist(inner, count);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| scrub_plist(v, count)),
        _ => {}
    }
}

/// Adds a plist converted to XML, secret keys blanked and text redacted. An
/// unreadable one is copied as text so that `analyze` sees it unreadable too.
fn add_plist<W: Write + Seek>(
    bundle: &mut Bundle<W>,
    entry: &str,
    path: &Path,
    redactor: &mut Redactor,
) -> Result<()> {
    let source = path.display().to_string();
    let Some(bytes) = bundle.found(&source, read_capped(path, MAX_PLIST_BYTES)) else {
        return Ok(());
    };
    match Value::from_reader(std::io::Cursor::new(&bytes)) {
        Ok(mut value) => {
            let mut scrubbed = 0;
            scrub_plist(&mut value, &mut scrubbed);
            redactor.counts.add("plist-secret", scrubbed);
            let mut xml = Vec::new();
            value.to_writer_xml(&mut xml).context("plist to XML")?;
            bundle.add_text(
                entry,
                &source,
                &String::from_utf8_lossy(&xml),
                redactor,
                None,
            )
        }
        Err(e) => bundle.add_text(
            entry,
            &source,
            &String::from_utf8_lossy(&bytes),
            redactor,
            Some(format!("not a valid plist ({e}): copied as text")),
        ),
    }
}

/// The metadata of a regular file: `Ok(None)` when missing, `Err` for
/// anything else that is there (a folder, a symlink: never followed).
fn regular_file(path: &Path) -> Result<Option<std::fs::Metadata>, String> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => Ok(Some(m)),
        Ok(_) => Err("not a regular file (symlinks are not followed)".to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// `Ok(None)` when missing; `Err` when present but unreadable.
fn read_capped(path: &Path, cap: u64) -> Result<Option<Vec<u8>>, String> {
    if regular_file(path)?.is_none() {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(cap).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    Ok(Some(bytes))
}

/// Adds the end of a log file (at most [`LOG_TAIL_BYTES`]).
fn add_tail<W: Write + Seek>(
    bundle: &mut Bundle<W>,
    entry: &str,
    path: &Path,
    redactor: &mut Redactor,
) -> Result<()> {
    let source = path.display().to_string();
    let Some(metadata) = bundle.found(&source, regular_file(path)) else {
        return Ok(());
    };
    let read = || -> std::io::Result<(Vec<u8>, bool)> {
        let mut file = File::open(path)?;
        let cut = metadata.len() > LOG_TAIL_BYTES;
        if cut {
            file.seek(SeekFrom::End(-(LOG_TAIL_BYTES as i64)))?;
        }
        let mut bytes = Vec::new();
        file.take(LOG_TAIL_BYTES).read_to_end(&mut bytes)?;
        if cut && let Some(newline) = memchr::memchr(b'\n', &bytes) {
            bytes.drain(..=newline);
        }
        Ok((bytes, cut))
    };
    match read() {
        Ok((bytes, cut)) => {
            let note = cut.then(|| {
                format!(
                    "last {} MiB of {} bytes",
                    LOG_TAIL_BYTES >> 20,
                    metadata.len()
                )
            });
            bundle.add_text(
                entry,
                &source,
                &String::from_utf8_lossy(&bytes),
                redactor,
                note,
            )
        }
        Err(e) => {
            bundle.record("", &source, ItemStatus::Failed, 0, Some(e.to_string()));
            Ok(())
        }
    }
}

/// Adds the end of every `*.log` file of a folder.
fn add_log_folder<W: Write + Seek>(
    bundle: &mut Bundle<W>,
    prefix: &str,
    dir: &Path,
    redactor: &mut Redactor,
) -> Result<()> {
    if !dir.is_dir() {
        bundle.record("", &dir.display().to_string(), ItemStatus::Missing, 0, None);
        return Ok(());
    }
    for name in matching_files(dir, &[""], ".log") {
        add_tail(
            bundle,
            &format!("{prefix}/{name}"),
            &dir.join(&name),
            redactor,
        )?;
    }
    Ok(())
}

//! Opening what `analyze` is given: a bundle as a zip or an unpacked folder,
//! or a plain `log show` export. Zips are checked before anything is
//! extracted: entry names must be plain relative paths (no zip-slip, no
//! absolute paths), symlink entries are refused, and the number of entries,
//! each entry's size and the total size are limited, counting the bytes
//! actually inflated rather than trusting the declared sizes (zip bombs).
//! Only the entries an analysis needs are extracted, into a private folder
//! laid out like a Mac.

use super::entries;
use super::manifest::{BUNDLE_FORMAT, Manifest};
use crate::mac::jamf_connect;
use crate::mac::registration::{CheckKind, Registration};
use crate::mac::sso_logs::FILE_LOGS;
use crate::mac::user::UserName;
use crate::util::files::{open_regular, private_dir, private_file, read_capped};
use anyhow::{Context, Result, bail, ensure};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Largest manifest read.
const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// Limits on what a bundle zip may hold.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Most entries.
    pub(crate) entries: usize,
    /// Largest entry, inflated.
    pub(crate) entry_bytes: u64,
    /// Largest total, inflated.
    pub(crate) total_bytes: u64,
}

impl Limits {
    /// The limits `analyze` uses.
    pub(crate) const DEFAULT: Limits = Limits {
        entries: 10_000,
        entry_bytes: 4 << 30,
        total_bytes: 8 << 30,
    };
}

/// What was opened, laid out for an analysis.
pub(crate) struct Opened {
    /// Private working folder, removed when this is dropped: held for the
    /// analysis' lifetime, never read.
    _work: tempfile::TempDir,
    /// Where the bundle was unpacked (the private working folder).
    pub(crate) work_path: PathBuf,
    /// The Mac-like root under `work`.
    pub(crate) root: PathBuf,
    /// The log files, in the bundle's order.
    pub(crate) logs: Vec<PathBuf>,
    /// The manifest (bundles only).
    pub(crate) manifest: Option<Manifest>,
    /// Registration evidence per user, as collected.
    pub(crate) registrations: BTreeMap<String, Registration>,
    /// A plain `log show` export, not a bundle.
    pub(crate) plain_log: bool,
}

/// Whether a zip entry name is a plain relative path.
pub(crate) fn is_safe_entry_name(name: &str) -> bool {
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    !trimmed.is_empty()
        && !trimmed.contains('\0')
        && !trimmed.contains('\\')
        && !trimmed.starts_with('/')
        && !trimmed
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
        && trimmed
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Where an entry goes in the working folder (`None`: not needed).
fn target_for(entry: &str, manifest: &Manifest) -> Option<PathBuf> {
    if let Some(index) = manifest.logs.iter().position(|l| l == entry) {
        return Some(PathBuf::from(format!("logs/{index}.log")));
    }
    let root = |relative: &str| Some(PathBuf::from("root").join(relative));
    match entry {
        entries::JAMF_PREFS => root("Library/Preferences/com.jamfsoftware.jamf.plist"),
        entries::SYSTEM_VERSION => root("System/Library/CoreServices/SystemVersion.plist"),
        entries::JAMF_INFO => root("Library/Application Support/JAMF/Jamf.app/Contents/Info.plist"),
        entries::JAMF_CONNECT_INFO => root(jamf_connect::JAMF_CONNECT_INFO.trim_start_matches('/')),
        entries::JAMF_CONNECT_LOGIN_INFO => {
            root(jamf_connect::LOGIN_BUNDLE_INFO.trim_start_matches('/'))
        }
        entries::SELF_SERVICE_PLUS_INFO => {
            root(jamf_connect::SELF_SERVICE_PLUS_INFO.trim_start_matches('/'))
        }
        _ => {
            let parts: Vec<&str> = entry.split('/').collect();
            match parts.as_slice() {
                ["prefs", "users", user, file]
                    if *file == entries::AGENT_PREFS_FILE && UserName::parse(user).is_ok() =>
                {
                    root(&format!("Users/{user}/Library/Preferences/{file}"))
                }
                ["prefs", "managed", file] if file.ends_with(".plist") => {
                    root(&format!("Library/Managed Preferences/{file}"))
                }
                ["prefs", "users", user, file]
                    if is_jamf_connect_plist(file) && UserName::parse(user).is_ok() =>
                {
                    root(&format!("Users/{user}/Library/Preferences/{file}"))
                }
                ["prefs", "managed", user, file]
                    if is_jamf_connect_plist(file) && UserName::parse(user).is_ok() =>
                {
                    root(&format!("Library/Managed Preferences/{user}/{file}"))
                }
                ["prefs", "jamf-connect", file] if is_jamf_connect_plist(file) => {
                    root(&format!("Library/Preferences/{file}"))
                }
                [first, second, user, file]
                    if file.ends_with(".log") && UserName::parse(user).is_ok() =>
                {
                    let dir = format!("{first}/{second}");
                    FILE_LOGS
                        .iter()
                        .find(|log| log.bundle_dir == dir)
                        .and_then(|log| root(&format!("Users/{user}/{}/{file}", log.folder)))
                }
                ["registration", file] if file.ends_with(".json") => Some(PathBuf::from(entry)),
                ["registration", user, file]
                    if UserName::parse(user).is_ok() && REGISTRATION_FILES.contains(file) =>
                {
                    Some(PathBuf::from(entry))
                }
                _ => None,
            }
        }
    }
}

/// The files a bundle keeps the registration commands' answers in.
const REGISTRATION_FILES: [&str; 3] = [
    CheckKind::PlatformSso.bundle_file(),
    CheckKind::AgentStatus.bundle_file(),
    CheckKind::Keychain.bundle_file(),
];

/// The registration evidence of a bundle: the commands' answers kept in
/// `folder` read again as on the Mac. What the bundle did not keep (an
/// older bundle; the certificates, left out with personal data redaction)
/// is taken as read on the Mac.
fn answers_again(stored: Registration, folder: &Path) -> Registration {
    let mut checks = stored.checks.clone();
    let mut kept = Vec::new();
    for check in &mut checks {
        let Some(kind) = check.kind else { continue };
        if let Ok(text) = std::fs::read_to_string(folder.join(kind.bundle_file())) {
            check.output = text;
            kept.push(kind);
        }
    }
    if kept.is_empty() {
        return stored;
    }
    let mut again = Registration::from_checks(checks);
    if !kept.contains(&CheckKind::Keychain) {
        again.workplace_join_certificate = stored.workplace_join_certificate;
        again.keychain_certificates = stored.keychain_certificates;
        again.keychain_problems = stored.keychain_problems;
    }
    if let (Some(state), Some(read)) = (&mut again.platform_sso_state, stored.platform_sso_state)
        && state.device_certificate.is_none()
    {
        state.device_certificate = read.device_certificate;
        state.certificate_problem = read.certificate_problem;
    }
    for (check, read) in again.checks.iter_mut().zip(&stored.checks) {
        if check.registered.is_none() {
            check.registered = read.registered;
        }
    }
    again
}

/// A Jamf Connect preference file's plain name (no path parts).
fn is_jamf_connect_plist(file: &str) -> bool {
    file.starts_with(entries::JAMF_CONNECT_PREFIX)
        && file.ends_with(".plist")
        && !file.contains(['/', '\\'])
        && !file.contains("..")
}

/// Copies at most `limit` bytes; fails past it (counting what is really read).
fn copy_limited(mut from: impl Read, to: &mut impl Write, limit: u64, what: &str) -> Result<u64> {
    let mut buffer = vec![0u8; 64 << 10];
    let mut total: u64 = 0;
    loop {
        let n = from
            .read(&mut buffer)
            .with_context(|| format!("{what}: read failed"))?;
        if n == 0 {
            return Ok(total);
        }
        total += n as u64;
        ensure!(
            total <= limit,
            "{what}: holds more than the {limit} bytes allowed: refusing it (zip bomb?)"
        );
        to.write_all(&buffer[..n])
            .with_context(|| format!("{what}: write failed"))?;
    }
}

fn finish(
    work: tempfile::TempDir,
    manifest: Option<Manifest>,
    plain_log: Option<PathBuf>,
) -> Result<Opened> {
    let root = work.path().join("root");
    private_dir(&root)?;
    let mut registrations = BTreeMap::new();
    let mut logs = Vec::new();
    if let Some(manifest) = &manifest {
        for index in 0..manifest.logs.len() {
            let path = work.path().join(format!("logs/{index}.log"));
            if path.is_file() {
                logs.push(path);
            }
        }
        if let Ok(found) = std::fs::read_dir(work.path().join("registration")) {
            for entry in found.filter_map(|e| e.ok()) {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Some(user) = name.strip_suffix(".json") else {
                    continue;
                };
                let parsed = std::fs::read(entry.path())
                    .ok()
                    .and_then(|bytes| serde_json::from_slice::<Registration>(&bytes).ok())
                    .map(|stored| {
                        answers_again(stored, &work.path().join("registration").join(user))
                    });
                if let Some(registration) = parsed {
                    registrations.insert(user.to_string(), registration);
                }
            }
        }
    }
    let plain = plain_log.is_some();
    logs.extend(plain_log);
    Ok(Opened {
        work_path: work.path().to_path_buf(),
        _work: work,
        root,
        logs,
        manifest,
        registrations,
        plain_log: plain,
    })
}

fn parse_manifest(bytes: &[u8], whence: &str) -> Result<Manifest> {
    let manifest: Manifest = serde_json::from_slice(bytes)
        .with_context(|| format!("{whence}: manifest.json is not a ca-doctor manifest"))?;
    ensure!(
        manifest.format == BUNDLE_FORMAT,
        "{whence}: manifest.json is of format {:?}, not {BUNDLE_FORMAT:?}",
        manifest.format
    );
    for log in &manifest.logs {
        ensure!(
            is_safe_entry_name(log),
            "{whence}: manifest names an unsafe log entry {log:?}"
        );
    }
    Ok(manifest)
}

/// Opens a bundle zip, a bundle folder, or a plain log export.
pub(crate) fn open(path: &Path) -> Result<Opened> {
    open_with(path, &Limits::DEFAULT)
}

/// [`open`] with explicit limits.
pub(crate) fn open_with(path: &Path, limits: &Limits) -> Result<Opened> {
    let described = path.display().to_string();
    let metadata = std::fs::metadata(path).with_context(|| format!("{described}: cannot open"))?;
    let work = crate::util::files::work_folder("ca-doctor-analyze-")
        .map_err(|why| anyhow::anyhow!("cannot unpack the bundle: {why}"))?;
    if metadata.is_dir() {
        return open_folder(path, work, limits);
    }
    // A pipe (`/dev/stdin`, `<(…)`) can be read once only: keep a copy.
    let copy;
    let path = if metadata.is_file() {
        path
    } else {
        copy = work.path().join("input");
        let from = File::open(path).with_context(|| format!("{described}: cannot open"))?;
        copy_limited(
            from,
            &mut private_file(&copy)?,
            limits.total_bytes,
            &described,
        )?;
        copy.as_path()
    };
    let mut magic = [0u8; 4];
    let read = File::open(path)
        .and_then(|mut f| f.read(&mut magic))
        .with_context(|| format!("{described}: cannot read"))?;
    if read == 4 && &magic == b"PK\x03\x04" {
        open_zip(path, work, limits)
    } else {
        finish(work, None, Some(path.to_path_buf()))
    }
}

fn open_zip(path: &Path, work: tempfile::TempDir, limits: &Limits) -> Result<Opened> {
    let described = path.display().to_string();
    let file = File::open(path).with_context(|| format!("{described}: cannot open"))?;
    let mut archive =
        zip::ZipArchive::new(file).with_context(|| format!("{described}: not a readable zip"))?;
    ensure!(
        archive.len() <= limits.entries,
        "{described}: {} entries (limit {}): refusing it",
        archive.len(),
        limits.entries
    );
    let mut declared: u64 = 0;
    let mut manifest_index = None;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .with_context(|| format!("{described}: entry {index} is unreadable"))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        ensure!(
            is_safe_entry_name(&name),
            "{described}: unsafe entry name {name:?} (absolute, `..` or odd characters): refusing the bundle"
        );
        ensure!(
            !entry.is_symlink(),
            "{described}: entry {name:?} is a symlink: refusing the bundle"
        );
        ensure!(
            entry.size() <= limits.entry_bytes,
            "{described}: entry {name:?} declares {} bytes (limit {}): refusing it",
            entry.size(),
            limits.entry_bytes
        );
        declared = declared.saturating_add(entry.size());
        ensure!(
            declared <= limits.total_bytes,
            "{described}: entries declare more than {} bytes: refusing it",
            limits.total_bytes
        );
        if name == entries::MANIFEST {
            manifest_index = Some(index);
        }
    }
    let Some(manifest_index) = manifest_index else {
        bail!("{described}: a zip without manifest.json is not a ca-doctor bundle");
    };
    let mut bytes = Vec::new();
    {
        let entry = archive
            .by_index(manifest_index)
            .with_context(|| format!("{described}: manifest.json is unreadable"))?;
        copy_limited(entry, &mut bytes, MAX_MANIFEST_BYTES, "manifest.json")?;
    }
    let manifest = parse_manifest(&bytes, &described)?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .with_context(|| format!("{described}: entry {index} is unreadable"))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let Some(relative) = target_for(&name, &manifest) else {
            continue;
        };
        let target = work.path().join(relative);
        if let Some(parent) = target.parent() {
            private_dir(parent)?;
        }
        let mut out = private_file(&target)?;
        // Never more than declared: a header that lies about the size is a bomb.
        let limit = entry
            .size()
            .min(limits.entry_bytes)
            .min(limits.total_bytes.saturating_sub(total));
        total += copy_limited(&mut entry, &mut out, limit, &format!("{described}: {name}"))?;
    }
    finish(work, Some(manifest), None)
}

fn open_folder(path: &Path, work: tempfile::TempDir, limits: &Limits) -> Result<Opened> {
    let described = path.display().to_string();
    let manifest_path = path.join(entries::MANIFEST);
    let bytes = match read_capped(&manifest_path, MAX_MANIFEST_BYTES) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            bail!("{described}: a folder without manifest.json is not a ca-doctor bundle")
        }
        Err(reason) => bail!("{described}: manifest.json: {reason}"),
    };
    let manifest = parse_manifest(&bytes, &described)?;
    let mut wanted: Vec<String> = manifest.logs.clone();
    wanted.extend(
        [
            entries::JAMF_PREFS,
            entries::SYSTEM_VERSION,
            entries::JAMF_INFO,
        ]
        .map(String::from),
    );
    for dir in [
        entries::USERS_DIR,
        entries::MANAGED_DIR,
        entries::REGISTRATION_DIR,
    ] {
        collect_names(path, Path::new(dir), &mut wanted);
    }
    for name in wanted {
        let Some(relative) = target_for(&name, &manifest) else {
            continue;
        };
        let source = path.join(&name);
        match std::fs::symlink_metadata(&source) {
            Ok(m) if m.file_type().is_symlink() => {
                bail!("{described}: {name} is a symlink: refusing the bundle")
            }
            Ok(m) if m.is_file() => {}
            _ => continue,
        }
        let target = work.path().join(relative);
        if let Some(parent) = target.parent() {
            private_dir(parent)?;
        }
        let from = match open_regular(&source) {
            Ok(Some(file)) => file,
            Ok(None) => continue,
            Err(reason) => bail!("{described}: {name}: {reason}: refusing the bundle"),
        };
        let mut out = private_file(&target)?;
        copy_limited(
            from,
            &mut out,
            limits.entry_bytes,
            &format!("{described}: {name}"),
        )?;
    }
    finish(work, Some(manifest), None)
}

/// Relative names of the files below `dir` (two levels), without following symlinks.
fn collect_names(base: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(found) = std::fs::read_dir(base.join(dir)) else {
        return;
    };
    for entry in found.filter_map(|e| e.ok()) {
        let relative = dir.join(entry.file_name());
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && dir.components().count() < 3 {
            collect_names(base, &relative, out);
        } else if kind.is_file() {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zip::write::SimpleFileOptions;

    fn zip_with(
        entries: &[(&str, &[u8])],
        symlink: Option<(&str, &str)>,
    ) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut zip = zip::ZipWriter::new(file.reopen().unwrap());
        let manifest = serde_json::json!({
            "format": "ca-doctor/bundle", "format_version": 1, "tool_version": "0", "created_at": "2026-11-20T12:00:00-05:00",
            "since_seconds": 432000, "command_line": [], "host": {"architecture": "x86_64"}, "users": ["u"],
            "logs": ["logs/unified.ndjson"], "items": [], "redaction": {"secrets": true, "personal_data": false, "counts": {}},
            "size_cap_bytes": 1, "truncated": false
        });
        zip.start_file("manifest.json", SimpleFileOptions::default())
            .unwrap();
        zip.write_all(manifest.to_string().as_bytes()).unwrap();
        for (name, bytes) in entries {
            zip.start_file(*name, SimpleFileOptions::default()).unwrap();
            zip.write_all(bytes).unwrap();
        }
        if let Some((name, target)) = symlink {
            zip.add_symlink(name, target, SimpleFileOptions::default())
                .unwrap();
        }
        zip.finish().unwrap();
        file
    }

    fn refused(file: &tempfile::NamedTempFile, limits: &Limits) -> String {
        match open_with(file.path(), limits) {
            Ok(_) => panic!("accepted"),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn a_clean_bundle_opens() {
        let file = zip_with(
            &[
                ("logs/unified.ndjson", b"{}\n"),
                ("prefs/users/u/com.jamf.management.jamfAAD.plist", b"x"),
            ],
            None,
        );
        let opened = open(file.path()).unwrap();
        assert_eq!(opened.logs.len(), 1);
        let prefs = opened
            .root
            .join("Users/u/Library/Preferences/com.jamf.management.jamfAAD.plist");
        assert!(prefs.is_file());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&prefs), 0o600, "extracted files are private");
            assert_eq!(mode(prefs.parent().unwrap()), 0o700);
            assert_eq!(mode(opened.root.parent().unwrap()), 0o700);
        }
    }

    #[test]
    fn zip_slip_absolute_and_symlink_entries_are_refused() {
        assert!(
            refused(
                &zip_with(&[("../../evil.sh", b"x")], None),
                &Limits::DEFAULT
            )
            .contains("unsafe entry name")
        );
        assert!(
            refused(&zip_with(&[("/etc/evil", b"x")], None), &Limits::DEFAULT)
                .contains("unsafe entry name")
        );
        assert!(
            refused(
                &zip_with(&[], Some(("prefs/link", "/etc/passwd"))),
                &Limits::DEFAULT
            )
            .contains("symlink")
        );
    }

    #[test]
    fn bombs_are_refused() {
        let big = vec![0u8; 1 << 20];
        let limits = Limits {
            entries: 100,
            entry_bytes: 64 << 10,
            total_bytes: 1 << 30,
        };
        assert!(
            refused(&zip_with(&[("logs/unified.ndjson", &big)], None), &limits)
                .contains("declares")
        );
        let many: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("x/{i}"), vec![1u8])).collect();
        let many_refs: Vec<(&str, &[u8])> = many
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let few = Limits {
            entries: 10,
            ..Limits::DEFAULT
        };
        assert!(refused(&zip_with(&many_refs, None), &few).contains("entries"));
        // A header that lies about the size: the inflated bytes are counted.
        let file = zip_with(&[("logs/unified.ndjson", &big)], None);
        let mut bytes = std::fs::read(file.path()).unwrap();
        for signature in [&b"PK\x01\x02"[..], b"PK\x03\x04"] {
            let mut at = 0;
            while let Some(found) = memchr::memmem::find(&bytes[at..], signature) {
                let header = at + found;
                let size_offset = if signature == b"PK\x01\x02" { 24 } else { 22 };
                let declared = u32::from_le_bytes(
                    bytes[header + size_offset..header + size_offset + 4]
                        .try_into()
                        .unwrap(),
                );
                if declared == (1 << 20) {
                    bytes[header + size_offset..header + size_offset + 4]
                        .copy_from_slice(&100u32.to_le_bytes());
                }
                at = header + 4;
            }
        }
        std::fs::write(file.path(), &bytes).unwrap();
        let message = refused(&file, &Limits::DEFAULT);
        // The zip reader itself stops at the declared size.
        assert!(
            message.ends_with(
                ": logs/unified.ndjson: read failed: File is larger than its declared uncompressed size"
            ),
            "{message}"
        );
    }

    #[test]
    fn entry_names() {
        for good in [
            "manifest.json",
            "prefs/users/jdoe/x.plist",
            "logs/",
            "logs/unified.ndjson",
        ] {
            assert!(is_safe_entry_name(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "C:/x",
            "a\\b",
            "a//b",
            "a\0b",
            "./x",
        ] {
            assert!(!is_safe_entry_name(bad), "{bad:?}");
        }
    }
}

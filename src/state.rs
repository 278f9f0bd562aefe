//! The incremental state `tick` keeps and `ea` answers from: the log evidence
//! of the rolling window, the cursor, and each user's latest verdict.
//!
//! Written atomically (a new file beside it, then rename), never through a
//! symlink, mode 0600, under a lock against concurrent ticks. Anything odd on
//! reading (missing fields, another schema, garbage, a cut-off file) makes it
//! discarded, never trusted and never fatal.

use crate::evidence::StoredEvidence;
use crate::sources::registration::Registration;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The `schema` field of a state file.
pub const STATE_SCHEMA: &str = "ca-doctor/state";
/// The `version` field; a state of another version is discarded.
pub const STATE_VERSION: u32 = 1;
/// Largest state file read.
const MAX_STATE_BYTES: u64 = 64 << 20;

/// What the last log read left to say.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LogRecord {
    /// Where the log came from: `live` or `files`.
    pub source: String,
    /// Entries read by the last tick.
    pub last_entries_read: u64,
    /// Entries read by every tick since the state was created.
    pub entries_read_total: u64,
    /// Matched entries read by every tick since the state was created.
    pub entries_matched_total: u64,
    /// Styles of the last tick's inputs.
    pub styles: Vec<String>,
    /// Why the last read was incomplete, if it was.
    pub problems: Vec<String>,
}

/// The latest verdict of one user, as the last tick saw it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserRecord {
    /// Status token.
    pub status: String,
    /// Primary cause.
    pub primary_cause: Option<String>,
    /// The EA value the tick computed.
    pub ea_value: String,
    /// Registration evidence gathered by the tick.
    pub registration: Option<Registration>,
    /// The user's home folder, as the tick found it.
    #[serde(default)]
    pub home: Option<String>,
}

/// The state file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct State {
    /// Always [`STATE_SCHEMA`].
    pub schema: String,
    /// Always [`STATE_VERSION`].
    pub version: u32,
    /// The analysis clock of the tick that wrote it.
    pub written_at: DateTime<FixedOffset>,
    /// Length of the rolling window, in seconds.
    pub window_seconds: i64,
    /// The log evidence.
    pub evidence: StoredEvidence,
    /// About the log reads.
    pub log: LogRecord,
    /// Per user.
    pub users: BTreeMap<String, UserRecord>,
}

impl State {
    fn check(&self) -> Result<(), String> {
        if self.schema != STATE_SCHEMA {
            return Err(format!("schema {:?} is not {STATE_SCHEMA:?}", self.schema));
        }
        if self.version != STATE_VERSION {
            return Err(format!("version {} is not {STATE_VERSION}", self.version));
        }
        if self.window_seconds <= 0 {
            return Err("window is not positive".to_string());
        }
        self.evidence
            .restore()
            .map(|_| ())
            .map_err(|e| format!("evidence: {e:#}"))
    }
}

/// Reads the state: `Ok(None)` when there is none, `Err(reason)` when there
/// is one that must be discarded.
pub fn load(path: &Path) -> Result<Option<State>, String> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    if !metadata.is_file() {
        return Err("not a regular file".to_string());
    }
    if metadata.len() > MAX_STATE_BYTES {
        return Err(format!("larger than {} MiB", MAX_STATE_BYTES >> 20));
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_STATE_BYTES).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    let state: State =
        serde_json::from_slice(&bytes).map_err(|e| format!("not a ca-doctor state: {e}"))?;
    state.check()?;
    Ok(Some(state))
}

/// Writes the state atomically: a new file (created exclusively, mode 0600,
/// never through a symlink) beside it, flushed, then renamed over it. The
/// folder is created (0755) if needed; a symlinked folder is refused.
pub fn save(path: &Path, state: &State) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "state path has no folder"))?;
    ensure_private_dir(dir)?;
    let bytes = serde_json::to_vec(state).map_err(io::Error::other)?;
    let temporary = temporary_path(path);
    let mut file = create_new_private(&temporary)?;
    let written = file.write_all(&bytes).and_then(|_| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|_| fs::rename(&temporary, path)) {
        let _ = fs::remove_file(&temporary);
        return Err(e);
    }
    Ok(())
}

fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} is a symlink: refusing to write through it",
                dir.display()
            ),
        )),
        Ok(m) if !m.is_dir() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a folder", dir.display()),
        )),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut builder = fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o755);
            }
            builder.create(dir)
        }
        Err(e) => Err(e),
    }
}

fn create_new_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    match options.open(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            // A leftover of a killed run with our PID: remove it (never follow it) and retry once.
            fs::remove_file(path)?;
            options.open(path)
        }
        other => other,
    }
}

/// An exclusive lock on the state (a lock file beside it), released on drop.
pub struct StateLock {
    _file: File,
}

/// Takes the state lock, waiting up to `wait`; `Ok(None)` when another run
/// still holds it.
pub fn lock(state_path: &Path, wait: Duration) -> io::Result<Option<StateLock>> {
    let dir = state_path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "state path has no folder"))?;
    ensure_private_dir(dir)?;
    let lock_path = state_path.with_extension("lock");
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(&lock_path)?;
    let deadline = Instant::now() + wait;
    loop {
        if try_lock(&file)? {
            return Ok(Some(StateLock { _file: file }));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock(2) on a descriptor we own; no memory is shared.
    let result = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if result == 0 {
        return Ok(true);
    }
    let error = io::Error::last_os_error();
    if error.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(false)
    } else {
        Err(error)
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::EvidenceStore;

    fn sample_state() -> State {
        State {
            schema: STATE_SCHEMA.to_string(),
            version: STATE_VERSION,
            written_at: DateTime::parse_from_rfc3339("2026-11-20T12:00:00-05:00").unwrap(),
            window_seconds: 432_000,
            evidence: StoredEvidence::from(&EvidenceStore::default()),
            log: LogRecord::default(),
            users: BTreeMap::new(),
        }
    }

    #[test]
    fn round_trip_and_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.json");
        save(&path, &sample_state()).unwrap();
        assert_eq!(load(&path).unwrap(), Some(sample_state()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert_eq!(
            fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn odd_states_are_discarded_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        assert_eq!(load(&path), Ok(None));
        for bytes in [
            &b""[..],
            b"garbage",
            b"{\"schema\":\"other\"}",
            b"{\"schema\":\"ca-doctor/state\",\"version\":1",
        ] {
            fs::write(&path, bytes).unwrap();
            assert!(load(&path).is_err(), "{:?}", String::from_utf8_lossy(bytes));
        }
        let mut other = sample_state();
        other.version = 99;
        fs::write(&path, serde_json::to_vec(&other).unwrap()).unwrap();
        assert!(load(&path).unwrap_err().contains("version 99"));
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        fs::create_dir(&target).unwrap();
        let link = dir.path().join("linked");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(save(&link.join("state.json"), &sample_state()).is_err());
        assert_eq!(fs::read_dir(&target).unwrap().count(), 0);
        // A symlink planted at the temporary name is not followed either.
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep").unwrap();
        std::os::unix::fs::symlink(&victim, temporary_path(&real.join("state.json"))).unwrap();
        save(&real.join("state.json"), &sample_state()).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    }

    #[test]
    fn lock_is_exclusive() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let held = lock(&path, Duration::ZERO).unwrap();
        assert!(held.is_some());
        assert!(lock(&path, Duration::from_millis(50)).unwrap().is_none());
        drop(held);
        assert!(lock(&path, Duration::ZERO).unwrap().is_some());
    }
}

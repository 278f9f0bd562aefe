//! The incremental state `tick` keeps and `ea` answers from: the log evidence
//! of the rolling window, the cursor, and each user's latest verdict.
//!
//! Written atomically (a new private temporary file beside it, then rename
//! over it), never through a symlink, mode 0600, under a lock against
//! concurrent ticks. Anything odd on
//! reading (missing fields, another schema, garbage, a cut-off file) makes it
//! discarded, never trusted and never fatal.

use crate::evidence::store::StoredEvidence;
use crate::mac::registration::Registration;
use crate::util::files::read_capped;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// The `schema` field of a state file.
pub(crate) const STATE_SCHEMA: &str = "ca-doctor/state";
/// The `version` field; a state of another version is discarded.
pub(crate) const STATE_VERSION: u32 = 2;
/// Largest state file read.
const MAX_STATE_BYTES: u64 = 64 << 20;

/// What the last log read left to say.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct LogRecord {
    /// Where the log came from: `live` or `files`.
    pub(crate) source: String,
    /// Entries read by the last tick.
    pub(crate) last_entries_read: u64,
    /// Entries read by every tick since the state was created.
    pub(crate) entries_read_total: u64,
    /// Matched entries read by every tick since the state was created.
    pub(crate) entries_matched_total: u64,
    /// Styles of the last tick's inputs.
    pub(crate) styles: Vec<String>,
    /// Why the last read was incomplete, if it was.
    pub(crate) problems: Vec<String>,
}

/// The latest verdict of one user, as the last tick saw it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct UserRecord {
    /// Status token.
    pub(crate) status: String,
    /// Primary cause.
    pub(crate) primary_cause: Option<String>,
    /// Registration evidence gathered by the tick.
    pub(crate) registration: Option<Registration>,
    /// The user's home folder, as the tick found it.
    #[serde(default)]
    pub(crate) home: Option<String>,
}

/// The state file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct State {
    /// Always [`STATE_SCHEMA`].
    pub(crate) schema: String,
    /// Always [`STATE_VERSION`].
    pub(crate) version: u32,
    /// The analysis clock of the tick that wrote it.
    pub(crate) written_at: DateTime<FixedOffset>,
    /// Length of the rolling window, in seconds.
    pub(crate) window_seconds: i64,
    /// The log evidence.
    pub(crate) evidence: StoredEvidence,
    /// About the log reads.
    pub(crate) log: LogRecord,
    /// Per user.
    pub(crate) users: BTreeMap<String, UserRecord>,
}

impl State {
    fn check(&self) -> anyhow::Result<()> {
        if self.schema != STATE_SCHEMA {
            return Err(anyhow::anyhow!(
                "schema {:?} is not {STATE_SCHEMA:?}",
                self.schema
            ));
        }
        if self.version != STATE_VERSION {
            return Err(anyhow::anyhow!(
                "version {} is not {STATE_VERSION}",
                self.version
            ));
        }
        if self.window_seconds <= 0 {
            return Err(anyhow::anyhow!("window is not positive"));
        }
        self.evidence
            .restore()
            .map(|_| ())
            .map_err(|e| anyhow::anyhow!("evidence: {e:#}"))
    }
}

/// Reads the state: `Ok(None)` when there is none, `Err(reason)` when there
/// is one that must be discarded.
pub(crate) fn load(path: &Path) -> anyhow::Result<Option<State>> {
    let Some(bytes) = read_capped(path, MAX_STATE_BYTES)? else {
        return Ok(None);
    };
    // The schema and version first, so that an older state is discarded for
    // what it is rather than for the first field that changed.
    #[derive(Deserialize)]
    struct Header {
        schema: String,
        version: u32,
    }
    if let Ok(header) = serde_json::from_slice::<Header>(&bytes) {
        if header.schema != STATE_SCHEMA {
            return Err(anyhow::anyhow!(
                "schema {:?} is not {STATE_SCHEMA:?}",
                header.schema
            ));
        }
        if header.version != STATE_VERSION {
            return Err(anyhow::anyhow!(
                "version {} is not {STATE_VERSION}",
                header.version
            ));
        }
    }
    let state: State = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("not a ca-doctor state: {e}"))?;
    state.check()?;
    Ok(Some(state))
}

/// Writes the state atomically: a new temporary file (created exclusively,
/// mode 0600) beside it, flushed, then renamed over it; a symlink at the
/// state's own path is replaced, never followed. The folder is created
/// (0755) if needed; a symlinked folder is refused.
pub(crate) fn save(path: &Path, state: &State) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "state path has no folder"))?;
    ensure_private_dir(dir)?;
    let bytes = serde_json::to_vec(state).map_err(io::Error::other)?;
    crate::util::files::write_atomically(path, &bytes)
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

/// Removes the temporary files a killed writer left beside the state
/// (`.state.json.*.tmp`); call it holding the lock, when no writer runs.
/// Symlinks among them are removed, never followed. Returns how many.
pub(crate) fn sweep_temporaries(path: &Path) -> usize {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return 0;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && name.ends_with(".tmp")
        })
        .filter(|entry| fs::remove_file(entry.path()).is_ok())
        .count()
}

/// An exclusive lock on the state (a lock file beside it), released on drop.
pub(crate) struct StateLock {
    _file: File,
}

/// Takes the state lock, waiting up to `wait`; `Ok(None)` when another run
/// still holds it.
pub(crate) fn lock(state_path: &Path, wait: Duration) -> io::Result<Option<StateLock>> {
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
        match file.try_lock() {
            Ok(()) => return Ok(Some(StateLock { _file: file })),
            Err(fs::TryLockError::WouldBlock) => {}
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::store::EvidenceStore;

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
        assert!(matches!(load(&path), Ok(None)));
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
        assert!(load(&path).unwrap_err().to_string().contains("version 99"));
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
        // A symlink planted at the state's own path is replaced, not followed.
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep").unwrap();
        std::os::unix::fs::symlink(&victim, real.join("state.json")).unwrap();
        save(&real.join("state.json"), &sample_state()).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert!(
            fs::symlink_metadata(real.join("state.json"))
                .unwrap()
                .is_file()
        );
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

//! A folder ca-doctor keeps writing into, perhaps as root, at a path
//! someone else may share (`fetch --out`, `fleet --history`): reached and
//! made without following a symlink root does not own at any step, then
//! held open, so every file is made, replaced, listed and read relative to
//! that very folder: new and private, replaced atomically under a name no
//! other run uses, read as a regular file only and never past a cap.

use anyhow::Context;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An opened folder.
pub(crate) struct Folder {
    path: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

impl Folder {
    /// Opens the folder at `path`, making it and the folders missing on
    /// the way (readable by their owner only); `flag` names where the path
    /// came from in the one-line error.
    pub(crate) fn open_or_create(path: &Path, flag: &str) -> anyhow::Result<Folder> {
        #[cfg(unix)]
        {
            let fd = crate::util::files::open_or_create_folder(path).map_err(|e| {
                let why = match e.raw_os_error() {
                    Some(libc::ELOOP) => "a symlink on the way: not followed".to_string(),
                    Some(libc::ENOTDIR) => "not a folder (symlinks are not followed)".to_string(),
                    _ => e.to_string(),
                };
                anyhow::anyhow!("{flag} {}: {why}", path.display())
            })?;
            Ok(Folder {
                path: path.to_path_buf(),
                fd,
            })
        }
        #[cfg(not(unix))]
        {
            crate::util::files::private_dir(path).map_err(|e| anyhow::anyhow!("{flag} {e:#}"))?;
            if !crate::util::files::folder_without_links(path)? {
                return Err(anyhow::anyhow!("{flag} {}: not a folder", path.display()));
            }
            Ok(Folder {
                path: path.to_path_buf(),
            })
        }
    }

    /// Where it is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The path of `name` in it (for messages and records).
    pub(crate) fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Writes `bytes` to the new file `name` (never over a file, never
    /// through a link), readable by its owner only; a file left half
    /// written is removed.
    pub(crate) fn write_new(&self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.join(name);
        let mut file = self
            .create(name)
            .with_context(|| format!("{}: cannot create", path.display()))?;
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(e) = written {
            drop(file);
            self.remove(name);
            return Err(anyhow::anyhow!("{}: {e}", path.display()));
        }
        Ok(())
    }

    /// Replaces `name` with `bytes` atomically: a private temporary file
    /// under a name no other run uses, flushed, then renamed over it (a
    /// reader sees the old file or the new one). On any failure the
    /// temporary file is removed and the error names `name`'s path.
    pub(crate) fn replace(&self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.join(name);
        let (temporary, mut file) = self
            .create_temporary(name)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let written = file
            .write_all(bytes)
            .and_then(|()| file.sync_all())
            .and_then(|()| self.rename(&temporary, name));
        drop(file);
        if let Err(e) = written {
            self.remove(&temporary);
            return Err(anyhow::anyhow!("{}: {e}", path.display()));
        }
        Ok(())
    }

    /// A new temporary file beside `name`: its name and the file.
    fn create_temporary(&self, name: &str) -> std::io::Result<(String, File)> {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mut last = std::io::Error::from(std::io::ErrorKind::AlreadyExists);
        for _ in 0..16 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let temporary = format!(".{name}.{}.{count}.{nanos}.tmp", std::process::id());
            match self.create(&temporary) {
                Ok(file) => return Ok((temporary, file)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = e,
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// The names in it, sorted (whatever they are: read them with
    /// [`Folder::read_regular`]).
    pub(crate) fn names(&self) -> std::io::Result<Vec<String>> {
        #[cfg(unix)]
        let mut names = imp::names(&self.fd)?;
        #[cfg(not(unix))]
        let mut names: Vec<String> = std::fs::read_dir(&self.path)?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }

    /// Reads the regular file `name` whole, at most `cap` bytes: a link, a
    /// FIFO or a device is refused without blocking; the error names it.
    pub(crate) fn read_regular(&self, name: &str, cap: u64) -> anyhow::Result<Vec<u8>> {
        let path = self.join(name);
        #[cfg(unix)]
        let file = imp::open_regular(&self.fd, name);
        #[cfg(not(unix))]
        let file = match crate::util::files::open_regular(&path) {
            Ok(Some(file)) => Ok(file),
            Ok(None) => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
            Err(e) => Err(std::io::Error::other(e.to_string())),
        };
        let file = file.map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        crate::util::files::read_file_capped(file, cap)
            .map_err(|e| anyhow::anyhow!("{}: {e:#}", path.display()))
    }

    #[cfg(unix)]
    fn create(&self, name: &str) -> std::io::Result<File> {
        imp::create(&self.fd, name)
    }

    #[cfg(not(unix))]
    fn create(&self, name: &str) -> std::io::Result<File> {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.join(name))
    }

    #[cfg(unix)]
    fn rename(&self, from: &str, to: &str) -> std::io::Result<()> {
        imp::rename(&self.fd, from, to)
    }

    #[cfg(not(unix))]
    fn rename(&self, from: &str, to: &str) -> std::io::Result<()> {
        std::fs::rename(self.join(from), self.join(to))
    }

    /// Removes `name` (a file this run made), quietly.
    fn remove(&self, name: &str) {
        #[cfg(unix)]
        imp::unlink(&self.fd, name);
        #[cfg(not(unix))]
        let _ = std::fs::remove_file(self.join(name));
    }
}

#[cfg(unix)]
mod imp {
    use crate::util::files::open_at;
    use std::ffi::{CStr, CString};
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsRawFd, OwnedFd};

    fn c_name(name: &str) -> io::Result<CString> {
        if name.contains('/') || name == ".." || name == "." {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a plain file name",
            ));
        }
        CString::new(name).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    }

    /// Creates `name` in `dir`: new, no link followed, 0600.
    pub(super) fn create(dir: &OwnedFd, name: &str) -> io::Result<File> {
        c_name(name)?;
        open_at(
            Some(dir),
            name.as_bytes(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW,
            0o600,
        )
        .map(File::from)
    }

    /// Opens `name` in `dir` to read: no link followed, never blocking on a
    /// FIFO, a regular file only.
    pub(super) fn open_regular(dir: &OwnedFd, name: &str) -> io::Result<File> {
        c_name(name)?;
        let file = File::from(open_at(
            Some(dir),
            name.as_bytes(),
            libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK,
            0,
        )?);
        if !file.metadata()?.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        Ok(file)
    }

    /// Renames `from` to `to` within `dir`.
    pub(super) fn rename(dir: &OwnedFd, from: &str, to: &str) -> io::Result<()> {
        let (from, to) = (c_name(from)?, c_name(to)?);
        let fd = dir.as_raw_fd();
        // SAFETY: renameat(2) within a folder we hold open, NUL-terminated
        // names.
        match unsafe { libc::renameat(fd, from.as_ptr(), fd, to.as_ptr()) } {
            0 => Ok(()),
            _ => Err(io::Error::last_os_error()),
        }
    }

    /// Removes `name` from `dir`, quietly.
    pub(super) fn unlink(dir: &OwnedFd, name: &str) {
        if let Ok(name) = c_name(name) {
            // SAFETY: unlinkat(2) in a folder we hold open, a NUL-terminated
            // name.
            unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), 0) };
        }
    }

    /// The names in `dir` (`.` and `..` aside, names not UTF-8 aside).
    pub(super) fn names(dir: &OwnedFd) -> io::Result<Vec<String>> {
        // SAFETY: dup(2) of a descriptor we own; the copy is handed to
        // fdopendir(3), which owns it from then on (closedir closes it).
        let copy = unsafe { libc::dup(dir.as_raw_fd()) };
        if copy < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fdopendir(3) on the descriptor just made.
        let stream = unsafe { libc::fdopendir(copy) };
        if stream.is_null() {
            let error = io::Error::last_os_error();
            // SAFETY: the copy is still ours when fdopendir failed.
            unsafe { libc::close(copy) };
            return Err(error);
        }
        let mut names = Vec::new();
        // SAFETY: the stream is valid until closedir; each entry is valid
        // until the next readdir, and its name is NUL-terminated.
        unsafe {
            libc::rewinddir(stream);
            loop {
                let entry = libc::readdir(stream);
                if entry.is_null() {
                    break;
                }
                let name = CStr::from_ptr((*entry).d_name.as_ptr());
                if let Ok(name) = name.to_str()
                    && name != "."
                    && name != ".."
                {
                    names.push(name.to_string());
                }
            }
            libc::closedir(stream);
        }
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_made_replaced_listed_and_read_in_the_opened_folder() {
        let work = tempfile::tempdir().unwrap();
        let folder = Folder::open_or_create(&work.path().join("a/b"), "--out").unwrap();
        folder.write_new("one.json", b"1").unwrap();
        assert!(
            folder.write_new("one.json", b"again").is_err(),
            "never over a file"
        );
        folder.replace("two.json", b"2").unwrap();
        folder.replace("two.json", b"22").unwrap();
        assert_eq!(folder.names().unwrap(), ["one.json", "two.json"]);
        assert_eq!(folder.read_regular("two.json", 10).unwrap(), b"22");
        let error = folder.read_regular("two.json", 1).unwrap_err().to_string();
        assert!(error.contains("two.json: larger than 1 bytes"), "{error}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&work.path().join("a")), 0o700);
            assert_eq!(mode(&work.path().join("a/b/two.json")), 0o600);
            std::os::unix::fs::symlink("/etc/passwd", work.path().join("a/b/link.json")).unwrap();
            assert!(folder.read_regular("link.json", 1 << 20).is_err());
            assert!(
                folder.read_regular("../b/one.json", 10).is_err(),
                "a plain name only"
            );
        }
    }
}

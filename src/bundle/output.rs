//! Creating the bundle file safely. ca-doctor runs as root and writes into
//! folders a user may control (their Desktop, a folder named with
//! `--output`): the file is created exclusively (never replacing anything),
//! never through a symlink, mode 0600, and only then handed to the user.
//!
//! Below a trusted folder (the user's home, from the directory service) every
//! path component is opened with `O_NOFOLLOW`, one at a time, so a symlink
//! planted anywhere on the way (e.g. `Desktop -> /etc`) is refused rather
//! than followed. A folder named with `--output` is walked the same way,
//! following only symlinks root owns (macOS's own `/tmp`, `/var`). The file
//! is created relative to the opened folder, and a bundle that fails is
//! removed from that same folder ([`NewFile::discard`]): no partial zip is
//! left behind.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

/// A file just created for a bundle, with the folder it was made in.
pub(crate) struct NewFile {
    /// The file, open for writing.
    pub(crate) file: File,
    /// Where it is, for messages.
    pub(crate) path: PathBuf,
    /// Its name in `folder`.
    name: OsString,
    /// The folder it was created in.
    #[cfg(unix)]
    folder: std::os::fd::OwnedFd,
}

impl NewFile {
    /// Removes the file again (a bundle that failed), from the folder it
    /// was created in, and only while that name still is this file.
    pub(crate) fn discard(self) {
        #[cfg(unix)]
        imp::unlink_if_same(&self.folder, &self.name, &self.file);
        #[cfg(not(unix))]
        {
            drop(self.file);
            let _ = std::fs::remove_file(&self.path);
            let _ = self.name;
        }
    }
}

/// Creates `relative` (a plain relative path, no `..`) below `base`, walking
/// every component without following symlinks; optionally hands the new
/// file to `owner` (`uid`, `gid`).
pub(crate) fn create_below(
    base: &Path,
    relative: &Path,
    owner: Option<(u32, u32)>,
) -> io::Result<NewFile> {
    let components: Vec<_> = relative.components().collect();
    if components.is_empty() || !components.iter().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output name must be a plain relative path",
        ));
    }
    let file = imp::create_below(base, &components, owner)?;
    Ok(NewFile {
        path: base.join(relative),
        ..file
    })
}

/// Creates the file at `path` (named with `--output`) exclusively, mode
/// 0600: no symlink anywhere on the way unless root owns it, none at all as
/// its last component.
pub(crate) fn create_exclusive(path: &Path, owner: Option<(u32, u32)>) -> io::Result<NewFile> {
    let name = path
        .file_name()
        .filter(|_| !path.as_os_str().to_string_lossy().ends_with('/'))
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file = imp::create_in(folder, name, owner)?;
    Ok(NewFile {
        path: path.to_path_buf(),
        ..file
    })
}

fn hand_over(file: &File, owner: Option<(u32, u32)>) -> io::Result<()> {
    #[cfg(unix)]
    if let Some((uid, gid)) = owner
        && crate::mac::runner::running_as_root()
    {
        std::os::unix::fs::fchown(file, Some(uid), Some(gid))?;
    }
    #[cfg(not(unix))]
    let _ = (file, owner);
    Ok(())
}

#[cfg(unix)]
mod imp {
    use super::{NewFile, hand_over};
    use crate::util::files::{open_at, open_folder};
    use std::ffi::{OsStr, OsString};
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    use std::path::{Component, Path, PathBuf};

    fn open_dir_at(parent: Option<&OwnedFd>, name: &[u8]) -> io::Result<OwnedFd> {
        open_at(
            parent,
            name,
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
            0,
        )
    }

    /// Creates `name` in the opened `folder`: exclusive, no symlink, 0600.
    fn create_at(folder: OwnedFd, name: &OsStr, owner: Option<(u32, u32)>) -> io::Result<NewFile> {
        let file = File::from(open_at(
            Some(&folder),
            name.as_bytes(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW,
            0o600,
        )?);
        let made = NewFile {
            file,
            path: PathBuf::new(),
            name: name.to_os_string(),
            folder,
        };
        if let Err(e) = hand_over(&made.file, owner) {
            made.discard();
            return Err(e);
        }
        Ok(made)
    }

    pub(super) fn create_below(
        base: &Path,
        components: &[Component],
        owner: Option<(u32, u32)>,
    ) -> io::Result<NewFile> {
        let mut dir = open_dir_at(None, base.as_os_str().as_bytes())?;
        let (last, folders) = components
            .split_last()
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        for component in folders {
            dir = open_dir_at(Some(&dir), component.as_os_str().as_bytes()).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "{}: {e} (symlinks are not followed)",
                        component.as_os_str().to_string_lossy()
                    ),
                )
            })?;
        }
        create_at(dir, last.as_os_str(), owner)
    }

    pub(super) fn create_in(
        folder: &Path,
        name: &OsStr,
        owner: Option<(u32, u32)>,
    ) -> io::Result<NewFile> {
        let dir = open_folder(folder)?;
        create_at(dir, name, owner)
    }

    /// Unlinks `name` in `folder` when it is still `file` (same device and
    /// inode): a user who swapped the name keeps their file.
    pub(super) fn unlink_if_same(folder: &OwnedFd, name: &OsString, file: &File) {
        let Ok(ours) = file.metadata() else {
            return;
        };
        let Ok(name) = std::ffi::CString::new(name.as_bytes()) else {
            return;
        };
        // SAFETY: a zeroed stat is a valid value for fstatat(2) to fill.
        let mut stat: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: fstatat(2) and unlinkat(2) on a descriptor we own and a
        // NUL-terminated name.
        unsafe {
            if libc::fstatat(
                folder.as_raw_fd(),
                name.as_ptr(),
                &mut stat,
                libc::AT_SYMLINK_NOFOLLOW,
            ) == 0
                && stat.st_dev as u64 == ours.dev()
                && stat.st_ino as u64 == ours.ino()
            {
                libc::unlinkat(folder.as_raw_fd(), name.as_ptr(), 0);
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use super::NewFile;
    use std::ffi::OsStr;
    use std::fs::File;
    use std::io;
    use std::path::{Component, Path, PathBuf};

    fn create(path: PathBuf, owner: Option<(u32, u32)>) -> io::Result<NewFile> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        super::hand_over(&file, owner)?;
        Ok(NewFile {
            file,
            name: path.file_name().unwrap_or_default().to_os_string(),
            path,
        })
    }

    pub(super) fn create_below(
        base: &Path,
        components: &[Component],
        owner: Option<(u32, u32)>,
    ) -> io::Result<NewFile> {
        let path: PathBuf = components.iter().collect();
        create(base.join(path), owner)
    }

    pub(super) fn create_in(
        folder: &Path,
        name: &OsStr,
        owner: Option<(u32, u32)>,
    ) -> io::Result<NewFile> {
        let _ = File::open(folder)?;
        create(folder.join(name), owner)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn creates_private_and_exclusive() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("Desktop")).unwrap();
        let relative = Path::new("Desktop/bundle.zip");
        let made = create_below(dir.path(), relative, None).unwrap();
        assert_eq!(made.path, dir.path().join(relative));
        let mode = std::fs::metadata(dir.path().join(relative))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(
            create_below(dir.path(), relative, None)
                .err()
                .unwrap()
                .kind(),
            io::ErrorKind::AlreadyExists
        );
    }

    #[test]
    fn refuses_symlinks_on_the_way_and_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("Desktop")).unwrap();
        assert!(create_below(dir.path(), Path::new("Desktop/bundle.zip"), None).is_err());
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join("real/bundle.zip")).unwrap();
        assert!(create_below(dir.path(), Path::new("real/bundle.zip"), None).is_err());
        assert!(create_exclusive(&dir.path().join("real/bundle.zip"), None).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(create_below(dir.path(), Path::new("../x.zip"), None).is_err());
        // A symlinked folder anywhere on an --output path is refused too
        // (root's own links aside).
        let deep = dir.path().join("real/deeper");
        std::fs::create_dir(&deep).unwrap();
        std::os::unix::fs::symlink(&elsewhere, deep.join("link")).unwrap();
        if crate::mac::runner::running_as_root() {
            // As a user of the Mac would own it.
            std::os::unix::fs::lchown(deep.join("link"), Some(501), Some(20)).unwrap();
        }
        assert!(create_exclusive(&deep.join("link/bundle.zip"), None).is_err());
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    }

    #[test]
    fn a_discarded_file_is_gone_unless_its_name_was_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        create_exclusive(&path, None).unwrap().discard();
        assert!(!path.exists());
        let made = create_exclusive(&path, None).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, "someone else's").unwrap();
        made.discard();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "someone else's");
    }
}

//! Creating the bundle file safely. ca-doctor runs as root and writes into a
//! folder the user controls (their Desktop): the file is created exclusively
//! (never replacing anything), never through a symlink, mode 0600, and only
//! then handed to the user.
//!
//! Below a trusted folder (the user's home, from the directory service) every
//! path component is opened with `O_NOFOLLOW`, one at a time, so a symlink
//! planted anywhere on the way (e.g. `Desktop -> /etc`) is refused rather
//! than followed; the file is created relative to the opened folder.

use std::fs::File;
use std::io;
use std::path::{Component, Path};

/// Creates `relative` (a plain relative path, no `..`) below `base`, walking
/// every component without following symlinks; optionally hands the new
/// file to `owner` (`uid`, `gid`).
pub(crate) fn create_below(
    base: &Path,
    relative: &Path,
    owner: Option<(u32, u32)>,
) -> io::Result<File> {
    let components: Vec<_> = relative.components().collect();
    if components.is_empty() || !components.iter().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output name must be a plain relative path",
        ));
    }
    imp::create_below(base, &components, owner)
}

/// Creates the file at `path` exclusively, mode 0600, refusing a symlink as
/// its last component (for a path an administrator names with `--output`).
pub(crate) fn create_exclusive(path: &Path, owner: Option<(u32, u32)>) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path)?;
    hand_over(&file, owner)?;
    Ok(file)
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
    use super::hand_over;
    use crate::util::files::open_at;
    use std::fs::File;
    use std::io;
    use std::os::fd::OwnedFd;
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Component, Path};

    fn open_dir_at(parent: Option<&OwnedFd>, name: &[u8]) -> io::Result<OwnedFd> {
        open_at(
            parent,
            name,
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
            0,
        )
    }

    pub(super) fn create_below(
        base: &Path,
        components: &[Component],
        owner: Option<(u32, u32)>,
    ) -> io::Result<File> {
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
        let file = File::from(open_at(
            Some(&dir),
            last.as_os_str().as_bytes(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW,
            0o600,
        )?);
        hand_over(&file, owner)?;
        Ok(file)
    }
}

#[cfg(not(unix))]
mod imp {
    use std::fs::File;
    use std::io;
    use std::path::{Component, Path};

    pub(crate) fn create_below(
        base: &Path,
        components: &[Component],
        owner: Option<(u32, u32)>,
    ) -> io::Result<File> {
        let path: std::path::PathBuf = components.iter().collect();
        super::create_exclusive(&base.join(path), owner)
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
        create_below(dir.path(), relative, None).unwrap();
        let mode = std::fs::metadata(dir.path().join(relative))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(
            create_below(dir.path(), relative, None).unwrap_err().kind(),
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
    }
}

//! The one way ca-doctor reads a file it did not write itself (preferences,
//! the state, bundle items): reached without following a symlink that root
//! does not own, at any step of the path; a regular file only; never more
//! than a cap.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

#[cfg(not(unix))]
/// The metadata of a regular file: `Ok(None)` when nothing is there, `Err`
/// with a one-line reason for anything else that is (a folder, a symlink, a
/// FIFO, a permission problem).
pub(crate) fn regular_file(path: &Path) -> anyhow::Result<Option<std::fs::Metadata>> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_file() => Ok(Some(metadata)),
        Ok(_) => Err(anyhow::anyhow!(
            "not a regular file (symlinks are not followed)"
        )),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Reads a whole regular file of at most `cap` bytes: `Ok(None)` when it is
/// missing, `Err(reason)` when it is there but not a regular file, larger
/// than `cap`, or unreadable.
pub(crate) fn read_capped(path: &Path, cap: u64) -> anyhow::Result<Option<Vec<u8>>> {
    let Some(file) = open_regular(path)? else {
        return Ok(None);
    };
    read_file_capped(file, cap).map(Some)
}

/// Reads an opened regular file of at most `cap` bytes whole.
pub(crate) fn read_file_capped(file: File, cap: u64) -> anyhow::Result<Vec<u8>> {
    let too_large = || anyhow::anyhow!("larger than {}", describe_size(cap));
    if file.metadata()?.len() > cap {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(bytes)
}

/// On whose behalf a file is copied (into a bundle a user may be handed):
/// who may own it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OnBehalfOf {
    /// The computer: root (or whoever runs ca-doctor) owns it.
    Computer,
    /// A user (their uid, when known): they, root or whoever runs
    /// ca-doctor own it.
    User(Option<u32>),
}

/// Checks an opened file before its content is copied on someone's
/// behalf: one link only (a hard link is another file's content under a
/// name the user chose) and an owner that [`OnBehalfOf`] allows. The check
/// is made on the descriptor, so the path cannot be swapped after it.
#[cfg(unix)]
pub(crate) fn check_ownership(file: &File, behalf: OnBehalfOf) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let metadata = file.metadata()?;
    if metadata.nlink() > 1 {
        return Err(anyhow::anyhow!(
            "a hard link ({} links): not copied on a user's behalf",
            metadata.nlink()
        ));
    }
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    let running = unsafe { libc::geteuid() };
    let owner = metadata.uid();
    let allowed = owner == 0
        || owner == running
        || matches!(behalf, OnBehalfOf::User(Some(uid)) if uid == owner);
    if !allowed {
        return Err(match behalf {
            OnBehalfOf::Computer => {
                anyhow::anyhow!("owned by uid {owner}, not by root: not copied")
            }
            OnBehalfOf::User(_) => {
                anyhow::anyhow!("owned by uid {owner}, neither the user nor root: not copied")
            }
        });
    }
    Ok(())
}

/// Elsewhere there are no owners or links to check.
#[cfg(not(unix))]
pub(crate) fn check_ownership(_file: &File, _behalf: OnBehalfOf) -> anyhow::Result<()> {
    Ok(())
}

/// [`open_regular`], then [`check_ownership`].
pub(crate) fn open_owned(path: &Path, behalf: OnBehalfOf) -> anyhow::Result<Option<File>> {
    let Some(file) = open_regular(path)? else {
        return Ok(None);
    };
    check_ownership(&file, behalf)?;
    Ok(Some(file))
}

/// [`read_capped`] of a file copied on someone's behalf ([`check_ownership`]).
pub(crate) fn read_capped_owned(
    path: &Path,
    cap: u64,
    behalf: OnBehalfOf,
) -> anyhow::Result<Option<Vec<u8>>> {
    let Some(file) = open_owned(path, behalf)? else {
        return Ok(None);
    };
    read_file_capped(file, cap).map(Some)
}

/// Checks that nobody else can swap `folder` or any folder above it for
/// another (by renaming it away and putting their own in its place): each
/// is owned by root or by whoever runs ca-doctor, and none is writable by
/// others unless it is sticky (as `/tmp` is). A one-line reason naming the
/// folder otherwise.
#[cfg(unix)]
pub(crate) fn unswappable(folder: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let folder = folder
        .canonicalize()
        .map_err(|e| anyhow::anyhow!("{}: {e}", folder.display()))?;
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    let running = unsafe { libc::geteuid() };
    for dir in folder.ancestors() {
        let metadata =
            std::fs::metadata(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        let owner_ok = metadata.uid() == 0 || metadata.uid() == running;
        let others_write = metadata.mode() & 0o022 != 0;
        let sticky = metadata.mode() & 0o1000 != 0;
        if !owner_ok || (others_write && !sticky) {
            return Err(anyhow::anyhow!(
                "{}: others could swap it (owner uid {}, mode {:o})",
                dir.display(),
                metadata.uid(),
                metadata.mode() & 0o7777
            ));
        }
    }
    Ok(())
}

/// Elsewhere the check is not made.
#[cfg(not(unix))]
pub(crate) fn unswappable(_folder: &Path) -> anyhow::Result<()> {
    Ok(())
}

/// How many symlinks owned by root one open may pass through.
const MAX_ROOT_LINKS: usize = 16;

/// Opens the regular file at `path` for reading without following any
/// symlink that root does not own: every folder on the way and the file
/// itself are opened with `O_NOFOLLOW` one step at a time (`openat`), so a
/// user who swaps a folder of theirs for a symlink to a root-only folder
/// cannot make a root-run ca-doctor read it. Symlinks owned by root (macOS's
/// own `/var`, `/tmp`, `/etc`) are followed. A FIFO or device is refused
/// without blocking. `Ok(None)` when nothing is there.
#[cfg(unix)]
pub(crate) fn open_regular(path: &Path) -> anyhow::Result<Option<File>> {
    match walk(path, true, false) {
        Ok(fd) => {
            let file = File::from(fd);
            match file.metadata() {
                Ok(m) if m.is_file() => Ok(Some(file)),
                Ok(_) => Err(anyhow::anyhow!("not a regular file")),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Whether `path` is a folder reached without following a symlink that root
/// does not own: `Ok(false)` when nothing is there.
#[cfg(unix)]
pub(crate) fn folder_without_links(path: &Path) -> anyhow::Result<bool> {
    match walk(path, false, false) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => Err(anyhow::anyhow!("not a folder")),
        Err(e) => Err(e.into()),
    }
}

/// The one `openat(2)`: opens `name` relative to the folder `dir` (or the
/// current folder), always close-on-exec, creating with `mode` when `flags`
/// ask for it. Every no-follow walk of ca-doctor is made of these steps.
#[cfg(unix)]
pub(crate) fn open_at(
    dir: Option<&std::os::fd::OwnedFd>,
    name: &[u8],
    flags: libc::c_int,
    mode: libc::c_uint,
) -> std::io::Result<std::os::fd::OwnedFd> {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let name = std::ffi::CString::new(name).map_err(|_| {
        std::io::Error::new(ErrorKind::InvalidInput, "a path component holds a NUL byte")
    })?;
    let base = dir.map_or(libc::AT_FDCWD, |d| d.as_raw_fd());
    // SAFETY: openat(2) with a NUL-terminated name and a descriptor we own
    // (or AT_FDCWD); the returned descriptor is owned by the OwnedFd.
    let fd = unsafe { libc::openat(base, name.as_ptr(), flags | libc::O_CLOEXEC, mode) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: fd was just returned by openat and is owned by no one else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Opens the folder at `path` without following any symlink that root does
/// not own, anywhere on the way (see [`open_regular`]): the folder a file
/// is then created in, relative to the descriptor.
#[cfg(unix)]
pub(crate) fn open_folder(path: &Path) -> std::io::Result<std::os::fd::OwnedFd> {
    walk(path, false, false)
}

/// Opens the folder at `path` as [`open_folder`] does, creating the
/// folders missing on the way (0700) as it goes, each made and then opened
/// without following a link: nobody can slip a symlink in between.
#[cfg(unix)]
pub(crate) fn open_or_create_folder(path: &Path) -> std::io::Result<std::os::fd::OwnedFd> {
    walk(path, false, true)
}

/// Opens `path` one component at a time; the last one as a file to read
/// (`file`) or as a folder; folders missing on the way made (`create`).
#[cfg(unix)]
fn walk(path: &Path, file: bool, create: bool) -> std::io::Result<std::os::fd::OwnedFd> {
    use std::collections::VecDeque;
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Component;

    fn components(path: &Path) -> VecDeque<OsString> {
        path.components()
            .filter_map(|c| match c {
                Component::Normal(name) => Some(name.to_os_string()),
                Component::ParentDir => Some(OsString::from("..")),
                _ => None,
            })
            .collect()
    }

    let directory = libc::O_RDONLY | libc::O_DIRECTORY;
    let start = |absolute: bool| open_at(None, if absolute { b"/" } else { b"." }, directory, 0);
    let mut dir = start(path.has_root())?;
    let mut pending = components(path);
    let mut links = 0;
    while let Some(name) = pending.pop_front() {
        let last = pending.is_empty();
        let flags = libc::O_NOFOLLOW
            | if last && file {
                libc::O_RDONLY | libc::O_NONBLOCK
            } else {
                directory
            };
        let bytes = name.as_bytes();
        let mut opened = open_at(Some(&dir), bytes, flags, 0);
        if create && !(last && file) && matches!(&opened, Err(e) if e.kind() == ErrorKind::NotFound)
        {
            make_folder_at(&dir, bytes)?;
            opened = open_at(Some(&dir), bytes, flags, 0);
        }
        match opened {
            Ok(fd) if last => return Ok(fd),
            Ok(fd) => {
                dir = fd;
                continue;
            }
            Err(error) => {
                let Some(target) = root_owned_link(&dir, bytes)? else {
                    return Err(error);
                };
                links += 1;
                if links > MAX_ROOT_LINKS {
                    return Err(std::io::Error::from_raw_os_error(libc::ELOOP));
                }
                let target = Path::new(std::ffi::OsStr::from_bytes(&target)).to_path_buf();
                if target.has_root() {
                    dir = start(true)?;
                }
                let mut next = components(&target);
                next.extend(pending);
                pending = next;
            }
        }
    }
    Ok(dir)
}

/// Makes the folder `name` in `dir`, readable by its owner only (one that
/// is already there is no failure: it is then opened like any other).
#[cfg(unix)]
fn make_folder_at(dir: &std::os::fd::OwnedFd, name: &[u8]) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let name =
        std::ffi::CString::new(name).map_err(|_| std::io::Error::from(ErrorKind::InvalidInput))?;
    // SAFETY: mkdirat(2) on a descriptor we own and a NUL-terminated name.
    let made = unsafe { libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), 0o700) };
    match made {
        0 => Ok(()),
        _ => match std::io::Error::last_os_error() {
            e if e.kind() == ErrorKind::AlreadyExists => Ok(()),
            e => Err(e),
        },
    }
}

/// The target of the symlink `name` in `dir` when root owns it; `Ok(None)`
/// when `name` is no symlink; an error naming the owner when someone else
/// owns it.
#[cfg(unix)]
fn root_owned_link(dir: &std::os::fd::OwnedFd, name: &[u8]) -> std::io::Result<Option<Vec<u8>>> {
    use std::ffi::CString;
    use std::os::fd::AsRawFd;
    let name = CString::new(name).map_err(|_| std::io::Error::from(ErrorKind::InvalidInput))?;
    // SAFETY: a zeroed stat is a valid value for fstatat(2) to fill.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstatat(2) on a descriptor we own, a NUL-terminated name and a
    // stat buffer on our stack.
    let found = unsafe {
        libc::fstatat(
            dir.as_raw_fd(),
            name.as_ptr(),
            &mut stat,
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    if found != 0 {
        return Err(std::io::Error::last_os_error());
    }
    if stat.st_mode & libc::S_IFMT != libc::S_IFLNK {
        return Ok(None);
    }
    if stat.st_uid != 0 {
        return Err(std::io::Error::new(
            ErrorKind::PermissionDenied,
            format!("a symlink owned by uid {}: not followed", stat.st_uid),
        ));
    }
    let mut target = vec![0u8; libc::PATH_MAX as usize];
    // SAFETY: readlinkat(2) writes at most target.len() bytes into our buffer.
    let length = unsafe {
        libc::readlinkat(
            dir.as_raw_fd(),
            name.as_ptr(),
            target.as_mut_ptr().cast(),
            target.len(),
        )
    };
    if length < 0 {
        return Err(std::io::Error::last_os_error());
    }
    target.truncate(length as usize);
    Ok(Some(target))
}

/// Elsewhere: symlinks are refused by their metadata.
#[cfg(not(unix))]
pub(crate) fn open_regular(path: &Path) -> anyhow::Result<Option<File>> {
    match regular_file(path)? {
        Some(_) => File::open(path)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("{e}")),
        None => Ok(None),
    }
}

/// Elsewhere: symlinks are refused by their metadata.
#[cfg(not(unix))]
pub(crate) fn folder_without_links(path: &Path) -> anyhow::Result<bool> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Ok(true),
        Ok(_) => Err(anyhow::anyhow!("not a folder (symlinks are not followed)")),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// `16 MiB`, `512 KiB` or `100 bytes`.
fn describe_size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Creates a folder (and its parents): readable by its owner only.
pub(crate) fn private_dir(path: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(path)
        .with_context(|| format!("{}: cannot create", path.display()))
}

/// Creates a file: new (never over a file, never through a link),
/// readable by its owner only.
pub(crate) fn private_file(path: &Path) -> anyhow::Result<File> {
    use anyhow::Context;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options
        .open(path)
        .with_context(|| format!("{}: cannot create", path.display()))
}

/// The files of a folder, by the one rule for every folder ca-doctor reads.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    /// Regular files, in name order (a subfolder's at its place).
    pub(crate) files: Vec<std::path::PathBuf>,
    /// Subfolders that could not be listed.
    pub(crate) unreadable: Vec<std::path::PathBuf>,
}

/// Lists `folder`: its regular files in name order, hidden files (a
/// leading `.`, as Finder and `ls` hide them) and symbolic links left
/// aside, subfolders walked `depth` levels down. Fails only when `folder`
/// itself cannot be listed.
pub(crate) fn list_folder(folder: &Path, depth: usize) -> std::io::Result<Listing> {
    let mut listing = Listing::default();
    list_into(folder, depth, &mut listing)?;
    Ok(listing)
}

fn list_into(folder: &Path, depth: usize, listing: &mut Listing) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(folder)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() && depth > 0 => list_into(&path, depth - 1, listing)
                .unwrap_or_else(|_| listing.unreadable.push(path)),
            Ok(kind) if kind.is_file() => listing.files.push(path),
            _ => {}
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a new private temporary file
/// (created exclusively, 0600 as `tempfile` makes it) beside it, flushed to disk, then renamed
/// over it. A link at `path` itself is replaced, never followed; a reader
/// sees the old file or the new one, never half of one.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temporary = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Working folders of this process, removed by the signal handler.
static WORK_FOLDERS: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Makes SIGINT, SIGTERM and SIGHUP remove the working folders before the
/// process ends (their drop removes them on every other path).
fn remove_work_folders_on_signals() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if let Ok(folders) = WORK_FOLDERS.lock() {
                for folder in folders.iter() {
                    let _ = std::fs::remove_dir_all(folder);
                }
            }
            std::process::exit(130);
        });
    });
}

/// A new private working folder (0700) named `prefix…`, removed on drop
/// and on signals, in a temporary folder nobody else can swap (see
/// [`unswappable`]): `TMPDIR` is checked, not trusted.
pub(crate) fn work_folder(prefix: &str) -> anyhow::Result<tempfile::TempDir> {
    remove_work_folders_on_signals();
    let parent = std::env::temp_dir();
    unswappable(&parent).map_err(|why| {
        anyhow::anyhow!("the temporary folder is not private enough ({why}): set TMPDIR to a folder only you can change")
    })?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    // Held while the folder is made and listed, so a signal that comes in
    // between waits for the listing and removes the folder too.
    let mut folders = WORK_FOLDERS.lock().ok();
    let work = builder.tempdir_in(&parent).map_err(|e| {
        anyhow::anyhow!(
            "cannot create a working folder in {}: {e}",
            parent.display()
        )
    })?;
    if let Some(folders) = folders.as_mut() {
        folders.push(work.path().to_path_buf());
    }
    Ok(work)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn folders_are_listed_in_name_order_without_hidden_files_or_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "b.json",
            "a.csv",
            ".DS_Store",
            "sub/c.json",
            "sub/deep/d.json",
        ] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::os::unix::fs::symlink(root.join("b.json"), root.join("link.json")).unwrap();
        let names = |listing: Listing| -> Vec<String> {
            let files = listing.files.iter();
            files
                .map(|p| p.strip_prefix(root).unwrap().display().to_string())
                .collect()
        };
        assert_eq!(names(list_folder(root, 0).unwrap()), ["a.csv", "b.json"]);
        assert_eq!(
            names(list_folder(root, 1).unwrap()),
            ["a.csv", "b.json", "sub/c.json"]
        );
        assert_eq!(names(list_folder(root, 2).unwrap()).len(), 4);
        assert!(list_folder(&root.join("missing"), 0).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn atomic_writes_are_private_and_replace_a_link_without_following_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.txt");
        std::fs::write(&target, "untouched").unwrap();
        let path = dir.path().join("state.json");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let metadata = std::fs::symlink_metadata(&path).unwrap();
        assert!(metadata.is_file());
        assert_eq!(metadata.permissions().mode() & 0o777, 0o600);
        write_atomically(&path, b"newer").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "newer");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file is left behind");
    }

    #[test]
    fn missing_small_large_and_odd_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.plist");
        assert_eq!(read_capped(&path, 10).map_err(|e| e.to_string()), Ok(None));
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(
            read_capped(&path, 10).map_err(|e| e.to_string()),
            Ok(Some(b"0123456789".to_vec()))
        );
        assert_eq!(
            read_capped(&path, 9).map_err(|e| e.to_string()),
            Err("larger than 9 bytes".to_string())
        );
        assert_eq!(
            read_capped(&path, 0).map_err(|e| e.to_string()),
            Err("larger than 0 bytes".to_string())
        );
        assert!(
            read_capped(dir.path(), 10)
                .unwrap_err()
                .to_string()
                .contains("not a regular file")
        );
        assert_eq!(describe_size(16 << 20), "16 MiB");
        assert_eq!(describe_size(64 << 10), "64 KiB");
    }

    /// A symlink as an unprivileged user would plant it: owned by uid 501
    /// (when the tests run as root, which may give it away).
    #[cfg(unix)]
    fn plant_link(target: &Path, link: &Path) {
        std::os::unix::fs::symlink(target, link).unwrap();
        // SAFETY: geteuid(2) has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            std::os::unix::fs::lchown(link, Some(501), Some(20)).unwrap();
        }
    }

    #[cfg(unix)]
    #[test]
    fn user_symlinks_are_never_followed_at_any_step() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("root-only");
        std::fs::create_dir(&secret).unwrap();
        std::fs::write(secret.join("secret.log"), b"secret").unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir(&home).unwrap();
        // A file symlink, and a folder symlink in the middle of the path.
        plant_link(&secret.join("secret.log"), &home.join("file.log"));
        plant_link(&secret, &home.join("Logs"));
        for path in [home.join("file.log"), home.join("Logs/secret.log")] {
            let error = read_capped(&path, 100).unwrap_err().to_string();
            assert!(
                error.contains("owned by uid"),
                "{}: {error}",
                path.display()
            );
            assert!(error.ends_with("not followed"), "{error}");
        }
        let folder = folder_without_links(&home.join("Logs"))
            .unwrap_err()
            .to_string();
        assert!(folder.contains("not followed"), "{folder}");
        assert_eq!(
            folder_without_links(&secret).map_err(|e| e.to_string()),
            Ok(true)
        );
        assert_eq!(
            folder_without_links(&home.join("none")).map_err(|e| e.to_string()),
            Ok(false)
        );
        // The real file is read, relative paths too.
        assert_eq!(
            read_capped(&secret.join("secret.log"), 100).map_err(|e| e.to_string()),
            Ok(Some(b"secret".to_vec()))
        );
        // A FIFO is refused at once, not waited on.
        let fifo = home.join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert_eq!(
            read_capped(&fifo, 100).map_err(|e| e.to_string()),
            Err("not a regular file".to_string())
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_root_owns_are_followed() {
        // SAFETY: geteuid(2) has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("private")).unwrap();
        std::fs::write(dir.path().join("private/jamf.log"), b"log").unwrap();
        std::os::unix::fs::symlink("private", dir.path().join("var")).unwrap();
        assert_eq!(
            read_capped(&dir.path().join("var/jamf.log"), 100).map_err(|e| e.to_string()),
            Ok(Some(b"log".to_vec()))
        );
    }
}

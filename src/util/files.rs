//! The one way ca-doctor reads a small file it did not write itself
//! (preferences, the state, bundle items): a regular file only (a symlink or
//! a folder is refused, never followed), and never more than a cap.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

/// The metadata of a regular file: `Ok(None)` when nothing is there, `Err`
/// with a one-line reason for anything else that is (a folder, a symlink, a
/// FIFO, a permission problem).
pub(crate) fn regular_file(path: &Path) -> Result<Option<std::fs::Metadata>, String> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_file() => Ok(Some(metadata)),
        Ok(_) => Err("not a regular file (symlinks are not followed)".to_string()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// Reads a whole regular file of at most `cap` bytes: `Ok(None)` when it is
/// missing, `Err(reason)` when it is there but not a regular file, larger
/// than `cap`, or unreadable.
pub(crate) fn read_capped(path: &Path, cap: u64) -> Result<Option<Vec<u8>>, String> {
    let Some(metadata) = regular_file(path)? else {
        return Ok(None);
    };
    let too_large = || format!("larger than {}", describe_size(cap));
    if metadata.len() > cap {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(cap.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(Some(bytes))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_small_large_and_odd_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.plist");
        assert_eq!(read_capped(&path, 10), Ok(None));
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_capped(&path, 10), Ok(Some(b"0123456789".to_vec())));
        assert_eq!(
            read_capped(&path, 9),
            Err("larger than 9 bytes".to_string())
        );
        assert_eq!(
            read_capped(&path, 0),
            Err("larger than 0 bytes".to_string())
        );
        assert!(
            read_capped(dir.path(), 10)
                .unwrap_err()
                .contains("not a regular file")
        );
        #[cfg(unix)]
        {
            let link = dir.path().join("link.plist");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            assert!(read_capped(&link, 10).unwrap_err().contains("symlinks"));
        }
        assert_eq!(describe_size(16 << 20), "16 MiB");
        assert_eq!(describe_size(64 << 10), "64 KiB");
    }
}

//! Dotted version numbers (Jamf Pro, macOS) parsed leniently, because the
//! advice ca-doctor gives depends on which side of a release a Mac is.

use serde::Serialize;
use std::fmt;

/// A `major.minor.patch` version; missing parts count as zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct Version {
    /// First number.
    pub(crate) major: u32,
    /// Second number (0 when absent).
    pub(crate) minor: u32,
    /// Third number (0 when absent).
    pub(crate) patch: u32,
}

impl Version {
    /// Builds a version from its parts.
    pub(crate) const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// Parses the leading dotted numbers of strings such as `11.4.1-t1712345`,
    /// `14.3` or ` 15 `; anything after the numbers is ignored, so
    /// `11.4.1-t1712345` is 11.4.1, and 11.10 comes after 11.5.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let mut parts = [0u32; 3];
        let mut count = 0;
        for piece in text.trim().split('.') {
            if count == 3 {
                break;
            }
            let digits: String = piece.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.is_empty() {
                break;
            }
            parts[count] = digits.parse().ok()?;
            count += 1;
            if digits.len() != piece.len() {
                break;
            }
        }
        (count > 0).then(|| Version::new(parts[0], parts[1], parts[2]))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Jamf Pro 10.50: the agent relies on the SSO extension.
pub(crate) const JAMF_USES_SSO_EXTENSION: Version = Version::new(10, 50, 0);
/// Jamf Pro 11.3: the agent picks the right MSAL account.
pub(crate) const JAMF_PICKS_RIGHT_ACCOUNT: Version = Version::new(11, 3, 0);
/// Jamf Pro 11.5: the recurring gatherAADInfo LaunchAgent was removed.
pub(crate) const JAMF_RECURRING_REMOVED: Version = Version::new(11, 5, 0);
/// macOS 14.3: only two Apple domains must bypass proxies for the SSO extension.
pub(crate) const MACOS_PROXY_FIX: Version = Version::new(14, 3, 0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        assert_eq!(
            Version::parse("11.4.1-t1712345"),
            Some(Version::new(11, 4, 1))
        );
        assert_eq!(Version::parse("14.3"), Some(Version::new(14, 3, 0)));
        assert_eq!(Version::parse(" 15 "), Some(Version::new(15, 0, 0)));
        assert_eq!(Version::parse("10.50.0"), Some(Version::new(10, 50, 0)));
        assert_eq!(Version::parse("11.21.1.2"), Some(Version::new(11, 21, 1)));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(Version::parse(""), None);
        assert_eq!(Version::parse("abc"), None);
        assert_eq!(Version::parse("99999999999999"), None);
    }

    #[test]
    fn orders_numerically() {
        assert!(Version::parse("11.10").unwrap() > Version::parse("11.5").unwrap());
        assert!(Version::parse("10.50").unwrap() < JAMF_PICKS_RIGHT_ACCOUNT);
    }
}

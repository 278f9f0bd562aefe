//! Validated macOS account names: a name that could escape the home folder
//! (`..`, `/`, NUL) never reaches a path.

use anyhow::{Result, bail};
use std::fmt;

/// A plain macOS short account name, safe to join to a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UserName(String);

impl UserName {
    /// Accepts a short name; refuses empty names, `.`/`..`, path separators,
    /// NUL and other control characters, a leading `-`, and names over 255 bytes.
    pub(crate) fn parse(name: &str) -> Result<Self> {
        if name.is_empty() {
            bail!("the user name is empty");
        }
        if name.len() > 255 {
            bail!("the user name is longer than 255 bytes");
        }
        if name == "." || name == ".." || name.contains("..") {
            bail!("the user name {name:?} contains '..'");
        }
        if name.contains('/') || name.contains(':') {
            bail!("the user name {name:?} contains a path separator");
        }
        if name.chars().any(char::is_control) {
            bail!(
                "the user name {:?} contains a control character",
                name.escape_debug().to_string()
            );
        }
        if name.starts_with('-') {
            bail!("the user name {name:?} starts with '-'");
        }
        Ok(UserName(name.to_string()))
    }

    /// `<user>`: the name shown when the user is not known (a plain log
    /// export), where a command needs one.
    pub(crate) fn placeholder() -> Self {
        UserName("<user>".to_string())
    }

    /// The name as text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_names() {
        for name in ["test.user", "jdoe", "first_last", "anna-maria", "Ädmin"] {
            assert!(UserName::parse(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn refuses_escapes() {
        for name in [
            "", ".", "..", "../root", "a/b", "a\0b", "a\nb", "-rf", "x..y", "a:b",
        ] {
            assert!(UserName::parse(name).is_err(), "{name:?}");
        }
        assert!(UserName::parse(&"a".repeat(256)).is_err());
    }
}

//! Stub macOS commands for end-to-end tests: small shell scripts put where
//! the command seam looks in debug builds (`CA_DOCTOR_STUB_DIR`), so the real
//! spawning, streaming, timeout and kill code runs against them.

#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A folder of stub commands and a log of their calls.
pub struct Stubs {
    pub dir: tempfile::TempDir,
}

impl Stubs {
    /// Stubs for a Mac where `user` is at the console, registered nowhere
    /// beyond the agent, and `log` serves `log_file` (ndjson) honouring `--start`.
    pub fn new(user: &str, log_file: &Path) -> Self {
        let stubs = Stubs {
            dir: tempfile::tempdir().unwrap(),
        };
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        stubs.write("scutil", &format!("cat > /dev/null\nprintf '<dictionary> {{\\n  GID : 20\\n  Name : {user}\\n  UID : 501\\n}}\\n'"));
        stubs.write(
            "dscl",
            &format!(
                "case \"$2\" in\n  -list) printf '{user} /Users/{user}\\n_mbsetupuser /var/setup\\n' ;;\n  *) printf 'NFSHomeDirectory: /Users/{user}\\nPrimaryGroupID: {gid}\\nUniqueID: {uid}\\n' ;;\nesac"
            ),
        );
        stubs.write(
            "app-sso",
            "printf 'Device Configuration:\\n registrationCompleted : false\\n'",
        );
        stubs.write("security", "echo 'security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.' >&2\nexit 44");
        stubs.write("jamf-conditional-access", "echo '{}'");
        stubs.serve_log(log_file);
        stubs
    }

    /// The folder to pass as `CA_DOCTOR_STUB_DIR`.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where `log` records each call's arguments, one line a call.
    pub fn log_calls(&self) -> PathBuf {
        self.dir.path().join("log.calls")
    }

    /// How many times `log` was run.
    pub fn log_call_count(&self) -> usize {
        std::fs::read_to_string(self.log_calls())
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    /// Replaces a stub's body (a /bin/sh script).
    pub fn write(&self, name: &str, body: &str) {
        let path = self.dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// `log` serves an ndjson file, printing only entries at or after
    /// `--start` (compared as `YYYY-MM-DD hh:mm:ss` text).
    pub fn serve_log(&self, log_file: &Path) {
        self.write(
            "log",
            &format!(
                "echo \"$*\" >> '{calls}'\nstart=''\nwhile [ $# -gt 0 ]; do\n  if [ \"$1\" = --start ]; then start=$2; shift; fi\n  shift\ndone\nawk -v start=\"$start\" 'match($0, /\"timestamp\":\"[^\"]*\"/) {{ if (substr($0, RSTART + 13, 19) >= start) print; next }} {{ print }}' '{file}'",
                calls = self.log_calls().display(),
                file = log_file.display()
            ),
        );
    }

    /// `security` behaves as on a Mac whose login keychain holds the
    /// certificates `der_files` (fixture names under
    /// `fixtures/device-chain/mac/`): `find-certificate -a -p` lists them as
    /// PEM; `find-certificate -c NAME` matches NAME against the subject
    /// only, which is a device ID on a device certificate.
    pub fn keychain(&self, der_files: &[&str]) {
        use base64::Engine;
        let mut pem = String::new();
        for name in der_files {
            let der = std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("fixtures/device-chain/mac")
                    .join(name),
            )
            .unwrap();
            let body = base64::engine::general_purpose::STANDARD.encode(&der);
            pem.push_str("-----BEGIN CERTIFICATE-----\n");
            for chunk in body.as_bytes().chunks(64) {
                pem.push_str(std::str::from_utf8(chunk).unwrap());
                pem.push('\n');
            }
            pem.push_str("-----END CERTIFICATE-----\n");
        }
        let listing = self.dir.path().join("keychain.pem");
        std::fs::write(&listing, pem).unwrap();
        self.write(
            "security",
            &format!(
                "echo \"$*\" >> '{calls}'\ncase \"$*\" in\n  *\"find-certificate -a -p\"*) cat '{listing}' ;;\n  *) echo 'security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.' >&2; exit 44 ;;\nesac",
                calls = self.dir.path().join("security.calls").display(),
                listing = listing.display()
            ),
        );
    }

    /// `log` prints `body`'s output after recording the call.
    pub fn log_script(&self, body: &str) {
        self.write(
            "log",
            &format!("echo \"$*\" >> '{}'\n{body}", self.log_calls().display()),
        );
    }
}

//! Redaction of everything that leaves the Mac in a bundle. Secrets are
//! always scrubbed: JWTs, bearer tokens, the values of access, refresh and
//! ID tokens, client secrets, passwords, assertions and API keys however
//! they are spelt (`refresh_token=`, `refreshToken:`, `Refresh token: `,
//! `OIDCClientSecret`), OAuth authorization codes (`code=`) and passwords in
//! URLs. With personal data redaction on, e-mail addresses / UPNs, known user
//! names, serial numbers, IPv4 and IPv6 addresses and MSAL / Entra account
//! and object identifiers (`home_account_id`, `oid`, `client_info`) become
//! stable pseudonyms (the same input gives the same token in every file of
//! the bundle, keyed per bundle), so correlation survives.

use regex::{Captures, Regex};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::OnceLock;

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// How many of each kind were redacted.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub(crate) struct RedactionCounts {
    /// Per kind (`jwt`, `bearer`, `token-value`, `auth-code`, `url-credential`, `email`, `user-name`).
    pub(crate) by_kind: BTreeMap<String, u64>,
}

impl RedactionCounts {
    /// Counts `n` redactions of `kind`.
    pub(crate) fn add(&mut self, kind: &str, n: u64) {
        if n > 0 {
            *self.by_kind.entry(kind.to_string()).or_insert(0) += n;
        }
    }
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
}

struct Patterns {
    jwt: Regex,
    bearer: Regex,
    token_value: Regex,
    auth_code: Regex,
    url_password: Regex,
    email: Regex,
    serial: Regex,
    ipv4: Regex,
    ipv6: Regex,
    account_id: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| Patterns {
        jwt: re(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
        bearer: re(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
        // key, then optional (escaped) quote, separator, optional (escaped) quote, value.
        token_value: re(
            r#"(?i)(\b[a-z]*?(?:access[ _-]?token|refresh[ _-]?token|id[ _-]?token|client[ _-]?secret|password|passwd|assertion|api[ _-]?key|private[ _-]?key)\\?["']?\s*(?:=|:|=>)\s*\\?["']?)([^"'\s&,;}<>\\]+)"#,
        ),
        auth_code: re(r#"(?i)([?&#]code=)([^&\s"'<>\\]+)"#),
        url_password: re(r"([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)(@)"),
        email: re(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
        serial: re(
            r#"(?i)(serial[ _-]?(?:number)?\\?["']?\s*(?:=|:|=>)?\s*\\?["']?)([A-Z0-9]{8,14})\b"#,
        ),
        ipv4: re(
            r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b",
        ),
        // Eight groups, or a `::` with hex on a side: never a time of day.
        ipv6: re(
            r"(?i)\b(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?|::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})\b",
        ),
        account_id: re(
            r#"(?i)(\b(?:home[ _-]?account[ _-]?id|local[ _-]?account[ _-]?id|oid|client[ _-]?info|object[ _-]?id|user[ _-]?object[ _-]?id)\\?["']?\s*(?:=|:|=>)\s*\\?["']?)([^"'\s&,;}<>\\]+)"#,
        ),
    })
}

/// A redactor for one bundle.
pub(crate) struct Redactor {
    triggers: aho_corasick::AhoCorasick,
    personal_data: bool,
    user_names: Option<Regex>,
    keys: RandomState,
    /// What was redacted so far.
    pub(crate) counts: RedactionCounts,
}

impl Redactor {
    /// Secrets only, or secrets and personal data (`user_names`: the
    /// accounts whose names must not appear).
    pub(crate) fn new(personal_data: bool, known_names: &[String]) -> Self {
        let names: Vec<String> = known_names
            .iter()
            .filter(|n| n.len() >= 2)
            .map(|n| regex::escape(n))
            .collect();
        let user_names = (personal_data && !names.is_empty())
            .then(|| {
                Regex::new(&format!(
                    r"(?i)(^|[^A-Za-z0-9._-])({})($|[^A-Za-z0-9_-])",
                    names.join("|")
                ))
                .ok()
            })
            .flatten();
        // Text holding none of these cannot match any pattern: skip it fast.
        let mut triggers: Vec<String> = [
            "eyj",
            "bearer",
            "token",
            "secret",
            "code=",
            "://",
            "passw",
            "assertion",
            "api",
            "key",
        ]
        .map(String::from)
        .to_vec();
        if personal_data {
            // Addresses and identifiers: a dot or colon between digits, `serial`, `oid`…
            triggers.extend(
                [
                    "@", "serial", "oid", "account", "client", "object", ".", ":",
                ]
                .map(String::from),
            );
            triggers.extend(known_names.iter().filter(|n| n.len() >= 2).cloned());
        }
        let triggers = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&triggers)
            .unwrap_or_else(|e| unreachable!("literal triggers: {e}"));
        Redactor {
            triggers,
            personal_data,
            user_names,
            keys: RandomState::new(),
            counts: RedactionCounts::default(),
        }
    }

    /// A user name as it appears in the bundle: its pseudonym when personal
    /// data is redacted.
    pub(crate) fn user_name(&mut self, name: &str) -> String {
        if self.personal_data {
            pseudonym(&self.keys, "user", name)
        } else {
            name.to_string()
        }
    }

    /// The pseudonym of a personal value of `kind` (e.g. a serial number).
    pub(crate) fn pseudonym(&self, kind: &str, value: &str) -> String {
        pseudonym(&self.keys, kind, value)
    }

    /// Whether personal data is redacted too.
    pub(crate) fn personal_data(&self) -> bool {
        self.personal_data
    }

    /// Redacts one piece of text.
    pub(crate) fn redact<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        if !self.triggers.is_match(text) {
            return Cow::Borrowed(text);
        }
        let p = patterns();
        let mut out: Cow<'a, str> = Cow::Borrowed(text);
        let mut n = 0;
        replace(&mut out, &p.jwt, |_| {
            n += 1;
            REDACTED.to_string()
        });
        self.counts.add("jwt", std::mem::take(&mut n));
        replace(&mut out, &p.bearer, |c| {
            n += 1;
            format!("{}{REDACTED}", &c[1])
        });
        self.counts.add("bearer", std::mem::take(&mut n));
        replace(&mut out, &p.token_value, |c| {
            if &c[2] == REDACTED || c[2].starts_with("[REDACTED") {
                return c[0].to_string();
            }
            n += 1;
            format!("{}{REDACTED}", &c[1])
        });
        self.counts.add("token-value", std::mem::take(&mut n));
        replace(&mut out, &p.auth_code, |c| {
            n += 1;
            format!("{}{REDACTED}", &c[1])
        });
        self.counts.add("auth-code", std::mem::take(&mut n));
        replace(&mut out, &p.url_password, |c| {
            n += 1;
            format!("{}{REDACTED}{}", &c[1], &c[3])
        });
        self.counts.add("url-credential", std::mem::take(&mut n));
        if self.personal_data {
            let keys = &self.keys;
            replace(&mut out, &p.email, |c| {
                n += 1;
                pseudonym(keys, "email", &c[0]) + "@redacted.invalid"
            });
            self.counts.add("email", std::mem::take(&mut n));
            replace(&mut out, &p.serial, |c| {
                n += 1;
                format!("{}{}", &c[1], pseudonym(keys, "serial", &c[2]))
            });
            self.counts.add("serial-number", std::mem::take(&mut n));
            replace(&mut out, &p.account_id, |c| {
                if c[2].starts_with("id-") {
                    return c[0].to_string();
                }
                n += 1;
                format!("{}{}", &c[1], pseudonym(keys, "id", &c[2]))
            });
            self.counts.add("account-id", std::mem::take(&mut n));
            replace(&mut out, &p.ipv4, |c| {
                n += 1;
                pseudonym(keys, "ipv4", &c[0])
            });
            self.counts.add("ip-address", std::mem::take(&mut n));
            replace(&mut out, &p.ipv6, |c| {
                n += 1;
                pseudonym(keys, "ipv6", &c[0])
            });
            self.counts.add("ip-address", std::mem::take(&mut n));
            if let Some(names) = &self.user_names {
                // Two passes: neighbouring names share the separator one match consumes.
                for _ in 0..2 {
                    replace(&mut out, names, |c| {
                        n += 1;
                        format!("{}{}{}", &c[1], pseudonym(keys, "user", &c[2]), &c[3])
                    });
                }
                self.counts.add("user-name", std::mem::take(&mut n));
            }
        }
        out
    }
}

/// A stable pseudonym for `value` within one bundle (keyed per bundle).
fn pseudonym(keys: &RandomState, prefix: &str, value: &str) -> String {
    format!(
        "{prefix}-{:08x}",
        keys.hash_one(value.to_ascii_lowercase()) as u32
    )
}

fn replace(text: &mut Cow<'_, str>, pattern: &Regex, mut with: impl FnMut(&Captures) -> String) {
    if pattern.is_match(text) {
        let replaced = pattern
            .replace_all(text, |c: &Captures| with(c))
            .into_owned();
        *text = Cow::Owned(replaced);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

    #[test]
    fn secrets_are_always_scrubbed() {
        let mut r = Redactor::new(false, &[]);
        let text = format!(
            "Authorization: Bearer abcdefghijklmnop123 token {JWT} access_token=AT-123456 \"refresh_token\":\"RT-abcdef\" id_token: IDT-xyz client_secret=s3cr3t! https://login.example.com/cb?state=1&code=OAQABAAIAAAB https://admin:hunter2@proxy.example.com:8080/ mail jdoe@example.com"
        );
        let out = r.redact(&text).into_owned();
        for secret in [
            "abcdefghijklmnop123",
            JWT,
            "AT-123456",
            "RT-abcdef",
            "IDT-xyz",
            "s3cr3t!",
            "OAQABAAIAAAB",
            "hunter2",
        ] {
            assert!(!out.contains(secret), "{secret} survived: {out}");
        }
        assert!(
            out.contains("jdoe@example.com"),
            "no personal-data redaction unless asked"
        );
        assert_eq!(r.counts.by_kind["jwt"], 1);
        assert_eq!(r.counts.by_kind["token-value"], 4);
    }

    #[test]
    fn personal_data_becomes_stable_pseudonyms() {
        let mut r = Redactor::new(true, &["test.user".to_string()]);
        let a = r
            .redact("AAD ID acquired for macOS user account test.user (Jane.Doe@Contoso.com)")
            .into_owned();
        let b = r
            .redact("/Users/test.user/Library test.user test.user jane.doe@contoso.com")
            .into_owned();
        assert!(
            !a.contains("test.user") && !b.contains("test.user"),
            "{a} | {b}"
        );
        assert!(!a.to_lowercase().contains("jane.doe"));
        let pseudonym = a.split_whitespace().nth(7).unwrap().to_string();
        assert!(pseudonym.starts_with("user-"));
        assert!(b.contains(&pseudonym), "same name, same token: {a} | {b}");
        let email_a = a
            .split('(')
            .nth(1)
            .unwrap()
            .trim_end_matches(')')
            .to_string();
        assert!(b.contains(&email_a), "same address, same token");
        assert_eq!(r.counts.by_kind["user-name"], 4);
    }

    #[test]
    fn clean_text_is_borrowed() {
        let mut r = Redactor::new(true, &["someone".to_string()]);
        assert!(matches!(r.redact("nothing to see"), Cow::Borrowed(_)));
        assert!(r.counts.by_kind.is_empty());
    }
}

//! Redaction of everything that leaves the Mac in a bundle. Secrets are
//! always scrubbed: JWTs, Microsoft's keyless token shapes (refresh tokens
//! `0.A…`, MSA tokens `EwB…`), bearer and `Authorization` /
//! `Proxy-Authorization` values (a `Bearer` at the end of one log line
//! takes the next line's first word with it), the values of every key that
//! names a token, secret, password, passphrase, assertion, key, code
//! verifier or session cookie however it is spelt and whatever surrounds
//! the word (`refresh_token=`, `refreshTokenValue:`, `msal_access_token=`,
//! `user_password="p@ss word"`, `<refresh_token>…</refresh_token>`), in
//! JSON with escaped slashes, URL-encoded (`%3D`, `%22…%22%3A`) or
//! HTML-encoded (`&quot;`, `&#61;`) forms, OAuth authorization codes
//! (`code=`), SAS signatures (`sig=`) and passwords in URLs. With personal data redaction on, e-mail addresses / UPNs, known user
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
    /// Per kind (`jwt`, `token-shape`, `auth-header`, `bearer`,
    /// `token-value`, `auth-code`, `url-credential`, `email`, `user-name`…).
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
    token_shape: Regex,
    authorization: Regex,
    bearer: Regex,
    token_value: Regex,
    element: Regex,
    auth_code: Regex,
    url_password: Regex,
    bearer_at_end: Regex,
    first_word: Regex,
    email: Regex,
    serial: Regex,
    ipv4: Regex,
    ipv6: Regex,
    account_id: Regex,
}

/// Words that make a plist key secret whatever else it says
/// (`ROPGClientSecretURL`, `tokenEndpointSecret`, `ADPassphrase`).
const SECRET_KEY_WORDS: &[&str] = &[
    "secret",
    "verifier",
    "estsauth",
    "passphrase",
    "credential",
    "assertion",
    "apikey",
    "api_key",
    "privatekey",
    "private_key",
    "clientkey",
    "client_key",
];

/// Words that make a plist key secret unless a harmless part says its
/// value is a time, a count or a setting.
const SECRET_UNLESS_HARMLESS: &[&str] = &["password", "passwd", "token", "cookie"];

/// Parts of a key that say its value is a time, a count or a setting, not a
/// secret (`last_aad_token_timestamp`, `tokenRetryCount`, `OIDCTokenURL`,
/// Jamf Connect's `PasswordPolicies` and `PasswordType`; the values under
/// `PasswordPolicies` are still scrubbed one by one).
const HARMLESS_KEY_PARTS: &[&str] = &[
    "timestamp",
    "count",
    "retry",
    "expir",
    "lifetime",
    "time",
    "url",
    "uri",
    "type",
    "enabled",
    "endpoint",
    "polic",
];

/// Whether a key (of a plist, of JSON, of a `key=value` pair) names a
/// secret: a secret word anywhere in it, a password, token or cookie word
/// that no harmless part explains, or a key that is a password, a key or a
/// signature by its shape (`LDAPBindPW`, `Pwd`, `clientKey`, `SigningKey`,
/// SAS `sig`; a public key is none).
pub(crate) fn is_secret_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    if lower == "sig" {
        return true;
    }
    let harmless = || HARMLESS_KEY_PARTS.iter().any(|part| lower.contains(part));
    SECRET_KEY_WORDS.iter().any(|word| lower.contains(word))
        || (SECRET_UNLESS_HARMLESS
            .iter()
            .any(|word| lower.contains(word))
            && !harmless())
        || lower.ends_with("pw")
        || lower.ends_with("pwd")
        || (lower.ends_with("key") && !lower.contains("public"))
}

/// A key that may name a secret: a secret word with anything a key may carry
/// before or after it (`msal_access_token`, `refreshTokenValue`,
/// `user_password`), or a short key that is one (`sig`, `pwd`).
const KEY: &str = r"(?:[a-z0-9_.-]*?(?:access[ _-]?token|refresh[ _-]?token|id[ _-]?token|token|secret|password|passwd|passphrase|pwd|assertion|api[ _-]?key|private[ _-]?key|session[ _-]?key|client[ _-]?key|signing[ _-]?key|code[ _-]?verifier|credential|estsauth[a-z]*|cookie)[a-z0-9_]*|sig)";

/// A quote after a key, in any of its spellings.
const QUOTE: &str = r#"(?:\\?["']|&quot;|&#0*34;|%22|%27)"#;

/// A value: quoted (up to its closing quote, spaces included) or a run of
/// value characters (an escaped slash and URL escapes other than quotes
/// and `&` included).
const VALUE: &str = r#"(?:\\?"[^"\r\n]*?(?:\\?"|$)|'[^'\r\n]*(?:'|$)|&quot;.*?(?:&quot;|$)|(?:%22|%27|&#0*34;)?(?:\\/|[^"'\s&,;}<>\\%\[{(]|%[013-9a-f][0-9a-f]|%2[013-589a-f])(?:\\/|[^"'\s&,;}<>\\%]|%[013-9a-f][0-9a-f]|%2[013-589a-f])*)"#;

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| Patterns {
        jwt: re(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
        // Microsoft's refresh tokens (`0.AXoA…`) and MSA tokens (`EwB…`).
        token_shape: re(
            r"\b(?:0\.A(?:[A-Za-z0-9_.-]|\\/){20,}|Ew[A-Za-z0-9+/][A-Za-z0-9+/=_-]{40,})",
        ),
        // The credentials of an `Authorization` header: a scheme and its
        // token, or a bare token; a lone scheme at the end of a line takes
        // the next line's first word (see `redact_line`).
        authorization: re(
            r#"(?i)(\b(?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?\s*)((?:basic|bearer|negotiate|ntlm|digest|pop)(?:\s+[^\s"',;\\]+)?|[^\s"',;\\]+)"#,
        ),
        bearer: re(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
        // A key naming a secret (whatever surrounds the word), an optional
        // closing quote, a separator, then the value: quoted (spaces and
        // all) or a run of value characters. Quotes and separators may be
        // escaped, URL-encoded or HTML-encoded.
        token_value: re(&format!(
            r#"(?i)(\b({KEY}){QUOTE}?\s*(?:=>|=|:|%3d|%3a|&#0*61;|&#x0*3d;|&#0*58;|&#x0*3a;|\t)\s*)({VALUE})"#
        )),
        element: re(&format!(r"(?i)(<({KEY})>)([^<]+)(</)")),
        auth_code: re(r#"(?i)([?&#]code=)([^&\s"'<>\\]+)"#),
        url_password: re(r"([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)(@)"),
        bearer_at_end: re(r"(?i)\bbearer\s*$"),
        first_word: re(r"^(\s*)([A-Za-z0-9._~+/=-]{8,})"),
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
    /// The same names anywhere in a file's name (`CompanyPortal-jdoe.log`).
    names_in_file_names: Option<Regex>,
    keys: RandomState,
    /// The last line copied ended with `Bearer`: the next line's first word
    /// is its token.
    bearer_pending: bool,
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
        let names_in_file_names = (personal_data && !names.is_empty())
            .then(|| Regex::new(&format!(r"(?i){}", names.join("|"))).ok())
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
            "passphrase",
            "pwd",
            "assertion",
            "api",
            "key",
            "0.a",
            "ew",
            "authorization",
            "verifier",
            "sig=",
            "credential",
            "estsauth",
            "cookie",
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
            names_in_file_names,
            keys: RandomState::new(),
            bearer_pending: false,
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

    /// Redacts a file's name or an entry's path: like [`Self::redact`], and
    /// with personal data redaction a user's name anywhere in it.
    pub(crate) fn redact_name<'a>(&mut self, name: &'a str) -> Cow<'a, str> {
        let mut out = self.redact(name);
        if let Some(names) = &self.names_in_file_names {
            let keys = &self.keys;
            let mut n = 0;
            replace(&mut out, names, |c| {
                n += 1;
                pseudonym(keys, "user", &c[0])
            });
            self.counts.add("user-name", n);
        }
        out
    }

    /// Redacts one line of a log copied line by line: like [`Self::redact`],
    /// and a `Bearer` that ends a line takes the next line's first word.
    pub(crate) fn redact_line<'a>(&mut self, line: &'a str) -> Cow<'a, str> {
        let p = patterns();
        let out = if std::mem::take(&mut self.bearer_pending) {
            match p.first_word.captures(line) {
                Some(c) if !c[2].starts_with("[REDACTED") => {
                    self.counts.add("bearer", 1);
                    let rest = &line[c[0].len()..];
                    Cow::Owned(format!("{}{REDACTED}{}", &c[1], self.redact(rest)))
                }
                _ => self.redact(line),
            }
        } else {
            self.redact(line)
        };
        self.bearer_pending = p
            .bearer_at_end
            .is_match(line.trim_end_matches(['\r', '\n']));
        out
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
        replace(&mut out, &p.token_shape, |_| {
            n += 1;
            REDACTED.to_string()
        });
        self.counts.add("token-shape", std::mem::take(&mut n));
        replace(&mut out, &p.authorization, |c| {
            if c[2].starts_with("[REDACTED") || no_secret_value(&c[2]) {
                return c[0].to_string();
            }
            n += 1;
            format!("{}{REDACTED}", &c[1])
        });
        self.counts.add("auth-header", std::mem::take(&mut n));
        replace(&mut out, &p.bearer, |c| {
            n += 1;
            format!("{}{REDACTED}", &c[1])
        });
        self.counts.add("bearer", std::mem::take(&mut n));
        replace(&mut out, &p.token_value, |c| {
            // A time, a count or a setting named after a token is no secret.
            if !is_secret_key(&c[2]) {
                return c[0].to_string();
            }
            let value = &c[3];
            let (open, close) = quotes_of(value);
            let inner = &value[open.len()..value.len() - close.len()];
            if inner.is_empty() || inner.starts_with("[REDACTED") || no_secret_value(inner) {
                return c[0].to_string();
            }
            n += 1;
            format!("{}{open}{REDACTED}{close}", &c[1])
        });
        replace(&mut out, &p.element, |c| {
            if c[3].starts_with("[REDACTED") || !is_secret_key(&c[2]) {
                return c[0].to_string();
            }
            n += 1;
            format!("{}{REDACTED}{}{}>", &c[1], &c[4], &c[2])
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

/// Whether a value cannot be a secret: nothing, yes/no, or a short number
/// (a count, a time in seconds).
fn no_secret_value(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "null" | "nil" | "none" | "true" | "false" | "yes" | "no"
    ) || (value.len() <= 12 && value.bytes().all(|b| b.is_ascii_digit()))
}

/// The opening and closing quotes of a matched value, as written.
fn quotes_of(value: &str) -> (&str, &str) {
    for (open, close) in [
        ("\\\"", "\\\""),
        ("&quot;", "&quot;"),
        ("\"", "\\\""),
        ("\"", "\""),
        ("'", "'"),
    ] {
        if value.len() >= open.len() + close.len()
            && value.starts_with(open)
            && value.ends_with(close)
        {
            return (open, close);
        }
        if value.starts_with(open) && !value[open.len()..].contains(close) {
            return (open, "");
        }
    }
    ("", "")
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
pub(crate) mod tests {
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

    /// Every form a secret takes in the files a bundle copies, and the
    /// secret that must not survive it (shared with the end-to-end test of
    /// `collect`).
    pub(crate) fn corpus() -> Vec<(String, String)> {
        let document: serde_json::Value =
            serde_json::from_str(include_str!("../../fixtures/redaction-corpus.json")).unwrap();
        document["forms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|form| {
                (
                    form[0].as_str().unwrap().to_string(),
                    form[1].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn no_form_of_a_secret_survives() {
        for personal in [false, true] {
            let mut r = Redactor::new(personal, &[]);
            let corpus = corpus();
            assert!(corpus.len() > 30);
            for (text, secret) in &corpus {
                let out = r.redact(text);
                assert!(
                    !out.contains(secret.as_str()),
                    "{secret} survived in {out} (from {text})"
                );
            }
        }
    }

    #[test]
    fn harmless_neighbours_stay_readable() {
        let mut r = Redactor::new(false, &[]);
        for text in [
            "acquireTokenSilent returning with error: invalid_grant",
            "Did not get a token from acquireTokenInteractive, sending an empty token.",
            "Failed refresh token lookup (-25300)",
            "AAD ID acquired for macOS user account test.user",
            "design review at 10:00",
            "Ewe and lamb",
        ] {
            assert_eq!(r.redact(text), text);
        }
    }

    #[test]
    fn a_bearer_at_the_end_of_a_line_takes_the_next_line_s_first_word() {
        let mut r = Redactor::new(false, &[]);
        assert_eq!(
            r.redact_line("Authorization: Bearer\n"),
            "Authorization: [REDACTED]\n"
        );
        assert_eq!(r.redact_line("SplitAfterHeader123\n"), "[REDACTED]\n");
        assert_eq!(
            r.redact_line("request sent with Bearer\n"),
            "request sent with Bearer\n"
        );
        assert_eq!(
            r.redact_line("  SplitBearerValue123 and more\n"),
            "  [REDACTED] and more\n"
        );
        assert_eq!(r.redact_line("next line stays\n"), "next line stays\n");
    }

    #[test]
    fn clean_text_is_borrowed() {
        let mut r = Redactor::new(true, &["someone".to_string()]);
        assert!(matches!(r.redact("nothing to see"), Cow::Borrowed(_)));
        assert!(r.counts.by_kind.is_empty());
    }
}

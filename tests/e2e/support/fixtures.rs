//! The fixture scenarios: each is a Mac's plists, one log written in all five
//! `log show` styles, and the verdict ca-doctor must reach. Written to
//! `fixtures/` by `CA_DOCTOR_REGENERATE_FIXTURES=1 cargo test --test e2e fixtures::`;
//! a test checks the committed files still match.

#![allow(dead_code)]

use chrono::{DateTime, FixedOffset};
use plist::{Dictionary, Value};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

/// The analysis clock of every scenario.
pub const NOW: &str = "2026-11-20T12:00:00-05:00";
/// The user of every scenario.
pub const USER: &str = "test.user";
/// File names of the five log styles.
pub const STYLES: [&str; 5] = [
    "log.default.txt",
    "log.compact.txt",
    "log.syslog.txt",
    "log.json",
    "log.ndjson",
];

const AGENT: &str = "Jamf Conditional Access";
const AGENT_PATH: &str = "/Library/Application Support/JAMF/Jamf.app/Contents/MacOS/Jamf Conditional Access.app/Contents/MacOS/Jamf Conditional Access";
const SUBSYSTEM: &str = "com.jamf.management.jamfAAD";

/// One log entry of a scenario.
#[derive(Clone)]
pub struct Line {
    at: DateTime<FixedOffset>,
    kind: &'static str,
    process: &'static str,
    image: &'static str,
    pid: u32,
    library: Option<&'static str>,
    subsystem: &'static str,
    category: &'static str,
    message: String,
}

fn at(time: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(time).unwrap()
}

fn agent(time: &str, kind: &'static str, category: &'static str, message: &str) -> Line {
    Line {
        at: at(time),
        kind,
        process: AGENT,
        image: AGENT_PATH,
        pid: 8812,
        library: None,
        subsystem: SUBSYSTEM,
        category,
        message: message.to_string(),
    }
}

fn success(time: &str) -> Vec<Line> {
    vec![
        agent(
            time,
            "Debug",
            "msal",
            "Calling acquireTokenSilent for account <private>",
        ),
        agent(
            time,
            "Default",
            "workflow",
            "AAD ID acquired for macOS user account test.user",
        ),
    ]
}

fn silent_fail(time: &str) -> Line {
    agent(
        time,
        "Error",
        "msal",
        "acquireTokenSilent returning with error: Error Domain=MSALErrorDomain Code=-50002 \"(null)\" UserInfo={MSALErrorDescriptionKey=Interaction required, MSALOAuthErrorKey=invalid_request}",
    )
}

fn interactive_fail(time: &str) -> Line {
    agent(
        time,
        "Error",
        "workflow",
        "Did not get a token from acquireTokenInteractive, sending an empty token.",
    )
}

fn deactivation(time: &str) -> Line {
    agent(
        time,
        "Default",
        "workflow",
        "No AAD ID found for macOS user account test.user",
    )
}

fn invalid_grant(time: &str, correlation: &str) -> Line {
    agent(
        time,
        "Default",
        "msal",
        &format!(
            "TID=12345 MSAL 1.2.14 Mac 14.3.0 [2024-01-01 00:00:00 - {correlation}] Processing an AAD error with error code -51412, error invalid_grant"
        ),
    )
}

fn appsso(time: &str, process: &'static str, image: &'static str, code: &str) -> Line {
    let description = if code == "-9" {
        "not AppSSO URL"
    } else {
        "other error"
    };
    Line {
        at: at(time),
        kind: "Error",
        process,
        image,
        pid: 611,
        library: Some("AppSSOCore"),
        subsystem: "com.apple.AppSSO",
        category: "SOAuthorizationCore",
        message: format!(
            "-[SOAuthorizationCore_Legacy beginAuthorizationWithServiceXPCEndpoint:] error = Error Domain=com.apple.AppSSO.AuthorizationError Code={code} \"{description}\" UserInfo={{NSLocalizedDescription={description}}}, requestParametersCore = {{\n    authorizationOptions = {{\n    }};\n    requestedOperation = \"\";\n    url = https://login.microsoftonline.com/common/oauth2/v2.0/authorize;\n}}"
        ),
    }
}

/// AppSSO -9 nested inside an NSURLError, over several lines, as Outlook
/// logs a refused request.
fn nested_appsso(time: &str) -> Line {
    Line {
        at: at(time),
        kind: "Error",
        process: "Microsoft Outlook",
        image: "/Applications/Microsoft Outlook.app/Contents/MacOS/Microsoft Outlook",
        pid: 2201,
        library: Some("AppSSOCore"),
        subsystem: "com.apple.AppSSO",
        category: "SSOExtensionClient",
        message: "Error Domain=NSURLErrorDomain Code=-1012 \"(null)\" UserInfo={NSErrorFailingURLStringKey=https://login.microsoftonline.com/common/oauth2/v2.0/authorize,\n    NSUnderlyingError=0x600003a1c0 {Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\"\n    UserInfo={NSLocalizedDescription=not AppSSO URL}}}}".to_string(),
    }
}

/// A token-cache (keychain) failure of the agent's MSAL.
fn keychain(time: &str, message: &str) -> Line {
    agent(time, "Error", "msal", message)
}

/// A silent failure in MSAL's other error form.
fn silent_fail_masked(time: &str) -> Line {
    agent(
        time,
        "Error",
        "msal",
        "acquireTokenSilent returning with error: (MSALErrorDomain, -50002) Masked(not-null)",
    )
}

fn duplicate(time: &str) -> Line {
    agent(
        time,
        "Debug",
        "azure",
        "More than 1 account, will try to find a matching account.",
    )
}

fn noise(day: u32) -> Vec<Line> {
    let t = |h: u32| format!("2026-11-{day:02}T{h:02}:17:42.250-05:00");
    vec![
        agent(
            &t(8),
            "Debug",
            "msal",
            "Calling acquireTokenSilent for account <private>",
        ),
        Line {
            at: at(&t(9)),
            kind: "Debug",
            process: "AppSSOAgent",
            image: "/System/Library/PrivateFrameworks/AppSSO.framework/Support/AppSSOAgent.app/Contents/MacOS/AppSSOAgent",
            pid: 610,
            library: Some("AppSSOCore"),
            subsystem: "com.apple.AppSSO",
            category: "SOConfigurationClient",
            message: "-[SOConfigurationClient init]  on <private>".to_string(),
        },
        agent(
            &t(10),
            "Info",
            "workflow",
            "Checking AAD registration status for macOS user account <private>",
        ),
    ]
}

/// A plist to write under the scenario's root.
pub struct PlistFile {
    relative: &'static str,
    dict: Option<Dictionary>,
    raw: Option<&'static [u8]>,
    binary: bool,
}

/// A scenario and the verdict it must produce.
pub struct Scenario {
    pub name: &'static str,
    pub status: &'static str,
    pub findings: Vec<&'static str>,
    pub primary_cause: Option<&'static str>,
    plists: Vec<PlistFile>,
    lines: Vec<Line>,
}

const USER_PREFS: &str = "Users/test.user/Library/Preferences/com.jamf.management.jamfAAD.plist";

fn dict(pairs: Vec<(&str, Value)>) -> Dictionary {
    let mut d = Dictionary::new();
    for (k, v) in pairs {
        d.insert(k.to_string(), v);
    }
    d
}

fn epoch(time: &str) -> i64 {
    at(time).timestamp()
}

/// Builds a scenario's Mac: Jamf and macOS versions and the user's agent prefs.
struct Mac {
    jamf: &'static str,
    macos: &'static str,
    user_prefs: Option<Dictionary>,
    binary: bool,
    extra: Vec<PlistFile>,
}

impl Mac {
    fn registered(jamf: &'static str, macos: &'static str) -> Self {
        Mac {
            jamf,
            macos,
            user_prefs: Some(dict(vec![
                ("have_an_Azure_id", Value::Boolean(true)),
                (
                    "last_aad_token_timestamp",
                    Value::Integer(epoch("2026-11-20T10:00:00-05:00").into()),
                ),
            ])),
            binary: true,
            extra: Vec::new(),
        }
    }

    fn prefs(mut self, pairs: Vec<(&str, Value)>) -> Self {
        self.user_prefs = Some(dict(pairs));
        self
    }

    fn no_prefs(mut self) -> Self {
        self.user_prefs = None;
        self
    }

    fn xml(mut self) -> Self {
        self.binary = false;
        self
    }

    fn plists(self) -> Vec<PlistFile> {
        let mut files = vec![
            PlistFile {
                relative: "Library/Preferences/com.jamfsoftware.jamf.plist",
                dict: Some(dict(vec![
                    ("microsoftCAEnabled", Value::Boolean(true)),
                    (
                        "microsoftCANativeClientAppId",
                        Value::String("b03c10a8-71c7-45f9-b44a-3335ab76e970".into()),
                    ),
                    (
                        "jss_url",
                        Value::String("https://example.jamfcloud.com/".into()),
                    ),
                ])),
                raw: None,
                binary: self.binary,
            },
            PlistFile {
                relative: "Library/Application Support/JAMF/Jamf.app/Contents/Info.plist",
                dict: Some(dict(vec![
                    (
                        "CFBundleShortVersionString",
                        Value::String(self.jamf.into()),
                    ),
                    (
                        "CFBundleIdentifier",
                        Value::String("com.jamfsoftware.Jamf".into()),
                    ),
                ])),
                raw: None,
                binary: false,
            },
            PlistFile {
                relative: "System/Library/CoreServices/SystemVersion.plist",
                dict: Some(dict(vec![
                    ("ProductName", Value::String("macOS".into())),
                    ("ProductVersion", Value::String(self.macos.into())),
                ])),
                raw: None,
                binary: false,
            },
        ];
        // Every account has a home folder: macOS writes this file into it.
        files.push(PlistFile {
            relative: "Users/test.user/Library/Preferences/.GlobalPreferences.plist",
            dict: Some(dict(vec![("AppleLocale", Value::String("en_US".into()))])),
            raw: None,
            binary: true,
        });
        if let Some(prefs) = self.user_prefs {
            files.push(PlistFile {
                relative: USER_PREFS,
                dict: Some(prefs),
                raw: None,
                binary: self.binary,
            });
        }
        files.extend(self.extra);
        files
    }
}

fn scenario(
    name: &'static str,
    status: &'static str,
    findings: &[&'static str],
    primary_cause: Option<&'static str>,
    mac: Mac,
    lines: Vec<Line>,
) -> Scenario {
    let mut all: Vec<Line> = (15..=20)
        .flat_map(noise)
        .filter(|l| l.at <= at(NOW))
        .collect();
    all.extend(lines);
    all.sort_by_key(|l| l.at);
    let mut findings = findings.to_vec();
    findings.sort();
    Scenario {
        name,
        status,
        findings,
        primary_cause,
        plists: mac.plists(),
        lines: all,
    }
}

fn flat(groups: Vec<Vec<Line>>) -> Vec<Line> {
    groups.into_iter().flatten().collect()
}

const CURRENT: &str = "11.10.0";
const RECURRING: &str = "recurring-auth-removed";

/// Every scenario.
pub fn scenarios() -> Vec<Scenario> {
    let registered = || Mac::registered(CURRENT, "15.1");
    let daily_success = || {
        flat(
            (16..=20)
                .map(|d| success(&format!("2026-11-{d:02}T09:00:00-05:00")))
                .collect(),
        )
    };
    vec![
        scenario("healthy", "healthy", &[RECURRING], None, registered(), daily_success()),
        scenario(
            "deactivated",
            "deactivated",
            &["deactivated", "interactive-auth-failed", "silent-auth-failed", "token-stale", RECURRING],
            Some("silent-auth-failed"),
            registered().prefs(vec![
                ("have_an_Azure_id", Value::Boolean(false)),
                ("last_aad_token_timestamp", Value::Integer(epoch("2026-11-18T09:00:00-05:00").into())),
            ]),
            flat(vec![
                success("2026-11-18T09:00:00-05:00"),
                vec![
                    silent_fail("2026-11-19T09:00:00-05:00"),
                    interactive_fail("2026-11-19T09:05:00-05:00"),
                    deactivation("2026-11-19T09:05:01-05:00"),
                ],
            ]),
        ),
        scenario(
            "deactivated-near-miss",
            "healthy",
            &[RECURRING],
            None,
            registered(),
            flat(vec![vec![deactivation("2026-11-17T09:00:00-05:00")], success("2026-11-17T10:00:00-05:00")]),
        ),
        scenario(
            "interactive-auth-failed",
            "at-risk",
            &["interactive-auth-failed", "silent-auth-failed", RECURRING],
            Some("silent-auth-failed"),
            registered().xml(),
            flat(vec![
                vec![silent_fail("2026-11-18T09:00:00-05:00"), interactive_fail("2026-11-18T09:03:00-05:00")],
                success("2026-11-19T09:00:00-05:00"),
            ]),
        ),
        scenario(
            "interactive-auth-failed-near-miss",
            "healthy",
            &[RECURRING],
            None,
            registered(),
            flat(vec![
                vec![agent("2026-11-18T09:00:00-05:00", "Debug", "msal", "Calling acquireTokenInteractive for account <private>")],
                success("2026-11-18T09:01:00-05:00"),
            ]),
        ),
        scenario(
            "silent-auth-failed",
            "at-risk",
            &["silent-auth-failed", RECURRING],
            Some("silent-auth-failed"),
            registered(),
            flat(vec![
                vec![
                    silent_fail("2026-11-17T09:00:00-05:00"),
                    silent_fail("2026-11-17T11:00:00-05:00"),
                    silent_fail("2026-11-18T09:00:00-05:00"),
                ],
                success("2026-11-19T09:00:00-05:00"),
            ]),
        ),
        scenario("silent-auth-failed-near-miss", "healthy", &[RECURRING], None, registered(), daily_success()),
        scenario(
            "invalid-grant",
            "at-risk",
            &["invalid-grant", "silent-auth-failed", RECURRING],
            Some("invalid-grant"),
            registered().xml(),
            flat(vec![
                vec![
                    invalid_grant("2026-11-18T09:00:00-05:00", "7F6779F2-640C-4FB2-9462-B16C102CF61C"),
                    silent_fail("2026-11-18T09:00:01-05:00"),
                    invalid_grant("2026-11-19T09:00:00-05:00", "0B7C3A51-2D4E-4F60-8A91-C2D3E4F5A6B7"),
                    silent_fail("2026-11-19T09:00:01-05:00"),
                ],
                success("2026-11-19T11:00:00-05:00"),
            ]),
        ),
        scenario(
            "invalid-grant-near-miss",
            "healthy",
            &[RECURRING],
            None,
            registered(),
            flat(vec![
                vec![Line {
                    at: at("2026-11-18T09:00:00-05:00"),
                    kind: "Default",
                    process: "Microsoft Teams",
                    image: "/Applications/Microsoft Teams.app/Contents/MacOS/MSTeams",
                    pid: 933,
                    library: None,
                    subsystem: "com.microsoft.teams",
                    category: "msal",
                    message: "MSAL 1.2.14 [2026-11-18 14:00:00 - 11111111-2222-3333-4444-555555555555] Processing an AAD error with error code -51412, error invalid_grant".into(),
                }],
                daily_success(),
            ]),
        ),
        scenario(
            "appsso-not-appsso-url",
            "at-risk",
            &["appsso-not-appsso-url", RECURRING],
            Some("appsso-not-appsso-url"),
            Mac::registered(CURRENT, "13.6.1"),
            flat(vec![
                (0..6)
                    .map(|i| appsso(&format!("2026-11-18T09:{:02}:00-05:00", i * 7), AGENT, AGENT_PATH, "-9"))
                    .collect(),
                vec![
                    appsso("2026-11-18T10:00:00-05:00", "Microsoft Teams", "/Applications/Microsoft Teams.app/Contents/MacOS/MSTeams", "-9"),
                    appsso("2026-11-19T10:00:00-05:00", "Microsoft Edge", "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge", "-9"),
                ],
                daily_success(),
            ]),
        ),
        scenario(
            "appsso-not-appsso-url-near-miss",
            "healthy",
            &[RECURRING],
            None,
            registered(),
            flat(vec![vec![appsso("2026-11-18T09:00:00-05:00", AGENT, AGENT_PATH, "-90")], daily_success()]),
        ),
        scenario(
            "duplicate-msal-accounts",
            "at-risk",
            &["duplicate-msal-accounts"],
            Some("duplicate-msal-accounts"),
            Mac::registered("11.2.1", "14.4"),
            flat(vec![
                vec![
                    duplicate("2026-11-18T09:00:00-05:00"),
                    agent("2026-11-19T09:00:00-05:00", "Default", "azure", "Multiple accounts found, it is posible for silent token acquire to fail now if the wrong account is picked"),
                ],
                success("2026-11-20T11:30:00-05:00"),
            ]),
        ),
        scenario(
            "duplicate-msal-accounts-near-miss",
            "healthy",
            &[RECURRING],
            None,
            registered(),
            flat(vec![
                vec![Line {
                    at: at("2026-11-18T09:00:00-05:00"),
                    kind: "Debug",
                    process: "Company Portal",
                    image: "/Applications/Company Portal.app/Contents/MacOS/Company Portal",
                    pid: 1201,
                    library: None,
                    subsystem: "com.microsoft.CompanyPortalMac",
                    category: "msal",
                    message: "More than 1 account, will try to find a matching account.".into(),
                }],
                daily_success(),
            ]),
        ),
        scenario(
            "duplicate-msal-accounts-resolved",
            "healthy",
            &["duplicate-msal-accounts", RECURRING],
            None,
            registered(),
            flat(vec![vec![duplicate("2026-11-18T09:00:00-05:00")], daily_success()]),
        ),
        scenario(
            "token-cache-unwritable",
            "at-risk",
            &["token-cache-unwritable", RECURRING],
            Some("token-cache-unwritable"),
            registered(),
            flat(vec![
                vec![
                    keychain("2026-11-17T09:00:00-05:00", "Failed to set item into keychain (status: -25308)"),
                    keychain("2026-11-17T09:00:01-05:00", "Failed to save tokens in cache. Error Error Domain=MSIDKeychainErrorDomain Code=-25308 \"(null)\""),
                    keychain("2026-11-18T09:00:00-05:00", "(Default accessor) Failed refresh token lookup"),
                    keychain("2026-11-19T09:00:00-05:00", "Failed to find keychain item (status: -34018)"),
                ],
                daily_success(),
            ]),
        ),
        scenario(
            "token-cache-unwritable-near-miss",
            "healthy",
            &[RECURRING],
            None,
            registered(),
            flat(vec![
                vec![Line {
                    at: at("2026-11-18T09:00:00-05:00"),
                    kind: "Error",
                    process: "Microsoft Teams",
                    image: "/Applications/Microsoft Teams.app/Contents/MacOS/MSTeams",
                    pid: 1301,
                    library: None,
                    subsystem: "com.microsoft.teams2",
                    category: "msal",
                    message: "Failed to set item into keychain (status: -25308)".into(),
                }],
                daily_success(),
            ]),
        ),
        scenario(
            "token-cache-deactivated",
            "deactivated",
            &["deactivated", "interactive-auth-failed", "silent-auth-failed", "token-cache-unwritable", "token-stale", RECURRING],
            Some("token-cache-unwritable"),
            registered().prefs(vec![
                ("have_an_Azure_id", Value::Boolean(false)),
                ("last_aad_token_timestamp", Value::Integer(epoch("2026-11-16T09:00:00-05:00").into())),
            ]),
            flat(vec![
                success("2026-11-16T09:00:00-05:00"),
                vec![
                    keychain("2026-11-18T09:00:00-05:00", "Could not write broker key -34018"),
                    silent_fail_masked("2026-11-18T09:00:01-05:00"),
                    interactive_fail("2026-11-18T09:02:00-05:00"),
                    deactivation("2026-11-18T09:02:01-05:00"),
                ],
            ]),
        ),
        scenario(
            "msal-error-forms",
            "at-risk",
            &["invalid-grant", "silent-auth-failed", RECURRING],
            Some("invalid-grant"),
            registered(),
            flat(vec![
                vec![
                    agent(
                        "2026-11-18T09:00:00-05:00",
                        "Default",
                        "msal",
                        "TID=12345 MSAL 1.2.14 Mac 14.3.0 [2026-11-18 14:00:00 - 5C1E2A7B-0D9F-4E3A-8B6C-1F2E3D4C5B6A] Processing an AAD error with error code -51412, error invalid_grant, suberror basic_action, description Masked(not-null)",
                    ),
                    silent_fail_masked("2026-11-18T09:00:01-05:00"),
                ],
                daily_success(),
            ]),
        ),
        scenario(
            "appsso-nested",
            "at-risk",
            &["appsso-not-appsso-url", RECURRING],
            Some("appsso-not-appsso-url"),
            registered(),
            flat(vec![
                vec![
                    // One refused request logs its nested error three times.
                    nested_appsso("2026-11-18T10:00:00-05:00"),
                    nested_appsso("2026-11-18T10:00:00.400-05:00"),
                    nested_appsso("2026-11-18T10:00:01-05:00"),
                    // A second request, later.
                    nested_appsso("2026-11-18T10:30:00-05:00"),
                    nested_appsso("2026-11-18T10:30:00.200-05:00"),
                ],
                daily_success(),
            ]),
        ),
        scenario(
            "token-stale",
            "at-risk",
            &["token-stale"],
            Some("token-stale"),
            Mac::registered("11.4.1", "14.5").prefs(vec![
                ("have_an_Azure_id", Value::Integer(1.into())),
                ("last_aad_token_timestamp", Value::Real(epoch("2026-11-17T08:00:00-05:00") as f64)),
            ]),
            Vec::new(),
        ),
        scenario("token-stale-near-miss", "healthy", &[], None, Mac::registered("11.4.1", "14.5"), success("2026-11-20T10:00:00-05:00")),
        scenario(
            "token-stale-info",
            "healthy",
            &["token-stale", RECURRING],
            None,
            registered().prefs(vec![
                ("have_an_Azure_id", Value::String("1".into())),
                ("last_aad_token_timestamp", Value::String(epoch("2026-11-12T08:00:00-05:00").to_string())),
            ]),
            Vec::new(),
        ),
        scenario("recurring-auth-removed", "healthy", &[RECURRING], None, Mac::registered("11.5.0", "15.0"), daily_success()),
        scenario("recurring-auth-removed-near-miss", "healthy", &[], None, Mac::registered("11.4.1", "15.0"), daily_success()),
        scenario("not-registered", "not-registered", &["not-registered", RECURRING], Some("not-registered"), registered().no_prefs(), Vec::new()),
        scenario("not-registered-near-miss", "healthy", &[RECURRING], None, registered().no_prefs(), daily_success()),
        scenario(
            "input-unreadable",
            "at-risk",
            &["input-unreadable", RECURRING],
            Some("input-unreadable"),
            Mac {
                extra: vec![PlistFile { relative: USER_PREFS, dict: None, raw: Some(b"bplist00\x00\x01\x02 this is not a plist"), binary: true }],
                ..registered().no_prefs()
            },
            daily_success(),
        ),
        scenario(
            "input-unreadable-near-miss",
            "healthy",
            &[RECURRING],
            None,
            Mac {
                extra: vec![PlistFile {
                    relative: "Library/Managed Preferences/com.jamf.management.jamfAAD.plist",
                    dict: Some(dict(vec![("tokenRetryCount", Value::Integer(3.into())), ("useWKWebView", Value::Boolean(true))])),
                    raw: None,
                    binary: true,
                }],
                ..registered()
            },
            daily_success(),
        ),
        scenario(
            "remediated-zero-timestamp",
            "deactivated",
            &["deactivated", RECURRING],
            Some("deactivated"),
            registered().prefs(vec![
                ("have_an_Azure_id", Value::String("0".into())),
                ("last_aad_token_timestamp", Value::String("0".into())),
            ]),
            Vec::new(),
        ),
        scenario(
            "date-timestamp",
            "healthy",
            &[],
            None,
            Mac::registered("11.4.1", "14.6").prefs(vec![
                ("have_an_Azure_id", Value::Boolean(true)),
                ("last_aad_token_timestamp", Value::Date(std::time::SystemTime::from(at("2026-11-20T09:00:00-05:00")).into())),
            ]),
            Vec::new(),
        ),
        scenario(
            "private-user",
            "deactivated",
            &["deactivated", "interactive-auth-failed", "token-stale", RECURRING],
            Some("interactive-auth-failed"),
            registered().prefs(vec![("have_an_Azure_id", Value::Boolean(true))]),
            vec![
                agent("2026-11-18T09:00:00-05:00", "Default", "workflow", "AAD ID acquired for macOS user account <private>"),
                interactive_fail("2026-11-19T09:00:00-05:00"),
                agent("2026-11-19T09:00:01-05:00", "Default", "workflow", "No AAD ID found for macOS user account <private>"),
            ],
        ),
        scenario(
            "mixed-deactivated",
            "deactivated",
            &["appsso-not-appsso-url", "deactivated", "duplicate-msal-accounts", "interactive-auth-failed", "silent-auth-failed", "token-stale"],
            Some("appsso-not-appsso-url"),
            Mac::registered("11.2.1", "13.6.1").prefs(vec![
                ("have_an_Azure_id", Value::Boolean(false)),
                ("last_aad_token_timestamp", Value::Integer(epoch("2026-11-19T08:00:00-05:00").into())),
            ]),
            flat(vec![
                success("2026-11-19T08:00:00-05:00"),
                (0..40).map(|i| appsso(&format!("2026-11-19T{:02}:{:02}:00-05:00", 10 + i / 12, (i % 12) * 5), AGENT, AGENT_PATH, "-9")).collect(),
                vec![
                    appsso("2026-11-19T12:30:00-05:00", "Microsoft Outlook", "/Applications/Microsoft Outlook.app/Contents/MacOS/Microsoft Outlook", "-9"),
                    duplicate("2026-11-19T13:00:00-05:00"),
                    silent_fail("2026-11-19T13:00:01-05:00"),
                    interactive_fail("2026-11-19T13:02:00-05:00"),
                    deactivation("2026-11-19T13:02:01-05:00"),
                ],
            ]),
        ),
        scenario(
            "mixed-at-risk",
            "at-risk",
            &["appsso-not-appsso-url", "interactive-auth-failed", "invalid-grant", "silent-auth-failed", RECURRING],
            Some("appsso-not-appsso-url"),
            registered().xml(),
            flat(vec![
                vec![
                    appsso("2026-11-16T10:00:00-05:00", "Microsoft Teams", "/Applications/Microsoft Teams.app/Contents/MacOS/MSTeams", "-9"),
                    invalid_grant("2026-11-17T09:00:00-05:00", "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF"),
                    silent_fail("2026-11-17T09:00:01-05:00"),
                    interactive_fail("2026-11-17T09:04:00-05:00"),
                ],
                success("2026-11-18T09:00:00-05:00"),
                success("2026-11-20T09:00:00-05:00"),
            ]),
        ),
        scenario(
            "outside-window",
            "healthy",
            // The line after the clock is set aside and reported as clock skew.
            &["clock-skew", RECURRING],
            None,
            registered(),
            flat(vec![
                vec![silent_fail("2026-11-14T09:00:00-05:00"), interactive_fail("2026-11-14T09:03:00-05:00")],
                daily_success(),
                vec![silent_fail("2026-11-20T12:30:00-05:00")],
            ]),
        ),
    ]
}

/// The verdict file of a scenario.
pub fn expectation(s: &Scenario) -> serde_json::Value {
    json!({
        "now": NOW,
        "user": USER,
        "status": s.status,
        "primary_cause": s.primary_cause,
        "findings": s.findings,
    })
}

fn type_code(kind: &str) -> &'static str {
    match kind {
        "Default" => "Df",
        "Info" => "In",
        "Debug" => "Db",
        "Error" => "E ",
        "Fault" => "F ",
        _ => "??",
    }
}

fn prefix(line: &Line) -> String {
    let library = line.library.map(|l| format!("({l}) ")).unwrap_or_default();
    format!(
        "{library}[{}:{}] {}",
        line.subsystem, line.category, line.message
    )
}

fn zoned(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.6f%z").to_string()
}

/// Renders the scenario's log in one style.
pub fn render_log(lines: &[Line], style: &str) -> Vec<u8> {
    let mut out = String::new();
    let (errors, debug, info, default) = lines.iter().fold((0, 0, 0, 0), |(e, d, i, f), l| match l
        .kind
    {
        "Error" => (e + 1, d, i, f),
        "Debug" => (e, d + 1, i, f),
        "Info" => (e, d, i + 1, f),
        _ => (e, d, i, f + 1),
    });
    match style {
        "log.default.txt" => {
            out.push_str("Filtering the log data using \"subsystem CONTAINS \\\"jamfAAD\\\" OR subsystem BEGINSWITH \\\"com.apple.AppSSO\\\"\"\n");
            out.push_str("Timestamp                       Thread     Type        Activity             PID    TTL  \n");
            for (n, l) in lines.iter().enumerate() {
                out.push_str(&format!(
                    "{} 0x{:<8x} {:<11} 0x0                  {:<6} 0    {}: {}\n",
                    zoned(&l.at),
                    0x4a1c2 + n,
                    l.kind,
                    l.pid,
                    l.process,
                    prefix(l)
                ));
            }
            out.push_str("--------------------------------------------------------------------------------------------------------------------\n");
            out.push_str(&format!("Log      - Default:          {default}, Info:                {info}, Debug:             {debug}, Error:          {errors}, Fault:          0\n"));
            out.push_str(
                "Activity - Create:           0, Transition:          0, Actions:           0\n",
            );
        }
        "log.compact.txt" => {
            out.push_str("Filtering the log data using \"subsystem CONTAINS \\\"jamfAAD\\\" OR subsystem BEGINSWITH \\\"com.apple.AppSSO\\\"\"\n");
            out.push_str("Timestamp               Ty Process[PID:TID]\n");
            for (n, l) in lines.iter().enumerate() {
                out.push_str(&format!(
                    "{} {} {}[{}:{:x}] {}\n",
                    l.at.format("%Y-%m-%d %H:%M:%S%.3f"),
                    type_code(l.kind),
                    l.process,
                    l.pid,
                    0x4a1c2 + n,
                    prefix(l)
                ));
            }
        }
        "log.syslog.txt" => {
            out.push_str("Filtering the log data using \"subsystem CONTAINS \\\"jamfAAD\\\" OR subsystem BEGINSWITH \\\"com.apple.AppSSO\\\"\"\n");
            out.push_str("Timestamp                       (process)[PID]    \n");
            for l in lines {
                out.push_str(&format!(
                    "{}  mac-0042 {}[{}]: {}\n",
                    zoned(&l.at),
                    l.process,
                    l.pid,
                    prefix(l)
                ));
            }
        }
        "log.json" | "log.ndjson" => {
            let objects: Vec<serde_json::Value> = lines
                .iter()
                .enumerate()
                .map(|(n, l)| {
                    json!({
                        "timestamp": zoned(&l.at),
                        "messageType": l.kind,
                        "eventType": "logEvent",
                        "eventMessage": l.message,
                        "formatString": "%{public}s",
                        "subsystem": l.subsystem,
                        "category": l.category,
                        "processImagePath": l.image,
                        "senderImagePath": l.image,
                        "processID": l.pid,
                        "threadID": 0x4a1c2 + n,
                        "traceID": 1000 + n,
                        "activityIdentifier": 0,
                        "backtrace": { "frames": [ { "imageOffset": 1234 + n, "imageUUID": "6E2F8C1A-0000-4000-8000-000000000000" } ] },
                    })
                })
                .collect();
            if style == "log.json" {
                // Apple's json style: pretty-printed with " : " and escaped slashes.
                let pretty = serde_json::to_string_pretty(&objects)
                    .unwrap()
                    .replace("\": ", "\" : ")
                    .replace('/', "\\/");
                out.push_str(&pretty);
                out.push('\n');
            } else {
                for o in &objects {
                    out.push_str(&serde_json::to_string(o).unwrap().replace('/', "\\/"));
                    out.push('\n');
                }
                out.push_str(&format!(
                    "\n{{\"count\":{},\"finished\":1}}\n",
                    objects.len()
                ));
            }
        }
        other => panic!("unknown style {other}"),
    }
    out.into_bytes()
}

/// Every file of a scenario: relative path and bytes.
pub fn files(s: &Scenario) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for p in &s.plists {
        let bytes = match (&p.dict, p.raw) {
            (_, Some(raw)) => raw.to_vec(),
            (Some(d), None) => {
                let mut buf = Vec::new();
                let value = Value::Dictionary(d.clone());
                if p.binary {
                    value.to_writer_binary(&mut buf).unwrap();
                } else {
                    value.to_writer_xml(&mut buf).unwrap();
                }
                buf
            }
            (None, None) => continue,
        };
        files.insert(format!("root/{}", p.relative), bytes);
    }
    for style in STYLES {
        files.insert(style.to_string(), render_log(&s.lines, style));
    }
    let mut expect = serde_json::to_string_pretty(&expectation(s)).unwrap();
    expect.push('\n');
    files.insert("expect.json".to_string(), expect.into_bytes());
    files
}

/// Writes every scenario under `dir`.
pub fn write_all(dir: &Path) {
    for s in scenarios() {
        for (relative, bytes) in files(&s) {
            let path = dir.join(s.name).join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
}

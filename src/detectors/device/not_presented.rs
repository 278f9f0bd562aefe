//! `device-not-presented`: sign-ins of the Mac's users refused for the
//! device state (53000 not compliant, 530003 not managed, 50097, 50129,
//! 50187) that carried no device ID: the browser or app never showed Entra
//! ID the Mac, so no compliance could count. The advice follows the
//! browser: Chrome needs Microsoft's Single Sign On extension and its
//! native messaging host, Firefox its Entra SSO setting, Safari no private
//! browsing, Edge the work profile; Brave cannot.

use super::ChainContext;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::util::text::count;
use std::collections::BTreeMap;

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::DeviceNotPresented;

/// The browser family of a sign-in's `browser` (`Chrome 131.0.0`), or
/// `None` for an app.
fn family(browser: &str) -> Option<&'static str> {
    let lower = browser.to_ascii_lowercase();
    [
        ("edge", "Edge"),
        ("chrome", "Chrome"),
        ("firefox", "Firefox"),
        ("safari", "Safari"),
        ("brave", "Brave"),
    ]
    .into_iter()
    .find(|(key, _)| lower.contains(key))
    .map(|(_, name)| name)
    .or((!lower.is_empty()).then_some("other browser"))
}

/// What to do for a browser family (or an app).
fn advice(family: Option<&str>) -> &'static str {
    match family {
        Some("Chrome") => {
            "Chrome: install Microsoft's \"Microsoft Single Sign On\" extension (ID ppnbnpeolgkicgegkbkbjmhlideopiji; force it with Chrome's ExtensionInstallForcelist policy) and make sure its native messaging host ~/Library/Application Support/Google/Chrome/NativeMessagingHosts/com.microsoft.browsercore.json exists (Company Portal installs it)."
        }
        Some("Firefox") => {
            "Firefox: set network.http.microsoft-entra-sso.enabled to true (Firefox 131 and later), or deploy the MicrosoftEntraSSO enterprise policy."
        }
        Some("Safari") => {
            "Safari: sign in outside private browsing; the SSO extension does not serve private windows."
        }
        Some("Brave") => {
            "Brave: not supported for device-based Conditional Access; use Edge, Chrome with the extension, or Safari."
        }
        Some("Edge") => {
            "Edge: sign in to Edge's work profile with the work account (the profile, not only the website)."
        }
        Some(_) => {
            "Other browsers: use Edge, Safari, Chrome with the Microsoft Single Sign On extension or Firefox with Entra SSO enabled."
        }
        None => {
            "Apps: use an app that signs in through Microsoft's SSO extension or broker (Microsoft 365 apps, Company Portal); an app that does not cannot present the device."
        }
    }
}

/// Raises `device-not-presented` (critical: the sign-ins were blocked).
pub(crate) fn detect(context: &ChainContext) -> Vec<Finding> {
    let chain = context.chain;
    if chain.not_presented.is_empty() {
        return Vec::new();
    }
    let mut by_client: BTreeMap<String, (Option<&'static str>, u64)> = BTreeMap::new();
    for sign_in in &chain.not_presented {
        let (client, kind) = match sign_in.browser.as_deref().filter(|b| !b.is_empty()) {
            Some(browser) => (browser.to_string(), family(browser)),
            None => (sign_in.app.clone().unwrap_or_else(|| "an app".into()), None),
        };
        by_client.entry(client).or_insert((kind, 0)).1 += 1;
    }
    let mut users: Vec<String> = chain
        .not_presented
        .iter()
        .filter_map(|s| s.upn.clone())
        .collect();
    users.sort();
    users.dedup();
    let last = chain.not_presented.iter().filter_map(|s| s.time).max();
    let mut codes: Vec<String> = chain
        .not_presented
        .iter()
        .filter_map(|s| s.error_code.map(|c| c.to_string()))
        .collect();
    codes.sort();
    codes.dedup();
    let mut families: Vec<Option<&'static str>> = by_client.values().map(|(f, _)| *f).collect();
    families.sort();
    families.dedup();
    let mut steps: Vec<String> = families.iter().map(|f| advice(*f).to_string()).collect();
    steps.push(format!("Then sign in again and {}.", context.run_again));
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Critical,
        summary: format!(
            "{} refused for the device state presented no device: the browser or app never showed Entra ID the Mac ({})",
            count(chain.not_presented.len() as u64, "sign-in", "sign-ins"),
            by_client.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
        evidence: vec![
            EvidenceRow::count("sign-ins", chain.not_presented.len() as u64).with_items(
                by_client
                    .iter()
                    .map(|(client, (_, n))| format!("{client}: {n}"))
                    .collect(),
            ),
            EvidenceRow::new("error codes", codes.join(", ")),
            EvidenceRow::new("users", users.join(", ")),
            EvidenceRow::new(
                "last",
                last.map_or_else(|| "unknown".to_string(), |t| context.time(t)),
            ),
        ],
        remediation: steps,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::device::testing::{chain_of, run, tenant};

    #[test]
    fn a_refused_sign_in_without_a_device_is_named_with_its_browser_s_advice() {
        let records = tenant();
        let findings = run(detect, &chain_of(&records), None);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Critical);
        assert!(
            findings[0].summary.starts_with("1 sign-in refused"),
            "{}",
            findings[0].summary
        );
        assert!(findings[0].remediation[0].contains("ppnbnpeolgkicgegkbkbjmhlideopiji"));
        // Near miss: the same sign-in with the device presented.
        let mut presented = tenant();
        for sign_in in &mut presented.sign_ins {
            sign_in.device_id =
                crate::util::guid::Guid::parse(crate::detectors::device::testing::CURRENT);
        }
        assert!(run(detect, &chain_of(&presented), None).is_empty());
        assert_eq!(family("Firefox 128.0"), Some("Firefox"));
        assert_eq!(family("Edge 131.0.0"), Some("Edge"));
        assert_eq!(family(""), None);
    }
}

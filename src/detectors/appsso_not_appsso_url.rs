//! `appsso-not-appsso-url`: the SSO extension answers AppSSO error -9 "not
//! AppSSO URL", almost always because a proxy or TLS inspection gets between
//! macOS and Apple's or Microsoft's SSO endpoints. It hits every Microsoft app,
//! not only the agent, and makes prompts frequent.

use super::Context;
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::mac::log::SignatureId;
use crate::util::text::count;
use crate::util::version::{JAMF_USES_SSO_EXTENSION, MACOS_PROXY_FIX};

/// Finding ID.
pub(crate) const ID: FindingId = FindingId::AppssoNotAppssoUrl;

/// Raises `appsso-not-appsso-url` (warning) with every process affected.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(stats) = context.observations.get(SignatureId::AppSsoNotAppSsoUrl) else {
        return Vec::new();
    };
    let facts = context.facts;
    let mut processes: Vec<_> = stats.processes.iter().collect();
    processes.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    let mut evidence = context.stats_evidence(stats);
    evidence.insert(
        1,
        EvidenceRow::count("processes affected", processes.len() as u64).with_items(
            processes
                .iter()
                .map(|(name, tally)| {
                    format!(
                        "{name}: {} (last {})",
                        tally.count,
                        context.time(tally.last)
                    )
                })
                .collect(),
        ),
    );
    // The network is at fault, not the Mac: the first step is the exemption.
    let why = " This is a network problem, not a Mac problem: a proxy, firewall or TLS inspection between the Mac and the SSO endpoints refuses the requests.";
    let mut remediation = vec![match facts.prefs.macos_version {
        Some(version) if version >= MACOS_PROXY_FIX => format!(
            "Have the network team exempt app-site-association.cdn-apple.com and app-site-association.networking.apple from proxying and TLS inspection (on macOS {version} these two are enough): add both exclusions to the proxy and PAC file this Mac uses.{why}"
        ),
        Some(version) => format!(
            "Update macOS {version} to 14.3 or later (older macOS is more sensitive to proxying), and until then have the network team exempt app-site-association.cdn-apple.com, app-site-association.networking.apple and the Microsoft login domains from proxying and TLS inspection.{why}"
        ),
        None => format!(
            "Have the network team exempt app-site-association.cdn-apple.com and app-site-association.networking.apple from proxying and TLS inspection (enough on macOS 14.3 and later; older macOS is more sensitive: update it).{why}"
        ),
    }];
    remediation.push("Check the rest of Microsoft's network requirements for the Enterprise SSO plug-in for Apple devices (the Microsoft login and Apple associated-domains endpoints must be reachable without interception).".to_string());
    remediation.push("Teams, Edge, Outlook, OneDrive and Safari sign-ins suffer from the same error: users will see fewer prompts everywhere once it is fixed.".to_string());
    if facts
        .prefs
        .jamf_pro_version
        .is_some_and(|v| v < JAMF_USES_SSO_EXTENSION)
    {
        remediation.push(format!(
            "Jamf Pro {} predates 10.50: the agent itself does not use the SSO extension yet, so these errors hurt the other apps more than it.",
            facts.prefs.jamf_pro_version_text.as_deref().unwrap_or("")
        ));
    }
    vec![Finding {
        id: ID,
        subject: None,
        severity: Severity::Warning,
        summary: format!(
            "The SSO extension refused {} with AppSSO error -9 \"not AppSSO URL\" in {}: a proxy or TLS inspection problem",
            count(stats.count, "request", "requests"),
            count(processes.len() as u64, "process", "processes")
        ),
        evidence,
        remediation,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::Scenario;

    const LINE: &str =
        "error = Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\"";

    #[test]
    fn lists_every_process_and_advises_by_macos() {
        let scenario = Scenario::registered()
            .macos("13.6.1")
            .log(
                "2026-11-18T09:00:00-05:00",
                SignatureId::AppSsoNotAppSsoUrl,
                "Jamf Conditional Access",
                LINE,
            )
            .log(
                "2026-11-18T09:01:00-05:00",
                SignatureId::AppSsoNotAppSsoUrl,
                "Microsoft Teams",
                LINE,
            )
            .log(
                "2026-11-18T09:02:00-05:00",
                SignatureId::AppSsoNotAppSsoUrl,
                "Microsoft Edge",
                LINE,
            );
        let findings = scenario.run(detect);
        assert_eq!(findings[0].evidence[1].items.len(), 3);
        assert!(findings[0].remediation[0].contains("to 14.3 or later"));
    }

    #[test]
    fn two_domains_on_recent_macos() {
        let scenario = Scenario::registered().macos("14.3").log(
            "2026-11-18T09:00:00-05:00",
            SignatureId::AppSsoNotAppSsoUrl,
            "AppSSOAgent",
            LINE,
        );
        assert!(scenario.run(detect)[0].remediation[0].contains("these two are enough"));
    }

    #[test]
    fn silent_when_absent() {
        assert!(Scenario::registered().run(detect).is_empty());
    }
}

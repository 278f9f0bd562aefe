//! The SSO extension's own failures, from its texts wherever they appear
//! (the unified log, a sysdiagnose's log, the extension's log files): one
//! detector per text of the signature table's SSO-extension rows.

pub(crate) mod browser_not_supported;
pub(crate) mod config_unreadable;
pub(crate) mod keychain_error;
pub(crate) mod not_registered_in_tenant;
pub(crate) mod prt_needs_upgrade;
pub(crate) mod registered_outside_jamf;
pub(crate) mod version_conflict;
pub(crate) mod workplace_join_required;

#[cfg(test)]
mod tests {
    use crate::detectors::testing::Scenario;
    use crate::findings::Severity;
    use crate::mac::log::SignatureId;
    use crate::mac::registration::Registration;

    const MORNING: &str = "2026-11-20T08:00:00-05:00";

    #[test]
    fn the_macos_version_decides_how_bad_an_unreadable_configuration_is() {
        let line = "Error deserializing device config.";
        for (macos, severity) in [
            ("15.2", Severity::Critical),
            ("15.3", Severity::Warning),
            ("14.7", Severity::Warning),
        ] {
            let scenario = Scenario::registered().macos(macos).log(
                MORNING,
                SignatureId::PssoConfigUnreadable,
                "AppSSOAgent",
                line,
            );
            assert_eq!(
                scenario.run(super::config_unreadable::detect)[0].severity,
                severity,
                "{macos}"
            );
        }
    }

    #[test]
    fn only_a_refused_team_is_a_browser_not_supported() {
        let refused = Scenario::registered().log(
            MORNING,
            SignatureId::BrowserNotSupported,
            "Mac SSO Extension",
            "the teamId KL8N8XSYF4 is not allowed",
        );
        assert_eq!(refused.run(super::browser_not_supported::detect).len(), 1);
        let checked = Scenario::registered().log(
            MORNING,
            SignatureId::BrowserNotSupported,
            "Mac SSO Extension",
            "Checking the teamId UBF8T346G9",
        );
        assert!(checked.run(super::browser_not_supported::detect).is_empty());
    }

    #[test]
    fn a_registration_now_softens_the_missing_registration_texts() {
        let mut scenario = Scenario::registered()
            .log(
                MORNING,
                SignatureId::DeviceNotRegisteredInTenant,
                "Company Portal",
                "[errorCode:-400] no registration exists for tenant",
            )
            .log(
                MORNING,
                SignatureId::WorkplaceJoinRequired,
                "Microsoft Outlook",
                "MSALErrorDescriptionKey=Workplace join is required",
            );
        assert_eq!(
            scenario.run(super::not_registered_in_tenant::detect)[0].severity,
            Severity::Critical
        );
        assert_eq!(
            scenario.run(super::workplace_join_required::detect)[0].severity,
            Severity::Critical
        );
        scenario.registration = Some(Registration {
            platform_sso: Some(true),
            ..Registration::default()
        });
        assert_eq!(
            scenario.run(super::not_registered_in_tenant::detect)[0].severity,
            Severity::Info
        );
        assert_eq!(
            scenario.run(super::workplace_join_required::detect)[0].severity,
            Severity::Warning
        );
        assert!(
            Scenario::registered()
                .run(super::version_conflict::detect)
                .is_empty()
        );
    }
}

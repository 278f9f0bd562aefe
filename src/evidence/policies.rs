//! Whether each Conditional Access policy reaches the Jamf Connect sign-in
//! (its ROPG password check on macOS), and why not when it does not. The
//! rules are in the README; what cannot be decided offline (users, groups,
//! an application filter) is said in the notes, never guessed.

use crate::inputs::InputRecord;
use crate::tenant::entra::policies::{Policy, PolicyState};

/// Whether and how a policy reaches the Jamf Connect sign-in.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reach {
    /// It reaches the sign-in.
    pub(crate) reaches: bool,
    /// Why not, when it does not.
    pub(crate) why_not: Option<String>,
    /// It has a location condition that restricts.
    pub(crate) restricting_location: bool,
    /// What could not be decided offline.
    pub(crate) notes: Vec<String>,
    /// Why its exclusion of the Jamf Connect app has no effect, when it has none.
    pub(crate) exclusion_without_effect: Option<String>,
}

/// The Jamf Connect sign-in the policies are judged for.
#[derive(Clone, Debug, Default)]
pub(crate) struct JamfConnectTarget {
    /// Its app IDs (clients, ROPG apps, the custom API app).
    pub(crate) apps: Vec<String>,
    /// A Mac's configuration says the password check asks only for the
    /// default scopes: excluding its app from an "All" policy has no effect.
    pub(crate) default_scopes_only: bool,
}

impl JamfConnectTarget {
    /// The target of a Mac's Jamf Connect configuration.
    pub(crate) fn of_config(config: &crate::mac::jamf_connect::JamfConnect) -> Self {
        JamfConnectTarget {
            apps: config.app_ids(),
            default_scopes_only: config.default_scopes_only(),
        }
    }

    /// Adds what another source knows: more app IDs, the scopes.
    pub(crate) fn merge(&mut self, other: JamfConnectTarget) {
        self.apps.extend(other.apps);
        self.apps.sort();
        self.apps.dedup();
        self.default_scopes_only |= other.default_scopes_only;
    }
}

/// The policies read and their reach.
#[derive(Clone, Debug, Default)]
pub(crate) struct PolicyEvidence {
    /// Each policy with its reach.
    pub(crate) policies: Vec<(Policy, Reach)>,
    /// Every export and what became of it.
    pub(crate) inputs: Vec<InputRecord>,
    /// The Jamf Connect app IDs the reach was judged with.
    pub(crate) jamf_connect_apps: Vec<String>,
    /// The reach was judged knowing the password check asks only for the
    /// default scopes.
    pub(crate) default_scopes_only: bool,
}

impl PolicyEvidence {
    /// How many of the policies read are in `state`.
    pub(crate) fn count_in_state(&self, state: PolicyState) -> usize {
        self.policies
            .iter()
            .filter(|(p, _)| p.state == Some(state))
            .count()
    }
}

fn has(list: &[String], value: &str) -> bool {
    list.iter().any(|item| item.eq_ignore_ascii_case(value))
}

/// Judges `policy`'s reach for the given Jamf Connect sign-in.
pub(crate) fn reach(policy: &Policy, target: &JamfConnectTarget) -> Reach {
    let jamf_connect_apps = target.apps.as_slice();
    let mut reach = Reach::default();
    if !policy.users.is_empty() {
        reach.notes.push(format!(
            "users, groups and roles cannot be resolved offline: {}",
            policy.users.join("; ")
        ));
    }
    let not = |mut reach: Reach, why: &str| {
        reach.why_not = Some(why.to_string());
        reach
    };
    if policy.state == Some(PolicyState::Disabled) {
        return not(reach, "disabled");
    }
    if policy.include_apps.is_empty() && !policy.user_actions.is_empty() {
        return not(
            reach,
            "only user actions (register security info or devices)",
        );
    }
    let jamf_connect = |list: &[String]| jamf_connect_apps.iter().any(|app| has(list, app));
    if !has(&policy.include_apps, "All") && !jamf_connect(&policy.include_apps) {
        return not(reach, "does not include All apps or a Jamf Connect app");
    }
    if jamf_connect(&policy.exclude_apps) {
        if !(target.default_scopes_only && has(&policy.include_apps, "All")) {
            return not(reach, "excludes the Jamf Connect app");
        }
        reach.exclusion_without_effect = Some(
            "Jamf Connect's password check asks only for the default scopes (openid profile email): it signs in to Microsoft's own resources, which All cloud apps always reaches".to_string(),
        );
    }
    if policy
        .app_filter_mode
        .as_deref()
        .is_some_and(|mode| mode.eq_ignore_ascii_case("exclude"))
    {
        reach
            .notes
            .push("an application filter in exclude mode cannot be evaluated offline".to_string());
        if jamf_connect_apps.is_empty() {
            return not(
                reach,
                "an application filter may exempt Jamf Connect (no --jamf-connect-app given)",
            );
        }
    }
    let platforms_ok = policy.include_platforms.is_empty()
        || has(&policy.include_platforms, "all")
        || has(&policy.include_platforms, "macOS");
    if !platforms_ok || has(&policy.exclude_platforms, "macOS") {
        return not(reach, "does not apply to macOS");
    }
    let clients_ok = policy.client_app_types.is_empty()
        || has(&policy.client_app_types, "all")
        || has(&policy.client_app_types, "mobileAppsAndDesktopClients");
    if !clients_ok {
        return not(reach, "client app types exclude desktop clients");
    }
    if !policy.transfer_methods.is_empty() {
        return not(
            reach,
            "restricted to device code flow or authentication transfer",
        );
    }
    let all_locations = policy.include_locations.len() == 1
        && has(&policy.include_locations, "All")
        && policy.exclude_locations.is_empty();
    reach.restricting_location = !policy.include_locations.is_empty() && !all_locations;
    reach.reaches = true;
    reach
}

impl PolicyEvidence {
    /// The evidence of `policies` for the given Jamf Connect sign-in.
    pub(crate) fn of(
        policies: Vec<Policy>,
        inputs: Vec<InputRecord>,
        target: JamfConnectTarget,
    ) -> Self {
        let policies = policies
            .into_iter()
            .map(|policy| {
                let reach = reach(&policy, &target);
                (policy, reach)
            })
            .collect();
        PolicyEvidence {
            policies,
            inputs,
            jamf_connect_apps: target.apps,
            default_scopes_only: target.default_scopes_only,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            name: "p".into(),
            state: Some(PolicyState::Enabled),
            include_apps: vec!["All".into()],
            controls: vec!["mfa".into()],
            ..Policy::default()
        }
    }

    #[test]
    fn the_reach_rules() {
        let none = JamfConnectTarget::default();
        assert!(reach(&policy(), &none).reaches);
        let jc = JamfConnectTarget {
            apps: vec!["C0FFEE".to_string()],
            default_scopes_only: false,
        };
        let excluded = Policy {
            exclude_apps: vec!["c0ffee".into()],
            ..policy()
        };
        assert_eq!(
            reach(&excluded, &jc).why_not.as_deref(),
            Some("excludes the Jamf Connect app")
        );
        // With only the default scopes the exclusion has no effect.
        let default_scopes = JamfConnectTarget {
            default_scopes_only: true,
            ..jc.clone()
        };
        let excluded_reach = reach(&excluded, &default_scopes);
        assert!(excluded_reach.reaches);
        assert!(
            excluded_reach
                .exclusion_without_effect
                .is_some_and(|why| why.contains("default scopes"))
        );
        let exchange_only = Policy {
            include_apps: vec!["00000002-0000-0ff1-ce00-000000000000".into()],
            ..policy()
        };
        assert!(!reach(&exchange_only, &jc).reaches);
        let windows = Policy {
            include_platforms: vec!["windows".into()],
            ..policy()
        };
        assert!(!reach(&windows, &none).reaches);
        let device_code = Policy {
            transfer_methods: vec!["deviceCodeFlow".into()],
            ..policy()
        };
        assert!(!reach(&device_code, &none).reaches);
        let actions = Policy {
            include_apps: vec![],
            user_actions: vec!["urn:user:registersecurityinfo".into()],
            ..policy()
        };
        assert!(!reach(&actions, &none).reaches);
        let filtered = Policy {
            app_filter_mode: Some("exclude".into()),
            ..policy()
        };
        assert!(!reach(&filtered, &none).reaches);
        assert!(reach(&filtered, &jc).reaches);
        assert!(reach(&filtered, &jc).notes[0].contains("cannot be evaluated offline"));
        let everywhere = Policy {
            include_locations: vec!["All".into()],
            ..policy()
        };
        assert!(!reach(&everywhere, &none).restricting_location);
        let trusted_excluded = Policy {
            include_locations: vec!["All".into()],
            exclude_locations: vec!["AllTrusted".into()],
            ..policy()
        };
        assert!(reach(&trusted_excluded, &none).restricting_location);
    }
}

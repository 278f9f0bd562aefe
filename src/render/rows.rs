//! The facts of every family as labelled rows, in words a person reads:
//! the registration checks, the Mac's device identity, the device chain's
//! links, Jamf Connect's settings, and a user's facts. The view model takes
//! them whole; the renderers lay them out.

use crate::evidence::chain::DeviceChain;
use crate::evidence::device::DeviceIdentity;
use crate::evidence::facts::Facts;
use crate::evidence::path::agent_status_name;
use crate::inputs::InputState;
use crate::mac::jamf_connect::JamfConnect;
use crate::mac::prefs::OPTIONAL_INPUTS;
use crate::mac::registration::{CheckKind, Registration};
use crate::tenant::entra::devices::EntraDevice;
use crate::util::text::count;
use crate::util::time::format_local;
use chrono::FixedOffset;

/// The compliance path, and `microsoftCAEnabled` when it is false (the
/// app the agent signs in to is the `integration` row; the JSON report
/// has every ground).
fn path_row(facts: &Facts) -> (String, String) {
    let path = facts.compliance_path().path.describe();
    let value = match facts.prefs.microsoft_ca_enabled {
        Some(false) => format!("{path}; microsoftCAEnabled false"),
        _ => path.to_string(),
    };
    ("compliance path".into(), value)
}

/// The account's row of the Platform SSO state matrix, when any of its
/// Platform SSO sources answered.
fn account_state_row(facts: &Facts) -> Option<(String, String)> {
    let row = facts.account_row();
    let mut parts = Vec::new();
    if let Some(state) = row.user_state {
        parts.push(state.apple_name().to_string());
    }
    if let Some(completed) = row.registration_completed {
        parts.push(format!("registrationCompleted {completed}"));
    }
    if let Some(code) = row.agent_status {
        parts.push(format!("getPSSOStatus {}", agent_status_name(code)));
    }
    if parts.is_empty() {
        return None;
    }
    parts.push(match row.agent_ran {
        Some(true) => "the agent ran for the account".to_string(),
        Some(false) => "the agent never ran for the account".to_string(),
        None => "whether the agent ran is unknown".to_string(),
    });
    Some(("account state".into(), parts.join("; ")))
}

/// The account's SSO extension and Company Portal log files: how much was
/// read, and the versions they name.
fn microsoft_logs_row(facts: &Facts) -> Option<(String, String)> {
    let logs = &facts.file_logs;
    if !logs.any() {
        return None;
    }
    let mut parts = vec![format!(
        "{}, {}",
        count(logs.files, "file", "files"),
        count(logs.entries, "entry", "entries")
    )];
    if let Some(versions) = &logs.sso_extension {
        let named: Vec<String> = [
            ("broker", &versions.broker),
            ("WPJ", &versions.workplace_join),
            ("MSAL", &versions.msal),
        ]
        .iter()
        .filter_map(|(name, version)| version.as_ref().map(|v| format!("{name} {v}")))
        .collect();
        if !named.is_empty() {
            parts.push(format!("SSO extension {}", named.join(", ")));
        }
    }
    if let Some(version) = &logs.company_portal {
        parts.push(format!("Company Portal {version}"));
    }
    if logs.platform_sso_not_enabled {
        parts.push(
            "Platform SSO not enabled for the registration (WPJPlatformSSONotEnabled)".to_string(),
        );
    }
    Some(("Microsoft logs".into(), parts.join("; ")))
}

/// Each registration check's answer, in words.
fn registration_rows(registration: &Registration) -> Vec<(String, String)> {
    registration
        .checks
        .iter()
        .map(|check| {
            let answer = match (check.kind, check.registered) {
                (_, None) => format!("no answer ({})", check.outcome),
                (Some(CheckKind::PlatformSso), Some(registered)) => {
                    let state = registration.platform_sso_state.as_ref();
                    let mut parts = vec![
                        match (registered, state.is_some_and(|s| s.configured)) {
                            (true, _) => "registered",
                            (false, true) => "configured, not registered",
                            (false, false) => "not configured",
                        }
                        .to_string(),
                    ];
                    if let Some(state) = state.filter(|s| s.configured) {
                        parts.extend(state.extension_identifier.clone());
                        parts.extend(state.login_type.clone());
                        if !state.upns.is_empty() {
                            parts.push(state.upns.join(", "));
                        }
                        parts.extend(state.certificate_problem.clone());
                    }
                    parts.join("; ")
                }
                (Some(CheckKind::AgentStatus), Some(_)) => registration
                    .agent_status
                    .as_ref()
                    .map_or("answered", |s| s.describe())
                    .to_string(),
                (Some(CheckKind::Keychain), Some(_)) => {
                    let mut answer = count(
                        registration.keychain_certificates.len() as u64,
                        "device certificate",
                        "device certificates",
                    );
                    if !registration.keychain_problems.is_empty() {
                        answer.push_str(&format!(
                            " ({} unreadable: {})",
                            registration.keychain_problems.len(),
                            registration.keychain_problems.join("; ")
                        ));
                    }
                    answer
                }
                (None, Some(true)) => "registered".to_string(),
                (None, Some(false)) => "not registered".to_string(),
            };
            (check.check.clone(), answer)
        })
        .collect()
}

/// The Mac's device identity: its device ID and where it came from, the
/// certificate, the sources that disagree and older certificates.
fn device_rows(device: &DeviceIdentity) -> Vec<(String, String)> {
    let day = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d").to_string();
    let mut rows = vec![(
        "device ID".to_string(),
        format!("{} (from {})", device.device_id, device.source.describe()),
    )];
    if let Some(tenant) = device.tenant_id {
        rows.push(("device tenant".into(), tenant.to_string()));
    }
    if let Some(certificate) = &device.certificate {
        rows.push((
            "device certificate".into(),
            format!(
                "{}, valid {} to {}",
                certificate.join_type_name(),
                day(certificate.not_before),
                day(certificate.not_after)
            ),
        ));
    }
    if !device.disagreeing.is_empty() {
        let named: Vec<String> = device
            .disagreeing
            .iter()
            .map(|s| format!("{} names {}", s.source.describe(), s.device_id))
            .collect();
        rows.push(("device IDs disagree".into(), named.join("; ")));
    }
    if !device.older_certificates.is_empty() {
        let older: Vec<String> = device
            .older_certificates
            .iter()
            .map(|c| {
                format!(
                    "{} (issued {})",
                    c.device_id
                        .map_or_else(|| c.subject.clone(), |id| id.to_string()),
                    day(c.not_before)
                )
            })
            .collect();
        rows.push((
            "older device certificates".into(),
            format!("{} (re-registrations): {}", older.len(), older.join(", ")),
        ));
    }
    if !device.other_tenants.is_empty() {
        let others: Vec<String> = device
            .other_tenants
            .iter()
            .map(|o| {
                format!(
                    "{} in tenant {} ({}{})",
                    o.device_id,
                    o.tenant_id,
                    o.source.describe(),
                    o.issued
                        .map(|t| format!(", issued {}", day(t)))
                        .unwrap_or_default()
                )
            })
            .collect();
        rows.push((
            "other tenants' devices".into(),
            format!("{} (not judged)", others.join("; ")),
        ));
    }
    rows
}

/// What each link of the device chain says, one row each.
pub(crate) fn chain_rows(chain: &DeviceChain, offset: FixedOffset) -> Vec<(String, String)> {
    let yes_no = |value: Option<bool>, yes: &str, no: &str| match value {
        Some(true) => yes.to_string(),
        Some(false) => no.to_string(),
        None => "unknown".to_string(),
    };
    let day = |t: Option<chrono::DateTime<FixedOffset>>| {
        t.map_or_else(|| "unknown".to_string(), |t| format_local(t, offset))
    };
    let entra_line = |d: &EntraDevice| {
        format!(
            "{} · {} · {} · {} · compliant: {} · last sign-in {}",
            d.display_name,
            d.trust_type
                .as_ref()
                .map_or("join type unknown", |t| t.describe()),
            d.operating_system,
            yes_no(d.account_enabled, "enabled", "DISABLED"),
            yes_no(d.is_compliant, "yes", "NO"),
            day(d.last_sign_in)
        )
    };
    let mut rows = Vec::new();
    if let Some(deleted) = &chain.soft_deleted {
        rows.push((
            "Entra deleted device".to_string(),
            format!(
                "{} · soft-deleted {} (restorable for 30 days)",
                deleted.display_name,
                day(deleted.deleted)
            ),
        ));
    }
    if chain.devices_read {
        rows.push((
            "Entra device record".to_string(),
            match chain.entra.as_slice() {
                [] => format!("none with device ID {}", chain.device_id),
                [one] => entra_line(one),
                many => format!(
                    "{} records with this device ID: {}",
                    many.len(),
                    many.iter().map(entra_line).collect::<Vec<_>>().join("; ")
                ),
            },
        ));
        if !chain.other_records.is_empty() {
            let others: Vec<String> = chain
                .other_records
                .iter()
                .map(|d| format!("{} ({})", d.device_id, entra_line(d)))
                .collect();
            rows.push(("other Entra records of this Mac".into(), others.join("; ")));
        }
        if let Some(shared) = chain.name_shared_by {
            rows.push((
                "records of the same name".into(),
                format!(
                    "{shared} other Mac records share this Mac's name: too common a name to tell which are this Mac's, so none is counted as its own"
                ),
            ));
        }
    }
    if chain.intune_read {
        rows.push((
            "Intune record".to_string(),
            match chain.intune.first() {
                Some(m) => format!(
                    "{} · managed by {} · last check-in {}",
                    match m.compliant() {
                        Some(true) => "compliant",
                        Some(false) => "NOT compliant",
                        None => "compliance unknown",
                    },
                    if m.management_agent.is_empty() {
                        "unknown"
                    } else {
                        &m.management_agent
                    },
                    day(m.last_sync)
                ),
                None => {
                    "none (Macs whose compliance Jamf Pro reports may not be listed)".to_string()
                }
            },
        ));
    }
    if chain.inventory_read {
        rows.push((
            "Jamf Pro computer".to_string(),
            match &chain.jamf_computer {
                Some(c) => {
                    let states: Vec<String> = c
                        .accounts
                        .iter()
                        .filter(|a| a.device_id == Some(chain.device_id))
                        .map(|a| format!("{} {}", a.username, a.state))
                        .collect();
                    format!(
                        "{} (ID {}) · serial {} · last inventory {}{}",
                        c.name,
                        c.id,
                        if c.serial.is_empty() {
                            "unknown"
                        } else {
                            &c.serial
                        },
                        day(c.report_date),
                        if states.is_empty() {
                            String::new()
                        } else {
                            format!(" · agent: {}", states.join(", "))
                        }
                    )
                }
                None => format!("none reports device ID {}", chain.device_id),
            },
        ));
    }
    if chain.compliance_read {
        let records: Vec<String> = chain
            .jamf_compliance
            .iter()
            .map(|r| {
                format!(
                    "{}: {}{}",
                    if r.vendor.is_empty() {
                        "vendor unknown"
                    } else {
                        &r.vendor
                    },
                    r.state.as_str(),
                    match r.applicable {
                        Some(false) => " (not applicable: outside the compliance group)",
                        _ => "",
                    }
                )
            })
            .collect();
        rows.push((
            "Jamf Pro compliance".to_string(),
            if records.is_empty() {
                "no record for this computer".to_string()
            } else {
                records.join("; ")
            },
        ));
    }
    if !chain.sign_ins.is_empty() {
        let refused = chain
            .sign_ins
            .iter()
            .filter(|s| s.refused_for_device_state())
            .count();
        rows.push((
            "sign-ins with this device".to_string(),
            format!(
                "{}, {refused} refused for the device state",
                chain.sign_ins.len()
            ),
        ));
    }
    if !chain.not_presented.is_empty() {
        let mut browsers: Vec<String> = chain
            .not_presented
            .iter()
            .map(|s| {
                s.browser
                    .clone()
                    .or_else(|| s.app.clone())
                    .unwrap_or_else(|| "unknown".into())
            })
            .collect();
        browsers.sort();
        browsers.dedup();
        rows.push((
            "sign-ins without a device".to_string(),
            format!(
                "{} refused for the device state presented no device ({})",
                chain.not_presented.len(),
                browsers.join(", ")
            ),
        ));
    }
    rows
}

/// Jamf Connect's settings that matter to Entra ID, one row each; what is
/// not configured is left out.
fn jamf_connect_rows(config: &JamfConnect, offset: FixedOffset) -> Vec<(String, String)> {
    let versions: Vec<String> = [
        ("Jamf Connect", &config.version_2),
        ("Self Service+", &config.version_3),
        ("login window", &config.login_version),
    ]
    .into_iter()
    .filter_map(|(what, version)| version.as_ref().map(|v| format!("{what} {v}")))
    .collect();
    let joined = |list: &[String]| (!list.is_empty()).then(|| list.join(" "));
    let candidates = [
        (
            "Jamf Connect",
            (!versions.is_empty()).then(|| versions.join(", ")),
        ),
        (
            "Jamf Connect provider",
            config
                .provider
                .clone()
                .or_else(|| config.menu_provider.clone()),
        ),
        ("Jamf Connect client", config.client_id.clone()),
        ("Jamf Connect ROPG (login)", config.login_ropg_id.clone()),
        ("Jamf Connect ROPG (menu)", config.menu_ropg_id.clone()),
        (
            "Jamf Connect tenant",
            config
                .login_tenant
                .clone()
                .or_else(|| config.menu_tenant.clone()),
        ),
        ("Jamf Connect scopes (login)", joined(&config.login_scopes)),
        ("Jamf Connect scopes (menu)", joined(&config.menu_scopes)),
        ("Jamf Connect custom API app", config.custom_api_app.clone()),
        (
            "Jamf Connect success codes",
            joined(
                &config
                    .login_success_codes
                    .iter()
                    .chain(&config.menu_success_codes)
                    .cloned()
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "Jamf Connect network check",
            config.network_check.map(|m| format!("every {m} minutes")),
        ),
        ("Jamf Connect user", config.upn.clone()),
        (
            "Jamf Connect password current",
            config.password_current.map(|b| b.to_string()),
        ),
        (
            "Jamf Connect last sign-in",
            config.last_sign_in.map(|t| format_local(t, offset)),
        ),
    ];
    candidates
        .into_iter()
        .filter_map(|(label, value)| value.map(|v| (label.to_string(), v)))
        .collect()
}

pub(crate) fn fact_rows(facts: &Facts) -> Vec<(String, String)> {
    let offset = facts.window.end.timezone();
    let unknown = || "unknown".to_string();
    let flag = |value: Option<bool>| value.map_or_else(unknown, |b| b.to_string());
    let mut rows: Vec<(String, String)> = vec![
        (
            "user".into(),
            format!(
                "{} ({}; home {}, {})",
                facts.user(),
                facts.account.chosen_by.describe(),
                facts.account.home.display(),
                facts.account.home_source
            ),
        ),
        (
            "have_an_Azure_id".into(),
            flag(facts.prefs.have_an_azure_id),
        ),
        (
            "last_aad_token_timestamp".into(),
            facts
                .last_token_timestamp()
                .map_or_else(|| "none".to_string(), |t| format_local(t, offset)),
        ),
        (
            "integration".into(),
            match (facts.integration(), &facts.prefs.integration_app_id) {
                (Some(name), Some(id)) => format!("{name} ({id})"),
                (None, Some(id)) => format!("no known integration ({id})"),
                _ => unknown(),
            },
        ),
        (
            "microsoftCAEnabled".into(),
            flag(facts.prefs.microsoft_ca_enabled),
        ),
        path_row(facts),
        (
            "window".into(),
            format!(
                "{} to {}",
                format_local(facts.window.start, offset),
                format_local(facts.window.end, offset)
            ),
        ),
        (
            "log".into(),
            format!(
                "{} entries read, {} matched, {} bytes ({}; {})",
                facts.log.entries,
                facts.log.matched,
                facts.log.bytes,
                facts.log.source_name(),
                if facts.log.styles.is_empty() {
                    "no log given".to_string()
                } else {
                    facts.log.styles.join(", ")
                }
            ),
        ),
    ];
    if let Some(row) = microsoft_logs_row(facts) {
        rows.push(row);
    }
    if let Some(bundle) = &facts.bundle_note {
        rows.push(("bundle".into(), bundle.clone()));
    }
    if let Some(clock) = &facts.clock_note {
        rows.push((
            "clock".into(),
            format!("{}: {clock}", format_local(facts.window.end, offset)),
        ));
    }
    if facts.entries_before_window > 0 {
        rows.push((
            "before the window".into(),
            format!(
                "{} matching entries, not judged ({} in the window)",
                facts.entries_before_window, facts.entries_in_window
            ),
        ));
    }
    let set_aside = facts.lines_of_other_accounts();
    if set_aside > 0 {
        let accounts: Vec<String> = facts
            .other_accounts
            .iter()
            .map(|(name, count)| format!("{name}: {count}"))
            .collect();
        rows.push((
            "other accounts' lines".into(),
            format!("{set_aside} set aside ({})", accounts.join(", ")),
        ));
    }
    if facts.private_name_lines > 0 {
        rows.push((
            "<private> account lines".into(),
            format!(
                "{} counted for {} (the OS hid the account name)",
                facts.private_name_lines,
                facts.user()
            ),
        ));
    }
    if let Some(state) = account_state_row(facts) {
        rows.push(state);
    }
    if let Some(registration) = &facts.registration {
        rows.extend(registration_rows(registration));
    }
    if let Some(device) = &facts.device {
        rows.extend(device_rows(device));
    }
    if let Some(chain) = &facts.device_chain {
        rows.extend(chain_rows(chain, offset));
    }
    for (key, value) in &facts.prefs.managed_agent_prefs {
        rows.push((key.clone(), format!("{value} (managed)")));
    }
    if let Some(config) = &facts.jamf_connect {
        rows.extend(jamf_connect_rows(config, offset));
    }
    if let Some((upn, evidence)) = &facts.own_sign_ins {
        let outcomes: Vec<String> = evidence
            .outcomes
            .iter()
            .map(|(outcome, n)| format!("{} {n}", outcome.name()))
            .collect();
        rows.push((
            "user's sign-ins".into(),
            format!(
                "{} of {upn} in the window{}",
                count(evidence.records, "sign-in", "sign-ins"),
                if outcomes.is_empty() {
                    String::new()
                } else {
                    format!(": {}", outcomes.join(", "))
                }
            ),
        ));
    }
    if let (Some(policies), Some(why)) = (&facts.tenant_policies, &facts.policies_not_audited) {
        rows.push((
            "tenant policies".into(),
            format!(
                "{} read; the Jamf Connect sign-in not audited: {why}",
                policies.policies.len()
            ),
        ));
    } else if let Some(policies) = &facts.tenant_policies {
        let reaching: Vec<&str> = policies
            .policies
            .iter()
            .filter(|(_, reach)| reach.reaches)
            .map(|(policy, _)| policy.name.as_str())
            .collect();
        rows.push((
            "tenant policies".into(),
            format!(
                "{} read; {} the Jamf Connect sign-in{}",
                policies.policies.len(),
                count(reaching.len() as u64, "reaches", "reach"),
                if reaching.is_empty() {
                    String::new()
                } else {
                    format!(": {}", reaching.join(", "))
                }
            ),
        ));
    } else if let Some(why) = &facts.policies_not_audited {
        rows.push(("tenant policies".into(), format!("not audited: {why}")));
    }
    for input in &facts.inputs {
        // Normal absences are not shown: most Macs have no such file.
        if input.state == InputState::Missing && OPTIONAL_INPUTS.contains(&input.what.as_str()) {
            continue;
        }
        let state = match input.state {
            InputState::Unreadable => "UNREADABLE",
            other => other.name(),
        };
        let reason = input
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        rows.push((
            input.what.clone(),
            format!("{state}: {}{reason}", input.path),
        ));
    }
    rows
}

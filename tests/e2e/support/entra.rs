//! One scenario tenant's sign-ins, written in every export format ca-doctor
//! reads: Graph v1.0 (two pages, one per line) and beta, Graph PowerShell
//! (UTF-16LE with a byte-order mark, CRLF, `/Date()/` times), the admin
//! center's JSON and CSV (with its header quirks), and Log Analytics' CSV
//! and JSON. `CA_DOCTOR_REGENERATE_FIXTURES=1` rewrites `fixtures/entra/`.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::path::Path;

/// The Jamf integration app for Device Compliance.
pub const DEVICE_COMPLIANCE_APP: &str = "b03c10a8-71c7-45f9-b44a-3335ab76e970";
/// The tenant's Jamf Connect app.
pub const JAMF_CONNECT_APP: &str = "c0ffee00-1111-4222-8333-444455556666";
const TEAMS_APP: &str = "1fec8e78-bce4-4aaf-ab1b-5451cc387264";
const OUTLOOK_APP: &str = "27922004-5251-4030-b22d-91ecd9a37ea4";

/// One sign-in of the scenario.
pub struct Rec {
    pub time: &'static str,
    pub upn: &'static str,
    pub app: (&'static str, &'static str),
    pub code: i64,
    pub reason: &'static str,
    pub requirement: &'static str,
    pub protocol: &'static str,
    pub policy: Option<(&'static str, &'static str, &'static str)>,
    pub correlation: &'static str,
}

const JC: (&str, &str) = (JAMF_CONNECT_APP, "Jamf Connect");
const DC: (&str, &str) = (
    DEVICE_COMPLIANCE_APP,
    "User registration app for Device Compliance",
);
const TEAMS: (&str, &str) = (TEAMS_APP, "Microsoft Teams");
const OUTLOOK: (&str, &str) = (OUTLOOK_APP, "Microsoft Outlook");
const MFA: Option<(&str, &str, &str)> = Some(("MFA for all cloud apps", "failure", "Mfa"));

/// The scenario: false MFA failures of a Jamf Connect user, a wrong
/// password, a locked account, a misconfigured app, a blocked device
/// registration, a Conditional Access block, and near-misses on Teams.
pub fn records() -> Vec<Rec> {
    let r = |time, upn, app, code, reason, requirement, protocol, policy, correlation| Rec {
        time,
        upn,
        app,
        code,
        reason,
        requirement,
        protocol,
        policy,
        correlation,
    };
    vec![
        r(
            "2026-11-19T08:00:00Z",
            "jane@contoso.com",
            JC,
            50076,
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication.",
            "multiFactorAuthentication",
            "ropc",
            MFA,
            "7f6779f2-640c-4fb2-9462-b16c102cf61c",
        ),
        r(
            "2026-11-19T09:00:00Z",
            "jane@contoso.com",
            JC,
            50076,
            "MFA required",
            "multiFactorAuthentication",
            "ropc",
            MFA,
            "a1000000-0000-4000-8000-000000000002",
        ),
        r(
            "2026-11-19T10:00:00Z",
            "jane@contoso.com",
            JC,
            50076,
            "MFA required",
            "multiFactorAuthentication",
            "ropc",
            MFA,
            "a1000000-0000-4000-8000-000000000003",
        ),
        r(
            "2026-11-19T10:05:00Z",
            "jane@contoso.com",
            JC,
            0,
            "",
            "singleFactorAuthentication",
            "ropc",
            None,
            "a1000000-0000-4000-8000-000000000004",
        ),
        r(
            "2026-11-19T11:00:00Z",
            "bob@contoso.com",
            JC,
            50126,
            "Invalid username or password or Invalid on-premise username or password.",
            "singleFactorAuthentication",
            "ropc",
            None,
            "a1000000-0000-4000-8000-000000000005",
        ),
        r(
            "2026-11-19T11:30:00Z",
            "bob@contoso.com",
            JC,
            50126,
            "Invalid username or password.",
            "singleFactorAuthentication",
            "ropc",
            None,
            "a1000000-0000-4000-8000-000000000006",
        ),
        r(
            "2026-11-19T12:00:00Z",
            "carol@contoso.com",
            DC,
            530003,
            "Your device is required to be managed to access this resource.",
            "singleFactorAuthentication",
            "none",
            Some((
                "Require compliant device",
                "failure",
                "RequireCompliantDevice",
            )),
            "a1000000-0000-4000-8000-000000000007",
        ),
        r(
            "2026-11-19T12:30:00Z",
            "dave@contoso.com",
            TEAMS,
            50076,
            "MFA required",
            "multiFactorAuthentication",
            "none",
            MFA,
            "a1000000-0000-4000-8000-000000000008",
        ),
        r(
            "2026-11-19T13:00:00Z",
            "erin@contoso.com",
            TEAMS,
            50126,
            "Invalid username or password.",
            "singleFactorAuthentication",
            "none",
            None,
            "a1000000-0000-4000-8000-000000000009",
        ),
        r(
            "2026-11-19T13:30:00Z",
            "frank@contoso.com",
            OUTLOOK,
            53003,
            "Access has been blocked by Conditional Access policies.",
            "singleFactorAuthentication",
            "none",
            Some(("Block legacy clients", "failure", "Block")),
            "a1000000-0000-4000-8000-00000000000a",
        ),
        r(
            "2026-11-19T14:00:00Z",
            "grace@contoso.com",
            JC,
            50053,
            "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
            "singleFactorAuthentication",
            "ropc",
            None,
            "a1000000-0000-4000-8000-00000000000b",
        ),
        r(
            "2026-11-19T14:30:00Z",
            "heidi@contoso.com",
            JC,
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            "singleFactorAuthentication",
            "ropc",
            None,
            "a1000000-0000-4000-8000-00000000000c",
        ),
        r(
            "2026-11-19T15:00:00Z",
            "ivan@contoso.com",
            TEAMS,
            0,
            "",
            "singleFactorAuthentication",
            "none",
            Some(("Require MFA (report-only)", "reportOnlyFailure", "Mfa")),
            "a1000000-0000-4000-8000-00000000000d",
        ),
        r(
            "2026-11-19T15:10:00Z",
            "kim@contoso.com",
            JC,
            50057,
            "User account is disabled.",
            "singleFactorAuthentication",
            "ropc",
            None,
            "a1000000-0000-4000-8000-00000000000e",
        ),
        r(
            "2026-11-19T15:20:00Z",
            "lee@contoso.com",
            JC,
            50055,
            "The password is expired.",
            "singleFactorAuthentication",
            "ropc",
            None,
            "a1000000-0000-4000-8000-00000000000f",
        ),
        r(
            "2026-11-19T15:30:00Z",
            "mia@contoso.com",
            JC,
            50034,
            "The user account does not exist in the directory.",
            "singleFactorAuthentication",
            "ropc",
            None,
            "a1000000-0000-4000-8000-000000000010",
        ),
        // The Mac's own invalid_grant (fixtures/invalid-grant), as Entra recorded it.
        r(
            "2026-11-19T14:00:05Z",
            "test.user@contoso.com",
            DC,
            50173,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
            "singleFactorAuthentication",
            "none",
            None,
            "0b7c3a51-2d4e-4f60-8a91-c2d3e4f5a6b7",
        ),
        // Near-misses: a device condition and an app registration error on Teams.
        r(
            "2026-11-19T15:40:00Z",
            "nora@contoso.com",
            TEAMS,
            53000,
            "Device is not in required device state: compliant.",
            "singleFactorAuthentication",
            "none",
            Some((
                "Require compliant device",
                "failure",
                "RequireCompliantDevice",
            )),
            "a1000000-0000-4000-8000-000000000011",
        ),
        r(
            "2026-11-19T15:50:00Z",
            "otto@contoso.com",
            TEAMS,
            7000218,
            "The request body must contain client_assertion or client_secret.",
            "singleFactorAuthentication",
            "none",
            None,
            "a1000000-0000-4000-8000-000000000012",
        ),
    ]
}

fn graph(rec: &Rec, beta: bool) -> Value {
    let mut record = json!({
        "id": format!("req-{}", rec.correlation),
        "createdDateTime": rec.time,
        "userDisplayName": rec.upn.split('@').next().unwrap(),
        "userPrincipalName": rec.upn,
        "appId": rec.app.0,
        "appDisplayName": rec.app.1,
        "correlationId": rec.correlation,
        "clientAppUsed": "Mobile Apps and Desktop clients",
        "conditionalAccessStatus": if rec.policy.is_some() { "failure" } else { "notApplied" },
        "isInteractive": false,
        "status": {"errorCode": rec.code, "failureReason": if rec.code == 0 { "Other." } else { rec.reason }, "additionalDetails": null},
        "deviceDetail": {"deviceId": "", "operatingSystem": "MacOs", "isCompliant": false, "isManaged": false, "trustType": ""},
        "appliedConditionalAccessPolicies": rec.policy.iter().map(|(name, result, control)| json!({"id": "p1", "displayName": name, "enforcedGrantControls": [control], "enforcedSessionControls": [], "result": result})).collect::<Vec<_>>(),
    });
    if beta {
        record["authenticationRequirement"] = json!(rec.requirement);
        record["authenticationProtocol"] = json!(rec.protocol);
        record["homeTenantId"] = json!("00000000-0000-0000-0000-000000000001");
    }
    record
}

/// PascalCase keys, as `ConvertTo-Json` writes Graph PowerShell objects.
fn pascal(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let mut chars = k.chars();
                    let key = chars
                        .next()
                        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                        .unwrap_or_default();
                    (key, pascal(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(pascal).collect()),
        other => other.clone(),
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Every format: `(file name, bytes)`.
pub fn exports() -> Vec<(&'static str, Vec<u8>)> {
    let records = records();
    let v1: Vec<Value> = records.iter().map(|r| graph(r, false)).collect();
    let beta: Vec<Value> = records.iter().map(|r| graph(r, true)).collect();
    let (first, second) = v1.split_at(6);
    let pages = format!(
        "{}\n{}\n",
        json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns", "value": first, "@odata.nextLink": "https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=x"}),
        json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns", "value": second})
    );
    let beta_doc = serde_json::to_string_pretty(&json!({"@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns", "value": beta})).unwrap();
    // PowerShell: PascalCase, /Date(ms)/ times, UTF-16LE with a BOM, CRLF.
    let powershell: Vec<Value> = beta
        .iter()
        .map(|record| {
            let mut record = pascal(record);
            let time =
                chrono::DateTime::parse_from_rfc3339(record["CreatedDateTime"].as_str().unwrap())
                    .unwrap();
            record["CreatedDateTime"] = json!(format!("/Date({})/", time.timestamp_millis()));
            record
        })
        .collect();
    let powershell_text = serde_json::to_string_pretty(&powershell)
        .unwrap()
        .replace('\n', "\r\n");
    let powershell_bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(powershell_text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let admin_json = serde_json::to_string_pretty(&beta).unwrap();
    // The admin center's CSV, with its header quirks and a UTF-8 BOM.
    let mut admin_csv = String::from(
        "\u{feff}Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,User type,Application,Application ID ,Resource,Resource ID ,IP address,Status,Sign-in error code,Failure reason,Client app,Device ID,Operating System,Compliant,Managed,Join Type,Multifactor authentication result,Authentication requirement,Conditional Access,Incoming token type,Incoming token type,Autonomous system  number,Authentication Protocol\n",
    );
    for r in &records {
        let status = if r.code == 0 { "Success" } else { "Failure" };
        let requirement = if r.requirement.starts_with("multi") {
            "Multifactor authentication"
        } else {
            "Single-factor authentication"
        };
        let ca = if r.policy.is_some() {
            "Failure"
        } else {
            "Not Applied"
        };
        let protocol = if r.protocol == "ropc" { "ROPC" } else { "" };
        let row = [
            r.time,
            &format!("req-{}", r.correlation),
            "",
            r.correlation,
            "",
            r.upn.split('@').next().unwrap(),
            r.upn,
            "Member",
            r.app.1,
            r.app.0,
            "Windows Azure Active Directory",
            "00000002-0000-0000-c000-000000000000",
            "203.0.113.7",
            status,
            &r.code.to_string(),
            r.reason,
            "Mobile Apps and Desktop clients",
            "",
            "MacOs",
            "False",
            "False",
            "",
            "",
            requirement,
            ca,
            "none",
            "primaryRefreshToken",
            "8075",
            protocol,
        ];
        admin_csv.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        admin_csv.push('\n');
    }
    // Log Analytics: ResultType as text, policies and device as JSON text.
    let la: Vec<Value> = records
        .iter()
        .map(|r| {
            json!({
                "TimeGenerated [UTC]": r.time.replace('T', " ").replace('Z', ".000"),
                "ResultType": r.code.to_string(),
                "ResultDescription": r.reason,
                "AppId": r.app.0,
                "AppDisplayName": r.app.1,
                "UserPrincipalName": r.upn,
                "CorrelationId": r.correlation,
                "AuthenticationRequirement": r.requirement,
                "AuthenticationProtocol": r.protocol,
                "ConditionalAccessStatus": if r.policy.is_some() { "failure" } else { "notApplied" },
                "ConditionalAccessPolicies": serde_json::to_string(&r.policy.iter().map(|(name, result, control)| json!({"displayName": name, "result": result, "enforcedGrantControls": [control]})).collect::<Vec<_>>()).unwrap(),
                "DeviceDetail": serde_json::to_string(&json!({"operatingSystem": "MacOs", "isCompliant": false})).unwrap(),
            })
        })
        .collect();
    let la_columns = [
        "TimeGenerated [UTC]",
        "ResultType",
        "ResultDescription",
        "AppId",
        "AppDisplayName",
        "UserPrincipalName",
        "CorrelationId",
        "AuthenticationRequirement",
        "AuthenticationProtocol",
        "ConditionalAccessStatus",
        "ConditionalAccessPolicies",
        "DeviceDetail",
    ];
    let mut la_csv = la_columns.join(",") + "\n";
    for record in &la {
        let row: Vec<String> = la_columns
            .iter()
            .map(|c| csv_field(record[*c].as_str().unwrap()))
            .collect();
        la_csv.push_str(&row.join(","));
        la_csv.push('\n');
    }
    vec![
        ("graph-v1.0.json", pages.into_bytes()),
        ("graph-beta.json", beta_doc.into_bytes()),
        ("powershell-utf16.json", powershell_bytes),
        (
            "InteractiveSignIns_2026-11-19.json",
            admin_json.into_bytes(),
        ),
        ("InteractiveSignIns_2026-11-19.csv", admin_csv.into_bytes()),
        ("SigninLogs.csv", la_csv.into_bytes()),
        (
            "SigninLogs.json",
            serde_json::to_string_pretty(&la).unwrap().into_bytes(),
        ),
    ]
}

/// Writes every export into `dir`.
pub fn write_all(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in exports() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

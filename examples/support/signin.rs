//! One realistic Graph sign-in record (about 3 KB, with device details,
//! locations and applied policies), mostly a success, with Jamf Connect MFA
//! and password failures sprinkled in: shared by the benchmark generators.

use super::lcg::Lcg;

const APPS: &[(&str, &str)] = &[
    ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
    ("27922004-5251-4030-b22d-91ecd9a37ea4", "Microsoft Outlook"),
    ("c0ffee00-1111-4222-8333-444455556666", "Jamf Connect"),
    (
        "b03c10a8-71c7-45f9-b44a-3335ab76e970",
        "User registration app for Device Compliance",
    ),
];

/// Record number `n`.
pub fn record(rng: &mut Lcg, n: u64) -> String {
    let (app_id, app_name) = APPS[(rng.next() % APPS.len() as u64) as usize];
    let roll = rng.next() % 100;
    let (code, reason) = match (app_name, roll) {
        ("Jamf Connect", 0..=9) => (
            50076,
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication.",
        ),
        ("Jamf Connect", 10..=11) => (
            50126,
            "Error validating credentials due to invalid username or password.",
        ),
        (_, 0..=1) => (
            53003,
            "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
        ),
        _ => (0, "Other."),
    };
    let user = rng.next() % 5000;
    let second = n % 86_400;
    format!(
        r#"{{"id":"{n:08x}-1111-4222-8333-{n:012x}","createdDateTime":"2026-11-19T{:02}:{:02}:{:02}Z","userDisplayName":"User {user}","userPrincipalName":"user{user}@contoso.com","userId":"{user:08x}-0000-4000-8000-000000000000","appId":"{app_id}","appDisplayName":"{app_name}","ipAddress":"203.0.113.{}","clientAppUsed":"Mobile Apps and Desktop clients","correlationId":"{:08x}-2222-4333-8444-{n:012x}","conditionalAccessStatus":"{}","isInteractive":false,"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes":[],"riskEventTypes_v2":[],"resourceDisplayName":"Windows Azure Active Directory","resourceId":"00000002-0000-0000-c000-000000000000","status":{{"errorCode":{code},"failureReason":"{reason}","additionalDetails":"The user is required to satisfy additional requirements before finishing authentication, and was redirected to another page. This is expected for some flows."}},"deviceDetail":{{"deviceId":"{:08x}-3333-4444-8555-000000000000","displayName":"MacBook-{user}","operatingSystem":"MacOs","browser":"","isCompliant":true,"isManaged":true,"trustType":"Azure AD registered"}},"location":{{"city":"Amsterdam","state":"Noord-Holland","countryOrRegion":"NL","geoCoordinates":{{"altitude":null,"latitude":52.37,"longitude":4.89}}}},"appliedConditionalAccessPolicies":[{{"id":"11111111-2222-4333-8444-555555555555","displayName":"MFA for all cloud apps","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":"{}"}},{{"id":"22222222-2222-4333-8444-555555555555","displayName":"Require compliant device for Office 365","enforcedGrantControls":["RequireCompliantDevice"],"enforcedSessionControls":[],"result":"success"}},{{"id":"33333333-2222-4333-8444-555555555555","displayName":"Block legacy authentication","enforcedGrantControls":["Block"],"enforcedSessionControls":[],"result":"notApplied"}},{{"id":"44444444-2222-4333-8444-555555555555","displayName":"Sign-in frequency for unmanaged devices","enforcedGrantControls":[],"enforcedSessionControls":["SignInFrequency"],"result":"notApplied"}}],"authenticationRequirement":"{}","authenticationProtocol":"{}","originalRequestId":"","isTenantRestricted":false,"autonomousSystemNumber":8075,"crossTenantAccessType":"none","homeTenantId":"00000000-0000-0000-0000-000000000001","incomingTokenType":"none","mfaDetail":{{"authMethod":null,"authDetail":null}},"networkLocationDetails":[],"signInEventTypes":["nonInteractiveUser"],"tokenIssuerType":"AzureAD","userType":"member"}}"#,
        second / 3600,
        (second / 60) % 60,
        second % 60,
        n % 250,
        rng.next(),
        if code == 0 { "success" } else { "failure" },
        user,
        if code == 50076 { "failure" } else { "success" },
        if code == 50076 {
            "multiFactorAuthentication"
        } else {
            "singleFactorAuthentication"
        },
        if app_name == "Jamf Connect" {
            "ropc"
        } else {
            "none"
        },
    )
}

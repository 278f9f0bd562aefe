//! Deterministic benchmark input for the fleet view: `bench_fleet COUNT
//! DIR [PAGE_SIZE]` writes COUNT Jamf Pro computers as `computers-inventory`
//! pages (`DIR/inventory-N.json`, 1000 a page) with the sections GENERAL,
//! HARDWARE, OPERATING_SYSTEM, USER_AND_LOCATION, LOCAL_USER_ACCOUNTS and
//! EXTENSION_ATTRIBUTES as Jamf Pro returns them (about 10 KB a computer):
//! twenty extension attributes, ca-doctor's status and last success among
//! them, with every shape of value.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[path = "support/lcg.rs"]
mod lcg;
use lcg::Lcg;

const PAGE: u64 = 1000;

const STATUSES: [&str; 8] = [
    "healthy",
    "healthy",
    "healthy",
    "at-risk: appsso-not-appsso-url, silent-auth-failed",
    "deactivated: interactive-auth-failed, silent-auth-failed",
    "not-compliant: device-not-compliant, inventory-stale",
    "unknown: timed out after 6 s",
    "not installed",
];

fn attribute(id: u64, name: &str, value: &str, data_type: &str) -> String {
    format!(
        r#"{{"definitionId":"{id}","name":"{name}","description":"Reported by a script at each inventory update; see the Jamf Pro documentation of extension attributes for the data types and input types that apply here.","enabled":true,"multiValue":false,"values":["{value}"],"dataType":"{data_type}","options":[],"inputType":"SCRIPT"}}"#
    )
}

fn computer(rng: &mut Lcg, n: u64) -> String {
    let status = STATUSES[(rng.next() % STATUSES.len() as u64) as usize];
    let state = if status.starts_with("deactivated") {
        "DEACTIVATED"
    } else {
        "ACTIVATED"
    };
    let day = 1 + rng.next() % 28;
    let mut attributes = vec![
        attribute(21, "CA Doctor: status", status, "STRING"),
        attribute(
            22,
            "CA Doctor: last success",
            &format!("2026-11-{day:02} 09:12:00"),
            "DATE",
        ),
    ];
    for i in 0..18 {
        attributes.push(attribute(
            100 + i,
            &format!("Custom attribute {i}"),
            &format!("value {} of attribute {i}", rng.next() % 1000),
            "STRING",
        ));
    }
    let accounts: Vec<String> = (0..3)
        .map(|i| {
            format!(
                r#"{{"uid":"{}","userGuid":"{:08X}-0000-4000-8000-{n:012X}","username":"user{n}-{i}","fullName":"User {n} {i}","admin":{},"homeDirectory":"/Users/user{n}-{i}","homeDirectorySizeMb":{},"fileVault2Enabled":true,"userAccountType":"LOCAL","passwordMinLength":8,"passwordMaxAge":0,"passwordMinComplexCharacters":0,"passwordHistoryDepth":0,"passwordRequireAlphanumeric":false,"computerAzureActiveDirectoryId":"{:08x}-3333-4444-8555-{n:012x}","userAzureActiveDirectoryId":"{:08x}-5555-4666-8777-{n:012x}","azureActiveDirectoryId":"{}"}}"#,
                501 + i,
                rng.next(),
                i == 1,
                rng.next() % 100_000,
                rng.next(),
                rng.next(),
                if i == 0 { state } else { "UNKNOWN" },
            )
        })
        .collect();
    format!(
        r#"{{"id":"{n}","udid":"{:08X}-0000-4000-8000-{n:012X}","general":{{"name":"Mac-{n}","lastIpAddress":"10.{}.{}.{}","lastReportedIp":"192.168.1.{}","jamfBinaryVersion":"11.{}.0-t17612{n:05}","platform":"Mac","barcode1":null,"barcode2":null,"assetTag":"A{n}","remoteManagement":{{"managed":true,"managementUsername":"jamfadmin"}},"supervised":true,"mdmCapable":{{"capable":true,"capableUsers":["user{n}-0"]}},"reportDate":"2026-11-{day:02}T08:00:00.000Z","lastContactTime":"2026-11-{day:02}T09:00:00.000Z","lastCloudBackupDate":null,"lastEnrolledDate":"2025-06-01T10:00:00.000Z","mdmProfileExpiration":"2027-06-01T10:00:00.000Z","initialEntryDate":"2025-06-01","distributionPoint":null,"enrollmentMethod":{{"id":"1","objectName":"Automated Device Enrollment","objectType":"PreStage"}},"site":{{"id":"-1","name":"None"}},"itunesStoreAccountActive":false,"enrolledViaAutomatedDeviceEnrollment":true,"userApprovedMdm":true,"declarativeDeviceManagementEnabled":true,"extensionAttributes":[],"managementId":"{:08x}-1111-4222-8333-{n:012x}"}},"hardware":{{"make":"Apple","model":"MacBook Pro (14-inch, 2023)","modelIdentifier":"Mac14,9","serialNumber":"C02{n:09}","processorSpeedMhz":0,"processorCount":1,"coreCount":12,"processorType":"Apple M2 Pro","processorArchitecture":"arm64","busSpeedMhz":0,"cacheSizeKilobytes":0,"networkAdapterType":"Ethernet","macAddress":"AA:BB:CC:{:02X}:{:02X}:{:02X}","altNetworkAdapterType":"IEEE80211","altMacAddress":"AA:BB:CD:00:00:01","totalRamMegabytes":32768,"openRamSlots":0,"batteryCapacityPercent":{},"smcVersion":null,"nicSpeed":"n/a","opticalDrive":null,"bootRom":"10151.41.12","bleCapable":true,"supportsIosAppInstalls":true,"appleSilicon":true,"extensionAttributes":[]}},"operatingSystem":{{"name":"macOS","version":"15.{}.{}","build":"24B91","supplementalBuildVersion":null,"rapidSecurityResponse":null,"activeDirectoryStatus":"Not Bound","fileVault2Status":"BOOT_ENCRYPTED","softwareUpdateDeviceId":"J414sAP","extensionAttributes":[]}},"userAndLocation":{{"username":"user{n}-0","realname":"User {n}","email":"user{n}@contoso.com","position":"Engineer","phone":null,"departmentId":"{}","buildingId":"{}","room":"{}","extensionAttributes":[]}},"localUserAccounts":[{}],"extensionAttributes":[{}]}}"#,
        rng.next(),
        rng.next() % 256,
        rng.next() % 256,
        rng.next() % 256,
        rng.next() % 256,
        20 + rng.next() % 3,
        rng.next(),
        rng.next() % 256,
        rng.next() % 256,
        rng.next() % 256,
        60 + rng.next() % 40,
        rng.next() % 3,
        rng.next() % 2,
        1 + rng.next() % 12,
        1 + rng.next() % 5,
        rng.next() % 500,
        accounts.join(","),
        attributes.join(","),
    )
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "fleet-bench".to_string()));
    let page_size: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|size| *size > 0)
        .unwrap_or(PAGE);
    std::fs::create_dir_all(&dir)?;
    let mut rng = Lcg(11);
    let pages = count.div_ceil(page_size);
    for page in 0..pages {
        let file = std::fs::File::create(dir.join(format!("inventory-{page:04}.json")))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        write!(out, r#"{{"totalCount":{count},"results":["#)?;
        let first = page * page_size;
        for n in first..(first + page_size).min(count) {
            if n > first {
                out.write_all(b",")?;
            }
            out.write_all(computer(&mut rng, n + 1).as_bytes())?;
        }
        out.write_all(b"]}\n")?;
        out.flush()?;
    }
    Ok(())
}

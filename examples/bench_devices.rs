//! Deterministic benchmark input for the device chain: `bench_devices
//! COUNT DIR` writes COUNT Entra device objects as Graph `devices` pages
//! (`DIR/devices-N.json`, 1000 records a page, every field Graph v1.0
//! returns) and COUNT Jamf Pro computers as `computers-inventory` pages
//! (`DIR/inventory-N.json`, with the sections GENERAL, HARDWARE,
//! LOCAL_USER_ACCOUNTS and EXTENSION_ATTRIBUTES).

use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[path = "support/lcg.rs"]
mod lcg;
use lcg::Lcg;

const PAGE: u64 = 1000;

fn guid(a: u64, b: u64) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a as u32,
        (b >> 16) as u16,
        b as u16 & 0xfff,
        (a >> 32) as u16 & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

fn device(rng: &mut Lcg, n: u64) -> String {
    let mac = !n.is_multiple_of(3);
    let day = 1 + rng.next() % 28;
    format!(
        r#"{{"id":"{}","deletedDateTime":null,"accountEnabled":{},"approximateLastSignInDateTime":"2026-{:02}-{day:02}T09:{:02}:00Z","complianceExpirationDateTime":null,"createdDateTime":"2025-03-{day:02}T09:00:00Z","deviceCategory":null,"deviceId":"{}","deviceMetadata":null,"deviceOwnership":"Company","deviceVersion":2,"displayName":"{}-{n}","domainName":null,"enrollmentProfileName":null,"enrollmentType":null,"externalSourceName":null,"isCompliant":{},"isManaged":true,"isRooted":false,"managementType":"MDM","manufacturer":"Apple","mdmAppId":"0000000a-0000-0000-c000-000000000000","model":"MacBookPro18,3","onPremisesLastSyncDateTime":null,"onPremisesSecurityIdentifier":null,"onPremisesSyncEnabled":null,"operatingSystem":"{}","operatingSystemVersion":"15.{}","physicalIds":["[USER-GID]:{}:{}","[GID]:g{n:016x}"],"profileType":"RegisteredDevice","registrationDateTime":"2025-03-{day:02}T09:00:00Z","sourceType":null,"systemLabels":[],"trustType":"{}","extensionAttributes":{{"extensionAttribute1":null,"extensionAttribute2":null,"extensionAttribute3":null,"extensionAttribute4":null,"extensionAttribute5":null,"extensionAttribute6":null,"extensionAttribute7":null,"extensionAttribute8":null,"extensionAttribute9":null,"extensionAttribute10":null,"extensionAttribute11":null,"extensionAttribute12":null,"extensionAttribute13":null,"extensionAttribute14":null,"extensionAttribute15":null}},"alternativeSecurityIds":[{{"type":2,"identityProvider":null,"key":"WAA1ADAAOQA6ADwAUwBIAEEAMQAtAFQAUAAtAFAAVQBCAEsARQBZAD4AMQBFADAAMwBEADMANgA4ADEARgA0ADcAOQBGADQAQgBBAEQAOQBBADEARAAyADAAOQBFADkARABCAEEAQwA4ADcAMgA5ADYAOQBDADEAMwBBADgAMwBlAHYAWgBFAGMATwB6ADIAQwBHAHEAMQBVAGEAdQBoAEgAWgBWAHcARAA="}}]}}"#,
        guid(n, 0x1111),
        !rng.next().is_multiple_of(50),
        1 + rng.next() % 11,
        rng.next() % 60,
        guid(n, 0x2222),
        if mac { "MacBook" } else { "DESKTOP" },
        !rng.next().is_multiple_of(10),
        if mac { "MacMDM" } else { "Windows" },
        rng.next() % 7,
        guid(n, 0x3333),
        guid(n, 0x4444),
        if mac { "Workplace" } else { "AzureAd" },
    )
}

fn computer(rng: &mut Lcg, n: u64) -> String {
    let day = 1 + rng.next() % 28;
    let state = [
        "ACTIVATED",
        "ACTIVATED",
        "ACTIVATED",
        "DEACTIVATED",
        "UNRESPONSIVE",
    ][(rng.next() % 5) as usize];
    format!(
        r#"{{"id":"{n}","udid":"{}","general":{{"name":"MacBook-{n}","lastIpAddress":"203.0.113.{}","lastReportedIp":"10.1.{}.{}","jamfBinaryVersion":"11.12.0-t1734012345","platform":"Mac","barcode1":null,"barcode2":null,"assetTag":"A{n:06}","remoteManagement":{{"managed":true,"managementUsername":"jamfadmin"}},"supervised":true,"mdmCapable":{{"capable":true,"capableUsers":["user{n}"]}},"reportDate":"2026-11-{day:02}T08:{:02}:00.000Z","lastContactTime":"2026-11-{day:02}T09:00:00.000Z","lastCloudBackupDate":null,"lastEnrolledDate":"2025-02-{day:02}T08:00:00.000Z","mdmProfileExpiration":"2027-02-{day:02}T08:00:00.000Z","initialEntryDate":"2025-02-{day:02}","distributionPoint":null,"enrollmentMethod":{{"id":"1","objectName":"Automated Device Enrollment","objectType":"Automated Device Enrollment"}},"site":{{"id":"-1","name":"None"}},"itunesStoreAccountActive":false,"enrolledViaAutomatedDeviceEnrollment":true,"userApprovedMdm":true,"declarativeDeviceManagementEnabled":true,"extensionAttributes":[],"managementId":"{}","lastLoggedInUsernameSelfService":"user{n}","lastLoggedInUsernameSelfServiceTimestamp":"2026-11-{day:02}T08:00:00Z","lastLoggedInUsernameBinary":"user{n}","lastLoggedInUsernameBinaryTimestamp":"2026-11-{day:02}T08:00:00Z"}},"hardware":{{"make":"Apple","model":"MacBook Pro (14-inch, 2023)","modelIdentifier":"Mac14,9","serialNumber":"C02{n:09}","processorSpeedMhz":0,"processorCount":1,"coreCount":12,"processorType":"Apple M2 Pro","processorArchitecture":"arm64","busSpeedMhz":0,"cacheSizeKilobytes":0,"networkAdapterType":"Ethernet","macAddress":"aa:bb:cc:{:02x}:{:02x}:{:02x}","altNetworkAdapterType":"IEEE80211","altMacAddress":"aa:bb:cd:00:00:01","totalRamMegabytes":32768,"openRamSlots":0,"batteryCapacityPercent":93,"smcVersion":null,"nicSpeed":"n/a","opticalDrive":null,"bootRom":"10151.41.12","bleCapable":true,"supportsIosAppInstalls":true,"appleSilicon":true,"extensionAttributes":[]}},"localUserAccounts":[{{"uid":"501","userGuid":"{}","username":"user{n}","fullName":"User {n}","admin":false,"homeDirectory":"/Users/user{n}","homeDirectorySizeMb":52311,"fileVault2Enabled":true,"userAccountType":"LOCAL","passwordMinLength":8,"passwordMaxAge":0,"passwordMinComplexCharacters":0,"passwordHistoryDepth":0,"passwordRequireAlphanumeric":false,"computerAzureActiveDirectoryId":"{}","userAzureActiveDirectoryId":"{}","azureActiveDirectoryId":"{state}"}},{{"uid":"502","userGuid":"{}","username":"admin","fullName":"Admin","admin":true,"homeDirectory":"/Users/admin","homeDirectorySizeMb":812,"fileVault2Enabled":false,"userAccountType":"LOCAL","passwordMinLength":8,"passwordMaxAge":0,"passwordMinComplexCharacters":0,"passwordHistoryDepth":0,"passwordRequireAlphanumeric":false,"computerAzureActiveDirectoryId":"","userAzureActiveDirectoryId":"","azureActiveDirectoryId":"UNKNOWN"}}],"extensionAttributes":[{{"definitionId":"7","name":"ca-doctor status","description":null,"enabled":true,"multiValue":false,"values":["{}"],"dataType":"STRING","options":[],"inputType":"SCRIPT"}},{{"definitionId":"8","name":"ca-doctor last success","description":null,"enabled":true,"multiValue":false,"values":["2026-11-{day:02} 08:00:00"],"dataType":"DATE","options":[],"inputType":"SCRIPT"}},{{"definitionId":"9","name":"Department","description":null,"enabled":true,"multiValue":false,"values":["Sales"],"dataType":"STRING","options":[],"inputType":"TEXT"}}]}}"#,
        guid(n, 0x5555),
        n % 250,
        n % 250,
        rng.next() % 250,
        rng.next() % 60,
        guid(n, 0x6666),
        n as u8,
        (n >> 8) as u8,
        (n >> 16) as u8,
        guid(n, 0x7777),
        guid(n, 0x2222),
        guid(n, 0x8888),
        guid(n, 0x9999),
        [
            "healthy",
            "at-risk: appsso-not-appsso-url",
            "deactivated: invalid-grant"
        ][(rng.next() % 3) as usize],
    )
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let mut rng = Lcg(0x5eed);
    for page in 0..count.div_ceil(PAGE) {
        let first = page * PAGE;
        let last = (first + PAGE).min(count);
        let mut out = BufWriter::new(std::fs::File::create(
            dir.join(format!("devices-{page}.json")),
        )?);
        write!(
            out,
            r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#devices","value":["#
        )?;
        for n in first..last {
            if n > first {
                out.write_all(b",")?;
            }
            out.write_all(device(&mut rng, n).as_bytes())?;
        }
        writeln!(
            out,
            r#"],"@odata.nextLink":"https://graph.microsoft.com/v1.0/devices?$skiptoken=p{page}"}}"#
        )?;
        let mut out = BufWriter::new(std::fs::File::create(
            dir.join(format!("inventory-{page}.json")),
        )?);
        write!(out, r#"{{"totalCount":{count},"results":["#)?;
        for n in first..last {
            if n > first {
                out.write_all(b",")?;
            }
            out.write_all(computer(&mut rng, n).as_bytes())?;
        }
        writeln!(out, "]}}")?;
    }
    Ok(())
}

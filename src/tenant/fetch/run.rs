//! A fetch run: Graph's kinds, then Jamf Pro's inventory (asked also for
//! the names and serial numbers Graph's records revealed, read by their
//! readers) and its computers' compliance, into a private folder, and
//! `fetch.json` written atomically.

use super::graph::Graph;
use super::http::{Client, Endpoint, Limits};
use super::jamf::{ComputerFilter, JamfApi};
use super::plan::*;
use super::progress::Progress;
use crate::tenant::entra::devices::read_devices;
use crate::tenant::entra::managed_devices::read_managed_devices;
use crate::tenant::keys::Keys;
use crate::tenant::kind::{GraphSource, TenantKind};
use crate::util::folder::Folder;
use chrono::{SecondsFormat, Utc};
use std::path::Path;

/// Fetches `plan` with `credentials` into `plan.out` (created private when
/// missing) and writes `fetch.json` there: Graph's kinds first, then Jamf
/// Pro's inventory (asked for the names and serial numbers Graph's records
/// revealed too) and its computers' compliance. A kind that fails is
/// recorded with why; the others are still fetched.
pub(crate) fn fetch(
    mut plan: FetchPlan,
    credentials: &Credentials,
    limits: Limits,
    progress: &Progress,
) -> anyhow::Result<FetchRecord> {
    let folder = Folder::open_or_create(&plan.out, "--out")?;
    let already = folder
        .names()
        .map_err(|e| anyhow::anyhow!("--out {}: {e}", plan.out.display()))?;
    if !already.is_empty() {
        return Err(anyhow::anyhow!(
            "--out {}: already holds {} (a fetch's pages would be mixed with them): give a new folder, or empty this one",
            plan.out.display(),
            match already.iter().any(|name| name == "fetch.json") {
                true => "an earlier fetch".to_string(),
                false => format!("{} entries", already.len()),
            }
        ));
    }
    let fetched_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let client = Client::new(limits);
    let mut kinds = Vec::new();
    let graph_kinds: Vec<(TenantKind, &GraphSource)> = plan
        .what
        .iter()
        .filter_map(|kind| kind.graph().map(|source| (*kind, source)))
        .collect();
    if let (Some(target), Some(credential), false) =
        (&plan.graph, &credentials.graph, graph_kinds.is_empty())
    {
        let graph = Graph::new(
            &client,
            Endpoint::parse(&target.login).map_err(|e| anyhow::anyhow!("--login-url {e}"))?,
            Endpoint::parse(&target.graph).map_err(|e| anyhow::anyhow!("--graph-url {e}"))?,
            &target.tenant_id,
            &target.client_id,
            credential,
        );
        for (kind, source) in graph_kinds {
            progress.start(kind.name());
            let filter = graph_filter(source, &plan.selectors, plan.since);
            let result = graph.collect(
                &graph_path(source, filter.as_deref()),
                &folder,
                kind.name(),
                plan.max_records,
                progress,
            );
            kinds.push(KindFetched::of(kind, filter, result));
        }
    }
    if let (Some(target), Some(secret), true) = (
        plan.jamf.clone(),
        &credentials.jamf,
        plan.what.contains(&TenantKind::JamfInventory),
    ) {
        let base = Endpoint::parse(&target.url).map_err(|e| anyhow::anyhow!("--jamf-url {e}"))?;
        let api = JamfApi::new(&client, base, &target.client_id, secret);
        let filter = jamf_filter(&plan.selectors, &plan.out, &kinds);
        progress.start(TenantKind::JamfInventory.name());
        let rsql = filter.rsql();
        match api.inventory(&filter, &folder, plan.max_records, progress) {
            Ok(mut inventory) => {
                let ids = inventory.computer_ids.clone();
                inventory.collected.files.extend(api.place_names(&folder));
                kinds.push(KindFetched::of(
                    TenantKind::JamfInventory,
                    rsql,
                    Ok(inventory.collected),
                ));
                progress.start(TenantKind::JamfCompliance.name());
                let result = api.compliance(&ids, &folder, progress);
                kinds.push(KindFetched::of(TenantKind::JamfCompliance, None, result));
            }
            Err(error) => kinds.push(KindFetched::of(TenantKind::JamfInventory, rsql, Err(error))),
        }
    }
    progress.finish();
    // Servers may repeat what they were sent: no secret is kept or shown.
    for kind in &mut kinds {
        if let Some(error) = &mut kind.error {
            *error = client.scrub(error);
        }
    }
    plan.what = kinds.iter().map(|k| k.kind).collect();
    let record = FetchRecord {
        tool: "ca-doctor",
        tool_version: env!("CARGO_PKG_VERSION"),
        fetched_at,
        plan,
        kinds,
    };
    write_record(&folder, &record)?;
    Ok(record)
}

/// Which Jamf Pro computers to ask for: those `selectors` name, and the
/// names and serial numbers the Entra and Intune records fetched into
/// `folder` reveal (their readers say which belong and what they reveal),
/// only when device IDs are asked about (a whole tenant's records name no
/// computer in particular). Nothing to ask by (no selector): every
/// computer.
fn jamf_filter(selectors: &Keys, folder: &Path, fetched: &[KindFetched]) -> ComputerFilter {
    let mut keys = selectors.clone();
    if !selectors.device_ids.is_empty() {
        for kind in fetched {
            for file in &kind.files {
                let path = folder.join(file);
                match kind.kind {
                    TenantKind::Devices => {
                        read_devices(&path, &mut |device| {
                            if device.belongs(selectors) {
                                device.reveal(&mut keys);
                            }
                        });
                    }
                    TenantKind::ManagedDevices => {
                        read_managed_devices(&path, &mut |device| {
                            if device.belongs(selectors) {
                                device.reveal(&mut keys);
                            }
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    ComputerFilter {
        serials: keys.serials.values().to_vec(),
        names: keys.names.values().to_vec(),
        emails: keys.users.values().to_vec(),
    }
}

/// Writes `fetch.json` into `folder`, replacing an earlier one atomically.
fn write_record(folder: &Folder, record: &FetchRecord) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(record)?;
    folder.replace("fetch.json", text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::fetch::graph::Collected;
    use crate::util::guid::Guid;

    #[test]
    fn jamf_is_asked_for_the_names_of_the_devices_asked_about_only() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(
            folder.path().join("devices-0001.json"),
            r#"{"value":[{"deviceId":"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b","displayName":"Jane's MacBook"},{"deviceId":"0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f","displayName":"Other Mac"}]}"#,
        )
        .unwrap();
        std::fs::write(
            folder.path().join("managed-devices-0001.json"),
            r#"{"value":[{"id":"i1","azureADDeviceId":"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b","serialNumber":"C02XK1JHJG5H","deviceName":"Jane's MacBook"},{"id":"i2","azureADDeviceId":"0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f","serialNumber":"OTHER","deviceName":"Other Mac"}]}"#,
        )
        .unwrap();
        let page = |kind, name: &str| {
            KindFetched::of(
                kind,
                None,
                Ok(Collected {
                    files: vec![folder.path().join(name)],
                    ..Collected::default()
                }),
            )
        };
        let fetched = [
            page(TenantKind::Devices, "devices-0001.json"),
            page(TenantKind::ManagedDevices, "managed-devices-0001.json"),
        ];
        let mut selectors = Keys::default();
        let filter = jamf_filter(&selectors, folder.path(), &fetched);
        assert!(
            filter.names.is_empty(),
            "a whole tenant's records: every computer"
        );
        selectors
            .device_ids
            .extend(Guid::find_all("7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b"));
        let filter = jamf_filter(&selectors, folder.path(), &fetched);
        assert_eq!(filter.names, ["Jane's MacBook"]);
        assert_eq!(filter.serials, ["C02XK1JHJG5H"]);
    }
}

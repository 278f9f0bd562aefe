//! `ca-doctor fleet`: every Mac's status, cause and device chain from Jamf
//! Pro's inventory, counted, in one screen, JSON, CSV or a dashboard.

use super::shared::fail;
use crate::cli::Exit;
use crate::cli::{FleetArgs, FleetFormat};
use crate::pipeline::fleet::{FleetRequest, fleet_report};
use crate::pipeline::request::TenantExports;
use crate::render::{Format, Printable, print};
use crate::tenant::keys::Keys;
use crate::tenant::kind::TenantKind;

/// Runs `fleet`.
pub(crate) fn run(args: &FleetArgs) -> Exit {
    let given = match TenantExports::of(&[], &[], &args.tenant) {
        Ok(given) => given,
        Err(error) => return fail(&error),
    };
    let tenant_inventory = !given.of_kind(TenantKind::JamfInventory).is_empty();
    // The Jamf Pro server the dashboard links to is checked first, offline
    // too: no javascript: or data: link.
    let prepared = args.connect.jamf_server().and_then(|server| {
        let now = args.clock()?;
        Ok((now, args.live(now, tenant_inventory)?, server))
    });
    let (now, live, jamf_server) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return fail(&error),
    };
    let (tenant, fetched) = match given.resolve(live.as_ref(), Keys::default()) {
        Ok(exports) => exports,
        Err(error) => return fail(&error),
    };
    for (kind, error) in fetched.iter().flat_map(|f| f.failures()) {
        eprintln!(
            "ca-doctor: warning: {kind} not fetched: {}",
            crate::util::text::for_terminal(&error.to_string())
        );
    }
    // --inventory when given; else the inventory pages of --tenant and of
    // the fetch.
    let inventories = match args.inventory.is_empty() {
        true => tenant.of_kind(TenantKind::JamfInventory).to_vec(),
        false => args.inventory.clone(),
    };
    let request = FleetRequest {
        inventories,
        ea: args.ea.clone(),
        ea_last_success: args.ea_last_success.clone(),
        tenant,
        history: args.history.clone(),
        now,
        jamf_url: jamf_server,
    };
    let report = match fleet_report(&request) {
        Ok(report) => report,
        Err(error) => return fail(&error),
    };
    let format = match args.format {
        FleetFormat::Human => Format::Human,
        FleetFormat::Json => Format::Json,
        FleetFormat::Csv => Format::Csv,
        FleetFormat::Html => Format::Html,
    };
    print(Printable::Fleet(&report), format, false);
    Exit::Ok
}

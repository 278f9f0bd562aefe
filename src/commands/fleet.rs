//! `ca-doctor fleet`: every Mac's status, cause and device chain from Jamf
//! Pro's inventory, counted, in one screen, JSON, CSV or a dashboard.

use super::shared::fail;
use crate::cli::Exit;
use crate::cli::{FleetArgs, FleetFormat};
use crate::pipeline::fleet::{FleetRequest, fleet_report};
use crate::pipeline::request::TenantExports;
use crate::render::{Format, Printable, print};
use crate::tenant::keys::Keys;

/// Runs `fleet`.
pub(crate) fn run(args: &FleetArgs) -> Exit {
    let prepared = args.clock().and_then(|now| Ok((now, args.live(now)?)));
    let (now, live) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return fail(&error),
    };
    let given = TenantExports::of(&[], &[], &args.tenant);
    let (tenant, fetched) = match given.and_then(|t| t.with_live(live.as_ref(), Keys::default())) {
        Ok(exports) => exports,
        Err(error) => return fail(&error),
    };
    let mut inventories = args.inventory.clone();
    if let Some(fetched) = &fetched {
        for (kind, error) in fetched.failures() {
            eprintln!("ca-doctor: warning: {kind} not fetched: {error}");
        }
        if inventories.is_empty() {
            inventories.push(fetched.folder.path().to_path_buf());
        }
    }
    let request = FleetRequest {
        inventories,
        ea: args.ea.clone(),
        ea_last_success: args.ea_last_success.clone(),
        tenant,
        history: args.history.clone(),
        now,
        jamf_url: args.connect.jamf_url.clone(),
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

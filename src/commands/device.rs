//! `ca-doctor device`: one device's chain from the tenant's exports alone,
//! for a help desk without the Mac.

use super::shared::{fail, tenant_exports};
use crate::cli::DeviceArgs;
use crate::cli::Exit;
use crate::pipeline::device::device_report;
use crate::pipeline::request::TenantExports;
use crate::render::{Printable, print};

/// Runs `device`.
pub(crate) fn run(args: &DeviceArgs) -> Exit {
    let clock = match args.clock() {
        Ok(clock) => clock,
        Err(error) => return fail(&error),
    };
    let (wanted, selectors) = args.fetch_plan();
    let given = TenantExports::of(&[], &[], &args.tenant);
    let (exports, _fetched) = match tenant_exports(given, &args.live, &wanted, selectors, clock) {
        Ok(exports) => exports,
        Err(error) => return fail(&error),
    };
    let report = device_report(&args.query(), &exports, clock);
    print(
        Printable::Device(&report),
        args.print.format,
        args.print.verbose,
    );
    Exit::Ok
}

//! `ca-doctor device`: one device's chain from the tenant's exports alone,
//! for a help desk without the Mac.

use super::{Exit, fail};
use crate::cli::DeviceArgs;
use crate::pipeline::device::device_report;
use crate::pipeline::request::TenantExports;
use crate::render::{Printable, print};

/// Runs `device`.
pub(crate) fn run(args: &DeviceArgs) -> Exit {
    let clock = match args.clock() {
        Ok(clock) => clock,
        Err(error) => return fail(&error),
    };
    let exports = match TenantExports::of(&[], &[], &args.tenant) {
        Ok(exports) => exports,
        Err(error) => return fail(&anyhow::anyhow!(error)),
    };
    let report = device_report(&args.query(), &exports, clock);
    print(
        Printable::Device(&report),
        args.print.format,
        args.print.verbose,
    );
    Exit::Ok
}

//! `ca-doctor signins`: read the tenant's sign-in exports and print which
//! failures are real.

use super::shared::{fail, tenant_exports};
use crate::cli::Exit;
use crate::cli::SigninsArgs;
use crate::pipeline::policies::jamf_connect_target;
use crate::pipeline::request::TenantExports;
use crate::pipeline::signins::{SignInsRequest, judge_signins};
use crate::render::{Printable, print};
use crate::tenant::keys::Keys;
use crate::tenant::kind::TenantKind;

/// Runs `signins`.
pub(crate) fn run(args: &SigninsArgs) -> Exit {
    let target = jamf_connect_target(&args.jamf_connect_apps, args.report.root.as_deref());
    let given = TenantExports::of(&args.files, &args.policies, &args.tenant);
    // Sign-ins of the Jamf Connect apps when they are known, else all.
    let apps = Keys {
        app_ids: target.apps.iter().collect(),
        ..Keys::default()
    };
    let (exports, _fetched) = match tenant_exports(
        given,
        &args.live,
        &[TenantKind::SignIns, TenantKind::Policies],
        apps,
        crate::util::time::system_clock(),
    ) {
        Ok(exports) => exports,
        Err(error) => return fail(&error),
    };
    let report = judge_signins(&SignInsRequest {
        files: exports.of_kind(TenantKind::SignIns).to_vec(),
        jamf_connect_apps: target.apps,
        policies: exports.of_kind(TenantKind::Policies).to_vec(),
        default_scopes_only: target.default_scopes_only,
        skipped: exports.skipped_inputs().collect(),
    });
    match report {
        Ok(report) => {
            print(
                Printable::SignIns(&report),
                args.report.print.format,
                args.report.print.verbose,
            );
            Exit::Ok
        }
        Err(error) => fail(&error),
    }
}

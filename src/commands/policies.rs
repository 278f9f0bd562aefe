//! `ca-doctor policies`: audit the tenant's Conditional Access policies for
//! what breaks Jamf Connect and locks users out of their Macs.

use super::shared::{fail, tenant_exports};
use crate::cli::Exit;
use crate::cli::PoliciesArgs;
use crate::evidence::policies::JamfConnectTarget;
use crate::pipeline::policies::{audit, jamf_connect_target};
use crate::pipeline::request::TenantExports;
use crate::pipeline::signins::{jamf_connect_apps_seen, read_sign_ins};
use crate::render::{Printable, print};
use crate::tenant::keys::Keys;
use crate::tenant::kind::TenantKind;

/// Runs `policies`.
pub(crate) fn run(args: &PoliciesArgs) -> Exit {
    let given = TenantExports::of(&args.signins, &args.paths, &args.tenant);
    let (exports, _fetched) = match tenant_exports(
        given,
        &args.live,
        &[TenantKind::Policies],
        Keys::default(),
        crate::util::time::system_clock(),
    ) {
        Ok(exports) => exports,
        Err(error) => return fail(&error),
    };
    let mut target = jamf_connect_target(&args.jamf_connect_apps, args.report.root.as_deref());
    if !exports.of_kind(TenantKind::SignIns).is_empty() {
        // The apps the sign-ins show in the Jamf Connect role are its apps.
        let seen = read_sign_ins(
            exports.of_kind(TenantKind::SignIns),
            &args.jamf_connect_apps,
        );
        target.merge(JamfConnectTarget {
            apps: jamf_connect_apps_seen(&seen),
            default_scopes_only: false,
        });
    }
    let report = audit(exports.of_kind(TenantKind::Policies), target);
    match report {
        Ok(mut report) => {
            report.evidence.inputs.extend(exports.skipped_inputs());
            print(
                Printable::Policies(&report),
                args.report.print.format,
                args.report.print.verbose,
            );
            Exit::Ok
        }
        Err(error) => fail(&error),
    }
}

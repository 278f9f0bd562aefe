//! `ca-doctor check`: analyse and print the report (human, JSON or HTML).

use super::{CHECK_LOG_TIMEOUT, Exit, print_or_fail, with_spinner};
use crate::cli::CheckArgs;
use crate::pipeline::analyze;
use crate::tenant::fetch::Selectors;
use crate::tenant::kind::TenantKind;

/// Runs `check`.
pub(crate) fn run(args: &CheckArgs) -> Exit {
    let report = args
        .report
        .tenant
        .exports()
        .and_then(|tenant| args.analysis.request("check", CHECK_LOG_TIMEOUT, tenant))
        .and_then(|mut request| {
            // What to ask for is known once the Mac's evidence is read;
            // the sign-ins are those of the analysed window.
            request.live = args
                .live
                .live(&TenantKind::FETCHABLE, Selectors::default())?;
            let start = request.window().start;
            let spinner = request.is_live();
            if let Some(live) = &mut request.live {
                live.plan.since = start;
                // The live log's spinner has the terminal meanwhile.
                live.progress = !spinner;
            }
            Ok(request)
        })
        .and_then(|request| with_spinner(request.is_live(), || analyze(&request, None)));
    print_or_fail(report, args.report.format, args.report.verbose)
}

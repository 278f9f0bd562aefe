//! `ca-doctor check`: analyse and print the report (human, JSON or HTML).

use super::shared::{CHECK_LOG_TIMEOUT, print_or_fail, with_spinner};
use crate::cli::CheckArgs;
use crate::cli::Exit;
use crate::pipeline::analyze;

/// Runs `check`.
pub(crate) fn run(args: &CheckArgs) -> Exit {
    let report = args
        .report
        .tenant
        .exports()
        .and_then(|tenant| {
            args.analysis
                .request("check", CHECK_LOG_TIMEOUT, tenant, Some(&args.live))
        })
        .and_then(|request| with_spinner(request.is_live(), || analyze(&request, None)));
    print_or_fail(report, args.report.format, args.report.verbose)
}

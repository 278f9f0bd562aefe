//! `ca-doctor fetch`: the tenant's evidence from Microsoft Graph and the
//! Jamf Pro API into a folder that `--tenant` reads, with `fetch.json`
//! saying what came.

use super::shared::fail;
use crate::cli::Exit;
use crate::cli::FetchArgs;
use crate::tenant::fetch::fetch;
use crate::tenant::fetch::plan::NothingFetched;
use crate::tenant::fetch::progress::Progress;
use crate::util::text::count;

/// Runs `fetch`: exits 0 when every kind came whole, 3 when nothing came
/// (the cause, once per distinct error), 1 otherwise (what came is kept
/// and `fetch.json` lists why the rest did not).
pub(crate) fn run(args: &FetchArgs) -> Exit {
    let prepared = args
        .plan()
        .and_then(|plan| Ok((args.connect.credentials(&plan.what)?, plan)));
    let (credentials, plan) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return fail(&error),
    };
    let out = plan.out.clone();
    let record = match fetch(
        plan,
        &credentials,
        args.connect.limits(),
        &Progress::on_terminal(),
    ) {
        Ok(record) => record,
        Err(error) => return fail(&anyhow::anyhow!(error)),
    };
    if let Some(why) = record.nothing_fetched() {
        return fail(&anyhow::Error::new(NothingFetched(why)));
    }
    println!("fetched into {}:", out.display());
    for kind in record.kinds.iter().filter(|k| k.error.is_none()) {
        println!(
            "  {:<16} {}, {}",
            kind.kind.name(),
            count(kind.records, "record", "records"),
            count(u64::from(kind.pages), "page", "pages")
        );
    }
    for (kinds, error) in record.failures_grouped() {
        println!(
            "  {:<16} FAILED: {}",
            kinds.join(", "),
            crate::util::text::for_terminal(error)
        );
    }
    if record.complete() {
        Exit::Ok
    } else {
        Exit::InputError
    }
}

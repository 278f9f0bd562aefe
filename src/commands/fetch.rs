//! `ca-doctor fetch`: the tenant's evidence from Microsoft Graph and the
//! Jamf Pro API into a folder that `--tenant` reads, with `fetch.json`
//! saying what came.

use super::shared::fail;
use crate::cli::Exit;
use crate::cli::FetchArgs;
use crate::tenant::fetch::fetch;
use crate::tenant::fetch::progress::Progress;
use crate::util::text::count;

/// Runs `fetch`: exits 0 when every kind came whole, 1 otherwise (what came
/// is kept and `fetch.json` lists why the rest did not).
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
    println!("fetched into {}:", out.display());
    for kind in &record.kinds {
        let what = kind.kind.name();
        match &kind.error {
            None => println!(
                "  {what:<16} {}, {}",
                count(kind.records, "record", "records"),
                count(u64::from(kind.pages), "page", "pages")
            ),
            Some(error) => println!("  {what:<16} FAILED: {error}"),
        }
    }
    if record.complete() {
        Exit::Ok
    } else {
        Exit::InputError
    }
}

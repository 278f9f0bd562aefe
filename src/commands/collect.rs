//! `ca-doctor collect`: write a diagnostic bundle and say where it went.

use super::shared::{CHECK_LOG_TIMEOUT, fail};
use crate::bundle::collect::{CollectOptions, Destination, collect};
use crate::cli::Exit;
use crate::cli::{CollectArgs, UsageError};
use crate::pipeline::request::TenantExports;
use std::io::IsTerminal;

/// Runs `collect`.
pub(crate) fn run(args: &CollectArgs) -> Exit {
    let outcome = args
        .analysis
        .request("collect", CHECK_LOG_TIMEOUT, TenantExports::default(), None)
        .and_then(|request| {
            let destination = match args.output.as_deref() {
                None => Destination::Desktop,
                Some(path) if path.as_os_str() == "-" => {
                    if std::io::stdout().is_terminal() {
                        anyhow::bail!(UsageError(
                            "--output -: standard output is a terminal: redirect it (> bundle.zip) or name a file".to_string()
                        ));
                    }
                    Destination::Stdout
                }
                Some(path) if path.is_dir() => Destination::Folder(path.to_path_buf()),
                Some(path) => Destination::Path(path.to_path_buf()),
            };
            collect(&CollectOptions {
                request,
                destination,
                redact_personal_data: args.redact_pii,
                size_cap: args.max_size.saturating_mul(1 << 20),
                progress: std::io::stderr().is_terminal(),
                command_line: std::env::args().skip(1).collect(),
            })
        });
    match outcome {
        Ok(collected) => {
            let status = collected.report.status().token();
            match &collected.path {
                Some(path) => eprintln!(
                    "ca-doctor: bundle written to {} (status: {status})",
                    path.display()
                ),
                None => {
                    eprintln!("ca-doctor: bundle written to standard output (status: {status})")
                }
            }
            Exit::Ok
        }
        Err(error) => fail(&error),
    }
}

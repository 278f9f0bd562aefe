//! `analyze` of a bundle (zip or folder) or of a plain `log show` export:
//! the request a bundle's manifest describes, with `analyze`'s overrides,
//! then the one analysis path.

use super::open::Opened;
use crate::mac::accounts::UserSelection;
use crate::mac::paths::SystemPaths;
use crate::mac::runner::CommandRunner;
use crate::mac::user::UserName;
use crate::pipeline::analyze as analyze_request;
use crate::pipeline::logs::clock_of;
use crate::pipeline::request::{LogPlan, LogSource, Origin, Request, TenantExports};
use crate::report::Report;
use anyhow::Result;
use chrono::{DateTime, Duration, FixedOffset};
use std::path::Path;

/// What `analyze` may override of a bundle's own settings.
#[derive(Clone, Debug, Default)]
pub(crate) struct Overrides {
    /// Analyse this user instead of the bundle's.
    pub(crate) user: Option<UserName>,
    /// The analysis clock (default: the bundle's collection time, or for a
    /// plain log the time of its newest entry).
    pub(crate) now: Option<DateTime<FixedOffset>>,
    /// The window (default: the bundle's, or 5 days).
    pub(crate) since: Option<Duration>,
    /// The tenant's exports to join with the Mac's evidence.
    pub(crate) tenant: TenantExports,
}

/// Analyses a bundle (zip or folder) or a plain `log show` export.
pub(crate) fn analyze(path: &Path, overrides: &Overrides, runner: CommandRunner) -> Result<Report> {
    let opened = super::open::open(path)?;
    let request = Request::from_bundle(path, &opened, overrides, runner)?;
    let mut report = analyze_request(&request, None)?;
    // The working folder is gone when the report is read: paths in it are
    // named by what was given.
    let given = request.given.as_deref().unwrap_or("the bundle");
    report.rename_paths(
        &opened.work_path.display().to_string(),
        &format!("[{given}]"),
    );
    Ok(report)
}

impl Request {
    /// The request that analyses an opened bundle (or plain log export) at
    /// `path`: its manifest's users, clock and window unless `overrides`
    /// say otherwise, its logs, its files and stored registration evidence.
    pub(crate) fn from_bundle(
        path: &Path,
        opened: &Opened,
        overrides: &Overrides,
        runner: CommandRunner,
    ) -> Result<Request> {
        let since = overrides
            .since
            .or_else(|| {
                opened
                    .manifest
                    .as_ref()
                    .and_then(|m| Duration::try_seconds(m.since_seconds))
            })
            .unwrap_or_else(|| Duration::days(5));
        let log_sources: Vec<LogSource> = opened
            .logs
            .iter()
            .map(|p| LogSource::File(p.clone()))
            .collect();
        let (now, clock) = clock_of(
            overrides.now,
            opened.manifest.as_ref().map(|m| m.created_at),
            &log_sources,
            crate::util::time::system_clock(),
        )?;
        let users = match (&overrides.user, &opened.manifest) {
            (Some(user), _) => UserSelection::Named(user.clone()),
            (None, Some(manifest)) => {
                let listed: Vec<UserName> = manifest
                    .users
                    .iter()
                    .filter_map(|u| UserName::parse(u).ok())
                    .collect();
                if listed.is_empty() {
                    UserSelection::Unknown
                } else {
                    UserSelection::List(listed)
                }
            }
            (None, None) => UserSelection::Unknown,
        };
        anyhow::ensure!(
            since > Duration::zero() && now.checked_sub_signed(since).is_some(),
            "{}: the window ({} s) is not usable",
            path.display(),
            since.num_seconds()
        );
        let logs = LogPlan::Files(log_sources);
        let bundle_note = opened.manifest.as_ref().map(|manifest| {
            format!(
                "{} from {}, collected {}",
                path.display(),
                manifest
                    .host
                    .host_name
                    .as_deref()
                    .unwrap_or("an unnamed host"),
                manifest.created_at.format("%Y-%m-%d %H:%M:%S%:z")
            )
        });
        let origin = if opened.plain_log {
            Origin::PlainLog
        } else if opened.manifest.is_some() {
            Origin::Bundle(opened.registrations.clone())
        } else {
            Origin::Mac
        };
        Ok(Request {
            paths: SystemPaths::new(&opened.root),
            runner,
            users,
            logs,
            now,
            clock,
            since,
            origin,
            tenant: overrides.tenant.clone(),
            command: "analyze",
            bundle_note,
            computer_name: opened
                .manifest
                .as_ref()
                .and_then(|m| m.host.computer_name.clone()),
            live: None,
            given: Some(match path.to_str() {
                Some("/dev/stdin") => "standard input".to_string(),
                _ => path.display().to_string(),
            }),
        })
    }
}

//! `--fetch`: a command's tenant evidence fetched first into a private
//! temporary folder (0700, removed when the command ends or is
//! interrupted), then read by the same readers as `--tenant`.

use super::http::Limits;
use super::progress::Progress;
use super::{Credentials, FetchPlan, FetchRecord, Selectors, fetch};
use std::sync::Arc;

/// What a command will fetch, and with which credentials.
#[derive(Clone, Debug)]
pub(crate) struct LiveFetch {
    /// The plan (its folder is chosen when it runs).
    pub(crate) plan: FetchPlan,
    /// The credentials.
    pub(crate) credentials: Arc<Credentials>,
    /// The HTTP client's limits.
    pub(crate) limits: Limits,
    /// Whether its progress line may show (not while another line, such as
    /// `check`'s spinner, is on the terminal).
    pub(crate) progress: bool,
}

/// A fetch done: its folder (removed on drop) and `fetch.json`.
pub(crate) struct Fetched {
    /// The private folder.
    pub(crate) folder: tempfile::TempDir,
    /// What came.
    pub(crate) record: FetchRecord,
}

impl LiveFetch {
    /// Fetches the plan, narrowed also to `more` (what the Mac revealed),
    /// into a new private temporary folder.
    pub(crate) fn run(&self, more: Selectors) -> anyhow::Result<Fetched> {
        let folder = crate::util::files::work_folder("ca-doctor-fetch-")?;
        let mut plan = self.plan.clone();
        plan.out = folder.path().to_path_buf();
        let selectors = &mut plan.selectors;
        for user in more.users {
            if !selectors
                .users
                .iter()
                .any(|u| u.eq_ignore_ascii_case(&user))
            {
                selectors.users.push(user);
            }
        }
        for id in more.device_ids {
            if !selectors.device_ids.contains(&id) {
                selectors.device_ids.push(id);
            }
        }
        selectors.names.extend(more.names);
        selectors.serials.extend(more.serials);
        selectors.app_ids.extend(more.app_ids);
        let progress = match self.progress {
            true => Progress::on_terminal(),
            false => Progress::hidden(),
        };
        let record = fetch(plan, &self.credentials, self.limits, &progress)?;
        Ok(Fetched { folder, record })
    }
}

impl Fetched {
    /// One line per kind that stopped short: for the report's inputs.
    pub(crate) fn failures(&self) -> Vec<(String, String)> {
        self.record
            .kinds
            .iter()
            .filter_map(|k| k.error.clone().map(|e| (k.kind.name().to_string(), e)))
            .collect()
    }
}

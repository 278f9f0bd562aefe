//! `--fetch`: a command's tenant evidence fetched first into a private
//! temporary folder (0700, removed when the command ends or is
//! interrupted), then read by the same readers as `--tenant`.

use super::http::Limits;
use super::progress::Progress;
use super::{Credentials, FetchPlan, FetchRecord, fetch};
use crate::tenant::keys::Keys;
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
    pub(crate) fn run(&self, more: Keys) -> anyhow::Result<Fetched> {
        let folder = crate::util::files::work_folder("ca-doctor-fetch-")?;
        let mut plan = self.plan.clone();
        plan.out = folder.path().to_path_buf();
        plan.selectors.add(&more);
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

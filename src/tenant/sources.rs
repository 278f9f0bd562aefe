//! The tenant's files of a run, by kind, and the one way they are
//! resolved: the files and folders given (each file's kind told from its
//! content by the kind table) and, with `--fetch`, what was fetched about
//! the keys known (Graph's kinds, then Jamf Pro's, see [`super::fetch`])
//! into a private folder read by the same readers.

use super::fetch::live::{Fetched, LiveFetch};
use super::keys::Keys;
use super::kind::{KINDS, TenantKind, other_kind, sort};
use crate::inputs::{InputRecord, InputState};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The tenant's exports a run reads (`--signins`, `--policies`, every kind
/// through `--tenant`, what `--fetch` brought), by kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct TenantExports {
    /// The files of each kind, in the order given.
    files: BTreeMap<TenantKind, Vec<PathBuf>>,
    /// Files of `--tenant` folders that are no export, and why.
    pub(crate) skipped: Vec<(PathBuf, String)>,
}

/// The device chain's kinds: any of them makes a chain to follow.
const CHAIN_KINDS: [TenantKind; 5] = [
    TenantKind::Devices,
    TenantKind::DeletedDevices,
    TenantKind::ManagedDevices,
    TenantKind::JamfCompliance,
    TenantKind::JamfInventory,
];

impl TenantExports {
    /// The exports of `--signins`, `--policies` and `--tenant` (each file's
    /// kind told from its content). Fails naming a `--tenant` file that is
    /// no export or cannot be read, and a sign-in or policy file that is
    /// an export of another kind (what it is, and what reads it).
    pub(crate) fn of(
        signins: &[PathBuf],
        policies: &[PathBuf],
        tenant: &[PathBuf],
    ) -> anyhow::Result<TenantExports> {
        for (paths, kind) in [
            (signins, TenantKind::SignIns),
            (policies, TenantKind::Policies),
        ] {
            for path in paths.iter().filter(|path| !path.is_dir()) {
                if let Some(why) = other_kind(path, &[kind], kind.spec().what) {
                    anyhow::bail!("{}: {why}", path.display());
                }
            }
        }
        let sorted = sort(tenant)?;
        let mut exports = TenantExports {
            skipped: sorted.skipped.clone(),
            ..TenantExports::default()
        };
        exports.extend(TenantKind::SignIns, signins.iter().cloned());
        exports.extend(TenantKind::Policies, policies.iter().cloned());
        for spec in KINDS.iter().filter(|spec| spec.recognise.is_some()) {
            exports.extend(spec.kind, sorted.of(spec.kind));
        }
        Ok(exports)
    }

    /// The exports of a folder `fetch` wrote: its own other files
    /// (`fetch.json`, pages with no record) are not listed as skipped.
    pub(crate) fn fetched(folder: &Path) -> anyhow::Result<TenantExports> {
        let mut exports = TenantExports::of(&[], &[], &[folder.to_path_buf()])?;
        exports.skipped.clear();
        Ok(exports)
    }

    /// The files of `kind`.
    pub(crate) fn of_kind(&self, kind: TenantKind) -> &[PathBuf] {
        self.files.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// Adds files of `kind`.
    fn extend(&mut self, kind: TenantKind, paths: impl IntoIterator<Item = PathBuf>) {
        let mut paths = paths.into_iter().peekable();
        if paths.peek().is_some() {
            self.files.entry(kind).or_default().extend(paths);
        }
    }

    /// Adds the exports of `more`.
    pub(crate) fn add(&mut self, more: TenantExports) {
        for (kind, paths) in more.files {
            self.extend(kind, paths);
        }
        self.skipped.extend(more.skipped);
    }

    /// The files of `--tenant` folders left aside, as the report's inputs
    /// name them (skipped, and why).
    pub(crate) fn skipped_inputs(&self) -> impl Iterator<Item = InputRecord> + '_ {
        self.skipped.iter().map(|(path, why)| InputRecord {
            what: "tenant file".to_string(),
            path: path.display().to_string(),
            state: InputState::Skipped,
            reason: Some(why.clone()),
        })
    }

    /// Whether any export of the device chain was given.
    pub(crate) fn has_device_chain(&self) -> bool {
        CHAIN_KINDS
            .iter()
            .any(|kind| !self.of_kind(*kind).is_empty())
    }

    /// These exports and, with a live fetch, what it fetched about `keys`
    /// as well as its own (kept in the returned folder until dropped):
    /// the one way every command gets the tenant's records. Each kind that
    /// could not be fetched is in the folder's `failures`.
    pub(crate) fn resolve(
        mut self,
        live: Option<&LiveFetch>,
        keys: Keys,
    ) -> anyhow::Result<(TenantExports, Option<Fetched>)> {
        let Some(live) = live else {
            return Ok((self, None));
        };
        let fetched = live.run(keys)?;
        self.add(TenantExports::fetched(fetched.folder.path())?);
        Ok((self, Some(fetched)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_by_kind_in_the_order_given_and_the_chain_s_kinds() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let given = TenantExports::of(
            &[PathBuf::from("a.json")],
            &[],
            &[fixtures.join("device-chain/tenant")],
        )
        .unwrap();
        assert_eq!(given.of_kind(TenantKind::SignIns)[0], Path::new("a.json"));
        assert_eq!(given.of_kind(TenantKind::SignIns).len(), 2);
        assert_eq!(given.of_kind(TenantKind::Devices).len(), 1);
        assert!(given.of_kind(TenantKind::Policies).is_empty());
        assert!(given.has_device_chain());
        let mut none = TenantExports::of(&[], &[PathBuf::from("p.json")], &[]).unwrap();
        assert!(!none.has_device_chain());
        none.add(given);
        assert!(none.has_device_chain());
        assert_eq!(none.of_kind(TenantKind::Policies).len(), 1);
    }
}

//! The committed fixtures are exactly what the scenario definitions produce.
//! Regenerate with `CA_DOCTOR_REGENERATE_FIXTURES=1 cargo test --test e2e fixtures::`.

use crate::support::fixtures::{files, scenarios, write_all};
use std::path::Path;

#[test]
fn committed_fixtures_match_their_definitions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    if std::env::var_os("CA_DOCTOR_REGENERATE_FIXTURES").is_some() {
        // Only the scenarios' folders: `fixtures/entra` has its own generator.
        for scenario in scenarios() {
            let _ = std::fs::remove_dir_all(dir.join(scenario.name));
        }
        write_all(&dir);
    }
    for scenario in scenarios() {
        for (relative, expected) in files(&scenario) {
            let path = dir.join(scenario.name).join(&relative);
            let actual = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                actual == expected,
                "{} is out of date: regenerate the fixtures",
                path.display()
            );
        }
    }
}

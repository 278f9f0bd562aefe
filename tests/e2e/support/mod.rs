//! Helpers shared by the end-to-end tests.

#![allow(dead_code)]

pub mod entra;
pub mod fixtures;
pub mod policies;
pub mod server;
pub mod stubs;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The built binary, with a clean colour setting and no terminal width.
pub fn ca_doctor() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ca-doctor"));
    command
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("CA_DOCTOR_STUB_DIR");
    command
}

/// A fixture scenario's folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// Runs `check --format json` on a fixture's root with the given log file.
pub fn check_json(dir: &Path, log: &Path) -> serde_json::Value {
    let output = ca_doctor()
        .arg("check")
        .arg("--root")
        .arg(dir.join("root"))
        .args(["--user", fixtures::USER, "--log"])
        .arg(log)
        .args(["--now", fixtures::NOW, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Status and sorted finding IDs of a JSON verdict document.
pub fn status_and_ids(document: &serde_json::Value) -> (String, Vec<String>) {
    let mut ids: Vec<String> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    (document["status"].as_str().unwrap().to_string(), ids)
}

/// The value inside the single `<result>` line of an EA run.
pub fn ea_value(output: &std::process::Output) -> String {
    assert_eq!(output.status.code(), Some(0), "ea must exit 0");
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let line = stdout.trim_end();
    assert!(
        line.starts_with("<result>") && line.ends_with("</result>"),
        "{line}"
    );
    line["<result>".len()..line.len() - "</result>".len()].to_string()
}

/// Copies a folder tree (fixture roots into temporary folders).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs a command that must succeed; shows its standard error when it does not.
pub fn succeed(command: &mut Command) -> std::process::Output {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Makes a FIFO at `path` (with `mkfifo`).
pub fn make_fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// The finding `id` of a JSON report (the first, when several share it);
/// fails the test, showing the report, when there is none.
pub fn finding<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {report}"))
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report}"))
}

/// The evidence row `label` of a JSON finding; fails the test, showing the
/// finding, when there is none.
pub fn evidence_row<'a>(finding: &'a serde_json::Value, label: &str) -> &'a serde_json::Value {
    finding["evidence"]
        .as_array()
        .unwrap_or_else(|| panic!("no evidence in {finding}"))
        .iter()
        .find(|e| e["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {finding}"))
}

/// Every entry of a zip, by name, with its bytes.
pub fn entries(zip_path: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().to_string(), bytes)
        })
        .collect()
}

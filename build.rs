//! Tells the test suite which outside tools this machine lacks, so that a
//! test that needs one is reported as ignored with its reason instead of
//! passing as if it ran. Under `CI` nothing is ever ignored: such a test
//! runs and fails when CI did not install what it needs.

use std::path::Path;

/// Whether an executable named `name` is on `PATH`.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
}

/// Whether the build runs as root (the tests run as the same user).
fn root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-env-changed=CA_DOCTOR_KUSTO_MODULES");
    for cfg in [
        "missing_chromium",
        "missing_shellcheck",
        "missing_kusto_parser",
        "not_root",
    ] {
        println!("cargo:rustc-check-cfg=cfg({cfg})");
    }
    // An install of a tool changes the folder it lands in.
    for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
        if Path::new(dir).is_dir() {
            println!("cargo:rerun-if-changed={dir}");
        }
    }
    if std::env::var_os("CI").is_some() {
        return;
    }
    if !["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|name| on_path(name))
    {
        println!("cargo:rustc-cfg=missing_chromium");
    }
    if !on_path("shellcheck") {
        println!("cargo:rustc-cfg=missing_shellcheck");
    }
    // Microsoft's Kusto parser, installed with npm (`.ci/run` does).
    let kusto = std::env::var_os("CA_DOCTOR_KUSTO_MODULES").map(std::path::PathBuf::from);
    if !kusto
        .is_some_and(|dir| dir.join("@kusto/language-service-next").is_dir() && on_path("node"))
    {
        println!("cargo:rustc-cfg=missing_kusto_parser");
    }
    if !root() {
        println!("cargo:rustc-cfg=not_root");
    }
}

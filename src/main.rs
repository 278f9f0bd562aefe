//! The `ca-doctor` executable: everything happens in the library's [`ca_doctor::run`].

fn main() -> std::process::ExitCode {
    ca_doctor::run()
}

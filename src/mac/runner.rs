//! The one seam through which every macOS command runs. Production uses
//! fixed absolute paths. Debug builds (what `cargo test` builds) may point the
//! seam at a folder of stub executables with `CA_DOCTOR_STUB_DIR`; release
//! builds, the ones installed on Macs, have no override at all, so an
//! unprivileged user cannot redirect a root-run ca-doctor.
//!
//! Commands never go through a shell: arguments are passed as they are. Each
//! runs in its own process group with a hard timeout that kills the group, so
//! a hung command cannot hold ca-doctor; reads of its output wait with a
//! deadline of their own, so a grandchild that left the group and holds the
//! pipe open cannot either. All commands of one run share an overall
//! deadline: each gets at most the time that is left.

use std::ffi::OsString;
use std::io::{self, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Largest standard output kept from a command run with [`CommandRunner::run`].
const MAX_STDOUT: usize = 1 << 20;
/// Largest standard error kept from any command.
const MAX_STDERR: usize = 16 << 10;

/// The macOS commands ca-doctor runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MacCommand {
    /// `log show`: the unified log.
    Log,
    /// `scutil`: the console user.
    Scutil,
    /// `dscl`: home folders and IDs from the directory service.
    Dscl,
    /// `app-sso`: Platform SSO registration.
    AppSso,
    /// `security`: the device certificates of the login keychain.
    Security,
    /// The Jamf Conditional Access agent (`getPSSOStatus`).
    Agent,
}

impl MacCommand {
    /// The absolute path used in production.
    pub(crate) fn production_path(self) -> &'static str {
        match self {
            MacCommand::Log => "/usr/bin/log",
            MacCommand::Scutil => "/usr/sbin/scutil",
            MacCommand::Dscl => "/usr/bin/dscl",
            MacCommand::AppSso => "/usr/bin/app-sso",
            MacCommand::Security => "/usr/bin/security",
            MacCommand::Agent => {
                "/Library/Application Support/JAMF/Jamf.app/Contents/MacOS/Jamf Conditional Access.app/Contents/MacOS/Jamf Conditional Access"
            }
        }
    }

    /// The file name of the command's stub in a stub folder (tests).
    pub(crate) fn stub_name(self) -> &'static str {
        match self {
            MacCommand::Log => "log",
            MacCommand::Scutil => "scutil",
            MacCommand::Dscl => "dscl",
            MacCommand::AppSso => "app-sso",
            MacCommand::Security => "security",
            MacCommand::Agent => "jamf-conditional-access",
        }
    }
}

/// How a command ended.
#[derive(Clone, Debug, Default)]
pub(crate) struct CommandOutcome {
    /// The command line, for reports.
    pub(crate) command_line: String,
    /// Exit code, when it exited normally.
    pub(crate) status: Option<i32>,
    /// Standard output (at most 1 MiB).
    pub(crate) stdout: Vec<u8>,
    /// Standard error, lossily decoded (at most 16 KiB).
    pub(crate) stderr: String,
    /// It was killed at its timeout.
    pub(crate) timed_out: bool,
    /// It could not be started.
    pub(crate) spawn_error: Option<String>,
}

impl CommandOutcome {
    /// Whether it ran and exited 0.
    pub(crate) fn succeeded(&self) -> bool {
        self.status == Some(0) && !self.timed_out && self.spawn_error.is_none()
    }

    /// Standard output as text.
    pub(crate) fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// One line saying how it failed (or `ok`).
    pub(crate) fn describe(&self) -> String {
        self.describe_as(&self.command_line)
    }

    /// [`Self::describe`], naming the command `name` instead of its whole
    /// command line.
    pub(crate) fn describe_as(&self, name: &str) -> String {
        if let Some(error) = &self.spawn_error {
            return format!("could not run {name}: {error}");
        }
        let first_error_line = self
            .stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let tail = if first_error_line.is_empty() {
            String::new()
        } else {
            format!(": {first_error_line}")
        };
        if self.timed_out {
            format!("{name} was stopped at its time limit{tail}")
        } else {
            match self.status {
                Some(0) => "ok".to_string(),
                Some(code) => format!("{name} exited with status {code}{tail}"),
                None => format!("{name} was killed by a signal{tail}"),
            }
        }
    }
}

/// Options of one command run.
#[derive(Clone, Debug)]
pub(crate) struct RunOptions {
    /// Run as this `(uid, gid)` (only applied when ca-doctor runs as root).
    pub(crate) as_user: Option<(u32, u32)>,
    /// Bytes written to its standard input.
    pub(crate) stdin: Option<Vec<u8>>,
    /// Hard time limit.
    pub(crate) timeout: Duration,
}

impl RunOptions {
    /// Default options with a time limit.
    pub(crate) fn with_timeout(timeout: Duration) -> Self {
        RunOptions {
            as_user: None,
            stdin: None,
            timeout,
        }
    }
}

/// Where the macOS commands are, and the deadline they all share.
#[derive(Clone, Debug, Default)]
pub(crate) struct CommandRunner {
    stub_dir: Option<PathBuf>,
    deadline: Option<Instant>,
}

impl CommandRunner {
    /// Production: the absolute paths, no override.
    pub(crate) fn production() -> Self {
        CommandRunner::default()
    }

    /// The same seam, every command ending by `deadline` at the latest.
    pub(crate) fn with_deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// A command's own time limit, cut to what is left before the deadline.
    fn limit(&self, timeout: Duration) -> Duration {
        match self.deadline {
            Some(deadline) => timeout.min(deadline.saturating_duration_since(Instant::now())),
            None => timeout,
        }
    }

    /// The seam for this process: production, except that debug builds honour
    /// `CA_DOCTOR_STUB_DIR` (a folder of stub executables named after
    /// [`MacCommand::stub_name`]).
    pub(crate) fn from_environment() -> Self {
        #[cfg(debug_assertions)]
        if let Some(dir) = std::env::var_os("CA_DOCTOR_STUB_DIR").filter(|d| !d.is_empty()) {
            return CommandRunner {
                stub_dir: Some(PathBuf::from(dir)),
                deadline: None,
            };
        }
        Self::production()
    }

    /// The executable that runs for `command`.
    pub(crate) fn path(&self, command: MacCommand) -> PathBuf {
        match &self.stub_dir {
            Some(dir) => dir.join(command.stub_name()),
            None => PathBuf::from(command.production_path()),
        }
    }

    fn command(
        &self,
        command: MacCommand,
        args: &[OsString],
        as_user: Option<(u32, u32)>,
    ) -> (Command, String) {
        let path = self.path(command);
        let mut line = command
            .production_path()
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string();
        for arg in args {
            line.push(' ');
            line.push_str(&arg.to_string_lossy());
        }
        let mut process = Command::new(path);
        process
            .args(args)
            .env_clear()
            .env("PATH", "/usr/bin:/bin:/usr/sbin:/sbin")
            .env("LC_ALL", "C");
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            process.process_group(0);
            if let Some((uid, gid)) = as_user
                && running_as_root()
                && uid != 0
            {
                process.uid(uid).gid(gid);
            }
        }
        #[cfg(not(unix))]
        let _ = as_user;
        (process, line)
    }

    /// Runs a command to completion (or its time limit), capturing its output.
    /// Never fails: a command that cannot start is described in the outcome.
    pub(crate) fn run(
        &self,
        command: MacCommand,
        args: &[OsString],
        options: &RunOptions,
    ) -> CommandOutcome {
        let (mut process, command_line) = self.command(command, args, options.as_user);
        let mut outcome = CommandOutcome {
            command_line,
            ..CommandOutcome::default()
        };
        let timeout = self.limit(options.timeout);
        if timeout.is_zero() {
            outcome.timed_out = true;
            outcome.stderr = "not run: the overall time limit was reached".to_string();
            return outcome;
        }
        process
            .stdin(if options.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = match process.spawn() {
            Ok(child) => child,
            Err(error) => {
                outcome.spawn_error = Some(error.to_string());
                return outcome;
            }
        };
        if let (Some(bytes), Some(mut stdin)) = (options.stdin.clone(), child.stdin.take()) {
            thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(&bytes);
            });
        }
        let stdout = child
            .stdout
            .take()
            .map(|out| read_capped_in_background(out, MAX_STDOUT));
        let stderr = child
            .stderr
            .take()
            .map(|err| read_capped_in_background(err, MAX_STDERR));
        let deadline = Instant::now() + timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() >= deadline => {
                    kill_group(&mut child);
                    outcome.timed_out = true;
                    break child.wait().ok();
                }
                Ok(None) => thread::sleep(Duration::from_millis(5)),
                Err(_) => break None,
            }
        };
        kill_group(&mut child);
        outcome.status = status.and_then(|s| s.code());
        let grace = Duration::from_millis(500);
        outcome.stdout = stdout
            .and_then(|rx| rx.recv_timeout(grace).ok())
            .unwrap_or_default();
        outcome.stderr = stderr
            .and_then(|rx| rx.recv_timeout(grace).ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        outcome
    }

    /// Starts a command whose standard output is streamed to the caller (the
    /// log). A watchdog kills its process group at the time limit, which ends
    /// the stream; [`Streaming::finish`] then reports how it ended.
    pub(crate) fn stream(
        &self,
        command: MacCommand,
        args: &[OsString],
        timeout: Duration,
    ) -> Streaming {
        let (mut process, command_line) = self.command(command, args, None);
        let timeout = self.limit(timeout);
        let deadline = Instant::now() + timeout;
        process
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match process.spawn() {
            Ok(mut child) => {
                let stdout = child.stdout.take();
                let stderr = child
                    .stderr
                    .take()
                    .map(|err| read_capped_in_background(err, MAX_STDERR));
                let child = Arc::new(Mutex::new(child));
                let timed_out = Arc::new(AtomicBool::new(false));
                let (done_tx, done_rx) = mpsc::channel::<()>();
                let watchdog = {
                    let child = Arc::clone(&child);
                    let timed_out = Arc::clone(&timed_out);
                    thread::spawn(move || {
                        if let Err(mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(timeout)
                        {
                            timed_out.store(true, Ordering::SeqCst);
                            if let Ok(mut child) = child.lock() {
                                kill_group(&mut child);
                            }
                        }
                    })
                };
                Streaming {
                    command_line,
                    stdout,
                    deadline,
                    running: Some(Running {
                        child,
                        stderr,
                        timed_out,
                        done: done_tx,
                        watchdog,
                    }),
                    spawn_error: None,
                }
            }
            Err(error) => Streaming {
                command_line,
                stdout: None,
                deadline,
                running: None,
                spawn_error: Some(error.to_string()),
            },
        }
    }
}

struct Running {
    child: Arc<Mutex<Child>>,
    stderr: Option<mpsc::Receiver<Vec<u8>>>,
    timed_out: Arc<AtomicBool>,
    done: mpsc::Sender<()>,
    watchdog: thread::JoinHandle<()>,
}

/// A command whose output is being streamed.
pub(crate) struct Streaming {
    command_line: String,
    stdout: Option<ChildStdout>,
    /// When reading stops, whoever still holds the pipe.
    deadline: Instant,
    running: Option<Running>,
    spawn_error: Option<String>,
}

impl Read for Streaming {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(out) = self.stdout.as_mut() else {
            return Ok(0);
        };
        // Wait for data no longer than the deadline: after it, the stream
        // ends even if an escaped grandchild keeps the pipe open.
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                if let Some(running) = &self.running {
                    running.timed_out.store(true, Ordering::SeqCst);
                }
                self.stdout = None;
                return Ok(0);
            }
            if readable_within(out, left.min(Duration::from_millis(200)))? {
                return out.read(buf);
            }
        }
    }
}

/// Whether `pipe` has data (or its end) within `wait`.
#[cfg(unix)]
fn readable_within(pipe: &ChildStdout, wait: Duration) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    let mut poll = libc::pollfd {
        fd: pipe.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = libc::c_int::try_from(wait.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: poll(2) on one pollfd that lives on our stack for the call.
    let ready = unsafe { libc::poll(&mut poll, 1, millis) };
    match ready {
        -1 => {
            let error = io::Error::last_os_error();
            if error.kind() == io::ErrorKind::Interrupted {
                Ok(false)
            } else {
                Err(error)
            }
        }
        0 => Ok(false),
        _ => Ok(true),
    }
}

/// Without poll, reads block as they come.
#[cfg(not(unix))]
fn readable_within(_pipe: &ChildStdout, _wait: Duration) -> io::Result<bool> {
    Ok(true)
}

impl Streaming {
    /// Stops the watchdog, reaps the command (killing it if it is still
    /// running after its output ended) and reports how it ended.
    pub(crate) fn finish(mut self) -> CommandOutcome {
        self.stdout = None;
        let mut outcome = CommandOutcome {
            command_line: self.command_line.clone(),
            spawn_error: self.spawn_error.take(),
            ..CommandOutcome::default()
        };
        let Some(running) = self.running.take() else {
            return outcome;
        };
        let _ = running.done.send(());
        let _ = running.watchdog.join();
        outcome.timed_out = running.timed_out.load(Ordering::SeqCst);
        if let Ok(mut child) = running.child.lock() {
            let deadline = Instant::now() + Duration::from_secs(2);
            let status = loop {
                match child.try_wait() {
                    Ok(Some(status)) => break Some(status),
                    Ok(None) if Instant::now() >= deadline => {
                        kill_group(&mut child);
                        break child.wait().ok();
                    }
                    Ok(None) => thread::sleep(Duration::from_millis(5)),
                    Err(_) => break None,
                }
            };
            outcome.status = status.and_then(|s| s.code());
            kill_group(&mut child);
        }
        outcome.stderr = running
            .stderr
            .and_then(|rx| rx.recv_timeout(Duration::from_millis(500)).ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        outcome
    }
}

/// Reads a pipe to its end in a thread, keeping at most `cap` bytes.
fn read_capped_in_background(
    mut pipe: impl Read + Send + 'static,
    cap: usize,
) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&chunk[..n.min(room)]);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = tx.send(kept);
    });
    rx
}

/// Kills the child's whole process group (it was started as its leader).
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        if let Ok(pid) = i32::try_from(child.id()) {
            // SAFETY: kill(2) with a negative pid signals a process group; it
            // touches no memory of ours.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
}

/// Whether this process runs with root privileges.
pub(crate) fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid(2) has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Builds an argument list from string slices.
pub(crate) fn args(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn stub(dir: &std::path::Path, command: MacCommand, script: &str) {
        let path = dir.join(command.stub_name());
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn seam(dir: &std::path::Path) -> CommandRunner {
        CommandRunner {
            stub_dir: Some(dir.to_path_buf()),
            deadline: None,
        }
    }

    #[test]
    fn runs_without_a_shell_and_captures_output() {
        let dir = tempfile::tempdir().unwrap();
        stub(
            dir.path(),
            MacCommand::Dscl,
            "printf '%s|' \"$@\"; echo oops >&2; exit 3",
        );
        let outcome = seam(dir.path()).run(
            MacCommand::Dscl,
            &args(&[".", "-read", "/Users/a b; rm -rf /"]),
            &RunOptions::with_timeout(Duration::from_secs(5)),
        );
        assert_eq!(outcome.stdout_text(), ".|-read|/Users/a b; rm -rf /|");
        assert_eq!(outcome.status, Some(3));
        assert!(
            outcome.describe().contains("exited with status 3: oops"),
            "{}",
            outcome.describe()
        );
    }

    #[test]
    fn passes_standard_input() {
        let dir = tempfile::tempdir().unwrap();
        stub(dir.path(), MacCommand::Scutil, "cat");
        let options = RunOptions {
            stdin: Some(b"show State:/Users/ConsoleUser\n".to_vec()),
            ..RunOptions::with_timeout(Duration::from_secs(5))
        };
        let outcome = seam(dir.path()).run(MacCommand::Scutil, &[], &options);
        assert_eq!(outcome.stdout_text(), "show State:/Users/ConsoleUser\n");
    }

    #[test]
    fn kills_a_hung_command_and_its_children() {
        let dir = tempfile::tempdir().unwrap();
        stub(
            dir.path(),
            MacCommand::Security,
            "sleep 30 & sleep 30; echo never",
        );
        let started = Instant::now();
        let outcome = seam(dir.path()).run(
            MacCommand::Security,
            &[],
            &RunOptions::with_timeout(Duration::from_millis(300)),
        );
        assert!(outcome.timed_out);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert!(!outcome.succeeded());
    }

    #[test]
    fn missing_command_is_described_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let outcome = seam(dir.path()).run(
            MacCommand::AppSso,
            &[],
            &RunOptions::with_timeout(Duration::from_secs(1)),
        );
        assert!(outcome.spawn_error.is_some());
        assert!(outcome.describe().starts_with("could not run app-sso"));
    }

    #[test]
    fn streaming_stops_at_the_time_limit() {
        let dir = tempfile::tempdir().unwrap();
        stub(
            dir.path(),
            MacCommand::Log,
            "echo first; sleep 30; echo never",
        );
        let mut stream = seam(dir.path()).stream(MacCommand::Log, &[], Duration::from_millis(300));
        let started = Instant::now();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        let outcome = stream.finish();
        assert_eq!(text, "first\n");
        assert!(outcome.timed_out);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn production_paths_are_absolute() {
        for command in [
            MacCommand::Log,
            MacCommand::Scutil,
            MacCommand::Dscl,
            MacCommand::AppSso,
            MacCommand::Security,
            MacCommand::Agent,
        ] {
            assert!(CommandRunner::production().path(command).is_absolute());
        }
    }
}

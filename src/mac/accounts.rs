//! Who to analyse and where their files are: the console user (from `scutil`,
//! or the last user from loginwindow's preferences when nobody is logged in)
//! and each account's home folder and IDs from the directory service
//! (`dscl`), not from assuming `/Users/<name>`.

use super::paths::SystemPaths;
use super::plist_values::as_text;
use super::runner::{CommandRunner, MacCommand, RunOptions, args};
use super::user::UserName;
use crate::util::files::read_capped;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// Time limit of each directory-service or scutil call.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(10);

/// Accounts that are never the person at the Mac.
const NOT_A_PERSON: &[&str] = &["loginwindow", "_mbsetupuser", "root", ""];

/// How the user to analyse was chosen, for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChosenBy {
    /// `--user`.
    Flag,
    /// The console user.
    Console,
    /// Nobody was logged in: loginwindow's `lastUserName`.
    LastUser,
    /// `--all-users`: every account with the agent's preferences.
    AllUsers,
    /// A user named in a bundle's manifest.
    Bundle,
    /// Nobody: a plain log export names no user, so every line counts and
    /// reports say `<user>`.
    Unknown,
}

impl ChosenBy {
    /// How the report says it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            ChosenBy::Flag => "--user",
            ChosenBy::Console => "console user",
            ChosenBy::LastUser => "most recent user (nobody logged in)",
            ChosenBy::AllUsers => "all users",
            ChosenBy::Bundle => "bundle",
            ChosenBy::Unknown => "not known (a plain log export)",
        }
    }
}

/// Whose registration to analyse.
#[derive(Clone, Debug)]
pub(crate) enum UserSelection {
    /// One account (`--user`).
    Named(UserName),
    /// The console user, or the most recent user when nobody is logged in.
    Console,
    /// Every account that has the agent's preferences (`--all-users`).
    All,
    /// These accounts (the users of a bundle).
    List(Vec<UserName>),
    /// No one known (a plain log export): a placeholder account.
    Unknown,
}

/// Where accounts are looked up: the directory service describes this Mac
/// only when the files are this Mac's (`--root /`) or the analysis is live;
/// otherwise homes are assumed to be `/Users/<name>`.
pub(crate) struct Directory<'a> {
    /// The macOS commands.
    pub(crate) runner: &'a CommandRunner,
    /// The Mac's files.
    pub(crate) paths: &'a SystemPaths,
    /// Whether `dscl` describes the Mac whose files are read.
    pub(crate) applies: bool,
}

impl Directory<'_> {
    /// The account of `user`, chosen `chosen_by`.
    pub(crate) fn account(&self, user: &UserName, chosen_by: ChosenBy) -> Account {
        if self.applies {
            lookup(self.runner, user, chosen_by)
        } else {
            Account::assumed(user.clone(), chosen_by, "assumed /Users/<name>")
        }
    }

    /// Finds the accounts `selection` names. Fails when there is no one to
    /// analyse (nobody at the console and no last user, or nobody with the
    /// agent's preferences).
    pub(crate) fn resolve(&self, selection: &UserSelection) -> anyhow::Result<Vec<Account>> {
        match selection {
            UserSelection::Named(user) => Ok(vec![self.account(user, ChosenBy::Flag)]),
            UserSelection::Unknown => Ok(vec![Account::placeholder()]),
            UserSelection::List(users) => Ok(users
                .iter()
                .map(|user| self.account(user, ChosenBy::Bundle))
                .collect()),
            UserSelection::Console => {
                let (user, how) = console_user(self.runner, self.paths).map_err(|reason| {
                    anyhow::anyhow!("no user to analyse ({reason}): pass --user")
                })?;
                Ok(vec![self.account(&user, how)])
            }
            UserSelection::All => {
                let listed = if self.applies {
                    list_accounts(self.runner).ok()
                } else {
                    None
                };
                let candidates = listed.unwrap_or_else(|| users_folder(self.paths));
                let chosen: Vec<Account> = candidates
                    .into_iter()
                    .filter(|(_, home)| self.paths.user_agent_prefs(home).exists())
                    .map(|(user, _)| self.account(&user, ChosenBy::AllUsers))
                    .collect();
                anyhow::ensure!(
                    !chosen.is_empty(),
                    "no user has the agent's preferences (com.jamf.management.jamfAAD.plist)"
                );
                Ok(chosen)
            }
        }
    }
}

/// Accounts from the `Users` folder under the root, when the directory
/// service does not apply.
fn users_folder(paths: &SystemPaths) -> Vec<(UserName, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(paths.mac_path(Path::new("/Users"))) else {
        return Vec::new();
    };
    let mut found: Vec<(UserName, PathBuf)> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = UserName::parse(&entry.file_name().to_string_lossy()).ok()?;
            let home = PathBuf::from("/Users").join(name.as_str());
            Some((name, home))
        })
        .collect();
    found.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    found
}

/// Finds the console user, or with nobody logged in the most recent one.
/// The error says what was tried.
pub(crate) fn console_user(
    runner: &CommandRunner,
    paths: &SystemPaths,
) -> anyhow::Result<(UserName, ChosenBy)> {
    let options = RunOptions {
        stdin: Some(b"show State:/Users/ConsoleUser\n".to_vec()),
        ..RunOptions::with_timeout(LOOKUP_TIMEOUT)
    };
    let outcome = runner.run(MacCommand::Scutil, &[], &options);
    let mut tried = Vec::new();
    if outcome.succeeded() {
        match parse_console_user(&outcome.stdout_text()) {
            Some(name) => match UserName::parse(&name) {
                Ok(user) => return Ok((user, ChosenBy::Console)),
                Err(e) => tried.push(format!("console user refused: {e}")),
            },
            None => tried.push("nobody is logged in".to_string()),
        }
    } else {
        tried.push(outcome.describe());
    }
    match last_user(paths) {
        Some(name) => UserName::parse(&name)
            .map(|u| (u, ChosenBy::LastUser))
            .map_err(|e| anyhow::anyhow!("{e}")),
        None => {
            tried.push("no lastUserName in com.apple.loginwindow.plist".to_string());
            Err(anyhow::Error::msg(tried.join("; ")))
        }
    }
}

/// The `Name` of `scutil`'s `State:/Users/ConsoleUser`, unless it is a
/// system account (the login window, Setup Assistant, root).
pub(crate) fn parse_console_user(output: &str) -> Option<String> {
    output
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Name :"))
        .map(|name| name.trim().to_string())
        .find(|name| !NOT_A_PERSON.contains(&name.as_str()))
}

fn last_user(paths: &SystemPaths) -> Option<String> {
    let bytes = read_capped(&paths.loginwindow_prefs(), 1 << 20).ok()??;
    let value = crate::util::plist::parse(&bytes).ok()?;
    let name = value
        .as_dictionary()?
        .get("lastUserName")
        .and_then(as_text)?;
    (!NOT_A_PERSON.contains(&name.as_str())).then_some(name)
}

/// An account to analyse: the one shape of "the user" from the command
/// line to the facts of a verdict.
#[derive(Clone, Debug)]
pub(crate) struct Account {
    /// Short name.
    pub(crate) name: UserName,
    /// Home folder as the Mac sees it (absolute).
    pub(crate) home: PathBuf,
    /// `UniqueID`, when the directory service said.
    pub(crate) uid: Option<u32>,
    /// `PrimaryGroupID`, when the directory service said.
    pub(crate) gid: Option<u32>,
    /// How the home folder was found, for the report.
    pub(crate) home_source: String,
    /// How the account was chosen, for the report.
    pub(crate) chosen_by: ChosenBy,
    /// The directory service has a record of it.
    pub(crate) in_directory: bool,
}

impl Account {
    /// The account of a report whose user is not known (`<user>`).
    pub(crate) fn placeholder() -> Self {
        let name = UserName::placeholder();
        Account::assumed(name, ChosenBy::Unknown, "not known")
    }

    /// Whether this is a real account, not the placeholder of a report
    /// whose user is not known.
    pub(crate) fn is_known(&self) -> bool {
        self.chosen_by != ChosenBy::Unknown
    }

    /// An account whose home is assumed to be `/Users/<name>`, for `why`.
    pub(crate) fn assumed(name: UserName, chosen_by: ChosenBy, why: &str) -> Self {
        Account {
            home: PathBuf::from("/Users").join(name.as_str()),
            name,
            uid: None,
            gid: None,
            home_source: why.to_string(),
            chosen_by,
            in_directory: false,
        }
    }
}

/// Looks the account up in the directory service. When that fails the home
/// is assumed to be `/Users/<name>` and the reason is kept.
pub(crate) fn lookup(runner: &CommandRunner, user: &UserName, chosen_by: ChosenBy) -> Account {
    let outcome = runner.run(
        MacCommand::Dscl,
        &args(&[
            ".",
            "-read",
            &format!("/Users/{user}"),
            "NFSHomeDirectory",
            "UniqueID",
            "PrimaryGroupID",
        ]),
        &RunOptions::with_timeout(LOOKUP_TIMEOUT),
    );
    let fallback = PathBuf::from("/Users").join(user.as_str());
    if !outcome.succeeded() {
        return Account {
            name: user.clone(),
            home: fallback,
            uid: None,
            gid: None,
            home_source: format!("assumed /Users/{user} ({})", outcome.describe()),
            chosen_by,
            in_directory: false,
        };
    }
    let fields = parse_dscl_record(&outcome.stdout_text());
    let field = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let (home, home_source) = match field("NFSHomeDirectory").filter(|h| is_safe_home(Path::new(h)))
    {
        Some(home) => (PathBuf::from(home), "directory service".to_string()),
        None => (
            fallback,
            format!("assumed /Users/{user} (no usable NFSHomeDirectory)"),
        ),
    };
    Account {
        name: user.clone(),
        home,
        uid: field("UniqueID").and_then(|v| v.parse().ok()),
        gid: field("PrimaryGroupID").and_then(|v| v.parse().ok()),
        home_source,
        chosen_by,
        in_directory: true,
    }
}

/// Every account the directory service lists with its home folder
/// (`dscl . -list /Users NFSHomeDirectory`).
pub(crate) fn list_accounts(runner: &CommandRunner) -> anyhow::Result<Vec<(UserName, PathBuf)>> {
    let outcome = runner.run(
        MacCommand::Dscl,
        &args(&[".", "-list", "/Users", "NFSHomeDirectory"]),
        &RunOptions::with_timeout(LOOKUP_TIMEOUT),
    );
    if !outcome.succeeded() {
        return Err(anyhow::Error::msg(outcome.describe()));
    }
    Ok(outcome
        .stdout_text()
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let name = UserName::parse(parts.next()?).ok()?;
            let home = PathBuf::from(parts.collect::<Vec<_>>().join(" "));
            is_safe_home(&home).then_some((name, home))
        })
        .collect())
}

/// `key: value` pairs of `dscl -read` output; a value may also sit on the
/// next line, indented (how dscl prints long values).
pub(crate) fn parse_dscl_record(output: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in output.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some((_, value)) = fields.last_mut()
                && value.is_empty()
            {
                *value = line.trim().to_string();
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            fields.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    fields
}

/// A home folder must be absolute and plain: no `..`.
fn is_safe_home(home: &Path) -> bool {
    home.is_absolute()
        && home.components().count() > 1
        && home
            .components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_user_ignores_system_accounts() {
        let out = "<dictionary> {\n  GID : 20\n  Name : jdoe\n  UID : 501\n}\n";
        assert_eq!(parse_console_user(out).as_deref(), Some("jdoe"));
        for system in ["loginwindow", "_mbsetupuser", "root"] {
            let out = format!("<dictionary> {{\n  Name : {system}\n}}\n");
            assert_eq!(parse_console_user(&out), None);
        }
        assert_eq!(parse_console_user("  No such key\n"), None);
    }

    #[test]
    fn dscl_values_on_the_same_or_next_line() {
        let out =
            "NFSHomeDirectory:\n /Volumes/Data/Users/j doe\nPrimaryGroupID: 20\nUniqueID: 501\n";
        let fields = parse_dscl_record(out);
        assert_eq!(
            fields[0],
            (
                "NFSHomeDirectory".into(),
                "/Volumes/Data/Users/j doe".into()
            )
        );
        assert_eq!(fields[2], ("UniqueID".into(), "501".into()));
    }

    #[test]
    fn unsafe_homes_are_refused() {
        assert!(is_safe_home(Path::new("/Users/jdoe")));
        for bad in ["Users/jdoe", "/", "/Users/../etc"] {
            assert!(!is_safe_home(Path::new(bad)), "{bad}");
        }
    }
}

//! Who to analyse and where their files are: the console user (from `scutil`,
//! or the last user from loginwindow's preferences when nobody is logged in)
//! and each account's home folder and IDs from the directory service
//! (`dscl`), not from assuming `/Users/<name>`.

use super::SystemPaths;
use super::commands::{MacCommand, MacCommands, RunOptions, args};
use super::plist_values::as_text;
use super::user::UserName;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// Time limit of each directory-service or scutil call.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(10);

/// Accounts that are never the person at the Mac.
const NOT_A_PERSON: &[&str] = &["loginwindow", "_mbsetupuser", "root", ""];

/// How the user to analyse was chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChosenBy {
    /// `--user`.
    Flag,
    /// The console user.
    Console,
    /// Nobody was logged in: loginwindow's `lastUserName`.
    LastUser,
}

/// Finds the console user, or with nobody logged in the most recent one.
/// The error says what was tried.
pub fn console_user(
    commands: &MacCommands,
    paths: &SystemPaths,
) -> Result<(UserName, ChosenBy), String> {
    let options = RunOptions {
        stdin: Some(b"show State:/Users/ConsoleUser\n".to_vec()),
        ..RunOptions::with_timeout(LOOKUP_TIMEOUT)
    };
    let outcome = commands.run(MacCommand::Scutil, &[], &options);
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
            .map_err(|e| e.to_string()),
        None => {
            tried.push("no lastUserName in com.apple.loginwindow.plist".to_string());
            Err(tried.join("; "))
        }
    }
}

/// The `Name` of `scutil`'s `State:/Users/ConsoleUser`, unless it is a
/// system account (the login window, Setup Assistant, root).
pub fn parse_console_user(output: &str) -> Option<String> {
    output
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Name :"))
        .map(|name| name.trim().to_string())
        .find(|name| !NOT_A_PERSON.contains(&name.as_str()))
}

fn last_user(paths: &SystemPaths) -> Option<String> {
    let value = plist::Value::from_file(paths.loginwindow_prefs()).ok()?;
    let name = value
        .as_dictionary()?
        .get("lastUserName")
        .and_then(as_text)?;
    (!NOT_A_PERSON.contains(&name.as_str())).then_some(name)
}

/// An account to analyse.
#[derive(Clone, Debug)]
pub struct Account {
    /// Short name.
    pub name: UserName,
    /// Home folder as the Mac sees it (absolute).
    pub home: PathBuf,
    /// `UniqueID`, when the directory service said.
    pub uid: Option<u32>,
    /// `PrimaryGroupID`, when the directory service said.
    pub gid: Option<u32>,
    /// How the home folder was found, for the report.
    pub home_source: String,
}

/// Looks the account up in the directory service. When that fails the home
/// is assumed to be `/Users/<name>` and the reason is kept.
pub fn lookup(commands: &MacCommands, user: &UserName) -> Account {
    let outcome = commands.run(
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
    }
}

/// Every account the directory service lists with its home folder
/// (`dscl . -list /Users NFSHomeDirectory`).
pub fn list_accounts(commands: &MacCommands) -> Result<Vec<(UserName, PathBuf)>, String> {
    let outcome = commands.run(
        MacCommand::Dscl,
        &args(&[".", "-list", "/Users", "NFSHomeDirectory"]),
        &RunOptions::with_timeout(LOOKUP_TIMEOUT),
    );
    if !outcome.succeeded() {
        return Err(outcome.describe());
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
pub fn parse_dscl_record(output: &str) -> Vec<(String, String)> {
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

//! Parsing of the analysis clock (`--now`), window lengths (`--since`) and
//! log timestamps, and the one way times are printed.

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, TimeZone};

/// Parses `--now`: RFC 3339 (`2026-11-20T12:00:00-05:00`, `...Z`, or a space
/// instead of `T`).
pub(crate) fn parse_now(text: &str) -> Result<DateTime<FixedOffset>> {
    let trimmed = text.trim();
    let with_t = trimmed.replacen(' ', "T", 1);
    if let Ok(time) = DateTime::parse_from_rfc3339(&with_t) {
        return Ok(time);
    }
    const EXAMPLE: &str = "2026-11-20T12:00:00-05:00";
    if chrono::NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").is_ok() {
        bail!(
            "{text:?} is a date without a time: give the time and UTC offset too, e.g. {EXAMPLE}"
        );
    }
    if chrono::NaiveDateTime::parse_from_str(&with_t, "%Y-%m-%dT%H:%M:%S%.f").is_ok() {
        bail!("{text:?} has no UTC offset: add one (Z, -05:00, +01:00), e.g. {EXAMPLE}");
    }
    bail!("expected an RFC 3339 time such as {EXAMPLE}, got {text:?}")
}

/// Parses `--since`: one or more `<number><unit>` pairs, units `s m h d w`
/// (`5d`, `36h`, `1d12h`).
pub(crate) fn parse_duration(text: &str) -> Result<Duration> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        bail!("expected a duration such as 5d, 36h or 90m, got an empty value");
    }
    let mut total = Duration::zero();
    let mut digits = String::new();
    for c in trimmed.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let amount: i64 = digits
            .parse()
            .with_context(|| format!("expected a number before '{c}' in {text:?}"))?;
        digits.clear();
        let seconds_per_unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            other => bail!("unknown unit '{other}' in {text:?} (use s, m, h, d or w)"),
        };
        let part = amount
            .checked_mul(seconds_per_unit)
            .and_then(Duration::try_seconds)
            .with_context(|| format!("duration {text:?} is too large"))?;
        total = total
            .checked_add(&part)
            .with_context(|| format!("duration {text:?} is too large"))?;
    }
    if !digits.is_empty() {
        bail!("missing unit after {digits} in {text:?} (use s, m, h, d or w)");
    }
    if total <= Duration::zero() {
        bail!("duration {text:?} must be longer than zero");
    }
    Ok(total)
}

/// Parses a log timestamp: `2026-11-18 09:00:03.512207-0500`, with or without
/// fraction and offset, or RFC 3339. Returns the time and whether it carried
/// an offset; local times are placed in `local_offset`.
pub(crate) fn parse_log_time(
    text: &str,
    local_offset: FixedOffset,
) -> Option<(DateTime<FixedOffset>, bool)> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some((t, true));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some((t, true));
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            let resolved = local_offset.from_local_datetime(&naive).single()?;
            return Some((resolved, false));
        }
    }
    None
}

/// Formats a time as `YYYY-MM-DD hh:mm:ss` in the given offset: the Jamf Pro
/// Date extension-attribute format, also used in reports.
pub(crate) fn format_local(time: DateTime<FixedOffset>, offset: FixedOffset) -> String {
    time.with_timezone(&offset)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Describes how long ago `then` was, relative to `now`, e.g. `3 h ago`.
pub(crate) fn describe_age(then: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> String {
    let age = now.signed_duration_since(then);
    if age < Duration::zero() {
        return "in the future".to_string();
    }
    let minutes = age.num_minutes();
    if minutes < 120 {
        format!("{minutes} min ago")
    } else if minutes < 48 * 60 {
        format!("{} h ago", minutes / 60)
    } else {
        format!("{} days ago", minutes / (24 * 60))
    }
}

/// Folders a `TZ` name is looked up in, as the time-zone reader does.
const ZONEINFO: &[&str] = &["/usr/share/zoneinfo", "/share/zoneinfo", "/etc/zoneinfo"];

/// Largest time-zone file: real ones are a few KiB.
const MAX_ZONE_FILE: u64 = 1 << 20;

/// Why the time zone `TZ` names must not be read, when it must not: a
/// file it names that is no small regular file (a device such as
/// `/dev/zero` would be read without end), or a name that climbs out of
/// the zone folders.
pub(crate) fn unsafe_time_zone(tz: &str) -> Option<String> {
    let name = tz.strip_prefix(':').unwrap_or(tz);
    if name.split('/').any(|part| part == "..") {
        return Some(format!("TZ={tz} climbs out of the time-zone folders"));
    }
    let candidates: Vec<std::path::PathBuf> = if name.starts_with('/') {
        vec![std::path::PathBuf::from(name)]
    } else {
        ZONEINFO
            .iter()
            .map(|dir| std::path::Path::new(dir).join(name))
            .collect()
    };
    candidates
        .iter()
        .find_map(|path| match std::fs::metadata(path) {
            Ok(m) if m.is_file() && m.len() <= MAX_ZONE_FILE => None,
            Ok(m) if m.is_file() => Some(format!("TZ={tz}: larger than 1 MiB")),
            Ok(_) => Some(format!("TZ={tz}: not a regular file")),
            Err(_) => None,
        })
}

/// Removes `TZ` from the environment when [`unsafe_time_zone`] says so
/// (the local time is then the system's), with one line on standard error.
/// Called first thing, before any thread starts.
pub(crate) fn drop_unsafe_time_zone() {
    let Some(tz) = std::env::var_os("TZ") else {
        return;
    };
    if let Some(why) = unsafe_time_zone(&tz.to_string_lossy()) {
        eprintln!("ca-doctor: {why}: ignored");
        // SAFETY: called at the start of `run`, before any other thread
        // of this process exists.
        unsafe { std::env::remove_var("TZ") };
    }
}

/// The system's clock, in its own offset: the one place ca-doctor reads
/// it (a run without `--now`).
pub(crate) fn system_clock() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_zone_that_names_a_device_or_climbs_out_is_unsafe() {
        assert!(unsafe_time_zone("/dev/zero").is_some());
        assert!(unsafe_time_zone(":/dev/urandom").is_some());
        assert!(unsafe_time_zone("../../../dev/zero").is_some());
        assert!(unsafe_time_zone("/tmp").is_some());
        assert_eq!(unsafe_time_zone("America/New_York"), None);
        assert_eq!(unsafe_time_zone("EST5EDT"), None);
        assert_eq!(unsafe_time_zone("UTC"), None);
    }

    fn offset(hours: i32) -> FixedOffset {
        FixedOffset::east_opt(hours * 3600).unwrap()
    }

    #[test]
    fn now_accepts_rfc3339_forms() {
        assert!(parse_now("2026-11-20T12:00:00-05:00").is_ok());
        assert!(parse_now("2026-11-20T17:00:00Z").is_ok());
        assert!(parse_now("2026-11-20 12:00:00-05:00").is_ok());
        assert!(parse_now("yesterday").is_err());
        assert!(parse_now("").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5d").unwrap(), Duration::days(5));
        assert_eq!(parse_duration("1d12h").unwrap(), Duration::hours(36));
        assert_eq!(parse_duration("90m").unwrap(), Duration::minutes(90));
        for bad in [
            "",
            "5",
            "d",
            "5x",
            "0d",
            "-5d",
            "99999999999999999999d",
            "9223372036854775807w",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn log_times_with_and_without_offsets() {
        let (t, zoned) = parse_log_time("2026-11-18 09:00:03.512207-0500", offset(0)).unwrap();
        assert!(zoned);
        assert_eq!(t.to_rfc3339(), "2026-11-18T09:00:03.512207-05:00");
        let (t, zoned) = parse_log_time("2026-11-18 09:00:03.512", offset(1)).unwrap();
        assert!(!zoned);
        assert_eq!(t.to_rfc3339(), "2026-11-18T09:00:03.512+01:00");
        assert!(parse_log_time("2026-13-18 09:00:03", offset(0)).is_none());
        assert!(parse_log_time("garbage", offset(0)).is_none());
    }

    #[test]
    fn ages() {
        let now = parse_now("2026-11-20T12:00:00Z").unwrap();
        assert_eq!(
            describe_age(parse_now("2026-11-20T11:00:00Z").unwrap(), now),
            "60 min ago"
        );
        assert_eq!(
            describe_age(parse_now("2026-11-17T12:00:00Z").unwrap(), now),
            "3 days ago"
        );
    }
}

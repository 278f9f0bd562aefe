//! Tolerant conversions of plist values: real Macs store the same key as a
//! bool, integer, real, string or date depending on who wrote it last.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use plist::Value;

/// Reads a flag written as bool, integer (`0`/`1`), real, or string
/// (`"1"`, `"true"`, `"YES"`...). `None` when the value means nothing.
pub(crate) fn as_flag(value: &Value) -> Option<bool> {
    match value {
        Value::Boolean(b) => Some(*b),
        Value::Integer(i) => i
            .as_signed()
            .map(|n| n != 0)
            .or(i.as_unsigned().map(|n| n != 0)),
        Value::Real(r) => r.is_finite().then_some(*r != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "y" => Some(true),
            "0" | "false" | "no" | "n" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Reads an epoch-seconds timestamp written as integer, real, numeric string
/// (remediation scripts write `"0"`) or a plist date. Zero and negative values
/// mean "never" and give `None`.
pub(crate) fn as_epoch_time(value: &Value) -> Option<DateTime<FixedOffset>> {
    let seconds: f64 = match value {
        Value::Integer(i) => i
            .as_signed()
            .map(|n| n as f64)
            .or(i.as_unsigned().map(|n| n as f64))?,
        Value::Real(r) => *r,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        Value::Date(d) => {
            let system_time: std::time::SystemTime = (*d).into();
            let utc: DateTime<Utc> = system_time.into();
            return Some(utc.fixed_offset());
        }
        _ => return None,
    };
    if !seconds.is_finite() || seconds <= 0.0 {
        return None;
    }
    let whole = seconds.trunc();
    if whole > i64::MAX as f64 {
        return None;
    }
    let nanos = ((seconds - whole) * 1e9) as u32;
    Utc.timestamp_opt(whole as i64, nanos)
        .single()
        .map(|t| t.fixed_offset())
}

/// Reads a string value; numbers are turned into text so an ID written as an
/// integer is still found.
pub(crate) fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Integer(i) => Some(i.to_string()),
        Value::Real(r) => Some(r.to_string()),
        Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_in_every_form() {
        assert_eq!(as_flag(&Value::Boolean(false)), Some(false));
        assert_eq!(as_flag(&Value::Integer(1.into())), Some(true));
        assert_eq!(as_flag(&Value::Integer(0.into())), Some(false));
        assert_eq!(as_flag(&Value::String("1".into())), Some(true));
        assert_eq!(as_flag(&Value::String(" FALSE ".into())), Some(false));
        assert_eq!(as_flag(&Value::Real(1.0)), Some(true));
        assert_eq!(as_flag(&Value::String("maybe".into())), None);
        assert_eq!(as_flag(&Value::Array(vec![])), None);
    }

    #[test]
    fn timestamps_in_every_form() {
        let expect = "2026-11-20T10:00:00+00:00";
        let epoch = 1_795_168_800_i64;
        assert_eq!(
            as_epoch_time(&Value::Integer(epoch.into()))
                .unwrap()
                .to_rfc3339(),
            expect
        );
        assert_eq!(
            as_epoch_time(&Value::Real(epoch as f64))
                .unwrap()
                .to_rfc3339(),
            expect
        );
        assert_eq!(
            as_epoch_time(&Value::String(epoch.to_string()))
                .unwrap()
                .to_rfc3339(),
            expect
        );
        let date: plist::Date = std::time::SystemTime::UNIX_EPOCH
            .checked_add(std::time::Duration::from_secs(epoch as u64))
            .unwrap()
            .into();
        assert_eq!(
            as_epoch_time(&Value::Date(date)).unwrap().to_rfc3339(),
            expect
        );
    }

    #[test]
    fn never_and_nonsense_timestamps() {
        assert_eq!(as_epoch_time(&Value::String("0".into())), None);
        assert_eq!(as_epoch_time(&Value::Integer(0.into())), None);
        assert_eq!(as_epoch_time(&Value::Real(f64::NAN)), None);
        assert_eq!(as_epoch_time(&Value::Real(1e300)), None);
        assert_eq!(as_epoch_time(&Value::String("soon".into())), None);
        assert_eq!(as_epoch_time(&Value::Boolean(true)), None);
    }
}

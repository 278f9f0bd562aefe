//! The one set of keys that says which of the tenant's records belong to
//! the Macs or the device asked about: device IDs, users (UPNs), device
//! names, serial numbers, Jamf Pro computer IDs and app IDs. A fetch asks
//! Graph and Jamf Pro by them; each reader says whether one of its records
//! belongs and grows the keys by what a kept record reveals (see
//! `belongs` and `reveal` on the records of `entra` and `jamf_pro`).

use crate::tenant::kind::Selector;
use crate::util::guid::Guid;
use serde::{Serialize, Serializer};
use std::collections::BTreeSet;

/// Text keys as they were given (their case and order kept: what Graph
/// and Jamf Pro are asked for), matched without regard to case.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyList {
    given: Vec<String>,
    folded: BTreeSet<String>,
}

impl KeyList {
    /// Adds `value` unless empty or already there (in any case); whether
    /// it was new.
    pub(crate) fn add(&mut self, value: &str) -> bool {
        if value.is_empty() || !self.folded.insert(value.to_lowercase()) {
            return false;
        }
        self.given.push(value.to_string());
        true
    }

    /// Whether `value` is one of the keys, in any case.
    pub(crate) fn has(&self, value: &str) -> bool {
        !value.is_empty() && !self.folded.is_empty() && self.folded.contains(&value.to_lowercase())
    }

    /// The keys as given, in order.
    pub(crate) fn values(&self) -> &[String] {
        &self.given
    }
}

impl<S: AsRef<str>> FromIterator<S> for KeyList {
    fn from_iter<I: IntoIterator<Item = S>>(values: I) -> Self {
        let mut list = KeyList::default();
        for value in values {
            list.add(value.as_ref());
        }
        list
    }
}

impl Serialize for KeyList {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        self.given.serialize(serializer)
    }
}

/// Device IDs in the order they were learnt.
#[derive(Clone, Debug, Default)]
pub(crate) struct DeviceIds {
    given: Vec<Guid>,
    set: BTreeSet<Guid>,
}

impl DeviceIds {
    /// Adds `id`; whether it was new.
    pub(crate) fn add(&mut self, id: Guid) -> bool {
        if !self.set.insert(id) {
            return false;
        }
        self.given.push(id);
        true
    }

    /// Whether `id` is one of them.
    pub(crate) fn has(&self, id: &Guid) -> bool {
        self.set.contains(id)
    }

    /// The IDs, in the order learnt.
    pub(crate) fn values(&self) -> &[Guid] {
        &self.given
    }

    /// Whether there is none.
    pub(crate) fn is_empty(&self) -> bool {
        self.given.is_empty()
    }
}

impl Extend<Guid> for DeviceIds {
    fn extend<I: IntoIterator<Item = Guid>>(&mut self, ids: I) {
        for id in ids {
            self.add(id);
        }
    }
}

impl FromIterator<Guid> for DeviceIds {
    fn from_iter<I: IntoIterator<Item = Guid>>(ids: I) -> Self {
        let mut list = DeviceIds::default();
        list.extend(ids);
        list
    }
}

impl Serialize for DeviceIds {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        self.given.serialize(serializer)
    }
}

/// Which records to keep or ask for (all empty: every record).
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Keys {
    /// Users (UPNs): their sign-ins, the Jamf Pro computers assigned to
    /// them.
    pub(crate) users: KeyList,
    /// Entra device IDs.
    pub(crate) device_ids: DeviceIds,
    /// Device names.
    pub(crate) names: KeyList,
    /// Serial numbers.
    pub(crate) serials: KeyList,
    /// Apps signed in to (Jamf Connect's).
    pub(crate) app_ids: KeyList,
    /// Jamf Pro computer IDs (learnt from the inventory, never asked for).
    #[serde(skip)]
    pub(crate) computer_ids: KeyList,
}

impl Keys {
    /// The values a Graph filter asks for by `selector`.
    pub(crate) fn selected(&self, selector: Selector) -> Vec<String> {
        match selector {
            Selector::User => self.users.values().to_vec(),
            Selector::DeviceId => self
                .device_ids
                .values()
                .iter()
                .map(Guid::to_string)
                .collect(),
            Selector::Name => self.names.values().to_vec(),
            Selector::Serial => self.serials.values().to_vec(),
            Selector::App => self.app_ids.values().to_vec(),
        }
    }

    /// These keys and those of `more`.
    pub(crate) fn add(&mut self, more: &Keys) {
        for user in more.users.values() {
            self.users.add(user);
        }
        self.device_ids
            .extend(more.device_ids.values().iter().copied());
        for (into, from) in [
            (&mut self.names, &more.names),
            (&mut self.serials, &more.serials),
            (&mut self.app_ids, &more.app_ids),
            (&mut self.computer_ids, &more.computer_ids),
        ] {
            for value in from.values() {
                into.add(value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_case_and_order_and_match_in_any_case() {
        let mut names: KeyList = ["Jane's MacBook", "jane's macbook", "", "Lab iMac"]
            .into_iter()
            .collect();
        assert_eq!(names.values(), ["Jane's MacBook", "Lab iMac"]);
        assert!(names.has("JANE'S MACBOOK"));
        assert!(!names.has(""));
        assert!(!names.add("lab imac"));
        assert_eq!(names.values().len(), 2);
        let id = Guid::parse("7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b").unwrap();
        let mut keys = Keys::default();
        keys.device_ids.add(id);
        keys.computer_ids.add("12");
        let json = serde_json::to_value(&keys).unwrap();
        assert_eq!(json["device_ids"][0], id.to_string());
        assert_eq!(json["names"], serde_json::json!([]));
        assert!(json.get("computer_ids").is_none(), "never asked for");
        let mut more = Keys::default();
        more.add(&keys);
        assert!(more.device_ids.has(&id) && more.computer_ids.has("12"));
    }
}

//! The audit after the load: every `Version` names one state, each service user's final
//! state is the one its highest-`Version` change answered (no lost, no phantom write), every
//! share slot is as its last toggle left it, and the change feed lists each user once, at
//! its final `Version`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT;
use serde_json::Value;

use crate::http::Http;
use crate::ops::{Record, Seen};

/// The parts of a `User` a change can set, in a canonical form (sorted lists).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub user_id: String,
    pub status: String,
    pub roles: BTreeSet<String>,
    pub share_users: BTreeSet<String>,
    pub share_tags: BTreeSet<String>,
}

fn strings(v: &Value, field: Option<&str>) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| match field {
            Some(f) => e[f].as_str(),
            None => e.as_str(),
        })
        .map(str::to_owned)
        .collect()
}

pub fn state(u: &Value) -> State {
    State {
        user_id: u["UserId"].as_str().unwrap_or_default().to_owned(),
        status: u["UserStatus"].as_str().unwrap_or_default().to_owned(),
        roles: strings(&u["Roles"], None),
        share_users: strings(&u["Shares"]["Users"], Some("UserId")),
        share_tags: strings(&u["Shares"]["Tags"], Some("TagId")),
    }
}

/// What the audit found; `violations` empty means it passed.
#[derive(Default)]
pub struct Findings {
    pub violations: Vec<String>,
    /// Distinct `Version`s answered by changes (status, role attach and detach).
    pub change_versions: usize,
    /// Change answers in all (no-ops answer the `Version` they found).
    pub changes: usize,
    pub bodies_checked: usize,
}

/// Every `User` body seen: one `Version`, one state, whoever answered it.
fn versions(records: &[Record], f: &mut Findings) -> HashMap<String, (i64, State)> {
    let mut by_version: HashMap<i64, State> = HashMap::new();
    let mut highest_change: HashMap<String, (i64, State)> = HashMap::new();
    let mut change_versions = BTreeSet::new();
    for Seen { op, body } in records.iter().flat_map(|r| &r.seen) {
        let Some(v) = body["Version"].as_i64() else {
            f.violations
                .push(format!("{}: no Version in {body}", op.name()));
            continue;
        };
        let s = state(body);
        f.bodies_checked += 1;
        match by_version.get(&v) {
            Some(known) if *known != s => f
                .violations
                .push(format!("Version {v} names two states: {known:?} and {s:?}")),
            Some(_) => {}
            None => {
                by_version.insert(v, s.clone());
            }
        }
        if op.is_user_change() {
            f.changes += 1;
            change_versions.insert(v);
            let e = highest_change
                .entry(s.user_id.clone())
                .or_insert((v, s.clone()));
            if v > e.0 {
                *e = (v, s);
            }
        }
    }
    f.change_versions = change_versions.len();
    highest_change
}

/// The final state of every service user against its highest-`Version` change and its
/// share slots.
pub async fn audit(http: &Http, users: &[String], records: &[Record], since: i64) -> Findings {
    let mut f = Findings::default();
    let highest = versions(records, &mut f);
    let mut finals: BTreeMap<String, i64> = BTreeMap::new();
    for id in users {
        let r = http
            .get(&format!("/users/{id}"), ALICE_DEFAULT_PAT, None)
            .await;
        if r.status != 200 {
            f.violations
                .push(format!("final GET {id}: {} {}", r.status, r.body));
            continue;
        }
        let (fv, fs) = (r.body["Version"].as_i64().unwrap_or(-1), state(&r.body));
        finals.insert(id.clone(), fv);
        match highest.get(id) {
            None => f
                .violations
                .push(format!("{id}: no change answered during the run")),
            Some((v, s)) => {
                // Share toggles change the user without answering a `Version`: all but its
                // tag shares must be those of the highest change; the whole state when no
                // toggle came after it.
                let settable =
                    |x: &State| (x.status.clone(), x.roles.clone(), x.share_users.clone());
                if settable(&fs) != settable(s) || fv < *v {
                    f.violations.push(format!(
                        "{id}: final {fs:?} at {fv}, highest change {s:?} at {v}"
                    ));
                }
                if fv == *v && fs != *s {
                    f.violations
                        .push(format!("{id}: final {fs:?} differs from {s:?} at {v}"));
                }
            }
        }
        let expected_tags: BTreeSet<String> = records
            .iter()
            .filter_map(|r| r.slot.as_ref())
            .filter(|s| &s.user == id && s.shared)
            .map(|s| s.tag.to_owned())
            .collect();
        if fs.share_tags != expected_tags {
            f.violations.push(format!(
                "{id}: tag shares {:?}, the toggles left {expected_tags:?}",
                fs.share_tags
            ));
        }
    }
    feed(http, &finals, since, &mut f).await;
    f
}

/// The change feed after `since` lists each user once, at its final `Version`.
async fn feed(http: &Http, finals: &BTreeMap<String, i64>, since: i64, f: &mut Findings) {
    let mut listed: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut next = since;
    loop {
        let path = format!("/users?action=get_service_users&since={next}&limit=1000");
        let r = http.get(&path, ALICE_DEFAULT_PAT, None).await;
        if r.status != 200 {
            f.violations.push(format!("feed: {} {}", r.status, r.body));
            return;
        }
        for u in r.body["Users"].as_array().into_iter().flatten() {
            let id = u["UserId"].as_str().unwrap_or_default().to_owned();
            listed
                .entry(id)
                .or_default()
                .push(u["Version"].as_i64().unwrap_or(-1));
        }
        if r.body["Deleted"].as_array().is_some_and(|d| !d.is_empty()) {
            f.violations
                .push(format!("feed: deletions {}", r.body["Deleted"]));
        }
        next = r.body["NextSince"].as_i64().unwrap_or(next);
        if r.body["HasMore"] != Value::Bool(true) {
            break;
        }
    }
    for (id, v) in finals {
        if listed.get(id) != Some(&vec![*v]) {
            f.violations.push(format!(
                "feed: {id} listed at {:?}, final Version {v}",
                listed.get(id)
            ));
        }
    }
}

//! What one load client does: a weighted mix of reads, token issue, acting-as reads, share
//! toggles, status toggles and role attach/detach, as alice (super-admin and plain PATs), bob
//! and carol, against the service users of the run. Every answer is timed and checked
//! against the statuses the contract allows for it; every `User` body seen is kept for the
//! audit.

use std::time::{Duration, Instant};

use amorphic_su_server::seed::demo::{
    ALICE_DEFAULT_PAT, ALICE_SUPERADMIN_PAT, BOB_DEFAULT_PAT, CAROL_DEFAULT_PAT,
};
use rand::rngs::StdRng;
use rand::Rng;
use serde_json::{json, Value};

use crate::http::{Answer, Http};

pub const DEFAULT_ROLE: &str = "SystemRole-DefaultUsers";
pub const ENGINEERS: &str = "role-data-engineers";
pub const ANALYSTS: &str = "role-analysts";
/// The share slots toggled during the run: each (service user, tag) pair belongs to one
/// client, so its last successful toggle is the slot's expected final state.
pub const SLOT_TAGS: [&str; 2] = ["team-data", "team-finance"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    List,
    Get,
    Issue,
    ActingRead,
    Share,
    Unshare,
    Status,
    Attach,
    Detach,
}

impl Op {
    pub const ALL: [Op; 9] = [
        Op::List,
        Op::Get,
        Op::Issue,
        Op::ActingRead,
        Op::Share,
        Op::Unshare,
        Op::Status,
        Op::Attach,
        Op::Detach,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::List => "GET /users",
            Op::Get => "GET /users/{id}",
            Op::Issue => "POST /users/{id}/auth-token",
            Op::ActingRead => "GET /users/{id} acting",
            Op::Share => "PUT /users/{id}/shares",
            Op::Unshare => "DELETE /users/{id}/shares/tags/{t}",
            Op::Status => "PUT /users/{id}/status",
            Op::Attach => "POST /users/{id}/roles",
            Op::Detach => "DELETE /users/{id}/roles/{r}",
        }
    }

    /// Whether a 200 of this operation is a change whose `User` body the audit replays.
    pub fn is_user_change(self) -> bool {
        matches!(self, Op::Status | Op::Attach | Op::Detach)
    }
}

/// A `User` body seen in an answer, with what produced it.
pub struct Seen {
    pub op: Op,
    pub body: Value,
}

/// A client's share slot: a tag share of one service user that only this client toggles.
pub struct Slot {
    pub user: String,
    pub tag: &'static str,
    /// The slot's state after this client's last successful toggle.
    pub shared: bool,
}

/// Everything one client saw.
#[derive(Default)]
pub struct Record {
    pub latencies: Vec<(Op, u32)>,
    pub seen: Vec<Seen>,
    pub violations: Vec<String>,
    pub server_errors: usize,
    pub slot: Option<Slot>,
}

pub struct Client {
    pub http: Http,
    pub users: Vec<String>,
    pub rng: StdRng,
    pub record: Record,
    /// A service-user token per service user, as issued by this client (alice's default PAT).
    tokens: Vec<Option<String>>,
}

impl Client {
    pub fn new(http: Http, users: Vec<String>, rng: StdRng, slot: Option<Slot>) -> Client {
        let tokens = vec![None; users.len()];
        Client {
            http,
            users,
            rng,
            record: Record {
                slot,
                ..Record::default()
            },
            tokens,
        }
    }

    /// Runs operations back to back until `until`.
    pub async fn run(&mut self, until: Instant) {
        while Instant::now() < until {
            self.step().await;
        }
    }

    fn pick_person(&mut self) -> &'static str {
        [
            ALICE_DEFAULT_PAT,
            ALICE_SUPERADMIN_PAT,
            BOB_DEFAULT_PAT,
            CAROL_DEFAULT_PAT,
        ][self.rng.gen_range(0..4)]
    }

    async fn step(&mut self) {
        let i = self.rng.gen_range(0..self.users.len());
        let id = self.users[i].clone();
        let roll = self.rng.gen_range(0..100);
        match roll {
            0..=14 => {
                let who = self.pick_person();
                let r = self.http.get("/users?limit=50", who, None).await;
                self.check(Op::List, &r, &[200]);
            }
            15..=29 => {
                let who = self.pick_person();
                let r = self.http.get(&format!("/users/{id}"), who, None).await;
                self.check(Op::Get, &r, &[200]);
            }
            30..=44 => self.issue(i).await,
            45..=64 => match self.tokens[i].clone() {
                None => self.issue(i).await,
                Some(t) => {
                    let r = self
                        .http
                        .get(&format!("/users/{id}"), ALICE_DEFAULT_PAT, Some(&t))
                        .await;
                    self.check(Op::ActingRead, &r, &[200, 401]);
                    if r.status == 401 {
                        self.tokens[i] = None;
                    }
                }
            },
            65..=74 if self.record.slot.is_some() => self.toggle_slot().await,
            65..=79 => {
                let status = if self.rng.gen_bool(0.5) {
                    "enabled"
                } else {
                    "disabled"
                };
                let who = self.pick_person();
                let body = json!({"UserStatus": status});
                let r = self
                    .http
                    .put(&format!("/users/{id}/status"), who, body)
                    .await;
                self.check(Op::Status, &r, &[200]);
                self.expect(Op::Status, &r, r.body["UserStatus"] == status);
            }
            _ => {
                // A role the actor holds: ENGINEERS for alice and bob, ANALYSTS for carol.
                let (who, role) = match self.rng.gen_range(0..3) {
                    0 => (ALICE_DEFAULT_PAT, ENGINEERS),
                    1 => (BOB_DEFAULT_PAT, ENGINEERS),
                    _ => (CAROL_DEFAULT_PAT, ANALYSTS),
                };
                if self.rng.gen_bool(0.5) {
                    let body = json!({"RoleIds": [role]});
                    let r = self
                        .http
                        .post(&format!("/users/{id}/roles"), who, body)
                        .await;
                    self.check(Op::Attach, &r, &[200]);
                    self.expect(Op::Attach, &r, has_role(&r.body, role));
                } else {
                    let r = self
                        .http
                        .delete(&format!("/users/{id}/roles/{role}"), who)
                        .await;
                    self.check(Op::Detach, &r, &[200, 404]);
                    self.expect(Op::Detach, &r, !has_role(&r.body, role));
                }
            }
        }
    }

    async fn issue(&mut self, i: usize) {
        let id = self.users[i].clone();
        let body = json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 10});
        let r = self
            .http
            .post(&format!("/users/{id}/auth-token"), ALICE_DEFAULT_PAT, body)
            .await;
        self.check(Op::Issue, &r, &[201, 409]);
        if r.status == 201 {
            self.tokens[i] = r.body["Token"].as_str().map(str::to_owned);
        }
    }

    /// Adds or removes this client's tag share; the answer must show the slot as toggled.
    async fn toggle_slot(&mut self) {
        let slot = self.record.slot.as_ref().expect("a slot");
        let (user, tag, shared) = (slot.user.clone(), slot.tag, slot.shared);
        let who = self.pick_person();
        let (op, r) = if shared {
            let path = format!("/users/{user}/shares/tags/{tag}");
            (Op::Unshare, self.http.delete(&path, who).await)
        } else {
            let body = json!({"Tags": [{"TagId": tag, "AccessType": "owner"}]});
            (
                Op::Share,
                self.http
                    .put(&format!("/users/{user}/shares"), who, body)
                    .await,
            )
        };
        self.check(op, &r, &[200]);
        if r.status == 200 {
            let now = r.body["Tags"].to_string().contains(&format!("\"{tag}\""));
            if now == shared {
                self.record.violations.push(format!(
                    "{} {user} {tag}: answered {}",
                    op.name(),
                    r.body
                ));
            }
            self.record.slot.as_mut().expect("a slot").shared = now;
        }
    }

    /// A change that answered 200 shows itself in the body it answered (else it was lost).
    fn expect(&mut self, op: Op, r: &Answer, shows_the_change: bool) {
        if r.status == 200 && !shows_the_change {
            self.record.violations.push(format!(
                "{}: answered 200 without the change: {}",
                op.name(),
                r.body
            ));
        }
    }

    fn check(&mut self, op: Op, r: &Answer, allowed: &[u16]) {
        self.record.latencies.push((op, micros(r.took)));
        if r.status >= 500 {
            self.record.server_errors += 1;
        }
        if !allowed.contains(&r.status) {
            self.record
                .violations
                .push(format!("{}: {} {}", op.name(), r.status, r.body));
            return;
        }
        match op {
            Op::Get | Op::ActingRead | Op::Status | Op::Attach | Op::Detach if r.status == 200 => {
                self.record.seen.push(Seen {
                    op,
                    body: r.body.clone(),
                });
            }
            _ => {}
        }
    }
}

fn has_role(user: &Value, role: &str) -> bool {
    user["Roles"]
        .as_array()
        .is_some_and(|roles| roles.iter().any(|r| r == role))
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

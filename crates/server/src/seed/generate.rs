//! Generated service users on top of the demo seed, for benchmarks and long lists.

use amorphic_su_model::{AccessType, RoleId, TagId, UserId, UserStatus};

use crate::seed::format::{Seed, SeedShares, SeedTagShare, SeedUser, SeedUserShare};

/// The demo seed (`seed/demo-seed.json`) plus `n` generated service users, for benchmarks and
/// load tests: ids `svc-000000`, `svc-000001`, ..., varied display names and descriptions, 2-3
/// of the demo roles (`SystemRole-DefaultUsers` always, and default), created by alice, shared
/// with alice, bob and/or the demo tags (at least one owner share each; alice has access to
/// every one, directly or through `team-data`). Deterministic: the same `n` gives the same seed.
pub fn demo_with_service_users(n: usize) -> Seed {
    const TEAMS: [&str; 8] = [
        "Finance",
        "Marketing",
        "Data",
        "Sales",
        "Risk",
        "Ops",
        "Billing",
        "Search",
    ];
    const JOBS: [&str; 8] = [
        "ingest", "export", "report", "sync", "backup", "scoring", "cleanup", "alerts",
    ];
    const SOURCES: [&str; 6] = [
        "orders",
        "clickstream",
        "ledger",
        "invoices",
        "telemetry",
        "crm",
    ];
    const SINKS: [&str; 4] = ["the lake", "the warehouse", "S3", "dashboards"];
    const SCHEDULES: [&str; 4] = ["nightly", "hourly", "every 15 minutes", "weekly"];
    let mut seed = Seed::demo();
    let id = |s: &str| UserId::parse(s).expect("a demo user id");
    let role = |s: &str| RoleId::parse(s).expect("a demo role id");
    let tag = |s: &str| TagId::parse(s).expect("a demo tag id");
    let share = |u: &str| SeedUserShare {
        user_id: id(u),
        access_type: AccessType::Owner,
    };
    let tag_share = |t: &str| SeedTagShare {
        tag_id: tag(t),
        access_type: AccessType::Owner,
    };
    seed.users.reserve(n);
    for i in 0..n {
        // A cheap mix so neighbouring ids do not share every attribute.
        let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
        let pick = |k: u64, len: usize| ((h >> k) as usize) % len;
        let (team, job) = (TEAMS[pick(0, 8)], JOBS[pick(3, 8)]);
        let mut roles = vec![role(RoleId::DEFAULT_USERS)];
        roles.push(role(match pick(6, 3) {
            0 => "role-analysts",
            1 => "role-data-engineers",
            _ => "SystemRole-SystemAdministrators",
        }));
        if pick(8, 3) == 0 {
            roles.push(role(if roles[1].as_str() == "role-analysts" {
                "role-data-engineers"
            } else {
                "role-analysts"
            }));
        }
        let shares = match pick(10, 4) {
            0 => SeedShares {
                users: vec![share("alice")],
                tags: vec![],
            },
            1 => SeedShares {
                users: vec![share("alice"), share("bob")],
                tags: vec![],
            },
            2 => SeedShares {
                users: vec![share("bob")],
                tags: vec![tag_share("team-data")],
            },
            _ => SeedShares {
                users: vec![share("alice")],
                tags: vec![tag_share("team-finance")],
            },
        };
        seed.users.push(SeedUser {
            user_id: id(&format!("svc-{i:06}")),
            is_service_user: true,
            display_name: format!("{team} {job} bot {i}"),
            description: Some(format!(
                "{} {job} of {} into {} for {}",
                SCHEDULES[pick(12, 4)],
                SOURCES[pick(14, 6)],
                SINKS[pick(17, 4)],
                team.to_lowercase(),
            )),
            email: None,
            password: None,
            user_status: if pick(20, 50) == 0 {
                UserStatus::Disabled
            } else {
                UserStatus::Enabled
            },
            roles,
            default_role_id: role(RoleId::DEFAULT_USERS),
            tags: vec![],
            access_tokens: vec![],
            shares: Some(shares),
            created_by: Some(id("alice")),
        });
    }
    seed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::validate::validate;

    #[test]
    fn generated_seed_validates() {
        let seed = demo_with_service_users(1_000);
        validate(&seed).unwrap();
        assert_eq!(seed.users.len(), 1_007);
        assert_eq!(seed.users[7].user_id.as_str(), "svc-000000");
    }
}

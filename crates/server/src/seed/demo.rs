//! The demo seed shipped with the server, and the credentials it publishes. They are public
//! on purpose (tests, benchmarks and a local demo sign in with them); an installed demo
//! environment replaces them with random ones (see [`crate::seed::SeedCredentials`]).

use std::path::{Path, PathBuf};

use crate::seed::format::Seed;

/// The demo seed shipped with the server (`crates/server/seed/demo-seed.json`).
pub const DEMO_SEED: &str = include_str!("../../seed/demo-seed.json");

/// Where the demo seed file lives in the source tree.
pub fn demo_seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seed")
        .join("demo-seed.json")
}

impl Seed {
    /// The demo seed shipped with the server (compiled in: [`DEMO_SEED`]).
    pub fn demo() -> Seed {
        serde_json::from_str(DEMO_SEED).expect("the demo seed parses")
    }
}

/// alice: a regular user with every demo role (the super-admin of the demo).
pub const ALICE_PASSWORD: &str = "alice-demo-password";
/// bob: a regular user, data engineer.
pub const BOB_PASSWORD: &str = "bob-demo-password";
/// carol: a regular user, analyst.
pub const CAROL_PASSWORD: &str = "carol-demo-password";
/// dave: a regular user with the default role only.
pub const DAVE_PASSWORD: &str = "dave-demo-password";

/// alice's PAT `demo-default`, bound to `SystemRole-DefaultUsers`.
pub const ALICE_DEFAULT_PAT: &str = "amo_pat_alice_default_demo_00000000000000";
/// alice's PAT `demo-superadmin`, bound to `SystemRole-SuperAdmin`.
pub const ALICE_SUPERADMIN_PAT: &str = "amo_pat_alice_superadmin_demo_00000000000";
/// alice's PAT `demo-sysadmins`, bound to `SystemRole-SystemAdministrators`.
pub const ALICE_SYSADMINS_PAT: &str = "amo_pat_alice_sysadmins_demo_000000000000";
/// alice's PAT `demo-engineers`, bound to `role-data-engineers`.
pub const ALICE_ENGINEERS_PAT: &str = "amo_pat_alice_engineers_demo_000000000000";
/// bob's PAT `demo-default`, bound to `SystemRole-DefaultUsers`.
pub const BOB_DEFAULT_PAT: &str = "amo_pat_bob_default_demo_0000000000000000";
/// bob's PAT `demo-engineers`, bound to `role-data-engineers`.
pub const BOB_ENGINEERS_PAT: &str = "amo_pat_bob_engineers_demo_00000000000000";
/// carol's PAT `demo-default`, bound to `SystemRole-DefaultUsers`.
pub const CAROL_DEFAULT_PAT: &str = "amo_pat_carol_default_demo_00000000000000";
/// carol's PAT `demo-analysts`, bound to `role-analysts`.
pub const CAROL_ANALYSTS_PAT: &str = "amo_pat_carol_analysts_demo_0000000000000";
/// dave's PAT `demo-default`, bound to `SystemRole-DefaultUsers`.
pub const DAVE_DEFAULT_PAT: &str = "amo_pat_dave_default_demo_000000000000000";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::validate::validate;

    #[test]
    fn demo_seed_parses_and_validates() {
        let seed: Seed = serde_json::from_str(DEMO_SEED).unwrap();
        validate(&seed).unwrap();
        assert_eq!(seed.users.len(), 7);
    }

    #[test]
    fn the_published_credentials_are_the_seed_s() {
        let seed = Seed::demo();
        let passwords: Vec<(&str, &str)> = seed
            .users
            .iter()
            .filter_map(|u| Some((u.user_id.as_str(), u.password.as_ref()?.expose())))
            .collect();
        assert_eq!(
            passwords,
            [
                ("alice", ALICE_PASSWORD),
                ("bob", BOB_PASSWORD),
                ("carol", CAROL_PASSWORD),
                ("dave", DAVE_PASSWORD),
            ]
        );
        let pats: Vec<(&str, &str, &str, &str)> = seed
            .users
            .iter()
            .flat_map(|u| {
                u.access_tokens.iter().map(|t| {
                    (
                        u.user_id.as_str(),
                        t.token_name.as_str(),
                        t.role_id.as_str(),
                        t.token.expose(),
                    )
                })
            })
            .collect();
        assert_eq!(
            pats,
            [
                (
                    "alice",
                    "demo-default",
                    "SystemRole-DefaultUsers",
                    ALICE_DEFAULT_PAT
                ),
                (
                    "alice",
                    "demo-superadmin",
                    "SystemRole-SuperAdmin",
                    ALICE_SUPERADMIN_PAT
                ),
                (
                    "alice",
                    "demo-sysadmins",
                    "SystemRole-SystemAdministrators",
                    ALICE_SYSADMINS_PAT
                ),
                (
                    "alice",
                    "demo-engineers",
                    "role-data-engineers",
                    ALICE_ENGINEERS_PAT
                ),
                (
                    "bob",
                    "demo-default",
                    "SystemRole-DefaultUsers",
                    BOB_DEFAULT_PAT
                ),
                (
                    "bob",
                    "demo-engineers",
                    "role-data-engineers",
                    BOB_ENGINEERS_PAT
                ),
                (
                    "carol",
                    "demo-default",
                    "SystemRole-DefaultUsers",
                    CAROL_DEFAULT_PAT
                ),
                (
                    "carol",
                    "demo-analysts",
                    "role-analysts",
                    CAROL_ANALYSTS_PAT
                ),
                (
                    "dave",
                    "demo-default",
                    "SystemRole-DefaultUsers",
                    DAVE_DEFAULT_PAT
                ),
            ]
        );
    }
}

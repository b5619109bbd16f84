//! Seed files (the format of `seed/demo-seed.json`): roles, tags, users with passwords and
//! PATs, service users with shares, datasources. Loaded into an empty database only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use amorphic_su_model::{
    AccessType, DatasourceId, Role, RoleId, Secret, Tag, TagId, Timestamp, UserId, UserStatus,
};
use chrono::Utc;
use serde::Deserialize;
use sqlx::SqliteConnection;

use crate::auth::{passwords, secrets};
use crate::db::{next_version, to_us, Db};
use crate::error::ServerError;
use crate::queries::{datasources, tokens};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Seed {
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
    #[serde(default)]
    pub datasources: Vec<SeedDatasource>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedUser {
    pub user_id: UserId,
    #[serde(default)]
    pub is_service_user: bool,
    pub display_name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub password: Option<Secret>,
    #[serde(default = "enabled")]
    pub user_status: UserStatus,
    pub roles: Vec<RoleId>,
    pub default_role_id: RoleId,
    #[serde(default)]
    pub tags: Vec<TagId>,
    #[serde(default)]
    pub access_tokens: Vec<SeedAccessToken>,
    #[serde(default)]
    pub shares: Option<SeedShares>,
    #[serde(default)]
    pub created_by: Option<UserId>,
}

fn enabled() -> UserStatus {
    UserStatus::Enabled
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedShares {
    #[serde(default)]
    pub users: Vec<SeedUserShare>,
    #[serde(default)]
    pub tags: Vec<SeedTagShare>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedUserShare {
    pub user_id: UserId,
    pub access_type: AccessType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedTagShare {
    pub tag_id: TagId,
    pub access_type: AccessType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedAccessToken {
    pub token_name: String,
    /// Loaded as given; only its digest is stored.
    pub token: Secret,
    pub role_id: RoleId,
    pub expires_at: Timestamp,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedDatasource {
    pub datasource_id: DatasourceId,
    pub datasource_name: String,
    pub datasource_type: String,
    pub owner: UserId,
}

/// What happened to a seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedOutcome {
    Loaded {
        users: usize,
    },
    /// The database already had users; the seed was ignored.
    SkippedNotEmpty,
}

/// Passwords and PATs that replace a seed's own. A seed file is public (the demo seed is in the
/// repository and in every build), so an installed demo environment must not accept its
/// credentials: it loads the seed with random ones instead ([`SeedCredentials::random_for`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedCredentials {
    /// User id -> password.
    pub passwords: BTreeMap<UserId, Secret>,
    /// (user id, token name) -> personal access token.
    pub tokens: BTreeMap<(UserId, String), Secret>,
}

impl SeedCredentials {
    pub fn is_empty(&self) -> bool {
        self.passwords.is_empty() && self.tokens.is_empty()
    }

    /// A fresh random replacement for every password and PAT of `seed`: passwords of 32
    /// URL-safe base64 characters (24 random bytes), PATs in the server's own format.
    pub fn random_for(seed: &Seed) -> SeedCredentials {
        let mut out = SeedCredentials::default();
        for u in &seed.users {
            if u.password.is_some() {
                out.passwords
                    .insert(u.user_id.clone(), secrets::random_password());
            }
            for t in &u.access_tokens {
                out.tokens.insert(
                    (u.user_id.clone(), t.token_name.clone()),
                    secrets::mint_pat(),
                );
            }
        }
        out
    }

    /// Replaces the seed's credentials with these. Every entry must name a password or a PAT
    /// the seed has (a typo would otherwise leave a published credential in place).
    pub fn apply_to(&self, seed: &mut Seed) -> Result<(), ServerError> {
        for (user, password) in &self.passwords {
            let u = seed
                .users
                .iter_mut()
                .find(|u| &u.user_id == user && u.password.is_some())
                .ok_or_else(|| invalid(format!("no password of user {user} to replace")))?;
            u.password = Some(password.clone());
        }
        for ((user, name), token) in &self.tokens {
            let t = seed
                .users
                .iter_mut()
                .filter(|u| &u.user_id == user)
                .flat_map(|u| u.access_tokens.iter_mut())
                .find(|t| &t.token_name == name)
                .ok_or_else(|| invalid(format!("no token {name} of user {user} to replace")))?;
            t.token = token.clone();
        }
        Ok(())
    }
}

impl Seed {
    /// The demo seed shipped with the server (compiled in: [`crate::DEMO_SEED`]).
    pub fn demo() -> Seed {
        serde_json::from_str(crate::DEMO_SEED).expect("the demo seed parses")
    }

    /// Reads and parses a seed file.
    pub fn read(path: &Path) -> Result<Seed, ServerError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ServerError::io(format!("reading {}", path.display()), e))?;
        serde_json::from_str(&text).map_err(|e| ServerError::Seed {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }
}

pub async fn load_file(db: &Db, path: &Path) -> Result<SeedOutcome, ServerError> {
    load_file_with(db, path, &SeedCredentials::default()).await
}

/// Loads a seed file with `credentials` in place of its own.
pub async fn load_file_with(
    db: &Db,
    path: &Path,
    credentials: &SeedCredentials,
) -> Result<SeedOutcome, ServerError> {
    let mut seed = Seed::read(path)?;
    let loaded = match credentials.apply_to(&mut seed) {
        Ok(()) => load(db, &seed).await,
        Err(e) => Err(e),
    };
    loaded.map_err(|e| match e {
        ServerError::Seed { message, .. } => ServerError::Seed {
            path: path.display().to_string(),
            message,
        },
        other => other,
    })
}

fn invalid(message: impl Into<String>) -> ServerError {
    ServerError::Seed {
        path: "<seed>".into(),
        message: message.into(),
    }
}

/// Argon2 is slow on purpose; tests load the same seed many times, so each distinct password
/// is hashed once per process (a fresh salt per process, the same hash in every database).
/// The lock makes concurrent loaders wait for one computation instead of repeating it.
async fn seed_hashes(users: &[SeedUser]) -> Result<HashMap<UserId, String>, ServerError> {
    static CACHE: tokio::sync::Mutex<Option<HashMap<[u8; 32], String>>> =
        tokio::sync::Mutex::const_new(None);
    let mut cache = CACHE.lock().await;
    let cache = cache.get_or_insert_with(HashMap::new);
    let mut missing: Vec<([u8; 32], Secret)> = Vec::new();
    for u in users {
        if let Some(p) = &u.password {
            let key = secrets::digest(p.expose());
            if !cache.contains_key(&key) && !missing.iter().any(|(k, _)| *k == key) {
                missing.push((key, p.clone()));
            }
        }
    }
    // Hash the missing ones in parallel (each runs on a blocking thread).
    let jobs: Vec<_> = missing
        .into_iter()
        .map(|(key, p)| tokio::spawn(async move { (key, passwords::hash_password(&p).await) }))
        .collect();
    for job in jobs {
        let (key, hash) = job.await.map_err(|e| invalid(e.to_string()))?;
        cache.insert(key, hash.map_err(|f| invalid(f.message))?);
    }
    let mut out = HashMap::new();
    for u in users {
        if let Some(p) = &u.password {
            if let Some(h) = cache.get(&secrets::digest(p.expose())) {
                out.insert(u.user_id.clone(), h.clone());
            }
        }
    }
    Ok(out)
}

/// Loads `seed` in one transaction, after checking it is consistent.
pub async fn load(db: &Db, seed: &Seed) -> Result<SeedOutcome, ServerError> {
    validate(seed)?;
    // Hash passwords before taking the writer (hashing takes tens of milliseconds each).
    let hashes = seed_hashes(&seed.users).await?;
    let mut tx = db.write().await?;
    let conn: &mut SqliteConnection = &mut tx;
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *conn)
        .await?;
    if users > 0 {
        return Ok(SeedOutcome::SkippedNotEmpty);
    }
    let now = Utc::now();
    for r in &seed.roles {
        sqlx::query(
            "INSERT INTO roles (role_id, role_name, description, is_system_role, is_super_admin, permissions) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(r.role_id.as_str())
        .bind(&r.role_name)
        .bind(&r.description)
        .bind(r.is_system_role)
        .bind(r.is_super_admin)
        .bind(serde_json::to_string(&r.permissions).map_err(|e| invalid(e.to_string()))?)
        .execute(&mut *conn)
        .await?;
    }
    for t in &seed.tags {
        sqlx::query(
            "INSERT INTO tags (tag_id, tag_key, tag_value, description) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(t.tag_id.as_str())
        .bind(&t.tag_key)
        .bind(&t.tag_value)
        .bind(&t.description)
        .execute(&mut *conn)
        .await?;
    }
    let mut uids: HashMap<&UserId, i64> = HashMap::new();
    for u in &seed.users {
        let v = next_version(conn).await?;
        let disabled_us = (u.user_status == UserStatus::Disabled).then(|| to_us(now));
        let uid: i64 = sqlx::query_scalar(
            "INSERT INTO users (user_id, user_id_folded, is_service_user, display_name, description, email, password_hash, \
               status, disabled_us, default_role_id, created_by, creation_us, modified_us, version) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13) RETURNING uid",
        )
        .bind(u.user_id.as_str())
        .bind(u.user_id.folded())
        .bind(u.is_service_user)
        .bind(&u.display_name)
        .bind(&u.description)
        .bind(if u.is_service_user { None } else { u.email.as_deref() })
        .bind(hashes.get(&u.user_id))
        .bind(u.user_status.as_str())
        .bind(disabled_us)
        .bind(u.default_role_id.as_str())
        .bind(u.created_by.as_ref().map(|c| c.as_str()))
        .bind(to_us(now))
        .bind(v)
        .fetch_one(&mut *conn)
        .await?;
        uids.insert(&u.user_id, uid);
        for r in &u.roles {
            sqlx::query("INSERT OR IGNORE INTO user_roles (uid, role_id) VALUES (?1, ?2)")
                .bind(uid)
                .bind(r.as_str())
                .execute(&mut *conn)
                .await?;
        }
        for t in &u.tags {
            sqlx::query("INSERT OR IGNORE INTO user_tags (uid, tag_id) VALUES (?1, ?2)")
                .bind(uid)
                .bind(t.as_str())
                .execute(&mut *conn)
                .await?;
        }
    }
    for u in &seed.users {
        let uid = uids[&u.user_id];
        if let Some(shares) = &u.shares {
            for s in &shares.users {
                sqlx::query("INSERT OR IGNORE INTO share_users (su_uid, user_uid, access_type) VALUES (?1, ?2, 'owner')")
                    .bind(uid)
                    .bind(uids[&s.user_id])
                    .execute(&mut *conn)
                    .await?;
            }
            for s in &shares.tags {
                sqlx::query("INSERT OR IGNORE INTO share_tags (su_uid, tag_id, access_type) VALUES (?1, ?2, 'owner')")
                    .bind(uid)
                    .bind(s.tag_id.as_str())
                    .execute(&mut *conn)
                    .await?;
            }
        }
        for t in &u.access_tokens {
            let token_id = secrets::random_id("pat");
            let d = secrets::digest(t.token.expose());
            tokens::insert_access_token(
                conn,
                &tokens::NewAccessToken {
                    token_id: &token_id,
                    uid,
                    digest: &d,
                    token_name: &t.token_name,
                    description: t.description.as_deref(),
                    role_id: t.role_id.as_str(),
                    expires_at: t.expires_at.as_datetime(),
                    created_by: u.user_id.as_str(),
                },
                now,
            )
            .await?;
        }
    }
    for d in &seed.datasources {
        datasources::insert_datasource(
            conn,
            d.datasource_id.as_str(),
            &d.datasource_name,
            &d.datasource_type,
            uids[&d.owner],
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(SeedOutcome::Loaded {
        users: seed.users.len(),
    })
}

/// Refuses a seed that would break the server's invariants.
fn validate(seed: &Seed) -> Result<(), ServerError> {
    let roles: HashSet<&RoleId> = seed.roles.iter().map(|r| &r.role_id).collect();
    let tags: HashSet<&TagId> = seed.tags.iter().map(|t| &t.tag_id).collect();
    let mut folded = HashSet::new();
    let mut kinds: HashMap<&UserId, bool> = HashMap::new();
    for u in &seed.users {
        if !folded.insert(u.user_id.folded()) {
            return Err(invalid(format!(
                "user {} appears twice (ignoring case)",
                u.user_id
            )));
        }
        kinds.insert(&u.user_id, u.is_service_user);
    }
    let mut token_digests = HashSet::new();
    for u in &seed.users {
        let id = &u.user_id;
        if let Some(r) = u
            .roles
            .iter()
            .chain([&u.default_role_id])
            .find(|r| !roles.contains(r))
        {
            return Err(invalid(format!("user {id}: unknown role {r}")));
        }
        if !u.roles.contains(&u.default_role_id) {
            return Err(invalid(format!(
                "user {id}: the default role must be among its roles"
            )));
        }
        if let Some(t) = u.tags.iter().find(|t| !tags.contains(t)) {
            return Err(invalid(format!("user {id}: unknown tag {t}")));
        }
        if u.is_service_user {
            if u.password.is_some() || u.email.is_some() || !u.tags.is_empty() {
                return Err(invalid(format!(
                    "service user {id}: no password, email or tags"
                )));
            }
            if u.default_role_id.as_str() != RoleId::DEFAULT_USERS {
                return Err(invalid(format!(
                    "service user {id}: the default role is {}",
                    RoleId::DEFAULT_USERS
                )));
            }
            let shares = u
                .shares
                .as_ref()
                .map_or(0, |s| s.users.len() + s.tags.len());
            if shares == 0 {
                return Err(invalid(format!(
                    "service user {id}: needs at least one owner share"
                )));
            }
        } else if u.shares.is_some() {
            return Err(invalid(format!(
                "user {id}: only service users have shares"
            )));
        }
        if let Some(s) = &u.shares {
            for share in &s.users {
                match kinds.get(&share.user_id) {
                    Some(false) => {}
                    Some(true) => {
                        return Err(invalid(format!(
                            "service user {id}: shared with service user {}",
                            share.user_id
                        )))
                    }
                    None => {
                        return Err(invalid(format!(
                            "service user {id}: shared with unknown user {}",
                            share.user_id
                        )))
                    }
                }
            }
            if let Some(t) = s.tags.iter().find(|t| !tags.contains(&t.tag_id)) {
                return Err(invalid(format!(
                    "service user {id}: unknown tag {}",
                    t.tag_id
                )));
            }
        }
        if let Some(c) = &u.created_by {
            if !kinds.contains_key(c) {
                return Err(invalid(format!("user {id}: created by unknown user {c}")));
            }
        }
        for t in &u.access_tokens {
            if !u.roles.contains(&t.role_id) {
                return Err(invalid(format!(
                    "user {id}: token {} is bound to a role it does not have",
                    t.token_name
                )));
            }
            if !token_digests.insert(secrets::digest(t.token.expose())) {
                return Err(invalid(format!(
                    "user {id}: token {} appears twice",
                    t.token_name
                )));
            }
        }
    }
    let mut ds = HashSet::new();
    for d in &seed.datasources {
        if !kinds.contains_key(&d.owner) {
            return Err(invalid(format!(
                "datasource {}: unknown owner {}",
                d.datasource_id, d.owner
            )));
        }
        if !ds.insert(&d.datasource_id) {
            return Err(invalid(format!(
                "datasource {} appears twice",
                d.datasource_id
            )));
        }
    }
    Ok(())
}

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

    #[test]
    fn demo_seed_parses_and_validates() {
        let text = include_str!("../seed/demo-seed.json");
        let seed: Seed = serde_json::from_str(text).unwrap();
        validate(&seed).unwrap();
        assert_eq!(seed.users.len(), 7);
    }

    #[test]
    fn random_credentials_replace_every_published_one() {
        let published = Seed::demo();
        let creds = SeedCredentials::random_for(&published);
        let mut seed = Seed::demo();
        creds.apply_to(&mut seed).unwrap();
        validate(&seed).unwrap();
        for (old, new) in published.users.iter().zip(&seed.users) {
            assert_eq!(old.password.is_some(), new.password.is_some());
            if let (Some(a), Some(b)) = (&old.password, &new.password) {
                assert_ne!(a.expose(), b.expose(), "{}", old.user_id);
                assert_eq!(b.expose().len(), 32);
            }
            for (a, b) in old.access_tokens.iter().zip(&new.access_tokens) {
                assert_ne!(a.token.expose(), b.token.expose());
                assert!(b.token.expose().starts_with("amo_pat_"));
            }
        }
        assert_ne!(creds, SeedCredentials::random_for(&published));
    }

    #[test]
    fn credentials_the_seed_does_not_have_are_refused() {
        let id = |s: &str| UserId::parse(s).unwrap();
        let mut seed = Seed::demo();
        let mut c = SeedCredentials::default();
        c.passwords.insert(id("etl-bot"), Secret::new("x"));
        assert!(
            c.apply_to(&mut seed).is_err(),
            "a service user has no password"
        );
        let mut c = SeedCredentials::default();
        c.tokens
            .insert((id("alice"), "nope".into()), Secret::new("amo_pat_x"));
        assert!(c.apply_to(&mut seed).is_err());
    }

    #[test]
    fn generated_seed_validates() {
        let seed = demo_with_service_users(1_000);
        validate(&seed).unwrap();
        assert_eq!(seed.users.len(), 1_007);
        assert_eq!(seed.users[7].user_id.as_str(), "svc-000000");
    }
}

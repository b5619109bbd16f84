//! Loading a seed into an empty database, in one transaction.

use std::collections::HashMap;
use std::path::Path;

use amorphic_su_model::{Secret, UserId, UserStatus};
use chrono::Utc;
use sqlx::SqliteConnection;

use crate::auth::{passwords, secrets};
use crate::db::{to_us, Db};
use crate::error::ServerError;
use crate::queries::{datasources, tokens};
use crate::seed::credentials::SeedCredentials;
use crate::seed::format::{Seed, SeedUser};
use crate::seed::rows::RowInserter;
use crate::seed::validate::{invalid, validate};

/// The authority to write a seed's rows, which no request decision grants: a seed is loaded
/// into an empty database before the server serves anyone, so there is no actor to ask the
/// policy about. Only this module makes one (its field is private here), and only
/// [`load`] does, after checking the database is empty and the seed consistent.
pub struct Seeding(());

/// What happened to a seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedOutcome {
    Loaded {
        users: usize,
    },
    /// The database already had users; the seed was ignored.
    SkippedNotEmpty,
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
    let seeding = Seeding(());
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
    // Users get the uids and versions one insert after another would have given them (uids
    // after AUTOINCREMENT's high-water mark, versions after the change counter), so the rows
    // can go in many per statement: the per-statement cost, not SQLite, bounded seeding.
    let last_uid: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'users'",
    )
    .fetch_one(&mut *conn)
    .await?;
    let last_version: i64 = sqlx::query_scalar("SELECT version FROM change_counter WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let uids: HashMap<&UserId, i64> = seed
        .users
        .iter()
        .zip(last_uid + 1..)
        .map(|(u, uid)| (&u.user_id, uid))
        .collect();
    let creation_us = to_us(now);
    let mut users = RowInserter::new(
        "INSERT INTO users (uid, user_id, user_id_folded, is_service_user, display_name, description, \
           email, password_hash, status, disabled_us, default_role_id, created_by, creation_us, \
           modified_us, version)",
        15,
    );
    let mut user_roles = RowInserter::new("INSERT OR IGNORE INTO user_roles (uid, role_id)", 2);
    let mut user_tags = RowInserter::new("INSERT OR IGNORE INTO user_tags (uid, tag_id)", 2);
    for (u, (uid, version)) in seed
        .users
        .iter()
        .zip((last_uid + 1..).zip(last_version + 1..))
    {
        let disabled_us = (u.user_status == UserStatus::Disabled).then_some(creation_us);
        users
            .value(uid)
            .value(u.user_id.as_str())
            .value(u.user_id.folded())
            .value(u.is_service_user)
            .value(u.display_name.as_str())
            .value(u.description.as_deref())
            .value(if u.is_service_user {
                None
            } else {
                u.email.as_deref()
            })
            .value(hashes.get(&u.user_id).map(String::as_str))
            .value(u.user_status.as_str())
            .value(disabled_us)
            .value(u.default_role_id.as_str())
            .value(u.created_by.as_ref().map(|c| c.as_str()))
            .value(creation_us)
            .value(creation_us)
            .value(version);
        users.row_done(conn).await?;
    }
    users.flush(conn).await?;
    if !seed.users.is_empty() {
        sqlx::query("UPDATE change_counter SET version = ?1 WHERE id = 1")
            .bind(last_version + seed.users.len() as i64)
            .execute(&mut *conn)
            .await?;
    }
    for (u, uid) in seed.users.iter().zip(last_uid + 1..) {
        for r in &u.roles {
            user_roles.value(uid).value(r.as_str());
            user_roles.row_done(conn).await?;
        }
        for t in &u.tags {
            user_tags.value(uid).value(t.as_str());
            user_tags.row_done(conn).await?;
        }
    }
    user_roles.flush(conn).await?;
    user_tags.flush(conn).await?;
    let mut share_users = RowInserter::new(
        "INSERT OR IGNORE INTO share_users (su_uid, user_uid, access_type)",
        3,
    );
    let mut share_tags = RowInserter::new(
        "INSERT OR IGNORE INTO share_tags (su_uid, tag_id, access_type)",
        3,
    );
    for u in &seed.users {
        let uid = uids[&u.user_id];
        if let Some(shares) = &u.shares {
            for s in &shares.users {
                share_users
                    .value(uid)
                    .value(uids[&s.user_id])
                    .value("owner");
                share_users.row_done(conn).await?;
            }
            for s in &shares.tags {
                share_tags
                    .value(uid)
                    .value(s.tag_id.as_str())
                    .value("owner");
                share_tags.row_done(conn).await?;
            }
        }
    }
    share_users.flush(conn).await?;
    share_tags.flush(conn).await?;
    for u in &seed.users {
        let uid = uids[&u.user_id];
        for t in &u.access_tokens {
            let token_id = secrets::random_id("pat");
            let d = secrets::digest(t.token.expose());
            tokens::seed_access_token(
                conn,
                &seeding,
                &token_id,
                uid,
                &tokens::NewAccessToken {
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
        datasources::seed_datasource(
            conn,
            &seeding,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::demo_with_service_users;

    /// Rows inserted many per statement (several full batches and a short one) get the uids
    /// and versions one insert at a time gave, in seed order, and every role and share.
    #[tokio::test]
    async fn a_large_seed_loads_in_batches_with_ordered_uids_and_versions() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("s.db")).await.unwrap();
        let seed = demo_with_service_users(1_200);
        let outcome = load(&db, &seed).await.unwrap();
        assert_eq!(outcome, SeedOutcome::Loaded { users: 1_207 });
        let mut conn = db.conn().await.unwrap();
        let rows: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT uid, user_id, version FROM users ORDER BY uid")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        let expected: Vec<(i64, String, i64)> = (1..)
            .zip(&seed.users)
            .map(|(i, u)| (i, u.user_id.to_string(), i))
            .collect();
        assert_eq!(rows, expected);
        let version: i64 = sqlx::query_scalar("SELECT version FROM change_counter")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(version, 1_207);
        let db = &db;
        let count = |table: &'static str| async move {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let mut conn = db.conn().await.unwrap();
            let n: i64 = sqlx::query_scalar(&sql)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            n as usize
        };
        let sum = |f: fn(&SeedUser) -> usize| seed.users.iter().map(f).sum::<usize>();
        assert_eq!(count("user_roles").await, sum(|u| u.roles.len()));
        assert_eq!(count("user_tags").await, sum(|u| u.tags.len()));
        fn shares(u: &SeedUser, tags: bool) -> usize {
            u.shares
                .as_ref()
                .map_or(0, |s| if tags { s.tags.len() } else { s.users.len() })
        }
        assert_eq!(count("share_users").await, sum(|u| shares(u, false)));
        assert_eq!(count("share_tags").await, sum(|u| shares(u, true)));
        assert_eq!(count("access_tokens").await, sum(|u| u.access_tokens.len()));
        assert_eq!(count("datasources").await, seed.datasources.len());
        let disabled: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE status = 'disabled' AND disabled_us IS NOT NULL",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        let want = seed
            .users
            .iter()
            .filter(|u| u.user_status == UserStatus::Disabled)
            .count();
        assert_eq!(disabled as usize, want);
        assert!(want > 0);
    }
}

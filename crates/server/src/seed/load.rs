//! Loading a seed into an empty database, in one transaction.

use std::collections::HashMap;
use std::path::Path;

use amorphic_su_model::{Secret, UserId, UserStatus};
use chrono::Utc;
use sqlx::SqliteConnection;

use crate::auth::{passwords, secrets};
use crate::db::{next_version, to_us, Db};
use crate::error::ServerError;
use crate::queries::{datasources, tokens};
use crate::seed::credentials::SeedCredentials;
use crate::seed::format::{Seed, SeedUser};
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

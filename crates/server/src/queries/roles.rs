//! `roles` and `user_roles`: the catalogue and the roles attached to a service user.

use amorphic_su_model::policy::{action, OnUser, Permit};
use amorphic_su_model::Role;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::queries::users::{touch, uid_of};
use crate::rows::RoleRow;

pub async fn roles(conn: &mut SqliteConnection) -> Result<Vec<Role>, sqlx::Error> {
    let rows: Vec<RoleRow> = sqlx::query_as(
        "SELECT role_id, role_name, description, is_system_role, is_super_admin, permissions FROM roles ORDER BY role_id",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(RoleRow::into_role).collect()
}

/// Attaches the roles the permit names (those the decision checked) to its service user.
pub async fn attach_roles(
    conn: &mut SqliteConnection,
    permit: Permit<action::AttachRoles>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let OnUser {
        user_id,
        what: roles,
    } = permit.target();
    let uid = uid_of(conn, user_id).await?;
    let mut changed = 0;
    for r in roles {
        changed += sqlx::query("INSERT OR IGNORE INTO user_roles (uid, role_id) VALUES (?1, ?2)")
            .bind(uid)
            .bind(r.as_str())
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    if changed > 0 {
        touch(conn, uid, now).await?;
    }
    Ok(changed > 0)
}

/// Detaches the role the permit names (the one the decision checked) from its service user.
pub async fn detach_role(
    conn: &mut SqliteConnection,
    permit: Permit<action::DetachRole>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let OnUser {
        user_id,
        what: role,
    } = permit.target();
    let uid = uid_of(conn, user_id).await?;
    let removed = sqlx::query("DELETE FROM user_roles WHERE uid = ?1 AND role_id = ?2")
        .bind(uid)
        .bind(role.as_str())
        .execute(&mut *conn)
        .await?;
    if removed.rows_affected() > 0 {
        touch(conn, uid, now).await?;
    }
    Ok(())
}

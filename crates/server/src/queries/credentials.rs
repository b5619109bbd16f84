//! `access_tokens` and `sessions` together: the credential a request presents.

use sqlx::SqliteConnection;

use crate::rows::CredentialRow;

/// The PAT or session whose secret has this SHA-256 digest.
pub async fn credential(
    conn: &mut SqliteConnection,
    digest: &[u8; 32],
) -> Result<Option<CredentialRow>, sqlx::Error> {
    let row: Option<(i64, Option<String>, i64, i64, i64)> = sqlx::query_as(
        "SELECT uid, role_id, creation_us, expires_us, 0 FROM access_tokens WHERE digest = ?1 \
         UNION ALL \
         SELECT uid, NULL, creation_us, expires_us, disable_generation FROM sessions WHERE digest = ?1 \
         LIMIT 1",
    )
    .bind(&digest[..])
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(uid, pat_role, created_us, expires_us, disable_generation)| CredentialRow {
            uid,
            pat_role,
            created_us,
            expires_us,
            disable_generation,
        },
    ))
}

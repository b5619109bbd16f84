//! Reading the cached users: one by id, lists by filter and full-text search, and counts. Lists
//! read through the read-only connections, so they never wait behind a sync.

use std::collections::HashMap;

use amorphic_su_model::{RoleId, TagId, Timestamp, User, UserId, UserStatus};
use sqlx::Row;

use super::rids::ordered_upto_in;
use super::{body_and_time, from_json, to_json, Cache};
use crate::error::Result;
use crate::search::{self, SearchQuery};

/// Which users a listing wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilter {
    pub service_only: bool,
    /// Regular users only (a transfer-user picker); ignored with `service_only`.
    pub regular_only: bool,
    /// A search in the one syntax of [`crate::search`]: free words (each must prefix-match the
    /// name, id, description, a role or a tag), quoted phrases, and `role:`, `status:`,
    /// `tag:`, `owner:`, `created-by:` filters, ANDed with the fields below.
    pub search: Option<String>,
    pub status: Option<UserStatus>,
    /// Users holding this role.
    pub role: Option<RoleId>,
    /// Users carrying this tag (the people a tag share reaches).
    pub tag: Option<TagId>,
    /// Service users the signed-in user has owner access to (so can assume).
    pub assumable: bool,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl UserFilter {
    /// The filter's conditions on `users u`, their parameters numbered after the query's own
    /// `used` ones, with their values in order.
    fn conditions(&self, used: usize, q: &SearchQuery) -> (String, Vec<String>) {
        let mut sql = String::new();
        let mut binds = Vec::new();
        let mut bind = |sql: &mut String, value: String, cond: &str| {
            binds.push(value);
            sql.push_str(&cond.replace("?N", &format!("?{}", used + binds.len())));
        };
        for role in &q.roles {
            let c = " AND EXISTS (SELECT 1 FROM json_each(u.body, '$.Roles') r WHERE r.value = ?N)";
            bind(&mut sql, role.to_string(), c);
        }
        for tag in &q.tags {
            let c = " AND EXISTS (SELECT 1 FROM json_each(u.body, '$.Tags') t WHERE t.value = ?N)";
            bind(&mut sql, tag.to_string(), c);
        }
        for owner in &q.owners {
            let c = " AND EXISTS (SELECT 1 FROM json_each(u.body, '$.Shares.Users') o \
                     WHERE o.value ->> '$.UserId' = ?N)";
            bind(&mut sql, owner.to_string(), c);
        }
        if let Some(by) = &q.created_by {
            bind(
                &mut sql,
                by.to_string(),
                " AND u.body ->> '$.CreatedBy' = ?N",
            );
        }
        if let Some(status) = q.status {
            bind(
                &mut sql,
                status.as_str().to_owned(),
                " AND u.user_status = ?N",
            );
        }
        if self.service_only {
            sql.push_str(" AND +u.is_service_user = 1");
        } else if self.regular_only {
            sql.push_str(" AND +u.is_service_user = 0");
        }
        if let Some(status) = self.status {
            binds.push(status.as_str().to_owned());
            sql.push_str(&format!(" AND u.user_status = ?{}", used + binds.len()));
        }
        if let Some(role) = &self.role {
            binds.push(role.to_string());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM json_each(u.body, '$.Roles') r WHERE r.value = ?{})",
                used + binds.len()
            ));
        }
        if let Some(tag) = &self.tag {
            binds.push(tag.to_string());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM json_each(u.body, '$.Tags') t WHERE t.value = ?{})",
                used + binds.len()
            ));
        }
        if self.assumable {
            sql.push_str(" AND u.body ->> '$.CallerAccess' IS NOT NULL");
        }
        (sql, binds)
    }
}

/// Builds an FTS5 query from user input: every word is an FTS5 string (so no FTS syntax gets
/// through), prefix-matched; all words must match. A `"` in a word is doubled, FTS5's escape,
/// rather than dropped: dropping it joined the word's two halves into one token, so a name
/// such as `O"Brien` was not found by its own text. Control characters separate words like
/// spaces (no name holds one): FTS5 reads its query up to a NUL, so a NUL inside a string left it
/// unterminated and SQLite refused the whole search.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The filter's search, parsed (none is an empty query).
fn search_of(f: &UserFilter) -> Result<SearchQuery> {
    f.search
        .as_deref()
        .map_or_else(|| Ok(SearchQuery::default()), search::parse)
}

impl Cache {
    /// A cached user and when it was fetched.
    pub async fn user(&self, id: &UserId) -> Result<Option<(User, Timestamp)>> {
        let row = sqlx::query("SELECT body, fetched_at FROM users WHERE user_id = ?")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(body_and_time).transpose()
    }

    /// The cached users among `ids`, by id, in one query (a bulk plan over thousands of ids:
    /// one lookup per id, ~0.1 ms each, took ~0.7 s for 10,000).
    pub async fn users_by_ids(&self, ids: &[UserId]) -> Result<HashMap<UserId, User>> {
        let ids: Vec<&str> = ids.iter().map(UserId::as_str).collect();
        let rows = sqlx::query(
            "SELECT body, fetched_at FROM users WHERE user_id IN (SELECT value FROM json_each(?))",
        )
        .bind(to_json(&ids)?)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| body_and_time::<User>(r).map(|(u, _)| (u.user_id.clone(), u)))
            .collect()
    }

    /// Cached users, sorted by id.
    ///
    /// A search reads the full-text index in `rid` order, which is id order for users up to
    /// [`super::SyncKey::OrderedUpto`]: it stops there after `offset + limit` matches, and only
    /// the few users added out of order since (kept under `UNORDERED_LIMIT`) are matched in
    /// full and merged in. A broad word ("svc", a role every user has) costs as little as a
    /// rare one.
    pub async fn users(&self, f: &UserFilter) -> Result<Vec<User>> {
        let limit = i64::from(f.limit.unwrap_or(u32::MAX).min(1_000_000));
        let offset = i64::from(f.offset.unwrap_or(0));
        // One read transaction: the id-order mark and the rows come from the same snapshot.
        let mut tx = self.reader.begin().await?;
        let parsed = search_of(f)?;
        let rows = match parsed.fts() {
            Some(q) => {
                let ordered = ordered_upto_in(&mut tx).await?;
                // `+` keeps the planner from driving the join by the kind index: the
                // full-text index must be the outer loop, in rowid order.
                let (conds, values) = f.conditions(5, &parsed);
                let sql = format!(
                    "SELECT body FROM (
                       SELECT * FROM (
                         SELECT u.user_id, u.body FROM users_fts CROSS JOIN users u
                           ON u.rid = users_fts.rowid
                         WHERE users_fts MATCH ?1 AND users_fts.rowid <= ?2 {conds}
                         ORDER BY users_fts.rowid LIMIT ?3)
                       UNION ALL
                       SELECT u.user_id, u.body FROM users_fts CROSS JOIN users u
                         ON u.rid = users_fts.rowid
                       WHERE users_fts MATCH ?1 AND users_fts.rowid > ?2 {conds})
                     ORDER BY user_id LIMIT ?4 OFFSET ?5"
                );
                let mut query = sqlx::query(&sql)
                    .bind(q)
                    .bind(ordered)
                    .bind(limit.saturating_add(offset))
                    .bind(limit)
                    .bind(offset);
                for v in &values {
                    query = query.bind(v);
                }
                query.fetch_all(&mut *tx).await?
            }
            None => {
                let (conds, values) = f.conditions(2, &parsed);
                let sql = format!(
                    "SELECT u.body FROM users u WHERE 1 = 1 {} ORDER BY u.user_id LIMIT ?1 OFFSET ?2",
                    conds.replace("+u.", "u.")
                );
                let mut query = sqlx::query(&sql).bind(limit).bind(offset);
                for v in &values {
                    query = query.bind(v);
                }
                query.fetch_all(&mut *tx).await?
            }
        };
        rows.iter()
            .map(|r| from_json(r.get::<&str, _>(0)))
            .collect()
    }

    /// How many users match a filter (its limit and offset ignored).
    pub async fn count_matching(&self, f: &UserFilter) -> Result<i64> {
        let parsed = search_of(f)?;
        let search = parsed.fts();
        let (conds, values) = f.conditions(usize::from(search.is_some()), &parsed);
        let (sql, search) = match search {
            // The full-text index holds exactly the cached users (it is written and deleted
            // with them), so a search with no other condition counts its matches there,
            // without a lookup of each matching user.
            Some(q) if conds.is_empty() => (
                "SELECT count(*) FROM users_fts WHERE users_fts MATCH ?1".to_owned(),
                Some(q),
            ),
            Some(q) => (
                format!(
                    "SELECT count(*) FROM users_fts CROSS JOIN users u ON u.rid = users_fts.rowid
                     WHERE users_fts MATCH ?1 {conds}"
                ),
                Some(q),
            ),
            None => (
                format!(
                    "SELECT count(*) FROM users u WHERE 1 = 1 {}",
                    conds.replace("+u.", "u.")
                ),
                None,
            ),
        };
        let mut query = sqlx::query(&sql);
        if let Some(q) = search {
            query = query.bind(q);
        }
        for v in &values {
            query = query.bind(v);
        }
        Ok(query.fetch_one(&self.reader).await?.get(0))
    }

    pub async fn count_users(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT count(*) FROM users")
            .fetch_one(&self.reader)
            .await?
            .get(0))
    }
}

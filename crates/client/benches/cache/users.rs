//! The benchmark's users: the server's generated seed (`demo_with_service_users`), turned into
//! the `User` bodies the server would send alice, so the write and search phases can fill a
//! cache of any size without a server.

use amorphic_su_client::model::{AccessType, Shares, TagShare, Timestamp, User, UserShare};
use amorphic_su_server::seed;

/// The demo users plus `n` generated service users, as `GET /users` would return them to
/// alice (versions in seed order, every service user owned by her directly or by tag).
pub fn generated(n: usize) -> Vec<User> {
    let now = Timestamp::now();
    seed::demo_with_service_users(n)
        .users
        .into_iter()
        .enumerate()
        .map(|(k, s)| {
            let shares = s.shares.map(|sh| {
                let mut users: Vec<UserShare> = sh
                    .users
                    .into_iter()
                    .map(|u| UserShare {
                        user_id: u.user_id,
                        access_type: u.access_type,
                    })
                    .collect();
                users.sort_by(|a, b| a.user_id.as_str().cmp(b.user_id.as_str()));
                let mut tags: Vec<TagShare> = sh
                    .tags
                    .into_iter()
                    .map(|t| TagShare {
                        tag_id: t.tag_id,
                        access_type: t.access_type,
                    })
                    .collect();
                tags.sort_by(|a, b| a.tag_id.as_str().cmp(b.tag_id.as_str()));
                Shares { users, tags }
            });
            let service = s.is_service_user;
            User {
                user_id: s.user_id,
                is_service_user: service,
                display_name: s.display_name,
                description: s.description,
                email: s.email,
                user_status: s.user_status,
                default_role_id: s.default_role_id,
                roles: s.roles,
                tags: s.tags,
                created_by: s.created_by,
                creation_time: now,
                last_modified_time: now,
                version: k as i64 + 1,
                caller_access: service.then_some(Some(AccessType::Owner)),
                shares: service.then(|| shares.unwrap_or_default()),
            }
        })
        .collect()
}

/// Sorted by id, cut into pages of `page` (the order a full pass reads them).
pub fn pages(mut users: Vec<User>, page: usize) -> Vec<Vec<User>> {
    users.sort_by(|a, b| a.user_id.as_str().cmp(b.user_id.as_str()));
    let mut out = Vec::with_capacity(users.len() / page + 1);
    let mut it = users.into_iter().peekable();
    while it.peek().is_some() {
        out.push(it.by_ref().take(page).collect());
    }
    out
}

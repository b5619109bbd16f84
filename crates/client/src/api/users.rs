//! Users: the list and the change feed the sync reads, one user, and the changes to a service
//! user (create, roles, status, delete with what it owns).

use amorphic_su_model::{
    AttachRolesRequest, ChangeFeed, CreateServiceUserRequest, DeleteServiceUserResponse,
    OwnedResources, RoleId, SetStatusRequest, User, UserId, UserList, UserStatus, UsersResponse,
};
use reqwest::Method;

use super::http::parse_body;
use super::{seg, ApiClient, Credentials};
use crate::error::Result;

impl ApiClient {
    /// One page of `GET /users` (all users, or service users only).
    pub async fn list_users(
        &self,
        c: &Credentials,
        service_only: bool,
        offset: u64,
        limit: u32,
    ) -> Result<UserList> {
        let action = if service_only {
            "action=get_service_users&"
        } else {
            ""
        };
        let path = format!("/users?{action}offset={offset}&limit={limit}");
        let (status, bytes) = self.send_raw(Method::GET, &path, Some(c), None).await?;
        // The list, decoded straight into its type (an untagged `UsersResponse` would buffer
        // every page and decode it twice); a feed-shaped answer is taken as a list too.
        if let Ok(l) = serde_json::from_slice::<UserList>(&bytes) {
            return Ok(l);
        }
        match parse_body::<UsersResponse>(status.as_u16(), &bytes)? {
            UsersResponse::List(l) => Ok(l),
            UsersResponse::Feed(f) => Ok(UserList {
                total_count: f.users.len() as u64,
                users: f.users,
            }),
        }
    }

    /// One page of `GET /users` (all users) with the keyset cursor `after` (the last `UserId`
    /// of the previous page; the reference server's optional parameter), skipping `offset`
    /// after it. A server that does not know `after` answers the page at `offset` from the
    /// start: the caller tells the two apart by the ids (see the sync's keyset pass).
    pub async fn list_users_after(
        &self,
        c: &Credentials,
        after: Option<&str>,
        offset: u64,
        limit: u32,
    ) -> Result<UserList> {
        let Some(after) = after else {
            return self.list_users(c, false, offset, limit).await;
        };
        // A UserId is `[A-Za-z0-9._-]`; anything else is escaped all the same.
        let mut path = format!("/users?offset={offset}&limit={limit}&after=");
        for b in after.bytes() {
            if b.is_ascii_alphanumeric() || b"._-~".contains(&b) {
                path.push(char::from(b));
            } else {
                path.push_str(&format!("%{b:02X}"));
            }
        }
        let (status, bytes) = self.send_raw(Method::GET, &path, Some(c), None).await?;
        if let Ok(l) = serde_json::from_slice::<UserList>(&bytes) {
            return Ok(l);
        }
        parse_body(status.as_u16(), &bytes)
    }

    /// The change feed page after `since`; a server without a feed answers a plain list,
    /// returned as `UsersResponse::List`.
    pub async fn service_users_since(
        &self,
        c: &Credentials,
        since: i64,
        limit: u32,
    ) -> Result<UsersResponse> {
        let path = format!("/users?action=get_service_users&since={since}&limit={limit}");
        let (status, bytes) = self.send_raw(Method::GET, &path, Some(c), None).await?;
        // Straight into the feed's type first (see `list_users`).
        if let Ok(f) = serde_json::from_slice::<ChangeFeed>(&bytes) {
            return Ok(UsersResponse::Feed(f));
        }
        parse_body(status.as_u16(), &bytes)
    }

    pub async fn get_user(&self, c: &Credentials, id: &UserId) -> Result<User> {
        self.call(
            Method::GET,
            &format!("/users/{}", seg(id.as_str())),
            Some(c),
            None,
        )
        .await
    }

    pub async fn create_service_user(
        &self,
        c: &Credentials,
        req: &CreateServiceUserRequest,
    ) -> Result<User> {
        self.call(Method::POST, "/users", Some(c), Some(Self::to_value(req)?))
            .await
    }

    pub async fn attach_roles(
        &self,
        c: &Credentials,
        id: &UserId,
        roles: &[RoleId],
    ) -> Result<User> {
        let body = Self::to_value(&AttachRolesRequest {
            role_ids: roles.to_vec(),
        })?;
        self.call(
            Method::POST,
            &format!("/users/{}/roles", seg(id.as_str())),
            Some(c),
            Some(body),
        )
        .await
    }

    pub async fn detach_role(&self, c: &Credentials, id: &UserId, role: &RoleId) -> Result<User> {
        let path = format!("/users/{}/roles/{}", seg(id.as_str()), seg(role.as_str()));
        self.call(Method::DELETE, &path, Some(c), None).await
    }

    pub async fn set_status(
        &self,
        c: &Credentials,
        id: &UserId,
        status: UserStatus,
    ) -> Result<User> {
        let body = Self::to_value(&SetStatusRequest {
            user_status: status,
        })?;
        self.call(
            Method::PUT,
            &format!("/users/{}/status", seg(id.as_str())),
            Some(c),
            Some(body),
        )
        .await
    }

    pub async fn owned_resources(&self, c: &Credentials, id: &UserId) -> Result<OwnedResources> {
        self.call(
            Method::GET,
            &format!("/users/{}/owned-resources", seg(id.as_str())),
            Some(c),
            None,
        )
        .await
    }

    pub async fn delete_service_user(
        &self,
        c: &Credentials,
        id: &UserId,
        transfer_to: &UserId,
    ) -> Result<DeleteServiceUserResponse> {
        let path = format!(
            "/users/{}?transfer_user_id={}",
            seg(id.as_str()),
            transfer_to.as_str()
        );
        self.call(Method::DELETE, &path, Some(c), None).await
    }
}

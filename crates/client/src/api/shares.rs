//! A service user's shares: who has owner access, adding people and tags, removing them.

use amorphic_su_model::{Shares, SharesRequest, TagId, UserId};
use reqwest::Method;

use super::{seg, ApiClient, Credentials};
use crate::error::Result;

impl ApiClient {
    pub async fn get_shares(&self, c: &Credentials, id: &UserId) -> Result<Shares> {
        self.call(
            Method::GET,
            &format!("/users/{}/shares", seg(id.as_str())),
            Some(c),
            None,
        )
        .await
    }

    pub async fn add_shares(
        &self,
        c: &Credentials,
        id: &UserId,
        req: &SharesRequest,
    ) -> Result<Shares> {
        self.call(
            Method::PUT,
            &format!("/users/{}/shares", seg(id.as_str())),
            Some(c),
            Some(Self::to_value(req)?),
        )
        .await
    }

    pub async fn remove_user_share(
        &self,
        c: &Credentials,
        id: &UserId,
        user: &UserId,
    ) -> Result<Shares> {
        let path = format!(
            "/users/{}/shares/users/{}",
            seg(id.as_str()),
            seg(user.as_str())
        );
        self.call(Method::DELETE, &path, Some(c), None).await
    }

    pub async fn remove_tag_share(
        &self,
        c: &Credentials,
        id: &UserId,
        tag: &TagId,
    ) -> Result<Shares> {
        let path = format!(
            "/users/{}/shares/tags/{}",
            seg(id.as_str()),
            seg(tag.as_str())
        );
        self.call(Method::DELETE, &path, Some(c), None).await
    }
}

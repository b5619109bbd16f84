//! The catalogues the server lists whole: roles and tags.

use amorphic_su_model::{Role, RoleList, Tag, TagList};
use reqwest::Method;

use super::{ApiClient, Credentials};
use crate::error::Result;

impl ApiClient {
    pub async fn roles(&self, c: &Credentials) -> Result<Vec<Role>> {
        let l: RoleList = self.call(Method::GET, "/roles", Some(c), None).await?;
        Ok(l.roles)
    }

    pub async fn tags(&self, c: &Credentials) -> Result<Vec<Tag>> {
        let l: TagList = self.call(Method::GET, "/tags", Some(c), None).await?;
        Ok(l.tags)
    }
}

//! The dry run: the selection read from the cache, who you are and the catalogues read once,
//! then every item decided locally. No change is sent.

use std::collections::HashSet;

use amorphic_su_model::UserId;

use super::{decide, BulkAction, BulkPlan, BulkSelection, PlanContext};
use crate::cache::UserFilter;
use crate::error::{ClientError, Result};
use crate::Client;

/// The most items one bulk change takes.
pub const MAX_BULK_ITEMS: usize = 100_000;

impl Client {
    /// Decides every selected service user for `action`, locally: the cached user, the
    /// model's policy, and whether it is already in that state. Reads who you are and the
    /// roles and tags (reads only); sends no change.
    pub async fn bulk_plan(
        &self,
        action: &BulkAction,
        selection: &BulkSelection,
    ) -> Result<BulkPlan> {
        check_action(action)?;
        let ctx = self.plan_context(action).await?;
        self.plan_with(&ctx, action, selection).await
    }

    /// [`Client::bulk_plan`] with the context already read (a caller planning several actions).
    pub async fn plan_with(
        &self,
        ctx: &PlanContext,
        action: &BulkAction,
        selection: &BulkSelection,
    ) -> Result<BulkPlan> {
        let items = match selection {
            BulkSelection::Ids(ids) => {
                if ids.is_empty() {
                    return Err(ClientError::invalid("select at least one service user"));
                }
                if ids.len() > MAX_BULK_ITEMS {
                    return Err(too_many(ids.len()));
                }
                let mut seen = HashSet::new();
                let ids: Vec<UserId> = ids.iter().filter(|id| seen.insert(*id)).cloned().collect();
                // One read for the whole selection, not one per id.
                let cached = self.cache().users_by_ids(&ids).await?;
                ids.iter()
                    .map(|id| decide(ctx, action, id, cached.get(id)))
                    .collect()
            }
            BulkSelection::Filter(filter) => {
                let users = self.cache().users(&selection_filter(filter)).await?;
                if users.len() > MAX_BULK_ITEMS {
                    return Err(too_many(users.len()));
                }
                users
                    .iter()
                    .map(|u| decide(ctx, action, &u.user_id, Some(u)))
                    .collect()
            }
        };
        Ok(BulkPlan::new(action.clone(), items))
    }

    /// Who you are (from the server, reads only), the roles and tags (the cached ones when
    /// offline), and the people the action names, as cached.
    pub async fn plan_context(&self, action: &BulkAction) -> Result<PlanContext> {
        let actor = self.me().await?;
        let roles = self.roles().await?.data;
        let tags = match action {
            BulkAction::Share { .. } => self.tags().await?.data,
            _ => Vec::new(),
        };
        let cached =
            async |id: &UserId| Ok::<_, ClientError>(self.cache().user(id).await?.map(|(u, _)| u));
        let mut share_users = Vec::new();
        let mut transfer = None;
        match action {
            BulkAction::Share { users, .. } => {
                for u in users {
                    share_users.push(cached(u).await?);
                }
            }
            BulkAction::Delete { transfer_to } => transfer = cached(transfer_to).await?,
            _ => {}
        }
        Ok(PlanContext {
            actor,
            roles,
            tags,
            share_users,
            transfer,
        })
    }
}

/// The filter of "all N matching": service users only, every window.
pub fn selection_filter(filter: &UserFilter) -> UserFilter {
    UserFilter {
        service_only: true,
        regular_only: false,
        limit: None,
        offset: None,
        ..filter.clone()
    }
}

fn check_action(action: &BulkAction) -> Result<()> {
    match action {
        BulkAction::Share { users, tags } if users.is_empty() && tags.is_empty() => Err(
            ClientError::invalid("name at least one user or tag to share with"),
        ),
        _ => Ok(()),
    }
}

fn too_many(n: usize) -> ClientError {
    ClientError::invalid(format!(
        "{n} service users selected; one bulk change takes at most {MAX_BULK_ITEMS}"
    ))
}

//! Sharing a service user: owner access for people and tags, and taking it back. Sharing with a
//! service user is refused before the request, by the model's policy. The people a tag share
//! reaches are the cached regular users carrying the tag.

use amorphic_su_model::policy::{self, ShareTarget};
use amorphic_su_model::{
    ErrorCode, Shares, SharesRequest, TagId, TagShare, TagShareRequest, Timestamp, UserId,
    UserShare, UserShareRequest,
};

use super::{Acting, Client, Fetched, Journal};
use crate::api::Credentials;
use crate::cache::UserFilter;
use crate::error::{ClientError, Result};
use crate::journal::JournalAction;

/// The most members of one tag a share lists.
const TAG_MEMBERS_LISTED: u32 = 500;

/// A change of a service user's shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareChange {
    /// Share with these people and tags (owner access).
    Add {
        users: Vec<UserId>,
        tags: Vec<TagId>,
    },
    /// Stop sharing with one person.
    RemoveUser(UserId),
    /// Stop sharing with one tag.
    RemoveTag(TagId),
}

/// Who a service user is shared with, each tag share with the people it reaches.
#[derive(Debug, Clone)]
pub struct SharesWithMembers {
    pub users: Vec<UserShare>,
    pub tags: Vec<TagShareWithMembers>,
}

/// A tag share, with the regular users carrying the tag (from the cache): they can act as the
/// service user through it.
#[derive(Debug, Clone)]
pub struct TagShareWithMembers {
    pub share: TagShare,
    pub members: Vec<UserId>,
}

impl Client {
    /// Shares the service user, or stops sharing it with one person or tag.
    pub async fn change_shares(&self, id: &UserId, change: &ShareChange) -> Result<Shares> {
        match change {
            ShareChange::Add { users, tags } => self.share(id, users, tags).await,
            ShareChange::RemoveUser(user) => self.unshare_user(id, user).await,
            ShareChange::RemoveTag(tag) => self.unshare_tag(id, tag).await,
        }
    }

    /// Who the service user is shared with (as [`Client::shares`]), with whom each tag share
    /// reaches.
    pub async fn shares_with_members(&self, id: &UserId) -> Result<Fetched<SharesWithMembers>> {
        let fetched = self.shares(id).await?;
        Ok(Fetched {
            data: self.with_members(fetched.data).await?,
            stale: fetched.stale,
            as_of: fetched.as_of,
        })
    }

    /// [`Client::change_shares`], answered as [`Client::shares_with_members`]: fresh, as of
    /// the change.
    pub async fn change_shares_with_members(
        &self,
        id: &UserId,
        change: &ShareChange,
    ) -> Result<Fetched<SharesWithMembers>> {
        let shares = self.change_shares(id, change).await?;
        let as_of = Timestamp::now();
        Ok(Fetched {
            data: self.with_members(shares).await?,
            stale: false,
            as_of: Some(as_of),
        })
    }

    /// The shares, each tag share with the cached regular users carrying the tag.
    async fn with_members(&self, shares: Shares) -> Result<SharesWithMembers> {
        let mut tags = Vec::with_capacity(shares.tags.len());
        for share in shares.tags {
            let members = self
                .cache
                .users(&UserFilter {
                    regular_only: true,
                    tag: Some(share.tag_id.clone()),
                    limit: Some(TAG_MEMBERS_LISTED),
                    ..UserFilter::default()
                })
                .await?;
            tags.push(TagShareWithMembers {
                share,
                members: members.into_iter().map(|u| u.user_id).collect(),
            });
        }
        Ok(SharesWithMembers {
            users: shares.users,
            tags,
        })
    }

    /// A change of the service user's shares: its answer is the shares, so the user is read
    /// again for the cache.
    async fn mutate_shares(
        &self,
        id: &UserId,
        request: impl AsyncFnOnce(&Credentials) -> Result<Shares>,
        journal: Journal,
    ) -> Result<Shares> {
        self.mutate(
            Acting::Myself,
            request,
            async |c, _| {
                self.refresh_user(c, id).await;
                Ok(())
            },
            |_| journal,
        )
        .await
    }

    /// Shares the service user with people and tags (owner access). Sharing with a service
    /// user is refused before the request, by the model's policy.
    pub async fn share(&self, id: &UserId, users: &[UserId], tags: &[TagId]) -> Result<Shares> {
        if users.is_empty() && tags.is_empty() {
            return Err(ClientError::invalid(
                "name at least one user or tag to share with",
            ));
        }
        let names: Vec<String> = users
            .iter()
            .map(|u| u.to_string())
            .chain(tags.iter().map(|t| format!("tag {t}")))
            .collect();
        let journal = Journal::new(
            id,
            JournalAction::Shared,
            format!("shared with {} (owner access)", names.join(", ")),
        );
        self.mutate_shares(
            id,
            async |c| {
                self.check_share_targets(c, id, users, tags).await?;
                let req = SharesRequest {
                    users: users
                        .iter()
                        .map(|u| UserShareRequest {
                            user_id: u.clone(),
                            access_type: "owner".into(),
                        })
                        .collect(),
                    tags: tags
                        .iter()
                        .map(|t| TagShareRequest {
                            tag_id: t.clone(),
                            access_type: "owner".into(),
                        })
                        .collect(),
                };
                self.api.add_shares(c, id, &req).await
            },
            journal,
        )
        .await
    }

    /// The policy's verdict on sharing the service user with these people and tags, from
    /// fresh server data: a refusal names the service user among them, if one is.
    async fn check_share_targets(
        &self,
        c: &Credentials,
        id: &UserId,
        users: &[UserId],
        tags: &[TagId],
    ) -> Result<()> {
        let su = self.api.get_user(c, id).await?;
        let actor = self.actor(c).await?;
        let mut found = Vec::new();
        for u in users {
            found.push(self.find_user(c, u).await?);
        }
        let known_tags = self.api.tags(c).await?;
        let mut targets: Vec<ShareTarget<'_>> = found
            .iter()
            .map(|f| ShareTarget::User {
                found: f.as_ref(),
                access_type: "owner",
            })
            .collect();
        targets.extend(tags.iter().map(|t| ShareTarget::Tag {
            exists: known_tags.iter().any(|k| &k.tag_id == t),
            access_type: "owner",
        }));
        if let Err(
            code @ (ErrorCode::CannotShareWithServiceUser | ErrorCode::AccessTypeNotAllowed),
        ) = policy::can_add_shares(&actor, Some(&su), &targets)
        {
            let who = found
                .iter()
                .flatten()
                .find(|u| u.is_service_user)
                .map(|u| u.user_id.to_string());
            let message = match (code, who) {
                (ErrorCode::CannotShareWithServiceUser, Some(w)) => format!(
                    "'{w}' is a service user; a service user can be shared only with regular users and tags"
                ),
                _ => code.default_message().to_owned(),
            };
            return Err(ClientError::Refused { code, message });
        }
        Ok(())
    }

    pub async fn unshare_user(&self, id: &UserId, user: &UserId) -> Result<Shares> {
        self.mutate_shares(
            id,
            async |c| self.api.remove_user_share(c, id, user).await,
            Journal::new(
                id,
                JournalAction::Unshared,
                format!("stopped sharing with {user}"),
            ),
        )
        .await
    }

    pub async fn unshare_tag(&self, id: &UserId, tag: &TagId) -> Result<Shares> {
        self.mutate_shares(
            id,
            async |c| self.api.remove_tag_share(c, id, tag).await,
            Journal::new(
                id,
                JournalAction::Unshared,
                format!("stopped sharing with tag {tag}"),
            ),
        )
        .await
    }
}

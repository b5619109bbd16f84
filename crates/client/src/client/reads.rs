//! Reads: answered fresh from the server and kept in the cache, or from the cache (marked
//! stale, as of when it was fetched) when the server cannot be reached.

use std::future::Future;

use amorphic_su_model::{OwnedResource, Role, Shares, Tag, Timestamp, User, UserId};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{is_not_found, Client, Fetched};
use crate::api::Credentials;
use crate::cache::{ReadKey, UserFilter};
use crate::error::{ClientError, Result};

impl Client {
    /// When the cache was last synced.
    pub async fn last_sync_at(&self) -> Result<Option<Timestamp>> {
        self.cache.last_sync_at().await
    }

    /// Lists users: syncs first (unless `offline`), then answers from the cache; when the server
    /// cannot be reached the answer is the cache, marked stale, as of the last sync.
    pub async fn list_users(
        &self,
        filter: &UserFilter,
        offline: bool,
    ) -> Result<Fetched<Vec<User>>> {
        let mut stale = offline;
        if !offline {
            match self.sync(false, &|_| {}).await {
                Ok(_) => {}
                Err(e) if e.is_offline() => stale = true,
                Err(e) => return Err(e),
            }
        }
        let as_of = self.cache.last_sync_at().await?;
        if as_of.is_none() {
            return Err(ClientError::NotCached {
                what: "the user list".into(),
            });
        }
        Ok(Fetched {
            data: self.cache.users(filter).await?,
            stale,
            as_of,
        })
    }

    /// One user, fresh, or from the cache when offline.
    pub async fn user(&self, id: &UserId) -> Result<Fetched<User>> {
        let c = self.principal().await?;
        match self.api.get_user(&c, id).await {
            Ok(u) => {
                self.cache.upsert_user(&u).await?;
                Ok(Fetched {
                    data: u,
                    stale: false,
                    as_of: Some(Timestamp::now()),
                })
            }
            Err(e) if e.is_offline() => match self.cache.user(id).await? {
                Some((u, at)) => Ok(Fetched {
                    data: u,
                    stale: true,
                    as_of: Some(at),
                }),
                None => Err(ClientError::NotCached {
                    what: format!("user '{id}'"),
                }),
            },
            Err(e) => {
                if is_not_found(&e) {
                    let _ = self.cache.remove_user(id).await;
                }
                Err(self.map_auth(e))
            }
        }
    }

    /// A read kept in the cache's `reads` table, answered from there when offline; a 401 on
    /// the session is `session_expired`.
    pub(super) async fn cached_read<T, F, Fut>(&self, key: ReadKey, fetch: F) -> Result<Fetched<T>>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        self.kept_read(key, async || fetch().await.map_err(|e| self.map_auth(e)))
            .await
    }

    /// A read acting as an assumed service user, kept like [`Client::cached_read`]; a refusal
    /// is the identity's (checked and recorded), an answer shows the server accepts its token.
    pub(super) async fn cached_read_as<T, F, Fut>(
        &self,
        su: &UserId,
        key: ReadKey,
        fetch: F,
    ) -> Result<Fetched<T>>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce(Credentials) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let (c, meta) = self.acting_as(su).await?;
        self.kept_read(key, async || match fetch(c).await {
            Ok(v) => {
                self.accepted_as(su, &meta.jti).await;
                Ok(v)
            }
            Err(e) => Err(self.refused_as(su, e).await),
        })
        .await
    }

    /// The answer of `fetch` kept under `key`, or the kept one (stale) when offline.
    async fn kept_read<T>(
        &self,
        key: ReadKey,
        fetch: impl AsyncFnOnce() -> Result<T>,
    ) -> Result<Fetched<T>>
    where
        T: Serialize + DeserializeOwned,
    {
        match fetch().await {
            Ok(v) => {
                self.cache.put_read(&key, &v).await?;
                Ok(Fetched {
                    data: v,
                    stale: false,
                    as_of: Some(Timestamp::now()),
                })
            }
            Err(e) if e.is_offline() => match self.cache.get_read::<T>(&key).await? {
                Some((v, at)) => Ok(Fetched {
                    data: v,
                    stale: true,
                    as_of: Some(at),
                }),
                None => Err(ClientError::NotCached {
                    what: key.describe(),
                }),
            },
            Err(e) => Err(e),
        }
    }

    pub async fn roles(&self) -> Result<Fetched<Vec<Role>>> {
        let c = self.principal().await?;
        let fetched = self.api.roles(&c).await;
        if let Ok(r) = &fetched {
            self.cache.replace_roles(r).await?;
        }
        self.catalogue(fetched, self.cache.roles()).await
    }

    pub async fn tags(&self) -> Result<Fetched<Vec<Tag>>> {
        let c = self.principal().await?;
        let fetched = self.api.tags(&c).await;
        if let Ok(t) = &fetched {
            self.cache.replace_tags(t).await?;
        }
        self.catalogue(fetched, self.cache.tags()).await
    }

    /// A catalogue (roles, tags) just fetched and cached, or the cached one, as of the last
    /// sync, when the server cannot be reached.
    async fn catalogue<T>(
        &self,
        fetched: Result<Vec<T>>,
        cached: impl Future<Output = Result<Vec<T>>>,
    ) -> Result<Fetched<Vec<T>>> {
        match fetched {
            Ok(data) => Ok(Fetched {
                data,
                stale: false,
                as_of: Some(Timestamp::now()),
            }),
            Err(e) if e.is_offline() => Ok(Fetched {
                data: cached.await?,
                stale: true,
                as_of: self.cache.last_sync_at().await?,
            }),
            Err(e) => Err(self.map_auth(e)),
        }
    }

    /// What deleting the service user would transfer (the preview before a delete).
    pub async fn owned_resources(&self, id: &UserId) -> Result<Fetched<Vec<OwnedResource>>> {
        let c = self.principal().await?;
        self.cached_read(ReadKey::Owned(id.clone()), || async {
            Ok(self.api.owned_resources(&c, id).await?.resources)
        })
        .await
    }

    /// Who can act as the service user: its shares (from the user record).
    pub async fn shares(&self, id: &UserId) -> Result<Fetched<Shares>> {
        let c = self.principal().await?;
        self.cached_read(ReadKey::Shares(id.clone()), || async {
            self.api.get_shares(&c, id).await
        })
        .await
    }

    /// Reads the user again and keeps it (best effort: after a change whose answer is not the
    /// user, the change already happened).
    pub(super) async fn refresh_user(&self, c: &Credentials, id: &UserId) {
        if let Ok(u) = self.api.get_user(c, id).await {
            let _ = self.cache.upsert_user(&u).await;
        }
    }

    /// The user, or `None` when the server has no such user.
    pub(super) async fn find_user(&self, c: &Credentials, id: &UserId) -> Result<Option<User>> {
        match self.api.get_user(c, id).await {
            Ok(u) => Ok(Some(u)),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

//! Profiles as a whole: adding one, making one current, removing one with its keychain
//! entries and cache, and which one is current. (The config file itself is `crate::profiles`.)

use crate::cache::{remove_cache_files, Cache};
use crate::error::Result;
use crate::profiles::{Config, NewProfile, Paths, Profile};
use crate::vault::{SecretKind, Vault};

/// A profile just added, and whether it is now the current one (the first profile becomes
/// current).
#[derive(Debug, Clone)]
pub struct AddedProfile {
    pub profile: Profile,
    pub current: bool,
}

/// Adds a profile to the config file, after checking every field.
pub fn add_profile(paths: &Paths, new: NewProfile) -> Result<AddedProfile> {
    let mut config = Config::load(paths)?;
    let profile = config.add(new)?.clone();
    config.save(paths)?;
    let current = config.resolve(None).is_ok_and(|p| p.name == profile.name);
    Ok(AddedProfile { profile, current })
}

/// Makes the named profile the current one.
pub fn use_profile(paths: &Paths, name: &str) -> Result<()> {
    let mut config = Config::load(paths)?;
    config.set_current(name)?;
    config.save(paths)
}

/// The current profile (named as current, else the only one), if there is one.
pub fn current_profile(paths: &Paths) -> Result<Option<Profile>> {
    Ok(Config::load(paths)?.resolve(None).ok().cloned())
}

/// Removes a profile: its keychain entries, its cache file and its config entry.
pub async fn remove_profile(paths: &Paths, name: &str) -> Result<()> {
    let mut config = Config::load(paths)?;
    let profile = config.resolve(Some(name))?.clone();
    let vault = Vault::default();
    let cache_file = paths.cache_file(name);
    if cache_file.exists() {
        let cache = Cache::open(&cache_file).await?;
        for m in cache.assumed().await? {
            vault
                .delete(&profile.name, &SecretKind::Assumed(m.service_user_id))
                .await?;
        }
        cache.close().await;
    }
    vault.delete(&profile.name, &SecretKind::Pat).await?;
    vault.delete(&profile.name, &SecretKind::Session).await?;
    remove_cache_files(&cache_file);
    config.remove(name)?;
    config.save(paths)
}

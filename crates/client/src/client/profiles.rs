//! Profiles as a whole: adding one, editing one (another server signs it out), making one
//! current, removing one with its keychain entries and cache, and which one is current. (The
//! config file itself is `crate::profiles`.)

use amorphic_su_model::RoleId;

use crate::api::normalize_base_url;
use crate::cache::{remove_cache_files, Cache};
use crate::error::{ClientError, Result};
use crate::profiles::{check_color, Config, NewProfile, Paths, Profile};
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

/// What `edit_profile` changes; `None` leaves a field as it is (`Some(None)` clears an optional
/// one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileEdit {
    pub base_url: Option<String>,
    pub color: Option<Option<String>>,
    pub production: Option<bool>,
    /// The role requests carry (none: the credential's default). Not checked with the server
    /// here; `Client::use_role` is the checked way.
    pub default_role: Option<Option<String>>,
}

/// A profile as edited, and whether the edit signed it out.
#[derive(Debug, Clone)]
pub struct EditedProfile {
    pub profile: Profile,
    /// It was signed in, and the base URL moved to another server: its credential, assumed
    /// tokens and cache are gone; sign in again.
    pub signed_out: bool,
}

/// Edits a profile, after checking every field given. A base URL on another origin (scheme,
/// host or port) is another server: the profile is signed out (its credential must never be
/// sent there) and its cache emptied (it described the other server). A new path on the same
/// origin (e.g. another API stage) keeps both.
pub async fn edit_profile(paths: &Paths, name: &str, edit: ProfileEdit) -> Result<EditedProfile> {
    let mut config = Config::load(paths)?;
    let mut profile = config.resolve(Some(name))?.clone();
    let base_url = edit
        .base_url
        .as_deref()
        .map(normalize_base_url)
        .transpose()?;
    if let Some(Some(c)) = &edit.color {
        check_color(c)?;
    }
    let role = |r: String| {
        RoleId::parse(r.clone())
            .map_err(|e| ClientError::invalid(format!("default role '{r}' is not valid: {e}")))
    };
    let default_role = match edit.default_role {
        Some(r) => Some(r.map(role).transpose()?),
        None => None,
    };
    let moved = match &base_url {
        Some(url) => !same_origin(&profile.base_url, url)?,
        None => false,
    };
    let signed_out = moved && profile.auth.is_some();
    if moved {
        sign_out_and_clear(paths, &profile).await?;
        profile.auth = None;
        profile.session_expires_at = None;
    }
    if let Some(url) = base_url {
        profile.base_url = url;
    }
    if let Some(c) = edit.color {
        profile.color = c;
    }
    if let Some(p) = edit.production {
        profile.production = p;
    }
    if let Some(r) = default_role {
        profile.default_role = r;
    }
    *config
        .get_mut(name)
        .ok_or_else(|| ClientError::UnknownProfile(name.to_owned()))? = profile.clone();
    config.save(paths)?;
    Ok(EditedProfile {
        profile,
        signed_out,
    })
}

/// Whether two (normalised) base URLs are on the same server: scheme, host and port.
fn same_origin(a: &str, b: &str) -> Result<bool> {
    let origin = |u: &str| {
        reqwest::Url::parse(u)
            .map(|u| u.origin())
            .map_err(|e| ClientError::invalid(format!("'{u}' is not a valid base URL ({e})")))
    };
    Ok(origin(a)? == origin(b)?)
}

/// Wipes a profile's credential and assumed tokens from the keychain and empties its cache (in
/// place: a client of the profile still open sees it empty, never the other server's data).
async fn sign_out_and_clear(paths: &Paths, profile: &Profile) -> Result<()> {
    let vault = Vault::default();
    let cache_file = paths.cache_file(&profile.name);
    if cache_file.exists() {
        let cache = Cache::open(&cache_file).await?;
        for m in cache.assumed().await? {
            vault
                .delete(&profile.name, &SecretKind::Assumed(m.service_user_id))
                .await?;
        }
        cache.clear().await?;
        cache.close().await;
    }
    vault.delete(&profile.name, &SecretKind::Pat).await?;
    vault.delete(&profile.name, &SecretKind::Session).await
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

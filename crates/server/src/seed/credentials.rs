//! Credentials that replace a seed's own passwords and PATs.

use std::collections::BTreeMap;

use amorphic_su_model::{Secret, UserId};

use crate::auth::secrets;
use crate::error::ServerError;
use crate::seed::format::Seed;
use crate::seed::validate::invalid;

/// Passwords and PATs that replace a seed's own. A seed file is public (the demo seed is in the
/// repository and in every build), so an installed demo environment must not accept its
/// credentials: it loads the seed with random ones instead ([`SeedCredentials::random_for`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedCredentials {
    /// User id -> password.
    pub passwords: BTreeMap<UserId, Secret>,
    /// (user id, token name) -> personal access token.
    pub tokens: BTreeMap<(UserId, String), Secret>,
}

impl SeedCredentials {
    pub fn is_empty(&self) -> bool {
        self.passwords.is_empty() && self.tokens.is_empty()
    }

    /// A fresh random replacement for every password and PAT of `seed`: passwords of 32
    /// URL-safe base64 characters (24 random bytes), PATs in the server's own format.
    pub fn random_for(seed: &Seed) -> SeedCredentials {
        let mut out = SeedCredentials::default();
        for u in &seed.users {
            if u.password.is_some() {
                out.passwords
                    .insert(u.user_id.clone(), secrets::random_password());
            }
            for t in &u.access_tokens {
                out.tokens.insert(
                    (u.user_id.clone(), t.token_name.clone()),
                    secrets::mint_pat(),
                );
            }
        }
        out
    }

    /// Replaces the seed's credentials with these. Every entry must name a password or a PAT
    /// the seed has (a typo would otherwise leave a published credential in place).
    pub fn apply_to(&self, seed: &mut Seed) -> Result<(), ServerError> {
        for (user, password) in &self.passwords {
            let u = seed
                .users
                .iter_mut()
                .find(|u| &u.user_id == user && u.password.is_some())
                .ok_or_else(|| invalid(format!("no password of user {user} to replace")))?;
            u.password = Some(password.clone());
        }
        for ((user, name), token) in &self.tokens {
            let t = seed
                .users
                .iter_mut()
                .filter(|u| &u.user_id == user)
                .flat_map(|u| u.access_tokens.iter_mut())
                .find(|t| &t.token_name == name)
                .ok_or_else(|| invalid(format!("no token {name} of user {user} to replace")))?;
            t.token = token.clone();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::validate::validate;

    #[test]
    fn random_credentials_replace_every_published_one() {
        let published = Seed::demo();
        let creds = SeedCredentials::random_for(&published);
        let mut seed = Seed::demo();
        creds.apply_to(&mut seed).unwrap();
        validate(&seed).unwrap();
        for (old, new) in published.users.iter().zip(&seed.users) {
            assert_eq!(old.password.is_some(), new.password.is_some());
            if let (Some(a), Some(b)) = (&old.password, &new.password) {
                assert_ne!(a.expose(), b.expose(), "{}", old.user_id);
                assert_eq!(b.expose().len(), 32);
            }
            for (a, b) in old.access_tokens.iter().zip(&new.access_tokens) {
                assert_ne!(a.token.expose(), b.token.expose());
                assert!(b.token.expose().starts_with("amo_pat_"));
            }
        }
        assert_ne!(creds, SeedCredentials::random_for(&published));
    }

    #[test]
    fn credentials_the_seed_does_not_have_are_refused() {
        let id = |s: &str| UserId::parse(s).unwrap();
        let mut seed = Seed::demo();
        let mut c = SeedCredentials::default();
        c.passwords.insert(id("etl-bot"), Secret::new("x"));
        assert!(
            c.apply_to(&mut seed).is_err(),
            "a service user has no password"
        );
        let mut c = SeedCredentials::default();
        c.tokens
            .insert((id("alice"), "nope".into()), Secret::new("amo_pat_x"));
        assert!(c.apply_to(&mut seed).is_err());
    }
}

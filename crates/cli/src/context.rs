//! What every command starts from: the data and config folders, the global options and the
//! output, and from them a `Client` for the chosen profile and role.

use amorphic_su_client::model::{RoleId, UserId};
use amorphic_su_client::{Client, ClientError, Paths};

use crate::cli::Cli;
use crate::output::Out;

pub struct Context {
    pub paths: Paths,
    pub out: Out,
    profile: Option<String>,
    as_role: Option<String>,
}

impl Context {
    pub fn new(cli: &Cli) -> Result<Self, ClientError> {
        Ok(Context {
            paths: Paths::from_env()?,
            out: Out { json: cli.json },
            profile: cli.profile.clone(),
            as_role: cli.as_role.clone(),
        })
    }

    /// A client of `--profile` (or the current profile) acting with `--as-role` when given.
    pub async fn client(&self) -> Result<Client, ClientError> {
        let client = Client::open(&self.paths, self.profile.as_deref()).await?;
        let role = self.as_role.as_deref().map(role_id).transpose()?;
        Ok(client.with_role(role))
    }
}

/// A user id from the command line; a malformed one is invalid input (exit 9), not a usage error.
pub fn user_id(s: &str) -> Result<UserId, ClientError> {
    Ok(UserId::parse(s)?)
}

/// A role id from the command line; a malformed one is invalid input (exit 9).
pub fn role_id(s: &str) -> Result<RoleId, ClientError> {
    Ok(RoleId::parse(s)?)
}

//! The format of a seed file (`seed/demo-seed.json`): roles, tags, users with passwords and
//! PATs, service users with shares, datasources.

use std::path::Path;

use amorphic_su_model::{
    AccessType, DatasourceId, Role, RoleId, Secret, Tag, TagId, Timestamp, UserId, UserStatus,
};
use serde::Deserialize;

use crate::error::ServerError;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Seed {
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
    #[serde(default)]
    pub datasources: Vec<SeedDatasource>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedUser {
    pub user_id: UserId,
    #[serde(default)]
    pub is_service_user: bool,
    pub display_name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub password: Option<Secret>,
    #[serde(default = "enabled")]
    pub user_status: UserStatus,
    pub roles: Vec<RoleId>,
    pub default_role_id: RoleId,
    #[serde(default)]
    pub tags: Vec<TagId>,
    #[serde(default)]
    pub access_tokens: Vec<SeedAccessToken>,
    #[serde(default)]
    pub shares: Option<SeedShares>,
    #[serde(default)]
    pub created_by: Option<UserId>,
}

fn enabled() -> UserStatus {
    UserStatus::Enabled
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedShares {
    #[serde(default)]
    pub users: Vec<SeedUserShare>,
    #[serde(default)]
    pub tags: Vec<SeedTagShare>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedUserShare {
    pub user_id: UserId,
    pub access_type: AccessType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedTagShare {
    pub tag_id: TagId,
    pub access_type: AccessType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedAccessToken {
    pub token_name: String,
    /// Loaded as given; only its digest is stored.
    pub token: Secret,
    pub role_id: RoleId,
    pub expires_at: Timestamp,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedDatasource {
    pub datasource_id: DatasourceId,
    pub datasource_name: String,
    pub datasource_type: String,
    pub owner: UserId,
}

impl Seed {
    /// Reads and parses a seed file.
    pub fn read(path: &Path) -> Result<Seed, ServerError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ServerError::io(format!("reading {}", path.display()), e))?;
        serde_json::from_str(&text).map_err(|e| ServerError::Seed {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }
}

//! Roles, tags, datasources and the health answer.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{DatasourceId, DatasourceName, DatasourceType, RoleId, TagId, Timestamp, UserId};

/// A role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    pub role_id: RoleId,
    pub role_name: String,
    pub description: Option<String>,
    pub is_system_role: bool,
    pub is_super_admin: bool,
    pub permissions: Vec<String>,
}

/// `GET /roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct RoleList {
    pub roles: Vec<Role>,
}

/// A tag: a group of people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub tag_id: TagId,
    pub tag_key: String,
    pub tag_value: String,
    pub description: Option<String>,
}

/// `GET /tags`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct TagList {
    pub tags: Vec<Tag>,
}

/// A datasource, owned by one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Datasource {
    pub datasource_id: DatasourceId,
    pub datasource_name: String,
    pub datasource_type: String,
    pub owner: UserId,
    pub creation_time: Timestamp,
}

/// `GET /datasources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DatasourceList {
    pub datasources: Vec<Datasource>,
}

/// `POST /datasources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateDatasourceRequest {
    pub datasource_name: DatasourceName,
    pub datasource_type: DatasourceType,
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
}

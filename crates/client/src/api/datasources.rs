//! Datasources the principal (or the service user it acts as) can see, and creating one.

use amorphic_su_model::{CreateDatasourceRequest, Datasource, DatasourceList};
use reqwest::Method;

use super::{ApiClient, Credentials};
use crate::error::Result;

impl ApiClient {
    pub async fn datasources(&self, c: &Credentials) -> Result<Vec<Datasource>> {
        let l: DatasourceList = self
            .call(Method::GET, "/datasources", Some(c), None)
            .await?;
        Ok(l.datasources)
    }

    pub async fn create_datasource(
        &self,
        c: &Credentials,
        req: &CreateDatasourceRequest,
    ) -> Result<Datasource> {
        self.call(
            Method::POST,
            "/datasources",
            Some(c),
            Some(Self::to_value(req)?),
        )
        .await
    }
}

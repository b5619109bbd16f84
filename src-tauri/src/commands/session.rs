use amorphic_su_client::{Config, Profile};
use serde::Serialize;
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// An environment (profile) as the top bar shows it.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentView {
    pub name: String,
    pub base_url: String,
    pub colour: Option<String>,
    pub production: bool,
}

impl From<&Profile> for EnvironmentView {
    fn from(p: &Profile) -> Self {
        EnvironmentView {
            name: p.name.clone(),
            base_url: p.base_url.clone(),
            colour: p.color.clone(),
            production: p.production,
        }
    }
}

/// Who the app acts as in the current environment.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub environment: Option<EnvironmentView>,
    pub user_id: Option<String>,
    pub role_id: Option<String>,
    /// False when the server could not be reached (the cache still answers reads).
    pub online: bool,
    /// Why the app is not signed in, when it is not.
    pub problem: Option<IpcError>,
}

#[tauri::command]
#[specta::specta]
pub async fn session_status(state: State<'_, AppState>) -> IpcResult<SessionView> {
    let config = Config::load(state.paths())?;
    let Ok(profile) = config.resolve(None) else {
        return Ok(SessionView {
            environment: None,
            user_id: None,
            role_id: None,
            online: false,
            problem: None,
        });
    };
    let environment = Some(EnvironmentView::from(profile));
    let signed_in_as = profile.user_id.as_ref().map(|u| u.to_string());
    let whoami = match state.client().await {
        Ok(client) => client.whoami().await.map_err(IpcError::from),
        Err(e) => Err(e),
    };
    Ok(match whoami {
        Ok(me) => SessionView {
            environment,
            user_id: Some(me.user_id.to_string()),
            role_id: Some(me.role_id.to_string()),
            online: true,
            problem: None,
        },
        Err(problem) => SessionView {
            environment,
            user_id: signed_in_as,
            role_id: None,
            online: problem.code != "offline",
            problem: Some(problem),
        },
    })
}

//! Signing in and out, and who the app acts as in the current environment. The PAT or password
//! typed into the sign-in form is the only secret that crosses IPC towards Rust; it goes
//! straight to the OS keychain.
use amorphic_su_client::model::{ClientCode, RoleId, Secret};
use amorphic_su_client::{
    current_profile, logout_current, AuthKind, Client, LoginWith, Profile, SessionStatus, SignedOut,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::commands::environments::EnvironmentView;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// How the environment signs in: a personal access token (bound to its role) or a password
/// session (it ends).
#[derive(Serialize, specta::Type, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "camelCase")]
pub enum SignInKind {
    Pat,
    Session,
}

impl From<AuthKind> for SignInKind {
    fn from(a: AuthKind) -> Self {
        match a {
            AuthKind::Pat => SignInKind::Pat,
            AuthKind::Session => SignInKind::Session,
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
    /// The role's name from the cached catalogue.
    pub role_name: Option<String>,
    /// How the environment signs in; none when it never did.
    pub auth: Option<SignInKind>,
    /// False when the server could not be reached (the cache still answers reads).
    pub online: bool,
    /// Offline: when the cache last matched the server (RFC 3339).
    pub cached_as_of: Option<String>,
    /// Why the app is not signed in, when it is not. `session_expired`: the session ended
    /// (sign in again); `offline` with a user id: still signed in, the server unreachable.
    pub problem: Option<IpcError>,
    /// When a password sign-in's session ends (RFC 3339).
    pub session_expires_at: Option<String>,
}

impl SessionView {
    /// What the stored profile says, before asking the server: signed in (as far as the
    /// profile knows), or the problem only signing in solves.
    fn stored(profile: Option<&Profile>) -> Self {
        let Some(profile) = profile else {
            return SessionView {
                environment: None,
                user_id: None,
                role_id: None,
                role_name: None,
                auth: None,
                online: false,
                cached_as_of: None,
                problem: None,
                session_expires_at: None,
            };
        };
        SessionView {
            environment: Some(EnvironmentView::new(profile, true)),
            user_id: profile.user_id.as_ref().map(|u| u.to_string()),
            role_id: profile.default_role.as_ref().map(|r| r.to_string()),
            role_name: None,
            auth: profile.auth.map(SignInKind::from),
            online: true,
            cached_as_of: None,
            problem: profile.sign_in_kind().err().map(IpcError::from),
            session_expires_at: profile.session_expires_at.map(|t| t.to_rfc3339()),
        }
    }

    /// The stored session, corrected by what the server said of it.
    fn checked(status: SessionStatus<IpcError>) -> Self {
        let stored = SessionView::stored(Some(&status.profile));
        match status.whoami {
            Ok(me) => SessionView {
                user_id: Some(me.user_id.to_string()),
                role_id: Some(me.role_id.to_string()),
                online: true,
                problem: None,
                ..stored
            },
            // Offline the stored session still stands: who, with the stored role.
            Err(problem) if problem.code == ClientCode::Offline => SessionView {
                online: false,
                problem: Some(problem),
                ..stored
            },
            Err(problem) => SessionView {
                role_id: None,
                problem: Some(problem),
                ..stored
            },
        }
    }

    /// Names the role from the cached catalogue and, offline, says as of when the cache is.
    async fn named(self, client: &Client) -> Self {
        let role = self.role_id.clone().and_then(|r| RoleId::parse(r).ok());
        let role_name = match role {
            Some(role) => crate::identity::role_names(client).await.remove(&role),
            None => None,
        };
        let cached_as_of = if self.online {
            None
        } else {
            client.last_sync_at().await.ok().flatten()
        };
        SessionView {
            role_name,
            cached_as_of: cached_as_of.map(|t| t.to_rfc3339()),
            ..self
        }
    }
}

/// The session as the stored profile describes it, without the keychain or the server: the
/// window shows the cached lists at once while `session_status` asks the server. `online` is
/// assumed until then.
#[tauri::command]
#[specta::specta]
pub async fn session_stored(state: State<'_, AppState>) -> IpcResult<SessionView> {
    let profile = current_profile(state.paths())?;
    Ok(SessionView::stored(profile.as_ref()))
}

/// The session as the server sees it (`/whoami`): who the app acts as, with which role, and
/// whether the server answers.
#[tauri::command]
#[specta::specta]
pub async fn session_status(state: State<'_, AppState>) -> IpcResult<SessionView> {
    let status =
        amorphic_su_client::session_status(state.paths(), async || state.client().await).await?;
    let Some(status) = status else {
        return Ok(SessionView::stored(None));
    };
    let view = SessionView::checked(status);
    Ok(match state.client().await {
        Ok(client) => view.named(&client).await,
        Err(_) => view,
    })
}

/// What the signed-in user may do: the UI offers only what the policy allows, and explains
/// the rest (the server checks again).
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccessView {
    pub user_id: String,
    pub active_role: String,
    /// Super-admin powers: create service users, manage every one of them.
    pub is_super_admin: bool,
    pub permissions: Vec<String>,
    /// Roles the user holds: the only ones they may attach.
    pub roles: Vec<String>,
    pub tags: Vec<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn my_access(state: State<'_, AppState>) -> IpcResult<AccessView> {
    let me = state.client().await?.me().await?;
    Ok(AccessView {
        is_super_admin: me.is_super_admin(),
        user_id: me.user_id.to_string(),
        active_role: me.active_role.role_id.to_string(),
        permissions: me.active_role.permissions,
        roles: me.roles.iter().map(|r| r.to_string()).collect(),
        tags: me.tags.iter().map(|t| t.to_string()).collect(),
    })
}

/// The credential typed into the sign-in form.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum SignInCredential {
    /// A personal access token.
    #[serde(rename_all = "camelCase")]
    Pat { token: String },
    /// User id and password, for a 60-minute session.
    #[serde(rename_all = "camelCase")]
    Password { user_id: String, password: String },
}

/// Signs in to an environment and makes it current. The secret goes to the OS keychain.
#[tauri::command]
#[specta::specta]
pub async fn sign_in(
    app: AppHandle,
    state: State<'_, AppState>,
    environment: String,
    credential: SignInCredential,
) -> IpcResult<SessionView> {
    let with = match credential {
        SignInCredential::Pat { token } => LoginWith::Pat(Secret::new(token)),
        SignInCredential::Password { user_id, password } => LoginWith::Password {
            user_id,
            password: Secret::new(password),
        },
    };
    let client = Client::login_and_use(state.paths(), &environment, with).await?;
    state.set_client(client).await;
    crate::identity::changed(&app).await;
    session_status(state).await
}

/// Signs out of the current environment: the session ends on the server (best-effort; the
/// answer says when it could not and until when it stays valid there), then its credential and
/// assumed tokens leave the keychain.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(app: AppHandle, state: State<'_, AppState>) -> IpcResult<SignedOut> {
    let out = logout_current(state.paths()).await?;
    state.reset().await;
    crate::identity::changed(&app).await;
    Ok(out)
}

#[cfg(test)]
mod tests;

//! Profiles: one per environment (name, base URL, user, default role, colour, production flag),
//! kept in `config.toml` in the OS config directory. No secret is ever written here.

use std::path::{Path, PathBuf};

use amorphic_su_model::{RoleId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

use crate::api::normalize_base_url;
use crate::error::{ClientError, Result};

/// The folder name under the OS config and data directories.
pub const APP_DIR: &str = "amorphic-su-desktop";

/// Where the client keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Holds `config.toml`.
    pub config_dir: PathBuf,
    /// Holds `cache/<profile>.sqlite` and `journal/<profile>.sqlite`.
    pub data_dir: PathBuf,
}

impl Paths {
    /// The OS directories (`$XDG_CONFIG_HOME/amorphic-su-desktop`, `$XDG_DATA_HOME/...` on
    /// Linux), overridable with `AMORPHIC_SU_CONFIG_DIR` and `AMORPHIC_SU_DATA_DIR`.
    pub fn from_env() -> Result<Self> {
        let config_dir = match std::env::var_os("AMORPHIC_SU_CONFIG_DIR") {
            Some(d) => PathBuf::from(d),
            None => dirs::config_dir()
                .ok_or_else(|| {
                    ClientError::Config("no OS configuration directory (is HOME set?)".into())
                })?
                .join(APP_DIR),
        };
        let data_dir = match std::env::var_os("AMORPHIC_SU_DATA_DIR") {
            Some(d) => PathBuf::from(d),
            None => dirs::data_dir()
                .ok_or_else(|| ClientError::Config("no OS data directory (is HOME set?)".into()))?
                .join(APP_DIR),
        };
        Ok(Paths {
            config_dir,
            data_dir,
        })
    }

    /// Both folders under one root (tests, portable installs).
    pub fn under(root: &Path) -> Self {
        Paths {
            config_dir: root.join("config"),
            data_dir: root.join("data"),
        }
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    pub fn cache_file(&self, profile: &str) -> PathBuf {
        self.data_dir
            .join("cache")
            .join(format!("{profile}.sqlite"))
    }

    /// The environment's journal: apart from the cache, which is emptied or rebuilt.
    pub fn journal_file(&self, profile: &str) -> PathBuf {
        self.data_dir
            .join("journal")
            .join(format!("{profile}.sqlite"))
    }
}

/// How a profile signs in; the secret itself is in the keychain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// A personal access token.
    Pat,
    /// A 60-minute session token from user id and password.
    Session,
}

/// One environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub base_url: String,
    /// The signed-in user (from `/whoami`), or the user id to sign in with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    /// The role sent as `role_id`; none means the credential's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_role: Option<RoleId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default)]
    pub production: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthKind>,
    /// When the session token ends (session sign-in only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_expires_at: Option<Timestamp>,
}

impl Profile {
    /// How this profile signs in, as far as it can tell without the keychain or the server:
    /// never signed in, or a password session past its end, is an error.
    pub fn sign_in_kind(&self) -> Result<AuthKind> {
        let auth = self.auth.ok_or_else(|| ClientError::NotSignedIn {
            profile: self.name.clone(),
        })?;
        let ended = self
            .session_expires_at
            .is_some_and(|t| t <= Timestamp::now());
        if auth == AuthKind::Session && ended {
            return Err(ClientError::SessionExpired {
                profile: self.name.clone(),
            });
        }
        Ok(auth)
    }
}

/// What `profile add` takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewProfile {
    pub name: String,
    pub base_url: String,
    pub user_id: Option<String>,
    pub default_role: Option<String>,
    pub color: Option<String>,
    pub production: bool,
}

/// Profile names become file names and keychain account names.
pub fn check_profile_name(name: &str) -> Result<()> {
    let ok = (1..=64).contains(&name.len())
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(ClientError::invalid(format!(
            "profile name '{name}' must be 1-64 characters of letters, digits, '.', '_' or '-', not starting with '.'"
        )))
    }
}

pub(crate) fn check_color(c: &str) -> Result<()> {
    let hex = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit());
    let named = (1..=20).contains(&c.len()) && c.chars().all(|x| x.is_ascii_alphabetic());
    if hex || named {
        Ok(())
    } else {
        Err(ClientError::invalid(format!(
            "colour '{c}' must be #RRGGBB or a colour name such as red"
        )))
    }
}

/// The whole config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
}

impl Config {
    pub fn load(paths: &Paths) -> Result<Config> {
        let file = paths.config_file();
        match std::fs::read_to_string(&file) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                ClientError::Config(format!("{} is not valid: {}", file.display(), e.message()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ClientError::Config(format!(
                "cannot read {}: {e}",
                file.display()
            ))),
        }
    }

    /// Writes atomically (temporary file, then rename), readable by the owner only.
    pub fn save(&self, paths: &Paths) -> Result<()> {
        let file = paths.config_file();
        create_private_dir(&paths.config_dir)?;
        let text = toml::to_string_pretty(self).map_err(|e| ClientError::Config(e.to_string()))?;
        let tmp = file.with_extension("toml.tmp");
        write_private(&tmp, text.as_bytes())
            .and_then(|_| std::fs::rename(&tmp, &file))
            .map_err(|e| ClientError::Config(format!("cannot write {}: {e}", file.display())))
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Profile> {
        self.profiles.iter_mut().find(|p| p.name == name)
    }

    /// The profile to use: the one named (by `--profile` or `AMORPHIC_SU_PROFILE`), else the
    /// current one, else the only one.
    pub fn resolve(&self, name: Option<&str>) -> Result<&Profile> {
        match name {
            Some(n) => self
                .get(n)
                .ok_or_else(|| ClientError::UnknownProfile(n.to_owned())),
            None => match &self.current {
                Some(c) => self
                    .get(c)
                    .ok_or_else(|| ClientError::UnknownProfile(c.clone())),
                None if self.profiles.len() == 1 => Ok(&self.profiles[0]),
                None => Err(ClientError::NoProfile),
            },
        }
    }

    /// Adds a profile after checking every field; the first profile becomes current.
    pub fn add(&mut self, new: NewProfile) -> Result<&Profile> {
        check_profile_name(&new.name)?;
        if self.get(&new.name).is_some() {
            return Err(ClientError::ProfileExists(new.name));
        }
        let base_url = normalize_base_url(&new.base_url)?;
        let user_id = new.user_id.map(UserId::parse).transpose()?;
        let default_role = new.default_role.map(RoleId::parse).transpose()?;
        if let Some(c) = &new.color {
            check_color(c)?;
        }
        if self.current.is_none() {
            self.current = Some(new.name.clone());
        }
        self.profiles.push(Profile {
            name: new.name,
            base_url,
            user_id,
            default_role,
            color: new.color,
            production: new.production,
            auth: None,
            session_expires_at: None,
        });
        Ok(self.profiles.last().expect("just pushed"))
    }

    pub fn remove(&mut self, name: &str) -> Result<Profile> {
        let i = self
            .profiles
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| ClientError::UnknownProfile(name.to_owned()))?;
        let p = self.profiles.remove(i);
        if self.current.as_deref() == Some(name) {
            self.current = None;
        }
        Ok(p)
    }

    pub fn set_current(&mut self, name: &str) -> Result<()> {
        if self.get(name).is_none() {
            return Err(ClientError::UnknownProfile(name.to_owned()));
        }
        self.current = Some(name.to_owned());
        Ok(())
    }
}

pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| ClientError::Io(format!("cannot create {}: {e}", dir.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(name: &str) -> NewProfile {
        NewProfile {
            name: name.into(),
            base_url: "http://127.0.0.1:8787/".into(),
            ..Default::default()
        }
    }

    #[test]
    fn sign_in_kind_is_known_from_the_profile_alone() {
        let mut c = Config::default();
        c.add(new("dev")).unwrap();
        let mut p = c.resolve(None).unwrap().clone();
        assert_eq!(p.sign_in_kind().unwrap_err().code(), "not_signed_in");
        p.auth = Some(AuthKind::Pat);
        assert_eq!(p.sign_in_kind().unwrap(), AuthKind::Pat);
        p.auth = Some(AuthKind::Session);
        p.session_expires_at = Some(Timestamp::new(
            chrono::Utc::now() + chrono::Duration::minutes(5),
        ));
        assert_eq!(p.sign_in_kind().unwrap(), AuthKind::Session);
        p.session_expires_at = Some(Timestamp::new(
            chrono::Utc::now() - chrono::Duration::seconds(1),
        ));
        assert_eq!(p.sign_in_kind().unwrap_err().code(), "session_expired");
    }

    #[test]
    fn add_use_remove_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let mut c = Config::load(&paths).unwrap();
        c.add(new("dev")).unwrap();
        c.add(NewProfile {
            production: true,
            color: Some("#ff0000".into()),
            ..new("prod")
        })
        .unwrap();
        assert_eq!(c.current.as_deref(), Some("dev"));
        c.set_current("prod").unwrap();
        c.save(&paths).unwrap();
        let c2 = Config::load(&paths).unwrap();
        assert_eq!(c2, c);
        assert_eq!(c2.resolve(None).unwrap().name, "prod");
        assert_eq!(
            c2.resolve(Some("dev")).unwrap().base_url,
            "http://127.0.0.1:8787"
        );
        assert_eq!(
            c2.resolve(Some("nope")).unwrap_err().code(),
            "unknown_profile"
        );
        let mut c3 = c2.clone();
        c3.remove("prod").unwrap();
        assert!(c3.current.is_none());
        assert_eq!(c3.resolve(None).unwrap().name, "dev");
    }

    #[test]
    fn bad_fields_are_refused() {
        let mut c = Config::default();
        assert_eq!(c.add(new("../x")).unwrap_err().code(), "invalid_input");
        assert_eq!(
            c.add(NewProfile {
                base_url: "localhost".into(),
                ..new("a")
            })
            .unwrap_err()
            .code(),
            "invalid_input"
        );
        assert_eq!(
            c.add(NewProfile {
                color: Some("#12".into()),
                ..new("a")
            })
            .unwrap_err()
            .code(),
            "invalid_input"
        );
        assert_eq!(
            c.add(NewProfile {
                user_id: Some("a b".into()),
                ..new("a")
            })
            .unwrap_err()
            .code(),
            "invalid_input"
        );
        c.add(new("a")).unwrap();
        assert_eq!(c.add(new("a")).unwrap_err().code(), "profile_exists");
    }
}

//! The user's update setting ("check for updates automatically"), kept in `updates.json` beside
//! the profiles' `config.toml`. Not a secret; a file that cannot be read counts as the default
//! (checks on) rather than stopping the app.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "updates.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Check at start and daily.
    #[serde(default = "yes")]
    pub automatic: bool,
}

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Self {
        Settings { automatic: true }
    }
}

pub fn path(config_dir: &Path) -> PathBuf {
    config_dir.join(FILE_NAME)
}

/// The stored setting; the default when there is none or it cannot be read (said on stderr).
pub fn load(config_dir: &Path) -> Settings {
    let file = path(config_dir);
    match std::fs::read_to_string(&file) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!(
                "{} is not a valid update setting ({e}); checking for updates as by default",
                file.display()
            );
            Settings::default()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
        Err(e) => {
            tracing::warn!(
                "cannot read {} ({e}); checking for updates as by default",
                file.display()
            );
            Settings::default()
        }
    }
}

/// Writes the setting (a new file renamed over the old one, so a crash leaves one or the other).
pub fn save(config_dir: &Path, settings: Settings) -> std::io::Result<()> {
    std::fs::create_dir_all(config_dir)?;
    let file = path(config_dir);
    let tmp = file.with_extension("json.new");
    let text = serde_json::to_string_pretty(&settings).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, text + "\n")?;
    std::fs::rename(&tmp, &file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the temp dir, removed when dropped.
    struct Scratch(PathBuf);
    impl Scratch {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir()
                .join(format!("amorphic-su-updates-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
        fn path(&self) -> &Path {
            &self.0
        }
    }
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn no_file_means_automatic_checks() {
        let dir = Scratch::new("none");
        assert_eq!(load(dir.path()), Settings { automatic: true });
    }

    #[test]
    fn the_setting_survives_a_restart() {
        let dir = Scratch::new("saved");
        let nested = dir.path().join("amorphic-su-desktop");
        save(&nested, Settings { automatic: false }).unwrap();
        assert_eq!(load(&nested), Settings { automatic: false });
        save(&nested, Settings { automatic: true }).unwrap();
        assert_eq!(load(&nested), Settings { automatic: true });
        assert!(!nested.join("updates.json.new").exists());
    }

    #[test]
    fn an_unreadable_file_counts_as_the_default() {
        let dir = Scratch::new("bad");
        std::fs::write(path(dir.path()), "{not json").unwrap();
        assert_eq!(load(dir.path()), Settings::default());
        std::fs::write(path(dir.path()), "{}").unwrap();
        assert_eq!(load(dir.path()), Settings { automatic: true });
    }
}

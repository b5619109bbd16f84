//! `profile add|list|use|remove`: the environments in the config file; no server involved.

use amorphic_su_client::{
    add_profile, remove_profile, use_profile, ClientError, Config, NewProfile,
};

use crate::cli::ProfileCmd;
use crate::context::Context;
use crate::output::table;

pub async fn run(ctx: &Context, cmd: &ProfileCmd) -> Result<(), ClientError> {
    let (paths, out) = (&ctx.paths, &ctx.out);
    match cmd {
        ProfileCmd::Add {
            name,
            url,
            user,
            role,
            color,
            production,
        } => {
            let new = NewProfile {
                name: name.clone(),
                base_url: url.clone(),
                user_id: user.clone(),
                default_role: role.clone(),
                color: color.clone(),
                production: *production,
            };
            let added = add_profile(paths, new)?;
            out.show(&added.profile, |p| {
                println!("added profile '{}' ({})", p.name, p.base_url)
            });
        }
        ProfileCmd::List => {
            let config = Config::load(paths)?;
            out.show(&config, print_profiles);
        }
        ProfileCmd::Use { name } => {
            use_profile(paths, name)?;
            if !out.json {
                println!("now using profile '{name}'");
            }
        }
        ProfileCmd::Remove { name } => {
            remove_profile(paths, name).await?;
            if !out.json {
                println!("removed profile '{name}' with its cache and keychain entries");
            }
        }
    }
    Ok(())
}

fn print_profiles(config: &Config) {
    let mut t = table(&[
        "",
        "PROFILE",
        "BASE URL",
        "USER",
        "ROLE",
        "SIGN-IN",
        "PRODUCTION",
        "COLOUR",
    ]);
    for p in &config.profiles {
        let current = config.current.as_deref() == Some(p.name.as_str());
        t.add_row(vec![
            if current { "*".into() } else { String::new() },
            p.name.clone(),
            p.base_url.clone(),
            p.user_id
                .as_ref()
                .map(|u| u.to_string())
                .unwrap_or_default(),
            p.default_role
                .as_ref()
                .map(|r| r.to_string())
                .unwrap_or_default(),
            p.auth
                .map(|a| format!("{a:?}").to_lowercase())
                .unwrap_or_else(|| "signed out".into()),
            if p.production {
                "yes".into()
            } else {
                String::new()
            },
            p.color.clone().unwrap_or_default(),
        ]);
    }
    println!("{t}");
}

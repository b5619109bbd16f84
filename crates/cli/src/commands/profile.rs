//! `profile add|edit|list|use|remove`: the environments in the config file; no server involved.

use amorphic_su_client::{
    add_profile, edit_profile, remove_profile, use_profile, ClientError, Config, NewProfile,
    Profile, ProfileEdit,
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
        ProfileCmd::Edit {
            name,
            url,
            colour,
            no_colour,
            production,
            no_production,
            default_role,
            no_default_role,
        } => {
            let edit = ProfileEdit {
                base_url: url.clone(),
                color: either(colour, *no_colour),
                production: (*production || *no_production).then_some(*production),
                default_role: either(default_role, *no_default_role),
            };
            let edited = edit_profile(paths, name, edit).await?;
            let current = Config::load(paths)?.current;
            out.show(&edited.profile, |p| {
                println!("edited profile '{}'", p.name);
                print_table(std::slice::from_ref(p), current.as_deref());
                if edited.signed_out {
                    println!(
                        "signed out: the URL is on another server, so the credential, assumed tokens and cache of '{}' were removed; sign in with `amorphic-su --profile {} login`",
                        p.name, p.name
                    );
                }
            });
        }
        ProfileCmd::List => {
            let config = Config::load(paths)?;
            out.show(&config, |c| print_table(&c.profiles, c.current.as_deref()));
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

/// `--x VALUE` sets, `--no-x` clears, neither leaves as it is.
fn either(set: &Option<String>, clear: bool) -> Option<Option<String>> {
    match (set, clear) {
        (Some(v), _) => Some(Some(v.clone())),
        (None, true) => Some(None),
        (None, false) => None,
    }
}

/// The profiles as a table, the current one marked.
fn print_table(profiles: &[Profile], current: Option<&str>) {
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
    for p in profiles {
        let current = current == Some(p.name.as_str());
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

//! `role list|use`: your own role, the one every command of the profile is sent with.

use amorphic_su_client::{ClientError, MyRoles};

use crate::cli::RoleCmd;
use crate::context::{role_id, Context};
use crate::output::table;

pub async fn run(ctx: &Context, cmd: &RoleCmd) -> Result<(), ClientError> {
    let mut client = ctx.client().await?;
    match cmd {
        RoleCmd::List => {
            let mine = client.my_roles().await?;
            ctx.out.show(&mine, print_roles);
        }
        RoleCmd::Use { role, .. } => {
            let role = role.as_deref().map(role_id).transpose()?;
            let default = role.is_none();
            let mine = client.use_role(role).await?;
            let profile = client.profile().name.clone();
            ctx.out.show(&mine, |mine| {
                let which = if default { "your default role" } else { "role" };
                println!("profile '{profile}' now uses {which} {}", active_name(mine));
            });
        }
    }
    Ok(())
}

/// The active role as `Name (id)`.
fn active_name(mine: &MyRoles) -> String {
    match mine.active_choice() {
        Some(r) => format!("{} ({})", r.role_name, r.role_id),
        None => mine.active.to_string(),
    }
}

fn print_roles(mine: &MyRoles) {
    let mut t = table(&["ROLE", "NAME", "SUPER-ADMIN", "DEFAULT", "ACTIVE"]);
    let yes = |b: bool| if b { "yes".to_owned() } else { String::new() };
    for r in &mine.roles {
        t.add_row(vec![
            r.role_id.to_string(),
            r.role_name.clone(),
            yes(r.is_super_admin),
            yes(r.is_default),
            yes(r.active),
        ]);
    }
    println!("{t}");
    match &mine.bound_reason {
        Some(why) => println!("{why}"),
        None => {
            println!("switch with `amorphic-su role use ROLE` (back with `role use --default`)")
        }
    }
}

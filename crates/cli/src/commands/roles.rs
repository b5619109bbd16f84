//! `roles`: the roles known to the server.

use amorphic_su_client::model::Role;
use amorphic_su_client::ClientError;

use crate::context::Context;
use crate::output::table;

pub async fn run(ctx: &Context) -> Result<(), ClientError> {
    let r = ctx.client().await?.roles().await?;
    ctx.out.fetched(&r, |roles| print_roles(roles));
    Ok(())
}

fn print_roles(roles: &[Role]) {
    let mut t = table(&["ROLE ID", "NAME", "SUPER-ADMIN", "PERMISSIONS"]);
    for role in roles {
        t.add_row(vec![
            role.role_id.to_string(),
            role.role_name.clone(),
            if role.is_super_admin {
                "yes".into()
            } else {
                String::new()
            },
            role.permissions.join(", "),
        ]);
    }
    println!("{t}");
}

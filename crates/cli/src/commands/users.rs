//! `users list|show`: browse users, from the cache when offline.

use amorphic_su_client::model::User;
use amorphic_su_client::{ClientError, UserFilter};

use crate::cli::UsersCmd;
use crate::context::{user_id, Context};
use crate::output::{joined, print_user, table};

pub async fn run(ctx: &Context, cmd: &UsersCmd) -> Result<(), ClientError> {
    let out = &ctx.out;
    let client = ctx.client().await?;
    match cmd {
        UsersCmd::List {
            service,
            search,
            offline,
            limit,
        } => {
            let f = UserFilter {
                service_only: *service,
                search: search.clone(),
                limit: *limit,
                ..UserFilter::default()
            };
            let r = client.list_users(&f, *offline).await?;
            out.fetched(&r, |users| print_users(users));
        }
        UsersCmd::Show { id } => {
            let r = client.user(&user_id(id)?).await?;
            out.fetched(&r, print_user);
        }
    }
    Ok(())
}

fn print_users(users: &[User]) {
    let mut t = table(&["USER ID", "SERVICE", "NAME", "STATUS", "ROLES", "ACCESS"]);
    for u in users {
        let access = match &u.caller_access {
            Some(Some(_)) => "owner",
            Some(None) => "-",
            None => "",
        };
        t.add_row(vec![
            u.user_id.to_string(),
            if u.is_service_user {
                "yes".into()
            } else {
                "no".into()
            },
            u.display_name.clone(),
            u.user_status.as_str().to_owned(),
            joined(u.roles.iter().map(|r| r.as_str())),
            access.to_owned(),
        ]);
    }
    println!("{t}");
    println!("{} user(s)", users.len());
}

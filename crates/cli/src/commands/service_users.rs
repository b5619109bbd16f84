//! `service-users ...`: create, enable, disable, delete, roles, shares and owned resources;
//! `bulk` has its own module.

use amorphic_su_client::model::{OwnedResource, Shares, TagId, UserId};
use amorphic_su_client::{ClientError, NewServiceUser, ShareChange};

use crate::cli::{SuCmd, SuRolesCmd};
use crate::context::{role_id, user_id, Context};
use crate::output::{shares_text, table, Out};

pub async fn run(ctx: &Context, cmd: &SuCmd) -> Result<(), ClientError> {
    let out = &ctx.out;
    let client = ctx.client().await?;
    if client.profile().production && !out.json {
        eprintln!(
            "note: profile '{}' is a PRODUCTION environment",
            client.profile().name
        );
    }
    match cmd {
        SuCmd::Bulk(a) => super::bulk::run(ctx, &client, a).await?,
        SuCmd::Create {
            id,
            name,
            description,
        } => {
            let u = client
                .create_service_user(NewServiceUser {
                    user_id: id.clone(),
                    display_name: name.clone(),
                    description: description.clone(),
                })
                .await?;
            out.changed_user(&u, "created");
        }
        SuCmd::Enable { id } => out.changed_user(&client.enable(&user_id(id)?).await?, "enabled"),
        SuCmd::Disable { id } => {
            out.changed_user(&client.disable(&user_id(id)?).await?, "disabled")
        }
        SuCmd::Delete { id, transfer_to } => {
            let id = user_id(id)?;
            let r = client
                .delete_service_user(&id, &user_id(transfer_to)?)
                .await?;
            out.show(&r, |r| {
                println!(
                    "deleted {id}; {} resource(s) transferred to {}",
                    r.transferred_resources.len(),
                    r.transferred_to
                );
                for res in &r.transferred_resources {
                    println!(
                        "  {:?} {} ({})",
                        res.resource_type, res.resource_id, res.name
                    );
                }
            });
        }
        SuCmd::Roles(SuRolesCmd::Attach { id, roles }) => {
            let roles = roles
                .iter()
                .map(|r| role_id(r))
                .collect::<Result<Vec<_>, _>>()?;
            out.changed_user(
                &client.attach_roles(&user_id(id)?, &roles).await?,
                "updated",
            );
        }
        SuCmd::Roles(SuRolesCmd::Detach { id, role }) => {
            out.changed_user(
                &client.detach_role(&user_id(id)?, &role_id(role)?).await?,
                "updated",
            );
        }
        SuCmd::Share { id, users, tags } => {
            let id = user_id(id)?;
            let users = users
                .iter()
                .map(|u| user_id(u))
                .collect::<Result<Vec<_>, _>>()?;
            let tags = tags
                .iter()
                .map(|t| TagId::parse(t.as_str()))
                .collect::<Result<Vec<_>, _>>()?;
            let s = client.share(&id, &users, &tags).await?;
            print_shares(out, &id, &s);
        }
        SuCmd::Unshare { id, user, tag } => {
            let id = user_id(id)?;
            let change = match (user, tag) {
                (Some(u), _) => ShareChange::RemoveUser(user_id(u)?),
                (None, Some(t)) => ShareChange::RemoveTag(TagId::parse(t.as_str())?),
                (None, None) => {
                    return Err(ClientError::InvalidInput("give --user or --tag".into()))
                }
            };
            let s = client.change_shares(&id, &change).await?;
            print_shares(out, &id, &s);
        }
        SuCmd::Shares { id } => {
            let id = user_id(id)?;
            let s = client.shares(&id).await?;
            out.fetched(&s, |s| print_shares(out, &id, s));
        }
        SuCmd::OwnedResources { id } => {
            let r = client.owned_resources(&user_id(id)?).await?;
            out.fetched(&r, |r| print_resources(r));
        }
    }
    Ok(())
}

fn print_shares(out: &Out, id: &UserId, s: &Shares) {
    out.show(s, |s| println!("{id} is shared with: {}", shares_text(s)));
}

fn print_resources(r: &[OwnedResource]) {
    if r.is_empty() {
        println!("owns no resources");
        return;
    }
    let mut t = table(&["TYPE", "ID", "NAME"]);
    for res in r {
        t.add_row(vec![
            format!("{:?}", res.resource_type).to_lowercase(),
            res.resource_id.clone(),
            res.name.clone(),
        ]);
    }
    println!("{t}");
}

//! `amorphic-su`: manage and assume Amorphic service users from the command line.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use amorphic_su_client::model::{
    AccessToken, OwnedResource, RoleId, Secret, Shares, TagId, Timestamp, TokenId, User, UserId,
};
use amorphic_su_client::{
    remove_profile, AssumedIdentity, Client, ClientError, Config, Fetched, NewAccessToken,
    NewProfile, NewServiceUser, Paths, SyncProgress, UserFilter,
};
use clap::{Args, Parser, Subcommand};
use comfy_table::{presets, Table};
use serde::Serialize;

const EXIT_CODES: &str = "\
Exit codes:
  0   success
  1   unexpected failure
  2   bad command line (usage)
  3   offline: the server cannot be reached (nothing was changed)
  4   not signed in, session expired, credentials or assumed token refused
  5   forbidden: the active role or your access does not allow it
  6   not found (user, role, token, profile, or nothing cached)
  7   conflict with the current state (enabled, disabled, exists, last owner)
  8   the OS keychain is unavailable or locked
  9   invalid input (refused locally or by the server)
  10  the server failed or answered something unreadable
  11  local configuration or cache failure
  exec: the command's own exit code (128+N when killed by signal N)";

/// Manage and assume Amorphic service users from the command line.
#[derive(Parser, Debug)]
#[command(name = "amorphic-su", version, after_help = EXIT_CODES)]
struct Cli {
    /// Profile to use (default: the current profile).
    #[arg(long, global = true, env = "AMORPHIC_SU_PROFILE")]
    profile: Option<String>,
    /// Active role (`role_id`) for this command, instead of the profile's default.
    #[arg(long = "as-role", global = true, value_name = "ROLE")]
    as_role: Option<String>,
    /// Machine-readable JSON output (errors as {"error":{"code","message"}} on stderr).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Environments: add, list, use, remove.
    #[command(subcommand)]
    Profile(ProfileCmd),
    /// Sign in with a personal access token (default) or user id and password.
    Login(LoginArgs),
    /// Sign out: wipe this profile's credential and assumed tokens from the keychain.
    Logout,
    /// Who the profile is signed in as.
    Whoami,
    /// Bring the local cache up to date (incremental through the change feed).
    Sync {
        /// Re-read everything.
        #[arg(long)]
        full: bool,
    },
    /// Browse users (works offline from the cache).
    #[command(subcommand)]
    Users(UsersCmd),
    /// Manage service users.
    #[command(subcommand, name = "service-users")]
    ServiceUsers(SuCmd),
    /// Assume a service user: get, verify and keep a token in the keychain.
    Assume(AssumeArgs),
    /// Run a command as a service user through a local proxy; no real secret enters its environment.
    Exec(ExecArgs),
    /// Assumed identities: list, re-assume, forget.
    #[command(subcommand)]
    Tokens(TokensCmd),
    /// Personal access tokens of a service user (--as: acting as it; --of: as its owner).
    #[command(subcommand, name = "access-tokens")]
    AccessTokens(PatCmd),
    /// Roles known to the server.
    Roles,
}

#[derive(Subcommand, Debug)]
enum ProfileCmd {
    /// Add a profile.
    Add {
        name: String,
        /// Base URL of the API (e.g. https://abc.execute-api.us-east-1.amazonaws.com/stage).
        #[arg(long)]
        url: String,
        /// User id to sign in with.
        #[arg(long)]
        user: Option<String>,
        /// Default active role.
        #[arg(long)]
        role: Option<String>,
        /// Colour (#RRGGBB or a name) to tell environments apart.
        #[arg(long)]
        color: Option<String>,
        /// Mark as a production environment.
        #[arg(long)]
        production: bool,
    },
    /// List profiles.
    List,
    /// Make a profile the current one.
    Use { name: String },
    /// Remove a profile, its cache and its keychain entries.
    Remove { name: String },
}

#[derive(Args, Debug)]
struct LoginArgs {
    /// Sign in with user id and password (default: a personal access token).
    #[arg(long)]
    password: bool,
    /// User id for password sign-in (default: the profile's user).
    #[arg(long)]
    user: Option<String>,
    /// Read the password from standard input.
    #[arg(long, conflicts_with = "token_stdin")]
    password_stdin: bool,
    /// Read the personal access token from standard input.
    #[arg(long)]
    token_stdin: bool,
}

#[derive(Subcommand, Debug)]
enum UsersCmd {
    /// List users (syncs first unless --offline; falls back to the cache when offline).
    List {
        /// Service users only.
        #[arg(long)]
        service: bool,
        /// Search name, id, description, role and tag (word prefixes).
        #[arg(long)]
        search: Option<String>,
        /// Do not contact the server.
        #[arg(long)]
        offline: bool,
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Show one user.
    Show { id: String },
}

#[derive(Subcommand, Debug)]
enum SuCmd {
    /// Create a service user (needs a super-admin active role).
    Create {
        id: String,
        /// Display name.
        #[arg(long)]
        name: String,
        #[arg(long)]
        description: Option<String>,
    },
    Enable {
        id: String,
    },
    /// Disable: every credential of the service user stops working at once.
    Disable {
        id: String,
    },
    /// Delete a disabled service user, transferring what it owns.
    Delete {
        id: String,
        /// Regular user who receives the owned resources.
        #[arg(long, value_name = "USER")]
        transfer_to: String,
    },
    /// Attach or detach roles.
    #[command(subcommand)]
    Roles(SuRolesCmd),
    /// Share with users and/or tags (owner access).
    Share {
        id: String,
        #[arg(long = "user")]
        users: Vec<String>,
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// Remove one share.
    Unshare {
        id: String,
        #[arg(long, conflicts_with = "tag", required_unless_present = "tag")]
        user: Option<String>,
        #[arg(long)]
        tag: Option<String>,
    },
    /// Who can act as the service user (shares); see also `access-tokens list --of`.
    Shares {
        id: String,
    },
    /// What a delete would transfer.
    OwnedResources {
        id: String,
    },
}

#[derive(Subcommand, Debug)]
enum SuRolesCmd {
    Attach {
        id: String,
        #[arg(required = true)]
        roles: Vec<String>,
    },
    Detach {
        id: String,
        role: String,
    },
}

#[derive(Args, Debug)]
struct AssumeArgs {
    id: String,
    /// Role to assume (default: the service user's default role).
    #[arg(long)]
    role: Option<String>,
    /// Lifetime in minutes, 1-180.
    #[arg(long, default_value_t = 60)]
    minutes: i64,
}

#[derive(Args, Debug)]
struct ExecArgs {
    id: String,
    #[arg(long)]
    role: Option<String>,
    #[arg(long)]
    minutes: Option<i64>,
    /// The command and its arguments.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

#[derive(Subcommand, Debug)]
enum TokensCmd {
    /// Assumed identities with the time left.
    List,
    /// Assume again with the same role and lifetime.
    Reassume { id: String },
    /// Forget one assumed identity, or all (wipes the keychain entries).
    Forget {
        #[arg(required_unless_present = "all")]
        id: Option<String>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
struct Whose {
    /// Acting as this assumed service user.
    #[arg(long = "as", value_name = "SERVICE_USER")]
    as_: Option<String>,
    /// As an owner of this service user, without assuming it.
    #[arg(long, value_name = "SERVICE_USER")]
    of: Option<String>,
}

#[derive(Subcommand, Debug)]
enum PatCmd {
    List {
        #[command(flatten)]
        whose: Whose,
    },
    /// Create a PAT acting as the service user; the secret is shown once.
    Create {
        #[arg(long = "as", value_name = "SERVICE_USER")]
        as_: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        description: Option<String>,
        /// Role the token is bound to.
        #[arg(long)]
        role: String,
        /// Days until it expires (1-365).
        #[arg(long, default_value_t = 30, conflicts_with = "expires_at")]
        days: i64,
        /// Exact expiry (RFC 3339).
        #[arg(long)]
        expires_at: Option<String>,
    },
    Delete {
        token_id: String,
        #[command(flatten)]
        whose: Whose,
    },
}

fn exit_code(e: &ClientError) -> u8 {
    match e {
        ClientError::Offline { .. } => 3,
        ClientError::SessionExpired { .. }
        | ClientError::NotSignedIn { .. }
        | ClientError::NotAssumed { .. }
        | ClientError::AssumedTokenExpired { .. } => 4,
        ClientError::KeychainUnavailable { .. } => 8,
        ClientError::ServerError { .. } | ClientError::TokenVerification(_) => 10,
        ClientError::InvalidInput(_) => 9,
        ClientError::UnknownProfile(_) | ClientError::NoProfile | ClientError::NotCached { .. } => {
            6
        }
        ClientError::ProfileExists(_) => 7,
        ClientError::Cache(_) | ClientError::Config(_) | ClientError::Io(_) => 11,
        ClientError::Api { code, .. } | ClientError::Refused { code, .. } => match code.status() {
            400 | 413 => 9,
            401 | 429 => 4,
            403 => 5,
            404 => 6,
            409 => 7,
            _ => 10,
        },
    }
}

struct Out {
    json: bool,
}

impl Out {
    fn json<T: Serialize>(&self, v: &T) {
        println!(
            "{}",
            serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into())
        );
    }

    fn stale_note<T>(&self, f: &Fetched<T>) {
        if f.stale && !self.json {
            let at = f
                .as_of
                .map(|t| t.to_string())
                .unwrap_or_else(|| "an unknown time".into());
            eprintln!("offline: showing cached data as of {at} (stale)");
        }
    }
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    t.set_header(header.to_vec());
    t
}

fn uid(s: &str) -> Result<UserId, ClientError> {
    Ok(UserId::parse(s)?)
}

fn rid(s: &str) -> Result<RoleId, ClientError> {
    Ok(RoleId::parse(s)?)
}

fn left(secs: i64) -> String {
    if secs <= 0 {
        "expired".into()
    } else {
        format!("{}m{:02}s", secs / 60, secs % 60)
    }
}

fn print_users(out: &Out, f: &Fetched<Vec<User>>) {
    if out.json {
        return out.json(f);
    }
    out.stale_note(f);
    let mut t = table(&["USER ID", "SERVICE", "NAME", "STATUS", "ROLES", "ACCESS"]);
    for u in &f.data {
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
            u.roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            access.to_owned(),
        ]);
    }
    println!("{t}");
    println!("{} user(s)", f.data.len());
}

fn print_user(out: &Out, u: &User) {
    let mut t = table(&["FIELD", "VALUE"]);
    t.add_row(vec!["UserId".to_string(), u.user_id.to_string()]);
    t.add_row(vec![
        "Service user".to_string(),
        u.is_service_user.to_string(),
    ]);
    t.add_row(vec!["Display name".to_string(), u.display_name.clone()]);
    t.add_row(vec![
        "Description".to_string(),
        u.description.clone().unwrap_or_default(),
    ]);
    t.add_row(vec![
        "Status".to_string(),
        u.user_status.as_str().to_owned(),
    ]);
    t.add_row(vec![
        "Default role".to_string(),
        u.default_role_id.to_string(),
    ]);
    t.add_row(vec![
        "Roles".to_string(),
        u.roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    ]);
    if !u.tags.is_empty() {
        t.add_row(vec![
            "Tags".to_string(),
            u.tags
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    if let Some(s) = &u.shares {
        t.add_row(vec!["Shared with".to_string(), shares_text(s)]);
    }
    if let Some(a) = &u.caller_access {
        t.add_row(vec![
            "Your access".to_string(),
            if a.is_some() {
                "owner".into()
            } else {
                "none".into()
            },
        ]);
    }
    t.add_row(vec![
        "Created by".to_string(),
        u.created_by
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_default(),
    ]);
    t.add_row(vec![
        "Modified".to_string(),
        u.last_modified_time.to_string(),
    ]);
    t.add_row(vec!["Version".to_string(), u.version.to_string()]);
    let _ = out;
    println!("{t}");
}

fn shares_text(s: &Shares) -> String {
    let mut parts: Vec<String> = s
        .users
        .iter()
        .map(|u| format!("user {}", u.user_id))
        .collect();
    parts.extend(s.tags.iter().map(|t| format!("tag {}", t.tag_id)));
    parts.join(", ")
}

fn print_tokens(out: &Out, f: &Fetched<Vec<AccessToken>>) {
    if out.json {
        return out.json(f);
    }
    out.stale_note(f);
    let mut t = table(&[
        "TOKEN ID",
        "NAME",
        "ROLE",
        "EXPIRES",
        "STATUS",
        "CREATED BY",
    ]);
    for a in &f.data {
        t.add_row(vec![
            a.token_id.to_string(),
            a.token_name.clone(),
            a.role_id.to_string(),
            a.expires_at.to_string(),
            format!("{:?}", a.status).to_lowercase(),
            a.created_by.to_string(),
        ]);
    }
    println!("{t}");
}

fn print_identities(out: &Out, ids: &[AssumedIdentity]) {
    if out.json {
        return out.json(&ids);
    }
    let mut t = table(&[
        "SERVICE USER",
        "ROLE",
        "EXPIRES AT",
        "TIME LEFT",
        "ASSUMED BY",
    ]);
    for i in ids {
        t.add_row(vec![
            i.meta.service_user_id.to_string(),
            i.meta.role_id.to_string(),
            i.meta.expires_at.to_string(),
            left(i.seconds_left),
            i.meta.assumed_by.to_string(),
        ]);
    }
    println!("{t}");
}

fn print_shares(out: &Out, id: &UserId, s: &Shares) {
    if out.json {
        return out.json(s);
    }
    println!("{id} is shared with: {}", shares_text(s));
}

fn read_stdin_line(what: &str) -> Result<Secret, ClientError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| ClientError::Io(format!("cannot read the {what} from standard input: {e}")))?;
    let s = line.trim_end_matches(['\r', '\n']).to_owned();
    if s.is_empty() {
        return Err(ClientError::InvalidInput(format!(
            "no {what} on standard input"
        )));
    }
    Ok(Secret::new(s))
}

fn prompt(what: &str) -> Result<Secret, ClientError> {
    if !std::io::stdin().is_terminal() {
        return Err(ClientError::InvalidInput(format!(
            "cannot prompt for the {what} without a terminal; pipe it with --token-stdin or --password-stdin"
        )));
    }
    rpassword::prompt_password(format!("{what}: "))
        .map(Secret::new)
        .map_err(|e| ClientError::Io(format!("cannot read the {what}: {e}")))
}

async fn open(cli: &Cli, paths: &Paths) -> Result<Client, ClientError> {
    let client = Client::open(paths, cli.profile.as_deref()).await?;
    let role = cli.as_role.as_deref().map(rid).transpose()?;
    Ok(client.with_role(role))
}

async fn run(cli: Cli) -> Result<u8, ClientError> {
    let out = Out { json: cli.json };
    let paths = Paths::from_env()?;
    match &cli.command {
        Command::Profile(cmd) => match cmd {
            ProfileCmd::Add {
                name,
                url,
                user,
                role,
                color,
                production,
            } => {
                let mut config = Config::load(&paths)?;
                let p = config
                    .add(NewProfile {
                        name: name.clone(),
                        base_url: url.clone(),
                        user_id: user.clone(),
                        default_role: role.clone(),
                        color: color.clone(),
                        production: *production,
                    })?
                    .clone();
                config.save(&paths)?;
                if out.json {
                    out.json(&p);
                } else {
                    println!("added profile '{}' ({})", p.name, p.base_url);
                }
            }
            ProfileCmd::List => {
                let config = Config::load(&paths)?;
                if out.json {
                    out.json(&config);
                } else {
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
            }
            ProfileCmd::Use { name } => {
                let mut config = Config::load(&paths)?;
                config.set_current(name)?;
                config.save(&paths)?;
                if !out.json {
                    println!("now using profile '{name}'");
                }
            }
            ProfileCmd::Remove { name } => {
                remove_profile(&paths, name).await?;
                if !out.json {
                    println!("removed profile '{name}' with its cache and keychain entries");
                }
            }
        },
        Command::Login(a) => {
            let mut client = open(&cli, &paths).await?;
            let signed = if a.password || a.password_stdin || a.user.is_some() {
                let user = a
                    .user
                    .clone()
                    .or_else(|| client.profile().user_id.as_ref().map(|u| u.to_string()))
                    .ok_or_else(|| {
                        ClientError::InvalidInput("give the user id with --user".into())
                    })?;
                let pw = if a.password_stdin {
                    read_stdin_line("password")?
                } else {
                    prompt("Password")?
                };
                client.login_with_password(&user, pw).await?
            } else {
                let pat = if a.token_stdin {
                    read_stdin_line("access token")?
                } else {
                    prompt("Personal access token")?
                };
                client.login_with_pat(pat).await?
            };
            if out.json {
                out.json(&signed);
            } else {
                let until = signed
                    .expires_at
                    .map(|t| format!(", session until {t}"))
                    .unwrap_or_default();
                println!(
                    "signed in to '{}' as {} (role {}){until}",
                    signed.profile, signed.user_id, signed.role_id
                );
            }
        }
        Command::Logout => {
            let mut client = open(&cli, &paths).await?;
            client.logout().await?;
            if !out.json {
                println!("signed out of '{}'", client.profile().name);
            }
        }
        Command::Whoami => {
            let client = open(&cli, &paths).await?;
            let who = client.whoami().await?;
            if out.json {
                out.json(&who);
            } else {
                let acting = who
                    .actor_user_id
                    .as_ref()
                    .map(|a| format!(" (acting: {a})"))
                    .unwrap_or_default();
                println!("{} with role {}{acting}", who.user_id, who.role_id);
            }
        }
        Command::Sync { full } => {
            let client = open(&cli, &paths).await?;
            let bar = if out.json || !std::io::stderr().is_terminal() {
                indicatif::ProgressBar::hidden()
            } else {
                indicatif::ProgressBar::new_spinner()
            };
            let b = bar.clone();
            let progress = move |p: SyncProgress| match p {
                SyncProgress::Catalogues => b.set_message("roles and tags"),
                SyncProgress::Changes { done } => {
                    b.set_message(format!("{done} change(s)"));
                    b.tick();
                }
                SyncProgress::Users { done, total } => {
                    if b.length() != Some(total) {
                        b.set_length(total);
                        b.set_style(
                            indicatif::ProgressStyle::with_template(
                                "{bar:40} {pos}/{len} users {msg}",
                            )
                            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                        );
                    }
                    b.set_position(done);
                }
            };
            let report = client.sync(*full, &progress).await;
            bar.finish_and_clear();
            let report = report?;
            if out.json {
                out.json(&report);
            } else {
                println!(
                    "synced: {} changed, {} deleted, {} cached ({}{})",
                    report.users_changed,
                    report.users_deleted,
                    report.users_cached,
                    if report.full { "full" } else { "incremental" },
                    if report.change_feed {
                        ""
                    } else {
                        ", no change feed"
                    }
                );
            }
        }
        Command::Users(cmd) => {
            let client = open(&cli, &paths).await?;
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
                    print_users(&out, &r);
                }
                UsersCmd::Show { id } => {
                    let r = client.user(&uid(id)?).await?;
                    if out.json {
                        out.json(&r);
                    } else {
                        out.stale_note(&r);
                        print_user(&out, &r.data);
                    }
                }
            }
        }
        Command::Roles => {
            let client = open(&cli, &paths).await?;
            let r = client.roles().await?;
            if out.json {
                out.json(&r);
            } else {
                out.stale_note(&r);
                let mut t = table(&["ROLE ID", "NAME", "SUPER-ADMIN", "PERMISSIONS"]);
                for role in &r.data {
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
        }
        Command::ServiceUsers(cmd) => {
            let client = open(&cli, &paths).await?;
            if client.profile().production && !out.json {
                eprintln!(
                    "note: profile '{}' is a PRODUCTION environment",
                    client.profile().name
                );
            }
            match cmd {
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
                    done_user(&out, &u, "created");
                }
                SuCmd::Enable { id } => {
                    done_user(&out, &client.enable(&uid(id)?).await?, "enabled")
                }
                SuCmd::Disable { id } => {
                    done_user(&out, &client.disable(&uid(id)?).await?, "disabled")
                }
                SuCmd::Delete { id, transfer_to } => {
                    let id = uid(id)?;
                    let r = client.delete_service_user(&id, &uid(transfer_to)?).await?;
                    if out.json {
                        out.json(&r);
                    } else {
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
                    }
                }
                SuCmd::Roles(SuRolesCmd::Attach { id, roles }) => {
                    let roles = roles
                        .iter()
                        .map(|r| rid(r))
                        .collect::<Result<Vec<_>, _>>()?;
                    done_user(
                        &out,
                        &client.attach_roles(&uid(id)?, &roles).await?,
                        "updated",
                    );
                }
                SuCmd::Roles(SuRolesCmd::Detach { id, role }) => {
                    done_user(
                        &out,
                        &client.detach_role(&uid(id)?, &rid(role)?).await?,
                        "updated",
                    );
                }
                SuCmd::Share { id, users, tags } => {
                    let id = uid(id)?;
                    let users = users
                        .iter()
                        .map(|u| uid(u))
                        .collect::<Result<Vec<_>, _>>()?;
                    let tags = tags
                        .iter()
                        .map(|t| TagId::parse(t.as_str()))
                        .collect::<Result<Vec<_>, _>>()?;
                    let s = client.share(&id, &users, &tags).await?;
                    print_shares(&out, &id, &s);
                }
                SuCmd::Unshare { id, user, tag } => {
                    let id = uid(id)?;
                    let s = match (user, tag) {
                        (Some(u), _) => client.unshare_user(&id, &uid(u)?).await?,
                        (None, Some(t)) => {
                            client.unshare_tag(&id, &TagId::parse(t.as_str())?).await?
                        }
                        (None, None) => {
                            return Err(ClientError::InvalidInput("give --user or --tag".into()))
                        }
                    };
                    print_shares(&out, &id, &s);
                }
                SuCmd::Shares { id } => {
                    let id = uid(id)?;
                    let s = client.shares(&id).await?;
                    if out.json {
                        out.json(&s);
                    } else {
                        out.stale_note(&s);
                        print_shares(&out, &id, &s.data);
                    }
                }
                SuCmd::OwnedResources { id } => {
                    let r = client.owned_resources(&uid(id)?).await?;
                    if out.json {
                        out.json(&r);
                    } else {
                        out.stale_note(&r);
                        print_resources(&r.data);
                    }
                }
            }
        }
        Command::Assume(a) => {
            let client = open(&cli, &paths).await?;
            let role = a.role.as_deref().map(rid).transpose()?;
            let id = client
                .assume(&uid(&a.id)?, role.as_ref(), Some(a.minutes))
                .await?;
            if out.json {
                out.json(&id);
            } else {
                println!(
                    "assumed {} with role {} until {} ({} left); the token is in the OS keychain",
                    id.meta.service_user_id,
                    id.meta.role_id,
                    id.meta.expires_at,
                    left(id.seconds_left)
                );
            }
        }
        Command::Exec(a) => return exec(&cli, &paths, a).await,
        Command::Tokens(cmd) => {
            let client = open(&cli, &paths).await?;
            match cmd {
                TokensCmd::List => print_identities(&out, &client.assumed_identities().await?),
                TokensCmd::Reassume { id } => {
                    let i = client.reassume(&uid(id)?).await?;
                    print_identities(&out, &[i]);
                }
                TokensCmd::Forget { id, all } => {
                    if *all {
                        let n = client.forget_all().await?;
                        if !out.json {
                            println!(
                                "forgot {n} assumed identit{}",
                                if n == 1 { "y" } else { "ies" }
                            );
                        }
                    } else if let Some(id) = id {
                        client.forget(&uid(id)?).await?;
                        if !out.json {
                            println!("forgot {id}");
                        }
                    }
                }
            }
        }
        Command::AccessTokens(cmd) => {
            let client = open(&cli, &paths).await?;
            match cmd {
                PatCmd::List { whose } => {
                    let r = match (&whose.as_, &whose.of) {
                        (Some(s), _) => client.access_tokens_as(&uid(s)?).await?,
                        (None, Some(s)) => client.access_tokens_of(&uid(s)?).await?,
                        _ => return Err(ClientError::InvalidInput("give --as or --of".into())),
                    };
                    print_tokens(&out, &r);
                }
                PatCmd::Create {
                    as_,
                    name,
                    description,
                    role,
                    days,
                    expires_at,
                } => {
                    let expires_at = match expires_at {
                        Some(t) => serde_json::from_value::<Timestamp>(serde_json::Value::String(
                            t.clone(),
                        ))
                        .map_err(|_| {
                            ClientError::InvalidInput(format!(
                                "--expires-at '{t}' is not an RFC 3339 time"
                            ))
                        })?,
                        None => {
                            if !(1..=365).contains(days) {
                                return Err(ClientError::InvalidInput(
                                    "--days must be from 1 to 365".into(),
                                ));
                            }
                            Timestamp::new(chrono::Utc::now() + chrono::Duration::days(*days))
                        }
                    };
                    let created = client
                        .create_access_token_as(
                            &uid(as_)?,
                            NewAccessToken {
                                name: name.clone(),
                                description: description.clone(),
                                role_id: rid(role)?,
                                expires_at,
                            },
                        )
                        .await?;
                    if out.json {
                        out.json(&created);
                    } else {
                        println!(
                            "created access token {} for {as_} (role {}, expires {})",
                            created.record.token_id,
                            created.record.role_id,
                            created.record.expires_at
                        );
                        println!("secret (shown once, store it now):");
                        println!("{}", created.token.expose());
                    }
                }
                PatCmd::Delete { token_id, whose } => {
                    let token = TokenId::parse(token_id.as_str())?;
                    match (&whose.as_, &whose.of) {
                        (Some(s), _) => client.delete_access_token_as(&uid(s)?, &token).await?,
                        (None, Some(s)) => client.delete_access_token_of(&uid(s)?, &token).await?,
                        _ => return Err(ClientError::InvalidInput("give --as or --of".into())),
                    }
                    if !out.json {
                        println!("deleted access token {token}");
                    }
                }
            }
        }
    }
    Ok(0)
}

fn done_user(out: &Out, u: &User, what: &str) {
    if out.json {
        out.json(u);
    } else {
        println!("{what} {}", u.user_id);
        print_user(out, u);
    }
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

/// Runs CMD with only the proxy's variables (and no other AMORPHIC_*), then stops the proxy
/// and passes on CMD's exit code.
async fn exec(cli: &Cli, paths: &Paths, a: &ExecArgs) -> Result<u8, ClientError> {
    let client = open(cli, paths).await?;
    let su = uid(&a.id)?;
    let role = a.role.as_deref().map(rid).transpose()?;
    let minutes = a.minutes;
    let stored = client.cache().assumed_one(&su).await?;
    let fresh_enough = stored
        .as_ref()
        .is_some_and(|m| m.expires_at.unix() - chrono::Utc::now().timestamp() > 120);
    let same_role = role
        .as_ref()
        .is_none_or(|r| stored.as_ref().is_some_and(|m| &m.role_id == r));
    if !fresh_enough || !same_role || minutes.is_some() {
        let role = role.or_else(|| stored.as_ref().map(|m| m.role_id.clone()));
        let minutes = minutes.or_else(|| stored.as_ref().map(|m| i64::from(m.minutes)));
        client.assume(&su, role.as_ref(), minutes).await?;
    }
    let client = Arc::new(client);
    let proxy = amorphic_su_client::start_proxy(client.clone(), &su).await?;
    let mut cmd = tokio::process::Command::new(&a.command[0]);
    cmd.args(&a.command[1..]);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AMORPHIC_") {
            cmd.env_remove(&k);
        }
    }
    cmd.envs(proxy.env.vars());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            proxy.stop().await;
            return Err(ClientError::Io(format!(
                "cannot run '{}': {e}",
                a.command[0]
            )));
        }
    };
    // Ctrl-C reaches the child through the terminal; keep the proxy until the child ends.
    let ignore_ctrl_c = tokio::spawn(async { while tokio::signal::ctrl_c().await.is_ok() {} });
    let status = child.wait().await;
    ignore_ctrl_c.abort();
    proxy.stop().await;
    let status = status.map_err(|e| ClientError::Io(format!("lost the command: {e}")))?;
    let code = status.code().map(|c| c as u8).unwrap_or_else(|| {
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            status
                .signal()
                .map(|s| 128u8.wrapping_add(s as u8))
                .unwrap_or(1)
        }
        #[cfg(not(unix))]
        {
            1
        }
    });
    Ok(code)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = rt.block_on(run(cli));
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let line = if json {
                serde_json::json!({"error": &e}).to_string()
            } else {
                format!("error: {} [{}]", e.to_string().replace('\n', " "), e.code())
            };
            let _ = writeln!(std::io::stderr(), "{line}");
            ExitCode::from(exit_code(&e))
        }
    }
}

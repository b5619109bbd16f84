//! The command line: every command, argument and option, as clap types.

use clap::{Args, Parser, Subcommand};

use crate::exit::EXIT_CODES;

/// Manage and assume Amorphic service users from the command line.
#[derive(Parser, Debug)]
#[command(name = "amorphic-su", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// Profile to use (default: the current profile).
    #[arg(long, global = true, env = "AMORPHIC_SU_PROFILE")]
    pub profile: Option<String>,
    /// Active role (`role_id`) for this command, instead of the profile's default.
    #[arg(long = "as-role", global = true, value_name = "ROLE")]
    pub as_role: Option<String>,
    /// Machine-readable JSON output (errors as {"error":{"code","message"}} on stderr).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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
    /// Every role known to the server (see `role` for your own).
    Roles,
    /// Your own role: list the roles attached to you, or use one for every later command.
    #[command(subcommand)]
    Role(RoleCmd),
    /// The journal: what this app and the CLI did in the environment (list, export, verify).
    History(HistoryArgs),
    /// Check the environment: keychain, server, TLS, clock, base URL, session, token keys,
    /// cache and versions, each with what to do (exit code: the first failed check's kind).
    Doctor,
}

#[derive(Subcommand, Debug)]
pub enum RoleCmd {
    /// The roles attached to you, the active one marked (a personal access token is bound to its role).
    List,
    /// Send every later command of this profile with ROLE (kept as the profile's default role).
    Use {
        /// Role id, e.g. SystemRole-SuperAdmin (see `role list`).
        #[arg(required_unless_present = "default", conflicts_with = "default")]
        role: Option<String>,
        /// Go back to the sign-in's own default role.
        #[arg(long)]
        default: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProfileCmd {
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
    /// Edit a profile; a URL on another server signs it out and empties its cache.
    #[command(group(clap::ArgGroup::new("change").required(true).multiple(true)
        .args(["url", "colour", "no_colour", "production", "no_production", "default_role", "no_default_role"])))]
    Edit {
        name: String,
        /// New base URL of the API.
        #[arg(long)]
        url: Option<String>,
        /// Colour (#RRGGBB or a name) to tell environments apart.
        #[arg(long, visible_alias = "color", conflicts_with = "no_colour")]
        colour: Option<String>,
        /// Remove the colour.
        #[arg(long, visible_alias = "no-color")]
        no_colour: bool,
        /// Mark as a production environment.
        #[arg(long, conflicts_with = "no_production")]
        production: bool,
        /// Mark as not a production environment.
        #[arg(long)]
        no_production: bool,
        /// Role sent with every command (not checked here; `role use` checks it).
        #[arg(long, value_name = "ROLE", conflicts_with = "no_default_role")]
        default_role: Option<String>,
        /// Send the sign-in's own default role.
        #[arg(long)]
        no_default_role: bool,
    },
    /// List profiles.
    List,
    /// Make a profile the current one.
    Use { name: String },
    /// Remove a profile, its cache and its keychain entries.
    Remove { name: String },
}

#[derive(Args, Debug)]
pub struct LoginArgs {
    /// Sign in with user id and password (default: a personal access token).
    #[arg(long)]
    pub password: bool,
    /// User id for password sign-in (default: the profile's user).
    #[arg(long)]
    pub user: Option<String>,
    /// Read the password from standard input.
    #[arg(long, conflicts_with = "token_stdin")]
    pub password_stdin: bool,
    /// Read the personal access token from standard input.
    #[arg(long)]
    pub token_stdin: bool,
}

#[derive(Subcommand, Debug)]
pub enum UsersCmd {
    /// List users (syncs first unless --offline; falls back to the cache when offline).
    List {
        /// Service users only.
        #[arg(long)]
        service: bool,
        /// Search as the window's search box does: word prefixes of name, id, description, role
        /// and tag, "quoted phrases", and role:, status:, tag:, owner:, created-by: filters.
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
pub enum SuCmd {
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
    /// One change over many service users: a dry run (the plan) first, then the run.
    Bulk(BulkArgs),
}

/// What a bulk change does to each service user.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkActionArg {
    Enable,
    Disable,
    /// Attach --role.
    AttachRole,
    /// Detach --role.
    DetachRole,
    /// Share with --user and/or --tag (owner access).
    Share,
    /// Stop sharing with --user or --tag.
    Unshare,
    /// Delete (each must be disabled), transferring what it owns to --transfer-to.
    Delete,
}

/// `service-users bulk`: the service users come from ids, a file, or a filter over the cache.
/// Exit 0 when the run ends, whatever each item came to: the results say (JSON: `results`).
#[derive(Args, Debug)]
pub struct BulkArgs {
    pub action: BulkActionArg,
    /// Service user ids.
    pub ids: Vec<String>,
    /// Read ids from a file, one a line (`#` comments and blank lines skipped; `-`: stdin).
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<String>,
    /// Every cached service user (narrow with --search, --status, --with-role).
    #[arg(long, conflicts_with_all = ["ids", "from_file"])]
    pub all: bool,
    /// Service users matching this search (the window's syntax: word prefixes, "phrases",
    /// role:, status:, tag:, owner:, created-by:).
    #[arg(long, conflicts_with_all = ["ids", "from_file"])]
    pub search: Option<String>,
    /// Service users in this state.
    #[arg(long, value_parser = ["enabled", "disabled"], conflicts_with_all = ["ids", "from_file"])]
    pub status: Option<String>,
    /// Service users holding this role.
    #[arg(long, value_name = "ROLE", conflicts_with_all = ["ids", "from_file"])]
    pub with_role: Option<String>,
    /// The role to attach or detach.
    #[arg(long)]
    pub role: Option<String>,
    /// A person to share with or stop sharing with (repeatable for share).
    #[arg(long = "user")]
    pub users: Vec<String>,
    /// A tag to share with or stop sharing with (repeatable for share).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The regular user who receives what a deleted service user owns.
    #[arg(long, value_name = "USER")]
    pub transfer_to: Option<String>,
    /// Show the plan only; nothing is sent.
    #[arg(long)]
    pub dry_run: bool,
    /// Send without asking.
    #[arg(long)]
    pub yes: bool,
    /// The environment's name, for a destructive change in a production environment.
    #[arg(long, value_name = "NAME")]
    pub confirm_environment: Option<String>,
    /// Plan from the cache as it is, without syncing it first.
    #[arg(long)]
    pub no_sync: bool,
}

#[derive(Subcommand, Debug)]
pub enum SuRolesCmd {
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
pub struct AssumeArgs {
    pub id: String,
    /// Role to assume (default: the service user's default role).
    #[arg(long)]
    pub role: Option<String>,
    /// Lifetime in minutes, 1-180.
    #[arg(long, default_value_t = 60)]
    pub minutes: i64,
}

#[derive(Args, Debug)]
pub struct ExecArgs {
    pub id: String,
    #[arg(long)]
    pub role: Option<String>,
    #[arg(long)]
    pub minutes: Option<i64>,
    /// The command and its arguments.
    #[arg(last = true, required = true)]
    pub command: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum TokensCmd {
    /// Assumed identities and their state (live, expiring, expired, refused), checked with the server.
    List {
        /// Do not contact the server: show the state found at the last check.
        #[arg(long)]
        offline: bool,
    },
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
pub struct Whose {
    /// Acting as this assumed service user.
    #[arg(long = "as", value_name = "SERVICE_USER")]
    pub as_: Option<String>,
    /// As an owner of this service user, without assuming it.
    #[arg(long, value_name = "SERVICE_USER")]
    pub of: Option<String>,
}

/// The dashboard's filters (with `list --all`, or selecting what `revoke` revokes).
#[derive(Args, Debug, Default)]
pub struct FleetArgs {
    /// Active PATs expiring within this span: 30d, 2w or a number of days.
    #[arg(long, value_name = "SPAN")]
    pub expiring: Option<String>,
    /// The PATs of this service user only.
    #[arg(long, value_name = "ID")]
    pub service_user: Option<String>,
    /// PATs bound to a super-admin role or to system administrators only.
    #[arg(long)]
    pub high_privilege: bool,
}

#[derive(Subcommand, Debug)]
pub enum PatCmd {
    /// The PATs of one service user (--as, --of), or of every one you have access to (--all).
    #[command(group(clap::ArgGroup::new("scope").required(true).args(["as_", "of", "all"])))]
    List {
        /// Acting as this assumed service user.
        #[arg(long = "as", value_name = "SERVICE_USER")]
        as_: Option<String>,
        /// As an owner of this service user, without assuming it.
        #[arg(long, value_name = "SERVICE_USER")]
        of: Option<String>,
        /// Every PAT of every service user you have access to, with its days left.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        filter: FleetArgs,
    },
    /// Revoke many PATs of your service users: each SERVICE_USER:TOKEN_ID given, or those the
    /// filters select from `list --all`; shown, then confirmed (--yes without a terminal).
    Revoke {
        /// SERVICE_USER:TOKEN_ID, as `list --all --json` gives them.
        #[arg(value_name = "SERVICE_USER:TOKEN_ID")]
        tokens: Vec<String>,
        #[command(flatten)]
        filter: FleetArgs,
        /// Revoke without asking.
        #[arg(long)]
        yes: bool,
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

/// `history`: your entries in the profile's journal, newest first (filters narrow them), as a
/// table, `--json` or `--csv`; `history verify` checks its hash chain.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub command: Option<HistoryCmd>,
    /// Entries about this service user (deleted ones too).
    #[arg(long, value_name = "ID")]
    pub service_user: Option<String>,
    /// Entries of this action (assumed, disabled, roles_attached, signed_in...).
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// Entries at or after this time: RFC 3339, or a span back from now (30m, 12h, 7d, 2w).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Entries whose target, detail, message, code or role holds this text.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// At most this many entries.
    #[arg(long)]
    pub limit: Option<u32>,
    /// CSV (the same rows and columns as --json) instead of a table.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Subcommand, Debug)]
pub enum HistoryCmd {
    /// Check the journal's hash chain: exit 11 naming the first entry edited after it was written.
    Verify,
}

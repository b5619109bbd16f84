//! Client core of Amorphic Service Users Desktop: the API client, profiles, the SQLite cache,
//! the OS keychain, sync, and the use cases the desktop app and the `amorphic-su` CLI call.
//! No Tauri here.
//!
//! Start with [`Client::open`] for a profile, then call its use cases; every error is a
//! [`ClientError`] with a stable [`ClientError::code`].

pub mod api;
pub mod bulk;
pub mod cache;
pub mod client;
pub mod doctor;
pub mod downloads;
pub mod error;
pub mod identity_state;
pub mod journal;
pub mod profiles;
pub mod proxy;
pub mod search;
pub mod token;
pub mod vault;

pub use amorphic_su_model as model;
pub use api::{ApiClient, ApiConfig, Credentials};
pub use bulk::{
    BulkAction, BulkPlan, BulkProgress, BulkReport, BulkSelection, CancelToken, ItemResult,
    Outcome, PlanItem, Verdict, BULK_CONCURRENCY,
};
pub use cache::{
    Activity, ActivityKind, AssumedRecord, AssumedTokenMeta, Cache, ReadKey, SyncKey, UserFilter,
};
pub use client::{
    add_profile, current_profile, edit_profile, expires_in_days, fetch_user_pages, logout_current,
    remove_profile, session_status, use_profile, AddedProfile, AssumedIdentity, Client,
    EditedProfile, Fetched, LoginWith, MyRoles, NewAccessToken, NewServiceUser, ProfileEdit,
    RoleChoice, ServerSignOut, SessionStatus, ShareChange, SharesWithMembers, SignedIn, SignedOut,
    SyncOutcome, SyncProgress, SyncReport, TagShareWithMembers, UsersWindow,
    DEFAULT_ASSUME_MINUTES, MAX_WINDOW, SYNC_IN_FLIGHT,
};
pub use client::{FleetFilter, FleetToken, RevokeOutcome, TokenRef};
pub use doctor::{doctor, Check, CheckId, CheckStatus, DoctorOptions, DoctorReport};
pub use error::{ClientError, Result};
pub use identity_state::{identity_state, IdentityState, Refusal, RefusalReason, EXPIRING_SECONDS};
pub use journal::{
    ExportFormat, JournalAction, JournalEntry, JournalQuery, JournalResult, JournalTarget,
    Verification,
};
pub use profiles::{AuthKind, Config, NewProfile, Paths, Profile};
pub use proxy::{start_proxy, ProxyEnv, ProxyHandle};
pub use vault::{SecretKind, Vault, KEYCHAIN_SERVICE};

//! `## Key policies`: who administers and who uses each key (R22), and what
//! the key alarms depend on.

use super::Backend;
use crate::graph::{Graph, NodeKind};
use std::fmt::Write;

/// Who administers and who uses each key (R22), how the deploy passes KMS's
/// lockout safety check, and what the key alarms depend on.
pub(crate) fn section(g: &Graph, backend: Backend, o: &mut String) {
    use crate::graph::Principal;
    let _ = writeln!(o, "\n## Key policies\n");
    let _ = writeln!(
        o,
        "No key policy gives the account root `kms:*` or any use of a key. Administrators have the management actions only (policy, rotation, enable/disable, deletion, tags, aliases, listing and revoking grants) and are denied Encrypt, Decrypt, ReEncrypt, GenerateDataKey and CreateGrant; each role that uses a key is named by its exact ARN with exactly its actions, through one service.\n"
    );
    let mut deployer_named = false;
    for n in &g.nodes {
        let NodeKind::Key(k) = &n.kind else { continue };
        let admins: Vec<String> = k
            .policy
            .iter()
            .filter(|s| s.sid.ends_with("KeyAdministration"))
            .filter_map(|s| match &s.principal {
                Some(Principal::Iam(a)) => Some(
                    a.iter()
                        .map(|x| format!("`{x}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Some(Principal::Account) => {
                    Some("the account root (through IAM policies)".to_string())
                }
                _ => None,
            })
            .collect();
        deployer_named |= !k.policy.iter().any(|s| s.sid == "AccountKeyAdministration");
        let _ = writeln!(
            o,
            "- `{}` ({}): administered by {}; used by {}.",
            k.alias,
            n.region,
            admins.join(" and "),
            if k.used_by.is_empty() {
                "nothing".to_string()
            } else {
                k.used_by.join(", ")
            }
        );
    }
    let _ = writeln!(
        o,
        "\n{}{}",
        if deployer_named {
            match backend {
                Backend::Cfn => "Deploy with the site's `deployer` role (the stack service role, or the role the deploying credentials assume): it",
                Backend::Tf => "Deploy with the site's `deployer` role (the role Terraform's credentials assume, for both providers): it",
            }
        } else {
            ""
        },
        if deployer_named {
            " is a key administrator, so creating and updating the keys passes KMS's `PutKeyPolicy` lockout safety check (the caller must be allowed a later `PutKeyPolicy`), and it may use the keys only through RDS, DynamoDB, AWS Backup, S3 and Secrets Manager to create the encrypted stores."
        } else {
            "The site names no `deployer`: the account root keeps the management actions (never use) so that the deploying principal passes KMS's `PutKeyPolicy` lockout safety check through its IAM policy, and the creation of encrypted stores goes through any account principal allowed by IAM (`kms:ViaService`). Set `deployer` in the site to name the one role that may do both."
        }
    );
    let _ = writeln!(
        o,
        "\nThe `key-disabled` EventBridge rule in each region sends `DisableKey` and `ScheduleKeyDeletion` calls to the region's alert topic. KMS API calls reach EventBridge only through CloudTrail: **the alarm depends on an existing CloudTrail trail with logging on that records management events in both regions** (a multi-Region trail); drsc does not create one."
    );
}

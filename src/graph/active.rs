//! The active region (R35): which side is the writer, and what a build for
//! the failed-over site (`active = secondary`) leaves out.
//!
//! `primary` and `secondary` always name the regions the site was built with:
//! node ids, physical names, stacks, Terraform addresses and `DR-Role` tags
//! never change between the two states (a rename would replace resources).
//! Only the *role swap* follows [`SiteInfo::active`]:
//!
//! * which region is the writer ([`SiteInfo::writer`]);
//! * the Route 53 weights: the active region's record carries the site's
//!   `primary_share` (`crate::lower` derives them; see [`SiteInfo::weights_follow_active`]);
//! * the alarms that start the failover are disarmed while the secondary is
//!   active ([`Graph::actions_enabled`]): the automation lives in the
//!   secondary region and watches the primary's writer, so once the
//!   secondary is the writer it must not fail over again (for instance
//!   during the switchover of the failback);
//! * what a build deploys: only the surviving region ([`Graph::lost`]).

use super::{Graph, Node, NodeKind, Purpose, Role, SiteInfo, Subscription};

/// The region whose Route 53 control plane answers changes to records and
/// health checks (and IAM's), whatever region the change is made from
/// (notes/aws-research-issues-10-11.md §8.2, §8.3:
/// <https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/disaster-recovery-resiliency.html>,
/// <https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html>).
pub const GLOBAL_CONTROL_PLANE_REGION: &str = "us-east-1";

impl SiteInfo {
    /// The writer's side: the active one.
    pub fn writer(&self) -> Role {
        self.active
    }

    /// The side standing by: the one that is not active.
    pub fn standby(&self) -> Role {
        self.active.other()
    }

    /// The writer's region.
    pub fn writer_region(&self) -> &str {
        self.region(self.active)
    }

    /// Whether the site has failed over (`active = secondary`).
    pub fn failed_over(&self) -> bool {
        self.active != Role::Primary
    }

    /// Whether the Route 53 weights follow the active region. They do, except
    /// while failed over from the region that homes Route 53's control plane
    /// (us-east-1): changing a record then needs that control plane, so the
    /// failed-over build keeps the records as they were (traffic moves by
    /// their health checks, on Route 53's data plane) and the stack or module
    /// holding the surviving region's record needs no Route 53 change.
    pub fn weights_follow_active(&self) -> bool {
        !(self.failed_over() && self.region(Role::Primary) == GLOBAL_CONTROL_PLANE_REGION)
    }

    /// The side whose record gets the site's share: the active one where the
    /// weights follow it, the primary otherwise.
    pub fn weighted_side(&self) -> Role {
        if self.weights_follow_active() {
            self.active
        } else {
            Role::Primary
        }
    }
}

impl Graph {
    /// The side a build for this state must not need: the primary while
    /// the secondary is active (it failed over because the primary was
    /// lost), none otherwise.
    pub fn lost(&self) -> Option<Role> {
        self.site.failed_over().then_some(Role::Primary)
    }

    /// Whether `node` is an alarm whose actions start the failover: it
    /// notifies a topic that invokes the failover function or the Region
    /// switch starter.
    pub fn starts_failover(&self, node: &Node) -> bool {
        let actions = match &node.kind {
            NodeKind::Alarm(a) => &a.actions,
            NodeKind::CompositeAlarm(c) => &c.actions,
            _ => return false,
        };
        actions.iter().any(|t| {
            self.get(t).is_some_and(|topic| match &topic.kind {
                NodeKind::Topic(t) => t.subscriptions.iter().any(|s| match s {
                    Subscription::Function(f) => self.get(f).is_some_and(|f| {
                        matches!(&f.kind, NodeKind::Function(f)
                            if matches!(f.purpose, Purpose::Failover | Purpose::Starter))
                    }),
                    _ => false,
                }),
                _ => false,
            })
        })
    }

    /// `ActionsEnabled` / `actions_enabled` of an alarm: every alarm acts,
    /// except one that starts the failover while the secondary is active.
    pub fn actions_enabled(&self, node: &Node) -> bool {
        !(self.site.failed_over() && self.starts_failover(node))
    }
}

//! `deploy.json`: the whole deployment as ordered steps, each with the exact
//! command to run from the output directory.

use super::resources::artifact_bucket;
use super::stacks::Stack;
use super::{Cx, ParamSource, MAX_INLINE_TEMPLATE_BYTES};
use crate::graph::Role;
use crate::graph::{AccountSetting, NodeKind};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

/// `$(aws cloudformation describe-stacks ...)` reading one output.
pub(crate) fn output_query(cx: &Cx, stack: Stack, output: &str) -> String {
    let g = cx.graph;
    format!(
        "$(aws cloudformation describe-stacks --region {} --stack-name {} --query \"Stacks[0].Outputs[?OutputKey=='{output}'].OutputValue\" --output text)",
        g.site.region(stack.role()),
        stack.stack_name(g)
    )
}

/// The deploy step of `stack`. `second`: its second deploy, which also passes
/// the outputs of later stacks ([`ParamSource::Deferred`]).
fn stack_step(cx: &Cx, stack: Stack, text: &str, second: bool) -> Json {
    let g = cx.graph;
    let t = &cx.templates[&stack];
    let region = g.site.region(stack.role());
    let name = stack.stack_name(g);
    let file = stack.file(g);
    let mut params = Vec::new();
    let mut overrides = Vec::new();
    for (p, src) in &t.sources {
        // Failed over (R35): a value from the lost region's stacks, or a
        // lookup (of a global service's control plane), is not passed: the
        // stack keeps its last deployed value (see [`keeps_previous`]).
        if let Some(entry) = keeps_previous(cx, p, src) {
            params.push(entry);
            continue;
        }
        match src {
            ParamSource::Output {
                stack: from,
                output,
            } => {
                params.push(json!({
                    "name": p,
                    "from": {"stack": from.label(g), "stack_name": from.stack_name(g),
                             "region": g.site.region(from.role()), "output": output},
                }));
                overrides.push(format!("\"{p}={}\"", output_query(cx, *from, output)));
            }
            ParamSource::Lookup { command } => {
                params.push(json!({"name": p, "lookup": command}));
                overrides.push(format!("\"{p}=$({command})\""));
            }
            ParamSource::Default(v) => {
                params.push(json!({"name": p, "default": v}));
            }
            // The first deploy leaves it out: a new stack takes the empty
            // default, an existing one keeps the value of its last deploy
            // (`aws cloudformation deploy` reuses unspecified parameters).
            ParamSource::Deferred {
                stack: from,
                output,
            } => {
                params.push(json!({
                    "name": p,
                    "deferred": true,
                    "from": {"stack": from.label(g), "stack_name": from.stack_name(g),
                             "region": g.site.region(from.role()), "output": output},
                }));
                if second {
                    overrides.push(format!("\"{p}={}\"", output_query(cx, *from, output)));
                }
            }
        }
    }
    // A template with a transform (the hosted secret rotation) needs
    // CAPABILITY_AUTO_EXPAND as well.
    let capabilities = if cx
        .templates
        .get(&stack)
        .is_some_and(|t| !t.transforms.is_empty())
    {
        "CAPABILITY_NAMED_IAM CAPABILITY_AUTO_EXPAND"
    } else {
        "CAPABILITY_NAMED_IAM"
    };
    let mut cmd = format!(
        "aws cloudformation deploy --region {region} --stack-name {name} --template-file {file} \
         --capabilities {capabilities} --no-fail-on-empty-changeset"
    );
    let large = text.len() > MAX_INLINE_TEMPLATE_BYTES;
    if large {
        cmd.push_str(&format!(
            " --s3-bucket {} --s3-prefix templates",
            artifact_bucket(cx, stack.role())
        ));
    }
    if !overrides.is_empty() {
        cmd.push_str(" --parameter-overrides ");
        cmd.push_str(&overrides.join(" "));
    }
    let mut tags = g.site.tags.clone();
    tags.insert("Environment".into(), g.site.environment_tag.clone());
    tags.insert("DR-Role".into(), stack.role().as_str().into());
    let tag_args: Vec<String> = tags.iter().map(|(k, v)| format!("\"{k}={v}\"")).collect();
    cmd.push_str(" --tags ");
    cmd.push_str(&tag_args.join(" "));
    let outputs: Vec<&String> = t.outputs.keys().collect();
    let mut step = json!({
        "kind": "stack",
        "stack": stack.label(g),
        "stack_name": name,
        "region": region,
        "template": file,
        "template_bytes": text.len(),
        "resources": t.resources.len(),
        "via_artifact_bucket": large,
        "parameters": params,
        "outputs": outputs,
        "command": cmd,
    });
    if second {
        step["pass"] = json!("second");
        step["description"] = json!("Second deploy: add what needs stacks deployed after this one (the secondary bucket's replication back to the primary bucket, whose destination must exist)");
    }
    step
}

/// The step that checks each failover record carries the health check the
/// Region switch plan created for its region. CloudFormation selects the
/// check by position in the plan's `PlanHealthChecks` (see
/// `Cx::intrinsic`), whose order AWS does not document; a wrong pairing
/// would move traffic the wrong way without any error, so the deployment
/// fails here instead. `ListRoute53HealthChecks` returns each check's
/// region, zone and id
/// (<https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Route53HealthCheck.html>).
fn plan_health_check_step(cx: &Cx) -> Option<Json> {
    let g = cx.graph;
    // A failed-over build changes no record (R35); the check asks the plan's
    // control plane, which may be the lost region's.
    if g.lost().is_some() {
        return None;
    }
    let plan = g
        .nodes
        .iter()
        .find(|n| matches!(n.kind, NodeKind::RegionSwitchPlan(_)))?;
    let records: Vec<&crate::graph::Record> = g
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Record(r) if matches!(r.routing, crate::graph::Routing::Failover(_)) => {
                Some(r)
            }
            _ => None,
        })
        .collect();
    if records.is_empty() {
        return None;
    }
    let stack = cx.stack(&plan.id);
    let region = g.site.region(stack.role());
    let plan_arn = format!(
        "$(aws cloudformation describe-stack-resource --region {region} --stack-name {} --logical-resource-id {} --query StackResourceDetail.PhysicalResourceId --output text)",
        stack.stack_name(g),
        super::logical_id(&plan.id)
    );
    let checks: Vec<String> = records
        .iter()
        .map(|r| {
            let r_region = g.site.region(r.side);
            format!(
                "set -- $(aws arc-region-switch list-route53-health-checks --region {region} --arn \"$plan\" --query \"healthChecks[?region=='{r_region}'] | [0].[hostedZoneId,healthCheckId]\" --output text) && test \"$2\" = \"$(aws route53 list-resource-record-sets --hosted-zone-id \"$1\" --query \"ResourceRecordSets[?SetIdentifier=='{}'] | [0].HealthCheckId\" --output text)\"",
                r.set_identifier
            )
        })
        .collect();
    Some(json!({
        "kind": "check",
        "region": region,
        "description": "Check that each failover record carries the Route 53 health check the Region switch plan created for its region (CloudFormation picks it by position in `PlanHealthChecks`, whose order AWS does not document); fails the deployment on a wrong pairing",
        "command": format!("plan={plan_arn} && {}", checks.join(" && ")),
    }))
}

/// While failed over (`active = secondary`, R35), the manifest entry of a
/// parameter the surviving region's stacks cannot read: an output of a stack
/// of the lost region, or a lookup. The parameter is left out of
/// `--parameter-overrides`, and `aws cloudformation deploy` then keeps the
/// stack's existing value: it sends `UsePreviousValue: true` for every
/// parameter of the previous template it is not given (aws/aws-cli#2599,
/// whose fix limited it to parameters the previous template has;
/// `UsePreviousValue`, <https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html>).
/// The stacks exist (the normal build deployed them before the disaster) and
/// their parameters are the same in both states (tests/active_state.rs).
fn keeps_previous(cx: &Cx, name: &str, src: &ParamSource) -> Option<Json> {
    let g = cx.graph;
    let lost = g.lost()?;
    match src {
        ParamSource::Output { stack, output } | ParamSource::Deferred { stack, output }
            if stack.role() == lost =>
        {
            Some(json!({
                "name": name,
                "previous": true,
                "from": {"stack": stack.label(g), "stack_name": stack.stack_name(g),
                         "region": g.site.region(stack.role()), "output": output},
                "why": format!("{} is lost: the stack keeps the value of its last deploy", g.site.region(lost)),
            }))
        }
        ParamSource::Lookup { command } => Some(json!({
            "name": name,
            "previous": true,
            "lookup": command,
            "why": "failed over: the lookup calls a global control plane (us-east-1); the stack keeps the value of its last deploy",
        })),
        _ => None,
    }
}

/// Whether the failed-over build leaves `stack` out (it is in the lost region).
fn skipped(cx: &Cx, stack: Stack) -> bool {
    cx.graph.lost() == Some(stack.role())
}

/// The steps that strip every rule from the default security group of each
/// VPC `stack` creates (`Vpc::restrict_default_security_group`, issue 14).
/// CloudFormation cannot: the default group is no resource of the template,
/// and `AWS::EC2::SecurityGroupIngress`/`Egress` only add rules. The step
/// revokes exactly the rules the group has, so that AWS Config's
/// `VPC_DEFAULT_SECURITY_GROUP_CLOSED` ("NON_COMPLIANT if the default security
/// group has one or more inbound or outbound traffic rules",
/// <https://docs.aws.amazon.com/config/latest/developerguide/vpc-default-security-group-closed.html>)
/// holds, and does nothing once they are gone, so it can run on every deploy.
fn default_security_group_steps(cx: &Cx, stack: Stack) -> Vec<Json> {
    let g = cx.graph;
    if skipped(cx, stack) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for n in &g.nodes {
        let NodeKind::Vpc(v) = &n.kind else { continue };
        if !v.restrict_default_security_group || cx.stack(&n.id) != stack {
            continue;
        }
        let region = g.site.region(stack.role());
        let vpc = format!(
            "$(aws cloudformation describe-stack-resource --region {region} --stack-name {} --logical-resource-id {} --query StackResourceDetail.PhysicalResourceId --output text)",
            stack.stack_name(g),
            super::logical_id(&n.id)
        );
        let sg = format!(
            "$(aws ec2 describe-security-groups --region {region} --filters Name=vpc-id,Values=$vpc Name=group-name,Values=default --query \"SecurityGroups[0].GroupId\" --output text)"
        );
        let revoke = |direction: &str, field: &str| {
            format!(
                "p=$(aws ec2 describe-security-groups --region {region} --group-ids $sg --query \"SecurityGroups[0].{field}\" --output json) && if [ \"$p\" != \"[]\" ]; then aws ec2 revoke-security-group-{direction} --region {region} --group-id $sg --ip-permissions \"$p\"; fi"
            )
        };
        out.push(json!({
            "kind": "account-setting",
            "region": region,
            "description": format!("Remove every rule of the default security group of VPC `{}` (nothing of the site uses it; CloudFormation cannot change it)", n.name),
            "command": format!(
                "vpc={vpc} && sg={sg} && {} && {}",
                revoke("ingress", "IpPermissions"),
                revoke("egress", "IpPermissionsEgress")
            ),
        }));
    }
    out
}

/// The manifest, as pretty JSON.
pub(crate) fn manifest(cx: &Cx, files: &BTreeMap<Stack, String>) -> String {
    let g = cx.graph;
    let mut steps: Vec<Json> = Vec::new();
    let lost_region = g.lost().map(|r| g.site.region(r).to_string());
    let stack = |steps: &mut Vec<Json>, s: Stack| {
        if skipped(cx, s) {
            return;
        }
        if let Some(text) = files.get(&s) {
            steps.push(stack_step(cx, s, text, false));
        }
    };
    stack(&mut steps, Stack::BootstrapPrimary);
    stack(&mut steps, Stack::BootstrapSecondary);
    for (stack, file) in &cx.uploads {
        if skipped(cx, *stack) {
            continue;
        }
        let role = stack.role();
        let bucket = artifact_bucket(cx, role);
        steps.push(json!({
            "kind": "upload",
            "region": g.site.region(role),
            "file": file,
            "bucket": bucket,
            "key": file,
            "command": format!("aws s3 cp {file} s3://{bucket}/{file} --region {}", g.site.region(role)),
        }));
    }
    for s in &g.account_settings {
        if let AccountSetting::BackupRegionSettings {
            region,
            opt_in,
            full_management,
        } = s
        {
            if lost_region.as_deref() == Some(region.as_str()) {
                continue;
            }
            let map = |v: &[String]| {
                v.iter()
                    .map(|t| format!("{t}=true"))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let mut cmd = format!(
                "aws backup update-region-settings --region {region} --resource-type-opt-in-preference {}",
                map(opt_in)
            );
            if !full_management.is_empty() {
                cmd.push_str(&format!(
                    " --resource-type-management-preference {}",
                    map(full_management)
                ));
            }
            steps.push(json!({
                "kind": "account-setting",
                "region": region,
                "description": "AWS Backup region settings: opt in to the covered resource types and enable advanced (fully managed) DynamoDB backups, needed for cross-region copies; CloudFormation has no resource for this",
                "command": cmd,
            }));
        }
    }
    stack(&mut steps, Stack::Foundation);
    steps.extend(default_security_group_steps(cx, Stack::Foundation));
    stack(&mut steps, Stack::Primary);
    steps.extend(default_security_group_steps(cx, Stack::Primary));
    // The peering's DNS options are set once and persist; both commands read
    // the peering id from the primary stack, so a failed-over build leaves
    // them out.
    for s in g.account_settings.iter().filter(|_| g.lost().is_none()) {
        if let AccountSetting::PeeringDnsResolution { peering } = s {
            let output = format!("{}Id", super::logical_id(peering));
            let pcx = output_query(cx, Stack::Primary, &output);
            let exists = cx.templates[&Stack::Primary].outputs.contains_key(&output);
            let id = if exists {
                pcx
            } else {
                // The id is not otherwise exported; read it from the stack's resources.
                format!(
                    "$(aws cloudformation describe-stack-resource --region {} --stack-name {} --logical-resource-id {} --query StackResourceDetail.PhysicalResourceId --output text)",
                    g.site.primary_region,
                    Stack::Primary.stack_name(g),
                    super::logical_id(peering)
                )
            };
            steps.push(json!({
                "kind": "account-setting",
                "region": g.site.primary_region,
                "description": "Allow private DNS resolution across the inter-region VPC peering (requester side, in the requester's region); CloudFormation has no property for it",
                "command": format!("aws ec2 modify-vpc-peering-connection-options --region {} --vpc-peering-connection-id {id} --requester-peering-connection-options AllowDnsResolutionFromRemoteVpc=true", g.site.primary_region),
            }));
            steps.push(json!({
                "kind": "account-setting",
                "region": g.site.secondary_region,
                "description": "Allow private DNS resolution across the inter-region VPC peering (accepter side, in the accepter's region)",
                "command": format!("aws ec2 modify-vpc-peering-connection-options --region {} --vpc-peering-connection-id {id} --accepter-peering-connection-options AllowDnsResolutionFromRemoteVpc=true", g.site.secondary_region),
            }));
        }
    }
    stack(&mut steps, Stack::Secondary);
    if let Some(check) = plan_health_check_step(cx) {
        steps.push(check);
    }
    for s in Stack::ALL {
        let deferred = cx.templates.get(&s).is_some_and(|t| {
            t.sources
                .values()
                .any(|v| matches!(v, ParamSource::Deferred { .. }))
        });
        if let (true, false, Some(text)) = (deferred, skipped(cx, s), files.get(&s)) {
            steps.push(stack_step(cx, s, text, true));
        }
    }
    if g.site.production {
        for stack in [Stack::Foundation, Stack::Primary, Stack::Secondary]
            .into_iter()
            .filter(|s| files.contains_key(s) && !skipped(cx, *s))
        {
            steps.push(json!({
                "kind": "protection",
                "region": g.site.region(stack.role()),
                "description": "Turn on stack termination protection (production)",
                "command": format!(
                    "aws cloudformation update-termination-protection --region {} --stack-name {} --enable-termination-protection",
                    g.site.region(stack.role()), stack.stack_name(g)),
            }));
        }
    }
    let steps: Vec<Json> = steps
        .into_iter()
        .enumerate()
        .map(|(i, mut s)| {
            s["step"] = json!(i + 1);
            s
        })
        .collect();
    let failover_fn = g.nodes.iter().find(|n| {
        matches!(&n.kind, NodeKind::Function(f) if f.purpose == crate::graph::Purpose::Failover)
    });
    let starter_fn = g.nodes.iter().find(
        |n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == crate::graph::Purpose::Starter),
    );
    let mut m = json!({
        "generator": format!("drsc {}", env!("CARGO_PKG_VERSION")),
        "source": cx.options.source,
        "site": g.site.name,
        "environment": g.site.environment,
        "suffix": g.site.suffix,
        "regions": {"primary": g.site.primary_region, "secondary": g.site.secondary_region},
        "run_from": "the directory containing this file (template and asset paths are relative to it)",
        "failover_function": failover_fn.map(|n| json!({"name": n.name, "region": g.site.region(Role::Secondary)})),
        "region_switch_starter": starter_fn.map(|n| json!({"name": n.name, "region": g.site.region(Role::Secondary)})),
        "steps": steps,
    });
    if let Some(lost) = g.lost() {
        m["active"] = json!(g.site.active.as_str());
        m["lost_region"] = json!(g.site.region(lost));
        m["not_deployed"] = Json::Array(
            Stack::ALL
                .into_iter()
                .filter(|s| s.role() == lost && files.contains_key(s))
                .map(|s| {
                    json!({
                        "stack": s.label(g),
                        "stack_name": s.stack_name(g),
                        "region": g.site.region(lost),
                        "template": s.file(g),
                        "why": "failed over (active = secondary): this build deploys from the surviving region alone; the stack keeps what it had and is updated by the failback build (active = primary) once its region is back",
                    })
                })
                .collect(),
        );
    }
    let mut s = serde_json::to_string_pretty(&m).unwrap_or_default();
    s.push('\n');
    s
}

//! Graph nodes → CloudFormation resources. A node may become several
//! resources (a key and its alias, a VPC with subnets and route tables, a
//! cluster with its instances, subnet group and parameter group...); their
//! logical IDs extend the node's (`VpcCorePrimarySubnet0`).

mod drill;
mod frontdoor;
mod restore;

pub(crate) use drill::OUTPUT as DRILL_OUTPUT;

use super::stacks::Stack;
use super::{camel, get_att, logical_id, r#ref, Cx};
use crate::graph::Role;
use crate::graph::{
    Attr, Code, Effect, EndpointAccess, Node, NodeKind, Peer, Principal, RecordTarget, Resources,
    Routing, SgRule, Statement, Subscription, Tags, Trigger, Value, ZoneRef,
};
use serde_json::{json, Map, Value as Json};

/// A resource under construction.
struct Res {
    ty: &'static str,
    props: Map<String, Json>,
    /// `Some(true)` Retain, `Some(false)` Delete (both policies), `None` unset.
    retain: Option<bool>,
    depends_on: Vec<String>,
    /// cfn-lint checks to ignore on this resource, with the reason.
    ignore: Vec<(&'static str, &'static str)>,
}

impl Res {
    fn new(ty: &'static str) -> Res {
        Res {
            ty,
            props: Map::new(),
            retain: None,
            depends_on: Vec::new(),
            ignore: Vec::new(),
        }
    }

    fn p(mut self, key: &str, value: Json) -> Res {
        if !value.is_null() {
            self.props.insert(key.to_string(), value);
        }
        self
    }

    fn retain(mut self, retain: bool) -> Res {
        self.retain = Some(retain);
        self
    }

    fn into_json(self) -> Json {
        let mut m = Map::new();
        m.insert("Type".into(), json!(self.ty));
        if !self.props.is_empty() {
            m.insert("Properties".into(), Json::Object(self.props));
        }
        if let Some(r) = self.retain {
            let policy = if r { "Retain" } else { "Delete" };
            m.insert("DeletionPolicy".into(), json!(policy));
            m.insert("UpdateReplacePolicy".into(), json!(policy));
        }
        if !self.depends_on.is_empty() {
            let mut d = self.depends_on;
            d.sort();
            d.dedup();
            m.insert("DependsOn".into(), json!(d));
        }
        if !self.ignore.is_empty() {
            let checks: Vec<&str> = self.ignore.iter().map(|(c, _)| *c).collect();
            let reasons: Map<String, Json> = self
                .ignore
                .iter()
                .map(|(c, r)| (c.to_string(), json!(r)))
                .collect();
            m.insert(
                "Metadata".into(),
                json!({
                    "cfn-lint": {"config": {"ignore_checks": checks}},
                    "drsc": {"ignore_reasons": reasons},
                }),
            );
        }
        Json::Object(m)
    }
}

fn put(cx: &mut Cx, stack: Stack, logical: String, res: Res) {
    let j = res.into_json();
    cx.t(stack).resources.insert(logical, j);
}

/// `[{Key, Value}]`, sorted by key, with `Name` replaced by `name` if given.
fn tag_list(tags: &Tags, name: Option<&str>) -> Json {
    let mut t = tags.clone();
    if let Some(n) = name {
        t.insert("Name".into(), n.to_string());
    }
    Json::Array(
        t.iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

fn tag_map(tags: &Tags) -> Json {
    json!(tags)
}

fn num(x: f64) -> Json {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// A policy document.
pub(crate) fn policy(cx: &mut Cx, stack: Stack, statements: &[Statement]) -> Json {
    let list: Vec<Json> = statements.iter().map(|s| statement(cx, stack, s)).collect();
    json!({"Version": "2012-10-17", "Statement": list})
}

fn one_or_many(mut v: Vec<Json>) -> Json {
    if v.len() == 1 {
        v.pop().unwrap_or(Json::Null)
    } else {
        Json::Array(v)
    }
}

fn statement(cx: &mut Cx, stack: Stack, s: &Statement) -> Json {
    let mut m = Map::new();
    m.insert("Sid".into(), json!(s.sid));
    m.insert(
        "Effect".into(),
        json!(match s.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }),
    );
    if let Some(p) = &s.principal {
        let j = match p {
            Principal::Account => {
                json!({"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}})
            }
            Principal::Iam(arns) => {
                json!({"AWS": one_or_many(arns.iter().map(|a| json!(a)).collect())})
            }
            Principal::Services(svcs) => {
                json!({"Service": one_or_many(svcs.iter().map(|s| json!(s)).collect())})
            }
            Principal::Anyone => json!("*"),
            Principal::ServiceLinkedRole(path) => json!({"AWS": {"Fn::Sub": format!(
                "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{path}"
            )}}),
        };
        m.insert("Principal".into(), j);
    }
    m.insert(
        "Action".into(),
        one_or_many(s.actions.iter().map(|a| json!(a)).collect()),
    );
    let resource = match &s.resources {
        Resources::All => json!("*"),
        Resources::Some(rs) => {
            let v: Vec<Json> = rs.iter().map(|r| cx.value(r, stack)).collect();
            one_or_many(v)
        }
    };
    m.insert("Resource".into(), resource);
    if !s.conditions.is_empty() {
        let mut cond: Map<String, Json> = Map::new();
        for c in &s.conditions {
            let vals: Vec<Json> = c.values.iter().map(|v| cx.value(v, stack)).collect();
            let vals = match c.boolean() {
                Some(b) => Json::Bool(b),
                None => one_or_many(vals),
            };
            let entry = cond
                .entry(c.operator.clone())
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(o) = entry {
                o.insert(c.key.clone(), vals);
            }
        }
        m.insert("Condition".into(), Json::Object(cond));
    }
    Json::Object(m)
}

/// `Fn::Select [i, Fn::GetAZs ""]`.
fn az(i: u8) -> Json {
    json!({"Fn::Select": [i, {"Fn::GetAZs": ""}]})
}

/// The artifact bucket name of `role`'s region.
pub(crate) fn artifact_bucket(cx: &Cx, role: Role) -> String {
    let g = cx.graph;
    crate::graph::physical_name(&[
        &g.site.name,
        "artifacts",
        &g.site.environment,
        &g.site.suffix,
        g.site.short(role),
    ])
}

/// The bootstrap stacks: one private, encrypted, versioned artifact bucket per region.
pub(crate) fn bootstrap(cx: &mut Cx) {
    for role in Role::BOTH {
        let stack = Stack::bootstrap(role);
        let name = artifact_bucket(cx, role);
        let mut tags = cx.graph.site.tags.clone();
        tags.insert("Environment".into(), cx.graph.site.environment_tag.clone());
        tags.insert("DR-Role".into(), role.as_str().into());
        tags.insert("Name".into(), name.clone());
        // Server access logs go to the region's access-log bucket, which the
        // graph has and this stack creates (`stacks::assign`).
        let log_bucket = cx
            .graph
            .on(role)
            .find(|n| matches!(&n.kind, NodeKind::Bucket(b) if b.log_sink))
            .map(|n| n.id.clone());
        let log_bucket = match log_bucket {
            Some(id) => {
                let dest = cx.value(&Value::r(&id, Attr::Name), stack);
                logging(dest, &format!("{name}/"))
            }
            None => Json::Null,
        };
        let bucket = Res::new("AWS::S3::Bucket")
            .p("BucketName", json!(name))
            .p("VersioningConfiguration", json!({"Status": "Enabled"}))
            .p(
                "BucketEncryption",
                json!({"ServerSideEncryptionConfiguration": [{
                    "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"},
                    "BucketKeyEnabled": true}]}),
            )
            .p("PublicAccessBlockConfiguration", public_access_block())
            .p(
                "OwnershipControls",
                json!({"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}),
            )
            .p(
                "LifecycleConfiguration",
                json!({"Rules": [{"Id": "expire-old-versions", "Status": "Enabled",
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 90}}]}),
            )
            .p("LoggingConfiguration", log_bucket)
            .p("Tags", tag_list(&tags, None))
            .retain(cx.graph.site.production);
        put(cx, stack, "ArtifactBucket".into(), bucket);
        let arn = Value::join(vec![
            Value::lit("arn:"),
            Value::Partition,
            Value::lit(format!(":s3:::{name}")),
        ]);
        let deny = Statement::deny_insecure_transport(vec![
            arn.clone(),
            Value::join(vec![arn, Value::lit("/*")]),
        ]);
        let policy = policy(cx, stack, &[deny]);
        put(
            cx,
            stack,
            "ArtifactBucketPolicy".into(),
            Res::new("AWS::S3::BucketPolicy")
                .p("Bucket", r#ref("ArtifactBucket"))
                .p("PolicyDocument", policy),
        );
        cx.t(stack).outputs.insert(
            "ArtifactBucketName".into(),
            json!({"Description": "Artifact bucket (function code, large templates)", "Value": {"Ref": "ArtifactBucket"}}),
        );
    }
}

fn public_access_block() -> Json {
    json!({"BlockPublicAcls": true, "BlockPublicPolicy": true,
           "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
}

/// Keeps only the characters EC2 allows in security-group descriptions.
fn sg_text(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(*c))
        .collect()
}

fn sg_rules(cx: &mut Cx, stack: Stack, rules: &[SgRule], ingress: bool) -> Json {
    Json::Array(
        rules
            .iter()
            .map(|r| {
                let mut m = Map::new();
                m.insert("IpProtocol".into(), json!("tcp"));
                m.insert("FromPort".into(), json!(r.from_port));
                m.insert("ToPort".into(), json!(r.to_port));
                m.insert("Description".into(), json!(sg_text(&r.description)));
                match &r.peer {
                    Peer::Cidr(c) => {
                        m.insert("CidrIp".into(), json!(c));
                    }
                    Peer::Group(g) => {
                        let key = if ingress {
                            "SourceSecurityGroupId"
                        } else {
                            "DestinationSecurityGroupId"
                        };
                        m.insert(key.into(), cx.value(g, stack));
                    }
                }
                Json::Object(m)
            })
            .collect(),
    )
}

/// Emits one node.
pub(crate) fn node(cx: &mut Cx, n: &Node) {
    let stack = cx.stack(&n.id);
    let l = logical_id(&n.id);
    let retain = n.protection.retain;
    match &n.kind {
        NodeKind::Key(k) => {
            let policy = policy(cx, stack, &k.policy);
            put(
                cx,
                stack,
                l.clone(),
                Res::new("AWS::KMS::Key")
                    .p("Description", json!(n.description))
                    .p("EnableKeyRotation", json!(k.rotation))
                    .p(
                        "RotationPeriodInDays",
                        if k.rotation {
                            json!(k.rotation_period_days)
                        } else {
                            Json::Null
                        },
                    )
                    .p("PendingWindowInDays", json!(k.pending_window_days))
                    .p("KeyPolicy", policy)
                    .p("Tags", tag_list(&n.tags, None))
                    .retain(retain),
            );
            put(
                cx,
                stack,
                format!("{l}Alias"),
                Res::new("AWS::KMS::Alias")
                    .p("AliasName", json!(k.alias))
                    .p("TargetKeyId", r#ref(&l)),
            );
        }
        NodeKind::Vpc(v) => {
            put(
                cx,
                stack,
                l.clone(),
                Res::new("AWS::EC2::VPC")
                    .p("CidrBlock", json!(v.cidr))
                    .p("EnableDnsHostnames", json!(true))
                    .p("EnableDnsSupport", json!(true))
                    .p("Tags", tag_list(&n.tags, None)),
            );
            for (i, s) in v.subnets.iter().enumerate() {
                put(
                    cx,
                    stack,
                    format!("{l}Subnet{i}"),
                    Res::new("AWS::EC2::Subnet")
                        .p("VpcId", r#ref(&l))
                        .p("CidrBlock", json!(s.cidr))
                        .p("AvailabilityZone", az(s.zone_index))
                        .p("MapPublicIpOnLaunch", json!(false))
                        .p("Tags", tag_list(&n.tags, Some(&s.name))),
                );
                put(
                    cx,
                    stack,
                    format!("{l}RouteTable{i}"),
                    Res::new("AWS::EC2::RouteTable")
                        .p("VpcId", r#ref(&l))
                        .p("Tags", tag_list(&n.tags, Some(&s.route_table_name))),
                );
                put(
                    cx,
                    stack,
                    format!("{l}RouteTableAssociation{i}"),
                    Res::new("AWS::EC2::SubnetRouteTableAssociation")
                        .p("SubnetId", r#ref(&format!("{l}Subnet{i}")))
                        .p("RouteTableId", r#ref(&format!("{l}RouteTable{i}"))),
                );
            }
            if let Some(f) = &v.flow_logs {
                // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-flowlog.html
                let group = cx.value(&Value::r(&f.log_group, Attr::Name), stack);
                let role = cx.value(&Value::r(&f.role, Attr::Arn), stack);
                let mut res = Res::new("AWS::EC2::FlowLog")
                    .p("ResourceId", r#ref(&l))
                    .p("ResourceType", json!("VPC"))
                    .p("TrafficType", json!(f.traffic_type))
                    .p("LogDestinationType", json!("cloud-watch-logs"))
                    .p("LogGroupName", group)
                    .p("DeliverLogsPermissionArn", role)
                    .p("Tags", tag_list(&n.tags, None));
                res.depends_on.extend(policy_dependency(cx, stack, &f.role));
                put(cx, stack, format!("{l}FlowLog"), res);
            }
            // `restrict_default_security_group`: CloudFormation cannot change
            // the rules of a VPC's default security group (it is not a
            // resource of the template; CDK does it with a custom-resource
            // Lambda); a `deploy.json` step revokes them (`deploy.rs`). The
            // Terraform backend strips the rules with `aws_default_security_group`.
        }
        NodeKind::Peering(p) => {
            let requester = cx.value(&Value::r(&p.requester, Attr::Id), stack);
            let accepter = cx.value(&Value::r(&p.accepter, Attr::Id), stack);
            put(
                cx,
                stack,
                l.clone(),
                Res::new("AWS::EC2::VPCPeeringConnection")
                    .p("VpcId", requester)
                    .p("PeerVpcId", accepter)
                    .p("PeerRegion", json!(p.peer_region))
                    .p("Tags", tag_list(&n.tags, None)),
            );
            let mut counts = [0usize; 2];
            for r in &p.routes {
                let (route_stack, idx) = match r.side {
                    Role::Primary => (stack, 0),
                    Role::Secondary => (Stack::Secondary, 1),
                };
                let i = counts[idx];
                counts[idx] += 1;
                let pcx = cx.reference(&crate::graph::Ref::new(&n.id, Attr::Id), route_stack);
                let table = cx.value(&r.route_table, route_stack);
                put(
                    cx,
                    route_stack,
                    format!("{l}Route{}{i}", camel(r.side.as_str())),
                    Res::new("AWS::EC2::Route")
                        .p("RouteTableId", table)
                        .p("DestinationCidrBlock", json!(r.destination_cidr))
                        .p("VpcPeeringConnectionId", pcx),
                );
            }
        }
        NodeKind::SecurityGroup(s) => {
            let vpc = cx.value(&s.vpc, stack);
            let ingress = sg_rules(cx, stack, &s.ingress, true);
            let egress = sg_rules(cx, stack, &s.egress, false);
            put(
                cx,
                stack,
                l,
                Res::new("AWS::EC2::SecurityGroup")
                    .p("GroupDescription", json!(sg_text(&s.group_description)))
                    .p("VpcId", vpc)
                    .p(
                        "SecurityGroupIngress",
                        if s.ingress.is_empty() {
                            Json::Null
                        } else {
                            ingress
                        },
                    )
                    .p("SecurityGroupEgress", egress)
                    .p("Tags", tag_list(&n.tags, None)),
            );
        }
        NodeKind::Endpoint(e) => {
            let vpc = cx.value(&e.vpc, stack);
            let mut res = Res::new("AWS::EC2::VPCEndpoint")
                .p("VpcId", vpc)
                .p("ServiceName", json!(e.service_name))
                .p("Tags", tag_list(&n.tags, None));
            match &e.access {
                EndpointAccess::Gateway { route_tables } => {
                    let rts = cx.values(route_tables, stack);
                    res = res
                        .p("VpcEndpointType", json!("Gateway"))
                        .p("RouteTableIds", rts);
                }
                EndpointAccess::Interface {
                    subnets,
                    security_groups,
                } => {
                    let sn = cx.values(subnets, stack);
                    let sg = cx.values(security_groups, stack);
                    res = res
                        .p("VpcEndpointType", json!("Interface"))
                        .p("PrivateDnsEnabled", json!(true))
                        .p("SubnetIds", sn)
                        .p("SecurityGroupIds", sg);
                }
            }
            put(cx, stack, l, res);
        }
        NodeKind::GlobalDatabase(g) => {
            put(
                cx,
                stack,
                l,
                Res::new("AWS::RDS::GlobalCluster")
                    .p("GlobalClusterIdentifier", json!(n.name))
                    .p("Engine", json!(g.engine))
                    .p("EngineVersion", json!(g.engine_version))
                    .p("StorageEncrypted", json!(g.storage_encrypted))
                    .p(
                        "DeletionProtection",
                        json!(n.protection.deletion_protection),
                    )
                    .p("Tags", tag_list(&n.tags, None))
                    .retain(retain),
            );
        }
        NodeKind::DbCluster(c) => db_cluster(cx, stack, n, &l, c),
        NodeKind::Secret(sec) => secret(cx, stack, n, &l, sec),
        NodeKind::GlobalTable(t) => {
            let mut attrs = vec![
                json!({"AttributeName": t.partition_key.0, "AttributeType": t.partition_key.1}),
            ];
            let mut schema = vec![json!({"AttributeName": t.partition_key.0, "KeyType": "HASH"})];
            if let Some(s) = &t.sort_key {
                attrs.push(json!({"AttributeName": s.0, "AttributeType": s.1}));
                schema.push(json!({"AttributeName": s.0, "KeyType": "RANGE"}));
            }
            let mut replicas = Vec::new();
            for r in &t.replicas {
                let key = cx.value(&r.key, stack);
                let mut m = json!({
                    "Region": r.region,
                    "SSESpecification": {"KMSMasterKeyId": key},
                    "PointInTimeRecoverySpecification": {
                        "PointInTimeRecoveryEnabled": r.pitr,
                    },
                    "DeletionProtectionEnabled": r.deletion_protection,
                    "Tags": tag_list(&r.tags, None),
                });
                if r.pitr {
                    m["PointInTimeRecoverySpecification"]["RecoveryPeriodInDays"] =
                        json!(r.pitr_days);
                }
                if !t.on_demand {
                    m["ReadProvisionedThroughputSettings"] = json!({"ReadCapacityAutoScalingSettings": {
                        "MinCapacity": 1, "MaxCapacity": 100,
                        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70}}});
                }
                replicas.push(m);
            }
            let mut res = Res::new("AWS::DynamoDB::GlobalTable")
                .p("TableName", json!(n.name))
                .p("AttributeDefinitions", Json::Array(attrs))
                .p("KeySchema", Json::Array(schema))
                .p(
                    "BillingMode",
                    json!(if t.on_demand {
                        "PAY_PER_REQUEST"
                    } else {
                        "PROVISIONED"
                    }),
                )
                .p(
                    "StreamSpecification",
                    json!({"StreamViewType": t.stream_view_type}),
                )
                .p(
                    "SSESpecification",
                    json!({"SSEEnabled": true, "SSEType": "KMS"}),
                )
                .p("Replicas", Json::Array(replicas))
                .retain(retain);
            if let Some(ttl) = &t.ttl_attribute {
                res = res.p(
                    "TimeToLiveSpecification",
                    json!({"Enabled": true, "AttributeName": ttl}),
                );
            }
            if !t.on_demand {
                res = res.p(
                    "WriteProvisionedThroughputSettings",
                    json!({"WriteCapacityAutoScalingSettings": {
                        "MinCapacity": 1, "MaxCapacity": 100,
                        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70}}}),
                );
            }
            put(cx, stack, l, res);
        }
        NodeKind::Bucket(b) => {
            let sse = match &b.key {
                Some(k) => {
                    let key = cx.value(k, stack);
                    json!({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key})
                }
                // SSE-S3: the only default encryption server access logging
                // delivers to (see `graph::Bucket::key`).
                None => json!({"SSEAlgorithm": "AES256"}),
            };
            let mut res = Res::new("AWS::S3::Bucket")
                .p("BucketName", json!(n.name))
                .p(
                    "VersioningConfiguration",
                    json!({"Status": if b.versioning { "Enabled" } else { "Suspended" }}),
                )
                .p(
                    "BucketEncryption",
                    json!({"ServerSideEncryptionConfiguration": [{
                        "ServerSideEncryptionByDefault": sse,
                        "BucketKeyEnabled": b.key.is_some()}]}),
                )
                .p(
                    "OwnershipControls",
                    json!({"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}),
                )
                .p("Tags", tag_list(&n.tags, None))
                .retain(retain);
            if b.block_public_access {
                res = res.p("PublicAccessBlockConfiguration", public_access_block());
            }
            if let Some(lock) = &b.object_lock {
                // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-objectlockconfiguration.html
                let mut retention = json!({"Mode": lock.mode});
                match &lock.retention {
                    crate::graph::LockRetention::Days(d) => retention["Days"] = json!(d),
                    crate::graph::LockRetention::Years(y) => retention["Years"] = json!(y),
                }
                res = res.p("ObjectLockEnabled", json!(true)).p(
                    "ObjectLockConfiguration",
                    json!({"ObjectLockEnabled": "Enabled",
                           "Rule": {"DefaultRetention": retention}}),
                );
            }
            if let Some(a) = &b.access_logs {
                let dest = cx.value(&Value::r(&a.bucket, Attr::Name), stack);
                res = res.p("LoggingConfiguration", logging(dest, &a.prefix));
            }
            res = res.p(
                "LifecycleConfiguration",
                lifecycle(b.noncurrent_days.as_deref(), b.expiration_days.as_deref()),
            );
            if let Some(r) = &b.replication {
                // A bucket replicating back to a bucket of a stack deployed
                // later (the secondary bucket of a pair: its destination must
                // exist, aws-dr-reference §3.1) gets its replication in a
                // second deploy of its stack, once the later stacks exist
                // (deploy.json, "replicate back").
                let back = super::stacks::replicates_back(cx.graph, n);
                let role = cx.value(&Value::r(&r.role, Attr::Arn), stack);
                let dest = cx.value(&Value::r(&r.destination, Attr::Arn), stack);
                let replica_key = if back {
                    deferred(cx, &r.replica_key, stack)
                } else {
                    Some(cx.value(&r.replica_key, stack))
                };
                let mut destination = json!({
                    "Bucket": dest,
                    "EncryptionConfiguration": {"ReplicaKmsKeyID": replica_key.clone().unwrap_or(Json::Null)},
                });
                if let Some(minutes) = &r.rtc {
                    destination["ReplicationTime"] =
                        json!({"Status": "Enabled", "Time": {"Minutes": minutes}});
                    destination["Metrics"] =
                        json!({"Status": "Enabled", "EventThreshold": {"Minutes": minutes}});
                }
                let on = |b: bool| if b { "Enabled" } else { "Disabled" };
                let mut criteria = json!({"SseKmsEncryptedObjects": {"Status": "Enabled"}});
                if r.replica_modifications {
                    criteria["ReplicaModifications"] = json!({"Status": "Enabled"});
                }
                let config = json!({"Role": role, "Rules": [{
                    "Id": r.rule_id, "Priority": 1, "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "DeleteMarkerReplication": {"Status": on(r.delete_markers)},
                    "SourceSelectionCriteria": criteria,
                    "Destination": destination}]});
                let config = match (back, &replica_key) {
                    (false, _) => config,
                    (true, Some(Json::Object(o))) if o.contains_key("Ref") => {
                        let param = o["Ref"].clone();
                        let condition = format!("{l}ReplicatesBack");
                        cx.t(stack).conditions.insert(
                            condition.clone(),
                            json!({"Fn::Not": [{"Fn::Equals": [{"Ref": param}, ""]}]}),
                        );
                        json!({"Fn::If": [condition, config, {"Ref": "AWS::NoValue"}]})
                    }
                    // The key is known or in an earlier stack: no second pass needed.
                    (true, _) => config,
                };
                res = res.p("ReplicationConfiguration", config);
            }
            if let Some(notify) = &b.notify {
                // S3 checks the destination when the configuration is written:
                // the topic's policy must exist first (`<Topic>Policy`).
                let topic = cx.value(&Value::r(&notify.topic, Attr::Arn), stack);
                let configs: Vec<Json> = notify
                    .events
                    .iter()
                    .map(|e| json!({"Event": e, "Topic": topic}))
                    .collect();
                res = res.p(
                    "NotificationConfiguration",
                    json!({ "TopicConfigurations": configs }),
                );
                if cx.stack(&notify.topic) == stack {
                    res.depends_on
                        .push(format!("{}Policy", logical_id(&notify.topic)));
                }
            }
            put(cx, stack, l.clone(), res);
            if !b.policy.is_empty() {
                let policy = policy(cx, stack, &b.policy);
                let mut res = Res::new("AWS::S3::BucketPolicy")
                    .p("Bucket", r#ref(&l))
                    .p("PolicyDocument", policy);
                // An evidence bucket's policy names the Backup Audit Manager
                // service-linked role, which exists once a report plan does
                // (S3 rejects a policy naming a principal that does not exist).
                res.depends_on = crate::emit::report_plans_of(cx.graph, &n.id)
                    .into_iter()
                    .filter(|p| cx.stack(p) == stack)
                    .map(|p| logical_id(&p))
                    .collect();
                put(cx, stack, format!("{l}Policy"), res);
            }
        }
        NodeKind::Role(r) => {
            let trust = json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": one_or_many(r.trust_services.iter().map(|s| json!(s)).collect())},
                "Action": "sts:AssumeRole"}]});
            let mut res = Res::new("AWS::IAM::Role")
                .p("RoleName", json!(n.name))
                .p("Description", json!(n.description))
                .p("AssumeRolePolicyDocument", trust)
                .p("Tags", tag_list(&n.tags, None));
            if !r.managed_policies.is_empty() {
                let arns = cx.values(&r.managed_policies, stack);
                res = res.p("ManagedPolicyArns", arns);
            }
            put(cx, stack, l.clone(), res);
            if !r.statements.is_empty() {
                // A customer-managed policy attached to this role only, not an
                // inline policy
                // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html).
                let doc = policy(cx, stack, &r.statements);
                put(
                    cx,
                    stack,
                    format!("{l}Policy"),
                    Res::new("AWS::IAM::ManagedPolicy")
                        .p("ManagedPolicyName", json!(format!("{}-policy", n.name)))
                        .p(
                            "Description",
                            json!(format!("Permissions of role {}", n.name)),
                        )
                        .p("PolicyDocument", doc)
                        .p("Roles", json!([r#ref(&l)])),
                );
            }
        }
        NodeKind::LogGroup(lg) => {
            let key = lg.key.as_ref().map(|k| cx.value(k, stack));
            put(
                cx,
                stack,
                l,
                Res::new("AWS::Logs::LogGroup")
                    .p("LogGroupName", json!(n.name))
                    .p("RetentionInDays", json!(lg.retention_days))
                    .p("KmsKeyId", key.unwrap_or(Json::Null))
                    .p("Tags", tag_list(&n.tags, None))
                    .retain(retain),
            );
        }
        NodeKind::Queue(q) => {
            let key = cx.value(&q.key, stack);
            put(
                cx,
                stack,
                l,
                Res::new("AWS::SQS::Queue")
                    .p("QueueName", json!(n.name))
                    .p("KmsMasterKeyId", key)
                    .p("MessageRetentionPeriod", json!(q.retention_secs))
                    .p("Tags", tag_list(&n.tags, None))
                    .retain(retain),
            );
        }
        NodeKind::Function(f) => function(cx, stack, n, &l, f),
        NodeKind::Vault(v) => {
            let key = cx.value(&v.key, stack);
            let mut res = Res::new("AWS::Backup::BackupVault")
                .p("BackupVaultName", json!(n.name))
                .p("EncryptionKeyArn", key)
                .p("BackupVaultTags", tag_map(&n.tags))
                .retain(retain);
            if !v.access_policy.is_empty() {
                let doc = policy(cx, stack, &v.access_policy);
                res = res.p("AccessPolicy", doc);
            }
            if let Some(lock) = &v.lock {
                let mut m = json!({
                    "MinRetentionDays": lock.min_retention_days,
                    "MaxRetentionDays": lock.max_retention_days,
                });
                if let Some(c) = &lock.changeable_for_days {
                    m["ChangeableForDays"] = json!(c);
                }
                res = res.p("LockConfiguration", m);
            }
            put(cx, stack, l, res);
        }
        NodeKind::BackupFramework(f) => {
            let controls: Vec<Json> = f
                .controls
                .iter()
                .map(|c| {
                    let mut control = json!({"ControlName": c.name});
                    if !c.parameters.is_empty() {
                        control["ControlInputParameters"] = Json::Array(
                            c.parameters
                                .iter()
                                .map(|(k, v)| json!({"ParameterName": k, "ParameterValue": **v}))
                                .collect(),
                        );
                    }
                    if !c.resource_types.is_empty() {
                        control["ControlScope"] =
                            json!({"ComplianceResourceTypes": c.resource_types});
                    }
                    control
                })
                .collect();
            let res = Res::new("AWS::Backup::Framework")
                .p("FrameworkName", json!(n.name))
                .p("FrameworkDescription", json!(n.description))
                .p("FrameworkControls", Json::Array(controls))
                .p("FrameworkTags", tag_list(&n.tags, None));
            put(cx, stack, l, res);
        }
        NodeKind::RestoreTestingPlan(p) => restore::plan(cx, stack, n, p, &l),
        NodeKind::ReportPlan(r) => {
            let bucket = cx.value(&r.bucket, stack);
            let mut setting = json!({"ReportTemplate": r.template});
            if !r.frameworks.is_empty() {
                setting["FrameworkArns"] = cx.values(&r.frameworks, stack);
            }
            let res = Res::new("AWS::Backup::ReportPlan")
                .p("ReportPlanName", json!(n.name))
                .p("ReportPlanDescription", json!(n.description))
                .p("ReportSetting", setting)
                .p(
                    "ReportDeliveryChannel",
                    json!({"S3BucketName": bucket, "S3KeyPrefix": r.key_prefix,
                           "Formats": r.formats}),
                )
                .p("ReportPlanTags", tag_list(&n.tags, None));
            put(cx, stack, l, res);
        }
        NodeKind::AirGappedVault(v) => {
            // No `EncryptionKeyArn`: an AWS owned key (see `lower::isolated`).
            let res = Res::new("AWS::Backup::LogicallyAirGappedBackupVault")
                .p("BackupVaultName", json!(n.name))
                .p("MinRetentionDays", json!(v.min_retention_days))
                .p("MaxRetentionDays", json!(v.max_retention_days))
                .p("BackupVaultTags", tag_map(&n.tags))
                .retain(retain);
            put(cx, stack, l, res);
        }
        NodeKind::BackupPlan(p) => {
            let vault = cx.value(&Value::r(&p.vault, Attr::Name), stack);
            let mut rules = Vec::new();
            for r in &p.rules {
                let mut lifecycle = json!({"DeleteAfterDays": r.lifecycle.delete_after_days});
                if let Some(c) = &r.lifecycle.cold_after_days {
                    lifecycle["MoveToColdStorageAfterDays"] = json!(c);
                }
                let mut rule = json!({
                    "RuleName": r.name,
                    "TargetBackupVault": vault,
                    "ScheduleExpression": r.schedule,
                    "ScheduleExpressionTimezone": "Etc/UTC",
                    "StartWindowMinutes": r.start_window_minutes,
                    "CompletionWindowMinutes": r.completion_window_minutes,
                    "Lifecycle": lifecycle,
                    "EnableContinuousBackup": r.continuous,
                    "RecoveryPointTags": tag_map(&n.tags),
                });
                if let Some(c) = &r.copy {
                    let dest = cx.value(&Value::r(&c.vault, Attr::Arn), stack);
                    let mut lc = json!({"DeleteAfterDays": c.lifecycle.delete_after_days});
                    if let Some(cold) = &c.lifecycle.cold_after_days {
                        lc["MoveToColdStorageAfterDays"] = json!(cold);
                    }
                    rule["CopyActions"] =
                        json!([{"DestinationBackupVaultArn": dest, "Lifecycle": lc}]);
                }
                if let Some(c) = &r.isolated_copy {
                    let dest = cx.value(&c.destination, stack);
                    let action = json!({"DestinationBackupVaultArn": dest,
                        "Lifecycle": {"DeleteAfterDays": c.lifecycle.delete_after_days}});
                    match rule["CopyActions"].as_array_mut() {
                        Some(a) => a.push(action),
                        None => rule["CopyActions"] = json!([action]),
                    }
                }
                rules.push(rule);
            }
            put(
                cx,
                stack,
                l.clone(),
                Res::new("AWS::Backup::BackupPlan")
                    .p(
                        "BackupPlan",
                        json!({"BackupPlanName": n.name, "BackupPlanRule": rules}),
                    )
                    .p("BackupPlanTags", tag_map(&n.tags)),
            );
            let role = cx.value(&Value::r(&p.selection.role, Attr::Arn), stack);
            let resources = cx.values(&p.selection.resources, stack);
            put(
                cx,
                stack,
                format!("{l}Selection"),
                Res::new("AWS::Backup::BackupSelection")
                    .p("BackupPlanId", get_att(&l, "BackupPlanId"))
                    .p(
                        "BackupSelection",
                        json!({"SelectionName": p.selection.name, "IamRoleArn": role,
                               "Resources": resources}),
                    ),
            );
        }
        NodeKind::Topic(t) => {
            let key = cx.value(&t.key, stack);
            put(
                cx,
                stack,
                l.clone(),
                Res::new("AWS::SNS::Topic")
                    .p("TopicName", json!(n.name))
                    .p("DisplayName", json!(n.description))
                    .p("KmsMasterKeyId", key)
                    .p("Tags", tag_list(&n.tags, None)),
            );
            for (i, s) in t.subscriptions.iter().enumerate() {
                let (protocol, endpoint) = match s {
                    Subscription::Email(e) => ("email", json!(e)),
                    Subscription::Function(f) => {
                        ("lambda", cx.value(&Value::r(f, Attr::Arn), stack))
                    }
                };
                put(
                    cx,
                    stack,
                    format!("{l}Subscription{i}"),
                    Res::new("AWS::SNS::Subscription")
                        .p("TopicArn", r#ref(&l))
                        .p("Protocol", json!(protocol))
                        .p("Endpoint", endpoint),
                );
            }
            if !t.policy.is_empty() {
                let doc = policy(cx, stack, &t.policy);
                put(
                    cx,
                    stack,
                    format!("{l}Policy"),
                    Res::new("AWS::SNS::TopicPolicy")
                        .p("Topics", json!([r#ref(&l)]))
                        .p("PolicyDocument", doc),
                );
            }
        }
        NodeKind::EventRule(e) => {
            let targets: Vec<Json> = e
                .targets
                .iter()
                .map(|t| {
                    let arn = cx.value(&Value::r(t, Attr::Arn), stack);
                    json!({"Id": logical_id(t), "Arn": arn})
                })
                .collect();
            let mut res = Res::new("AWS::Events::Rule")
                .p("Name", json!(n.name))
                .p("Description", json!(n.description))
                .p("State", json!("ENABLED"))
                .p("Targets", Json::Array(targets))
                .p("Tags", tag_list(&n.tags, None));
            res = match &e.trigger {
                Trigger::Pattern(p) => res.p("EventPattern", p.clone()),
                Trigger::Rate(secs) => match crate::graph::rate_expression(**secs) {
                    Some(rate) => res.p("ScheduleExpression", json!(rate)),
                    None => {
                        cx.errors.push(crate::registry::internal(format!(
                            "rule `{}` runs every {secs}s, which no EventBridge rate expresses",
                            n.name
                        )));
                        return;
                    }
                },
            };
            put(cx, stack, l, res);
        }
        NodeKind::Alarm(a) => {
            let dims: Vec<Json> = a
                .dimensions
                .iter()
                .map(|(k, v)| {
                    let v = cx.value(v, stack);
                    json!({"Name": k, "Value": v})
                })
                .collect();
            let actions: Vec<Json> = a
                .actions
                .iter()
                .map(|t| cx.value(&Value::r(t, Attr::Arn), stack))
                .collect();
            put(
                cx,
                stack,
                l,
                Res::new("AWS::CloudWatch::Alarm")
                    .p("AlarmName", json!(n.name))
                    .p("AlarmDescription", json!(n.description))
                    .p("Namespace", json!(a.namespace))
                    .p("MetricName", json!(a.metric))
                    .p(
                        "Dimensions",
                        if dims.is_empty() {
                            Json::Null
                        } else {
                            Json::Array(dims)
                        },
                    )
                    .p("Statistic", json!(a.statistic))
                    .p("Period", json!(a.period_secs))
                    .p("EvaluationPeriods", json!(a.evaluation_periods))
                    .p("DatapointsToAlarm", json!(a.datapoints_to_alarm))
                    .p("Threshold", num(*a.threshold))
                    .p("ComparisonOperator", json!(a.comparison))
                    .p("TreatMissingData", json!(a.treat_missing_data))
                    .p("AlarmActions", Json::Array(actions))
                    .p("ActionsEnabled", actions_disabled(cx, n))
                    .p("Tags", tag_list(&n.tags, None)),
            );
        }
        NodeKind::CompositeAlarm(c) => {
            let actions: Vec<Json> = c
                .actions
                .iter()
                .map(|t| cx.value(&Value::r(t, Attr::Arn), stack))
                .collect();
            let rule = cx.value(&c.rule, stack);
            // The rule names its inputs by ARN: in the same stack as a
            // `GetAtt` (an implicit dependency), from an earlier stack as a
            // literal (stacks deploy in dependency order); either way they
            // exist before the composite alarm is created.
            let res = Res::new("AWS::CloudWatch::CompositeAlarm")
                .p("AlarmName", json!(n.name))
                .p("AlarmDescription", json!(n.description))
                .p("AlarmRule", rule)
                .p("AlarmActions", Json::Array(actions))
                .p("ActionsEnabled", actions_disabled(cx, n))
                .p("Tags", tag_list(&n.tags, None));
            put(cx, stack, l, res);
        }
        NodeKind::Dashboard(d) => {
            let body = serde_json::to_string(&d.body).unwrap_or_default();
            put(
                cx,
                stack,
                l,
                Res::new("AWS::CloudWatch::Dashboard")
                    .p("DashboardName", json!(n.name))
                    .p("DashboardBody", json!(body))
                    .p("Tags", tag_list(&n.tags, None)),
            );
        }
        NodeKind::HealthCheck(h) => {
            let mut config = json!({
                "Type": if h.https { "HTTPS" } else { "HTTP" },
                "FullyQualifiedDomainName": h.fqdn,
                "Port": h.port,
                "ResourcePath": h.path,
                "RequestInterval": h.interval_secs,
                "FailureThreshold": h.failure_threshold,
            });
            if h.https {
                config["EnableSNI"] = json!(true);
            }
            put(
                cx,
                stack,
                l,
                Res::new("AWS::Route53::HealthCheck")
                    .p("HealthCheckConfig", config)
                    .p("HealthCheckTags", tag_list(&n.tags, None)),
            );
        }
        NodeKind::HostedZone(z) => {
            put(
                cx,
                stack,
                l,
                Res::new("AWS::Route53::HostedZone")
                    .p("Name", json!(z.domain))
                    .p("HostedZoneTags", tag_list(&n.tags, None)),
            );
        }
        NodeKind::Record(r) => {
            let mut res = Res::new("AWS::Route53::RecordSet")
                .p("Name", json!(r.record_name))
                .p("Type", json!(r.record_type))
                .p("SetIdentifier", json!(r.set_identifier));
            res = match &r.routing {
                Routing::Weighted(w) => res.p("Weight", json!(w)),
                Routing::Failover(side) => res.p("Failover", json!(Routing::failover_type(*side))),
            };
            res = match &r.target {
                RecordTarget::Name {
                    host: target,
                    ttl_secs,
                } => res
                    .p("TTL", json!(ttl_secs.to_string()))
                    .p("ResourceRecords", json!([target])),
                // An alias has no TTL of its own (Route 53 uses the target's).
                RecordTarget::Alias(a) => {
                    let target = frontdoor::alias_target(cx, stack, a);
                    res.p("AliasTarget", target)
                }
            };
            res = zone(cx, stack, res, &r.zone);
            if let Some(hc) = &r.health_check {
                let id = cx.value(hc, stack);
                res = res.p("HealthCheckId", id);
            }
            put(cx, stack, l, res);
        }
        NodeKind::DrillTemplate(d) => drill::template(cx, stack, n, &l, d),
        NodeKind::HttpApi(a) => frontdoor::http_api(cx, stack, n, &l, a),
        NodeKind::Certificate(c) => frontdoor::certificate(cx, stack, n, &l, c),
        NodeKind::ApiDomain(d) => frontdoor::api_domain(cx, stack, n, &l, d),
        NodeKind::AliasRecord(r) => {
            let target = frontdoor::alias_target(cx, stack, &r.target);
            let res = Res::new("AWS::Route53::RecordSet")
                .p("Name", json!(r.record_name))
                .p("Type", json!(r.record_type))
                .p("AliasTarget", target);
            let res = zone(cx, stack, res, &r.zone);
            put(cx, stack, l, res);
        }
        NodeKind::RegionSwitchPlan(p) => {
            let mut res = Res::new("AWS::ARCRegionSwitch::Plan");
            res.props = super::regionswitch::properties(cx, stack, n, p);
            put(cx, stack, l, res);
        }
    }
}

/// The hosted zone of a record set.
fn zone(cx: &mut Cx, stack: Stack, res: Res, zone: &ZoneRef) -> Res {
    match zone {
        ZoneRef::Name(d) => res.p("HostedZoneName", json!(format!("{d}."))),
        ZoneRef::Id(id) => res.p("HostedZoneId", json!(id)),
        ZoneRef::Node(z) => {
            let id = cx.value(&Value::r(z, Attr::Id), stack);
            res.p("HostedZoneId", id)
        }
    }
}

fn db_cluster(cx: &mut Cx, stack: Stack, n: &Node, l: &str, c: &crate::graph::DbCluster) {
    let subnets = cx.values(&c.subnet_group.subnets, stack);
    put(
        cx,
        stack,
        format!("{l}SubnetGroup"),
        Res::new("AWS::RDS::DBSubnetGroup")
            .p("DBSubnetGroupName", json!(c.subnet_group.name))
            .p(
                "DBSubnetGroupDescription",
                json!(format!("Private subnets of {}", n.name)),
            )
            .p("SubnetIds", subnets)
            .p("Tags", tag_list(&n.tags, Some(&c.subnet_group.name))),
    );
    put(
        cx,
        stack,
        format!("{l}ParameterGroup"),
        Res::new("AWS::RDS::DBClusterParameterGroup")
            .p("DBClusterParameterGroupName", json!(c.parameter_group.name))
            .p(
                "Description",
                json!(format!("{}: TLS required (rds.force_ssl)", n.name)),
            )
            .p("Family", json!(c.parameter_group.family))
            .p("Parameters", json!(c.parameter_group.parameters))
            .p("Tags", tag_list(&n.tags, Some(&c.parameter_group.name))),
    );
    let key = cx.value(&c.key, stack);
    let sgs = cx.values(&c.security_groups, stack);
    let global = cx.value(&Value::r(&c.global, Attr::Id), stack);
    let mut res = Res::new("AWS::RDS::DBCluster")
        .p("DBClusterIdentifier", json!(n.name))
        .p("GlobalClusterIdentifier", global)
        .p("Engine", json!(c.engine))
        .p("EngineVersion", json!(c.engine_version))
        .p("StorageEncrypted", json!(true))
        .p("KmsKeyId", key.clone())
        .p("Port", json!(c.port))
        .p("DBSubnetGroupName", r#ref(&format!("{l}SubnetGroup")))
        .p(
            "DBClusterParameterGroupName",
            r#ref(&format!("{l}ParameterGroup")),
        )
        .p("VpcSecurityGroupIds", sgs)
        .p("BackupRetentionPeriod", json!(c.backup_retention_days))
        .p("CopyTagsToSnapshot", json!(true))
        .p(
            "DeletionProtection",
            json!(n.protection.deletion_protection),
        )
        .p("EnableCloudwatchLogsExports", json!(c.log_exports))
        .p("Tags", tag_list(&n.tags, None))
        .retain(n.protection.retain);
    if let Some(db) = &c.database_name {
        res = res.p("DatabaseName", json!(db));
    }
    if let Some(m) = &c.master {
        // The password from the site's secret by dynamic reference
        // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/cfn-example_reference-secret.html):
        // RDS-managed passwords are not supported on global-database members.
        let field = cx
            .graph
            .get(&secret_node(&m.secret))
            .and_then(|s| match &s.kind {
                NodeKind::Secret(s) => Some(s.password_field.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "password".into());
        let arn = cx.value(&m.secret, stack);
        let password = super::sub(&[
            json!("{{resolve:secretsmanager:"),
            arn,
            json!(format!(":SecretString:{field}}}}}")),
        ])
        .unwrap_or(Json::Null);
        res = res
            .p("MasterUsername", json!(m.username))
            .p("MasterUserPassword", password);
    }
    if c.iam_auth {
        res = res.p("EnableIAMDatabaseAuthentication", json!(true));
    }
    if let Some(src) = &c.source_region {
        res = res.p("SourceRegion", json!(src));
    }
    if let Some((min, max)) = c.serverless {
        res = res.p(
            "ServerlessV2ScalingConfiguration",
            json!({"MinCapacity": min, "MaxCapacity": max}),
        );
    }
    if let Some(g) = &c.log_group {
        if cx.stack(g) == stack {
            res.depends_on.push(logical_id(g));
        }
    }
    put(cx, stack, l.to_string(), res);
    let monitoring = match &c.monitoring {
        Some(m) => (
            json!(m.interval_secs),
            cx.value(&Value::r(&m.role, Attr::Arn), stack),
        ),
        None => (Json::Null, Json::Null),
    };
    for (i, inst) in c.instances.iter().enumerate() {
        put(
            cx,
            stack,
            format!("{l}Instance{i}"),
            Res::new("AWS::RDS::DBInstance")
                .p("DBInstanceIdentifier", json!(inst.identifier))
                .p("DBClusterIdentifier", r#ref(l))
                .p("Engine", json!(c.engine))
                .p("DBInstanceClass", json!(inst.class))
                .p("AvailabilityZone", az(inst.zone_index))
                .p("PromotionTier", json!(inst.promotion_tier))
                .p("PubliclyAccessible", json!(false))
                .p(
                    "AutoMinorVersionUpgrade",
                    json!(c.auto_minor_version_upgrade),
                )
                .p("MonitoringInterval", monitoring.0.clone())
                .p("MonitoringRoleArn", monitoring.1.clone())
                .p("Tags", tag_list(&n.tags, Some(&inst.identifier)))
                .retain(n.protection.retain),
        );
    }
}

/// `DependsOn` on the customer-managed policy of `role` when it is in
/// `stack` (in an earlier stack it exists already): a resource that uses the
/// role at creation must find its permissions attached.
fn policy_dependency(cx: &Cx, stack: Stack, role: &crate::graph::NodeId) -> Option<String> {
    let node = cx.graph.get(role)?;
    let NodeKind::Role(r) = &node.kind else {
        return None;
    };
    (!r.statements.is_empty() && cx.stack(role) == stack)
        .then(|| format!("{}Policy", logical_id(role)))
}

/// `LoggingConfiguration` of a bucket
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-loggingconfiguration.html).
fn logging(destination: Json, prefix: &str) -> Json {
    json!({"DestinationBucketName": destination, "LogFilePrefix": prefix})
}

/// `LifecycleConfiguration` of a bucket: noncurrent versions expire after
/// `noncurrent` days, objects after `expiration` days (null when neither).
fn lifecycle(noncurrent: Option<&u32>, expiration: Option<&u32>) -> Json {
    let mut rules = Vec::new();
    if let Some(d) = noncurrent {
        rules.push(
            json!({"Id": "expire-noncurrent-versions", "Status": "Enabled",
            "NoncurrentVersionExpiration": {"NoncurrentDays": d}}),
        );
    }
    if let Some(d) = expiration {
        rules.push(json!({"Id": "expire-objects", "Status": "Enabled", "ExpirationInDays": d}));
    }
    if rules.is_empty() {
        Json::Null
    } else {
        json!({"Rules": rules})
    }
}

/// The node a `Value::Ref` points at (a placeholder id otherwise).
fn secret_node(v: &Value) -> crate::graph::NodeId {
    match v {
        Value::Ref(r) => r.node.clone(),
        _ => crate::graph::NodeId::new(&[]),
    }
}

/// A site secret: the secret with its generated password and regional
/// replicas, the attachment adding the cluster's connection details, and the
/// rotation schedule with a hosted `PostgreSQLSingleUser` rotation function,
/// which needs the `AWS::SecretsManager-2024-09-16` transform
/// (https://docs.aws.amazon.com/es_es/AWSCloudFormation/latest/TemplateReference/aws-properties-secretsmanager-rotationschedule-hostedrotationlambda.html)
/// and therefore `CAPABILITY_AUTO_EXPAND`.
fn secret(cx: &mut Cx, stack: Stack, n: &Node, l: &str, s: &crate::graph::Secret) {
    let key = cx.value(&s.key, stack);
    let replicas: Vec<Json> = s
        .replicas
        .iter()
        .map(|r| json!({"Region": r.region, "KmsKeyId": cx.value(&r.key, stack)}))
        .collect();
    let template = serde_json::to_string(&s.fields).unwrap_or_default();
    put(
        cx,
        stack,
        l.to_string(),
        Res::new("AWS::SecretsManager::Secret")
            .p("Name", json!(n.name))
            .p("Description", json!(n.description))
            .p("KmsKeyId", key.clone())
            .p(
                "GenerateSecretString",
                json!({
                    "SecretStringTemplate": template,
                    "GenerateStringKey": s.password_field,
                    "PasswordLength": s.password_length,
                    "ExcludeCharacters": s.exclude_characters,
                }),
            )
            .p("ReplicaRegions", Json::Array(replicas))
            .p("Tags", tag_list(&n.tags, None))
            .retain(n.protection.retain),
    );
    let mut attachment = None;
    if let Some(db) = &s.attached_to {
        let target = cx.value(&Value::r(db, Attr::Id), stack);
        let logical = format!("{l}Attachment");
        put(
            cx,
            stack,
            logical.clone(),
            Res::new("AWS::SecretsManager::SecretTargetAttachment")
                .p("SecretId", r#ref(l))
                .p("TargetId", target)
                .p("TargetType", json!("AWS::RDS::DBCluster")),
        );
        attachment = Some(logical);
    }
    if let Some(r) = &s.rotation {
        let mut hosted = Map::new();
        hosted.insert("RotationType".into(), json!(r.template));
        hosted.insert("RotationLambdaName".into(), json!(r.function_name));
        hosted.insert("KmsKeyArn".into(), key);
        hosted.insert("ExcludeCharacters".into(), json!(s.exclude_characters));
        if !r.subnets.is_empty() {
            let subnets = cx.values(&r.subnets, stack);
            let sgs = cx.values(&r.security_groups, stack);
            hosted.insert("VpcSubnetIds".into(), json!({"Fn::Join": [",", subnets]}));
            hosted.insert(
                "VpcSecurityGroupIds".into(),
                json!({"Fn::Join": [",", sgs]}),
            );
        }
        let mut res = Res::new("AWS::SecretsManager::RotationSchedule")
            .p("SecretId", r#ref(l))
            .p("HostedRotationLambda", Json::Object(hosted))
            .p(
                "RotationRules",
                json!({"AutomaticallyAfterDays": r.every_days}),
            );
        // Rotate only once the secret carries the cluster's connection details.
        res.depends_on.extend(attachment);
        put(cx, stack, format!("{l}Rotation"), res);
        cx.t(stack)
            .transforms
            .insert("AWS::SecretsManager-2024-09-16".into());
    }
}

fn function(cx: &mut Cx, stack: Stack, n: &Node, l: &str, f: &crate::graph::Function) {
    let code = match &f.code {
        Code::Inline(src) => json!({"ZipFile": src}),
        Code::Builtin(crate::graph::Builtin::Probe) => {
            json!({"ZipFile": crate::graph::PROBE_HANDLER_PY})
        }
        Code::Builtin(_) | Code::Directory(_) => {
            let key = cx.code.get(&n.id).cloned().unwrap_or_default();
            let stem = key
                .trim_start_matches("assets/")
                .split('-')
                .next()
                .unwrap_or("code")
                .to_string();
            let pname = format!("CodeKey{}", camel(&stem));
            let bucket = super::resources::artifact_bucket(cx, n.role);
            let t = cx.t(stack);
            t.parameters.insert(
                "ArtifactBucket".into(),
                json!({"Type": "String", "Default": bucket,
                       "Description": "Artifact bucket of this region (bootstrap stack)"}),
            );
            t.parameters.insert(
                pname.clone(),
                json!({"Type": "String", "Default": key,
                       "Description": format!("S3 key of the `{stem}` package in the artifact bucket")}),
            );
            t.sources
                .insert("ArtifactBucket".into(), super::ParamSource::Default(bucket));
            t.sources
                .insert(pname.clone(), super::ParamSource::Default(key.clone()));
            json!({"S3Bucket": {"Ref": "ArtifactBucket"}, "S3Key": {"Ref": pname}})
        }
    };
    let role = cx.value(&Value::r(&f.role, Attr::Arn), stack);
    let log_group = cx.value(&Value::r(&f.log_group, Attr::Name), stack);
    let mut env = Map::new();
    for (k, v) in &f.environment {
        env.insert(k.clone(), cx.value(v, stack));
    }
    let mut res = Res::new("AWS::Lambda::Function")
        .p("FunctionName", json!(n.name))
        .p("Description", json!(n.description))
        .p("Runtime", json!(f.runtime))
        .p("Handler", json!(f.handler))
        .p("Code", code)
        .p("MemorySize", json!(f.memory_mib))
        .p("Timeout", json!(f.timeout_secs))
        .p("Role", role)
        .p("KmsKeyArn", cx.value(&f.env_key, stack))
        .p("LoggingConfig", json!({"LogGroup": log_group}))
        .p(
            "TracingConfig",
            if f.tracing {
                json!({"Mode": "Active"})
            } else {
                Json::Null
            },
        )
        .p("Tags", tag_list(&n.tags, None));
    res.depends_on.extend(policy_dependency(cx, stack, &f.role));
    if !env.is_empty() {
        res = res.p("Environment", json!({"Variables": env}));
    }
    if let Some(rc) = f.reserved_concurrency {
        res = res.p("ReservedConcurrentExecutions", json!(rc));
    }
    if let Some(v) = &f.vpc {
        let subnets = cx.values(&v.subnets, stack);
        let sgs = cx.values(&v.security_groups, stack);
        res = res.p(
            "VpcConfig",
            json!({"SubnetIds": subnets, "SecurityGroupIds": sgs}),
        );
    }
    if let Some(q) = &f.dead_letter {
        let arn = cx.value(&Value::r(q, Attr::Arn), stack);
        res = res.p("DeadLetterConfig", json!({"TargetArn": arn}));
    }
    put(cx, stack, l.to_string(), res);
    for (i, inv) in f.invokers.iter().enumerate() {
        let src = cx.value(&inv.source_arn, stack);
        put(
            cx,
            stack,
            format!("{l}Permission{i}"),
            Res::new("AWS::Lambda::Permission")
                .p("FunctionName", get_att(l, "Arn"))
                .p("Action", json!("lambda:InvokeFunction"))
                .p("Principal", json!(inv.service))
                .p("SourceArn", src)
                .p("SourceAccount", json!({"Ref": "AWS::AccountId"})),
        );
    }
}

/// `v` in `stack` where it may name a value of a stack deployed later: such a
/// reference becomes a parameter defaulting to `""`, fed by the producer's
/// output in the stack's second deploy ([`ParamSource::Deferred`]).
fn deferred(cx: &mut Cx, v: &Value, stack: Stack) -> Option<Json> {
    let Value::Ref(r) = v else {
        return Some(cx.value(v, stack));
    };
    let producer = cx.stack(&r.node);
    if producer <= stack || cx.graph.known_arn(r).is_some() {
        return Some(cx.value(v, stack));
    }
    let value = cx.intrinsic(r)?;
    let name = format!(
        "{}{}",
        super::logical_id(&r.node),
        super::attr_suffix(r.attr)
    );
    let desc = format!("{} of {}", super::attr_suffix(r.attr), r.node);
    cx.t(producer)
        .outputs
        .insert(name.clone(), json!({ "Description": desc, "Value": value }));
    let label = producer.label(cx.graph);
    let t = cx.t(stack);
    t.parameters.insert(
        name.clone(),
        json!({
            "Type": "String",
            "Default": "",
            "Description": format!(
                "{desc} (output `{name}` of the {} stack, passed by the second deploy of this stack; empty on the first)",
                label
            ),
        }),
    );
    t.sources.insert(
        name.clone(),
        super::ParamSource::Deferred {
            stack: producer,
            output: name.clone(),
        },
    );
    Some(r#ref(&name))
}

/// `ActionsEnabled: false` for an alarm that starts the failover while the
/// secondary is active (R35, `Graph::actions_enabled`); absent (CloudFormation's
/// default, `true`) otherwise, so the normal build is unchanged.
fn actions_disabled(cx: &Cx, n: &crate::graph::Node) -> Json {
    if cx.graph.actions_enabled(n) {
        Json::Null
    } else {
        json!(false)
    }
}

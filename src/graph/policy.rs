//! Policy statements (IAM role policies, KMS key policies, bucket, topic and
//! queue policies) with symbolic resources.

use super::Value;

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    /// Allow the actions.
    Allow,
    /// Deny the actions.
    Deny,
}

impl Effect {
    /// `Allow` / `Deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// Who a resource policy statement applies to. Identity policies (role
/// policies) have no principal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Principal {
    /// The deploying account (`arn:PARTITION:iam::ACCOUNT:root`): delegates to IAM.
    Account,
    /// IAM roles or users named by literal ARN (`{"AWS": [...]}`), sorted: the
    /// key administrators and the deployer a site declares. They exist before
    /// the site is deployed (KMS rejects key policies naming principals that
    /// do not exist).
    Iam(Vec<String>),
    /// AWS service principals, e.g. `logs.us-east-1.amazonaws.com`, sorted.
    Services(Vec<String>),
    /// Everyone (`"*"`): in `Deny` statements (TLS-only bucket policy, vault
    /// access policy) and in key policy statements that name their one
    /// principal by an exact `aws:PrincipalArn` condition (a service-linked
    /// role that may not exist yet: KMS rejects policies whose `Principal`
    /// does not exist).
    Anyone,
    /// A service-linked role of the deploying account, by its path and name
    /// after `role/`, e.g. `aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`.
    ServiceLinkedRole(String),
}

/// The resources of a statement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resources {
    /// `"*"`. In a key policy it means "this key". In an identity policy
    /// lowering only uses it for actions the stdlib lists as wildcard-only
    /// (`model.catalog.is_wildcard_action`).
    All,
    /// Exactly these resources.
    Some(Vec<Value>),
}

/// One condition: `operator` (`StringEquals`, `StringLike`, `ArnLike`,
/// `ArnEquals`, `Bool`, ...) applied to `key` with `values` (OR-ed).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Condition {
    /// The condition operator, e.g. `StringEquals`.
    pub operator: String,
    /// The condition key, e.g. `kms:ViaService`.
    pub key: String,
    /// The values (OR-ed).
    pub values: Vec<Value>,
}

impl Condition {
    /// Whether the operator takes booleans (`Bool`): backends emit the literal
    /// values `true`/`false` as JSON booleans, which is what IAM documents and
    /// what the AWS Guard rules registry's `S3_BUCKET_SSL_REQUESTS_ONLY` looks for
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean>).
    pub fn is_boolean(&self) -> bool {
        self.operator == "Bool"
    }

    /// The boolean of a `Bool` condition with one literal `true`/`false` value.
    pub fn boolean(&self) -> Option<bool> {
        match (self.is_boolean(), self.values.as_slice()) {
            (true, [v]) => v.as_lit().and_then(|l| l.parse().ok()),
            _ => None,
        }
    }

    /// A condition with literal or symbolic values.
    pub fn new(operator: &str, key: &str, values: Vec<Value>) -> Condition {
        Condition {
            operator: operator.to_string(),
            key: key.to_string(),
            values,
        }
    }
}

/// One policy statement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Statement {
    /// Statement id: alphanumeric, unique within the policy.
    pub sid: String,
    /// Allow or deny.
    pub effect: Effect,
    /// `None` in identity policies; set in resource policies.
    pub principal: Option<Principal>,
    /// Exact action names (`s3:GetObject`); never `*` and never a service
    /// wildcard. Key policies may use the documented `kms:ReEncrypt*` /
    /// `kms:GenerateDataKey*` families (and `kms:Encrypt*`-style families for
    /// the CloudWatch Logs service principal), never `kms:*`.
    pub actions: Vec<String>,
    /// The statement's resources.
    pub resources: Resources,
    /// Conditions, AND-ed, in order.
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// The TLS-only bucket policy statement (R23): deny every S3 action to anyone
    /// over plain HTTP, on `resources` (the bucket and its objects). The one
    /// statement of this fact: lowering puts it on the graph's buckets, and the
    /// CloudFormation bootstrap uses it for the artifact buckets
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html>:
    /// "use the aws:SecureTransport condition").
    pub fn deny_insecure_transport(resources: Vec<Value>) -> Statement {
        Statement {
            principal: Some(Principal::Anyone),
            effect: Effect::Deny,
            ..Statement::allow("DenyInsecureTransport", &["s3:*"], resources)
        }
        .when("Bool", "aws:SecureTransport", vec![Value::lit("false")])
    }

    /// An `Allow` identity-policy statement on exactly `resources`.
    pub fn allow(sid: &str, actions: &[&str], resources: Vec<Value>) -> Statement {
        Statement {
            sid: sid.to_string(),
            effect: Effect::Allow,
            principal: None,
            actions: actions.iter().map(|a| a.to_string()).collect(),
            resources: Resources::Some(resources),
            conditions: Vec::new(),
        }
    }

    /// Adds a condition.
    pub fn when(mut self, operator: &str, key: &str, values: Vec<Value>) -> Statement {
        self.conditions.push(Condition::new(operator, key, values));
        self
    }

    /// Sets the principal.
    pub fn to(mut self, principal: Principal) -> Statement {
        self.principal = Some(principal);
        self
    }
}

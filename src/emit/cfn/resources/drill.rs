//! The region-loss drill (R37) as CloudFormation: `AWS::FIS::ExperimentTemplate`
//! and a stack output with its id (`Ref` returns the template id). Property
//! names checked against cfn-lint 1.58.0's bundled schema of
//! `AWS::FIS::ExperimentTemplate` (`Actions`, `Targets` with `ResourceArns` or
//! `ResourceTags` and `SelectionMode`, `StopConditions` with `Source`/`Value`,
//! `LogConfiguration` with `CloudWatchLogsConfiguration.LogGroupArn` and
//! `LogSchemaVersion`, `ExperimentReportConfiguration.Outputs.ExperimentReportS3Configuration`,
//! `ExperimentOptions`, `Tags` as a map);
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-fis-experimenttemplate.html>.

use super::{put, r#ref, tag_map, Res};
use crate::emit::cfn::stacks::Stack;
use crate::emit::cfn::{logical_id, Cx};
use crate::graph::{Attr, DrillTemplate, Node, TargetSelection, Value};
use serde_json::{json, Map, Value as Json};

/// The stack output holding the template id (the README's drill procedure reads it).
pub(crate) const OUTPUT: &str = "DrillExperimentTemplateId";

pub(super) fn template(cx: &mut Cx, stack: Stack, n: &Node, l: &str, d: &DrillTemplate) {
    let mut targets = Map::new();
    for t in &d.targets {
        let mut target = json!({"ResourceType": t.resource_type, "SelectionMode": "ALL"});
        match &t.selection {
            TargetSelection::Arns(arns) => target["ResourceArns"] = json!(cx.values(arns, stack)),
            TargetSelection::Tags(tags) => {
                let m: Map<String, Json> =
                    tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
                target["ResourceTags"] = Json::Object(m);
            }
        }
        targets.insert(t.name.clone(), target);
    }
    let mut actions = Map::new();
    for a in &d.actions {
        let parameters: Map<String, Json> = a
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        actions.insert(
            a.name.clone(),
            json!({
                "ActionId": a.action_id,
                "Description": a.description,
                "Parameters": parameters,
                "Targets": {a.target.0.clone(): a.target.1},
            }),
        );
    }
    let stop: Vec<Json> = if d.stop_alarms.is_empty() {
        vec![json!({"Source": "none"})]
    } else {
        d.stop_alarms
            .iter()
            .map(|s| json!({"Source": "aws:cloudwatch:alarm", "Value": cx.value(&s.arn, stack)}))
            .collect()
    };
    let role = cx.value(&Value::r(&d.role, Attr::Arn), stack);
    // The log-group ARN with `:*`, the form `AWS::Logs::LogGroup`'s `Arn` returns.
    let arn = cx
        .graph
        .get(&d.log_group)
        .and_then(|g| g.known(Attr::Arn))
        .unwrap_or_else(|| Value::r(&d.log_group, Attr::Arn));
    let logs = cx.value(&Value::join(vec![arn, Value::lit(":*")]), stack);
    let bucket = cx.value(&Value::r(&d.report_bucket, Attr::Name), stack);
    let mut res = Res::new("AWS::FIS::ExperimentTemplate")
        .p("Description", json!(n.description))
        .p("RoleArn", role)
        .p("Targets", Json::Object(targets))
        .p("Actions", Json::Object(actions))
        .p("StopConditions", json!(stop))
        .p(
            "LogConfiguration",
            json!({"CloudWatchLogsConfiguration": {"LogGroupArn": logs}, "LogSchemaVersion": 2}),
        )
        .p(
            "ExperimentReportConfiguration",
            json!({"Outputs": {"ExperimentReportS3Configuration": {
                    "BucketName": bucket, "Prefix": d.report_prefix}}}),
        )
        .p(
            "ExperimentOptions",
            json!({"AccountTargeting": "single-account",
                       "EmptyTargetResolutionMode": d.empty_target_resolution}),
        )
        .p("Tags", tag_map(&n.tags));
    // FIS checks the role and the log group when the template is created: the
    // role's policy and the log group come first.
    res.depends_on
        .extend(super::policy_dependency(cx, stack, &d.role));
    if cx.stack(&d.log_group) == stack {
        res.depends_on.push(logical_id(&d.log_group));
    }
    put(cx, stack, l.to_string(), res);
    cx.t(stack).outputs.insert(
        OUTPUT.into(),
        json!({"Description": format!("Id of the FIS experiment template `{}` (the region-loss drill)", n.name),
               "Value": r#ref(l)}),
    );
}

//! Restore testing (R36, issue 13 item 2) as CloudFormation: the
//! `AWS::Backup::RestoreTestingPlan` and one `AWS::Backup::RestoreTestingSelection`
//! per store type. Property names checked against cfn-lint 1.51.0's bundled
//! schemas (`AWS::Backup::RestoreTestingPlan`: required `RecoveryPointSelection`
//! {`Algorithm`, `IncludeVaults`, `RecoveryPointTypes`}, `ScheduleExpression`,
//! `RestoreTestingPlanName`; `AWS::Backup::RestoreTestingSelection`: required
//! `IamRoleArn`, `ProtectedResourceType`, `RestoreTestingPlanName`,
//! `RestoreTestingSelectionName`).

use super::{put, r#ref, tag_list, Res};
use crate::emit::cfn::stacks::Stack;
use crate::emit::cfn::Cx;
use crate::graph::{Attr, Node, RestoreTestingPlan, Value};
use serde_json::{json, Map, Value as Json};

pub(super) fn plan(cx: &mut Cx, stack: Stack, n: &Node, p: &RestoreTestingPlan, l: &str) {
    let vault = cx.value(&Value::r(&p.vault, Attr::Arn), stack);
    put(
        cx,
        stack,
        l.to_string(),
        Res::new("AWS::Backup::RestoreTestingPlan")
            .p("RestoreTestingPlanName", json!(n.name))
            .p("ScheduleExpression", json!(*p.schedule))
            .p("ScheduleExpressionTimezone", json!("Etc/UTC"))
            .p("StartWindowHours", json!(*p.start_window_hours))
            .p(
                "RecoveryPointSelection",
                json!({
                    "Algorithm": "LATEST_WITHIN_WINDOW",
                    "IncludeVaults": [vault],
                    "RecoveryPointTypes": p.recovery_point_types,
                    "SelectionWindowDays": *p.selection_window_days,
                }),
            )
            .p("Tags", tag_list(&n.tags, None)),
    );
    for s in &p.selections {
        let role = cx.value(&Value::r(&s.role, Attr::Arn), stack);
        let resources = cx.values(&s.resources, stack);
        let mut overrides = Map::new();
        for (k, v) in &s.overrides {
            overrides.insert(k.clone(), cx.value(v, stack));
        }
        let overrides = if overrides.is_empty() {
            Json::Null
        } else {
            Json::Object(overrides)
        };
        put(
            cx,
            stack,
            format!("{l}{}", crate::ident::camel(&s.name)),
            Res::new("AWS::Backup::RestoreTestingSelection")
                .p("RestoreTestingPlanName", r#ref(l))
                .p("RestoreTestingSelectionName", json!(s.name))
                .p("ProtectedResourceType", json!(s.resource_type))
                .p("ProtectedResourceArns", resources)
                .p("IamRoleArn", role)
                .p("ValidationWindowHours", json!(*s.validation_window_hours))
                .p("RestoreMetadataOverrides", overrides),
        );
    }
}

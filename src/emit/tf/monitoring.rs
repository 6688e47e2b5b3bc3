//! Monitoring (R18–R20): SNS alert topics with their policies and
//! subscriptions, EventBridge rules (event patterns as JSON strings) and
//! their targets, CloudWatch alarms and the cross-region dashboard (its body
//! a JSON string).

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{
    rate_expression, Alarm, Attr, CompositeAlarm, Dashboard, EventRule, Node, Subscription, Topic,
    Trigger,
};
use serde_json::{Map, Number, Value as Json};

pub fn topic(cx: &mut Cx, node: &Node, t: &Topic) -> Result<(), Error> {
    let n = ident(&node.id);
    let body = Body::new()
        .s("name", escape(&node.name))
        .s("display_name", escape(&node.description))
        .s("kms_master_key_id", cx.x.tpl(&t.key)?)
        .tags(&node.tags);
    cx.m.resource(Area::Monitoring, node.role, "aws_sns_topic", &n, body)?;
    let arn = format!("${{aws_sns_topic.{n}.arn}}");
    if !t.policy.is_empty() {
        let policy = Body::new()
            .s("arn", arn.clone())
            .s("policy", cx.x.policy(&t.policy, Some(&arn))?);
        cx.m.resource(
            Area::Monitoring,
            node.role,
            "aws_sns_topic_policy",
            &n,
            policy,
        )?;
    }
    for (i, s) in t.subscriptions.iter().enumerate() {
        let body = Body::new().s("topic_arn", arn.clone());
        let body = match s {
            Subscription::Email(address) => {
                body.s("protocol", "email").s("endpoint", escape(address))
            }
            Subscription::Function(f) => body
                .s("protocol", "lambda")
                .s("endpoint", cx.x.r(f, Attr::Arn)?),
        };
        cx.m.resource(
            Area::Monitoring,
            node.role,
            "aws_sns_topic_subscription",
            &format!("{n}_{i}"),
            body,
        )?;
    }
    Ok(())
}

pub fn event_rule(cx: &mut Cx, node: &Node, e: &EventRule) -> Result<(), Error> {
    let n = ident(&node.id);
    let body = Body::new()
        .s("name", escape(&node.name))
        .s("description", escape(&node.description))
        .s("state", "ENABLED")
        .tags(&node.tags);
    let body = match &e.trigger {
        Trigger::Pattern(p) => body.s("event_pattern", escape(&p.to_string())),
        Trigger::Rate(secs) => body.s(
            "schedule_expression",
            rate_expression(**secs).ok_or_else(|| {
                Error::Unexpressible(format!("rule `{}` runs every {secs}s", node.name))
            })?,
        ),
    };
    cx.m.resource(
        Area::Monitoring,
        node.role,
        "aws_cloudwatch_event_rule",
        &n,
        body,
    )?;
    for (i, t) in e.targets.iter().enumerate() {
        let target = cx.x.node(t)?;
        let id: String = target.name.chars().take(64).collect();
        let body = Body::new()
            .s("rule", format!("${{aws_cloudwatch_event_rule.{n}.name}}"))
            .s("target_id", escape(&id))
            .s("arn", cx.x.r(t, Attr::Arn)?);
        cx.m.resource(
            Area::Monitoring,
            node.role,
            "aws_cloudwatch_event_target",
            &format!("{n}_{i}"),
            body,
        )?;
    }
    Ok(())
}

/// A JSON number, integral when the value is.
fn number(v: f64) -> Json {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        Json::Number(Number::from(v as i64))
    } else {
        Number::from_f64(v).map(Json::Number).unwrap_or(Json::Null)
    }
}

pub fn alarm(cx: &mut Cx, node: &Node, a: &Alarm) -> Result<(), Error> {
    let mut dims = Map::new();
    for (k, v) in &a.dimensions {
        dims.insert(escape(k), Json::String(cx.x.tpl(v)?));
    }
    let mut actions = Vec::with_capacity(a.actions.len());
    for t in &a.actions {
        actions.push(cx.x.r(t, Attr::Arn)?);
    }
    let body = Body::new()
        .s("alarm_name", escape(&node.name))
        .s("alarm_description", escape(&node.description))
        .s("namespace", escape(&a.namespace))
        .s("metric_name", escape(&a.metric))
        .s("statistic", escape(&a.statistic))
        .n("period", *a.period_secs)
        .n("evaluation_periods", *a.evaluation_periods)
        .n("datapoints_to_alarm", *a.datapoints_to_alarm)
        .v("threshold", number(*a.threshold))
        .s("comparison_operator", escape(&a.comparison))
        .s("treat_missing_data", escape(&a.treat_missing_data))
        .list("alarm_actions", actions)
        .tags(&node.tags);
    let body = actions_disabled(cx, node, body);
    let body = if dims.is_empty() {
        body
    } else {
        body.v("dimensions", Json::Object(dims))
    };
    cx.m.resource(
        Area::Monitoring,
        node.role,
        "aws_cloudwatch_metric_alarm",
        &ident(&node.id),
        body,
    )
}

pub fn composite_alarm(cx: &mut Cx, node: &Node, c: &CompositeAlarm) -> Result<(), Error> {
    let mut actions = Vec::with_capacity(c.actions.len());
    for t in &c.actions {
        actions.push(cx.x.r(t, Attr::Arn)?);
    }
    let body = Body::new()
        .s("alarm_name", escape(&node.name))
        .s("alarm_description", escape(&node.description))
        .s("alarm_rule", cx.x.tpl(&c.rule)?)
        .list("alarm_actions", actions)
        .tags(&node.tags);
    let body = actions_disabled(cx, node, body)
        // The rule names its inputs by ARN: they must exist first.
        .depends_on(
            c.inputs
                .iter()
                .map(|i| format!("aws_cloudwatch_metric_alarm.{}", ident(i)))
                .collect(),
        );
    cx.m.resource(
        Area::Monitoring,
        node.role,
        "aws_cloudwatch_composite_alarm",
        &ident(&node.id),
        body,
    )
}

pub fn dashboard(cx: &mut Cx, node: &Node, d: &Dashboard) -> Result<(), Error> {
    let body = Body::new()
        .s("dashboard_name", escape(&node.name))
        .s("dashboard_body", escape(&d.body.to_string()));
    cx.m.resource(
        Area::Monitoring,
        node.role,
        "aws_cloudwatch_dashboard",
        &ident(&node.id),
        body,
    )
}

/// `actions_enabled = false` for an alarm that starts the failover while the
/// secondary is active (R35, `Graph::actions_enabled`); absent (the provider's
/// default, `true`) otherwise.
fn actions_disabled(cx: &Cx, node: &Node, body: Body) -> Body {
    if cx.x.graph.actions_enabled(node) {
        body
    } else {
        body.b("actions_enabled", false)
    }
}

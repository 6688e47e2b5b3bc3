//! DRS0322: a record name outside its hosted zone.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Zone;

declare_code!(
    CODE,
    "DRS0322",
    "dns-record-outside-zone",
    Error,
    "a DNS record name is not inside its hosted zone",
    "## What it checks
`record` is the zone's name or ends with `.` followed by it, when the zone is given by
name (`zone = \"bank.example.com\"`).

## Why it matters
Route 53 rejects records outside the hosted zone, so the weighted records (R16) and the
automatic DNS failover (R17) would never exist.

## Example
```
dns \"api\" {
  zone   = \"bank.example.com\"
  record = \"api.bank.example.org\"
}
```

## Fix
Correct `record` or `zone`."
);

fn normal(s: &str) -> String {
    s.trim_end_matches('.').to_ascii_lowercase()
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for dns in &cx.model.dns {
        let zone = match &dns.zone.value {
            Zone::ExistingName(z) | Zone::Create(z) => normal(z),
            Zone::ExistingId(_) => continue,
        };
        let record = normal(&dns.record.value);
        if record == zone || record.ends_with(&format!(".{zone}")) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &CODE,
                format!("record `{}` is not inside zone `{zone}`", dns.record.value),
            )
            .at(dns.record.span, "outside the zone")
            .also(dns.zone.span, "the hosted zone")
            .help(format!("use a name ending in `.{zone}`")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_record_outside_the_zone() {
        let mut m = reference();
        m.dns[0].record = w("api.bank.example.org".into());
        assert_one(&run_rule(check, &m), &CODE, m.dns[0].record.span);
        m.dns[0].record = w("notbank.example.com".into());
        assert_one(&run_rule(check, &m), &CODE, m.dns[0].record.span);
    }

    #[test]
    fn accepts_the_apex_and_subdomains() {
        let mut m = reference();
        m.dns[0].record = w("Bank.Example.com.".into());
        assert_none(&run_rule(check, &m));
        assert_none(&run_rule(check, &reference()));
    }
}

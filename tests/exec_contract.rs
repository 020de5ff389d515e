//! The `saps exec` contract of `shared/domain.md` as scenario files
//! (`tests/scenarios/*.jsonl`, each line carrying its expected answer),
//! run through the real binary on a fresh database of every target, the
//! same scenarios and the same expected codes on each. After a run,
//! `saps check` must find the database healthy and `saps export` must equal
//! the scenario's golden file. See `tests/scenarios/README.md`.

mod contract;
mod pg_common;
mod saps_bin;

use contract::scenario::{self, Expect};
use contract::{Target, run_on};

/// One test per (target, scenario): `target => how to make one` (a
/// `fn() -> Option<Target>`, `None` to skip), then the scenarios.
macro_rules! contract {
    ($($target:ident => $make:expr),+ ; $scenarios:tt) => {
        $( contract!(@target $target, $make, $scenarios); )+
        const SCENARIOS: &[&str] = &contract!(@names $scenarios);
    };
    (@target $target:ident, $make:expr, [$($s:ident),+ $(,)?]) => {
        mod $target {
            use super::*;
            $( #[test] fn $s() { run_on(stringify!($s), $make) } )+
        }
    };
    (@names [$($s:ident),+ $(,)?]) => { [$(stringify!($s)),+] };
}

contract! {
    sled => Target::sled,
    postgres => Target::postgres;
    [
        happy_path,
        setup_codes,
        voucher_codes,
        reserve_codes,
        report_codes,
        payment_codes,
        expiry,
        check_order,
        input_shapes,
    ]
}

#[test]
fn every_scenario_file_has_a_test() {
    let mut listed: Vec<String> = SCENARIOS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(scenario::all_names(), listed, "add the file to contract! above");
}

#[test]
fn every_rejection_code_is_expected_by_some_scenario_line() {
    let expected: Vec<String> = SCENARIOS
        .iter()
        .flat_map(|name| scenario::load(name).expects)
        .map(|e| e.code)
        .collect();
    for code in saps::domain::Code::ALL {
        let code = code.as_str();
        assert!(
            expected.iter().any(|e| e == code),
            "no scenario line expects {code}"
        );
    }
    for e in &expected {
        let known = e == "ok" || saps::domain::Code::ALL.iter().any(|c| c.as_str() == e);
        assert!(known, "a scenario expects {e:?}, which is no rejection code");
    }
}

#[test]
fn the_expectation_is_cut_from_the_line_as_text() {
    let split = |line: &str| scenario::split_expectation(line, 7);
    let (e, fed) = split(r#"{"expect": "ok", "cmd": "publish_profile", "as": "a@b.test"}"#).unwrap();
    assert_eq!(
        (e, fed.as_str()),
        (
            Expect {
                line: 7,
                code: "ok".into(),
                names: None
            },
            r#"{"cmd": "publish_profile", "as": "a@b.test"}"#
        )
    );
    let line = r#"{"expect":"malformed" , "expect_names": "JSON","cmd": "x" "y"}"#;
    let (e, fed) = split(line).unwrap();
    assert_eq!((e.code.as_str(), e.names.as_deref()), ("malformed", Some("JSON")));
    assert_eq!(fed, r#"{"cmd": "x" "y"}"#);
    assert_eq!(split(r#"{"expect": "malformed"}"#).unwrap().1, "{}");
    for bad in [
        r#"{"cmd": "publish_profile", "expect": "ok"}"#,
        r#"{"expect": ok, "cmd": "publish_profile"}"#,
        r#"{"expect": "o\"k", "cmd": "publish_profile"}"#,
        r#"{"expect": "ok" "cmd": "publish_profile"}"#,
        r#"["expect", "ok"]"#,
    ] {
        assert!(split(bad).is_err(), "{bad} was taken");
    }
}

#[test]
fn an_answer_is_checked_for_line_code_and_the_words_named() {
    let e = |code: &str, names: Option<&str>| Expect {
        line: 3,
        code: code.into(),
        names: names.map(str::to_string),
    };
    let refused = r#"{"line":3,"ok":false,"code":"not_found","message":"voucher_id: no voucher DDPS-1"}"#;
    assert_eq!(
        contract::check_one(&e("not_found", Some("voucher_id")), refused),
        None
    );
    let accepted = r#"{"line":3,"ok":true,"events":[]}"#;
    assert_eq!(contract::check_one(&e("ok", None), accepted), None);
    for (want, answer) in [
        (e("not_found", Some("customer")), refused),
        (e("invalid_input", None), refused),
        (e("ok", None), refused),
        (e("not_found", None), accepted),
        (e("ok", None), r#"{"line":4,"ok":true,"events":[]}"#),
        (e("ok", None), "not json"),
        (e("ok", None), r#"{"line":3,"ok":true}"#),
        (
            e("not_found", None),
            r#"{"line":3,"ok":false,"code":"not_found","message":" "}"#,
        ),
    ] {
        let problem = contract::check_one(&want, answer);
        assert!(problem.is_some(), "{want:?} took {answer}");
    }
}

/// The golden exports are written by `SAPS_BLESS=1`; these facts, worked
/// out by hand from the scenarios, keep a wrong blessing from passing.
#[test]
fn the_golden_exports_hold_the_facts_of_their_scenarios() {
    let export = |name: &str| -> serde_json::Value {
        let path = scenario::scenario_dir().join(format!("{name}.export.json"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let facts = |name: &str| {
        let e = export(name);
        let statuses: Vec<(String, String)> = e["vouchers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["voucher_id"].as_str().unwrap().into(),
                    v["status"].as_str().unwrap().into(),
                )
            })
            .collect();
        let remaining: Vec<u64> = e["customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["remaining_days"].as_u64().unwrap())
            .collect();
        (statuses, remaining, e)
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    };
    // 40 days less 5, 3 and 1; the denied DDPS-0002 was filed again and paid.
    let (statuses, remaining, e) = facts("happy_path");
    let want = [
        ("DDPS-0001", "paid"),
        ("DDPS-0002", "paid"),
        ("DDPS-0003", "invoiced"),
    ];
    assert_eq!((statuses, remaining), (pairs(&want), vec![31]));
    let v2 = &e["vouchers"][1];
    assert_eq!(v2["invoice"]["invoice_number"], "INV-0002-R", "{v2}");
    let stored = &e["vouchers"][0]["report"]["fields"]["deliverable"];
    assert_eq!(stored["name"], "plan.pdf", "the deliverable was stored: {stored}");
    // LIC-001 gets DDPS-0001's 10 days back; LIC-002's agreement ended
    // before DDPS-0002 expired, so its 15 days are lost.
    let (statuses, remaining, _) = facts("expiry");
    let want = [
        ("DDPS-0001", "expired"),
        ("DDPS-0002", "expired"),
        ("DDPS-0003", "redeemed"),
        ("DDPS-0004", "assigned"),
        ("DDPS-0005", "assigned"),
    ];
    assert_eq!((statuses, remaining), (pairs(&want), vec![25, 0]));
    let (statuses, _, _) = facts("payment_codes");
    let want = [
        ("DDPS-0001", "invoiced"),
        ("DDPS-0002", "denied"),
        ("DDPS-0003", "redeemed"),
    ];
    assert_eq!(statuses, pairs(&want));
    // A consultant named twice (in two spellings) is on the engagement once.
    let (statuses, _, e) = facts("input_shapes");
    assert_eq!(statuses, pairs(&[("DDPS-0001", "invoiced")]));
    let staff = &e["vouchers"][0]["reservation"]["consultants"];
    assert_eq!(staff, &serde_json::json!(["ana@contoso.test"]));
    // Every scenario's audit is gap-free from 1, in order.
    for name in SCENARIOS {
        let audit = export(name)["audit"].as_array().unwrap().clone();
        let seqs: Vec<u64> = audit.iter().map(|a| a["seq"].as_u64().unwrap()).collect();
        assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "{name}");
    }
}

//! Commands are typed end to end: one `CommandKind` names each command for
//! the permission table, the desk's forms and the `saps exec` parser, and
//! the form and the parser of every command ask for the same fields.

use saps::domain::command::{Action, CommandKind};
use saps::domain::permission::{Who, who};
use saps::input::{parse_line, spec, specs};
use saps::ui::forms::{FieldSpec, Kind, form_spec};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

#[test]
fn every_kind_has_one_name_that_parses_back() {
    let mut seen = BTreeSet::new();
    for k in CommandKind::ALL {
        assert!(seen.insert(k.name()), "{} named twice", k.name());
        assert_eq!(CommandKind::parse(k.name()), Some(k));
        assert_eq!(Action::from(k).name(), k.name());
    }
    assert_eq!(CommandKind::parse("reserve_vouchers"), None);
    assert_eq!(CommandKind::parse("Reserve_Voucher"), None, "exact spelling");
}

#[test]
fn every_exec_command_has_a_form_and_every_command_a_rule_of_who_may() {
    let exec: Vec<CommandKind> = specs().map(|s| s.kind).collect();
    assert_eq!(
        exec.len(),
        CommandKind::ALL.len() - 2,
        "all but the field's two imports"
    );
    for k in CommandKind::ALL {
        assert!(form_spec(k).is_some(), "{}: no form", k.name());
        let (_, words) = who(k.into());
        assert!(!words.is_empty() && words != "do this", "{}: {words}", k.name());
    }
    for a in [
        Action::ExportPacket,
        Action::ExportBundle,
        Action::Backup,
        Action::ExportXlsx,
        Action::ExportIcs,
        Action::ImportSheet,
        Action::ExportList,
    ] {
        assert!(form_spec(a).is_some(), "{}: no form", a.name());
    }
    // The table's rules that are not "admins" (a regression guard on the table).
    assert_eq!(who(CommandKind::AddUser.into()).0, Who::GlobalAdmin);
    assert_eq!(who(CommandKind::RegisterSavb.into()).0, Who::GlobalAdmin);
    assert_eq!(who(CommandKind::SubmitReport.into()).0, Who::AdminsOrOwn);
    assert_eq!(who(Action::ExportBundle).0, Who::AdminsOrOwn);
}

fn names(fields: impl Iterator<Item = (&'static str, bool)>) -> BTreeSet<(&'static str, bool)> {
    fields.collect()
}

#[test]
fn the_form_and_the_parser_of_every_command_ask_for_the_same_fields() {
    for s in specs() {
        let form = form_spec(s.kind).unwrap_or_else(|| panic!("{}: no form", s.name()));
        assert_eq!(form.cmd, Action::Run(s.kind));
        let in_form = names(form.fields.iter().map(|f| (f.name, f.required)));
        let in_parser = names(s.fields.iter().map(|f| (f.name, f.required)));
        assert_eq!(
            in_form,
            in_parser,
            "{}: form vs exec parser (name, required)",
            s.name()
        );
    }
}

/// A value of the field's kind that the parser takes (it checks types, not rules).
fn sample(f: &FieldSpec) -> Value {
    let text = if f.name.contains("email") || f.name.starts_with("consultant") {
        "ava@example.com"
    } else {
        "X-1"
    };
    match f.kind {
        Kind::Text | Kind::Long => json!(text),
        Kind::Date => json!("2026-05-04"),
        Kind::Int => json!(3),
        Kind::Number => json!(1.5),
        Kind::Bool => json!(true),
        Kind::List => json!([text]),
        Kind::Choice(options) => json!(options[0]),
    }
}

/// The parser's own behaviour says which fields it needs: a line without a
/// required field is refused naming it, a line without an optional one is
/// taken. So the declared flags compared above are the parser's real ones.
#[test]
fn the_parser_requires_exactly_the_fields_the_form_marks_required() {
    for s in specs() {
        let form = form_spec(s.kind).expect("a form");
        let mut full = Map::new();
        full.insert("cmd".into(), json!(s.name()));
        for f in form.fields {
            full.insert(f.name.into(), sample(f));
        }
        let parsed = parse_line(&full).unwrap_or_else(|r| panic!("{}: {r}", s.name()));
        assert_eq!(parsed.kind(), s.kind);
        for f in form.fields {
            let mut line = full.clone();
            line.remove(f.name);
            match (f.required, parse_line(&line)) {
                (true, Err(r)) => {
                    assert_eq!(r.field, Some(f.name), "{}: {r}", s.name());
                    assert!(r.message.ends_with("is required"), "{}: {r}", s.name());
                }
                (true, Ok(_)) => panic!("{}: taken without required {}", s.name(), f.name),
                (false, Err(r)) => panic!("{}: refused without optional {}: {r}", s.name(), f.name),
                (false, Ok(_)) => {}
            }
        }
    }
}

#[test]
fn the_field_imports_are_not_exec_lines() {
    for k in [CommandKind::ImportPacket, CommandKind::ImportBundle] {
        assert!(spec(k).is_none());
        let mut line = Map::new();
        line.insert("cmd".into(), json!(k.name()));
        let r = parse_line(&line).expect_err("refused");
        assert_eq!(r.field, Some("cmd"), "{r}");
        assert!(r.message.contains("unknown command"), "{r}");
    }
}

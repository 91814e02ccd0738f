//! The session's dot-commands, statements, Ctrl-C and deadlines, on a real store.

use super::*;
use crate::store::Mode;

fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("t.db"), Mode::Create).unwrap();
    (dir, Session::new(Rc::new(RefCell::new(store))))
}

#[test]
fn dot_commands_change_the_settings() {
    let (_d, mut s) = session();
    assert_eq!(s.handle(".format csv").unwrap(), Flow::Done);
    assert_eq!(s.settings.format, Some(OutputFormat::Csv));
    assert_eq!(s.handle(".sql on").unwrap(), Flow::Done);
    assert!(s.settings.sql);
    assert_eq!(s.handle(".timer on").unwrap(), Flow::Done);
    assert!(s.settings.timer);
    assert_eq!(s.settings.expanded, Expanded::Auto);
    assert_eq!(s.handle("\\x").unwrap(), Flow::Done);
    assert_eq!(s.settings.expanded, Expanded::On);
    assert_eq!(s.handle("\\x").unwrap(), Flow::Done);
    assert_eq!(s.settings.expanded, Expanded::Off);
    assert_eq!(s.handle("\\x auto").unwrap(), Flow::Done);
    assert_eq!(s.settings.expanded, Expanded::Auto);
    assert!(s.settings.pager);
    assert_eq!(s.handle(".pager off").unwrap(), Flow::Done);
    assert!(!s.settings.pager);
    assert_eq!(s.handle(".nonsense").unwrap(), Flow::Failed);
    assert_eq!(s.handle(".quit").unwrap(), Flow::Quit);
    assert_eq!(s.handle("   ").unwrap(), Flow::Done);
    assert_eq!(s.handle("# only a comment").unwrap(), Flow::Done);
}

#[test]
fn statements_succeed_or_fail() {
    let (_d, mut s) = session();
    assert_eq!(s.handle("saved").unwrap(), Flow::Done);
    assert_eq!(s.handle("?x visited @").unwrap(), Flow::Failed);
    assert_eq!(
        s.handle(".import /no/such/file.jsonl").unwrap(),
        Flow::Failed
    );
    assert_eq!(s.handle(".import file.txt").unwrap(), Flow::Failed);
}

#[test]
fn schema_lists_the_tables() {
    let (_d, s) = session();
    let text = s.store.borrow().schema_text().unwrap();
    assert!(text.contains("CREATE TABLE entity"), "{text}");
    assert!(text.contains("CREATE VIEW relation_view"), "{text}");
}

#[test]
fn the_interrupter_acts_only_while_a_statement_runs() {
    let (_d, s) = session();
    let i = s.interrupter();
    assert!(!i.interrupt());
    i.running.store(true, Ordering::SeqCst);
    assert!(i.interrupt());
}

#[test]
fn ctrl_c_stops_the_statements_deadline_and_a_new_statement_starts_afresh() {
    let (_d, s) = session();
    let i = s.interrupter();
    i.set_running(true);
    let deadline = i.deadline();
    assert_eq!(deadline.stop(), None);
    assert!(i.interrupt());
    assert_eq!(deadline.stop(), Some(crate::deadline::Stop::Interrupted));
    i.set_running(false);
    i.set_running(true);
    assert_eq!(i.deadline().stop(), None);
}

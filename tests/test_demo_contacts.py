"""The demo's contacts (issue 13 item 7): a child with two NFA domestic-abuse notifications
this year and a third today, which raised the alert; a school's referral whose referrer has
not been told."""

from __future__ import annotations

from sqlmodel import select

from recorder.demo import contacts as demo_contacts
from recorder.demo import team
from recorder.domain.alerts import AlertKind
from recorder.services import alerts, chronology, contact_reads, integrity
from recorder.store import models as m


def test_the_demo_has_the_alert_and_a_referrer_not_told(sqlite_svc):
    svc = sqlite_svc
    team.populate(svc)
    with svc.reading() as s:
        manager = s.exec(select(m.Worker).where(m.Worker.username == "manager")).one().id
        hamza = s.exec(select(m.Child).where(m.Child.reference == demo_contacts.DA_CHILD)).one()
        tom = s.exec(select(m.Worker).where(m.Worker.username == "tom")).one().id
    (alert,) = [a for a in alerts.open_alerts_for(svc, manager) if a.child_id == hamza.id]
    assert alert.kind is AlertKind.DOMESTIC_ABUSE
    views = contact_reads.contacts_for_child(svc, manager, hamza.id)
    assert [v.outcome.value for v in views if v.outcome] == ["nfa", "nfa", "nfa"]
    (late,) = contact_reads.contacts_awaiting_referrer(svc, manager)
    assert late.child_reference == demo_contacts.REFERRAL_CHILD and late.source_code == "2A"
    chron = chronology.chronology(svc, tom, hamza.id, kinds=["contact"])
    assert len(chron.entries) == 3
    report = integrity.check_store(svc)
    assert report.ok, report.problems

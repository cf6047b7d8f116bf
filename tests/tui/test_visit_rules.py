"""The visit form follows the domain's rules for the visit type (issue 12)."""

from __future__ import annotations

from textual.widgets import OptionList, Select

from recorder.services import visits
from tests.support.pilot import visit_drawn, wait_until
from tests.support.tui import SIZE
from tests.tui.test_visit import open_visit, stored


def offered(screen) -> list[str]:
    select = screen.query_one("#input-not_alone_reason", Select)
    return [value for _, value in select._options if value is not Select.NULL]


async def test_the_form_offers_only_the_reasons_the_visit_type_allows(make_app, world_svc):
    """DOMAIN.md "Seen": a looked-after child's visit offers reg 29's three reasons (2010
    Regulations), private fostering only "inappropriate" (2005 Regulations, reg 8(3)); the
    choice follows the visit type as it changes, and a reason no longer allowed is cleared."""
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 1  # Seen
        await pilot.pause()
        # the reason shows once the child was seen, not alone
        await wait_until(pilot, lambda: bool(screen.query("#input-child_seen")))
        screen.query_one("#input-child_seen", Select).value = "yes"
        await wait_until(pilot, lambda: bool(screen.query("#input-seen_alone")))
        screen.query_one("#input-seen_alone", Select).value = "no"
        await wait_until(pilot, lambda: bool(screen.query("#input-not_alone_reason")))
        assert offered(screen) == ["refused", "inappropriate", "unable", "other"]
        screen.query_one("#input-not_alone_reason", Select).value = "other"
        await wait_until(pilot, lambda: screen.content.get("seen", {}).get("not_alone_reason"))

        screen.query_one("#sections", OptionList).highlighted = 0  # Visit details
        await wait_until(pilot, lambda: bool(screen.query("#input-visit_type")))
        screen.query_one("#input-visit_type", Select).value = "lac_statutory"
        await wait_until(pilot, lambda: offered(screen) == ["refused", "inappropriate", "unable"])
        await wait_until(pilot, lambda: "not_alone_reason" not in screen.content.get("seen", {}))

        screen.query_one("#input-not_alone_reason", Select).value = "inappropriate"
        await wait_until(pilot, lambda: screen.content["seen"].get("not_alone_reason"))
        screen.query_one("#input-visit_type", Select).value = "private_fostering"
        await wait_until(pilot, lambda: offered(screen) == ["inappropriate"])
        assert screen.query_one("#input-not_alone_reason", Select).value == "inappropriate"
        assert screen.content["seen"]["not_alone_reason"] == "inappropriate"
        await screen.run_action("save_now")
        await wait_until(pilot, lambda: stored(svc, vid, "details").get("visit_type"))
        assert stored(svc, vid, "details")["visit_type"] == "private_fostering"


async def test_a_hidden_reason_no_longer_allowed_is_cleared_too(make_app, world_svc):
    """A reason for not seeing the child alone that is stored but not shown (the child was
    then seen alone) is cleared all the same when the visit type no longer allows it, and
    the field is blank when it is shown again (its boxes are made only then)."""
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    seen = {"child_seen": "yes", "seen_alone": "yes", "not_alone_reason": "other"}
    visits.save_section(svc, world.sw, vid, "seen", seen, None)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await visit_drawn(pilot, screen)
        assert not screen.query("#input-not_alone_reason")  # hidden: not made yet
        screen.query_one("#input-visit_type", Select).value = "lac_statutory"
        await wait_until(pilot, lambda: "not_alone_reason" not in screen.content["seen"])
        screen.query_one("#sections", OptionList).highlighted = 1  # Seen
        await wait_until(pilot, lambda: screen.section == "seen")
        screen.query_one("#input-seen_alone", Select).value = "no"
        await wait_until(pilot, lambda: bool(screen.query("#input-not_alone_reason")))
        assert screen.query_one("#input-not_alone_reason", Select).is_blank()
        assert offered(screen) == ["refused", "inappropriate", "unable"]
        await screen.run_action("save_now")
        await wait_until(pilot, lambda: stored(svc, vid, "details").get("visit_type"))
        assert "not_alone_reason" not in stored(svc, vid, "seen")


async def test_the_read_only_record_shows_infant_awake_by_the_policys_age(make_app, world_svc):
    """Issue 12, defect 10: the read-only record (as the countersign and oversight screens
    show it) asks the policy which child is an infant: with ``infant_seen_awake_under_years
    = 3`` the answer for a child of 2 years 6 months is shown, not hidden as for "under 2"."""
    import dataclasses
    from datetime import date

    from textual.widgets import Static

    from recorder.services import children
    from tests.support.factories import complete_content

    svc, world = world_svc
    svc.policy = dataclasses.replace(svc.policy, infant_seen_awake_under_years=3)
    toddler = children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference="C0010",
            full_name="Zofia Nowak",
            date_of_birth=date(2022, 9, 12),  # 2 years 6 months on 12 March 2025
            plan_type="child_protection",
            plan_start=date(2024, 6, 1),
            team="North",
            allocated_worker="sw",
        ),
    )
    vid = visits.start_visit(svc, world.sw, toddler)
    content = complete_content()
    content["seen"].update(infant_awake="yes", seen_alone="no", not_alone_reason="inappropriate")
    for section, data in content.items():
        visits.save_section(svc, world.sw, vid, section, data, None)
    visits.submit(svc, world.sw, vid)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        assert not screen.editable
        text = "\n".join(str(w.render()) for w in screen.query(Static))
        assert "Infant seen awake: Yes" in text


async def test_the_joint_worker_is_chosen_by_name_from_the_teams_registered_staff(
    make_app, world_svc
):
    """Issue 12, defect 8: the student's form offers the registered social workers of the
    child's team by name (a picker, no free text) and keeps the chosen worker's id."""
    svc, world = world_svc
    vid = visits.start_visit(svc, world.student, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "student", vid)
        await wait_until(pilot, lambda: bool(screen.query("#input-joint_worker")))
        picker = screen.query_one("#input-joint_worker", Select)
        names = [str(prompt) for prompt, value in picker._options if value is not Select.NULL]
        assert names == [
            "Maya Manager, team manager (SW100001)",
            "Mo Manager, team manager (SW100002)",
            "Sam Social, social worker (SW200001)",
            "Sol Social, social worker (SW200002)",
        ]
        picker.value = str(world.sw)
        await wait_until(pilot, lambda: screen.content["details"].get("joint_worker") == world.sw)
        await screen.run_action("save_now")
        await wait_until(pilot, lambda: stored(svc, vid, "details").get("joint_worker") == world.sw)


async def test_the_joint_worker_confirms_from_for_you_with_their_password(make_app, world_svc):
    """DOMAIN.md "Who uses it": the named registered worker confirms with their own signature
    ("Attended jointly", the password asked again), from "for you" on their home."""
    from textual.widgets import Input, Static

    from recorder.tui.dialogs.signing import SigningDialog
    from tests.support.factories import complete_content
    from tests.support.pilot import home_loaded, settled, sign_in
    from tests.support.world import PASSWORD

    svc, world = world_svc
    vid = visits.start_visit(svc, world.student, world.child)
    content = complete_content()
    content["details"]["joint_worker"] = world.sw
    for section, data in content.items():
        visits.save_section(svc, world.student, vid, section, data, None)
    visits.submit(svc, world.student, vid)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        home = app.screen
        await wait_until(pilot, lambda: home.query_one("#for-you").loaded)
        title = str(home.query_one("#for-you-title", Static).visual)
        assert "1 joint visit to confirm" in title
        await pilot.press("f5")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SigningDialog))
        assert "Attended jointly" in str(app.screen.query_one("#sign-title", Static).visual)
        app.screen.query_one("#sign-password", Input).value = PASSWORD
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is home)
        await settled(pilot)
        await wait_until(
            pilot, lambda: "to confirm" not in str(home.query_one("#for-you-title", Static).visual)
        )
    with svc.reading() as s:
        from recorder.store.models import Visit

        assert s.get(Visit, vid).counts_as_statutory

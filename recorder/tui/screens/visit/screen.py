"""The visit record screen: sections on the left, the section's fields built from the schema
in the middle, its guidance and findings on the right.

Drafts are never lost: each change is autosaved in a thread worker within 1.5 s of being
typed (continuous typing does not postpone it), when a field loses focus, and (synchronously)
when the screen is left or the app quits. A save carries the version it was based on; a
Conflict stops saving and says why. When a save fails for another reason (the database has
gone, the disk is full) the text stays in the form, the status line says so in words, and the
save is tried again with back-off until it works; leaving or quitting first asks again.
Records that are not the reader's own draft open read-only with their signatures.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from recorder.domain.relevance import field_applies, field_choices
from recorder.domain.sections import SECTION_BY_KEY, SECTIONS, SectionKey, SectionSpec
from recorder.domain.text import clean, clean_line
from recorder.domain.validation import (
    Finding,
    SectionState,
    Severity,
    VisitContext,
    blocking,
    infant_at_visit,
    section_states,
    validate,
    validate_section,
)
from recorder.domain.workflow import VisitState
from recorder.tui import refresh
from recorder.tui.calls import Outcome, call_now, run_call
from recorder.tui.dialogs.addendum import AddendumDialog
from recorder.tui.dialogs.submit import SubmitChoice, SubmitDialog
from recorder.tui.format import day, line, utc_stamp
from recorder.tui.screens.visit.discard import DiscardDraft
from recorder.tui.screens.visit.drafts import DraftSaving
from recorder.tui.screens.visit.reveal import FormFocus, first_box
from recorder.tui.session import signed_in
from recorder.tui.widgets.fields import FieldEditor
from recorder.tui.widgets.footer import Footer
from recorder.tui.widgets.record import record_parts
from recorder.tui.widgets.updates import show, show_prompts

if TYPE_CHECKING:
    from recorder.domain.roles import Actor
    from recorder.services.visits import VisitView

STATE_WORDS = {
    SectionState.COMPLETE: "✓ complete",
    SectionState.MISSING: "✗ missing",
    SectionState.QUERY: "? query",
}
SUBMITTED_WORDS = {
    VisitState.AWAITING_COUNTERSIGN: "Sent for qualified countersign",
    VisitState.AWAITING_OVERSIGHT: "Sent for management oversight",
}


class SectionForm(VerticalScroll, can_focus=False):
    """A section's fields. Not focusable itself, so Tab from the section list lands on the
    first field (a focusable scroll container swallowed the first Tab and the typing after it)."""

class VisitScreen(DiscardDraft, DraftSaving, FormFocus, Screen[None]):
    """One visit record: edit a draft, or read a submitted or signed-off record."""

    HELP_TITLE = "Visit record"
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="visit.submit",
                tooltip="Check the record and send it for countersign or oversight."),
        Binding("escape", "back", "Back", id="visit.back",
                tooltip="Save and go back to the previous screen."),
        Binding("ctrl+l", "sections", "Sections", id="visit.sections",
                tooltip="Move to the list of sections."),
        Binding("ctrl+g", "save_now", "Save now", id="visit.save_now",
                tooltip="Save your changes now (they are saved automatically too)."),
        Binding("f7", "guidance", "Guidance", id="visit.guidance",
                tooltip="Show or hide what good looks like and what is still to do (hidden "
                        "at first in a terminal under 100 columns, to give the form room)."),
        Binding("f8", "discard", "Discard draft", id="visit.discard",
                tooltip="Delete this draft, after asking (never one returned for changes)."),
        Binding("a", "addendum", "Add an addendum", id="visit.addendum",
                tooltip="Add a signed correction or addition beneath this signed-off record."),
    ]
    DEFAULT_CSS = """
    VisitScreen #banner { height: auto; background: $warning; color: $text; text-style: bold;
                          padding: 0 1; }
    VisitScreen #banner.-signed { background: $success; }
    VisitScreen #returns { height: auto; max-height: 8; border: round $error; padding: 0 1; }
    VisitScreen #returns.-none { display: none; }
    VisitScreen #body { height: 1fr; }
    VisitScreen #sections { width: 34; height: 1fr; }
    /* under 100 columns (80x24): the form gets the room; F7 swaps the sections for the
       guidance; wide, F7 hides the guidance */
    VisitScreen.-narrow #sections { width: 24; }
    VisitScreen.-narrow #side { display: none; }
    VisitScreen.-narrow.-guidance #sections { display: none; }
    VisitScreen.-narrow.-guidance #side { display: block; width: 32; }
    VisitScreen.-wide.-guidance #side { display: none; }
    VisitScreen #form { width: 1fr; height: 1fr; padding: 0 1; }
    VisitScreen #side { width: 36; height: 1fr; padding: 0 1; border-left: vkey $primary; }
    VisitScreen #guidance { height: auto; margin-bottom: 1; }
    VisitScreen #findings { height: auto; color: $text-warning; }
    VisitScreen .section-form { height: 1fr; }
    VisitScreen .section-title { text-style: bold; margin-bottom: 1; }
    VisitScreen .age-note { margin-bottom: 1; text-style: italic; }
    VisitScreen #status { height: 1; padding: 0 1; background: $panel; }
    VisitScreen #readonly { height: 1fr; padding: 0 2; }
    VisitScreen #readonly .heading { text-style: bold; margin-top: 1; }
    """

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.view: VisitView | None = None
        self.ctx: VisitContext | None = None
        self.content: dict[str, dict[str, Any]] = {}
        self.findings: dict[str, list[Finding]] = {}
        self.reasons: dict[str, str] = {}
        self.section: str = SECTIONS[0].key.value
        self.editable = False
        self.loaded = False
        self.version = 0
        self.conflict = ""
        self.status_text = ""
        self.init_saving()
        #: a submit is with the services: leaving waits for its answer
        self.submitting = False
        self._pending_focus: str | None = None

    # -- layout -------------------------------------------------------------------------
    @property
    def actor(self) -> "Actor":
        actor = signed_in(self)
        assert actor is not None, "VisitScreen needs a signed-in actor"
        return actor

    @property
    def svc(self):
        return self.app.services

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(line("Opening the visit record..."), id="banner")
        yield Static("", id="returns", classes="-none")
        with Horizontal(id="body"):
            yield OptionList(id="sections")
            yield Vertical(id="form")
            with VerticalScroll(id="side"):
                yield Static("", id="guidance")
                yield Static("", id="findings")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    def _load(self) -> None:
        from recorder.services import visits

        svc, actor_id, visit_id = self.svc, self.actor.id, self.visit_id
        refresh.reading(self)  # read again by itself (action_reload) until it opens
        run_call(self, "Opening the visit record",
                 lambda: visits.load_visit(svc, actor_id, visit_id), self._loaded,
                 self._not_loaded, group="load")

    def action_reload(self) -> None:  # refresh.tick: only a record that could not be opened
        if not self.loaded:
            self._load()

    def _not_loaded(self, outcome: Outcome) -> None:
        refresh.read_failed(self, outcome)
        again = " It opens by itself when the database answers." if outcome.failed else ""
        self._set_status(outcome.message + again)
        if not self.loaded:
            self.query_one("#banner", Static).update(line("The visit record is not shown."))

    def _loaded(self, view: "VisitView") -> None:
        refresh.forget(self)  # never reloaded once open: it holds what is being typed
        self.view = view
        self.content = copy.deepcopy(view.content)
        self.version = view.version
        self.reasons = dict(view.query_reasons)
        assert view.child_dob is not None
        self.ctx = VisitContext(child_name=view.child_name, child_dob=view.child_dob,
                                now=self.svc.now_local(), plan_risks=view.plan_risks,
                                policy=self.svc.policy,
                                joint_workers=dict(view.joint_workers)
                                if view.author_needs_countersign else None,
                                open_actions=view.open_actions)
        self.editable = bool(view.may_edit)  # the domain's answer: a draft of the reader's own
        self.sub_title = clean_line(f"{view.child_name} - visit record")
        banner = self.query_one("#banner", Static)
        if view.state is VisitState.DRAFT:
            banner.update(line("DRAFT - not yet saved to the child's record"))
        else:
            banner.update(line(view.state.label if view.state is VisitState.SIGNED_OFF
                               else f"{view.state.label} - not yet saved to the child's record"))
            banner.set_class(view.state is VisitState.SIGNED_OFF, "-signed")
        if view.returns:
            parts = [line("Returned for changes - the comments", "bold")]
            for r in view.returns:
                who = view.returned_by.get(r.worker_id, "")
                parts.append(Content.assemble(
                    line(utc_stamp(r.created_at)),
                    line(f", {who}") if who else "", ": ", Content(clean(r.comment))))
            returns = self.query_one("#returns", Static)
            returns.update(Content("\n").join(parts))
            returns.remove_class("-none")
        for spec in SECTIONS:
            self.findings[spec.key.value] = [f for f in view.findings if f.section == spec.key]
        if self.editable:
            self._build_sections()
            self._show_section(self.section)
            self.set_timer(0.2, self._premount)
        else:
            self._build_readonly()
        self.loaded = True
        self.refresh_bindings()
        self._set_status("Changes are saved as you type." if self.editable
                         else "Read only: this record cannot be changed here.")

    def _set_status(self, text: str) -> None:
        self.status_text = text
        for status in self.query("#status").results(Static):
            show(status, line(text))

    # -- section list -------------------------------------------------------------------
    def _states(self) -> dict[SectionKey, SectionState]:
        every = [f for fs in self.findings.values() for f in fs]
        return section_states(every, self.reasons)

    def _prompt(self, spec: SectionSpec, state: SectionState) -> Content:
        return Content("\n").join([line(f"{spec.number}. {spec.title}"),
                                    Content("   ") + line(STATE_WORDS[state])])

    def _build_sections(self) -> None:
        states = self._states()
        ol = self.query_one("#sections", OptionList)
        ol.clear_options()
        ol.add_options([Option(self._prompt(s, states[s.key]), id=s.key.value) for s in SECTIONS])
        ol.highlighted = 0
        ol.focus()

    def _refresh_states(self) -> None:
        if not self.editable:
            return
        states = self._states()
        ol = self.query_one("#sections", OptionList)
        show_prompts(ol, [self._prompt(s, states[s.key]) for s in SECTIONS])
        self._show_findings()

    @on(OptionList.OptionHighlighted, "#sections")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.editable and event.option.id and event.option.id != self.section:
            self._show_section(event.option.id)

    @on(OptionList.OptionSelected, "#sections")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.editable and event.option.id:
            if event.option.id != self.section:
                self._show_section(event.option.id)
            # at once when the form is there (keys typed straight after Enter are already
            # queued and must land in the field); after the next refresh when it is mounting
            if not self._focus_first():
                self.call_after_refresh(self._focus_first)

    def current_form(self) -> VerticalScroll:
        return self.query_one(f"#form-{self.section}", VerticalScroll)

    def _focus_first(self) -> bool:
        forms = self.query(f"#form-{self.section}")
        editors = [e for e in forms.first().query(FieldEditor) if e.display] if forms else []
        if editors and any(w.focusable for w in editors[0].query("*")):
            self._focus_editor(editors[0])
            return True
        return False

    # -- the form -----------------------------------------------------------------------
    def _under_two(self) -> bool:
        assert self.ctx is not None
        return infant_at_visit(self.content, self.ctx)

    def _applies(self, section: str, key: str) -> bool:
        if key == "progress" and not (self.view and self.view.open_actions):
            return False  # no open actions on the child: nothing to ask
        assert self.view is not None
        return field_applies(section, key, self.content, under_two=self._under_two(),
                             author_needs_countersign=self.view.author_needs_countersign)

    def _show_section(self, key: str, focus_field: str | None = None) -> None:
        self._flush(self.section)
        self.section = key
        spec = SECTION_BY_KEY[SectionKey(key)]
        host = self.query_one("#form", Vertical)
        for child in host.children:
            child.display = child.id == f"form-{key}"
        self.query_one("#guidance", Static).update(
            Content.assemble(line("What good looks like", "bold"), "\n", line(spec.guidance)))
        self._show_findings()
        if not host.query_children(f"#form-{key}"):
            host.mount(SectionForm(*self._editors(spec), id=f"form-{key}", classes="section-form"))
        if focus_field:
            self._pending_focus = focus_field
            self.call_after_refresh(self._focus_field_named, focus_field)

    def _premount(self) -> None:
        """Mount the other sections' forms, hidden, one at a time between other work, so
        moving to a section (or jumping to a field from the submit dialog) is immediate and
        keys typed straight after land in the field."""
        if not self.is_mounted or not self.editable:
            return
        host = self.query_one("#form", Vertical)
        for spec in SECTIONS:
            if not host.query_children(f"#form-{spec.key.value}"):
                form = SectionForm(*self._editors(spec), id=f"form-{spec.key.value}",
                                   classes="section-form")
                form.display = self.section == spec.key.value
                host.mount(form)
                self.set_timer(0.05, self._premount)
                return

    def _editors(self, spec: SectionSpec) -> list:
        key = spec.key.value
        policy = self.svc.policy
        widgets: list = [Static(line(f"{spec.number}. {spec.title}"), classes="section-title")]
        values = self.content.get(key, {})
        fields = list(spec.fields)
        if spec.key is SectionKey.VOICE and self._under_two():
            assert self.view is not None
            under = policy.infant_seen_awake_under_years
            widgets.append(Static(line(
                f"{self.view.child_name} is under {under}: start with what you observed - "
                "presentation, behaviour, interaction, development. Infants should be seen "
                "awake."), classes="age-note"))
        for f in fields:
            value = values.get(f.key)
            choices = None
            if f.key == "methods" and spec.key is SectionKey.VOICE and self._under_two():
                choices = tuple(sorted(f.choices, key=lambda c: c[0] != "observation"))
            elif f.kind == "choice":
                choices = field_choices(key, f.key, self.content)
            elif f.kind == "worker":  # the registered staff of the team, by name
                assert self.view is not None
                choices = tuple((str(i), name) for i, name in self.view.joint_workers)
            if f.kind == "risks" and not value and self.ctx and self.ctx.plan_risks:
                value = [{"risk": r} for r in self.ctx.plan_risks]
            opens = self.view.open_actions if self.view else ()
            editor = FieldEditor(f, value, short_max=policy.short_text_max_chars,
                                 long_max=policy.long_text_max_chars, choices=choices,
                                 open_actions=opens)
            editor.display = self._applies(key, f.key)
            widgets.append(editor)
        return widgets

    def on_screen_resume(self) -> None:
        if self._pending_focus:
            self.call_after_refresh(self._focus_field_named, self._pending_focus)

    def _focus_field_named(self, key: str, tries: int = 100) -> None:
        """Put the focus in field ``key`` of the current section, waiting (up to 5 s) for the
        dialog to close and the section's form to mount; done when the focus is in it."""
        if self._pending_focus != key:
            return  # a newer jump, or the worker moved on
        target = None
        if self.app.screen is self:
            forms = self.query(f"#form-{self.section}")
            editors = [e for e in forms.first().query(FieldEditor) if e.display] if forms else []
            named = [e for e in editors if e.id == f"field-{key}"] or editors[:1]
            if named and any(w.focusable for w in named[0].query("*")):
                target = named[0]
        if target is not None and self.focused is not None and target in self.focused.ancestors:
            self._pending_focus = None  # landed
            return
        if target is not None:
            self._focus_editor(target)
        if tries:  # check again: the form may still be mounting, or focus be restored
            self.set_timer(0.05, lambda: self._focus_field_named(key, tries - 1))

    def _focus_editor(self, editor: FieldEditor) -> None:
        box = first_box(editor)
        if box is not None:
            # Screen.set_focus acts now; Widget.focus() would wait behind keys already queued
            self.set_focus(box)
        editor.scroll_visible(animate=False)

    def _show_findings(self) -> None:
        fs = self.findings.get(self.section, [])
        if not fs:
            text = line("Nothing missing in this section.")
        else:
            parts = [line("Still to do", "bold")]
            for f in fs:
                if f.severity is Severity.ERROR:
                    parts.append(line(f"✗ {f.message}"))
                else:
                    extra = " (reason given)" if self.reasons.get(f.code, "").strip() else \
                        " (a query: give a reason when you submit)"
                    parts.append(line(f"? {f.message}{extra}"))
            text = Content("\n").join(parts)
        show(self.query_one("#findings", Static), text)

    @on(FieldEditor.Changed)
    def _changed(self, event: FieldEditor.Changed) -> None:
        event.stop()
        self._take(event)
        if event.advance:  # answered with one key: on to the next field it shows
            self.move_on(event.editor)

    def _take(self, event: FieldEditor.Changed) -> None:
        if not self.editable or not self.loaded:
            return
        parent = event.editor.parent
        if parent is None or not str(parent.id or "").startswith("form-"):
            return
        section = str(parent.id)[len("form-"):]
        data = self.content.setdefault(section, {})
        old = data.get(event.key)
        if event.value in (None, "", []):
            if event.key not in data:
                return
            data.pop(event.key, None)
        else:
            if old == event.value:
                return
            if event.key not in data and event.value == event.editor.initial:
                return  # a box filled in for the worker (plan risks) on mount: not an edit
            data[event.key] = event.value
        assert self.ctx is not None
        self.findings[section] = validate_section(section, self.content, self.ctx)
        if section in (SectionKey.DETAILS.value, SectionKey.SEEN.value):
            # other sections' rules read the visit date and "child seen": check them again
            for spec in SECTIONS:
                if spec.key.value != section:
                    self.findings[spec.key.value] = validate_section(
                        spec.key, self.content, self.ctx)
        if (section, event.key) == (SectionKey.DETAILS.value, "visit_type"):
            self._offer_choices()
        self._show_applicable()
        self._refresh_states()
        self.changed(section)

    def _offer_choices(self) -> None:
        """Choices that depend on other answers (the visit type's reasons for not seeing
        the child alone) follow them."""
        for editor in self.query(FieldEditor):
            parent = editor.parent
            if editor.spec.kind == "choice" and parent and str(parent.id or "").startswith("form-"):
                editor.set_choices(field_choices(str(parent.id)[5:], editor.spec.key, self.content))

    def on_descendant_blur(self, event) -> None:
        if self.editable and self.loaded and self._dirty():
            self._autosave()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("submit", "save_now", "sections", "guidance") and not self.editable:
            return False  # hidden from the footer on a read-only record
        if action == "addendum":
            return self._may_add_addendum()
        if action == "discard":
            return self.may_discard()
        return True

    def _may_add_addendum(self) -> bool:
        """Offered where the domain allows it (the service's answer on the view)."""
        return self.view is not None and bool(self.view.may_add_addendum)

    def action_addendum(self) -> None:
        from recorder.services.addenda import add_addendum

        if not self._may_add_addendum():
            return
        assert self.view is not None
        svc, actor_id, visit_id = self.svc, self.actor.id, self.visit_id

        def done(added: object) -> None:
            if added is not None:
                self.notify("The addendum was signed and added beneath the record.",
                            title="Addendum added", markup=False)
                self._load()

        self.app.push_screen(AddendumDialog(
            self.view.child_name,
            lambda password, reason, text: add_addendum(svc, actor_id, visit_id, reason, text,
                                                        password), visit_id=visit_id), done)


    # -- submit -------------------------------------------------------------------------
    def action_submit(self) -> None:
        if not self.editable:
            self.notify("This record is not a draft of yours, so it cannot be submitted.",
                        markup=False)
            return
        if self.submitting:
            return
        problem = self.save_all_now()
        if problem or self.conflict:
            # submitting now would send the stored record without what was just typed
            self.notify(problem or self.conflict, title="Not submitted", severity="error",
                        markup=False)
            return
        assert self.ctx is not None
        findings = validate(self.content, self.ctx)
        if blocking(findings, self.reasons):
            self._ask(findings)
        else:
            self._start_submit(dict(self.reasons))

    def _ask(self, findings: list[Finding]) -> None:
        self.app.push_screen(SubmitDialog(findings, self.reasons), self._answered)

    def _answered(self, choice: SubmitChoice | None) -> None:
        if choice is None:
            return
        changed = choice.reasons != {k: v for k, v in self.reasons.items() if v.strip()}
        if (choice.cancel or choice.jump is not None) and changed:
            # kept with the draft now: submitting stores them itself
            self.reasons = dict(choice.reasons)
            self._refresh_states()
            self._save_reasons(dict(self.reasons))
        if choice.cancel:
            return
        if choice.jump is not None:
            section, field = choice.jump
            self.query_one("#sections", OptionList).highlighted = [
                s.key.value for s in SECTIONS].index(section)
            self.set_focus(None)  # keys typed before the field has the focus go nowhere,
            self._show_section(section, focus_field=field)  # never into another field
            return
        self.reasons.update(choice.reasons)
        self._refresh_states()
        self._start_submit(dict(self.reasons))

    def _start_submit(self, reasons: dict[str, str]) -> None:
        self._set_submitting(True)
        self._submit(reasons)

    def _set_submitting(self, submitting: bool) -> None:
        self.submitting = submitting
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="submit", exit_on_error=False)
    def _submit(self, reasons: dict[str, str]) -> None:
        from recorder.services import visits
        from recorder.services.errors import Incomplete

        svc, actor_id = self.svc, self.actor.id
        self.app.call_from_thread(self._set_status, "Submitting...")
        with self._lock:
            outcome = call_now("Submitting", lambda: visits.submit(
                svc, actor_id, self.visit_id, reasons, expected_version=self.version))
        self.app.call_from_thread(self._set_submitting, False)
        if outcome.ok:
            self.app.call_from_thread(self._submitted, outcome.value)
        elif isinstance(outcome.error, Incomplete):
            self.app.call_from_thread(self._set_status, outcome.message)
            self.app.call_from_thread(self._ask, list(outcome.error.findings))
        else:
            kept = " The record is still your draft; nothing was lost." if outcome.failed else ""
            self.app.call_from_thread(self._set_status, f"Not submitted: {outcome.message}{kept}")
            self.app.call_from_thread(self.notify, outcome.message + kept, title="Not submitted",
                                      severity="error", markup=False)

    def _submitted(self, done) -> None:
        self.editable = False  # nothing left to save
        words = SUBMITTED_WORDS.get(done.state, done.state.label)
        self.notify(f"{words}, due {day(done.due)}.", title="Submitted", markup=False)
        if self.is_current:
            self.dismiss()
        elif self in self.app.screen_stack:  # a dialog (help) is over it: close both
            while self.app.screen is not self:
                self.app.pop_screen()
            self.dismiss()

    # -- read-only ----------------------------------------------------------------------
    def _build_readonly(self) -> None:
        assert self.view is not None
        shown = self.query("#readonly")
        if shown:  # read again (an addendum was added): new contents, same scroll
            scroll = shown.first(VerticalScroll)
            scroll.remove_children()
            scroll.mount_all(record_parts(self.view, policy=self.svc.policy))
            return
        body = self.query_one("#body", Horizontal)
        body.remove_children()
        scroll = VerticalScroll(*record_parts(self.view, policy=self.svc.policy), id="readonly",
                                can_focus=True)
        body.mount(scroll)
        scroll.focus()

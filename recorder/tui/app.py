"""The recorder Textual app: sign-in first, then the signed-in worker's home screen.

The sign-in screen is painted before the store is ready: when :class:`RecorderApp` is given
a callable instead of :class:`~recorder.services.core.Services`, it calls it in a thread
worker after mount (building the engine and migrating can take a moment) and the inputs say
"Opening the store..." until it returns.

Screens never build SQL or decide a rule: they call ``recorder.services`` from thread workers
and show what comes back, as text (see :mod:`recorder.tui.calls` and
:mod:`recorder.tui.format`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import ModalScreen, Screen

from recorder.tui import navigation
from recorder.tui.commands import ChildCommands

if TYPE_CHECKING:  # SQLAlchemy is not imported before the first paint
    from recorder.domain.roles import Actor
    from recorder.services.core import Services
    from recorder.tui.screens.signin import SignInScreen

#: A second Ctrl+Q within this many seconds quits although some text could not be saved.
QUIT_AGAIN_SECONDS = 5.0
#: How often the store is asked whether another terminal changed it (tui/refresh.py).
POLL_SECONDS = 0.5
#: While the database does not answer, it is asked again this often.
GONE_RETRY_SECONDS = 2.0


class RecorderApp(App[None]):
    """Case recording for children's social workers."""

    TITLE = "recorder"
    CSS_PATH = "app.tcss"
    #: every screen carries -narrow (under 100 columns) or -wide, and -short (under 30 rows)
    #: or -tall, so that at 80x24 panes fold away and dialogs fit (app.tcss, the screens)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    #: Ctrl+P finds a child on your caseload and starts a visit record for them.
    COMMANDS = App.COMMANDS | {ChildCommands}

    BINDINGS = [
        Binding(
            "f1",
            "help",
            "Help",
            id="app.help",
            tooltip="List every key you can use on this screen.",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            priority=True,
            tooltip="Close recorder and return to the command prompt.",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="app.command_palette",
            show=False,
            priority=True,  # the Footer shows it on its right-hand side
            tooltip="Find a command: change the theme, show the keys, quit.",
        ),
        # Tab and Shift+Tab are taken as they arrive (priority), not after the focused field
        # has worked through the keys queued before them: otherwise what is typed after a
        # Tab, while a slow field catches up, lands in the field that was left.
        Binding(
            "tab",
            "focus_next",
            "Next field",
            id="app.focus_next",
            show=False,
            priority=True,
            tooltip="Move to the next field or list.",
        ),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous field",
            id="app.focus_previous",
            show=False,
            priority=True,
            tooltip="Move to the previous field or list.",
        ),
        Binding(
            "ctrl+c",
            "help_quit",
            "Explain how to quit",
            id="app.help_quit",
            show=False,
            system=True,
        ),
    ]

    #: True once the store is open and migrated; screens watch it.
    store_ready: var[bool] = var(False)
    #: Why the store did not open, in words ("" while opening or when open).
    store_error: var[str] = var("")
    #: Changes seen in the store since the app started (screens compare, tui/refresh.py).
    store_generation: var[int] = var(0)
    #: True while the change watcher cannot reach the database (said once, in words).
    store_gone: var[bool] = var(False)

    def __init__(
        self,
        services: Services | Callable[[], Services],
        *,
        demo_accounts: Iterable[Any] | None = None,
        cursor_blink: bool = True,
        idle_clock: Callable[[], float] = time.monotonic,
        keymap: dict[str, str] | None = None,
        tune_collector: bool = False,
    ) -> None:
        super().__init__()
        from recorder.tui.paste import install

        install(self.driver_class)  # a paste holding ESC arrives whole and in order (paste.py)
        if keymap:  # the person's [keys] in user.toml, checked by recorder.tui.keys
            self.set_keymap(keymap)
        self.demo_accounts = list(demo_accounts) if demo_accounts is not None else None
        #: the real app sets the garbage collector for answering keys (tui/collector.py)
        self._tune_collector = tune_collector
        #: Input cursors blink; tests and screenshots turn it off so frames are stable.
        self.cursor_blink = cursor_blink
        self._factory: Callable[[], Services] | None = None
        self._owns_services = False
        self.services: Services | None = None
        #: The signed-in person (None until someone signs in): the one place screens ask.
        self.actor: Actor | None = None
        self._quit_armed_at: float | None = None
        #: When a key was last pressed (a screen being typed in is not reloaded under it).
        self.last_key_at = 0.0
        self._watcher: Any = None
        self._polling = False
        self._poll_again_at = 0.0
        from recorder.tui.idle import IdleLock

        #: locks the session after the policy's idle minutes (its clock is the tests' to move)
        self.idle = IdleLock(self, idle_clock)
        if _is_services(services):
            self.services = services
        elif callable(services):
            self._factory = services
        else:  # pragma: no cover - a programming error, not a user's
            raise TypeError("RecorderApp needs Services or a callable returning Services")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity="information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is text: never markup, control and escape characters stripped
        (names and comments from the store reach toasts; one place keeps them inert)."""
        from recorder.domain.text import clean, clean_line

        idle = getattr(self, "idle", None)
        if idle is not None and idle.locked:
            return  # nothing of the case shows over the lock (tui/idle.py)
        super().notify(
            clean(str(message)),
            title=clean_line(str(title)),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    async def on_event(self, event) -> None:
        from textual import events

        from recorder.domain.text import clean

        if isinstance(event, events.Key):
            self.last_key_at = time.monotonic()
        if isinstance(
            event,
            (
                events.Key,
                events.MouseDown,
                events.MouseScrollDown,
                events.MouseScrollUp,
                events.Paste,
            ),
        ):
            self.idle.touch()
        if isinstance(event, events.Paste) and not event.is_forwarded:
            # pasted text is text: escape, C1 and bidi controls never reach any field
            event.text = clean(event.text)
        await super().on_event(event)

    # -- start-up -----------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """The sign-in screen is the app's first screen itself, composed and painted as
        Textual's default screen would be: not an empty default screen painted first and the
        sign-in pushed over it (a second screen, layout and restyle before the first frame)."""
        screen = navigation.first_screen(self)
        screen._push_result_callback(self, None)  # as push_screen does: switch_screen pops it
        self._load_screen_css(screen)
        _sized(self, screen)
        return screen

    def on_mount(self) -> None:
        from recorder.tui.idle import CHECK_SECONDS

        self.set_interval(CHECK_SECONDS, self.idle.tick, name="idle lock")
        if self.services is not None:
            _steady_tables()
            self.store_ready = True
            self._watch_store()
            if self._tune_collector:
                from recorder.tui import collector

                self.call_after_refresh(collector.settle)
        else:
            # after the first frame: opening the store imports SQLAlchemy and alembic, which
            # would hold the GIL while the sign-in screen is painted
            self.call_after_refresh(self._open_store)

    @work(thread=True, exclusive=True, group="store", exit_on_error=False)
    def _open_store(self) -> None:
        assert self._factory is not None
        try:
            svc = self._factory()
        except Exception as e:  # noqa: BLE001 - shown as words, never a traceback
            self.call_from_thread(self._store_failed, _why_store_failed(e))
        else:
            try:
                navigation.warm_up(svc)
            except Exception:  # noqa: BLE001 - only a head start: imported again when needed
                pass
            if self._tune_collector:  # here, while the person reads the sign-in screen
                from recorder.tui import collector

                collector.settle()
            self.call_from_thread(self._store_opened, svc)

    def _store_opened(self, svc: Services) -> None:
        _steady_tables()
        self.services = svc
        self._owns_services = True
        self.store_ready = True
        self._watch_store()

    def _store_failed(self, message: str) -> None:
        self.store_error = message

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
        if self._owns_services and self.services is not None:
            self.services.engine.dispose()

    # -- staying fresh: another terminal's change reaches the screen in front --------------
    def _watch_store(self) -> None:
        from recorder.services.changes import ChangeWatcher

        assert self.services is not None
        self._watcher = ChangeWatcher(self.services.engine)
        # The watcher's first question only opens its connection and notes where the store
        # is: a change made before that is never heard. Asked now, not at the first tick half
        # a second on, it predates any screen's read (signing in comes first); a change
        # another terminal made in that half second was missed until the next one. On SQLite
        # it is a local file, asked here; elsewhere the first poll starts now in its thread.
        if self.services.engine.dialect.name == "sqlite":
            try:
                self._watcher.changed()
            except Exception:  # noqa: BLE001 - the first poll says it, in words
                pass
        else:
            self._poll_tick()
        self.set_interval(POLL_SECONDS, self._poll_tick, name="store changes")

    def _poll_tick(self) -> None:
        """One cheap question to the store, in a thread (a slow or unreachable database never
        holds up the screen); at most one at a time."""
        if self._polling or self._watcher is None or time.monotonic() < self._poll_again_at:
            return
        self._polling = True
        self.run_worker(
            self._poll,
            name="Watching the store",
            group="store-changes",
            thread=True,
            exclusive=False,
            exit_on_error=False,
        )

    def _poll(self) -> None:
        error: Exception | None = None
        try:
            changed = self._watcher.changed()
        except Exception as e:  # noqa: BLE001 - said once, in words
            changed, error = False, e
        try:
            self.call_from_thread(self._polled, changed, error)
        except RuntimeError:  # the app has stopped
            pass

    def _polled(self, changed: bool, error: Exception | None) -> None:
        from recorder.tui import refresh

        self._polling = False
        if error is not None:
            self._poll_again_at = time.monotonic() + GONE_RETRY_SECONDS
            if not self.store_gone:
                from recorder.services.failures import reason

                self.store_gone = True
                self.notify(
                    f"Screens are not updating: {reason(error)}. What you see was read "
                    "before; it is read again by itself when the database answers.",
                    title="Not updating",
                    severity="warning",
                    timeout=30,
                )
            return
        if self.store_gone:
            self.store_gone = False
            changed = True  # what happened meanwhile was not heard
            self.notify("The database answers again: screens are up to date.", title="Updating")
        if changed:
            self.store_generation += 1
        if self.actor is not None:
            refresh.tick(self)

    # -- signing in and out ----------------------------------------------------------
    async def on_sign_in_screen_signed_in(self, message: SignInScreen.SignedIn) -> None:
        # A dialog (help) may be open over the sign-in screen when the check comes back.
        while isinstance(self.screen, ModalScreen):
            await self.pop_screen()
        self.actor = message.actor
        self.idle.touch()
        await navigation.home(self, message.first, message.first_as_of)

    async def action_sign_out(self) -> None:
        while isinstance(self.screen, ModalScreen):
            await self.pop_screen()
        await navigation.sign_in(self)
        self.actor = None
        self.notify("You are signed out.", title="Signed out", markup=False)

    # -- quitting -----------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit, once every screen has saved what it holds. When something could not be
        saved (the database has gone), say so and stay: a second Ctrl+Q quits anyway."""
        now = time.monotonic()
        armed = self._quit_armed_at is not None and now - self._quit_armed_at <= QUIT_AGAIN_SECONDS
        if not armed:
            unsaved = []
            for screen in reversed(self.screen_stack):
                save = getattr(screen, "save_before_quit", None)
                problem = save() if save is not None else ""
                if problem:
                    unsaved.append(problem)
            if unsaved:
                self._quit_armed_at = now
                self.notify(
                    f"{unsaved[0]} Your text is kept on screen and saved when the "
                    "database answers. Press Ctrl+Q again to quit without it.",
                    title="Not quit: not saved",
                    severity="error",
                    timeout=QUIT_AGAIN_SECONDS,
                )
                return
        self.exit()

    # -- command palette ------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            # Textual's "Screenshot" writes an SVG of the screen (names, case details) to the
            # working folder: case data must not leave the store that way.
            if command.title != "Screenshot":
                yield command
        yield SystemCommand(
            "Keys on this screen", "List every key you can use here (F1)", self.action_help
        )
        # a screen offers its own commands (the home screen: sign out, the queues)
        own = getattr(screen, "system_commands", None)
        if own is not None:
            yield from own()

    def push_screen(self, screen, callback=None, wait_for_dismiss: bool = False, **kw):
        """While locked, a screen that something under the lock opens (a call that answers
        late: a record, a dialog) waits for the unlock instead of showing over the lock."""
        idle = getattr(self, "idle", None)
        if idle is not None and not wait_for_dismiss and idle.hold(screen, callback):
            from textual.await_complete import AwaitComplete

            return AwaitComplete.nothing()
        _sized(self, screen)
        return super().push_screen(screen, callback, wait_for_dismiss, **kw)

    def switch_screen(self, screen):
        _sized(self, screen)
        return super().switch_screen(screen)

    def action_command_palette(self) -> None:
        # locked: the palette would find children on the caseload behind the lock
        if not self.idle.locked:
            super().action_command_palette()

    # -- help ---------------------------------------------------------------------------
    def action_help(self) -> None:
        # imported on the first F1, not before the sign-in screen paints
        from recorder.tui.dialogs.help import HelpScreen, bindings_of

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        screen = self.screen
        self.push_screen(HelpScreen(_screen_title(screen), bindings_of(screen)))


def _steady_tables() -> None:
    """Textual's DataTable header drawn at stale widths (see tables.py): fixed once the store is
    open, before any screen with a table (they all come after the sign-in), not before the
    first paint (importing DataTable then cost 2 ms; the demo's sign-in table fixes it itself)."""
    from recorder.tui.widgets.tables import steady_headers

    steady_headers()


def _is_services(obj: object) -> bool:
    """Services without importing them (and SQLAlchemy with them) before the first paint."""
    return hasattr(obj, "engine") and hasattr(obj, "reading") and hasattr(obj, "policy")


def _screen_title(screen) -> str:
    return getattr(screen, "HELP_TITLE", "") or "This screen"


def _why_store_failed(e: Exception) -> str:
    from recorder.services.errors import ServiceError

    if isinstance(e, ServiceError):
        return e.message
    from recorder.domain.policy import PolicyError

    if isinstance(e, PolicyError):
        return f"The policy file has a problem: {e}"
    from recorder.services.failures import reason

    return (
        f"The store did not open: {reason(e)}. Quit with Ctrl+Q, check the data "
        "folder or RECORDER_DATABASE_URL, and try again."
    )


def _sized(app: App, screen: object) -> None:
    """Give a new screen the size classes (``-wide``, ``-tall``...) of the terminal before it
    is styled. Textual adds them at its first Resize, which restyles every widget of the
    screen once more (a sixth of opening a child's record, issue 15); a screen born with
    them is styled once."""
    from textual import events
    from textual.message import Message
    from textual.screen import Screen

    if not isinstance(screen, Screen) or screen.is_attached:
        return
    width, height = app.size
    across = (
        app.HORIZONTAL_BREAKPOINTS
        if screen.HORIZONTAL_BREAKPOINTS is None
        else screen.HORIZONTAL_BREAKPOINTS
    ) or []
    down = (
        app.VERTICAL_BREAKPOINTS
        if screen.VERTICAL_BREAKPOINTS is None
        else screen.VERTICAL_BREAKPOINTS
    ) or []
    classes = {name: False for _, name in across + down}
    for name in screen._get_breakpoint_classes(width, across):
        classes[name] = True
    for name in screen._get_breakpoint_classes(height, down):
        classes[name] = True
    screen.update_classes(classes, update=False)
    # Textual restyles a screen as it is first shown (ScreenResume), a moment after every
    # widget of it was styled as it mounted: a new screen skips that once (another tenth of
    # the UI thread's CPU opening a child). Shown again later, it is restyled as before.
    post = screen.post_message

    def post_first_resume(message: Message) -> bool:
        if isinstance(message, events.ScreenResume):
            message.refresh_styles = False
            del screen.post_message  # back to the screen's own
        return post(message)

    screen.post_message = post_first_resume  # type: ignore[method-assign]

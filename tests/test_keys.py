"""Keys remapped by the person (issue 15, item 9): a [keys] table in user.toml maps a binding's
id to new keys; an unknown id or key is one clear line before the app starts; F1 lists the
new key and each key's name."""

from __future__ import annotations

import pytest

from recorder.cli import main
from recorder.config import ConfigError, load_keys
from recorder.tui.keys import binding_ids, check_keymap, key_problem


def write(folder, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "user.toml").write_text(text, encoding="utf-8")
    return folder


def test_no_file_means_no_change(tmp_path):
    assert load_keys(tmp_path)[1] == {}


def test_dotted_and_quoted_ids_both_name_a_binding(tmp_path):
    cfg = write(tmp_path, '[keys]\nvisit.submit = "f6"\n"home.find" = "ctrl+t, f7"\n')
    path, keys = load_keys(cfg)
    assert keys == {"visit.submit": "f6", "home.find": "ctrl+t, f7"}
    assert check_keymap(str(path), keys) == ""


@pytest.mark.parametrize(
    "text, words",
    [
        ('[keys]\nvisit.sumbit = "f6"\n', '"visit.sumbit", which is not the name of a key'),
        ('[keys]\nvisit.submit = "ctrl+banana"\n', '"ctrl+banana" is not a key name'),
        ('[keys]\nvisit.submit = "cntrl+s"\n', '"cntrl+s" is not a key'),
        ("[keys]\nvisit.submit = 6\n", "must be the keys in quotes"),
        ("keys = 3\n", "keys must be a table"),
        ("[keys\n", "is not valid TOML"),
    ],
)
def test_a_slip_is_one_line_naming_it(tmp_path, text, words):
    cfg = write(tmp_path, text)
    try:
        path, keys = load_keys(cfg)
        message = check_keymap(str(path), keys)
    except ConfigError as e:
        message = str(e)
    assert words in message and "\n" not in message and str(cfg / "user.toml") in message


def test_key_names():
    assert [key_problem(k) for k in ("f6", "ctrl+t", "alt+shift+f2", "a", "escape", "?")] == [
        ""
    ] * 6
    assert key_problem("f99") and key_problem("ctrl+") and key_problem("")


def test_every_binding_id_is_known():
    assert {"visit.submit", "home.find", "home.sign_out", "help.close"} <= binding_ids()


def test_recorder_refuses_to_start_with_a_bad_key_and_says_why(tmp_path, monkeypatch, capsys):
    cfg = write(tmp_path / "cfg", '[keys]\nhome.fnd = "ctrl+t"\n')
    monkeypatch.setenv("RECORDER_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("RECORDER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("recorder.cli.app.has_terminal", lambda settings: True)
    started = []
    monkeypatch.setattr("recorder.tui.app.RecorderApp.run", lambda self: started.append(1))
    assert main(["--demo"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("recorder: ") and '"home.fnd"' in err and "Traceback" not in err
    assert started == []

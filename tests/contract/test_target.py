"""Target files: every problem is one line that names the fix, with its own exit status."""

from __future__ import annotations

from pathlib import Path

import pytest

from altcraft_contract.contract.target import load_target, resolve_token
from altcraft_contract.errors import TargetFileInvalid, TargetFileMissing, TokenMissing

EXAMPLE = Path(__file__).resolve().parents[2] / "targets" / "example.toml"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "t.toml"
    p.write_text(text, encoding="utf-8")
    return p


MINIMAL = '[target]\nbase_url = "https://x.example"\ntoken_env = "TOK"\n[data]\nrel_id = 3\n' \
          '[[data.profiles]]\nprofile_id = "5c910f6bc484d023b1309bee"\n'


def test_example_target_file_loads() -> None:
    t = load_target(EXAMPLE)
    assert t.api_version == "v74" and t.error_http_status == "any" and t.rel_id == 3
    assert t.profiles[0].modes() == ("email", "email_profile", "phone", "profile_id", "custom")
    assert t.waivers == {"E2.text": "staging answers an empty error_text on success (ticket 123)"}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TargetFileMissing) as err:
        load_target(tmp_path / "nope.toml")
    assert err.value.exit_status == 66 and "\n" not in str(err.value)


@pytest.mark.parametrize(("text", "words"), [
    (MINIMAL.replace("base_url", "base_ur"), "did you mean 'base_url'"),
    (MINIMAL.replace("[data]\nrel_id = 3", "[data]"), "required key 'rel_id'"),
    (MINIMAL + '[waivers]\n"D2" = "no"\n', "cannot be waived"),
    (MINIMAL + '[waivers]\n"Z9" = "no"\n', "unknown clause"),
    (MINIMAL.replace('token_env = "TOK"', 'token_env = "TOK"\napi_version = "v99"'), "api_version"),
    (MINIMAL.replace("5c910f6bc484d023b1309bee", "XYZ"), "24 lowercase hex"),
    ("[target\n", "not valid TOML"),
])
def test_invalid_files_say_what_to_fix(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(TargetFileInvalid) as err:
        load_target(write(tmp_path, text))
    assert words in str(err.value) and "\n" not in str(err.value) and err.value.exit_status == 65


def test_extra_keys_that_are_no_typo_are_kept_and_listed(tmp_path: Path) -> None:
    text = MINIMAL.replace('token_env = "TOK"', 'token_env = "TOK"\ndescription = "staging EU"') \
        + 'note = "seeded by hand"\n[meta]\nowner = "qa"\n'
    t = load_target(write(tmp_path, text))
    assert t.ignored_keys == ("[meta]", "[target] description", "[data.profiles #1] note")
    assert t.profiles[0].profile_id == "5c910f6bc484d023b1309bee"


def test_token_comes_only_from_the_named_variable(tmp_path: Path) -> None:
    t = load_target(write(tmp_path, MINIMAL))
    assert resolve_token(t, {"TOK": "secret"}) == "secret"
    with pytest.raises(TokenMissing) as err:
        resolve_token(t, {})
    assert "export TOK=" in str(err.value) and err.value.exit_status == 78


@pytest.mark.parametrize(("line", "mode"), [('error_http_status = "200"', "200"), ("error_http_status = 200", "200"),
                                            ('error_http_status = "mirror"', "mirror"), ("", "any")])
def test_error_http_status_forms(tmp_path: Path, line: str, mode: str) -> None:
    t = load_target(write(tmp_path, MINIMAL.replace('token_env = "TOK"', f'token_env = "TOK"\n{line}')))
    assert t.error_http_status == mode


def test_an_unknown_error_http_status_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TargetFileInvalid, match="error_http_status"):
        load_target(write(tmp_path, MINIMAL.replace('token_env = "TOK"', 'token_env = "TOK"\nerror_http_status = 500')))


def test_resource_identifiers_are_read_and_checked(tmp_path: Path) -> None:
    ok = load_target(write(tmp_path, MINIMAL + 'resource_id = 24\nresource_identifiers = ["email"]\n'))
    assert ok.profiles[0].resource_identifiers == ("email",)
    assert load_target(write(tmp_path, MINIMAL)).profiles[0].resource_identifiers is None
    with pytest.raises(TargetFileInvalid, match="resource_identifiers"):
        load_target(write(tmp_path, MINIMAL + 'resource_identifiers = ["fax"]\n'))
    with pytest.raises(TargetFileInvalid, match="has none"):  # no subscription_email to look for
        load_target(write(tmp_path, MINIMAL + 'resource_identifiers = ["subscription_email"]\n'))


WRITES = ('\n[writes]\nrel_id = 3\nprofile_a = "5c910f6bc484d023b1309bf0"\n'
          'profiles_b = ["5c910938c484d023b1300e01", "5c910938c484d023b1300e03"]\nproperties = ["Donate", "Like"]\n')


def test_the_writes_table_and_attach_path_are_read(tmp_path: Path) -> None:
    t = load_target(write(tmp_path, MINIMAL + WRITES + '[endpoints]\nattach = "/api/v1.1/relations/bind"\n'))
    assert t.writes is not None and t.writes.profile_a == "5c910f6bc484d023b1309bf0"
    assert t.writes.profiles_b == ("5c910938c484d023b1300e01", "5c910938c484d023b1300e03")
    assert t.writes.properties == ("Donate", "Like") and t.paths == {"attach": "/api/v1.1/relations/bind"}
    assert not t.allow_writes  # --writes is the other half
    assert load_target(write(tmp_path, MINIMAL)).writes is None


def test_the_example_s_writes_table_loads_when_uncommented(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    body = text.split("# [writes]", 1)[1]
    uncommented = "\n".join(line[2:] if line.startswith("# ") and ("=" in line or line.startswith("# [")) else line
                            for line in ("# [writes]" + body).splitlines())
    t = load_target(write(tmp_path, text.split("# Optional: let the suite write")[0] + uncommented))
    assert t.writes is not None and t.paths == {"attach": "/api/v1.1/relations/attach"}


@pytest.mark.parametrize(("extra", "words"), [
    (WRITES.replace("5c910f6bc484d023b1309bf0", "5c910f6bc484d023b1309bee"), "is also a [[data.profiles]] profile"),
    (WRITES.replace('"5c910938c484d023b1300e01"', '"nope"'), "not 24 lowercase hex"),
    (WRITES.replace('properties = ["Donate", "Like"]', "properties = []"), "at least one"),
    (WRITES.replace("rel_id = 3", "rel_id = 3\nrel = 4"), "unknown key 'rel'"),
    (WRITES.replace('profile_a = "5c910f6bc484d023b1309bf0"\n', ""), "required key 'profile_a'"),
    ('\n[endpoints]\ndetach = "/x"\n', "only attach may be named"),
    ('\n[endpoints]\nattach = "http://elsewhere/x"\n', "is not a path"),
    ('\n[write]\nrel_id = 3\n', "unknown table [write]"),
])
def test_a_wrong_writes_table_is_one_line_naming_the_fix(tmp_path: Path, extra: str, words: str) -> None:
    with pytest.raises(TargetFileInvalid) as err:
        load_target(write(tmp_path, MINIMAL + extra))
    assert words in str(err.value) and "\n" not in str(err.value) and err.value.exit_status == 65

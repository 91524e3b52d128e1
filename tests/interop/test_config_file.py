"""quiverd --config FILE: every option has a key, flags win over the file, which wins
over the defaults; bad files stop quiverd with the line number."""
import json
import re
import subprocess

import pytest

from conftest import QUIVERD, REPO


def long_options():
    """quiverd's long options, read from its own --help."""
    out = subprocess.run([str(QUIVERD), "--help"], capture_output=True, text=True,
                         check=True).stdout
    names = re.findall(r"^\s+(?:-\w,\s*)?--([a-z0-9][a-z0-9-]*)", out, re.M)
    return sorted(set(names) - {"help", "version", "config"})


def run_quiverd(tmp_path, toml, *args):
    config = tmp_path / "quiverd.toml"
    config.write_text(toml)
    return subprocess.run([str(QUIVERD), "--config", str(config), *args],
                          capture_output=True, text=True, timeout=60)


def test_every_option_has_a_key(tmp_path):
    options = long_options()
    assert {"listen", "root", "users", "tls-cert", "allow-insecure",
            "otlp-endpoint"} <= set(options)
    for name in options:
        # A table fits no option: the error must be about this key's type, which
        # proves the key is known (an unknown key gets a different message).
        result = run_quiverd(tmp_path, f"\n{name} = {{ a = 1 }}\n")
        assert result.returncode == 1, (name, result.stderr)
        assert f"line 2: key '{name}' expects" in result.stderr, result.stderr
        assert "got a table" in result.stderr


def test_file_values_are_used_and_flags_win(start_quiverd, tmp_path):
    config = tmp_path / "quiverd.toml"
    config.write_text('listen = "127.0.0.1:0"\nlog-format = "json"\n'
                      'metrics-listen = "127.0.0.1:0"\nshutdown-grace = 1\n')
    from_file = start_quiverd("--config", str(config))
    lines = [json.loads(line) for line in from_file.log().splitlines() if line.strip()]
    assert any("metrics listening" in line["msg"] for line in lines)

    flag_wins = start_quiverd("--config", str(config), "--log-format", "text")
    assert "quiverd listening on" in flag_wins.log()
    with pytest.raises(json.JSONDecodeError):
        json.loads(flag_wins.log().splitlines()[0])


def test_unknown_keys_and_wrong_types_name_the_line(tmp_path):
    result = run_quiverd(tmp_path, '# quiverd\nlisten = "127.0.0.1:0"\nlisten-address = "x"\n')
    assert result.returncode == 1
    assert "line 3: unknown key 'listen-address'" in result.stderr
    result = run_quiverd(tmp_path, 'listen = "127.0.0.1:0"\nshutdown-grace = "ten"\n')
    assert result.returncode == 1
    assert "line 2: key 'shutdown-grace' expects a number, got a string" in result.stderr
    result = run_quiverd(tmp_path, 'allow-insecure = "yes"\n')
    assert result.returncode == 1
    assert "line 1: key 'allow-insecure' expects a boolean" in result.stderr
    result = run_quiverd(tmp_path, 'listen = "127.0.0.1:0\n')
    assert result.returncode == 1 and "line 1" in result.stderr
    missing = subprocess.run([str(QUIVERD), "--config", str(tmp_path / "nope.toml")],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "nope.toml" in missing.stderr


def test_the_sample_config_names_every_option():
    sample = (REPO / "packaging" / "quiverd.toml").read_text()
    keys = set(re.findall(r"^#?\s*([a-z][a-z0-9-]*)\s*=", sample, re.M))
    missing = sorted(set(long_options()) - keys)
    assert not missing, f"add these options to packaging/quiverd.toml: {missing}"


def test_the_sample_config_is_valid(start_quiverd, tmp_path):
    server = start_quiverd("--config", str(REPO / "packaging" / "quiverd.toml"),
                           "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0")
    assert "quiverd listening on" in server.log()


def test_a_flag_set_in_the_file_takes_effect(start_quiverd, tmp_path):
    config = tmp_path / "quiverd.toml"
    config.write_text('listen = "0.0.0.0:0"\nallow-insecure = false\n')
    with pytest.raises(RuntimeError, match="allow-insecure"):
        start_quiverd("--config", str(config))
    config.write_text('listen = "0.0.0.0:0"\nallow-insecure = true\n')
    server = start_quiverd("--config", str(config))
    assert "quiverd listening on grpc://0.0.0.0:" in server.log()

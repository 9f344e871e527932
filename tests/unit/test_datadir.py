import pytest

from chainproof.datadir import CREATE_FLAG, prepare_data_dir, read_or_create_secret_key
from chainproof.envreaders import ConfigError


def test_default_data_dir_is_created(tmp_path):
    target = tmp_path / "chainproof-data"
    assert prepare_data_dir(target, explicit=False) == target
    assert target.is_dir()


def test_explicit_missing_data_dir_is_refused_unless_initialising(tmp_path, monkeypatch):
    target = tmp_path / "typo"
    monkeypatch.delenv(CREATE_FLAG, raising=False)
    with pytest.raises(ConfigError, match=r"CHAINPROOF_DATA_DIR=.*typo does not exist"):
        prepare_data_dir(target, explicit=True)
    assert not target.exists()
    monkeypatch.setenv(CREATE_FLAG, "1")
    assert prepare_data_dir(target, explicit=True).is_dir()


def test_a_file_is_not_a_data_dir(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(ConfigError, match="is not a directory"):
        prepare_data_dir(target, explicit=True)


def test_uncreatable_data_dir(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot create the data directory"):
        prepare_data_dir(blocker / "sub", explicit=False)


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = read_or_create_secret_key(tmp_path)
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert read_or_create_secret_key(tmp_path) == first


def test_short_secret_key_file_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ConfigError, match="too short"):
        read_or_create_secret_key(tmp_path)


def _create_key(directory: str) -> str:
    from pathlib import Path

    from chainproof.datadir import read_or_create_audit_key

    return read_or_create_audit_key(Path(directory))


def test_processes_starting_together_agree_on_one_key(tmp_path):
    # Server and worker start at the same moment on a new data directory: none of them
    # may read a key another is still writing, and all must end up with the same key.
    import multiprocessing

    for attempt in range(5):
        directory = tmp_path / f"run{attempt}"
        directory.mkdir()
        with multiprocessing.get_context("spawn").Pool(8) as pool:
            keys = pool.map(_create_key, [str(directory)] * 16)
        assert len(keys) == 16
        assert len(set(keys)) == 1
        assert len(keys[0]) >= 50
        assert [p.name for p in directory.iterdir()] == ["audit_key"]

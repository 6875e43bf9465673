"""requirements.lock (what `make install` installs, with hashes) pins every dependency setup.cfg names.

A dependency added to setup.cfg without `make lock` would be missing from every fresh install.
"""

import configparser
import re
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, Requirement]:
    """Each requirement of install_requires and the dev extra, by name."""
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    lines = setup["options"]["install_requires"].splitlines() + setup["options.extras_require"]["dev"].splitlines()
    requirements = [Requirement(line.strip()) for line in lines if line.strip()]
    return {normalized(requirement.name): requirement for requirement in requirements}


def pinned() -> dict[str, str]:
    """Each package of the lock: name -> pinned version."""
    text = (ROOT / "requirements.lock").read_text()
    return {normalized(name): version for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, re.M)}


def test_every_declared_dependency_is_pinned_with_hashes():
    locked, wanted = pinned(), declared()
    assert sorted(set(wanted) - set(locked)) == [], "run `make lock` and commit requirements.lock"
    outside = [f"{name}=={locked[name]} ({wanted[name]})" for name in wanted
               if not wanted[name].specifier.contains(locked[name], prereleases=True)]
    assert outside == [], "run `make lock` and commit requirements.lock"
    text = (ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 2)[2])
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)

"""Sessions: generate, check_generated, lint, typecheck, tests, demo, demo_cli, hostile, bench,
api_diff, spec_fuzz, soak.

Every tool is pinned here so that a fresh machine regenerates byte-identical models and
lints exactly as CI does. ``tests`` runs once per supported CPython (``nox -s tests-3.12`` picks
one); a version that is not installed is skipped, and nox says so.
"""

from __future__ import annotations

import os

import nox

SPECS = ("openapi/onekonto.yaml", "openapi/ripio.yaml")
CODE = ("facade", "generated", "tests", "scripts", "benchmarks", "noxfile.py")

GENERATOR = ("datamodel-code-generator==0.89.0", "ruff==0.17.5")
LINTERS = ("ruff==0.17.5", "openapi-spec-validator==0.9.0")
# griffe compares the public API of two versions (scripts/api_diff.py).
API_DIFF = ("griffe==2.3.0",)
# schemathesis drives the fakes from their specs (tests/testing/test_spec_fuzz.py). These are
# the last releases that still install on Python 3.10; both install on 3.10 to 3.13.
SPEC_FUZZER = ("schemathesis==4.30.1",)
TYPECHECKERS = ("mypy==2.4.1", "types-requests==2.33.0.20261030", "types-PyYAML==6.0.12.20261113")
# Every CPython that pyproject.toml's requires-python and classifiers claim.
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
TEST_TOOLS = (
    "pytest==9.2.0",
    # 6.168.5 is the last hypothesis that installs on 3.10.
    "hypothesis==6.170.15; python_version >= '3.11'",
    "hypothesis==6.168.5; python_version < '3.11'",
    "responses==0.26.3",
    "openapi-schema-validator==0.9.0",
    "referencing==0.37.0",
    "PyYAML==6.0.3",
    *API_DIFF,
    *SPEC_FUZZER,
    *TYPECHECKERS,
    *GENERATOR,
)

nox.options.sessions = ["check_generated", "lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True
# An absent interpreter skips its session with nox's "Missing interpreters" warning instead of
# failing the run; .ci/run names the versions it did not find before it starts.
nox.options.error_on_missing_interpreters = False


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/withdrawkit_generated from openapi/*.yaml."""
    session.install(*GENERATOR)
    session.run("python", "scripts/generate.py")


@nox.session
def check_generated(session: nox.Session) -> None:
    """Fail, naming each file, when generated/ is not exactly what the specs produce."""
    session.install(*GENERATOR)
    session.run("python", "scripts/generate.py", "--check")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on the code, openapi-spec-validator on both specs."""
    session.install(*LINTERS)
    session.run("ruff", "check", *CODE)
    session.run("ruff", "format", "--check", *CODE)
    session.run("openapi-spec-validator", *SPECS)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the facade, the generated models, and the code that uses them."""
    # withdrawkit.testing imports responses and pytest, the command line click and rich; the
    # tests import the test tools.
    session.install("-e", ".[testing,cli,webhooks]", *TEST_TOOLS, "nox==2026.10.20")
    session.run("mypy", "--strict", "facade/withdrawkit", "generated/withdrawkit_generated")
    # The tests, scripts and benchmarks use the public API the way users do: type-check them too.
    session.run("mypy", "--strict", "tests", "scripts", "benchmarks", "noxfile.py")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole pytest suite: unit, contract, fakes and end-to-end over loopback."""
    # The cli extra installs the `withdrawkit` script that tests/cli/ runs as a child process.
    session.install("-e", ".[testing,cli,webhooks]", *TEST_TOOLS)
    session.run("pytest", *session.posargs)


@nox.session
def install_check(session: nox.Session) -> None:
    """Build the wheel and sdist, install them (and a clone, a git URL) into fresh venvs the way
    the README says, and run a user's project against each (scripts/check_install.py)."""
    session.install("build==1.6.1", "nox==2026.10.20")
    session.run("python", "scripts/check_install.py", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: both fake providers on loopback and a narrated withdrawal walk-through."""
    session.install(".[testing,webhooks]")
    session.run("python", "scripts/demo.py")


@nox.session
def hostile(session: nox.Session) -> None:
    """Slow, redirecting and pathological servers on loopback: per case, the time withdrawkit
    takes to give up against the documented limit, and each pattern's CPU cost on 1 MiB."""
    session.install(".")
    session.run("python", "benchmarks/hostile.py")


@nox.session
def demo_cli(session: nox.Session) -> None:
    """The command line end to end: fake servers, the control surface, real commands."""
    session.install(".[cli]")
    session.run("python", "scripts/demo_cli.py")


# Installed by the bench session only: the baselines withdrawkit is measured against.
BENCH_BASELINES = ("pydantic==2.14.4",)


@nox.session
def bench(session: nox.Session) -> None:
    """Every performance goal against its baseline, measured in the same run, in one table;
    fails when a goal is missed. CI does not run it: timings need a quiet machine."""
    session.install(".[testing]", *BENCH_BASELINES)
    session.run("python", "benchmarks/bench.py")


@nox.session
def api_diff(session: nox.Session) -> None:
    """Breaking changes and additions to the public API since a git ref (`-- REF`; default: the
    merge-base with main). Fails on a breaking change that CHANGELOG.md's Unreleased section
    does not name."""
    session.install(*API_DIFF)
    session.run("python", "scripts/api_diff.py", *session.posargs)


@nox.session
def spec_fuzz(session: nox.Session) -> None:
    """The fakes fuzzed against their specs longer than the suite does: `-- EXAMPLES` generated
    requests per operation (default 500), a new seed each run unless SPEC_FUZZ_SEED is set."""
    session.install("-e", ".[testing]", *TEST_TOOLS)
    examples = session.posargs[0] if session.posargs else "500"
    seed = os.environ.get("SPEC_FUZZ_SEED", "random")
    session.run(
        "pytest",
        "tests/testing/test_spec_fuzz.py",
        "-p",
        "no:cacheprovider",
        env={"SPEC_FUZZ_EXAMPLES": examples, "SPEC_FUZZ_SEED": seed},
    )


@nox.session
def soak(session: nox.Session) -> None:
    """1000 money-moving calls under injected faults against both fakes over loopback, every
    unknown outcome reconciled; fails if any money was lost or moved twice."""
    session.install(".[testing]")
    session.run("python", "scripts/soak.py", *session.posargs)

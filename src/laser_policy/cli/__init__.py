"""The ``laser-policy`` command line.

Exit status: 0 success, 1 bad input (one-line message on stderr naming what is
wrong), 2 bad usage. Errors are translated here and nowhere else.
"""

from __future__ import annotations

import sys

import click

from laser_policy import __version__
from laser_policy.cli.lazy import LazyGroup
from laser_policy.errors import DataValidationError, LaserPolicyError

COMMANDS = {
    "policy": "laser_policy.cli.policy:policy",
    "validate": "laser_policy.cli.data:validate",
    "import": "laser_policy.cli.store:import_",
    "export": "laser_policy.cli.store:export",
    "template": "laser_policy.cli.data:template",
    "db": "laser_policy.cli.db:db",
    "sample": "laser_policy.cli.sample:sample",
    "incentives": "laser_policy.cli.incentives:incentives",
    "monitor": "laser_policy.cli.monitor:monitor",
    "evaluate": "laser_policy.cli.evaluate:evaluate",
    "tasks": "laser_policy.cli.tasks:tasks",
    "report": "laser_policy.cli.report:report",
    "chain": "laser_policy.cli.chain:chain",
    "match": "laser_policy.cli.chain:match",
    "serve": "laser_policy.cli.web:serve",
    "demo": "laser_policy.cli.web:demo",
    "users": "laser_policy.cli.users:users",
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="laser-policy")
def cli() -> None:
    """湖北省激光产业政策平台（鄂政办发〔2024〕35号）。

    laser-policy: Hubei's laser-industry policy as data, incentives, monitoring,
    industry chain and a web app.
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and translate laser-policy errors into exit codes."""
    try:
        cli.main(args=argv, prog_name="laser-policy", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已取消 / aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except DataValidationError as exc:
        click.echo(str(exc), err=True)
        click.echo(exc.report(), err=True)
        sys.exit(exc.exit_code)
    except LaserPolicyError as exc:
        click.echo(f"错误 / error: {exc}", err=True)
        sys.exit(exc.exit_code)
    sys.exit(0)

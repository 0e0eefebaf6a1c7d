"""`python -m benchmarks`: runs every case against a throw-away PostgreSQL database."""

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from . import cases
    from .harness import CASES, measure

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    only_monitoring = "--monitoring" in sys.argv  # while iterating on that bench alone
    if not only_monitoring:
        from . import bombs

        bombs.run()
    try:
        if "--quick" not in sys.argv and not only_monitoring:
            # first, while the process is small: the peak RSS it prints is the import's
            from . import import_federal

            import_federal.run()
        if not only_monitoring:
            print(f"{'case':<58} {'ratio':>8}  baseline")
            ctx = None
            for c in CASES:
                run, base = measure(c)
                print(f"{c.name:<58} {run / base:>7.2f}×  {c.baseline_name}")
                ctx = ctx or c.setup()
            for name, count in cases.query_counts(ctx).items():
                print(f"queries: {name:<49} {count:>8}")
        # last: its 40,000 schools stay in the throw-away database until it is destroyed
        from . import monitoring

        monitoring.run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# `manage.py check --deploy` with production settings must be clean (warnings are errors),
# and production settings must refuse to start without their required variables.
set -euo pipefail
py=${1:-.venv/bin/python}
env -i PATH="$PATH" HOME="${HOME:-/root}" \
  DJANGO_SETTINGS_MODULE=config.settings.production \
  DJANGO_SECRET_KEY="deploy-check-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  DJANGO_ALLOWED_HOSTS=portal.example \
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal500 \
  "$py" manage.py check --deploy --fail-level WARNING

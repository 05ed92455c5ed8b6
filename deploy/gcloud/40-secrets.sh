#!/usr/bin/env bash
# Step 4: docket.toml, the manager-link signing key and the Zendesk/GitLab API tokens, in Secret Manager,
# readable by docket-runtime. Re-run after editing deploy/docket.toml (adds a new version), then 50-service.sh.
#
# Tokens are read from this shell's environment, never from a file: export DOCKET_ZENDESK_TOKEN and/or
# DOCKET_GITLAB_TOKEN (and DOCKET_ZENDESK_TOKEN_<NAME> per ZENDESK_INSTANCES) before running it to add a
# version; unset, an existing secret is left as it is. `read -rs DOCKET_ZENDESK_TOKEN; export DOCKET_ZENDESK_TOKEN`
# keeps the token out of your shell history.
source "$(dirname "$0")/env.sh"
cd "$(dirname "$0")/../.."

if [[ ! -f "$CONFIG_FILE" ]]; then
  echo "Write $CONFIG_FILE first (copy deploy/docket.toml.example; README step 6)." >&2
  exit 2
fi
# Validate before uploading: the same loader the service uses (exit 2 names the bad key).
# (Needs the package installed: python3 -m pip install -e . ; skipped when it is not.)
if python3 -c 'import service.settings' 2>/dev/null; then
  python3 -c 'import sys; from service.settings import load_settings; load_settings(sys.argv[1], env={})' "$CONFIG_FILE"
fi

if gcloud secrets describe "$CONFIG_SECRET" --project="$PROJECT_ID" >/dev/null 2>&1; then
  gcloud secrets versions add "$CONFIG_SECRET" --project="$PROJECT_ID" --data-file="$CONFIG_FILE"
else
  gcloud secrets create "$CONFIG_SECRET" --project="$PROJECT_ID" --replication-policy=automatic --data-file="$CONFIG_FILE"
fi

# The link key is made once: a new one would invalidate every manager link already sent.
if ! gcloud secrets describe "$KEY_SECRET" --project="$PROJECT_ID" >/dev/null 2>&1; then
  python3 -c 'import secrets; print(secrets.token_urlsafe(48), end="")' |
    gcloud secrets create "$KEY_SECRET" --project="$PROJECT_ID" --replication-policy=automatic --data-file=-
fi

# The reminders' Google Chat webhook URL (it carries its own key and token): from $WEBHOOK_FILE
# when you made one (Chat space > Apps & integrations > Webhooks), never from docket.toml, which
# only names it: [reminders] chat_webhook = "env:DOCKET_CHAT_WEBHOOK". 50-service.sh mounts it.
secrets=("$CONFIG_SECRET" "$KEY_SECRET")
if [[ -f "$WEBHOOK_FILE" ]]; then
  if gcloud secrets describe "$WEBHOOK_SECRET" --project="$PROJECT_ID" >/dev/null 2>&1; then
    gcloud secrets versions add "$WEBHOOK_SECRET" --project="$PROJECT_ID" --data-file="$WEBHOOK_FILE"
  else
    gcloud secrets create "$WEBHOOK_SECRET" --project="$PROJECT_ID" --replication-policy=automatic --data-file="$WEBHOOK_FILE"
  fi
  secrets+=("$WEBHOOK_SECRET")
fi
# Work data tokens (Zendesk, GitLab) from the admin's environment, never from a file.
while IFS='=' read -r secret variable; do
  value="${!variable:-}"
  if [[ -n "$value" ]]; then
    if gcloud secrets describe "$secret" --project="$PROJECT_ID" >/dev/null 2>&1; then
      printf '%s' "$value" | gcloud secrets versions add "$secret" --project="$PROJECT_ID" --data-file=- >/dev/null
    else
      printf '%s' "$value" | gcloud secrets create "$secret" --project="$PROJECT_ID" --replication-policy=automatic --data-file=- >/dev/null
    fi
    echo "stored ${variable} in secret ${secret}"   # the name only: never the value
  fi
  if gcloud secrets describe "$secret" --project="$PROJECT_ID" >/dev/null 2>&1; then
    secrets+=("$secret")
  fi
done < <(token_secrets)

for secret in "${secrets[@]}"; do
  gcloud secrets add-iam-policy-binding "$secret" --project="$PROJECT_ID" \
    --member="serviceAccount:${RUNTIME_SA}" --role=roles/secretmanager.secretAccessor >/dev/null
done

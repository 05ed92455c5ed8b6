#!/usr/bin/env bash
# Settings shared by every deploy step: edit the first block. Each numbered script sources this
# file (don't source it in an interactive shell: it turns on `set -e`). Run
# `deploy/gcloud/env.sh print-config-values` to print the values that go into deploy/docket.toml.
set -euo pipefail

# --- edit these ---------------------------------------------------------------------------
: "${PROJECT_ID:=docket-demo-123456}"         # a new, empty project (globally unique id)
: "${REGION:=us-central1}"                    # Cloud Run, Tasks, Scheduler, Artifact Registry
: "${BILLING_ACCOUNT:=}"                      # `gcloud billing accounts list`; empty = already linked
: "${ORGANIZATION_ID:=}"                      # `gcloud organizations list`; empty = no parent
: "${SCHEDULE:=0 6 * * 1}"                    # Mondays 06:00 ...
: "${SCHEDULE_TIME_ZONE:=America/New_York}"   # ... in this zone (use organization.timezone)
: "${DAILY_SCHEDULE:=0 7 * * *}"              # the daily job (reminders): every day 07:00 in SCHEDULE_TIME_ZONE
# ------------------------------------------------------------------------------------------

SERVICE=docket                                # Cloud Run service
REPOSITORY=docket                             # Artifact Registry (docker) repository
QUEUE=docket-sections                         # Cloud Tasks queue: one task per document
JOB=docket-weekly                             # Cloud Scheduler job: the weekly sections
DAILY_JOB=docket-daily                        # Cloud Scheduler job: PTO reminders and prep nudges
CONFIG_SECRET=docket-config                   # Secret Manager: docket.toml
KEY_SECRET=docket-secret-key                  # Secret Manager: DOCKET_SECRET_KEY (signs manager links)
WEBHOOK_SECRET=docket-chat-webhook            # Secret Manager: DOCKET_CHAT_WEBHOOK (the reminders' Chat webhook URL)
WEBHOOK_FILE="${WEBHOOK_FILE:-deploy/chat-webhook.url}"   # its value, if you set one up (git-ignored; 40-secrets.sh)
ZENDESK_TOKEN_SECRET=docket-zendesk-token     # Secret Manager: DOCKET_ZENDESK_TOKEN ([zendesk], optional)
GITLAB_TOKEN_SECRET=docket-gitlab-token       # Secret Manager: DOCKET_GITLAB_TOKEN ([gitlab], optional)
# Further Zendesk instances ([zendesk.NAME] in docket.toml), space-separated, e.g. "us_federal": each
# token is secret docket-zendesk-token-NAME (with '-' for '_') and variable DOCKET_ZENDESK_TOKEN_<NAME>.
: "${ZENDESK_INSTANCES:=}"
RUNTIME_SA="docket-runtime@${PROJECT_ID}.iam.gserviceaccount.com"   # the service's identity; owns the docs
INVOKER_SA="docket-invoker@${PROJECT_ID}.iam.gserviceaccount.com"   # Scheduler's and Tasks' OIDC identity
IMAGE="${REGION}-docker.pkg.dev/${PROJECT_ID}/${REPOSITORY}/docket:${IMAGE_TAG:-latest}"
CONFIG_FILE="${CONFIG_FILE:-deploy/docket.toml}"

# Each work data token: "secret-name=ENVIRONMENT_VARIABLE", one per line.
token_secrets() {
  echo "${ZENDESK_TOKEN_SECRET}=DOCKET_ZENDESK_TOKEN"
  echo "${GITLAB_TOKEN_SECRET}=DOCKET_GITLAB_TOKEN"
  local name
  for name in $ZENDESK_INSTANCES; do
    echo "${ZENDESK_TOKEN_SECRET}-${name//_/-}=DOCKET_ZENDESK_TOKEN_${name^^}"
  done
}

project_number() {
  gcloud projects describe "$PROJECT_ID" --format='value(projectNumber)'
}

# Cloud Run's deterministic URL (https://SERVICE-PROJECT_NUMBER.REGION.run.app): known before the
# first deploy, so docket.toml (service.base_url, auth.audience) can be written first.
service_url() {
  echo "https://${SERVICE}-$(project_number).${REGION}.run.app"
}

if [[ "${BASH_SOURCE[0]}" == "$0" && "${1:-}" == "print-config-values" ]]; then
  url="$(service_url)"
  cat <<VALUES
[service]
base_url = "${url}"

[dispatch]
mode = "cloud-tasks"
queue = "projects/${PROJECT_ID}/locations/${REGION}/queues/${QUEUE}"
service_account = "${INVOKER_SA}"

[auth]
audience = "${url}"
scheduler_service_accounts = ["${INVOKER_SA}"]
VALUES
fi

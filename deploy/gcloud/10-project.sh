#!/usr/bin/env bash
# Step 1: the project, its billing link and the APIs Docket uses.
source "$(dirname "$0")/env.sh"

if ! gcloud projects describe "$PROJECT_ID" >/dev/null 2>&1; then
  gcloud projects create "$PROJECT_ID" ${ORGANIZATION_ID:+--organization="$ORGANIZATION_ID"}
fi
if [[ -n "$BILLING_ACCOUNT" ]]; then
  gcloud billing projects link "$PROJECT_ID" --billing-account="$BILLING_ACCOUNT"
fi
gcloud config set project "$PROJECT_ID"

# run: the service; cloudscheduler/cloudtasks: the triggers; docs/drive: the documents;
# calendar-json: the engineers' out-of-office events (daily reminders); sheets: the roster sheet;
# iamcredentials: OIDC tokens minted for docket-invoker, and the delegation JWTs docket-runtime
# signs to read calendars as each engineer; artifactregistry/cloudbuild: the image;
# secretmanager: docket.toml, the link-signing key and the Chat webhook.
gcloud services enable \
  run.googleapis.com \
  cloudscheduler.googleapis.com \
  cloudtasks.googleapis.com \
  docs.googleapis.com \
  drive.googleapis.com \
  calendar-json.googleapis.com \
  sheets.googleapis.com \
  iamcredentials.googleapis.com \
  artifactregistry.googleapis.com \
  cloudbuild.googleapis.com \
  secretmanager.googleapis.com \
  --project="$PROJECT_ID"

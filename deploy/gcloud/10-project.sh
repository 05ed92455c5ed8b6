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
# iamcredentials: OIDC tokens minted for docket-invoker; artifactregistry/cloudbuild: the image;
# secretmanager: docket.toml and the link-signing key.
gcloud services enable \
  run.googleapis.com \
  cloudscheduler.googleapis.com \
  cloudtasks.googleapis.com \
  docs.googleapis.com \
  drive.googleapis.com \
  iamcredentials.googleapis.com \
  artifactregistry.googleapis.com \
  cloudbuild.googleapis.com \
  secretmanager.googleapis.com \
  --project="$PROJECT_ID"

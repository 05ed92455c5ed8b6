#!/usr/bin/env bash
# Step 2: the two service accounts, the Cloud Tasks queue, and the IAM roles between them.
#   docket-runtime  runs the service; the shared drive's only member; enqueues tasks.
#   docket-invoker  the identity in Scheduler's and Tasks' OIDC tokens (auth.scheduler_service_accounts).
source "$(dirname "$0")/env.sh"

gcloud iam service-accounts describe "$RUNTIME_SA" --project="$PROJECT_ID" >/dev/null 2>&1 ||
  gcloud iam service-accounts create docket-runtime --project="$PROJECT_ID" \
    --display-name="Docket (Cloud Run runtime; owns the meeting documents)"
gcloud iam service-accounts describe "$INVOKER_SA" --project="$PROJECT_ID" >/dev/null 2>&1 ||
  gcloud iam service-accounts create docket-invoker --project="$PROJECT_ID" \
    --display-name="Docket invoker (Cloud Scheduler and Cloud Tasks OIDC tokens)"

# The queue: 0.8 dispatches/s = 48 tasks a minute, each one document's section (one Docs write),
# under the Docs quota of 60 writes per minute per user (docket-runtime is one user); the rest of
# the minute is left for the Docs menu and manager links. README §"Sizing the queue".
if ! gcloud tasks queues describe "$QUEUE" --location="$REGION" --project="$PROJECT_ID" >/dev/null 2>&1; then
  gcloud tasks queues create "$QUEUE" --location="$REGION" --project="$PROJECT_ID" \
    --max-dispatches-per-second=0.8 --max-concurrent-dispatches=4 \
    --max-attempts=10 --min-backoff=10s --max-backoff=600s --max-doublings=4
fi

# docket-runtime creates the tasks ...
gcloud tasks queues add-iam-policy-binding "$QUEUE" --location="$REGION" --project="$PROJECT_ID" \
  --member="serviceAccount:${RUNTIME_SA}" --role=roles/cloudtasks.enqueuer
# ... with an OIDC token for docket-invoker, which needs iam.serviceAccounts.actAs on docket-invoker.
gcloud iam service-accounts add-iam-policy-binding "$INVOKER_SA" --project="$PROJECT_ID" \
  --member="serviceAccount:${RUNTIME_SA}" --role=roles/iam.serviceAccountUser

# The daily job reads each engineer's calendar as the engineer (domain-wide delegation, README
# step 3b): on Cloud Run docket-runtime has no key, so it signs the delegation JWT through the IAM
# Credentials API as itself, which needs the token-creator role on itself.
gcloud iam service-accounts add-iam-policy-binding "$RUNTIME_SA" --project="$PROJECT_ID" \
  --member="serviceAccount:${RUNTIME_SA}" --role=roles/iam.serviceAccountTokenCreator >/dev/null

# Cloud Scheduler's service agent mints docket-invoker's tokens for the weekly job. Projects made
# since 2019 grant its role automatically; granting it again is harmless. Not fatal: the agent may
# only appear once the first job exists (then re-run this script if the job's token fails).
gcloud beta services identity create --service=cloudscheduler.googleapis.com --project="$PROJECT_ID" >/dev/null 2>&1 || true
gcloud projects add-iam-policy-binding "$PROJECT_ID" --condition=None \
  --member="serviceAccount:service-$(project_number)@gcp-sa-cloudscheduler.iam.gserviceaccount.com" \
  --role=roles/cloudscheduler.serviceAgent >/dev/null ||
  echo "note: Cloud Scheduler's service agent is not there yet; Google grants its role when it is created." >&2

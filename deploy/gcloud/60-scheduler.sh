#!/usr/bin/env bash
# Step 6: the weekly Cloud Scheduler job: POST /tasks/weekly with docket-invoker's OIDC token.
# The audience is set explicitly to the service URL, the value of auth.audience (left out,
# Scheduler would use the full target URI, path included, which Docket would refuse).
# The body {} means "this week" (today in organization.timezone); Docket makes exactly one
# section per document per week, so retries and manual runs are harmless.
source "$(dirname "$0")/env.sh"

url="$(service_url)"
common=(
  --location="$REGION" --project="$PROJECT_ID"
  --schedule="$SCHEDULE" --time-zone="$SCHEDULE_TIME_ZONE"
  --uri="${url}/tasks/weekly" --http-method=POST --message-body='{}'
  --oidc-service-account-email="$INVOKER_SA" --oidc-token-audience="$url"
  --attempt-deadline=600s
  --max-retry-attempts=3 --min-backoff=60s --max-backoff=600s
)
if gcloud scheduler jobs describe "$JOB" --location="$REGION" --project="$PROJECT_ID" >/dev/null 2>&1; then
  gcloud scheduler jobs update http "$JOB" "${common[@]}" --update-headers="Content-Type=application/json"
else
  gcloud scheduler jobs create http "$JOB" "${common[@]}" --headers="Content-Type=application/json"
fi

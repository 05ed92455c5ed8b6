#!/usr/bin/env bash
# Step 6: the two Cloud Scheduler jobs, each POSTing with docket-invoker's OIDC token:
#   docket-weekly  POST /tasks/weekly  ($SCHEDULE): this week's sections in every document.
#   docket-daily   POST /tasks/daily   ($DAILY_SCHEDULE): PTO reminders and "1:1 today" nudges in Google Chat.
# The audience is set explicitly to the service URL, the value of auth.audience (left out,
# Scheduler would use the full target URI, path included, which Docket would refuse).
# The body {} means "today" (in organization.timezone / each pair's zone). Both jobs are
# idempotent: one section per document per week, one message per time off or meeting day, so
# retries and manual runs are harmless.
source "$(dirname "$0")/env.sh"

url="$(service_url)"

schedule_job() {  # name, schedule, path
  local common=(
    --location="$REGION" --project="$PROJECT_ID"
    --schedule="$2" --time-zone="$SCHEDULE_TIME_ZONE"
    --uri="${url}$3" --http-method=POST --message-body='{}'
    --oidc-service-account-email="$INVOKER_SA" --oidc-token-audience="$url"
    --attempt-deadline=600s
    --max-retry-attempts=3 --min-backoff=60s --max-backoff=600s
  )
  if gcloud scheduler jobs describe "$1" --location="$REGION" --project="$PROJECT_ID" >/dev/null 2>&1; then
    gcloud scheduler jobs update http "$1" "${common[@]}" --update-headers="Content-Type=application/json"
  else
    gcloud scheduler jobs create http "$1" "${common[@]}" --headers="Content-Type=application/json"
  fi
}

schedule_job "$JOB" "$SCHEDULE" /tasks/weekly
schedule_job "$DAILY_JOB" "$DAILY_SCHEDULE" /tasks/daily

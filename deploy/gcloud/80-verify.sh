#!/usr/bin/env bash
# Step 10: check the deployment end to end (README "Verify").
source "$(dirname "$0")/env.sh"
url="$(service_url)"

echo "== GET /healthz"
curl -fsS "${url}/healthz"; echo

echo "== an unauthenticated POST /tasks/weekly must be refused (401)"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "${url}/tasks/weekly")"
echo "HTTP ${code}"; [[ "$code" == 401 ]]

echo "== an unauthenticated POST /tasks/daily must be refused (401)"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "${url}/tasks/daily")"
echo "HTTP ${code}"; [[ "$code" == 401 ]]

echo "== run the weekly job now (Cloud Scheduler -> POST /tasks/weekly with docket-invoker's token)"
gcloud scheduler jobs run "$JOB" --location="$REGION" --project="$PROJECT_ID"
sleep 30
gcloud scheduler jobs describe "$JOB" --location="$REGION" --project="$PROJECT_ID" --format='value(lastAttemptTime,status)'
gcloud logging read --project="$PROJECT_ID" --limit=20 --freshness=10m \
  "resource.type=cloud_run_revision AND resource.labels.service_name=${SERVICE}" --format='value(timestamp,severity,jsonPayload.message,httpRequest.requestUrl,httpRequest.status)'
echo "== run the daily job now (POST /tasks/daily): reminders due today go to Chat, each once"
gcloud scheduler jobs run "$DAILY_JOB" --location="$REGION" --project="$PROJECT_ID"
sleep 20
gcloud scheduler jobs describe "$DAILY_JOB" --location="$REGION" --project="$PROJECT_ID" --format='value(lastAttemptTime,status)'
echo "== tasks still queued (0 when the fan-out is done)"
gcloud tasks list --queue="$QUEUE" --location="$REGION" --project="$PROJECT_ID" --format='value(name)' | wc -l
